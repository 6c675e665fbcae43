import type { Database, Statement } from 'better-sqlite3';
import { CALL_STATUSES, isFinalStatus, type Call } from '../../domain';
import { rowToCall, type CallRow, type LegRow } from '../rows';
import type { CallKey } from './cursor';
import { searchFragment } from './search';
import { StatementCache } from './statements';

export const STATUS_FILTERS = [...CALL_STATUSES, 'truly_missed', 'unreturned'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface CallFilter {
  /** inclusive, epoch ms */
  from?: number;
  /** exclusive, epoch ms */
  to?: number;
  pbx?: string;
  /** any leg's party */
  extension?: string;
  direction?: string;
  status?: StatusFilter;
  queue?: string;
  q?: string;
  /** with `q`: numbers of contacts whose name or company matches it; calls with them as external party match too */
  qNumbers?: readonly string[];
}

/** A call as the history holds it: the record, what only the history knows about it, and its place in the order. */
export interface StoredCall {
  call: Call;
  /** fixed when the call was stored: inbound, finished, no person answered */
  trulyMissed: boolean;
  /** start of the answered call back, if any */
  returnedAt?: number;
  key: CallKey;
}

/** A truly missed call not called back yet: where it rang, and the number a call back would match. */
export interface MissedCall {
  id: string;
  pbx: string;
  /** the external party's number key (last 8 digits), as call backs are matched; null for a hidden number */
  key: string | null;
  at: number;
  /** the extensions it rang at */
  extensions: string[];
}

type Row = CallRow & { rowid: number };

/**
 * What `eachRaw` reads of a call, in this order: the `calls` columns a call's CSV row shows, and of the JSON detail
 * only the group (SQLite extracts it, so a call without one costs no JSON parse).
 */
export const RAW_CALL_COLUMNS = [
  'id',
  'pbx',
  'direction',
  'status',
  'open',
  'started_at',
  'answered_at',
  'ended_at',
  'ring_ms',
  'talk_ms',
  'hold_ms',
  'wait_ms',
  'from_number',
  'from_name',
  'to_number',
  'to_name',
  'answered_by',
  'answered_by_name',
  'queue',
  'truly_missed',
  'returned_at',
  'group_json',
] as const;
export type RawCallColumn = (typeof RAW_CALL_COLUMNS)[number];
/** a row of `eachRaw`: values in the order of `RAW_CALL_COLUMNS` */
export type RawCall = readonly (string | number | null)[];

const RAW_SELECT = RAW_CALL_COLUMNS.map((c) =>
  c === 'group_json' ? "json_extract(c.detail, '$.group') AS group_json" : `c.${c}`,
).join(', ');

function stored(r: Row, legs?: LegRow[]): StoredCall {
  const s: StoredCall = {
    call: rowToCall(r, legs),
    trulyMissed: r.truly_missed === 1,
    key: { startedAt: r.started_at, rowid: r.rowid },
  };
  if (r.returned_at !== null) s.returnedAt = r.returned_at;
  return s;
}

/**
 * A leg never starts before its call (allowing for clock skew between a PBX's event stamps); the extension
 * filter's early stop relies on it.
 */
const LEG_SKEW_MS = 5 * 60_000;

interface Where {
  clauses: string[];
  params: Record<string, string | number>;
}

function where(f: CallFilter, after?: CallKey): Where {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.from !== undefined) {
    clauses.push('c.started_at >= @from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    clauses.push('c.started_at < @to');
    params.to = f.to;
  }
  if (f.pbx !== undefined) {
    clauses.push('c.pbx = @pbx');
    params.pbx = f.pbx;
  }
  if (f.direction !== undefined) {
    clauses.push('c.direction = @direction');
    params.direction = f.direction;
  }
  // literal `truly_missed = 1` so the planner can use the partial index on missed calls
  if (f.status === 'truly_missed') clauses.push('c.truly_missed = 1');
  else if (f.status === 'unreturned') clauses.push('c.truly_missed = 1 AND c.returned_at IS NULL');
  else if (f.status !== undefined) {
    // a call in progress never wears a final status; the open flag says so even for rows an older version wrote
    clauses.push(isFinalStatus(f.status) ? 'c.status = @status AND c.open = 0' : 'c.status = @status AND c.open = 1');
    params.status = f.status;
  }
  if (f.queue !== undefined) {
    clauses.push('c.queue = @queue');
    params.queue = f.queue;
  }
  if (f.q !== undefined) {
    const s = searchFragment(f.q, f.qNumbers);
    if (s) {
      clauses.push(s.sql);
      Object.assign(params, s.params);
    }
  }
  if (after) {
    // a plain range on started_at the indexes can use, then the tie-break
    clauses.push('c.started_at <= @after_at AND (c.started_at < @after_at OR c.rowid < @after_rowid)');
    params.after_at = after.startedAt;
    params.after_rowid = after.rowid;
  }
  return { clauses, params };
}

const whereSql = (w: Where): string => (w.clauses.length ? `WHERE ${w.clauses.join(' AND ')}` : '');

const newerFirst = (a: Row, b: Row): number => b.started_at - a.started_at || b.rowid - a.rowid;

/**
 * Read-side SQL for the call API. Everything is ordered newest first by (started_at, rowid), which is also the
 * keyset: a cursor names the last row seen, so pages stay stable while new calls arrive.
 */
export class CallQueries {
  private readonly stmts: StatementCache;

  constructor(db: Database) {
    this.stmts = new StatementCache(db);
  }

  /** Up to `limit` calls after `after` (or from the newest), plus whether more follow. */
  page(f: CallFilter, limit: number, after?: CallKey): { calls: StoredCall[]; more: boolean } {
    const rows = this.top(f, limit + 1, 0, after);
    return { calls: rows.slice(0, limit).map((r) => stored(r)), more: rows.length > limit };
  }

  /** Page `offset / limit` for UI tables (costs grow with the offset; prefer the cursor for deep paging). */
  offsetPage(f: CallFilter, limit: number, offset: number): StoredCall[] {
    return this.top(f, limit, offset).map((r) => stored(r));
  }

  count(f: CallFilter): number {
    const w = where(f);
    if (f.extension !== undefined) {
      w.clauses.unshift('c.rowid IN (SELECT call_rowid FROM call_legs WHERE party = @extension)');
      w.params.extension = f.extension;
    }
    return (this.stmts.get(`SELECT count(*) AS n FROM calls c ${whereSql(w)}`).get(w.params) as { n: number }).n;
  }

  private top(f: CallFilter, limit: number, offset: number, after?: CallKey): Row[] {
    if (f.extension !== undefined) return this.topForExtension(f, f.extension, limit + offset, after).slice(offset);
    const w = where(f, after);
    const sql = `SELECT c.rowid AS rowid, c.* FROM calls c ${whereSql(w)}
                 ORDER BY c.started_at DESC, c.rowid DESC LIMIT @limit OFFSET @offset`;
    return this.stmts.get(sql).all({ ...w.params, limit, offset }) as Row[];
  }

  /**
   * Calls with a leg for `extension`. The leg index is ordered by the leg's start, not the call's, so this walks
   * the extension's legs newest first and stops once the `k` best calls so far all started after the leg at hand
   * (minus clock skew): no older leg can belong to a newer call. With a cursor or `to`, the walk starts there plus
   * the longest finished call (a leg can start as late as its call ends); open calls, whose legs can start at any
   * time, are checked on their own. The cost follows the page and the extension's recent legs, not the history.
   */
  private topForExtension(f: CallFilter, extension: string, k: number, after?: CallKey): Row[] {
    const w = where(f, after);
    w.clauses.unshift('l.party = @extension');
    w.params.extension = extension;
    // the newest call start a result may have; legs of closed calls start before their call ends
    const newest = Math.min(after?.startedAt ?? Infinity, f.to ?? Infinity);
    if (newest !== Infinity) {
      const span = this.stmts
        .get(
          'SELECT ended_at - started_at AS span FROM calls WHERE ended_at IS NOT NULL ORDER BY ended_at - started_at DESC LIMIT 1',
        )
        .get() as { span: number } | undefined;
      w.clauses.push('l.started_at <= @leg_upper');
      w.params.leg_upper = newest + Math.max(0, span?.span ?? 0) + LEG_SKEW_MS;
    }
    if (f.from !== undefined) {
      w.clauses.push('l.started_at >= @leg_lower');
      w.params.leg_lower = f.from - LEG_SKEW_MS;
    }
    const sql = `SELECT l.started_at AS leg_at, c.rowid AS rowid, c.* FROM call_legs l JOIN calls c ON c.rowid = l.call_rowid
                 ${whereSql(w)} ORDER BY l.started_at DESC`;
    const seen = new Set<number>();
    const best: Row[] = [];
    const offer = (row: Row): void => {
      if (seen.has(row.rowid)) return;
      seen.add(row.rowid);
      if (best.length >= k && newerFirst(row, best[k - 1]) >= 0) return;
      let i = best.length;
      while (i > 0 && newerFirst(row, best[i - 1]) < 0) i--;
      best.splice(i, 0, row);
      if (best.length > k) best.pop();
    };
    for (const row of this.stmts.get(sql).iterate(w.params) as IterableIterator<Row & { leg_at: number }>) {
      if (best.length >= k && best[k - 1].started_at > row.leg_at + LEG_SKEW_MS) break;
      delete (row as { leg_at?: number }).leg_at;
      offer(row);
    }
    if (newest !== Infinity) {
      const ow = where(f, after);
      ow.clauses.unshift('c.open = 1', 'c.rowid IN (SELECT call_rowid FROM call_legs WHERE party = @extension)');
      ow.params.extension = extension;
      for (const row of this.stmts
        .get(`SELECT c.rowid AS rowid, c.* FROM calls c ${whereSql(ow)}`)
        .all(ow.params) as Row[]) {
        offer(row);
      }
    }
    return best;
  }

  /**
   * Every call the filter matches, newest first, read one row at a time: for exports, on a connection of their own
   * (`StoreReader.stream`), since an open iterator holds its connection until it ends.
   */
  *each(f: CallFilter, after?: CallKey): Generator<StoredCall> {
    const { stmt, params } = this.everyRow(f, after, 'c.rowid AS rowid, c.*');
    for (const row of stmt.iterate(params) as IterableIterator<Row>) yield stored(row);
  }

  /**
   * `each` as arrays of the `RAW_CALL_COLUMNS`, not records: what a CSV of a million calls reads, so it allocates
   * one array and a few strings a call rather than objects of every column and the parsed JSON detail.
   */
  eachRaw(f: CallFilter, after?: CallKey): IterableIterator<RawCall> {
    const { stmt, params } = this.everyRow(f, after, RAW_SELECT);
    return stmt.raw(true).iterate(params) as IterableIterator<RawCall>;
  }

  private everyRow(
    f: CallFilter,
    after: CallKey | undefined,
    select: string,
  ): { stmt: Statement; params: Where['params'] } {
    const w = where(f, after);
    if (f.extension !== undefined) {
      w.clauses.unshift('c.rowid IN (SELECT call_rowid FROM call_legs WHERE party = @extension)');
      w.params.extension = f.extension;
    }
    const sql = `SELECT ${select} FROM calls c ${whereSql(w)} ORDER BY c.started_at DESC, c.rowid DESC`;
    return { stmt: this.stmts.get(sql), params: w.params };
  }

  /**
   * Truly missed calls since `since` not called back yet, with the extensions each rang at: the starting point of
   * the in-memory unreturned-missed tally (read once at start, never at a scrape).
   */
  unreturnedMissed(since: number): MissedCall[] {
    const rows = this.stmts
      .get(
        `SELECT c.id AS id, c.pbx AS pbx, c.external_number AS key, c.started_at AS at,
                json_group_array(DISTINCT l.party) FILTER (WHERE l.party IS NOT NULL) AS extensions
           FROM calls c LEFT JOIN call_legs l ON l.call_rowid = c.rowid AND l.role = 'extension'
          WHERE c.truly_missed = 1 AND c.returned_at IS NULL AND c.started_at >= @since
          GROUP BY c.rowid`,
      )
      .all({ since }) as (Omit<MissedCall, 'extensions'> & { extensions: string })[];
    return rows.map((r) => ({ ...r, extensions: JSON.parse(r.extensions) as string[] }));
  }

  /** One call with its legs. */
  byId(id: string): StoredCall | undefined {
    const row = this.stmts.get('SELECT c.rowid AS rowid, c.* FROM calls c WHERE c.id = ?').get(id) as Row | undefined;
    if (!row) return undefined;
    const legs = this.stmts.get('SELECT * FROM call_legs WHERE call_rowid = ? ORDER BY seq').all(row.rowid) as LegRow[];
    return stored(row, legs);
  }
}
