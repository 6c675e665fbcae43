import { getJson, startHarness, type Harness } from './harness';
import { extension, inbound, MIN, outbound, queue, T0, trunk } from './fixtures';
import type { Call } from '../../src/domain';

let h: Harness;
const api = (path: string) => getJson(`${h.url}/api/v1${path}`);
const NOW = T0 + 10 * MIN;

describe('live snapshots', () => {
  beforeAll(async () => {
    h = await startHarness({ now: () => NOW });
    h.hub.emit('extension', extension({ extension: '1010', name: undefined }));
    h.hub.emit(
      'extension',
      extension({
        extension: '1002',
        state: 'in_call',
        callId: 'c-9',
        counterpart: { number: '+4930123' },
        callStartedAt: T0,
        voicemail: { new: 2, old: 5 },
        rttMs: 12.5,
      }),
    );
    h.hub.emit(
      'extension',
      extension({ extension: '1001', queues: [{ queue: 'support', paused: true, pausedReason: 'lunch' }] }),
    );
    h.hub.emit('extension', extension({ pbx: 'pbx2', extension: '1001' }));
    h.hub.emit(
      'queue',
      queue({
        callers: [
          { callId: 'q1', party: { number: '+15550001', name: 'First' }, joinedAt: NOW - 90_000, position: 1 },
          { party: { number: '+15550002' }, joinedAt: NOW - 30_000, position: 2 },
        ],
      }),
    );
    h.hub.emit('queue', queue({ pbx: 'pbx2', queue: 'sales', members: [], strategy: undefined }));
    h.hub.emit('trunk', trunk());
    h.hub.emit(
      'trunk',
      trunk({ trunk: 'carrier-b', registered: false, status: 'Unreachable', rttMs: undefined, activeCalls: 0 }),
    );
  });
  afterAll(() => h.close());

  it('lists extensions in natural order with API field names', async () => {
    const r = await api('/extensions');
    expect(r.status).toBe(200);
    expect(r.body.items.map((e: { pbx: string; extension: string }) => `${e.pbx}/${e.extension}`)).toEqual([
      'pbx1/1001',
      'pbx1/1002',
      'pbx1/1010',
      'pbx2/1001',
    ]);
    expect(r.body.items[1]).toEqual({
      pbx: 'pbx1',
      extension: '1002',
      name: 'Alice Anders',
      registered: true,
      state: 'in_call',
      dnd: false,
      rttSeconds: 0.0125,
      callId: 'c-9',
      counterpart: { number: '+4930123', name: null },
      // no address book: what the number itself says
      counterpartContact: expect.objectContaining({ match: 'place', country: 'DE', name: null }),
      callStartedAt: new Date(T0).toISOString(),
      idleSince: null,
      queues: [{ queue: 'support', paused: false, pausedReason: null }],
      voicemailNew: 2,
      voicemailOld: 5,
      conference: null,
      userStatus: null,
      userStatusMessage: null,
      userStatusSince: null,
      updatedAt: new Date(T0).toISOString(),
      stale: false,
      staleSince: null,
    });
    expect(r.body.items[0].queues).toEqual([{ queue: 'support', paused: true, pausedReason: 'lunch' }]);
    expect(r.body.items[2]).toMatchObject({ name: null, voicemailNew: null, rttSeconds: null, counterpart: null });
    expect((await api('/extensions?pbx=pbx2')).body.items).toHaveLength(1);
  });

  it('lists queues with caller and member figures', async () => {
    const r = await api('/queues');
    expect(r.body.items).toHaveLength(2);
    expect(r.body.items[0]).toMatchObject({
      pbx: 'pbx1',
      queue: 'support',
      strategy: 'ringall',
      callers: 2,
      longestWaitSeconds: 90,
      oldestCallerSince: new Date(NOW - 90_000).toISOString(),
      membersLoggedIn: 3,
      membersAvailable: 1,
      membersPaused: 1,
      membersInCall: 1,
      waiting: [
        { callId: 'q1', party: { number: '+15550001', name: 'First' }, position: 1, waitSeconds: 90 },
        { callId: null, party: { number: '+15550002', name: null }, position: 2, waitSeconds: 30 },
      ],
    });
    expect(r.body.items[0].members[2]).toEqual({
      interface: 'PJSIP/1003',
      extension: '1003',
      name: 'Carol',
      state: 'available',
      paused: true,
      pausedReason: 'lunch',
      inCall: false,
    });
    expect(r.body.items[1]).toMatchObject({
      queue: 'sales',
      strategy: null,
      callers: 0,
      longestWaitSeconds: 0,
      oldestCallerSince: null,
      membersLoggedIn: 0,
    });
  });

  it('lists trunks', async () => {
    const r = await api('/trunks');
    expect(r.body.items).toEqual([
      {
        pbx: 'pbx1',
        trunk: 'carrier-a',
        registered: true,
        status: 'Reachable',
        rttSeconds: 0.023,
        activeCalls: 2,
        updatedAt: new Date(T0).toISOString(),
        stale: false,
        staleSince: null,
      },
      {
        pbx: 'pbx1',
        trunk: 'carrier-b',
        registered: false,
        status: 'Unreachable',
        rttSeconds: null,
        activeCalls: 0,
        updatedAt: new Date(T0).toISOString(),
        stale: false,
        staleSince: null,
      },
    ]);
  });
});

describe('history', () => {
  beforeAll(async () => {
    h = await startHarness();
    const states = ['idle', 'ringing', 'in_call', 'idle', 'unavailable'] as const;
    states.forEach((state, i) => {
      h.store.saveExtension(
        extension({ extension: '1001', state, registered: state !== 'unavailable', updatedAt: T0 + i * MIN }),
      );
      h.store.flush();
    });
    h.store.saveExtension(extension({ pbx: 'pbx2', extension: '1001', state: 'dnd', updatedAt: T0 + 2.5 * MIN }));
    h.store.saveGap({
      pbx: 'pbx1',
      kind: 'source',
      reason: 'connection refused',
      startedAt: T0,
      endedAt: T0 + 2 * MIN,
    });
    h.store.saveGap({
      pbx: null,
      kind: 'exporter',
      reason: 'exporter crashed or was killed',
      startedAt: T0 + 5 * MIN,
      endedAt: T0 + 6 * MIN,
    });
    h.store.saveGap({ pbx: 'pbx2', kind: 'source', reason: 'login failed', startedAt: T0 + 8 * MIN });
    h.store.flush();
  });
  afterAll(() => h.close());

  it("gives an extension's state timeline, oldest first", async () => {
    const r = await api('/extensions/1001/history?pbx=pbx1');
    expect(r.body.items.map((i: { state: string }) => i.state)).toEqual([
      'idle',
      'ringing',
      'in_call',
      'idle',
      'unavailable',
    ]);
    expect(r.body.items[4]).toEqual({
      pbx: 'pbx1',
      at: new Date(T0 + 4 * MIN).toISOString(),
      state: 'unavailable',
      registered: false,
    });
  });

  it('starts a range with the state in force at `from`', async () => {
    const r = await api(`/extensions/1001/history?pbx=pbx1&from=${T0 + 2.5 * MIN}&to=${T0 + 4 * MIN}`);
    expect(r.body.items.map((i: { state: string; at: string }) => [i.state, i.at])).toEqual([
      ['in_call', new Date(T0 + 2 * MIN).toISOString()],
      ['idle', new Date(T0 + 3 * MIN).toISOString()],
    ]);
  });

  it('covers every PBX holding the extension number unless pbx is given, and honours limit', async () => {
    const r = await api('/extensions/1001/history');
    expect(r.body.items.map((i: { pbx: string; state: string }) => `${i.pbx}:${i.state}`)).toEqual([
      'pbx1:idle',
      'pbx1:ringing',
      'pbx1:in_call',
      'pbx2:dnd',
      'pbx1:idle',
      'pbx1:unavailable',
    ]);
    expect((await api('/extensions/1001/history?limit=2')).body.items).toHaveLength(2);
    expect((await api('/extensions/9999/history')).body.items).toEqual([]);
  });

  it("lists gaps overlapping the range; the exporter's own gaps belong to every PBX", async () => {
    const all = (await api('/gaps')).body.items;
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual({
      id: expect.any(Number),
      pbx: 'pbx1',
      kind: 'source',
      reason: 'connection refused',
      startedAt: new Date(T0).toISOString(),
      endedAt: new Date(T0 + 2 * MIN).toISOString(),
    });
    expect(all[2]).toMatchObject({ pbx: 'pbx2', endedAt: null });
    const r = await api(`/gaps?from=${T0 + 3 * MIN}&to=${T0 + 20 * MIN}&pbx=pbx2`);
    expect(r.body.items.map((g: { reason: string }) => g.reason)).toEqual([
      'exporter crashed or was killed',
      'login failed',
    ]);
    const early = await api(`/gaps?from=${T0 + MIN}&to=${T0 + 3 * MIN}`);
    expect(early.body.items.map((g: { pbx: string }) => g.pbx)).toEqual(['pbx1']);
  });
});

describe('GET /api/v1/stats', () => {
  const H = 3600_000;
  beforeAll(async () => {
    h = await startHarness({ now: () => T0 + 3 * H });
    const calls: Call[] = [
      // hour 0: support queue — answered after 10 s and 25 s, abandoned after 40 s
      inbound({ at: T0, queue: 'support', waitMs: 10_000, ext: '1001', talkMs: 60_000 }),
      inbound({ at: T0 + 10 * MIN, queue: 'support', waitMs: 25_000, ext: '1002', talkMs: 120_000 }),
      inbound({ at: T0 + 20 * MIN, queue: 'support', waitMs: 40_000, status: 'abandoned' }),
      // hour 1: one direct call answered after 5 s ring, one missed, one outbound
      inbound({ at: T0 + H + MIN, ext: '1001', talkMs: 30_000 }),
      inbound({ at: T0 + H + 2 * MIN, status: 'missed', ext: '1002' }),
      outbound({ at: T0 + H + 3 * MIN, ext: '1003' }),
    ];
    for (const c of calls) h.store.saveCall(c);
    // still open: not counted until it ends
    h.store.saveCall({ ...inbound({ at: T0 + 5 * MIN, queue: 'support' }), open: true });
    h.store.flush();
  });
  afterAll(() => h.close());

  const range = `from=${T0}&to=${T0 + 2 * H}`;

  it('totals one bucket over the range without groupBy or interval', async () => {
    const r = await api(`/stats?${range}`);
    expect(r.body.items).toEqual([
      {
        bucket: new Date(T0).toISOString(),
        key: 'all',
        offered: 6,
        answered: 4,
        missed: 2,
        abandoned: 1,
        talkSecondsTotal: 60 + 120 + 30 + 92,
        talkSecondsAvg: (60 + 120 + 30 + 92) / 4,
        // waits: 10, 25 (queue), 5 (ring to answer), 8 (outbound ring)
        asaSeconds: (10 + 25 + 5 + 8) / 4,
        // within the default 20 s: 10, 5 and 8 — not 25
        serviceLevel: 3 / 6,
        abandonRate: 1 / 6,
      },
    ]);
  });

  it('groups by queue per hour with service level at a threshold', async () => {
    const r = await api(`/stats?${range}&groupBy=queue&interval=1h&slThreshold=20`);
    expect(r.body.items).toEqual([
      expect.objectContaining({
        bucket: new Date(T0).toISOString(),
        key: 'support',
        offered: 3,
        answered: 2,
        abandoned: 1,
        missed: 1,
        asaSeconds: 17.5,
        serviceLevel: 1 / 3,
        abandonRate: 1 / 3,
      }),
      // an empty bucket still appears, with null ratios
      expect.objectContaining({
        bucket: new Date(T0 + H).toISOString(),
        key: 'support',
        offered: 0,
        serviceLevel: null,
        asaSeconds: null,
        talkSecondsAvg: null,
      }),
    ]);
    const loose = await api(`/stats?${range}&groupBy=queue&interval=3600&slThreshold=30`);
    expect(loose.body.items[0].serviceLevel).toBeCloseTo(2 / 3);
  });

  it('groups by direction and by status', async () => {
    const byDir = (await api(`/stats?${range}&groupBy=direction`)).body.items;
    expect(byDir.map((i: { key: string; offered: number }) => [i.key, i.offered])).toEqual([
      ['inbound', 5],
      ['outbound', 1],
    ]);
    const byStatus = (await api(`/stats?${range}&groupBy=status&interval=1h`)).body.items;
    const cell = (b: number, k: string) =>
      byStatus.find(
        (i: { bucket: string; key: string }) => i.bucket === new Date(T0 + b * H).toISOString() && i.key === k,
      );
    expect(cell(0, 'answered').offered).toBe(2);
    expect(cell(0, 'abandoned').offered).toBe(1);
    expect(cell(1, 'missed').offered).toBe(1);
    expect(cell(1, 'abandoned').offered).toBe(0);
  });

  it('groups by extension: calls that rang there, answered or not by it', async () => {
    const items = (await api(`/stats?${range}&groupBy=extension`)).body.items;
    const by = Object.fromEntries(items.map((i: { key: string }) => [i.key, i]));
    expect(Object.keys(by).sort()).toEqual(['1001', '1002']);
    expect(by['1001']).toMatchObject({ offered: 3, answered: 2, missed: 1, talkSecondsTotal: 90 });
    expect(by['1002']).toMatchObject({ offered: 2, answered: 1, missed: 1, talkSecondsTotal: 120 });
  });

  it('lists only buckets with calls when fill=false, and refuses a filled matrix that is too large', async () => {
    const sparse = (await api(`/stats?${range}&groupBy=queue&interval=1h&fill=false`)).body.items;
    expect(sparse.map((i: { bucket: string; key: string }) => [i.bucket, i.key])).toEqual([
      [new Date(T0).toISOString(), 'support'],
    ]);
    // more buckets than 10,000 is refused outright
    const huge = await api(`/stats?from=${T0 - 365 * 24 * H}&to=${T0 + 2 * H}&groupBy=extension&interval=5m`);
    expect(huge.status).toBe(400);
    expect(huge.body.parameter).toBe('interval');
  });

  it('refuses a filled matrix over 50,000 items, naming fill', async () => {
    const wide = await startHarness();
    try {
      for (let i = 0; i < 6; i++) wide.store.saveCall(inbound({ at: T0 + i * MIN, ext: String(3000 + i) }));
      wide.store.flush();
      // 6 extensions × 9,000 buckets of 1 minute
      const q = `from=${T0 - 8990 * MIN}&to=${T0 + 10 * MIN}&groupBy=extension&interval=1m`;
      const r = await getJson(`${wide.url}/api/v1/stats?${q}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ parameter: 'fill' });
      expect(r.body.detail).toMatch(/6 keys × 9000 buckets/);
      const sparse = await getJson(`${wide.url}/api/v1/stats?${q}&fill=false`);
      expect(sparse.status).toBe(200);
      expect(sparse.body.items).toHaveLength(6);
    } finally {
      await wide.close();
    }
  });

  it('aligns buckets to UTC and defaults to the last 24 hours', async () => {
    const r = await api(`/stats?from=${T0 + 30 * MIN}&to=${T0 + 2 * H}&interval=1h`);
    expect(r.body.items.map((i: { bucket: string; offered: number }) => [i.bucket, i.offered])).toEqual([
      [new Date(T0).toISOString(), 0],
      [new Date(T0 + H).toISOString(), 3],
    ]);
    // "now" is T0 + 3 h here
    expect((await api('/stats')).body.items).toEqual([
      expect.objectContaining({ bucket: new Date(T0 + 3 * H - 24 * H).toISOString(), key: 'all', offered: 6 }),
    ]);
    expect((await api(`/stats?to=${T0}`)).body.items).toEqual([
      expect.objectContaining({ key: 'all', offered: 0, serviceLevel: null }),
    ]);
    expect((await api(`/stats?to=${T0}&groupBy=queue`)).body.items).toEqual([]);
  });
});

describe('version, docs and health', () => {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('reports versions', async () => {
    const r = await api('/version');
    expect(r.body).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      node: process.version,
      schemaVersion: expect.any(Number),
      // the harness serves no sources; /api/v1/version lists each with its kind and capabilities
      sources: [],
    });
    expect(r.body.schemaVersion).toBe(h.store.db.pragma('user_version', { simple: true }));
  });

  it('serves health, readiness with reasons, and a landing page', async () => {
    expect((await getJson(`${h.url}/healthz`)).body).toEqual({ status: 'ok' });
    expect((await getJson(`${h.url}/readyz`)).status).toBe(200);
    h.readiness.value = { ready: false, reasons: [{ component: 'source:pbx1', reason: 'connection refused' }] };
    const r = await getJson(`${h.url}/readyz`);
    expect(r.status).toBe(503);
    expect(r.body).toEqual({
      status: 'not ready',
      reasons: [{ component: 'source:pbx1', reason: 'connection refused' }],
    });
    const landing = await fetch(`${h.url}/`);
    expect(landing.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await landing.text();
    for (const link of ['/metrics', '/docs', '/openapi.json', '/healthz', '/readyz'])
      expect(html).toContain(`href="${link}"`);
  });
});
