import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Call, Gap, SourceStatus } from '../domain';
import type { Hub } from '../hub';
import { callEvent } from '../wire/call-events';
import type { SinkConfig, SinkEvent } from './config';
import { Outbox, type NewDelivery } from './outbox';
import { SinkWorker, type AttemptResult, type DropReason } from './worker';

export interface SinksEvents {
  attempt: [sink: string, result: AttemptResult, seconds: number];
  dropped: [sink: string, reason: DropReason, count: number];
}

export interface SinkState {
  sink: string;
  pending: number;
  /** epoch ms of the oldest delivery waiting, if any */
  oldestAt?: number;
  lastSuccessAt?: number;
  /** attempts since start, by result */
  attempts: Record<AttemptResult, number>;
  /** deliveries dropped since start, by reason */
  dropped: Record<DropReason, number>;
  /** time spent in requests since start */
  requestSeconds: number;
}

interface Tally {
  attempts: Record<AttemptResult, number>;
  dropped: Record<DropReason, number>;
  requestSeconds: number;
}

export interface SinksOptions {
  /** how long new deliveries gather before they are written (one transaction per batch) */
  flushMs?: number;
  now?: () => number;
}

/** A sink config whose `secretFile` has been read. */
export type ResolvedSink = SinkConfig & { secret: string };

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * Webhook out. Subscribes to the hub like the store does and never answers it: every finished call (and, if a sink
 * asks, every gap and source change) becomes one delivery per sink in the durable outbox. The hub handler only pushes
 * to memory; rows are written in batches and delivered by one worker per sink, so a sink that is slow or down costs
 * ingest nothing. The outbox is bounded per sink: beyond `maxPending` the oldest deliveries are dropped and counted.
 */
export class Sinks extends EventEmitter<SinksEvents> {
  private readonly outbox: Outbox;
  private readonly workers = new Map<string, SinkWorker>();
  private readonly byName = new Map<string, ResolvedSink>();
  private buffer: NewDelivery[] = [];
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly lastConnected = new Map<string, boolean>();
  /** rows waiting per sink, kept in memory so a scrape never counts rows in SQLite */
  private readonly pending = new Map<string, number>();
  private readonly tally = new Map<string, Tally>();
  private readonly now: () => number;

  constructor(
    private readonly sinks: readonly ResolvedSink[],
    db: Database,
    private readonly log: Logger,
    private readonly opts: SinksOptions = {},
  ) {
    super();
    this.now = opts.now ?? Date.now;
    this.outbox = new Outbox(db);
    this.on('attempt', (sink, result, seconds) => {
      const t = this.tally.get(sink);
      if (!t) return;
      t.attempts[result]++;
      t.requestSeconds += seconds;
    });
    this.on('dropped', (sink, reason, count) => {
      const t = this.tally.get(sink);
      if (t) t.dropped[reason] += count;
    });
    for (const s of sinks) {
      this.byName.set(s.name, s);
      this.pending.set(s.name, this.outbox.pending(s.name));
      this.tally.set(s.name, {
        attempts: { delivered: 0, failed: 0, rejected: 0 },
        dropped: { full: 0, expired: 0, rejected: 0 },
        requestSeconds: 0,
      });
      this.workers.set(
        s.name,
        new SinkWorker(
          s,
          this.outbox,
          {
            attempt: (sink, result, seconds) => this.emit('attempt', sink, result, seconds),
            dropped: (sink, reason, count) => {
              // a refused delivery already left through done()
              if (reason === 'expired') this.pending.set(sink, Math.max(0, (this.pending.get(sink) ?? 0) - count));
              this.emit('dropped', sink, reason, count);
              this.log.warn({ sink, reason, count }, 'sink deliveries dropped');
            },
            done: (sink) => this.pending.set(sink, Math.max(0, (this.pending.get(sink) ?? 0) - 1)),
            health: (sink, failing, detail) =>
              failing
                ? this.log.warn({ sink, url: s.url }, `sink failing: ${detail}`)
                : this.log.info({ sink }, `sink ${detail}`),
          },
          this.now,
        ),
      );
    }
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** Starts listening and delivers what a previous run left in the outbox. */
  start(hub: Hub): void {
    if (this.sinks.length === 0) return;
    const on = <K extends 'callEnded' | 'gap' | 'source'>(event: K, fn: (...a: never[]) => void): void => {
      hub.on(event, fn as never);
      this.unsubscribe.push(() => hub.off(event, fn as never));
    };
    on('callEnded', (c: Call) => this.offer('call', c.pbx, c.id, () => ({ source: c.pbx, events: [callEvent(c)] })));
    on('gap', (g: Gap) =>
      this.offer('gap', g.pbx, undefined, () => ({
        source: g.pbx,
        events: [
          {
            type: 'gap',
            pbx: g.pbx,
            kind: g.kind,
            reason: g.reason,
            startedAt: iso(g.startedAt),
            endedAt: iso(g.endedAt),
          },
        ],
      })),
    );
    on('source', (s: SourceStatus) => {
      // sources republish their status to keep lastEventAt fresh: only a change of up/down is an event
      if (this.lastConnected.get(s.pbx) === s.connected) return;
      const first = !this.lastConnected.has(s.pbx);
      this.lastConnected.set(s.pbx, s.connected);
      if (first && s.connected) return;
      this.offer('source', s.pbx, undefined, () => ({
        source: s.pbx,
        events: [
          {
            type: 'source',
            pbx: s.pbx,
            kind: s.kind,
            connected: s.connected,
            reason: s.reason ?? null,
            at: iso(this.now()),
          },
        ],
      }));
    });
    for (const w of this.workers.values()) w.wake();
  }

  /** Writes what is buffered, stops the workers (a delivery in flight finishes or times out). */
  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }

  /** Each sink's outbox and its counts since start, from memory (no query): what the metrics show at scrape time. */
  state(): SinkState[] {
    return this.sinks.map((s) => {
      const w = this.workers.get(s.name);
      const t = this.tally.get(s.name)!;
      const st: SinkState = {
        sink: s.name,
        pending: this.pending.get(s.name) ?? 0,
        attempts: { ...t.attempts },
        dropped: { ...t.dropped },
        requestSeconds: t.requestSeconds,
      };
      if (st.pending > 0 && w?.headCreatedAt !== undefined) st.oldestAt = w.headCreatedAt;
      if (w?.lastSuccessAt !== undefined) st.lastSuccessAt = w.lastSuccessAt;
      return st;
    });
  }

  /** Writes buffered deliveries now (the timer does it within `flushMs`). */
  flush(): void {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    let dropped: Map<string, number>;
    try {
      dropped = this.outbox.add(batch, (sink) => this.byName.get(sink)?.maxPending ?? 10_000);
    } catch (err) {
      // keep them for the next try; a database that stays broken is the store's alarm to raise
      this.buffer = batch.concat(this.buffer).slice(-100_000);
      this.log.error({ err }, 'sink outbox write failed; deliveries kept in memory for the next attempt');
      return;
    }
    for (const d of batch) this.pending.set(d.sink, (this.pending.get(d.sink) ?? 0) + 1);
    for (const [sink, n] of dropped) {
      this.pending.set(sink, Math.max(0, (this.pending.get(sink) ?? 0) - n));
      this.emit('dropped', sink, 'full', n);
      this.log.warn({ sink, count: n }, 'sink outbox full: oldest deliveries dropped');
    }
    for (const sink of new Set(batch.map((d) => d.sink))) this.workers.get(sink)?.wake();
  }

  private offer(event: SinkEvent, pbx: string | null, subject: string | undefined, payload: () => unknown): void {
    let body: string | undefined;
    for (const s of this.sinks) {
      if (!s.events.includes(event)) continue;
      if (s.pbx.length > 0 && (pbx === null || !s.pbx.includes(pbx))) continue;
      body ??= JSON.stringify(payload());
      this.buffer.push({
        sink: s.name,
        delivery: randomUUID(),
        event,
        subject: subject ?? null,
        body,
        createdAt: this.now(),
      });
    }
    if (body !== undefined && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.opts.flushMs ?? 100);
      this.timer.unref();
    }
  }
}
