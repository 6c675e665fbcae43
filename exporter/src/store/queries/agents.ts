import type { Database } from 'better-sqlite3';
import { finishedRange, type FinishedRange } from './finished-range';
import { StatementCache } from './statements';

export interface AgentQuery extends FinishedRange {
  /** one agent only */
  extension?: string;
}

/** Sums per (bucket, PBX, agent); averages are derived by the caller. */
export interface AgentRow {
  bucket: number;
  pbx: string;
  agent: string;
  name: string | null;
  /** calls that rang at the agent (inbound, internal, from a queue or group) */
  offered: number;
  answered: number;
  /** rang at the agent, not answered by the agent */
  missed: number;
  /** outbound calls the agent placed */
  outbound: number;
  outboundAnswered: number;
  /** talk and hold of the calls the agent handled: answered, or placed and answered */
  talkMs: number;
  holdMs: number;
  handled: number;
}

/**
 * The agent report: what each extension did. Inbound side as in the stats by extension (a call counts once per
 * agent however many legs rang there; the caller's own leg does not count); outbound: calls the agent placed
 * (the calling party of an outbound call). Finished calls only, by start time.
 */
export class AgentQueries {
  private readonly stmts: StatementCache;

  constructor(db: Database) {
    this.stmts = new StatementCache(db);
  }

  run(q: AgentQuery): AgentRow[] {
    const { bucket, filters, params } = finishedRange(q);
    const rangAt = q.extension === undefined ? '' : 'AND l.party = @agent';
    const placedBy = q.extension === undefined ? '' : 'AND c.from_number = @agent';
    if (q.extension !== undefined) params.agent = q.extension;
    const where = filters.join(' AND ');
    const sql = `
      SELECT bucket, pbx, agent, max(name) AS name,
             sum(rang) AS offered, sum(mine) AS answered, sum(rang) - sum(mine) AS missed,
             sum(placed) AS outbound, sum(placed_answered) AS outboundAnswered,
             sum(talk) AS talkMs, sum(hold) AS holdMs, sum(mine) + sum(placed_answered) AS handled
        FROM (SELECT ${bucket} AS bucket, c.pbx AS pbx, l.party AS agent, max(l.name) AS name, 1 AS rang,
                     c.answered_by IS l.party AS mine, 0 AS placed, 0 AS placed_answered,
                     CASE WHEN c.answered_by IS l.party THEN c.talk_ms ELSE 0 END AS talk,
                     CASE WHEN c.answered_by IS l.party THEN c.hold_ms ELSE 0 END AS hold
                FROM calls c JOIN call_legs l ON l.call_rowid = c.rowid
               WHERE ${where} AND l.role = 'extension' AND l.party IS NOT c.from_number ${rangAt}
               GROUP BY c.rowid, l.party
              UNION ALL
              SELECT ${bucket}, c.pbx, c.from_number, c.from_name, 0, 0, 1, c.status = 'answered',
                     CASE WHEN c.status = 'answered' THEN c.talk_ms ELSE 0 END,
                     CASE WHEN c.status = 'answered' THEN c.hold_ms ELSE 0 END
                FROM calls c
               WHERE ${where} AND c.direction = 'outbound' ${placedBy})
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
    return this.stmts.get(sql).all(params) as AgentRow[];
  }
}
