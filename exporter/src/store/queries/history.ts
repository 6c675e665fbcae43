import type { Database } from 'better-sqlite3';
import type { Gap } from '../../domain';
import { rowToGap, type GapRow } from '../rows';
import { StatementCache } from './statements';

/** One change of an extension's state or registration. */
export interface HistoryItem {
  pbx: string;
  at: number;
  state: string;
  registered: boolean;
}

type HistoryRow = Omit<HistoryItem, 'registered'> & { registered: number };

export interface RangeFilter {
  from?: number;
  to?: number;
  pbx?: string;
}

/** Extension state timelines and outage gaps. */
export class HistoryQueries {
  private readonly stmts: StatementCache;

  constructor(db: Database) {
    this.stmts = new StatementCache(db);
  }

  /**
   * State changes of one extension, oldest first, capped at `limit`. With `from`, the first item is the state in
   * force at `from` (it may have begun earlier), so a timeline starts filled in.
   */
  extensionHistory(extension: string, f: RangeFilter, limit: number): HistoryItem[] {
    // the history index leads with pbx: look up which PBXs know this extension, then seek per PBX
    const pbxs =
      f.pbx !== undefined
        ? [f.pbx]
        : (
            this.stmts.get('SELECT DISTINCT pbx FROM extensions WHERE extension = ?').all(extension) as {
              pbx: string;
            }[]
          ).map((r) => r.pbx);
    const range = [f.from !== undefined ? 'AND at >= @from' : '', f.to !== undefined ? 'AND at < @to' : ''].join(' ');
    const items: HistoryRow[] = [];
    for (const pbx of pbxs) {
      const params: Record<string, string | number> = { pbx, extension, limit };
      if (f.from !== undefined) params.from = f.from;
      if (f.to !== undefined) params.to = f.to;
      if (f.from !== undefined) {
        const before = this.stmts
          .get(
            `SELECT pbx, at, state, registered FROM extension_history
              WHERE pbx = @pbx AND extension = @extension AND at < @from ORDER BY at DESC, id DESC LIMIT 1`,
          )
          .get(params) as HistoryRow | undefined;
        if (before) items.push(before);
      }
      const sql = `SELECT pbx, at, state, registered FROM extension_history
                    WHERE pbx = @pbx AND extension = @extension ${range} ORDER BY at, id LIMIT @limit`;
      items.push(...(this.stmts.get(sql).all(params) as HistoryRow[]));
    }
    return items
      .sort((a, b) => a.at - b.at)
      .slice(0, limit)
      .map((r) => ({ ...r, registered: r.registered === 1 }));
  }

  /** Outages overlapping [from, to), oldest first (the first 10,000: a list for annotations, not an export). */
  gaps(f: RangeFilter): Gap[] {
    const { sql, params } = gapsSql(f);
    return (this.stmts.get(`${sql} LIMIT 10000`).all(params) as GapRow[]).map(rowToGap);
  }

  /** Every outage overlapping [from, to), oldest first, one row at a time (exports: see `StoreReader.stream`). */
  *eachGap(f: RangeFilter): Generator<Gap> {
    const { sql, params } = gapsSql(f);
    for (const r of this.stmts.get(sql).iterate(params) as IterableIterator<GapRow>) yield rowToGap(r);
  }

  /**
   * Every state change of one extension in [from, to), oldest first, one row at a time; unlike `extensionHistory`
   * without the state in force at `from` (an export lists what happened in the range).
   */
  *eachExtensionChange(extension: string, f: RangeFilter): Generator<HistoryItem> {
    const clauses = ['extension = @extension'];
    const params: Record<string, string | number> = { extension };
    if (f.pbx !== undefined) {
      clauses.push('pbx = @pbx');
      params.pbx = f.pbx;
    }
    if (f.from !== undefined) {
      clauses.push('at >= @from');
      params.from = f.from;
    }
    if (f.to !== undefined) {
      clauses.push('at < @to');
      params.to = f.to;
    }
    const sql = `SELECT pbx, at, state, registered FROM extension_history WHERE ${clauses.join(' AND ')} ORDER BY at, id`;
    for (const r of this.stmts.get(sql).iterate(params) as IterableIterator<HistoryRow>) {
      yield { ...r, registered: r.registered === 1 };
    }
  }
}

function gapsSql(f: RangeFilter): { sql: string; params: Record<string, string | number> } {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.to !== undefined) {
    clauses.push('started_at < @to');
    params.to = f.to;
  }
  if (f.from !== undefined) {
    clauses.push('(ended_at IS NULL OR ended_at > @from)');
    params.from = f.from;
  }
  if (f.pbx !== undefined) {
    // the exporter's own outages hide every PBX's calls, so they belong to every PBX's annotations
    clauses.push('(pbx = @pbx OR pbx IS NULL)');
    params.pbx = f.pbx;
  }
  const sql = `SELECT id, pbx, kind, reason, started_at, ended_at FROM gaps
                ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY started_at, id`;
  return { sql, params };
}
