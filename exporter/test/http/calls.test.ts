import { getJson, startHarness, type Harness } from './harness';
import { inbound, MIN, outbound, T0 } from './fixtures';
import type { Call } from '../../src/domain';

let h: Harness;
const api = (path: string) => getJson(`${h.url}/api/v1${path}`);
const ids = (body: { items: { id: string }[] }) => body.items.map((c) => c.id);

function save(...calls: Call[]): void {
  for (const c of calls) h.store.saveCall(c);
  h.store.flush();
}

describe('GET /api/v1/calls', () => {
  let all: Call[];
  beforeAll(async () => {
    h = await startHarness();
    all = [
      inbound({ id: 'in-ans', at: T0 + 1 * MIN, ext: '1001', caller: '+12125550101' }),
      inbound({ id: 'in-missed', at: T0 + 2 * MIN, status: 'missed', caller: '+12125550199', ext: '1002' }),
      outbound({ id: 'out-ans', at: T0 + 3 * MIN, ext: '1002', callee: '+4930123456789' }),
      inbound({ id: 'in-queue', at: T0 + 4 * MIN, ext: '1003', queue: 'support', waitMs: 12_000 }),
      inbound({
        id: 'in-abandon',
        at: T0 + 5 * MIN,
        status: 'abandoned',
        queue: 'support',
        waitMs: 40_000,
        caller: '+12125550177',
        ext: '1001',
      }),
      {
        ...inbound({ id: 'internal', at: T0 + 6 * MIN, ext: '1004' }),
        direction: 'internal',
        from: { number: '1003', name: 'Carol' },
        to: { number: '1004' },
      },
      inbound({ id: 'other-pbx', at: T0 + 7 * MIN, pbx: 'pbx2' }),
      // the missed caller rang back and got through: in-missed is returned, in-abandon is not
      inbound({ id: 'callback', at: T0 + 8 * MIN, caller: '2125550199', ext: '1001' }),
    ];
    save(...all);
  });
  afterAll(() => h.close());

  it('lists newest first with ISO times and durations in seconds', async () => {
    const r = await api('/calls');
    expect(r.status).toBe(200);
    expect(ids(r.body)).toEqual([
      'callback',
      'other-pbx',
      'internal',
      'in-abandon',
      'in-queue',
      'out-ans',
      'in-missed',
      'in-ans',
    ]);
    const c = r.body.items.find((x: { id: string }) => x.id === 'in-queue');
    expect(c).toMatchObject({
      pbx: 'pbx1',
      direction: 'inbound',
      status: 'answered',
      open: false,
      startedAt: new Date(T0 + 4 * MIN).toISOString(),
      answeredAt: new Date(T0 + 4 * MIN + 5000).toISOString(),
      ringSeconds: 5,
      talkSeconds: 55,
      waitSeconds: 12,
      queue: 'support',
      answeredBy: { number: '1003', name: 'Agent 1003' },
      trulyMissed: false,
      returnedAt: null,
    });
    expect(r.body.nextCursor).toBeNull();
  });

  it('filters by time range (ISO or epoch ms, to exclusive), pbx, direction, status, queue', async () => {
    expect(ids((await api(`/calls?from=${T0 + 2 * MIN}&to=${T0 + 4 * MIN}`)).body)).toEqual(['out-ans', 'in-missed']);
    const iso = (
      await api(`/calls?from=${new Date(T0 + 2 * MIN).toISOString()}&to=${new Date(T0 + 4 * MIN).toISOString()}`)
    ).body;
    expect(ids(iso)).toEqual(['out-ans', 'in-missed']);
    expect(ids((await api('/calls?pbx=pbx2')).body)).toEqual(['other-pbx']);
    expect(ids((await api('/calls?direction=outbound')).body)).toEqual(['out-ans']);
    expect(ids((await api('/calls?status=abandoned')).body)).toEqual(['in-abandon']);
    expect(ids((await api('/calls?queue=support')).body)).toEqual(['in-abandon', 'in-queue']);
  });

  it('finds truly missed and unreturned calls', async () => {
    const missed = (await api('/calls?status=truly_missed')).body;
    expect(ids(missed)).toEqual(['in-abandon', 'in-missed']);
    expect(missed.items.every((c: { trulyMissed: boolean }) => c.trulyMissed)).toBe(true);
    expect(missed.items.find((c: { id: string }) => c.id === 'in-missed').returnedAt).toBe(
      new Date(T0 + 8 * MIN).toISOString(),
    );
    expect(ids((await api('/calls?status=unreturned')).body)).toEqual(['in-abandon']);
  });

  it('filters by extension on any leg', async () => {
    expect(ids((await api('/calls?extension=1001')).body)).toEqual(['callback', 'other-pbx', 'in-abandon', 'in-ans']);
    expect(ids((await api('/calls?extension=1001&pbx=pbx1')).body)).toEqual(['callback', 'in-abandon', 'in-ans']);
    expect(ids((await api('/calls?extension=1004')).body)).toEqual(['internal']);
    expect(ids((await api('/calls?extension=1002&direction=outbound')).body)).toEqual(['out-ans']);
  });

  it('searches numbers in any format and names with q', async () => {
    // 8+ digits: the external party's number, whatever the formatting
    expect(ids((await api(`/calls?q=${encodeURIComponent('(212) 555-0199')}`)).body)).toEqual([
      'callback',
      'in-missed',
    ]);
    expect(ids((await api('/calls?q=%2B4930123456789')).body)).toEqual(['out-ans']);
    // fewer digits: any number of the call contains them
    expect(ids((await api('/calls?q=0177')).body)).toEqual(['in-abandon']);
    expect(ids((await api('/calls?q=1004')).body)).toEqual(['internal']);
    // names, case-insensitive
    expect(ids((await api('/calls?q=agent%201003')).body)).toEqual(['in-queue']);
    expect(ids((await api('/calls?q=carol')).body)).toEqual(['internal']);
    // one or two characters still work (substring scan)
    expect(ids((await api('/calls?q=Ca&direction=internal')).body)).toEqual(['internal']);
    expect((await api('/calls?q=zzzz')).body.items).toEqual([]);
  });

  it('pages with page/pageSize and a total', async () => {
    const p1 = (await api('/calls?page=1&pageSize=3')).body;
    expect(p1).toMatchObject({ page: 1, pageSize: 3, total: 8 });
    expect(ids(p1)).toEqual(['callback', 'other-pbx', 'internal']);
    const p3 = (await api('/calls?page=3&pageSize=3')).body;
    expect(ids(p3)).toEqual(['in-missed', 'in-ans']);
    const filtered = (await api('/calls?page=2&pageSize=2&extension=1001')).body;
    expect(filtered).toMatchObject({ total: 4 });
    expect(ids(filtered)).toEqual(['in-abandon', 'in-ans']);
    expect((await api('/calls?page=9&pageSize=2')).body).toMatchObject({ items: [], total: 8 });
  });
});

describe('cursor paging', () => {
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  async function walk(query: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await api(`/calls?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...ids(r.body));
      cursor = r.body.nextCursor;
    } while (cursor);
    return seen;
  }

  it('visits every call once, newest first, also when calls share a start time', async () => {
    const calls = Array.from({ length: 23 }, (_, i) =>
      inbound({ id: `k${String(i).padStart(2, '0')}`, at: T0 + Math.floor(i / 3) * MIN }),
    );
    save(...calls);
    const seen = await walk('', 5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    const starts = seen.map((id) => calls.find((c) => c.id === id)!.startedAt);
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
  });

  it('stays stable while new calls arrive: no repeats, no skips', async () => {
    save(...Array.from({ length: 10 }, (_, i) => inbound({ id: `old${i}`, at: T0 + i * MIN })));
    const first = (await api('/calls?limit=4')).body;
    expect(ids(first)).toEqual(['old9', 'old8', 'old7', 'old6']);
    // newer calls land on top; the next page continues where the first ended
    save(inbound({ id: 'new1', at: T0 + 100 * MIN }), inbound({ id: 'new2', at: T0 + 101 * MIN }));
    const second = (await api(`/calls?limit=4&cursor=${first.nextCursor}`)).body;
    expect(ids(second)).toEqual(['old5', 'old4', 'old3', 'old2']);
  });

  it('pages the extension filter exactly, including legs that start long after their call', async () => {
    const calls: Call[] = [];
    for (let i = 0; i < 30; i++) {
      const c = inbound({ id: `e${String(i).padStart(2, '0')}`, at: T0 + i * MIN, ext: i % 2 ? '2001' : '2002' });
      if (i === 3) {
        // transferred to 2002 an hour into a long call: the leg starts far later than the call
        c.endedAt = c.startedAt + 2 * 3600_000;
        c.legs.push({
          id: 'late',
          party: { number: '2002' },
          role: 'extension',
          startedAt: c.startedAt + 3600_000,
          endedAt: c.endedAt,
        });
      }
      calls.push(c);
    }
    save(...calls);
    const expected = calls
      .filter((c) => c.legs.some((l) => l.party.number === '2002'))
      .map((c) => c.id)
      .reverse();
    expect(expected).toContain('e03');
    for (const limit of [1, 4, 7]) expect(await walk('&extension=2002', limit)).toEqual(expected);
  });

  it('finds an open call of the extension behind a cursor', async () => {
    save(...Array.from({ length: 5 }, (_, i) => inbound({ id: `d${i}`, at: T0 + i * MIN, ext: '3001' })));
    const open = inbound({ id: 'still-open', at: T0 - 10 * MIN, ext: '3001', open: true, status: 'active' });
    delete open.endedAt;
    open.legs.push({ id: 'new', party: { number: '3001' }, role: 'extension', startedAt: T0 + 50 * MIN });
    save(open);
    expect(await walk('&extension=3001', 2)).toEqual(['d4', 'd3', 'd2', 'd1', 'd0', 'still-open']);
  });

  it('rejects a cursor it did not make, and cursor with page', async () => {
    const bad = await api('/calls?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 400, parameter: 'cursor' });
    const both = await api('/calls?cursor=MTox&page=2');
    expect(both.status).toBe(400);
    expect(both.body.parameter).toBe('cursor');
  });
});

describe('GET /api/v1/calls/active and /calls/{id}', () => {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists calls in progress from live state, newest first', async () => {
    const a = { ...inbound({ id: 'live-a', at: T0 }), open: true };
    const b = { ...outbound({ id: 'live-b', at: T0 + MIN }), open: true, pbx: 'pbx2' };
    h.hub.emit('call', a);
    h.hub.emit('call', b);
    expect(ids((await api('/calls/active')).body)).toEqual(['live-b', 'live-a']);
    expect(ids((await api('/calls/active?pbx=pbx1')).body)).toEqual(['live-a']);
    h.hub.emit('callEnded', { ...a, open: false });
    expect(ids((await api('/calls/active')).body)).toEqual(['live-b']);
  });

  it('returns one call with legs, transfers and hold intervals', async () => {
    const c = inbound({ id: 'detail', at: T0, ext: '1001' });
    c.transfers = [
      {
        kind: 'blind',
        at: T0 + 30_000,
        by: { number: '1001' },
        from: { number: '+12125550101' },
        to: { number: '1005' },
      },
    ];
    c.holds = [{ party: { number: '1001' }, start: T0 + 10_000, end: T0 + 20_000 }];
    c.holdMs = 10_000;
    c.legs[1].channel = 'PJSIP/1001-00000001';
    save(c);
    const r = await api('/calls/detail');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: 'detail',
      holdSeconds: 10,
      legs: [
        { party: { number: '+12125550101' }, role: 'trunk', answeredAt: null },
        {
          party: { number: '1001', name: 'Agent 1001' },
          role: 'extension',
          channel: 'PJSIP/1001-00000001',
          outcome: 'answered',
        },
      ],
      transfers: [
        {
          kind: 'blind',
          at: new Date(T0 + 30_000).toISOString(),
          by: { number: '1001', name: null },
          to: { number: '1005' },
        },
      ],
      holds: [
        {
          party: { number: '1001' },
          startedAt: new Date(T0 + 10_000).toISOString(),
          endedAt: new Date(T0 + 20_000).toISOString(),
        },
      ],
    });
  });

  it('prefers the live version of a call in progress', async () => {
    const c = { ...inbound({ id: 'both', at: T0 }), open: true, status: 'active' as const };
    save(c);
    h.hub.emit('call', { ...c, talkMs: 99_000 });
    expect((await api('/calls/both')).body).toMatchObject({ open: true, talkSeconds: 99 });
  });

  it('matches a final status on finished calls only and an open status on calls in progress only', async () => {
    const ringing = { ...inbound({ id: 'f-ringing', at: T0 + 60 * MIN, status: 'ringing' }), open: true };
    delete ringing.endedAt;
    // a row an earlier version wrote while the call was open, with the status it would have had if it ended then
    const legacy = { ...inbound({ id: 'f-legacy', at: T0 + 61 * MIN, status: 'missed' }), open: true };
    delete legacy.endedAt;
    const missed = inbound({ id: 'f-missed', at: T0 + 62 * MIN, status: 'missed' });
    save(ringing, legacy, missed);
    h.hub.emit('call', ringing);
    const window = `&from=${T0 + 60 * MIN}`;
    expect(ids((await api(`/calls?status=missed${window}`)).body)).toEqual(['f-missed']);
    expect(ids((await api(`/calls?status=truly_missed${window}`)).body)).toEqual(['f-missed']);
    expect(ids((await api(`/calls?status=ringing${window}`)).body)).toEqual(['f-ringing']);
    const active = (await api('/calls/active')).body.items.find((c: { id: string }) => c.id === 'f-ringing');
    expect(active).toMatchObject({ open: true, status: 'ringing', trulyMissed: false, endedAt: null });
  });

  it('answers 404 as a problem for an unknown id', async () => {
    const r = await api('/calls/nope');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 404, title: 'Not Found', parameter: 'id' });
  });
});
