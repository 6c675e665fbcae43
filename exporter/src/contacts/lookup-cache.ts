import type { Logger } from 'pino';
import type { Contact } from './directory';
import { LookupError, type LookupFailure } from './lookup-client';

/** What a batch came to, as `switchboard_contact_lookups_total` counts it. */
export type LookupResult = 'ok' | LookupFailure;

export interface LookupCacheOptions {
  /** asks the service about a batch of E.164 numbers */
  lookup(numbers: readonly string[]): Promise<{ found: Map<string, Contact>; skipped: string[] }>;
  batchSize: number;
  /** how long an answer holds: numbers still in use are asked again this often, the rest forgotten */
  refreshMs: number;
  /** a batch that is not full waits this long for more numbers; default 50 ms */
  batchDelayMs?: number;
  /** after a failed batch, the next waits this long; default the refresh interval, at most 30 s */
  retryMs?: number;
  /** numbers waiting to be asked; more are not queued (they are asked when next seen); default 10,000 */
  maxPending?: number;
  /** answers kept; the oldest go first; default 100,000 */
  maxEntries?: number;
  /** names the service in the log */
  url?: string;
  log?: Logger;
  onBatch?: (result: LookupResult) => void;
}

interface Entry {
  /** null: the service does not know the number (negative caching: it is not asked again until the refresh) */
  contact: Contact | null;
  /** read since the last answer: still shown somewhere, so worth asking again at the refresh */
  used: boolean;
}

/**
 * The contacts an HTTP lookup service (a CRM) knows, asked for in batches and cached. `get` never waits: it answers
 * from the cache, or queues the number and answers undefined, so naming a call never holds up the call. One batch is
 * in flight at a time; a failing service is logged once (and again only after it answered in between), its numbers
 * are asked again after `retryMs`, and the names already known stay until it answers.
 */
export class LookupCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Set<string>();
  private inFlight = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly refreshTimer: NodeJS.Timeout;
  private retryAt = 0;
  private down = false;
  private closed = false;
  private readonly batchDelayMs: number;
  private readonly retryMs: number;
  private readonly maxPending: number;
  private readonly maxEntries: number;

  constructor(private readonly opts: LookupCacheOptions) {
    this.batchDelayMs = opts.batchDelayMs ?? 50;
    this.retryMs = opts.retryMs ?? Math.min(opts.refreshMs, 30_000);
    this.maxPending = opts.maxPending ?? 10_000;
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.refreshTimer = setInterval(() => this.refresh(), opts.refreshMs);
    this.refreshTimer.unref();
  }

  /** The contact for an E.164 number: known, null (the service has none), or undefined (asked, no answer yet). */
  get(e164: string): Contact | null | undefined {
    const e = this.entries.get(e164);
    if (e) {
      e.used = true;
      return e.contact;
    }
    this.ask(e164);
    return undefined;
  }

  /** Every contact the service named (for search by name). */
  *contacts(): Iterable<[string, Contact]> {
    for (const [n, e] of this.entries) if (e.contact) yield [n, e.contact];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Numbers waiting for a batch. */
  get waiting(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.refreshTimer);
    clearTimeout(this.timer);
  }

  private ask(e164: string): void {
    if (this.pending.has(e164) || this.pending.size >= this.maxPending) return;
    this.pending.add(e164);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.inFlight || this.timer || !this.pending.size) return;
    const delay = Math.max(this.pending.size >= this.opts.batchSize ? 0 : this.batchDelayMs, this.retryAt - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, delay);
    this.timer.unref();
  }

  private async send(): Promise<void> {
    const batch: string[] = [];
    for (const n of this.pending) {
      if (batch.length >= this.opts.batchSize) break;
      batch.push(n);
    }
    for (const n of batch) this.pending.delete(n);
    this.inFlight = true;
    try {
      const { found, skipped } = await this.opts.lookup(batch);
      if (this.closed) return;
      for (const n of batch) {
        const was = this.entries.get(n);
        this.entries.delete(n); // re-inserted last: the oldest answers are the first to go when over the bound
        this.entries.set(n, { contact: found.get(n) ?? null, used: was?.used ?? false });
      }
      for (const n of this.entries.keys()) {
        if (this.entries.size <= this.maxEntries) break;
        this.entries.delete(n);
      }
      this.retryAt = 0;
      this.opts.onBatch?.('ok');
      if (skipped.length) {
        this.opts.log?.warn(
          { url: this.opts.url, count: skipped.length, first: skipped.slice(0, 3) },
          'contacts lookup: entries of the answer skipped',
        );
      }
      if (this.down) {
        this.down = false;
        this.opts.log?.info({ url: this.opts.url }, 'contacts lookup answers again');
      }
    } catch (err) {
      const kind: LookupFailure = err instanceof LookupError ? err.kind : 'network';
      this.opts.onBatch?.(kind);
      if (!this.down) {
        this.down = true;
        this.opts.log?.error(
          { url: this.opts.url, reason: (err as Error).message },
          'contacts lookup failed; calls keep the names known so far and are named once it answers (logged once until then)',
        );
      }
      // asked again after the pause; room permitting, as numbers seen meanwhile are as worth asking
      for (const n of batch) if (this.pending.size < this.maxPending) this.pending.add(n);
      this.retryAt = Date.now() + this.retryMs;
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }

  /**
   * Every interval: answers read since they came are asked for again, the others forgotten; while the service is
   * down nothing is forgotten, as a name dropped then could not be had again.
   */
  private refresh(): void {
    for (const [n, e] of this.entries) {
      if (!e.used) {
        if (!this.down) this.entries.delete(n);
      } else {
        e.used = false;
        this.ask(n);
      }
    }
  }
}
