import { FINAL_CALL_STATUSES, OPEN_CALL_STATUSES, type Call } from '../../src/domain';
import type { AmiServer } from '../../src/demo/ami/ami-server';
import { amiConfig, replayPbx, Rig, until } from './harness';

/**
 * Open calls wear what they are doing now (ringing, active, on_hold, waiting); the final status is set once, when the
 * call ends. Real captures replayed with every change published (no per-tick batching), so each step is seen.
 */

/** The open statuses one call went through, repeats folded, then its final status. */
function story(rig: Rig, id: string): string[] {
  const out: string[] = [];
  for (const c of rig.calls) if (c.id === id && out[out.length - 1] !== c.status) out.push(c.status);
  const end = rig.ended.find((c) => c.id === id);
  return end ? [...out, `ended:${end.status}`] : out;
}

describe('open call statuses on real captures', () => {
  let rig: Rig | undefined;
  let server: AmiServer | undefined;
  afterEach(async () => {
    await rig?.stop();
    await server?.close();
    rig = server = undefined;
  });

  async function replay(name: string, calls: number): Promise<Call[]> {
    server = await replayPbx(name);
    rig = new Rig();
    await rig.start(amiConfig(server.port), { publish: 'sync' });
    await until(() => rig!.ended.length >= calls || undefined, `${calls} finished call(s) from ${name}`);
    for (const c of rig.calls) expect([c.id, c.open, OPEN_CALL_STATUSES as readonly string[]]).toEqual([c.id, true, expect.arrayContaining([c.status])]);
    for (const c of rig.ended) expect([c.id, c.open, FINAL_CALL_STATUSES as readonly string[]]).toEqual([c.id, false, expect.arrayContaining([c.status])]);
    return rig.ended;
  }

  it('a voicemail call rings, is active while the caller leaves a message, and ends voicemail', async () => {
    const [call] = await replay('inbound_missed_voicemail', 1);
    expect(story(rig!, call.id)).toEqual(['ringing', 'active', 'ended:voicemail']);
  });

  it('a held call is on_hold, then active again; it ends answered', async () => {
    const [call] = await replay('hold_unhold', 1);
    expect(story(rig!, call.id)).toEqual(['ringing', 'active', 'on_hold', 'active', 'ended:answered']);
  });

  it('a queue caller is waiting (after the queue answered to play its greeting) until an agent talks', async () => {
    const [call] = await replay('queue_answered_ringall', 1);
    expect(story(rig!, call.id)).toEqual(['ringing', 'active', 'waiting', 'active', 'ended:answered']);
  });

  it('a caller who gives up in the queue waited, and only the end says abandoned', async () => {
    const [call] = await replay('queue_abandon', 1);
    const s = story(rig!, call.id);
    expect(s.slice(0, 3)).toEqual(['ringing', 'active', 'waiting']);
    expect(s[s.length - 1]).toBe('ended:abandoned');
  });

  it('a blind transfer rings the new target while the caller waits for it', async () => {
    const [call] = await replay('blind_transfer', 1);
    expect(story(rig!, call.id)).toEqual(['ringing', 'active', 'ringing', 'active', 'ended:answered']);
  });

  it('busy and failed outbound calls ring, then end busy and failed: never busy while ringing', async () => {
    const calls = await replay('outbound_busy_and_failed', 2);
    expect(calls.map((c) => story(rig!, c.id)).sort()).toEqual([
      ['ringing', 'ended:busy'],
      ['ringing', 'ended:failed'],
    ]);
  });
});
