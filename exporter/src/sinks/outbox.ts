import type { Database, Statement } from 'better-sqlite3';

export interface Delivery {
  id: number;
  sink: string;
  /** the id the receiver sees (header and Idempotency-Key): stable across retries and restarts */
  delivery: string;
  event: string;
  subject: string | null;
  body: string;
  createdAt: number;
  attempts: number;
  nextAt: number;
}

export type NewDelivery = Pick<Delivery, 'sink' | 'delivery' | 'event' | 'subject' | 'body' | 'createdAt'>;

/**
 * The sinks' durable queue: table `sink_outbox` of the exporter's database (migration 4). Rows are delivered in id
 * order per sink and deleted when the receiver took them, so a restart resumes exactly where delivery stood.
 */
export class Outbox {
  private readonly s: Record<'insert' | 'head' | 'ack' | 'retry' | 'trim' | 'expire' | 'count', Statement>;

  constructor(private readonly db: Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO sink_outbox (sink, delivery, event, subject, body, created_at, next_at)
         VALUES (@sink, @delivery, @event, @subject, @body, @createdAt, @createdAt)`,
      ),
      head: db.prepare(
        `SELECT id, sink, delivery, event, subject, body, created_at AS createdAt, attempts, next_at AS nextAt
           FROM sink_outbox WHERE sink = ? ORDER BY id LIMIT 1`,
      ),
      ack: db.prepare('DELETE FROM sink_outbox WHERE id = ?'),
      retry: db.prepare('UPDATE sink_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?'),
      trim: db.prepare(
        `DELETE FROM sink_outbox WHERE sink = @sink AND id <= (
           SELECT id FROM sink_outbox WHERE sink = @sink ORDER BY id DESC LIMIT 1 OFFSET @keep)`,
      ),
      expire: db.prepare('DELETE FROM sink_outbox WHERE sink = ? AND created_at < ?'),
      count: db.prepare('SELECT count(*) AS n FROM sink_outbox WHERE sink = ?'),
    };
  }

  /** Adds deliveries in one transaction; then trims each sink to its bound. Returns the deliveries dropped per sink. */
  add(items: readonly NewDelivery[], bound: (sink: string) => number): Map<string, number> {
    const dropped = new Map<string, number>();
    this.db.transaction(() => {
      for (const d of items) this.s.insert.run(d);
      for (const sink of new Set(items.map((d) => d.sink))) {
        const n = this.s.trim.run({ sink, keep: bound(sink) }).changes;
        if (n > 0) dropped.set(sink, n);
      }
    })();
    return dropped;
  }

  head(sink: string): Delivery | undefined {
    return this.s.head.get(sink) as Delivery | undefined;
  }

  /** Deletes a delivery; false when it was gone already (trimmed while in flight). */
  ack(id: number): boolean {
    return this.s.ack.run(id).changes > 0;
  }

  retryAt(id: number, nextAt: number, error: string): void {
    this.s.retry.run(nextAt, error.slice(0, 500), id);
  }

  /** Drops what is older than `before`; returns how many. */
  expire(sink: string, before: number): number {
    return this.s.expire.run(sink, before).changes;
  }

  /** Rows waiting for `sink`: read once at start; the sinks keep the figure in memory from then on. */
  pending(sink: string): number {
    return (this.s.count.get(sink) as { n: number }).n;
  }
}
