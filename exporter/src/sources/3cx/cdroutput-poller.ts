import { EventEmitter } from 'node:events';
import { escapeIdentifier } from 'pg';
import type { Backoff } from '../runtime/backoff';
import type { Checkpoint } from './checkpoint';
import { CDROUTPUT_COLUMNS, timeOf, type CdrOutputRow } from './cdroutput-row';
import type { PgSession } from './pg-session';
import { PollLoop } from './poll-loop';

export interface PollPosition {
  /** epoch ms: every call whose last segment ended after this has not been handed over completely */
  hwm: number;
}

export interface CdrOutputPollerOptions {
  /** `cdroutput`, or `schema.table` */
  table?: string;
  intervalMs: number;
  /** a call is taken once its last segment ended this long ago (by the database clock) and its chain is closed */
  settleMs: number;
  /** a call whose chain never closes is taken as it is after this long */
  maxOpenMs: number;
  /** calls per query; a full batch is followed by the next at once */
  batch: number;
  /** where a first start begins (epoch ms) */
  since: number;
  /** how long to wait after a failed poll */
  backoff: Backoff;
}

export interface CdrOutputPollerEvents {
  /** a call held back (unfinished chain) was taken as it is, or a full batch made no progress */
  forced: [callHistoryId: string, why: string];
}

export type CallRows = (rows: CdrOutputRow[], origin: string) => void;

interface Group {
  id: string;
  rows: CdrOutputRow[];
  lastEnd: number;
}

const quoteTable = (t: string): string => t.split('.').map(escapeIdentifier).join('.');

/**
 * v20 Update 6+ database mode: polls `cdroutput` (one row per call segment) with a read-only session and hands
 * over each call once all its segments are in. A call is complete when every segment has ended and every
 * `continued_in_cdr_id` points at a segment that exists, and it has been quiet for `settleMs` by the database's own
 * clock (no skew between us and the PBX). The high-water mark is the last segment end up to which every call was
 * handed over; it only moves past a call that is still open once that call is older than `maxOpenMs`. Calls after
 * an open one may be handed over and then seen again on the next poll: the source's record keys make that harmless.
 */
export class CdrOutputPoller extends EventEmitter<CdrOutputPollerEvents> {
  /** a poll may run before start() (the first one, awaited by the source); only stop() ends polling */
  private readonly loop: PollLoop<number>;
  private hwm: number;
  private readonly backoff: Backoff;
  private readonly sql: string;

  constructor(
    private readonly db: PgSession,
    private readonly opts: CdrOutputPollerOptions,
    private readonly onCall: CallRows,
    private readonly position: Checkpoint<PollPosition>,
  ) {
    super();
    this.hwm = position.load()?.hwm ?? opts.since;
    this.backoff = opts.backoff;
    this.loop = new PollLoop(
      () => this.drain(),
      (ok) => {
        if (!ok) return this.backoff.next();
        this.backoff.reset();
        return this.opts.intervalMs;
      },
    );
    const table = quoteTable(opts.table ?? 'cdroutput');
    const cols = CDROUTPUT_COLUMNS.map((c) => `c.${c}`).join(', ');
    // the segments ended after the mark pick the calls; each picked call comes back with all its segments
    this.sql = `
      WITH touched AS (
        SELECT call_history_id, max(cdr_ended_at) AS last_end
          FROM ${table}
         WHERE cdr_ended_at > $1
         GROUP BY call_history_id
         ORDER BY last_end, call_history_id
         LIMIT $2)
      SELECT ${cols}, t.last_end AS touched_last_end, now() AS db_now
        FROM ${table} c JOIN touched t ON t.call_history_id = c.call_history_id
       ORDER BY t.last_end, c.call_history_id, c.cdr_started_at, c.cdr_id`;
  }

  get mark(): number {
    return this.hwm;
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    this.position.flush();
  }

  /** One poll (and its follow-ups while batches come back full). Resolves with the calls handed over. */
  poll(): Promise<number> {
    return this.loop.poll();
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 100 && !this.loop.stopped; round++) {
      const { handed, full } = await this.pollOnce();
      total += handed;
      if (!full) break;
    }
    return total;
  }

  private async pollOnce(): Promise<{ handed: number; full: boolean }> {
    const rows = await this.db.query<CdrOutputRow & { touched_last_end: Date; db_now: Date }>(this.sql, [
      new Date(this.hwm),
      this.opts.batch,
    ]);
    if (rows.length === 0) return { handed: 0, full: false };
    const dbNow = rows[0].db_now.getTime();
    const groups: Group[] = [];
    for (const r of rows) {
      const { touched_last_end, db_now: _now, ...row } = r;
      const last = groups[groups.length - 1];
      if (last?.id === row.call_history_id) last.rows.push(row);
      else groups.push({ id: row.call_history_id, rows: [row], lastEnd: touched_last_end.getTime() });
    }
    const full = groups.length >= this.opts.batch;
    let handed = 0;
    let blocked = false;
    let mark = this.hwm;
    for (const g of groups) {
      const age = dbNow - g.lastEnd;
      const ready = isClosed(g.rows) && age >= this.opts.settleMs;
      const overdue = age >= this.opts.maxOpenMs;
      if (ready || overdue) {
        if (!ready) this.emit('forced', g.id, 'chain still open after maxOpenSeconds');
        this.onCall(g.rows, `db:${this.opts.table ?? 'cdroutput'}/${g.id}`);
        handed++;
        if (!blocked) mark = Math.max(mark, g.lastEnd);
      } else {
        blocked = true;
      }
    }
    if (full && mark === this.hwm && handed === 0) {
      // a whole batch of open calls ending at the same instant would stall the mark forever: step past them
      const g = groups[0];
      this.emit('forced', g.id, 'a full batch made no progress');
      this.onCall(g.rows, `db:${this.opts.table ?? 'cdroutput'}/${g.id}`);
      mark = g.lastEnd;
      handed++;
    }
    const moved = mark !== this.hwm;
    if (moved) {
      this.hwm = mark;
      this.position.save({ hwm: mark });
    }
    return { handed, full: full && moved };
  }
}

/** Every segment has ended and every continuation it names is there. */
function isClosed(rows: CdrOutputRow[]): boolean {
  const ids = new Set(rows.map((r) => r.cdr_id));
  return rows.every(
    (r) =>
      timeOf(r.cdr_ended_at, 'cdr_ended_at', r.cdr_id) !== undefined &&
      (!r.continued_in_cdr_id || ids.has(r.continued_in_cdr_id)),
  );
}
