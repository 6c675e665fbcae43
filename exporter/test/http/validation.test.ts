import { getJson, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** [path with query, the parameter the 400 must name] */
const BAD: [string, string][] = [
  // /calls
  ['/calls?from=yesterday', 'from'],
  ['/calls?from=2026-13-45T99:00:00Z', 'from'],
  ['/calls?from=99999999999999999', 'from'],
  ['/calls?to=soon', 'to'],
  ['/calls?from=2026-11-23T10:00:00Z&to=2026-11-23T09:00:00Z', 'to'],
  ['/calls?pbx=', 'pbx'],
  ['/calls?extension=', 'extension'],
  ['/calls?direction=sideways', 'direction'],
  ['/calls?status=lost', 'status'],
  ['/calls?queue=', 'queue'],
  [`/calls?q=${'x'.repeat(101)}`, 'q'],
  ['/calls?cursor=%%%', 'cursor'],
  ['/calls?cursor=bm90IGEgY3Vyc29y', 'cursor'],
  ['/calls?limit=0', 'limit'],
  ['/calls?limit=501', 'limit'],
  ['/calls?limit=ten', 'limit'],
  ['/calls?limit=1&limit=2', 'limit'],
  ['/calls?limit=1.5', 'limit'],
  ['/calls?page=0', 'page'],
  ['/calls?page=x', 'page'],
  ['/calls?pageSize=0', 'pageSize'],
  ['/calls?pageSize=501', 'pageSize'],
  ['/calls?stauts=missed', 'stauts'],
  // /calls/active, /calls/{id}
  ['/calls/active?pbx=', 'pbx'],
  ['/calls/active?limit=5', 'limit'],
  [`/calls/${'x'.repeat(300)}`, 'id'],
  // live snapshots
  ['/extensions?pbx=', 'pbx'],
  ['/extensions?state=idle', 'state'],
  ['/queues?pbx=', 'pbx'],
  ['/queues?queue=support', 'queue'],
  ['/trunks?pbx=', 'pbx'],
  ['/trunks?x=1', 'x'],
  // history
  ['/extensions/1001/history?from=monday', 'from'],
  ['/extensions/1001/history?to=later', 'to'],
  ['/extensions/1001/history?pbx=', 'pbx'],
  ['/extensions/1001/history?limit=0', 'limit'],
  ['/extensions/1001/history?limit=10001', 'limit'],
  [`/extensions/${'9'.repeat(200)}/history`, 'ext'],
  ['/gaps?from=now', 'from'],
  ['/gaps?to=then', 'to'],
  ['/gaps?from=2000&to=1000', 'to'],
  ['/gaps?pbx=', 'pbx'],
  ['/gaps?kind=source', 'kind'],
  // stats
  ['/stats?from=last-week', 'from'],
  ['/stats?to=next-week', 'to'],
  ['/stats?pbx=', 'pbx'],
  ['/stats?groupBy=agent', 'groupBy'],
  ['/stats?interval=fortnight', 'interval'],
  ['/stats?interval=0', 'interval'],
  ['/stats?interval=500ms', 'interval'],
  ['/stats?from=0&to=86400000&interval=1', 'interval'],
  ['/stats?slThreshold=-1', 'slThreshold'],
  ['/stats?slThreshold=3601', 'slThreshold'],
  ['/stats?slThreshold=soon', 'slThreshold'],
  ['/stats?from=2026-11-23&to=2026-11-22', 'to'],
  ['/stats?fill=maybe', 'fill'],
  // version, stream
  ['/version?verbose=1', 'verbose'],
  ['/stream?topics=weather', 'topics'],
  ['/stream?topics=,', 'topics'],
  ['/stream?since=5', 'since'],
];

describe('bad input answers 400 naming the parameter', () => {
  it.each(BAD)('%s → 400 for %s', async (path, parameter) => {
    const r = await getJson(`${h.url}/api/v1${path}`);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400, parameter });
    expect(r.body.detail).toMatch(new RegExp(`^${parameter}: `));
  });
});

describe('no input makes the server fail', () => {
  const garbage = [
    '%00',
    '%FF%FE',
    "'; DROP TABLE calls; --",
    '"',
    '\\',
    '*',
    'NaN',
    '-1',
    '1e400',
    '%E2%80%AE',
    '{}',
    '[]',
    ' ',
  ];
  const params = [
    'from',
    'to',
    'pbx',
    'extension',
    'direction',
    'status',
    'queue',
    'q',
    'cursor',
    'limit',
    'page',
    'pageSize',
  ];
  it('answers 200 or 400, never 5xx, for odd values of every /calls parameter', async () => {
    for (const p of params) {
      for (const g of garbage) {
        const r = await getJson(`${h.url}/api/v1/calls?${p}=${g}`);
        expect([p, g, r.status]).toEqual([p, g, expect.any(Number)]);
        expect(r.status === 200 || r.status === 400).toBe(true);
        if (r.status === 400) expect(r.body.parameter).toBe(p);
      }
    }
  });

  it('answers odd values on the other routes with 200/400/404', async () => {
    const paths = [
      '/stats?groupBy=',
      '/stats?interval=%00',
      '/extensions/%00/history',
      '/calls/%27',
      '/gaps?from=%FF',
      '/stream?topics=%00',
    ];
    for (const p of paths) {
      const r = await fetch(`${h.url}/api/v1${p}`);
      expect([p, [200, 400, 404].includes(r.status)]).toEqual([p, true]);
      await r.body?.cancel();
    }
  });

  it('answers unknown routes and methods with problem objects', async () => {
    const r = await getJson(`${h.url}/api/v1/nothing-here`);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 404, title: 'Not Found' });
    const post = await fetch(`${h.url}/api/v1/calls`, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ status: 404 });
  });
});
