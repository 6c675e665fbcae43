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
  private flushScheduled = false;

  constructor(
    private readonly pbx: string,
    private readonly opts: OutboxOptions,
    /** the correlation clock, read when the record is built */
    private readonly clock: () => number,
  ) {}

  /** The call changed. Only offered calls are published; once published, a call stays so. */
  touch(t: CallTracker): void {
    if (!t.offered || t.closed) return;
    t.published = true;
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

  /** Publishes each of `calls` once as of now, changed or not: a stop hands every open call's latest state on. */
  publishAll(calls: Iterable<CallTracker>): void {
    for (const t of calls) if (t.published && !t.closed) this.publish(t);
    this.dirty.clear();
  }

  private publish(t: CallTracker): void {
    this.opts.onCall(buildCall(this.pbx, t, this.clock()));
    this.opts.onCheckpoint?.(t.id, () => JSON.stringify(checkpointOf(t)));
  }

  /** A call closed or merged away: nothing more to publish for it. */
  forget(t: CallTracker): void {
    this.dirty.delete(t);
  }

  ended(call: Call): void {
    this.opts.onCallEnded(call);
  }

  queueCall(result: QueueCallResult): void {
    this.opts.onQueueCall?.(result);
  }
}
