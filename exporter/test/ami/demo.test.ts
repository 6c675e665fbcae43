import pino from 'pino';
import { rng } from '../../bench/ingest/synth';
import { startAmiDemo, type AmiDemo } from '../../src/demo/ami';
import type { Call } from '../../src/domain';
import { amiConfig, Rig, sleep, until } from './harness';

// The timing-dependent scenes the test waits for, each the very call its assertion looks for: a looser wait would end
// at a call the assertion does not accept. Room 800 ends with its members leaving in random order, 33-170 ms
// apart at speed 60: an outside partner's (inbound) call can end first, and the members' calls only after.
const transferred = (kind: string) => (c: Call) => c.transfers.some((t) => t.kind === kind);
/** A colleague's call into conference room 800: answered by the room, one leg. */
const conferenceMember = (c: Call) => c.direction === 'internal' && c.answeredBy?.name === 'Conference 800' && c.legs.length === 1;
/** A caller parked on 70 and picked up from the space: the parker and the colleague both answered it. */
const parkedAndPickedUp = (c: Call) =>
  c.transfers.some((t) => t.to.number === '70') && c.legs.filter((l) => l.role === 'extension' && l.outcome === 'answered').length === 2;

/**
 * The demo PBX is the same AMI the exporter meets in production: the AMI source correlates its traffic with the code
 * that handles the real captures, and every panel gets data.
 */
describe('demo PBX', () => {
  let demo: AmiDemo;
  let rig: Rig;
  beforeAll(async () => {
    // deterministic dice, so a failure can be replayed
    demo = await startAmiDemo({ speed: 60, log: pino({ level: 'silent' }), random: rng(7) });
    rig = new Rig();
    await rig.start({ ...amiConfig(demo.port), name: 'demo', username: demo.username, secret: demo.secret });
    // which scenes run depends on which phones are idle when the dice fall, and that on timing: on a loaded machine
    // 60 calls may come without a transfer yet, so wait for each kind the test looks for (each is 2-3 % of the scenes)
    const seen = (p: (c: Call) => boolean) => rig.ended.some(p);
    await until(
      () =>
        (rig.ended.length >= 60 &&
          seen(transferred('blind')) &&
          seen(transferred('attended')) &&
          seen(conferenceMember) &&
          seen(parkedAndPickedUp)) ||
        undefined,
      '60 finished demo calls with a blind and an attended transfer, a conference member and a picked-up parked call among them',
      80000,
    );
  }, 100000);
  afterAll(async () => {
    await rig?.stop();
    await demo?.stop();
  });

  it('runs calls of every kind, correlated without a single rejected event', () => {
    const kinds = new Set(rig.ended.map((c) => `${c.direction}/${c.status}`));
    for (const k of ['inbound/answered', 'inbound/voicemail', 'inbound/missed', 'inbound/abandoned', 'outbound/answered', 'internal/answered']) {
      expect(kinds).toContain(k);
    }
    expect(rig.ended.some((c) => c.direction === 'outbound' && (c.status === 'busy' || c.status === 'failed'))).toBe(true);
    expect(rig.ended.some((c) => c.group?.type === 'ringgroup' && c.group.membersRung.length >= 2)).toBe(true);
    expect(rig.ended.some((c) => c.group?.type === 'queue' && c.status === 'answered' && c.waitMs! > 0)).toBe(true);
    expect(rig.ended.some(transferred('blind'))).toBe(true);
    expect(rig.ended.some(transferred('attended'))).toBe(true);
    expect(rig.ended.some((c) => c.holdMs > 0)).toBe(true);
    // conference room 800: each member's call is answered by the room; a parked caller is picked up by a colleague
    expect(rig.ended.some(conferenceMember)).toBe(true);
    expect(rig.ended.some(parkedAndPickedUp)).toBe(true);
    expect(rig.ended.every((c) => c.from.number !== '' && c.to.number !== '')).toBe(true);
    expect(rig.rejected).toEqual([]);
  });

  it('fills the live state: named extensions, queues with a paused member, a registered trunk, voicemail', () => {
    const exts = new Map(rig.extensions.map((e) => [e.extension, e]));
    expect(exts.size).toBeGreaterThanOrEqual(6);
    expect(exts.get('1001')).toMatchObject({ name: 'Alice Anders' });
    expect([...exts.values()].some((e) => e.rttMs !== undefined && e.rttMs > 0)).toBe(true);
    expect([...exts.values()].some((e) => (e.voicemail?.new ?? 0) > 0)).toBe(true);
    expect(rig.extensions.some((e) => e.state === 'in_call' && e.callId && e.counterpart)).toBe(true);
    const support = rig.lastQueue('support')!;
    expect(support.strategy).toBe('ringall');
    expect(support.members.find((m) => m.extension === '1005')).toMatchObject({ paused: true, pausedReason: 'lunch' });
    expect(rig.queues.some((q) => q.callers.length > 0)).toBe(true);
    expect(rig.trunks.some((t) => t.trunk === 'trunk' && t.registered && t.status === 'Registered' && t.rttMs === 23)).toBe(true);
    expect(rig.trunks.some((t) => t.activeCalls > 0)).toBe(true);
    expect(rig.conferences.some((c) => c.room === '800' && c.participants.length >= 2)).toBe(true);
    expect(rig.parking.some((p) => p.calls.some((c) => c.parker !== undefined && c.slot >= '71'))).toBe(true);
    expect(rig.extensions.some((e) => e.conference === '800')).toBe(true);
    expect(rig.status).toMatchObject({ connected: true, version: '22.10.1' });
    expect(rig.status?.pbxStartedAt).toBeGreaterThan(0);
  });

  it('goes offline and back: the source reports it, reconnects on the same port and closes the gap', async () => {
    await demo.setOnline(false);
    await until(() => (rig.status && !rig.status.connected) || undefined, 'source down');
    // the live picture says it is stale from the disconnect, keeping its last known values
    const down = rig.status!.staleSince!;
    expect(down).toBe(rig.status!.since);
    expect(rig.lastExtension('1001')).toMatchObject({ name: 'Alice Anders', staleSince: down });
    expect(rig.lastQueue('support')?.staleSince).toBe(down);
    await sleep(300);
    await demo.setOnline(true);
    await until(() => rig.status?.connected || undefined, 'source up again', 10000);
    await until(() => rig.gaps.find((g) => g.endedAt !== undefined), 'gap closed');
    // the resync reported them again: fresh
    expect(rig.status?.staleSince).toBeUndefined();
    expect(rig.lastExtension('1001')?.staleSince).toBeUndefined();
    expect(rig.lastQueue('support')?.staleSince).toBeUndefined();
    expect(rig.status?.reconnects).toBeGreaterThanOrEqual(1);
  });
});
