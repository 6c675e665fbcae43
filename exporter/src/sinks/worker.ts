import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../wire/signature';
import { VERSION } from '../version';
import type { SinkConfig } from './config';
import type { Delivery, Outbox } from './outbox';

export type AttemptResult = 'delivered' | 'failed' | 'rejected';
export type DropReason = 'full' | 'expired' | 'rejected';

export interface SinkObserver {
  attempt(sink: string, result: AttemptResult, seconds: number): void;
  dropped(sink: string, reason: DropReason, count: number): void;
  /** a delivery left the outbox (taken by the receiver, or refused for good) */
  done(sink: string): void;
  /** one line for the log when a sink starts or stops failing */
  health(sink: string, failing: boolean, detail: string): void;
}

/** Statuses that say the delivery itself is wrong: sending it again cannot help. Everything else is retried. */
const PERMANENT = new Set([400, 413, 415, 422]);
const EXPIRE_EVERY_MS = 60_000;

/** Exponential from `min`, capped at `max`, with jitter in the upper half so retries of many exporters spread. */
export function retryDelayMs(
  attempts: number,
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const t = Date.parse(header);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

/**
 * Delivers one sink's outbox, strictly in order: one request at a time, the oldest delivery first, the next only once
 * it was taken (2xx) or dropped. So a call's deliveries — and everything else — reach the receiver in the order they
 * happened, however long the receiver was away. A failure waits out an exponential backoff (or the receiver's
 * Retry-After) and tries the same delivery again; a 400/413/415/422 is the receiver refusing this very body and drops
 * it (counted). Each request is signed afresh, so a delivery retried after hours still carries a current timestamp.
 */
export class SinkWorker {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private again = false;
  private stopped = false;
  /** aborts a delivery in flight at stop: the row stays and goes out next run (its Idempotency-Key covers a repeat) */
  private readonly abort = new AbortController();
  private failing = false;
  private lastExpiry = 0;
  lastSuccessAt?: number;
  /** when the delivery at the head of the outbox was created: the oldest one waiting */
  headCreatedAt?: number;

  constructor(
    private readonly cfg: SinkConfig & { secret: string },
    private readonly outbox: Outbox,
    private readonly observer: SinkObserver,
    private readonly now: () => number = Date.now,
  ) {}

  get name(): string {
    return this.cfg.name;
  }

  /** Something was added: deliver now, unless the head of the queue waits for its retry (order before speed). */
  wake(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      // the running pass may already have looked at an empty outbox: it runs once more when done
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.inFlight = this.pump().finally(() => {
      this.inFlight = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.inFlight;
  }

  private later(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, ms);
    this.timer.unref();
  }

  private async pump(): Promise<void> {
    while (!this.stopped) {
      const now = this.now();
      if (now - this.lastExpiry >= EXPIRE_EVERY_MS) {
        this.lastExpiry = now;
        const n = this.outbox.expire(this.cfg.name, now - this.cfg.maxAgeHours * 3_600_000);
        if (n > 0) this.observer.dropped(this.cfg.name, 'expired', n);
      }
      const head = this.outbox.head(this.cfg.name);
      this.headCreatedAt = head?.createdAt;
      if (!head) return;
      if (head.nextAt > now) return this.later(head.nextAt - now);
      await this.deliver(head);
    }
  }

  private async deliver(d: Delivery): Promise<void> {
    const started = this.now();
    const ts = Math.floor(started / 1000);
    let status = 0;
    let error = '';
    let retryAfter: number | undefined;
    try {
      const res = await fetch(this.cfg.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.cfg.timeoutSeconds * 1000), this.abort.signal]),
        headers: {
          ...this.cfg.headers,
          'content-type': 'application/json',
          'user-agent': `switchboard/${VERSION}`,
          'x-switchboard-delivery': d.delivery,
          'x-switchboard-event': d.event,
          'idempotency-key': d.delivery,
          [TIMESTAMP_HEADER]: String(ts),
          [SIGNATURE_HEADER]: sign(this.cfg.secret, ts, d.body),
        },
        body: d.body,
      });
      status = res.status;
      retryAfter = retryAfterMs(res.headers.get('retry-after'), this.now());
      // the body is not ours to read, but an unread body keeps the connection busy
      await res.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? `timeout after ${this.cfg.timeoutSeconds} s` : (e.cause?.code ?? e.message);
    }
    const seconds = (this.now() - started) / 1000;
    if (this.stopped && error) return;
    if (!error) {
      if (this.outbox.ack(d.id)) this.observer.done(this.cfg.name);
      this.lastSuccessAt = this.now();
      this.observer.attempt(this.cfg.name, 'delivered', seconds);
      this.health(false, 'delivering again');
      return;
    }
    if (PERMANENT.has(status)) {
      if (this.outbox.ack(d.id)) this.observer.done(this.cfg.name);
      this.observer.attempt(this.cfg.name, 'rejected', seconds);
      this.observer.dropped(this.cfg.name, 'rejected', 1);
      this.health(true, `receiver refused delivery ${d.delivery} with ${error}; dropped`);
      return;
    }
    const delay = Math.max(
      retryDelayMs(d.attempts, this.cfg.retryMinSeconds * 1000, this.cfg.retryMaxSeconds * 1000),
      retryAfter ?? 0,
    );
    this.outbox.retryAt(d.id, this.now() + delay, error);
    this.observer.attempt(this.cfg.name, 'failed', seconds);
    this.health(true, `${error}; retrying in ${Math.round(delay / 100) / 10} s`);
  }

  private health(failing: boolean, detail: string): void {
    if (failing === this.failing) return;
    this.failing = failing;
    this.observer.health(this.cfg.name, failing, detail);
  }
}
