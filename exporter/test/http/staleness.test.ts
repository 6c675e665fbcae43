import type { ConferenceState, ParkingState } from '../../src/domain';
import { startHarness, type Harness } from './harness';
import { extension, queue, sourceStatus, T0, trunk } from './fixtures';
import { openStream, type SseStream } from './sse-client';

/**
 * Staleness on the HTTP face: the API fields on extensions, queues, trunks, conference rooms and parked calls, the source's `since`, the SSE deltas
 * that carry it, and the freshness gauges. The hub events are the ones the source runtime publishes at a disconnect
 * (test/sources/runtime.test.ts checks that it does).
 */
const room = (over: Partial<ConferenceState> = {}): ConferenceState => ({
  pbx: 'pbx1',
  room: '800',
  startedAt: T0,
  participants: [{ leg: 'l1', party: { number: '1001' }, extension: '1001', joinedAt: T0, admin: false, muted: false }],
  updatedAt: T0,
  ...over,
});
const lot = (over: Partial<ParkingState> = {}): ParkingState => ({
  pbx: 'pbx1',
  calls: [{ lot: 'default', slot: '71', leg: 'l9', party: { number: '+4930123' }, parkedAt: T0 }],
  updatedAt: T0,
  ...over,
});

describe('stale live state', () => {
  let h: Harness;
  const streams: SseStream[] = [];
  beforeEach(async () => {
    h = await startHarness({
      config: { sources: [{ name: 'pbx1', kind: 'ami', host: '127.0.0.1', username: 'u', secret: 's' }] },
    });
    h.hub.emit('source', sourceStatus({ since: T0 }));
    h.hub.emit('extension', extension({ extension: '1001', state: 'in_call' }));
    h.hub.emit('queue', queue());
    h.hub.emit('trunk', trunk());
    h.hub.emit('conference', room());
    h.hub.emit('parking', lot());
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await h.close();
  });

  const api = async (path: string) =>
    (await (await fetch(`${h.url}/api/v1${path}`)).json()) as { items: Record<string, unknown>[] };
  const gauges = async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}\\{pbx="pbx1"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    return { stale: value('pbx_live_state_stale'), since: value('pbx_live_state_stale_since_timestamp_seconds') };
  };
  const goDown = (at: number) => {
    h.hub.emit('source', sourceStatus({ connected: false, reason: 'connection reset', since: at, staleSince: at }));
    h.hub.emit('extension', extension({ extension: '1001', state: 'in_call', staleSince: at }));
    h.hub.emit('queue', queue({ staleSince: at }));
    h.hub.emit('trunk', trunk({ staleSince: at }));
    h.hub.emit('conference', room({ staleSince: at }));
    h.hub.emit('parking', lot({ staleSince: at }));
  };
  const PATHS = ['/extensions', '/queues', '/trunks', '/conferences', '/parked-calls'];

  it('is fresh while the source is up: stale false, staleSince null, gauge 0', async () => {
    for (const path of PATHS) {
      expect((await api(path)).items[0]).toMatchObject({ stale: false, staleSince: null });
    }
    expect(await gauges()).toEqual({ stale: 0, since: 0 });
  });

  it('says stale since the disconnect on every item, in the API, the stream and the gauges', async () => {
    const s = await openStream(`${h.url}/api/v1/stream`);
    streams.push(s);
    await s.next((m) => m.event === 'snapshot');
    const down = T0 + 60_000;
    goDown(down);
    await s.next((m) => m.event === 'parking');
    const deltas = s.messages.filter((m) => m.event && m.event !== 'snapshot');
    expect(deltas.map((m) => m.event)).toEqual(['source', 'extension', 'queue', 'trunk', 'conference', 'parking']);
    const since = new Date(down).toISOString();
    expect(JSON.parse(deltas[0].data!)).toMatchObject({ connected: false, since });
    for (const d of deltas.slice(1)) expect(JSON.parse(d.data!)).toMatchObject({ stale: true, staleSince: since });
    // the last known values are kept
    expect(JSON.parse(deltas[1].data!)).toMatchObject({ extension: '1001', state: 'in_call' });
    expect(JSON.parse(deltas[4].data!)).toMatchObject({ room: '800', participants: [{ extension: '1001' }] });
    expect(JSON.parse(deltas[5].data!)).toMatchObject({ calls: [{ slot: '71', stale: true, staleSince: since }] });

    for (const path of PATHS) {
      expect((await api(path)).items[0]).toMatchObject({ stale: true, staleSince: since });
    }
    expect(await gauges()).toEqual({ stale: 1, since: down / 1000 });
    // a new client's snapshot says it too
    const late = await openStream(`${h.url}/api/v1/stream`);
    streams.push(late);
    const snap = JSON.parse((await late.next((m) => m.event === 'snapshot')).data!);
    expect(snap.extensions[0]).toMatchObject({ stale: true, staleSince: since });
    expect(snap.conferences[0]).toMatchObject({ stale: true, staleSince: since });
    expect(snap.parking[0]).toMatchObject({ stale: true, staleSince: since, calls: [{ stale: true }] });
    expect(snap.sources[0]).toMatchObject({ connected: false, since });

    // back and resynced: fresh again
    h.hub.emit('source', sourceStatus({ since: down + 30_000 }));
    h.hub.emit('extension', extension({ extension: '1001', state: 'idle' }));
    expect((await api('/extensions')).items[0]).toMatchObject({ state: 'idle', stale: false, staleSince: null });
    h.hub.emit('conference', room());
    h.hub.emit('parking', lot());
    expect((await api('/conferences')).items[0]).toMatchObject({ stale: false, staleSince: null });
    expect((await api('/parked-calls')).items[0]).toMatchObject({ stale: false, staleSince: null });
    expect(await gauges()).toEqual({ stale: 0, since: 0 });
  });

  it('has no freshness series for a history-only source', async () => {
    h.hub.emit('source', sourceStatus({ live: false, kind: '3cx' }));
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).not.toMatch(/^pbx_live_state_stale\{pbx="pbx1"\}/m);
  });
});
