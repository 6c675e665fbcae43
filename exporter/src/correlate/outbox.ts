import type { Call, QueueCallResult } from '../domain';
import { checkpointOf } from './checkpoint';
import { buildCall } from './record';
import type { CallTracker } from './tracker';

export interface OutboxOptions {
  onCall(call: Call): void;
  onCallEnded(call: Call): void;
  /**
   * an open call's correlation checkpoint, published with every open record of it: a restart resumes from it. It is
   * serialised when called (JSON of the call as it is then): the store calls only the newest per commit.
   */
  onCheckpoint?(call: string, checkpoint: () => string): void;
  /**
   * the checkpoint of a call not yet offered (a phone dialling), serialised when called; without one, the saved one is
   * dropped (the call was offered or forgotten). A restart needs it to know the PBX time the call began.
   */
  onUnoffered?(call: string, checkpoint?: () => string): void;
  onQueueCall?(result: QueueCallResult): void;
  /** publish open-call changes at once instead of batching them per tick (tests, benchmarks) */
  publish?: 'batched' | 'sync';
}

/**
 * What correlation publishes. An open call's record is rebuilt at most once per tick however many events changed
 * it (a burst of AMI events for one call is common); final records and queue results go out at once.
 */
export class Outbox {
  private readonly dirty = new Set<CallTracker>();
  /** calls whose checkpoint was saved while they were not offered: dropped once they are, or are forgotten */
  private readonly unoffered = new Set<string>();
  private flushScheduled = false;

  constructor(
    private readonly pbx: string,
    private readonly opts: OutboxOptions,
    /** the correlation clock, read when the record is built */
    private readonly clock: () => number,
  ) {}

  /**
   * The call changed. Only offered calls are published; once published, a call stays so. One not offered yet has only
   * its checkpoint saved (where anyone listens).
   */
  touch(t: CallTracker): void {
    if (t.closed || (!t.offered && !this.opts.onUnoffered)) return;
    if (t.offered) t.published = true;
    if (this.opts.publish === 'sync') {
      this.publish(t);
      return;
    }
    this.dirty.add(t);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Publishes every call that changed since the last flush. */
  flush(): void {
    this.flushScheduled = false;
    for (const t of this.dirty) if (!t.closed) this.publish(t);
    this.dirty.clear();
  }

  /**
   * Publishes each of `calls` once as of now, changed or not: a stop hands every open call's latest state on (and the
   * changed checkpoints of calls not offered yet).
   */
  publishAll(calls: Iterable<CallTracker>): void {
    for (const t of calls) if (!t.closed && (t.published || this.dirty.has(t))) this.publish(t);
    this.dirty.clear();
  }

  private publish(t: CallTracker): void {
    const checkpoint = (): string => JSON.stringify(checkpointOf(t));
    if (!t.offered) {
      this.unoffered.add(t.id);
      this.opts.onUnoffered?.(t.id, checkpoint);
      return;
    }
    this.opts.onCall(buildCall(this.pbx, t, this.clock()));
    this.opts.onCheckpoint?.(t.id, checkpoint);
    this.dropUnoffered(t);
  }

  /** A call closed or merged away: nothing more to publish for it. */
  forget(t: CallTracker): void {
    this.dirty.delete(t);
    this.dropUnoffered(t);
  }

  /** A call not offered, revived from its saved checkpoint: that one is dropped when it is offered or forgotten. */
  savedUnoffered(t: CallTracker): void {
    this.unoffered.add(t.id);
  }

  private dropUnoffered(t: CallTracker): void {
    if (this.unoffered.delete(t.id)) this.opts.onUnoffered?.(t.id);
  }

  ended(call: Call): void {
    this.opts.onCallEnded(call);
  }

  queueCall(result: QueueCallResult): void {
    this.opts.onQueueCall?.(result);
  }
}
