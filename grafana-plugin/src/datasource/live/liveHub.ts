// Long on purpose (about 340 lines): one connection state machine (snapshot, stream, backoff, polling fallback)
// whose timers and counters change together; split across files its transitions could no longer be read in one place.

import { asyncScheduler, BehaviorSubject, Observable, throttleTime } from 'rxjs';
import type { ApiSnapshot } from '../api/types';
import { applyEvent, applySnapshot, emptyLiveState, STREAM_EVENTS, type Collection, type LiveState } from './liveState';

/** What the hub needs of a browser EventSource; tests pass a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export type ConnectionStatus = 'idle' | 'connecting' | 'streaming' | 'polling';

export interface HubView {
  state: LiveState;
  status: ConnectionStatus;
  /** Why the stream is not used, or why a snapshot failed; cleared once the stream delivers. */
  error?: string;
  /** The last REST snapshot of a collection failed with this; cleared by its next success or the stream's snapshot. */
  fetchErrors: ReadonlyMap<Collection, string>;
  /**
   * Since when (epoch ms) neither the stream nor the REST snapshots reach the exporter: the state shown is frozen
   * at that moment. Unset while either works.
   */
  unreachableSince?: number;
}

export interface LiveHubOptions {
  /** `<proxy>/api/api/v1/stream`: same origin as Grafana, so the session cookie goes along. */
  streamUrl: string;
  /** The REST snapshot of one collection (first paint, and polling while the stream is down). */
  fetchCollection(collection: Collection): Promise<unknown[]>;
  /** Defaults to the browser's EventSource; without one the hub polls. */
  createEventSource?: (url: string) => EventSourceLike;
  pollIntervalMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Consecutive stream failures before polling starts (the stream keeps being retried). */
  fallbackAfterErrors?: number;
  /** An open stream without a snapshot by then is behind a buffering proxy: poll meanwhile. */
  snapshotTimeoutMs?: number;
  /** Re-emits to queries at most this often (leading and trailing), 0 = every change. */
  throttleMs?: number;
  random?: () => number;
}

/**
 * The live state of one data-source instance: ONE EventSource shared by every live query, opened with the first
 * watcher and closed with the last. The stream's `snapshot` replaces everything, deltas patch it; while the
 * stream is down the hub reconnects with exponential backoff and polls the REST snapshots meanwhile.
 */
export class LiveHub {
  private state: LiveState = emptyLiveState();
  private status: ConnectionStatus = 'idle';
  private error?: string;
  private fetchErrors = new Map<Collection, string>();
  /** When the stream last failed after delivering; the moment the state stopped being live. */
  private lostAt?: number;
  private unreachableSince?: number;
  private readonly subject = new BehaviorSubject<HubView>(this.view());
  private readonly watchers = new Map<Collection, number>();
  private readonly pending = new Set<Collection>();
  private es?: EventSourceLike;
  private streamSynced = false;
  private attempt = 0;
  private failures = 0;
  private generation = 0;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private snapshotTimer?: ReturnType<typeof setTimeout>;
  private pollTimer?: ReturnType<typeof setInterval>;
  private readonly opts: Required<Omit<LiveHubOptions, 'createEventSource'>> &
    Pick<LiveHubOptions, 'createEventSource'>;

  constructor(options: LiveHubOptions) {
    this.opts = {
      pollIntervalMs: 5000,
      initialBackoffMs: 1000,
      maxBackoffMs: 30000,
      fallbackAfterErrors: 2,
      snapshotTimeoutMs: 10000,
      throttleMs: 250,
      random: Math.random,
      ...options,
      createEventSource: options.createEventSource ?? defaultEventSource(),
    };
  }

  /** Views of the shared state for one collection; subscribing opens the stream, the last unsubscribe closes it. */
  watch(collection: Collection): Observable<HubView> {
    return new Observable<HubView>((subscriber) => {
      this.retain(collection);
      const source =
        this.opts.throttleMs > 0
          ? this.subject.pipe(throttleTime(this.opts.throttleMs, asyncScheduler, { leading: true, trailing: true }))
          : this.subject;
      const sub = source.subscribe(subscriber);
      return () => {
        sub.unsubscribe();
        this.release(collection);
      };
    });
  }

  get connection(): ConnectionStatus {
    return this.status;
  }

  get watcherCount(): number {
    let n = 0;
    this.watchers.forEach((c) => (n += c));
    return n;
  }

  private retain(collection: Collection) {
    const first = this.watcherCount === 0;
    this.watchers.set(collection, (this.watchers.get(collection) ?? 0) + 1);
    if (first) {
      this.connect();
    }
    if (!this.state.loaded.has(collection)) {
      this.fetchSnapshot(collection);
    }
  }

  private release(collection: Collection) {
    const n = (this.watchers.get(collection) ?? 0) - 1;
    if (n > 0) {
      this.watchers.set(collection, n);
    } else {
      this.watchers.delete(collection);
    }
    if (this.watcherCount === 0) {
      this.shutdown();
    }
  }

  private view(): HubView {
    return {
      state: this.state,
      status: this.status,
      error: this.error,
      fetchErrors: this.fetchErrors,
      unreachableSince: this.unreachableSince,
    };
  }

  private publish() {
    this.subject.next(this.view());
  }

  private setState(next: LiveState) {
    if (next !== this.state) {
      this.state = next;
      this.publish();
    }
  }

  private fetchSnapshot(collection: Collection) {
    if (this.pending.has(collection)) {
      return;
    }
    this.pending.add(collection);
    const generation = this.generation;
    this.opts.fetchCollection(collection).then(
      (items) => {
        if (generation !== this.generation) {
          return;
        }
        this.pending.delete(collection);
        this.reachable(collection);
        // Once the stream has delivered its snapshot, it is fresher than any REST answer still in flight.
        if (this.streamSynced && this.state.loaded.has(collection)) {
          this.publish();
          return;
        }
        this.state = applySnapshot(this.state, { [collection]: items } as Partial<ApiSnapshot>);
        this.publish();
      },
      (err: unknown) => {
        if (generation !== this.generation) {
          return;
        }
        this.pending.delete(collection);
        const message = err instanceof Error ? err.message : String(err);
        this.fetchErrors = new Map(this.fetchErrors).set(collection, message);
        this.error = message;
        if (!this.streamSynced && this.unreachableSince === undefined) {
          this.unreachableSince = this.lostAt ?? Date.now();
        }
        this.publish();
      }
    );
  }

  private connect() {
    const create = this.opts.createEventSource;
    if (!create) {
      this.error = 'This browser has no EventSource: polling';
      this.startPolling();
      return;
    }
    this.status = this.pollTimer ? 'polling' : 'connecting';
    let es: EventSourceLike;
    try {
      es = create(this.opts.streamUrl);
    } catch (err) {
      this.onStreamError(err instanceof Error ? err.message : String(err));
      return;
    }
    this.es = es;
    es.onopen = () => {
      clearTimeout(this.snapshotTimer);
      this.snapshotTimer = setTimeout(() => {
        if (!this.streamSynced) {
          this.error = 'The live stream sent no snapshot (a buffering proxy?): polling meanwhile';
          this.startPolling();
        }
      }, this.opts.snapshotTimeoutMs);
    };
    es.onerror = () => {
      if (this.es === es) {
        this.onStreamError('The live stream was interrupted');
      }
    };
    for (const event of STREAM_EVENTS) {
      es.addEventListener(event, (ev: MessageEvent) => {
        if (this.es === es) {
          this.onMessage(event, ev.data);
        }
      });
    }
  }

  private onMessage(event: string, data: unknown) {
    let payload: unknown;
    try {
      payload = typeof data === 'string' ? JSON.parse(data) : data;
    } catch {
      return; // a malformed message is dropped, the stream goes on
    }
    if (event === 'snapshot') {
      this.streamSynced = true;
      this.attempt = 0;
      this.failures = 0;
      this.error = undefined;
      this.fetchErrors = new Map();
      this.lostAt = undefined;
      this.unreachableSince = undefined;
      this.status = 'streaming';
      clearTimeout(this.snapshotTimer);
      this.stopPolling();
      this.state = applyEvent(this.state, event, payload);
      this.publish();
      return;
    }
    this.setState(applyEvent(this.state, event, payload));
  }

  private onStreamError(reason: string) {
    this.es?.close();
    this.es = undefined;
    if (this.streamSynced) {
      this.lostAt = Date.now();
    }
    this.streamSynced = false;
    clearTimeout(this.snapshotTimer);
    this.failures += 1;
    const delay = Math.min(this.opts.maxBackoffMs, this.opts.initialBackoffMs * 2 ** this.attempt);
    this.attempt += 1;
    const wait = Math.round(delay * (1 + 0.2 * this.opts.random()));
    if (this.failures >= this.opts.fallbackAfterErrors) {
      this.error = `${reason}; polling every ${Math.round(this.opts.pollIntervalMs / 1000)} s, reconnecting in ${Math.round(wait / 1000)} s`;
      this.startPolling();
    } else {
      this.status = 'connecting';
      this.error = `${reason}; reconnecting in ${Math.round(wait / 1000)} s`;
      this.publish();
    }
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), wait);
  }

  /** A REST snapshot of `collection` arrived: the exporter answers, whatever the stream does. */
  private reachable(collection: Collection) {
    if (this.fetchErrors.has(collection)) {
      this.fetchErrors = new Map(this.fetchErrors);
      this.fetchErrors.delete(collection);
    }
    if (this.fetchErrors.size === 0) {
      this.unreachableSince = undefined;
      this.lostAt = undefined;
    }
  }

  private startPolling() {
    this.status = 'polling';
    this.publish();
    if (this.pollTimer) {
      return;
    }
    const poll = () => this.watchers.forEach((_n, collection) => this.fetchSnapshot(collection));
    poll();
    this.pollTimer = setInterval(poll, this.opts.pollIntervalMs);
  }

  private stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private shutdown() {
    this.generation += 1;
    this.es?.close();
    this.es = undefined;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.snapshotTimer);
    this.stopPolling();
    this.pending.clear();
    this.streamSynced = false;
    this.attempt = 0;
    this.failures = 0;
    this.error = undefined;
    this.fetchErrors = new Map();
    this.lostAt = undefined;
    this.unreachableSince = undefined;
    this.status = 'idle';
    // Nobody watches: drop the state, the next watcher starts from a fresh snapshot.
    this.state = emptyLiveState();
    this.subject.next(this.view());
  }
}

function defaultEventSource(): ((url: string) => EventSourceLike) | undefined {
  if (typeof EventSource === 'undefined') {
    return undefined;
  }
  // withCredentials is moot on the same origin; the Grafana session cookie is sent anyway.
  return (url: string) => new EventSource(url) as unknown as EventSourceLike;
}
