import type { Call } from '../../src/domain';
import { PgSession } from '../../src/sources/3cx/pg-session';
import { until } from '../ami/harness';
import { tempDir } from '../helpers/tmp';
import { expectSampleCalls, sampleRows } from './cdroutput-sample';
import { make3cx, type Running3cx } from './harness';
import { startPgCluster, type PgCluster } from './pg-cluster';
import {
  callRows,
  caller,
  CDROUTPUT_DDL,
  CONFIG_DDL,
  createReader,
  ext,
  insertRows,
  mailbox,
  outboundRule,
  outside,
  queue,
  ringAll,
  routing,
  type Endpoint,
  type SegmentSpec,
} from './pg-3cx';

jest.setTimeout(60_000);

/** The eight kinds of call of the issue, as 3CX v20 writes their segments, modelled on the reference export. */
function scenarios(t0: number) {
  const did = '+4930999000';
  const anna = (): Endpoint => caller('+4930111001', did, 'Anna Caller');
  const alice = ext('101', 'Alice');
  const bob = ext('102', 'Bob');
  const viaDid = (a: Endpoint): SegmentSpec => ({
    from: a,
    to: routing(did),
    method: 'call_init',
    start: 0,
    end: 0.01,
    termination: 'redirected',
    details: 'by_did',
    continuedIn: 1,
  });
  /** the segment after inbound routing: the DID sends the caller to `to` */
  const fromDid = (
    a: Endpoint,
    to: Endpoint,
    rest: Omit<SegmentSpec, 'from' | 'to' | 'method' | 'start'>,
  ): SegmentSpec => ({
    from: a,
    to,
    method: 'divert',
    reason: 'by_did',
    parent: 0,
    start: 0.01,
    ...rest,
  });
  const build = (segments: (a: Endpoint) => SegmentSpec[], who = anna()) => callRows(t0, segments(who));
  const me = { ...ext('101', 'Alice'), id: '00000000-0000-4000-8000-000000000101' };
  return {
    inboundAnswered: build((a) => [
      viaDid(a),
      fromDid(a, alice, { answer: 5, end: 65, termination: 'src_participant_terminated' }),
    ]),
    missed: build((a) => [
      viaDid(a),
      fromDid(a, bob, { end: 20, termination: 'cancelled', details: 'terminated_by_originator' }),
    ]),
    queueWithLosers: build((a) => [
      viaDid(a),
      fromDid(a, queue('800', 'Support'), {
        answer: 0.1,
        end: 12,
        termination: 'continued_in',
        details: 'polling',
        continuedIn: 3,
      }),
      {
        from: a,
        to: alice,
        method: 'route_to',
        reason: 'polling',
        parent: 1,
        start: 0.2,
        end: 12,
        termination: 'cancelled',
        details: 'completed_elsewhere',
      },
      {
        from: a,
        to: bob,
        method: 'route_to',
        reason: 'polling',
        parent: 1,
        start: 0.201,
        answer: 12,
        end: 72,
        termination: 'dst_participant_terminated',
      },
      {
        from: a,
        to: ext('103', 'Carol'),
        method: 'route_to',
        reason: 'polling',
        parent: 1,
        start: 0.202,
        end: 3,
        termination: 'rejected',
        details: 'busy',
      },
    ]),
    ringAll: build((a) => [
      viaDid(a),
      fromDid(a, ringAll('700', 'Sales'), { end: 8, termination: 'continued_in', continuedIn: 3 }),
      {
        from: a,
        to: ext('104', 'Dan'),
        method: 'route_to',
        reason: 'polling',
        parent: 1,
        start: 0.02,
        end: 8,
        termination: 'cancelled',
        details: 'completed_elsewhere',
      },
      {
        from: a,
        to: ext('105', 'Eve'),
        method: 'route_to',
        reason: 'polling',
        parent: 1,
        start: 0.021,
        answer: 8,
        end: 38,
        termination: 'src_participant_terminated',
      },
    ]),
    voicemail: build((a) => [
      viaDid(a),
      fromDid(a, alice, { end: 20, termination: 'redirected', details: 'no_answer', continuedIn: 2 }),
      {
        from: a,
        to: mailbox('101', 'Alice'),
        method: 'divert',
        reason: 'no_answer',
        parent: 1,
        start: 20,
        answer: 20.05,
        end: 40,
        termination: 'src_participant_terminated',
      },
    ]),
    transfer: build((a) => [
      viaDid(a),
      fromDid(a, alice, { answer: 3, end: 33, termination: 'continued_in', continuedIn: 2 }),
      {
        from: a,
        to: bob,
        method: 'transfer',
        parent: 1,
        start: 33,
        answer: 40,
        end: 100,
        termination: 'src_participant_terminated',
      },
    ]),
    outbound: callRows(t0, [
      {
        from: me,
        to: outboundRule('004930444555'),
        method: 'call_init',
        start: 0,
        end: 0.02,
        termination: 'redirected',
        continuedIn: 1,
      },
      {
        from: me,
        to: outside('+4930444555'),
        method: 'divert',
        parent: 0,
        start: 0.02,
        answer: 8,
        end: 128,
        termination: 'src_participant_terminated',
      },
    ]),
    internal: callRows(t0, [
      {
        from: me,
        to: bob,
        method: 'call_init',
        start: 0,
        answer: 4,
        end: 34,
        termination: 'dst_participant_terminated',
      },
    ]),
  };
}

/** Waits until the source has polled `n` more times: what it did not hand over by then, it did not find. */
async function polls(r: Running3cx, n: number): Promise<void> {
  const target = r.driver.databaseQueries + n;
  await until(() => r.driver.databaseQueries >= target || undefined, `${n} more polls`, 15_000);
}

type Expected = Pick<Call, 'direction' | 'status' | 'from' | 'to' | 'ringMs' | 'talkMs'> & {
  answeredBy: Call['answeredBy'] | null;
};

/** What every inbound scenario shares: Anna calls the DID. */
const fromAnna = {
  direction: 'inbound',
  from: { number: '+4930111001', name: 'Anna Caller' },
  to: { number: '+4930999000' },
} as const;

const EXPECTED: Record<keyof ReturnType<typeof scenarios>, Expected> = {
  inboundAnswered: {
    ...fromAnna,
    status: 'answered',
    answeredBy: { number: '101', name: 'Alice' },
    ringMs: 5000,
    talkMs: 60_000,
  },
  missed: {
    ...fromAnna,
    status: 'missed',
    answeredBy: null,
    ringMs: 20_000,
    talkMs: 0,
  },
  queueWithLosers: {
    ...fromAnna,
    status: 'answered',
    answeredBy: { number: '102', name: 'Bob' },
    ringMs: 12_000,
    talkMs: 60_000,
  },
  ringAll: {
    ...fromAnna,
    status: 'answered',
    answeredBy: { number: '105', name: 'Eve' },
    ringMs: 8000,
    talkMs: 30_000,
  },
  voicemail: {
    ...fromAnna,
    status: 'voicemail',
    answeredBy: null,
    ringMs: 20_050,
    talkMs: 0,
  },
  transfer: {
    ...fromAnna,
    status: 'answered',
    answeredBy: { number: '101', name: 'Alice' },
    ringMs: 3000,
    talkMs: 90_000,
  },
  outbound: {
    direction: 'outbound',
    status: 'answered',
    from: { number: '101', name: 'Alice' },
    to: { number: '+4930444555' },
    answeredBy: { number: '+4930444555' },
    ringMs: 8000,
    talkMs: 120_000,
  },
  internal: {
    direction: 'internal',
    status: 'answered',
    from: { number: '101', name: 'Alice' },
    to: { number: '102', name: 'Bob' },
    answeredBy: { number: '102', name: 'Bob' },
    ringMs: 4000,
    talkMs: 30_000,
  },
};

describe('3CX v20 database (real PostgreSQL)', () => {
  let pg: PgCluster;
  let tmp: ReturnType<typeof tempDir>;
  let running: Running3cx | undefined;

  beforeAll(async () => {
    pg = await startPgCluster();
    await pg.sql(CDROUTPUT_DDL);
    await pg.sql(CONFIG_DDL);
    await createReader(pg, ['cdroutput']);
  });
  afterAll(async () => {
    await pg?.stop();
  });
  beforeEach(async () => {
    tmp = tempDir('sb-3cx-db-');
    await pg.sql('TRUNCATE cdroutput');
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    tmp.cleanup();
  });

  const database = (over: Record<string, unknown> = {}) => ({
    host: pg.host,
    port: pg.port,
    database: 'postgres',
    user: 'logsreader',
    pollSeconds: 1,
    settleSeconds: 0,
    ...over,
  });
  const start = async (over: Record<string, unknown> = {}, membership = false): Promise<Running3cx> => {
    running = make3cx(
      {
        mode: 'database',
        database: database(over),
        databasePassword: 'reader-secret',
        membership: { enabled: membership, intervalSeconds: 5 },
      },
      tmp.dir,
    );
    await running.start();
    return running;
  };

  it('inbound answered, missed, queue with losers, ring-all, voicemail, transfer, outbound, internal: one record each', async () => {
    const t0 = Date.now() - 3_600_000;
    const calls = scenarios(t0);
    for (const c of Object.values(calls)) await insertRows(pg, c.rows);
    const r = await start();
    expect(r.status).toEqual(['up']);
    await until(() => r.records.length >= 8 || undefined, 'eight calls');
    await polls(r, 1);
    expect(r.records).toHaveLength(8);
    for (const [name, c] of Object.entries(calls)) {
      const got = r.records.filter((x) => x.id === `pbx3-${c.id}`);
      expect({ name, count: got.length }).toEqual({ name, count: 1 });
      const exp = EXPECTED[name as keyof typeof EXPECTED];
      expect({ name, ...got[0], answeredBy: got[0].answeredBy ?? null }).toMatchObject({ name, ...exp, startedAt: t0 });
    }
    const rec = (name: keyof typeof calls) => r.records.find((x) => x.id === `pbx3-${calls[name].id}`)!;
    expect(rec('queueWithLosers')).toMatchObject({
      queue: '800',
      waitMs: 11_990,
      group: {
        type: 'queue',
        id: '800',
        membersRung: [
          { number: '101', name: 'Alice' },
          { number: '102', name: 'Bob' },
          { number: '103', name: 'Carol' },
        ],
      },
    });
    expect(rec('queueWithLosers').legs.map((l) => [l.party.number, l.outcome])).toEqual([
      ['+4930111001', undefined],
      ['101', 'cancelled'],
      ['102', 'answered'],
      ['103', 'busy'],
    ]);
    expect(rec('ringAll').group).toMatchObject({
      type: 'ringgroup',
      id: '700',
      membersRung: [{ number: '104' }, { number: '105' }],
    });
    expect(rec('ringAll').queue).toBeUndefined();
    expect(rec('transfer').transfers).toEqual([
      {
        kind: 'blind',
        at: t0 + 33_000,
        by: { number: '101', name: 'Alice' },
        from: { number: '+4930111001', name: 'Anna Caller' },
        to: { number: '102', name: 'Bob' },
      },
    ]);
    // the queue call counts for the queue's KPIs like a live queue call would
    expect(r.queueCalls).toEqual([{ pbx: 'pbx3', queue: '800', outcome: 'answered', waitMs: 11_990, at: t0 + 72_000 }]);
    // ingest lag is measured against the call's end
    expect(r.heard.every((h) => h.event === 'cdroutput' && h.ts !== undefined)).toBe(true);
  });

  it('the reference sample in cdroutput yields the two calls its README describes', async () => {
    await insertRows(pg, sampleRows());
    const r = await start({ backfillHours: 24 * 365 * 10 });
    await until(() => r.records.length === 2 || undefined, 'two calls');
    expectSampleCalls(new Map(r.records.map((c) => [c.id.replace(/^pbx3-/, ''), c])));
  });

  it('waits for a call to finish: an open chain or a fresh end is not a call yet; then it is, once', async () => {
    const t0 = Date.now() - 60_000;
    const a = caller('+4930111002', '+4930999000');
    const { id, rows } = callRows(t0, [
      {
        from: a,
        to: routing('+4930999000'),
        method: 'call_init',
        start: 0,
        end: 0.01,
        termination: 'redirected',
        continuedIn: 1,
      },
      {
        from: a,
        to: ext('101', 'Alice'),
        method: 'divert',
        parent: 0,
        start: 0.01,
        answer: 2,
        end: 30,
        termination: 'src_participant_terminated',
      },
    ]);
    await insertRows(pg, [rows[0]]);
    const r = await start({ settleSeconds: 2 });
    expect(r.records).toEqual([]);
    // the segment the first one continued in arrives; it ended just now (by the database clock): still settling
    const endedAt = Date.now();
    await insertRows(pg, [{ ...rows[1], cdr_ended_at: new Date(endedAt) }]);
    await polls(r, 1);
    if (Date.now() - endedAt < 2000) expect(r.records).toEqual([]);
    await until(() => r.records.length === 1 || undefined, 'the call once settled', 15_000);
    expect(Date.now() - endedAt).toBeGreaterThanOrEqual(2000);
    expect(r.records[0]).toMatchObject({ id: `pbx3-${id}`, status: 'answered', answeredBy: { number: '101' } });
    await polls(r, 2);
    expect(r.records).toHaveLength(1);
  });

  it('restart: resumes from its high-water mark, nothing read twice, nothing missed', async () => {
    const t0 = Date.now() - 3_600_000;
    const calls = scenarios(t0);
    await insertRows(pg, calls.inboundAnswered.rows);
    await insertRows(pg, calls.missed.rows);
    const first = await start();
    await until(() => first.records.length >= 2 || undefined, 'two calls');
    expect(first.records.map((c) => c.id).sort()).toEqual(
      [`pbx3-${calls.inboundAnswered.id}`, `pbx3-${calls.missed.id}`].sort(),
    );
    await first.stop();
    running = undefined;
    await insertRows(
      pg,
      calls.internal.rows.map((row) => ({ ...row, cdr_ended_at: new Date(Date.now() - 1000) })),
    );
    const second = await start();
    await until(() => second.records.length >= 1 || undefined, 'the call that ended while we were down');
    await polls(second, 2);
    expect(second.records.map((c) => c.id)).toEqual([`pbx3-${calls.internal.id}`]);
  });

  it('a database problem is an outage in words: wrong table, then the session never writes', async () => {
    const r = await start({ table: 'cdr_nope' });
    expect(r.status).toEqual(['down: table not found: relation "cdr_nope" does not exist']);
    const session = new PgSession({ ...pg.admin });
    await expect(session.query('CREATE TABLE switchboard_was_here (i int)')).rejects.toThrow(/read-only transaction/);
    await session.close();
  });

  it('queue and ring-group membership from the configuration tables: logged-in members available, names from users', async () => {
    await pg.sql(`
      INSERT INTO dn VALUES (1, '101'), (2, '102'), (3, '103'), (4, '104'), (5, '105'), (10, '800'), (11, '801'), (12, '700');
      INSERT INTO extension VALUES (1, true, 1), (2, true, 1), (3, true, 0), (4, true, 1), (5, false, 1);
      INSERT INTO users VALUES (1, 'Alice', 'Smith'), (2, 'Bob', 'Jones'), (3, 'Carol', ''), (4, 'Dan', NULL);
      INSERT INTO queue VALUES (10, 'Support'), (11, 'Night shift');
      INSERT INTO queue2dn VALUES (10, 1, true), (10, 2, false), (10, 3, true);
      INSERT INTO ringgroup VALUES (12, 'Sales', 1);
      INSERT INTO ringgroup2dn VALUES (12, 4, 1), (12, 5, 2);
      GRANT SELECT ON dn, extension, users, queue, queue2dn, ringgroup, ringgroup2dn TO logsreader;`);
    const r = await start({}, true);
    await until(() => r.queues.length === 3 || undefined, 'three groups');
    const byQueue = Object.fromEntries(r.queues.map((q) => [q.queue, q]));
    const members = (q: string) => byQueue[q].members.map((m) => [m.extension, m.name ?? null, m.state]);
    // 102 logged out of this queue, 103 out of all queues (qstatus 0): the alert counts only 101
    expect(members('800')).toEqual([
      ['101', 'Alice Smith', 'available'],
      ['102', 'Bob Jones', 'unavailable'],
      ['103', 'Carol', 'unavailable'],
    ]);
    expect(byQueue['800'].strategy).toBe('queue');
    expect(members('801')).toEqual([]);
    // a ring group has no login; a disabled extension rings nobody
    expect(members('700')).toEqual([
      ['104', 'Dan', 'available'],
      ['105', null, 'unavailable'],
    ]);
    expect(byQueue['700'].strategy).toBe('ringgroup');
  });
});
