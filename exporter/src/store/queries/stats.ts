import type { Database } from 'better-sqlite3';
import { finishedRange, type FinishedRange } from './finished-range';
import { StatementCache } from './statements';

export const STATS_GROUPS = ['extension', 'queue', 'direction', 'status'] as const;
export type StatsGroup = (typeof STATS_GROUPS)[number];

/**
 * Buckets align to multiples of `intervalMs` since the epoch in shifted time (`shiftMs`, the zone's UTC offset),
 * which the caller maps back to an instant.
 */
export interface StatsQuery extends FinishedRange {
  groupBy?: StatsGroup;
  /** answered within this wait counts toward the service level */
  slThresholdMs: number;
}

/** Sums per (bucket, key); ratios are derived by the caller so empty buckets stay honest (null, not 0). */
export interface StatsRow {
  bucket: number;
  key: string;
  offered: number;
  answered: number;
  missed: number;
  abandoned: number;
  talkMs: number;
  /** Σ wait of answered calls */
  answerWaitMs: number;
  answeredWithinSl: number;
}

// the caller's wait until a person answered: queue wait where there was a queue, else time to answer
const WAIT = 'coalesce(c.wait_ms, c.answered_at - c.started_at, 0)';

/**
 * Call-centre KPIs from finished calls (open calls are not counted until they end).
 * - offered: calls; answered: answered by a person; missed: truly missed (inbound, nobody answered; abandoned
 *   included); abandoned: the caller hung up while waiting.
 * - by extension: the calls that rang at the extension (it had a leg and was not the caller); answered means this
 *   extension answered, missed means it rang here but this extension did not answer (ring-no-answer).
 */
export class StatsQueries {
  private readonly stmts: StatementCache;

  constructor(db: Database) {
    this.stmts = new StatementCache(db);
  }

  run(q: StatsQuery): StatsRow[] {
    const { bucket, filters, params } = finishedRange(q);
    params.sl = q.slThresholdMs;
    let sql: string;
    if (q.groupBy === 'extension') {
      // one row per (call, extension that rang), however many legs the extension had in the call
      sql = `
        SELECT bucket, party AS key,
               count(*) AS offered,
               sum(mine) AS answered,
               count(*) - sum(mine) AS missed,
               sum(abandoned) AS abandoned,
               sum(CASE WHEN mine THEN talk ELSE 0 END) AS talkMs,
               sum(CASE WHEN mine THEN wait ELSE 0 END) AS answerWaitMs,
               sum(mine AND wait <= @sl) AS answeredWithinSl
          FROM (SELECT ${bucket} AS bucket, l.party AS party, c.answered_by IS l.party AS mine,
                       c.status = 'abandoned' AS abandoned, c.talk_ms AS talk, ${WAIT} AS wait
                  FROM calls c JOIN call_legs l ON l.call_rowid = c.rowid
                 WHERE ${filters.join(' AND ')} AND l.role = 'extension' AND l.party IS NOT c.from_number
                 GROUP BY c.rowid, l.party)
         GROUP BY 1, 2 ORDER BY 1, 2`;
    } else {
      const key = q.groupBy === undefined ? "'all'" : `c.${q.groupBy}`;
      if (q.groupBy === 'queue') filters.push('c.queue IS NOT NULL');
      sql = `
        SELECT ${bucket} AS bucket, ${key} AS key,
               count(*) AS offered,
               sum(c.status = 'answered') AS answered,
               sum(c.truly_missed) AS missed,
               sum(c.status = 'abandoned') AS abandoned,
               sum(CASE WHEN c.status = 'answered' THEN c.talk_ms ELSE 0 END) AS talkMs,
               sum(CASE WHEN c.status = 'answered' THEN ${WAIT} ELSE 0 END) AS answerWaitMs,
               sum(c.status = 'answered' AND ${WAIT} <= @sl) AS answeredWithinSl
          FROM calls c WHERE ${filters.join(' AND ')}
         GROUP BY 1, 2 ORDER BY 1, 2`;
    }
    return this.stmts.get(sql).all(params) as StatsRow[];
  }
}
