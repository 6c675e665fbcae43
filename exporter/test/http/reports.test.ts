import { parse } from 'csv-parse/sync';
import { offsetAt } from '../../src/domain/time-zone';
import { calendarBuckets, pieces, wallToInstant, WEEK_PHASE } from '../../src/http/calendar';
import { getJson, startHarness, type Harness } from './harness';
import { inbound, outbound } from './fixtures';

const at = (s: string) => Date.parse(s);
const DAY = 86_400_000;

describe('calendar in a time zone', () => {
  it('knows the offset on either side of a DST change', () => {
    expect(offsetAt('Europe/Berlin', at('2026-03-29T00:59:59Z'))).toBe(3_600_000);
    expect(offsetAt('Europe/Berlin', at('2026-03-29T01:00:00Z'))).toBe(7_200_000);
    expect(offsetAt('America/New_York', at('2026-07-01T12:00:00Z'))).toBe(-4 * 3_600_000);
    expect(offsetAt('Asia/Kathmandu', at('2026-07-01T12:00:00Z'))).toBe(5.75 * 3_600_000);
  });

  it('cuts a range where the offset changes, to the millisecond', () => {
    expect(pieces('Europe/Berlin', at('2026-10-24T00:00:00Z'), at('2026-10-27T00:00:00Z'))).toEqual([
      { from: at('2026-10-24T00:00:00Z'), to: at('2026-10-25T01:00:00Z'), offset: 7_200_000 },
      { from: at('2026-10-25T01:00:00Z'), to: at('2026-10-27T00:00:00Z'), offset: 3_600_000 },
    ]);
    expect(pieces('UTC', 0, DAY)).toEqual([{ from: 0, to: DAY, offset: 0 }]);
  });

  it('finds the instant of local midnight, also where DST skips midnight (Santiago, September)', () => {
    expect(wallToInstant('Europe/Berlin', at('2026-03-29T00:00:00Z'))).toBe(at('2026-03-28T23:00:00Z'));
    expect(wallToInstant('Europe/Berlin', at('2026-03-30T00:00:00Z'))).toBe(at('2026-03-29T22:00:00Z'));
    expect(wallToInstant('America/Santiago', at('2026-09-06T00:00:00Z'))).toBe(at('2026-09-06T04:00:00Z'));
  });

  it('lists local days and Monday weeks', () => {
    const days = calendarBuckets(
      'Europe/Berlin',
      { widthMs: DAY, phaseMs: 0 },
      at('2026-10-24T12:00:00Z'),
      at('2026-10-26T12:00:00Z'),
      100,
    );
    expect(days.map((d) => new Date(d).toISOString())).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
    const weeks = calendarBuckets(
      'Europe/Berlin',
      { widthMs: 7 * DAY, phaseMs: WEEK_PHASE },
      at('2026-03-25T12:00:00Z'),
      at('2026-04-01T12:00:00Z'),
      100,
    );
    // Monday 23 March 00:00 CET, Monday 30 March 00:00 CEST
    expect(weeks.map((d) => new Date(d).toISOString())).toEqual([
      '2026-03-22T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
  });
});

describe('stats and the agent report in a time zone', () => {
  let h: Harness;
  const api = (path: string) => getJson(`${h.url}/api/v1${path}`);
  const counts = (body: { items: { bucket: string; offered: number }[] }) =>
    body.items.map((i) => [i.bucket, i.offered]);

  beforeAll(async () => {
    h = await startHarness({ now: () => at('2026-11-01T00:00:00Z') });
    const calls = [
      // spring forward, Berlin 29 March 2026 (02:00 CET → 03:00 CEST): the local day is 23 hours long
      inbound({ id: 's1', at: at('2026-03-28T22:30:00Z') }), // 23:30 CET on the 28th
      inbound({ id: 's2', at: at('2026-03-28T23:30:00Z') }), // 00:30 CET on the 29th
      inbound({ id: 's3', at: at('2026-03-29T21:30:00Z') }), // 23:30 CEST on the 29th
      inbound({ id: 's4', at: at('2026-03-29T22:30:00Z') }), // 00:30 CEST on the 30th
      // fall back, Berlin 25 October 2026 (03:00 CEST → 02:00 CET): the local day is 25 hours long
      inbound({ id: 'f1', at: at('2026-10-24T21:30:00Z') }), // 23:30 CEST on the 24th
      inbound({ id: 'f2', at: at('2026-10-24T22:30:00Z') }), // 00:30 CEST on the 25th
      inbound({ id: 'f3', at: at('2026-10-25T22:30:00Z') }), // 23:30 CET on the 25th
      inbound({ id: 'f4', at: at('2026-10-25T23:30:00Z') }), // 00:30 CET on the 26th
    ];
    for (const c of calls) h.store.saveCall(c);
    h.store.flush();
  });
  afterAll(() => h.close());

  it('refuses a zone it does not know, naming tz', async () => {
    for (const path of ['/stats?tz=Mars/Olympus_Mons', '/reports/agents?tz=CEST%2B1', '/stats?tz=']) {
      const r = await api(path);
      expect([path, r.status, r.body.parameter]).toEqual([path, 400, 'tz']);
    }
  });

  it('buckets days at local midnight across spring forward (a 23-hour day)', async () => {
    const r = await api(
      '/stats?from=2026-03-28T00:00:00%2B01:00&to=2026-03-31T00:00:00%2B02:00&interval=1d&tz=Europe/Berlin',
    );
    expect(r.status).toBe(200);
    expect(counts(r.body)).toEqual([
      ['2026-03-27T23:00:00.000Z', 1],
      ['2026-03-28T23:00:00.000Z', 2],
      ['2026-03-29T22:00:00.000Z', 1],
    ]);
    // the same range in UTC days puts the 00:30 CET call on the 28th
    const utc = await api('/stats?from=2026-03-28T00:00:00Z&to=2026-03-31T00:00:00Z&interval=1d');
    expect(counts(utc.body)).toEqual([
      ['2026-03-28T00:00:00.000Z', 2],
      ['2026-03-29T00:00:00.000Z', 2],
      ['2026-03-30T00:00:00.000Z', 0],
    ]);
  });

  it('buckets days at local midnight across fall back (a 25-hour day)', async () => {
    const r = await api(
      '/stats?from=2026-10-24T00:00:00%2B02:00&to=2026-10-27T00:00:00%2B01:00&interval=1d&tz=Europe/Berlin',
    );
    expect(counts(r.body)).toEqual([
      ['2026-10-23T22:00:00.000Z', 1],
      ['2026-10-24T22:00:00.000Z', 2],
      ['2026-10-25T23:00:00.000Z', 1],
    ]);
  });

  it('gives Monday weeks with 1w, local with tz', async () => {
    const r = await api(
      '/stats?from=2026-03-23T00:00:00%2B01:00&to=2026-04-06T00:00:00%2B02:00&interval=1w&tz=Europe/Berlin',
    );
    expect(counts(r.body)).toEqual([
      ['2026-03-22T23:00:00.000Z', 3],
      ['2026-03-29T22:00:00.000Z', 1],
    ]);
  });

  it('keeps sub-day buckets on the local clock of a half-hour zone', async () => {
    const r = await api(
      '/stats?from=2026-03-28T22:00:00Z&to=2026-03-29T00:00:00Z&interval=1h&tz=Asia/Kolkata&fill=false',
    );
    // 22:30Z is 04:00 in Kolkata, 23:30Z 05:00: local hours start at :30 UTC
    expect(counts(r.body)).toEqual([
      ['2026-03-28T22:30:00.000Z', 1],
      ['2026-03-28T23:30:00.000Z', 1],
    ]);
  });
});

describe('GET /api/v1/reports/agents', () => {
  let h: Harness;
  const api = (path: string) => getJson(`${h.url}/api/v1${path}`);
  beforeAll(async () => {
    h = await startHarness({ now: () => at('2026-11-30T00:00:00Z') });
    const calls = [
      inbound({ id: 'a1', at: at('2026-11-23T09:00:00Z'), ext: '1001', holdMs: 10_000 }), // talk 55 s
      inbound({ id: 'a2', at: at('2026-11-23T10:00:00Z'), ext: '1001', status: 'missed' }),
      outbound({ id: 'a3', at: at('2026-11-24T09:00:00Z'), ext: '1001' }), // talk 92 s
      outbound({ id: 'a4', at: at('2026-11-24T10:00:00Z'), ext: '1001', status: 'busy', talkMs: 0 }),
      inbound({ id: 'b1', at: at('2026-11-30T08:00:00Z'), ext: '1002' }),
      // Sunday 29 November 23:30 in Berlin, Sunday 22:30 UTC: the week of the 23rd either way
      inbound({ id: 'b2', at: at('2026-11-29T22:30:00Z'), ext: '1002' }),
    ];
    for (const c of calls) h.store.saveCall(c);
    h.store.flush();
  });
  afterAll(() => h.close());

  it('sums each agent over the range: answered, missed, outbound, talk, handling time', async () => {
    const r = await api('/reports/agents?from=2026-11-23T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      {
        bucket: '2026-11-23T00:00:00.000Z',
        pbx: 'pbx1',
        extension: '1001',
        name: 'Agent 1001',
        offered: 2,
        answered: 1,
        missed: 1,
        outbound: 2,
        outboundAnswered: 1,
        handled: 2,
        talkSecondsTotal: 147,
        holdSecondsTotal: 10,
        ahtSeconds: 78.5,
      },
      expect.objectContaining({ extension: '1002', answered: 2, missed: 0, outbound: 0, handled: 2, ahtSeconds: 55 }),
    ]);
  });

  it('gives local Monday weeks, one agent, and CSV', async () => {
    const r = await api(
      '/reports/agents?from=2026-11-23T00:00:00%2B01:00&to=2026-12-07T00:00:00%2B01:00&interval=1w&tz=Europe/Berlin',
    );
    expect(
      r.body.items.map((i: { bucket: string; extension: string; handled: number }) => [
        i.bucket,
        i.extension,
        i.handled,
      ]),
    ).toEqual([
      ['2026-11-22T23:00:00.000Z', '1001', 2],
      ['2026-11-22T23:00:00.000Z', '1002', 1],
      ['2026-11-29T23:00:00.000Z', '1002', 1],
    ]);
    const one = await api('/reports/agents?from=2026-11-01T00:00:00Z&extension=1002');
    expect(one.body.items.map((i: { extension: string }) => i.extension)).toEqual(['1002']);

    const res = await fetch(`${h.url}/api/v1/reports/agents?from=2026-11-23T00:00:00Z&format=csv`);
    expect(res.headers.get('content-disposition')).toMatch(/filename="agents-/);
    const rows = parse(await res.text()) as string[][];
    expect(rows[0]).toEqual([
      'bucket',
      'pbx',
      'extension',
      'name',
      'offered',
      'answered',
      'missed',
      'outbound',
      'outboundAnswered',
      'handled',
      'talkSecondsTotal',
      'holdSecondsTotal',
      'ahtSeconds',
    ]);
    expect(rows.slice(1).map((r) => [r[2], r[12]])).toEqual([
      ['1001', '78.5'],
      ['1002', '55'],
    ]);
  });

  it('defaults to the 7 days before now', async () => {
    const r = await api('/reports/agents');
    expect(r.body.items.map((i: { bucket: string; extension: string }) => [i.bucket, i.extension])).toEqual([
      ['2026-11-23T00:00:00.000Z', '1001'],
      ['2026-11-23T00:00:00.000Z', '1002'],
    ]);
  });
});
