import { parse } from 'csv-parse/sync';
import { Type } from '@sinclair/typebox';
import { columnsOf, csvCell, csvChunks } from '../../src/http/csv';
import { Store } from '../../src/store/store';
import { tempDir } from '../helpers/tmp';
import { getJson, startHarness, type Harness } from './harness';
import { extension, inbound, MIN, outbound, T0 } from './fixtures';

let h: Harness;

async function csv(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.url}/api/v1${path}`, { headers });
  const text = await res.text();
  const rows: string[][] = res.status === 200 ? parse(text, { relax_column_count: false }) : [];
  return { status: res.status, text, headers: res.headers, header: rows[0] ?? [], rows: rows.slice(1) };
}

/** the rows as objects keyed by the header, as a spreadsheet user reads them */
const records = (r: { header: string[]; rows: string[][] }) =>
  r.rows.map((row) => Object.fromEntries(r.header.map((k, i) => [k, row[i]])));

describe('CSV cells', () => {
  it('quotes what RFC 4180 needs quoted and nothing else', () => {
    expect(csvCell('Alice')).toBe('Alice');
    expect(csvCell('Anders, Alice')).toBe('"Anders, Alice"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(false)).toBe('false');
  });

  it('writes numbers as the JSON does: shortest form, none for what JSON makes null', () => {
    for (const ms of [0, 1, 999, 1000, 1500, 12_345, 170_250, 86_400_001, 123_456_789_012]) {
      expect(csvCell(ms / 1000)).toBe(JSON.stringify(ms / 1000));
      expect(csvCell(ms / 1000)).toBe(String(ms / 1000));
    }
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvCell(1e21)).toBe('1e+21');
    expect(csvCell(-0)).toBe('0');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell(Infinity)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('defuses text a spreadsheet would run as a formula (OWASP): = + - @ tab and CR get a leading quote', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+4930123456')).toBe("'+4930123456");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('takes its columns from the response model, nested objects dotted, arrays in one column', () => {
    const cols = columnsOf(Type.Ref('Call')).map((c) => c.header);
    expect(cols.slice(0, 3)).toEqual(['id', 'pbx', 'direction']);
    expect(cols).toEqual(
      expect.arrayContaining(['from.number', 'from.name', 'answeredBy.number', 'group.type', 'group.membersRung']),
    );
    expect(cols).not.toContain('from');
  });

  it('writes the header even without rows, and rows in chunks that join to the whole', () => {
    const cols = columnsOf(Type.Object({ a: Type.String(), b: Type.Object({ c: Type.Number() }) }));
    expect([...csvChunks(cols, [])].join('')).toBe('a,b.c\r\n');
    const many = Array.from({ length: 5000 }, (_, i) => ({ a: `row ${i}`.padEnd(40, '.'), b: { c: i } }));
    const chunks = [...csvChunks(cols, many)];
    expect(chunks.length).toBeGreaterThan(1);
    const rows = parse(chunks.join('')) as string[][];
    expect(rows).toHaveLength(5001);
    expect(rows[4242]).toEqual([`row 4241`.padEnd(40, '.'), '4241']);
  });
});

describe('Store.stream', () => {
  it('reads on its own connection: the writer commits while an export is half read', () => {
    const tmp = tempDir('sb-csv-');
    const store = new Store({ path: `${tmp.dir}/s.db` });
    try {
      for (let i = 0; i < 50; i++) store.saveCall(inbound({ id: `s${i}`, at: T0 + i * MIN }));
      store.flush();
      const it = store.stream((q) => q.calls.each({}));
      expect(it.next().value?.call.id).toBe('s49');
      store.saveCall(inbound({ id: 'during', at: T0 + 100 * MIN }));
      expect(() => store.flush()).not.toThrow();
      const rest = [...it].map((s) => s.call.id);
      // the export reads the snapshot it started on: 49 more, without the call committed meanwhile
      expect(rest).toHaveLength(49);
      expect(rest).not.toContain('during');
      expect(store.queries.calls.byId('during')).toBeDefined();
    } finally {
      store.close();
      tmp.cleanup();
    }
  });
});

describe('list routes as CSV', () => {
  beforeAll(async () => {
    h = await startHarness({ now: () => T0 + 2000 * MIN });
    const calls = [
      inbound({
        id: 'tricky',
        at: T0 + 1 * MIN,
        caller: '+4930123456',
        from: { number: '+4930123456', name: '=cmd|"/c calc"!A1' },
      }),
      inbound({ id: 'comma', at: T0 + 2 * MIN, from: { number: '+442071234567', name: 'Smith, "Jo"\nLtd' } }),
      outbound({ id: 'out', at: T0 + 3 * MIN, ext: '1002' }),
      inbound({ id: 'missed', at: T0 + 4 * MIN, status: 'missed', ext: '1003' }),
    ];
    // more than any JSON page holds (500): a CSV lists them all
    for (let i = 0; i < 1200; i++) calls.push(inbound({ id: `bulk-${i}`, at: T0 + (10 + i) * MIN, ext: '1009' }));
    for (const c of calls) h.store.saveCall(c);
    h.store.saveGap({
      pbx: 'pbx1',
      kind: 'source',
      reason: 'connection refused, retrying',
      startedAt: T0,
      endedAt: T0 + MIN,
    });
    for (const [i, state] of (['idle', 'ringing', 'in_call'] as const).entries()) {
      h.store.saveExtension(extension({ extension: '1001', state, updatedAt: T0 + i * MIN }));
      h.store.flush();
    }
    h.store.flush();
    h.hub.emit('extension', extension({ extension: '1001', name: 'Alice' }));
    h.hub.emit('extension', extension({ extension: '1002', name: '@admin' }));
  });
  afterAll(() => h.close());

  it('answers format=csv with a header row, a download name and every matching call, newest first', async () => {
    const r = await csv('/calls?format=csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="calls-\d{8}T\d{6}Z\.csv"$/);
    expect(r.header.slice(0, 4)).toEqual(['id', 'pbx', 'direction', 'status']);
    expect(r.rows).toHaveLength(1204);
    const ids = records(r).map((c) => c.id);
    expect(ids[0]).toBe('bulk-1199');
    expect(ids.slice(-4)).toEqual(['missed', 'out', 'comma', 'tricky']);
  });

  it('gives the same calls as the JSON for the same filters, with Accept: text/csv too', async () => {
    for (const filter of [
      'direction=outbound',
      'status=truly_missed',
      'extension=1003',
      'q=Smith',
      'from=' + (T0 + 2 * MIN) + '&to=' + (T0 + 12 * MIN),
    ]) {
      const json = await getJson(`${h.url}/api/v1/calls?${filter}&limit=500`);
      const r = await csv(`/calls?${filter}`, { accept: 'text/csv' });
      expect([filter, records(r).map((c) => c.id)]).toEqual([filter, json.body.items.map((c: { id: string }) => c.id)]);
    }
  });

  it('takes * as no filter and an empty search as no search, as a URL template sends them (the CSV link)', async () => {
    const all = await csv('/calls?format=csv');
    const any = await csv('/calls?format=csv&pbx=*&extension=%2A&direction=*&status=*&queue=*&q=');
    expect(any.status).toBe(200);
    expect(any.rows).toEqual(all.rows);
    const one = await csv('/calls?format=csv&pbx=*&extension=*&direction=outbound&status=*&queue=*&q=');
    expect(records(one).map((c) => c.id)).toEqual(['out']);
  });

  it('keeps values intact and defuses formulas: names with commas, quotes and line breaks; + numbers as text', async () => {
    const byId = new Map(
      records(await csv('/calls?format=csv&from=' + T0 + '&to=' + (T0 + 5 * MIN))).map((c) => [c.id, c]),
    );
    expect(byId.get('comma')!['from.name']).toBe('Smith, "Jo"\nLtd');
    expect(byId.get('tricky')!['from.name']).toBe(`'=cmd|"/c calc"!A1`);
    expect(byId.get('tricky')!['from.number']).toBe("'+4930123456");
    expect(byId.get('tricky')!.talkSeconds).toBe('55');
    expect(byId.get('missed')!.answeredAt).toBe('');
    expect(byId.get('missed')!.trulyMissed).toBe('true');
  });

  it('refuses paging parameters with CSV, naming them; format=json wins over Accept', async () => {
    for (const p of ['limit=10', 'page=2', 'pageSize=10']) {
      const r = await getJson(`${h.url}/api/v1/calls?format=csv&${p}`);
      expect(r.status).toBe(400);
      expect(r.body.parameter).toBe(p.split('=')[0]);
    }
    const bad = await getJson(`${h.url}/api/v1/calls?format=xml`);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/format/);
    const json = await getJson(`${h.url}/api/v1/calls?format=json&limit=1`, { accept: 'text/csv' });
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
    expect(json.body.items).toHaveLength(1);
  });

  it('starts after a cursor', async () => {
    const first = await getJson(`${h.url}/api/v1/calls?limit=3`);
    const r = await csv(`/calls?format=csv&cursor=${first.body.nextCursor}`);
    expect(r.rows).toHaveLength(1201);
    expect(records(r)[0].id).toBe('bulk-1196');
  });

  it('exports live extensions, extension history and gaps', async () => {
    const ext = await csv('/extensions?format=csv');
    expect(ext.headers.get('content-disposition')).toMatch(/filename="extensions-/);
    expect(records(ext).map((e) => [e.extension, e.name])).toEqual([
      ['1001', 'Alice'],
      ['1002', "'@admin"],
    ]);
    expect(ext.header).toEqual(expect.arrayContaining(['counterpart.number', 'queues', 'voicemailNew']));

    const hist = await csv('/extensions/1001/history?format=csv');
    expect(hist.headers.get('content-disposition')).toMatch(/filename="extension-1001-history-/);
    expect(records(hist).map((x) => [x.at, x.state])).toEqual([
      [new Date(T0).toISOString(), 'idle'],
      [new Date(T0 + MIN).toISOString(), 'ringing'],
      [new Date(T0 + 2 * MIN).toISOString(), 'in_call'],
    ]);
    expect((await getJson(`${h.url}/api/v1/extensions/1001/history?format=csv&limit=1`)).body.parameter).toBe('limit');

    const gaps = await csv('/gaps', { accept: 'text/csv, application/json;q=0.5' });
    expect(gaps.header).toEqual(['id', 'pbx', 'kind', 'reason', 'startedAt', 'endedAt']);
    expect(records(gaps)[0]).toMatchObject({ pbx: 'pbx1', reason: 'connection refused, retrying' });

    for (const path of ['/queues', '/trunks', '/calls/active']) {
      const r = await csv(`${path}?format=csv`);
      expect([path, r.status, r.rows.length]).toEqual([path, 200, 0]);
      expect(r.header.length).toBeGreaterThan(3);
    }
  });

  it('exports stats', async () => {
    const r = await csv(`/stats?format=csv&from=${T0}&to=${T0 + 1440 * MIN}`);
    expect(r.header.slice(0, 3)).toEqual(['bucket', 'key', 'offered']);
    expect(records(r)).toEqual([expect.objectContaining({ key: 'all', offered: '1204', missed: '1' })]);
  });
});
