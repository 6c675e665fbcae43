import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Call, CallStatus, Direction, Leg, Party } from '../../src/domain';
import { callToRow, digitsOf, legToRow } from '../../src/store/rows';
import { Store } from '../../src/store/store';
import { rng } from '../ingest/synth';

/**
 * Synthetic call history with the shape of a mid-size call centre, for benchmarks. Deterministic (seeded), so a
 * cached file is the same file every time.
 *
 * - 3,000 calls a day on average (weekdays 3,600, weekends 1,500), mostly in office hours; 100k calls span about 33 days, 10M about 9 years,
 *   so "the last 30 days" holds the same traffic at both sizes.
 * - two PBXs (90/10), 200 extensions with Zipf-like activity, 20 queues, 200,000 customer numbers of which a
 *   few call often; 40% of callers have a caller name.
 * - inbound 55% (60% of them through a queue that rings 1-3 agents), outbound 30%, internal 15%; statuses,
 *   ring, queue wait and talk times drawn from plausible distributions.
 * Rows are made by the store's own callToRow/legToRow and the FTS row as Store.writeCall builds it, so the indexes
 * and the full-text table hold what production would hold.
 */

export const CALLS_PER_DAY = 3000;
/** bump when the generated data changes, so stale cached files are not reused */
export const SYNTH_VERSION = 2;
/** the history ends here; benchmarks query relative to it */
export const END = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

export const EXTENSIONS = Array.from({ length: 200 }, (_, i) => String(1000 + i));
export const QUEUES = Array.from({ length: 20 }, (_, i) => `queue-${String(i + 1).padStart(2, '0')}`);
const FIRST = [
  'Alice',
  'Bob',
  'Carol',
  'Dave',
  'Erin',
  'Frank',
  'Grace',
  'Heidi',
  'Ivan',
  'Judy',
  'Mallory',
  'Niaj',
  'Olivia',
  'Peggy',
  'Rupert',
  'Sybil',
  'Trent',
  'Victor',
  'Walter',
  'Zoe',
];
const LAST = [
  'Anders',
  'Brown',
  'Chen',
  'Dubois',
  'Evans',
  'Fischer',
  'Garcia',
  'Hansen',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Müller',
  'Nakamura',
  'Olsen',
  'Petrov',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Weber',
];

/** the same mulberry32 as the ingest benchmark's (the cached stores' contents depend on it) */
export { rng };

/**
 * An index in [0, n) skewed toward 0: density ∝ 1/(i + c), a Zipf-like law flattened at the head by `c`, so the
 * busiest customer calls a few times a day rather than making a fixed share of all traffic.
 */
const skewed = (r: () => number, n: number, c: number): number =>
  Math.min(n - 1, Math.floor(Math.exp(Math.log(c) + r() * Math.log((n + c) / c)) - c));
const expo = (r: () => number, mean: number): number => -Math.log(1 - r()) * mean;
function weighted<T extends string>(r: () => number, table: readonly [T, number][]): T {
  let x = r();
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1][0];
}

export function customerNumber(i: number): string {
  // US-style E.164 numbers: +1 NPA NXX XXXX
  const npa = 201 + (i % 700);
  const nxx = 200 + (Math.floor(i / 700) % 700);
  const line = (i * 7919) % 10000;
  return `+1${npa}${nxx}${String(line).padStart(4, '0')}`;
}

const extName = (i: number): string => `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;

/** weekdays carry 1.2x the average, weekends 0.5x */
const callsOnDay = (dayStart: number): number => {
  const wd = new Date(dayStart).getUTCDay();
  return Math.round(CALLS_PER_DAY * (wd === 0 || wd === 6 ? 0.5 : 1.2));
};

/** office hours peak early afternoon; one call in ten falls outside 08:00-18:00 */
function timeOfCall(r: () => number, dayStart: number): number {
  const hour = r() < 0.9 ? 8 + 10 * ((r() + r()) / 2) : r() * 24;
  return dayStart + Math.floor(hour * 3_600_000);
}

const INBOUND: [CallStatus, number][] = [
  ['answered', 0.8],
  ['missed', 0.08],
  ['abandoned', 0.07],
  ['voicemail', 0.03],
  ['busy', 0.02],
];
const OUTBOUND: [CallStatus, number][] = [
  ['answered', 0.7],
  ['missed', 0.2],
  ['busy', 0.07],
  ['failed', 0.03],
];
const INTERNAL: [CallStatus, number][] = [
  ['answered', 0.75],
  ['missed', 0.2],
  ['busy', 0.05],
];

export function makeCall(r: () => number, seq: number, startedAt: number): Call {
  const direction = weighted<Direction>(r, [
    ['inbound', 0.55],
    ['outbound', 0.3],
    ['internal', 0.15],
  ]);
  const pbx = r() < 0.9 ? 'main' : 'branch';
  const extIdx = () => skewed(r, EXTENSIONS.length, 10);
  const ext = (i: number): Party => ({ number: EXTENSIONS[i], name: extName(i) });
  const customer = (): Party => {
    const i = skewed(r, 200_000, 100);
    const p: Party = { number: customerNumber(i) };
    if (i % 5 < 2) p.name = `${LAST[i % LAST.length]} ${FIRST[(i >> 3) % FIRST.length]}`.toUpperCase();
    return p;
  };
  const status = weighted(r, direction === 'inbound' ? INBOUND : direction === 'outbound' ? OUTBOUND : INTERNAL);
  const answered = status === 'answered';
  const ringMs = Math.round(1000 + expo(r, answered ? 6000 : 18000));
  const talkMs = answered ? Math.round(10_000 + expo(r, 170_000)) : 0;
  const legs: Leg[] = [];
  let from: Party;
  let to: Party;
  let answeredBy: Party | undefined;
  let queue: string | undefined;
  let waitMs: number | undefined;
  const answerAt = startedAt + ringMs;
  const endedAt = answered ? answerAt + talkMs : startedAt + ringMs;
  const leg = (party: Party, role: Leg['role'], at: number, outcome?: Leg['outcome']): void => {
    const l: Leg = { id: `${seq}-${legs.length}`, party, role, startedAt: at, endedAt };
    if (outcome) l.outcome = outcome;
    if (outcome === 'answered') l.answeredAt = answerAt;
    legs.push(l);
  };
  if (direction === 'inbound') {
    from = customer();
    to = { number: `+1800555${String(1000 + (seq % 3)).padStart(4, '0')}` };
    leg(from, 'trunk', startedAt);
    const viaQueue = r() < 0.6;
    if (viaQueue) {
      queue = QUEUES[skewed(r, QUEUES.length, 2)];
      waitMs = Math.round(expo(r, 25_000));
    }
    const rung = viaQueue ? 1 + Math.floor(r() * 3) : 1;
    const picked = new Set<number>();
    while (picked.size < rung) picked.add(extIdx());
    let first = true;
    for (const i of picked) {
      const isAnswerer = answered && first;
      leg(
        ext(i),
        'extension',
        startedAt + 200 + (waitMs ?? 0) * (first ? 0.5 : 0.8),
        isAnswerer ? 'answered' : answered ? 'cancelled' : 'noanswer',
      );
      if (isAnswerer) answeredBy = ext(i);
      first = false;
    }
  } else if (direction === 'outbound') {
    const i = extIdx();
    from = ext(i);
    to = customer();
    leg(from, 'extension', startedAt);
    leg(
      to,
      'trunk',
      startedAt + 300,
      answered ? 'answered' : status === 'busy' ? 'busy' : status === 'failed' ? 'failed' : 'noanswer',
    );
    if (answered) answeredBy = to;
  } else {
    const a = extIdx();
    let b = extIdx();
    if (b === a) b = (a + 1) % EXTENSIONS.length;
    from = ext(a);
    to = ext(b);
    leg(from, 'extension', startedAt);
    leg(to, 'extension', startedAt + 100, answered ? 'answered' : status === 'busy' ? 'busy' : 'noanswer');
    if (answered) answeredBy = to;
  }
  const call: Call = {
    id: `syn-${seq}`,
    pbx,
    direction,
    status,
    open: false,
    startedAt,
    endedAt,
    ringMs,
    talkMs,
    holdMs: answered && r() < 0.1 ? Math.round(expo(r, 30_000)) : 0,
    from,
    to,
    legs,
    transfers: [],
    holds: [],
  };
  if (answered) call.answeredAt = answerAt;
  if (answeredBy) call.answeredBy = answeredBy;
  if (queue) {
    call.queue = queue;
    call.waitMs = waitMs;
    call.group = {
      type: 'queue',
      id: queue,
      membersRung: legs.filter((l) => l.role === 'extension').map((l) => l.party),
    };
  }
  return call;
}

/** The FTS row exactly as Store.writeCall makes it. */
function ftsOf(call: Call): [string, string] {
  const numbers = [call.from.number, call.to.number, call.answeredBy?.number, ...call.legs.map((l) => l.party.number)]
    .filter((n): n is string => !!n)
    .flatMap((n) => [n, digitsOf(n)]);
  const names = [call.from.name, call.to.name, call.answeredBy?.name, call.queue].filter(Boolean);
  return [[...new Set(numbers)].join(' '), names.join(' ')];
}

export interface BuiltDb {
  path: string;
  calls: number;
  cached: boolean;
  seconds: number;
  bytes: number;
}

/**
 * Builds (or reuses) a store file with `n` calls ending at END. Bulk path: schema from the real Store, then the
 * secondary indexes are dropped, rows go in through prepared statements in 100k-row transactions with the journal
 * off, and the indexes are rebuilt at the end (sorting once beats 10M random index inserts). The file is renamed
 * into place only when complete, so an interrupted build is never mistaken for a cached one.
 */
export function buildDb(path: string, n: number, log: (s: string) => void = () => undefined): BuiltDb {
  if (existsSync(path)) {
    return { path, calls: n, cached: true, seconds: 0, bytes: statSync(path).size };
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const started = Date.now();
  new Store({ path: tmp }).close();
  const db = new Database(tmp);
  // the store left the file in WAL mode, which cannot go straight to OFF
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('temp_store = MEMORY');
  const indexes = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('calls', 'call_legs')",
    )
    .all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`DROP INDEX ${i.name}`);

  const insertCall = db.prepare(`
    INSERT INTO calls (rowid, id, pbx, direction, status, open, started_at, answered_at, ended_at, ring_ms, talk_ms, hold_ms,
      wait_ms, from_number, from_name, to_number, to_name, answered_by, answered_by_name, queue, group_type, group_id,
      truly_missed, external_number, returned_at, detail, updated_at)
    VALUES (@rowid, @id, @pbx, @direction, @status, @open, @started_at, @answered_at, @ended_at, @ring_ms, @talk_ms, @hold_ms,
      @wait_ms, @from_number, @from_name, @to_number, @to_name, @answered_by, @answered_by_name, @queue, @group_type,
      @group_id, @truly_missed, @external_number, @returned_at, @detail, @updated_at)`);
  const insertLeg = db.prepare(`
    INSERT INTO call_legs (call_rowid, seq, party, name, role, channel, started_at, answered_at, ended_at, outcome, cause)
    VALUES (@call_rowid, @seq, @party, @name, @role, @channel, @started_at, @answered_at, @ended_at, @outcome, @cause)`);
  const insertFts = db.prepare('INSERT INTO calls_fts (rowid, numbers, names) VALUES (?, ?, ?)');

  const r = rng(20261123);
  let days = 0;
  for (let total = 0; total < n; days++) total += callsOnDay(END - (days + 1) * DAY);
  const start = END - days * DAY;
  // calls of one day, sorted by time, so rowids follow start times as they do in production
  let seq = 0;
  const batch = db.transaction((calls: Call[]) => {
    for (const call of calls) {
      seq += 1;
      const row = callToRow(call, call.endedAt ?? call.startedAt);
      insertCall.run({ ...row, rowid: seq });
      call.legs.forEach((leg, i) => insertLeg.run(legToRow(leg, seq, i)));
      const [numbers, names] = ftsOf(call);
      insertFts.run(seq, numbers, names);
    }
  });
  let pending: Call[] = [];
  for (let d = 0; d < days && seq + pending.length < n; d++) {
    const dayStart = start + d * DAY;
    const today = Math.min(callsOnDay(dayStart), n - seq - pending.length);
    const times = Array.from({ length: today }, () => timeOfCall(r, dayStart)).sort((a, b) => a - b);
    for (const t of times) pending.push(makeCall(r, seq + pending.length + 1, t));
    if (pending.length >= 100_000) {
      batch(pending);
      pending = [];
      if (seq % 1_000_000 === 0)
        log(`  ${seq.toLocaleString('en')} calls written (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  if (pending.length) batch(pending);
  log(`  rows written in ${((Date.now() - started) / 1000).toFixed(0)} s; rebuilding ${indexes.length} indexes`);
  for (const i of indexes) db.exec(i.sql);
  db.pragma('journal_mode = WAL');
  db.close();
  renameSync(tmp, path);
  const seconds = (Date.now() - started) / 1000;
  log(`  built in ${seconds.toFixed(0)} s`);
  return { path, calls: seq, cached: false, seconds, bytes: statSync(path).size };
}
