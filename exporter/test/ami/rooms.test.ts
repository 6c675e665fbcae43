import type { AmiServer } from '../../src/demo/ami/ami-server';
import { getJson, startHarness, type Harness } from '../http/harness';
import { openStream, type SseStream } from '../http/sse-client';
import { parseMetrics } from '../metrics/helpers';
import { amiConfig, captureFrames, fakePbx, frameIndex, Rig, sleep } from './harness';

/** Polls an async `fn` until it returns something, or fails naming what it waited for. */
async function eventually<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * Conference rooms and parked calls as the API, the stream and /metrics show them while a real capture is replayed
 * over TCP: the capture is cut just before the moment of interest, so the PBX is "still" in it.
 */
describe('conference rooms and parked calls, live from real captures', () => {
  let h: Harness | undefined;
  let rig: Rig | undefined;
  let server: AmiServer | undefined;
  let stream: SseStream | undefined;
  afterEach(async () => {
    stream?.close();
    await rig?.stop();
    await server?.close();
    await h?.close();
    h = rig = server = stream = undefined;
  });

  /** The exporter (API + AMI source on one hub) connected to a PBX that replays `frames` and then stays quiet. */
  async function live(frames: string[]): Promise<Harness> {
    h = await startHarness();
    stream = await openStream(`${h.url}/api/v1/stream?topics=conference,parking,extension`);
    server = await fakePbx();
    server.on('login', (s) => s.writeRaw(frames.join('')));
    rig = new Rig(undefined, h.hub);
    await rig.start(amiConfig(server.port));
    return h;
  }

  it('room 800 with its three members while they talk, each member on a call of its own answered by the room, the extensions in it showing it', async () => {
    const frames = captureFrames('confbridge_internal_first');
    // Carol hangs up first: before that all three are in the room
    const cut = frameIndex(frames, 'Event: ConfbridgeLeave', 'Channel: PJSIP/1003-00000000');
    const hh = await live(frames.slice(0, cut));
    const rooms = await eventually(async () => {
      const r = await getJson(`${hh.url}/api/v1/conferences`);
      return r.body.items?.[0]?.participants?.length === 3 ? r.body : undefined;
    }, 'room 800 with three participants');
    expect(rooms.items).toHaveLength(1);
    const room = rooms.items[0];
    expect(room).toMatchObject({ pbx: 'rig', room: '800' });
    // in join order: the carrier caller's ConfbridgeJoin came before Carol's (her join prompt), then Dave
    expect(room.participants.map((p: { party: { number: string }; extension: string | null }) => [p.party.number, p.extension])).toEqual([
      ['+12125550161', null],
      ['1003', '1003'],
      ['1004', '1004'],
    ]);
    expect(room.participants.every((p: { admin: boolean; muted: boolean }) => !p.admin && !p.muted)).toBe(true);
    // each member's own call is linked, and it is answered by the room
    const calls = (await getJson(`${hh.url}/api/v1/calls/active`)).body.items;
    for (const p of room.participants) {
      const call = calls.find((c: { id: string }) => c.id === p.callId);
      expect(call).toMatchObject({ answeredBy: { number: '800', name: 'Conference 800' } });
    }
    const exts = (await getJson(`${hh.url}/api/v1/extensions`)).body.items;
    expect(exts.filter((e: { conference: string | null }) => e.conference === '800').map((e: { extension: string }) => e.extension)).toEqual(['1003', '1004']);
    const samples = parseMetrics(await (await fetch(`${hh.url}/metrics`)).text());
    expect(samples.find((s) => s.name === 'pbx_conference_participants' && s.labels.room === '800')).toMatchObject({ labels: { pbx: 'rig' }, value: 3 });
    expect(samples.find((s) => s.name === 'pbx_conference_rooms' && s.labels.pbx === 'rig')?.value).toBe(1);
    // the stream told each change: the last conference message holds all three
    const last = await stream!.next((m) => m.event === 'conference' && JSON.parse(m.data!).participants.length === 3);
    expect(JSON.parse(last.data!).room).toBe('800');
  });

  it('the room ends: the stream says so with no participants, the API lists no room, the extensions left it', async () => {
    const hh = await live(captureFrames('confbridge_internal_first'));
    await stream!.next((m) => m.event === 'conference' && JSON.parse(m.data!).participants.length === 3);
    await stream!.next((m) => m.event === 'conference' && JSON.parse(m.data!).participants.length === 0);
    expect((await getJson(`${hh.url}/api/v1/conferences`)).body.items).toEqual([]);
    const exts = (await getJson(`${hh.url}/api/v1/extensions`)).body.items;
    expect(exts.filter((e: { conference: string | null }) => e.conference !== null)).toEqual([]);
    const samples = parseMetrics(await (await fetch(`${hh.url}/metrics`)).text());
    expect(samples.filter((s) => s.name === 'pbx_conference_participants')).toEqual([]);
  });

  it('a parked call in space 71, parked by 1004, until it times out back to him', async () => {
    const frames = captureFrames('park_timeout_return');
    const cut = frameIndex(frames, 'Event: ParkedCallTimeOut');
    const hh = await live(frames.slice(0, cut));
    const parked = await eventually(async () => {
      const r = await getJson(`${hh.url}/api/v1/parked-calls`);
      return r.body.items?.length ? r.body.items : undefined;
    }, 'a parked call');
    expect(parked).toEqual([
      expect.objectContaining({
        pbx: 'rig',
        lot: 'default',
        slot: '71',
        party: { number: '+12125550163', name: 'Park Timeout Caller' },
        parker: expect.objectContaining({ number: '1004' }),
        channel: 'PJSIP/trunk-00000000',
      }),
    ]);
    // parked at the ParkedCall event, given back 10 s later (ParkingTimeout)
    const p = parked[0];
    expect(Date.parse(p.timeoutAt) - Date.parse(p.parkedAt)).toBe(10_000);
    expect(p.callId).toBe('rig-1796194053.0');
    const samples = parseMetrics(await (await fetch(`${hh.url}/metrics`)).text());
    expect(samples.find((s) => s.name === 'pbx_parked_calls' && s.labels.pbx === 'rig')?.value).toBe(1);
    // the scrape's clock is the wall clock: the capture's call has been parked since the capture was recorded
    const longest = samples.find((s) => s.name === 'pbx_parking_longest_wait_seconds' && s.labels.pbx === 'rig')!.value;
    expect(Math.abs(longest - (Date.now() - Date.parse(p.parkedAt)) / 1000)).toBeLessThan(30);
    const msg = await stream!.next((m) => m.event === 'parking' && JSON.parse(m.data!).calls.length === 1);
    expect(JSON.parse(msg.data!)).toMatchObject({ pbx: 'rig', calls: [{ slot: '71' }] });
  });

  it('the timeout empties the space', async () => {
    const hh = await live(captureFrames('park_timeout_return'));
    await stream!.next((m) => m.event === 'parking' && JSON.parse(m.data!).calls.length === 1);
    await stream!.next((m) => m.event === 'parking' && JSON.parse(m.data!).calls.length === 0);
    expect((await getJson(`${hh.url}/api/v1/parked-calls`)).body.items).toEqual([]);
    const samples = parseMetrics(await (await fetch(`${hh.url}/metrics`)).text());
    expect(samples.filter((s) => s.labels.pbx === 'rig' && /^pbx_park/.test(s.name)).map((s) => [s.name, s.value])).toEqual([
      ['pbx_parked_calls', 0],
      ['pbx_parking_longest_wait_seconds', 0],
    ]);
  });
});
