import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/store/migrations';
import { backup } from '../../src/store/backup';
import { applyRetention } from '../../src/store/retention';
import { Store } from '../../src/store/store';
import { makeCall } from '../helpers/calls';
import { tempDir } from '../helpers/tmp';

const DAY = 86_400_000;

describe('store', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  let n = 0;
  const dbPath = (): string => join(tmp.dir, `s${++n}.db`);

  it('creates every table on a fresh database, in WAL mode with foreign keys', () => {
    const store = new Store({ path: dbPath() });
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table')").all() as { name: string }[]).map(
      (t) => t.name,
    );
    for (const t of ['calls', 'call_legs', 'extensions', 'extension_history', 'queues', 'queue_members', 'trunks', 'gaps', 'meta', 'calls_fts']) {
      expect(tables).toContain(t);
    }
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    store.close();
  });

  it('tells its schema version, its size and the free space beside it, without callers touching the connection', () => {
    const path = dbPath();
    const store = new Store({ path });
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    store.saveCall(makeCall());
    store.flush();
    const onDisk = [path, `${path}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
    expect(store.sizeBytes()).toBe(onDisk);
    expect(store.diskFreeBytes()).toBeGreaterThan(0);
    store.close();
    // the files are still there to measure after close (a scrape may come late)
    expect(store.sizeBytes()).toBe(statSync(path).size);

    const memory = new Store({ path: ':memory:' });
    expect(memory.inMemory).toBe(true);
    expect(memory.sizeBytes()).toBe(
      (memory.db.pragma('page_count', { simple: true }) as number) *
        (memory.db.pragma('page_size', { simple: true }) as number),
    );
    expect(memory.sizeBytes()).toBeGreaterThan(0);
    expect(memory.diskFreeBytes()).toBeUndefined();
    memory.close();
    expect(memory.sizeBytes()).toBeUndefined();
  });

  it.each(Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1))(
    'upgrades a database of schema version %i to the latest and keeps its rows',
    (from) => {
      const path = dbPath();
      const old = new Database(path);
      migrate(old, from);
      old
        .prepare(
          `INSERT INTO calls (id, pbx, direction, status, started_at, from_number, from_name, to_number, detail, updated_at)
           VALUES ('old-1', 'pbx1', 'inbound', 'missed', 1000, '+4930123456', 'Old Caller', '5551001', '{}', 1000)`,
        )
        .run();
      old.close();

      const store = new Store({ path });
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.getCall('old-1')).toMatchObject({ status: 'missed', from: { number: '+4930123456' } });
      if (from === 1) {
        // version 2 added the search index and filled it from the rows already there
        const hit = store.db.prepare("SELECT rowid FROM calls_fts WHERE calls_fts MATCH '\"0123456\"'").all();
        expect(hit).toHaveLength(1);
      }
      store.close();
    },
  );

  it('refuses a database from a newer exporter', () => {
    const path = dbPath();
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new Store({ path })).toThrow(/newer than this exporter understands/);
  });

  it('round-trips a call with legs, transfers and holds, and finds it by digits of a number', () => {
    const store = new Store({ path: dbPath() });
    const call = makeCall({
      transfers: [{ kind: 'blind', at: 5, by: { number: '1001' }, from: { number: '+12125550101' }, to: { number: '1003' } }],
      holds: [{ party: { number: '1001' }, start: 10, end: 20 }],
    });
    store.saveCall(call);
    store.flush();
    expect(store.getCall(call.id)).toEqual({ ...call, legs: call.legs.map((l) => ({ ...l, id: expect.any(String) })) });
    const rows = store.db.prepare("SELECT rowid FROM calls_fts WHERE calls_fts MATCH '\"2125550101\"'").all();
    expect(rows).toHaveLength(1);
    store.close();
  });

  it('never reopens a finished call; a corrected final record replaces it', () => {
    const store = new Store({ path: dbPath() });
    const done = makeCall({ status: 'voicemail', answeredAt: undefined, answeredBy: undefined, talkMs: 0 });
    store.saveCall(done);
    store.flush();
    // a late open version of the same call (published before the end, committed after it)
    const { endedAt: _e, ...rest } = done;
    store.saveCall({ ...rest, open: true, status: 'ringing' });
    store.flush();
    expect(store.getCall(done.id)).toMatchObject({ open: false, status: 'voicemail', endedAt: done.endedAt });
    store.saveCall({ ...done, status: 'missed' });
    store.flush();
    expect(store.getCall(done.id)).toMatchObject({ open: false, status: 'missed' });
    store.close();
  });

  it('serialises an open call’s checkpoint at the commit, only the newest of those published since the last one', () => {
    const store = new Store({ path: dbPath() });
    const { endedAt: _e, ...rest } = makeCall();
    const open = { ...rest, open: true, status: 'active' as const };
    const made: string[] = [];
    const checkpoint = (v: string) => () => (made.push(v), JSON.stringify({ v }));
    for (const v of ['a', 'b', 'c']) {
      store.saveCall(open);
      store.saveCheckpoint(open.id, checkpoint(v));
    }
    expect(made).toEqual([]);
    store.flush();
    expect(made).toEqual(['c']);
    const row = store.db.prepare('SELECT checkpoint FROM calls WHERE id = ?').get(open.id) as { checkpoint: string };
    expect(JSON.parse(row.checkpoint)).toEqual({ v: 'c' });
    store.close();
  });

  it('reads a source’s open calls back with the checkpoint each row holds, in one read', () => {
    const store = new Store({ path: dbPath() });
    const { endedAt: _e, ...rest } = makeCall();
    const withOne = { ...rest, open: true, status: 'active' as const };
    const without = { ...withOne, id: `${withOne.id}-b`, startedAt: withOne.startedAt + 1 };
    store.saveCall(withOne);
    store.saveCheckpoint(withOne.id, () => '{"v":1}');
    store.saveCall(without);
    store.saveCall(makeCall());
    store.flush();
    const open = store.openCallsWithCheckpoints('pbx1');
    expect(open.map((o) => [o.call.id, o.checkpoint])).toEqual([
      [withOne.id, '{"v":1}'],
      [without.id, undefined],
    ]);
    expect(store.openCalls('pbx1')).toEqual(open.map((o) => o.call));
    store.close();
  });

  it('keeps the checkpoints of calls not offered yet apart, until each is dropped; one dropped before its commit costs no write', () => {
    const path = dbPath();
    const store = new Store({ path });
    const made: string[] = [];
    const cp = (v: string) => (): string => {
      made.push(v);
      return `{"v":"${v}"}`;
    };
    store.saveUnoffered('pbx1', 'pbx1-dialling', cp('a'));
    store.saveUnoffered('pbx1', 'pbx1-dialling', cp('b'));
    store.saveUnoffered('pbx1', 'pbx1-offered-at-once', cp('c'));
    store.saveUnoffered('pbx1', 'pbx1-offered-at-once');
    store.saveUnoffered('pbx2', 'pbx2-dialling', cp('d'));
    expect(store.pending).toBe(2); // counted while queued: a kill after `pending` reached 0 loses none
    store.flush();
    expect(made).toEqual(['b', 'd']);
    expect(store.unofferedCheckpoints('pbx1')).toEqual(['{"v":"b"}']);
    // a call row of the same id wins over a saved start that was never dropped
    const { endedAt: _e, ...rest } = makeCall();
    store.saveCall({ ...rest, id: 'pbx2-dialling', open: true, status: 'ringing' });
    store.flush();
    expect(store.unofferedCheckpoints('pbx2')).toEqual([]);
    store.close();

    const again = new Store({ path });
    again.saveUnoffered('pbx1', 'pbx1-dialling'); // known on disk from the last run: dropped there
    expect(again.pending).toBe(1);
    again.flush();
    expect(again.unofferedCheckpoints('pbx1')).toEqual([]);
    again.close();
  });

  it('marks a truly missed call as returned when the customer is later reached', () => {
    const store = new Store({ path: dbPath() });
    const missed = makeCall({ status: 'missed', answeredAt: undefined, answeredBy: undefined, talkMs: 0 });
    store.saveCall(missed);
    store.flush();
    const row = (): { truly_missed: number; returned_at: number | null } =>
      store.db.prepare('SELECT truly_missed, returned_at FROM calls WHERE id = ?').get(missed.id) as never;
    expect(row()).toEqual({ truly_missed: 1, returned_at: null });
    const callBack = makeCall({
      direction: 'outbound',
      startedAt: missed.startedAt + 60_000,
      from: { number: '1001' },
      to: { number: '912125550101' }, // dialled with the trunk prefix: same subscriber digits
    });
    store.saveCall(callBack);
    store.flush();
    expect(row()).toEqual({ truly_missed: 1, returned_at: callBack.startedAt });
    store.close();
  });

  it('retention deletes only rows older than the cutoff, never open calls', () => {
    const store = new Store({ path: dbPath() });
    const now = Date.UTC(2026, 10, 23);
    const old = makeCall({ startedAt: now - 100 * DAY });
    const edge = makeCall({ startedAt: now - 90 * DAY }); // exactly at the cutoff: kept
    const recent = makeCall({ startedAt: now - 1 * DAY });
    const oldButOpen = makeCall({ startedAt: now - 100 * DAY, open: true, status: 'answered' });
    for (const c of [old, edge, recent, oldButOpen]) store.saveCall(c);
    store.saveExtension({ pbx: 'pbx1', extension: '1001', registered: true, state: 'idle', dnd: false, queues: [], updatedAt: now - 100 * DAY });
    store.saveExtension({ pbx: 'pbx1', extension: '1001', registered: true, state: 'in_call', dnd: false, queues: [], updatedAt: now - DAY });
    store.saveGap({ pbx: 'pbx1', kind: 'source', reason: 'x', startedAt: now - 120 * DAY, endedAt: now - 119 * DAY });
    store.saveGap({ pbx: 'pbx1', kind: 'source', reason: 'y', startedAt: now - 2 * DAY, endedAt: now - DAY });
    store.flush();
    // the two extension saves in one flush coalesce to the newest: add the old history row explicitly
    store.db.prepare("INSERT INTO extension_history (pbx, extension, at, state, registered) VALUES ('pbx1','1001',?, 'idle', 1)").run(now - 100 * DAY);

    const removed = applyRetention(store, now - 90 * DAY);
    expect(removed).toEqual({ calls: 1, history: 1, gaps: 1 });
    expect(store.getCall(old.id)).toBeUndefined();
    expect(store.getCall(edge.id)).toBeDefined();
    expect(store.getCall(recent.id)).toBeDefined();
    expect(store.getCall(oldButOpen.id)).toBeDefined();
    const legs = store.db.prepare('SELECT count(*) AS n FROM call_legs').get() as { n: number };
    expect(legs.n).toBe(3 * old.legs.length); // the deleted call's legs went with it
    const fts = store.db.prepare('SELECT count(*) AS n FROM calls_fts').get() as { n: number };
    expect(fts.n).toBe(3);
    store.close();
  });

  it('writes an online backup that opens and passes integrity_check, keeping the newest N', async () => {
    const store = new Store({ path: dbPath() });
    for (let i = 0; i < 50; i++) store.saveCall(makeCall());
    store.flush();
    const dir = join(tmp.dir, 'backups');
    const files: string[] = [];
    for (let h = 0; h < 4; h++) files.push(await backup(store, dir, 3, new Date(Date.UTC(2026, 10, 20 + h, 3))));
    expect(readdirSync(dir).sort()).toEqual(files.slice(1).map((f) => f.split('/').pop()).sort());
    const copy = new Database(files[3], { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare('SELECT count(*) AS n FROM calls').get() as { n: number }).n).toBe(50);
    copy.close();
    store.close();
  });

  it('records every exporter downtime as one closed gap: from the clean stop, or from the last heartbeat after a kill', () => {
    const path = dbPath();
    let clock = Date.UTC(2026, 10, 23, 12, 0, 0);
    const first = new Store({ path, now: () => clock });
    expect(first.recordDowntime()).toBeUndefined(); // a fresh database has no heartbeat
    first.flush();
    clock += 1000;
    const stoppedAt = clock;
    first.close();

    clock += 2000; // restarted 2 s after a clean stop: still a gap, from the stop
    const second = new Store({ path, now: () => clock });
    expect(second.recordDowntime()).toEqual({
      pbx: null,
      kind: 'exporter',
      reason: 'exporter stopped',
      startedAt: stoppedAt,
      endedAt: clock,
    });
    clock += 5000;
    second.flush(); // heartbeat
    const beat = clock;
    // a source outage going on when the process dies
    second.saveGap({ pbx: 'p1', kind: 'source', reason: 'connection refused', startedAt: clock - 3000 });
    second.flush();
    clock += 4000;
    second.db.close(); // killed: no clean stop, nothing after the last commit

    clock += 3000; // back within seconds
    const third = new Store({ path, now: () => clock });
    const gap = third.recordDowntime();
    expect(gap).toEqual({ pbx: null, kind: 'exporter', reason: 'exporter crashed or was killed', startedAt: beat, endedAt: clock });
    const gaps = third.gaps();
    expect(gaps).toHaveLength(3);
    expect(gaps.every((g) => g.endedAt !== undefined)).toBe(true);
    // the source outage the dead run left open ends where the exporter's own gap begins
    expect(gaps.find((g) => g.kind === 'source')).toMatchObject({ startedAt: beat - 3000, endedAt: beat });
    third.close();
    expect(existsSync(path)).toBe(true);
  });
});
