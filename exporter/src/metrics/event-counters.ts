import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  FINAL_CALL_STATUSES,
  DIRECTIONS,
  QUEUE_CALL_OUTCOMES,
  isTrulyMissed,
  type Call,
  type QueueCallResult,
} from '../domain';
import { STAMP_DOUBTS, type Hub, type RejectedEvent, type SourceEventSeen } from '../hub';
import type { FlushResult, Store } from '../store/store';
import { BoundedLabel } from './labels';
import { SeriesHistogram } from './text-metrics';

/** Bucket edges on the service-level thresholds (10/15/20/30/60 s), so SL% and ASA are plain PromQL. */
export const QUEUE_WAIT_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 120, 300];
export const RING_BUCKETS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 120];
export const TALK_BUCKETS = [10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const DB_WRITE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** PBX event kinds and reject reasons are bounded per PBX; extra values are counted as `other`. */
const MAX_EVENT_KINDS = 200;
const MAX_REJECT_REASONS = 50;
/** queues per PBX with series of their own, as many as an AMI PBX may name (sources/ami/state/caps.ts); then `other` */
const MAX_QUEUES = 2000;

/**
 * Counters and histograms fed by hub and store events as they happen. Everything here is cumulative; current
 * state (gauges) is computed at scrape time elsewhere.
 */
export class EventCounters {
  private readonly callsTotal: Counter<'pbx' | 'direction' | 'status'>;
  private readonly missedTotal: Counter<'pbx'>;
  private readonly ring: SeriesHistogram<'pbx' | 'direction'>;
  private readonly talk: SeriesHistogram<'pbx' | 'direction'>;
  private readonly queueCalls: Counter<'pbx' | 'queue' | 'outcome'>;
  private readonly queueWait: SeriesHistogram<'pbx' | 'queue' | 'outcome'>;
  private readonly events: Counter<'pbx' | 'event'>;
  private readonly rejected: Counter<'pbx' | 'reason'>;
  private readonly stampsIgnored: Counter<'pbx' | 'reason'>;
  private readonly lag: Gauge<'pbx'>;
  private readonly dbWrite: Histogram;
  private readonly dbErrors: Counter;
  private readonly eventKinds = new BoundedLabel(MAX_EVENT_KINDS);
  private readonly rejectReasons = new BoundedLabel(MAX_REJECT_REASONS);
  private readonly knownPbx = new Set<string>();
  private readonly knownQueues = new Set<string>();
  private readonly queuesPerPbx = new Map<string, number>();
  /** newest event arrival per PBX, epoch ms */
  readonly lastEventAt = new Map<string, number>();
  private readonly off: (() => void)[] = [];

  constructor(registry: Registry, hub: Hub, store: Store) {
    const registers = [registry];
    this.callsTotal = new Counter({
      name: 'pbx_calls_total',
      help: 'Finished calls by direction and final status',
      labelNames: ['pbx', 'direction', 'status'],
      registers,
    });
    this.missedTotal = new Counter({
      name: 'pbx_calls_missed_total',
      help: 'Truly missed calls: inbound calls no person answered (one per call, never per rung member)',
      labelNames: ['pbx'],
      registers,
    });
    this.ring = new SeriesHistogram(
      registry,
      'pbx_call_ring_duration_seconds',
      'Ring time of finished calls (until answer or give-up)',
      ['pbx', 'direction'],
      RING_BUCKETS,
    );
    this.talk = new SeriesHistogram(
      registry,
      'pbx_call_talk_duration_seconds',
      'Talk time of answered calls',
      ['pbx', 'direction'],
      TALK_BUCKETS,
    );
    this.queueCalls = new Counter({
      name: 'pbx_queue_calls_total',
      help: 'Callers that left a queue, by outcome',
      labelNames: ['pbx', 'queue', 'outcome'],
      registers,
    });
    this.queueWait = new SeriesHistogram(
      registry,
      'pbx_queue_wait_duration_seconds',
      'Time callers waited in a queue, by outcome; buckets sit on service-level thresholds',
      ['pbx', 'queue', 'outcome'],
      QUEUE_WAIT_BUCKETS,
    );
    this.events = new Counter({
      name: 'switchboard_events_total',
      help: 'PBX events ingested, by PBX event kind',
      labelNames: ['pbx', 'event'],
      registers,
    });
    this.rejected = new Counter({
      name: 'switchboard_events_rejected_total',
      help: 'PBX frames or events that could not be used, by reason',
      labelNames: ['pbx', 'reason'],
      registers,
    });
    this.stampsIgnored = new Counter({
      name: 'switchboard_event_timestamps_ignored_total',
      help: 'PBX events whose timestamp was not believed (not a number, or far from the PBX clock as known); handled at the expected time',
      labelNames: ['pbx', 'reason'],
      registers,
    });
    this.lag = new Gauge({
      name: 'switchboard_ingest_lag_seconds',
      help: 'Arrival time minus the PBX timestamp of the latest event that carried one',
      labelNames: ['pbx'],
      registers,
    });
    this.dbWrite = new Histogram({
      name: 'switchboard_db_write_duration_seconds',
      help: 'Duration of one batched SQLite commit',
      buckets: DB_WRITE_BUCKETS,
      registers,
    });
    this.dbErrors = new Counter({
      name: 'switchboard_db_write_errors_total',
      help: 'Failed SQLite commits (rows stay queued and are retried)',
      registers,
    });

    const on = <K extends keyof import('../hub').HubEvents>(
      event: K,
      fn: (...a: import('../hub').HubEvents[K]) => void,
    ) => {
      hub.on(event, fn as never);
      this.off.push(() => hub.off(event, fn as never));
    };
    on('callEnded', (c) => this.callEnded(c));
    on('queueCall', (q) => this.queueCall(q));
    on('queue', (q) => this.queueKnown(q.pbx, q.queue));
    on('source', (s) => this.pbxKnown(s.pbx));
    on('sourceEvent', (e) => this.sourceEvent(e));
    on('rejected', (r) => this.reject(r));
    const onFlush = (f: FlushResult) => this.dbWrite.observe(f.durationSeconds);
    const onError = () => this.dbErrors.inc();
    store.on('flush', onFlush);
    store.on('writeError', onError);
    this.off.push(
      () => store.off('flush', onFlush),
      () => store.off('writeError', onError),
    );
  }

  /** Creates every series of a PBX at 0, so rate() and absent() work from the first scrape. */
  pbxKnown(pbx: string): void {
    if (this.knownPbx.has(pbx)) return;
    this.knownPbx.add(pbx);
    for (const direction of DIRECTIONS) {
      for (const status of FINAL_CALL_STATUSES) this.callsTotal.inc({ pbx, direction, status }, 0);
      this.ring.zero({ pbx, direction });
      this.talk.zero({ pbx, direction });
    }
    this.missedTotal.inc({ pbx }, 0);
    for (const reason of STAMP_DOUBTS) this.stampsIgnored.inc({ pbx, reason }, 0);
    this.lag.set({ pbx }, 0);
  }

  queueKnown(pbx: string, name: string): void {
    const queue = this.queueLabel(pbx, name);
    const k = `${pbx}\u0000${queue}`;
    if (this.knownQueues.has(k)) return;
    this.knownQueues.add(k);
    if (queue !== 'other') this.queuesPerPbx.set(pbx, (this.queuesPerPbx.get(pbx) ?? 0) + 1);
    for (const outcome of QUEUE_CALL_OUTCOMES) {
      this.queueCalls.inc({ pbx, queue, outcome }, 0);
      this.queueWait.zero({ pbx, queue, outcome });
    }
  }

  private callEnded(c: Call): void {
    this.pbxKnown(c.pbx);
    const labels = { pbx: c.pbx, direction: c.direction };
    this.callsTotal.inc({ ...labels, status: c.status });
    if (isTrulyMissed(c)) this.missedTotal.inc({ pbx: c.pbx });
    // a failed or unfinished call never rang; counting its 0 s would skew the distribution
    if (c.status !== 'failed' && c.status !== 'incomplete') this.ring.observe(labels, c.ringMs / 1000);
    if (c.status === 'answered') this.talk.observe(labels, c.talkMs / 1000);
  }

  /** The queue's own name while the PBX has fewer than MAX_QUEUES with series, else `other`. */
  private queueLabel(pbx: string, queue: string): string {
    if (this.knownQueues.has(`${pbx}\u0000${queue}`)) return queue;
    return (this.queuesPerPbx.get(pbx) ?? 0) < MAX_QUEUES ? queue : 'other';
  }

  private queueCall(q: QueueCallResult): void {
    this.queueKnown(q.pbx, q.queue);
    const labels = { pbx: q.pbx, queue: this.queueLabel(q.pbx, q.queue), outcome: q.outcome };
    this.queueCalls.inc(labels);
    this.queueWait.observe(labels, Math.max(0, q.waitMs) / 1000);
  }

  private sourceEvent(e: SourceEventSeen): void {
    this.pbxKnown(e.pbx);
    this.events.inc({ pbx: e.pbx, event: this.eventKinds.value(e.pbx, e.event) });
    if ((this.lastEventAt.get(e.pbx) ?? 0) < e.at) this.lastEventAt.set(e.pbx, e.at);
    if (e.ts !== undefined) this.lag.set({ pbx: e.pbx }, Math.max(0, e.at - e.ts) / 1000);
    if (e.stampDoubted !== undefined) this.stampsIgnored.inc({ pbx: e.pbx, reason: e.stampDoubted });
  }

  private reject(r: RejectedEvent): void {
    this.rejected.inc({ pbx: r.pbx, reason: this.rejectReasons.value(r.pbx, r.reason) });
  }

  close(): void {
    for (const f of this.off.splice(0)) f();
  }
}
