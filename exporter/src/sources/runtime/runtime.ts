// Long on purpose (about 350 lines): the one lifecycle every source kind shares — connect, backoff, status, gap rows,
// restore of open calls, staleness of live state, the stop flush — is one state machine over one status object;
// backoff, config, change filtering and the kind interface are files of their own.
import type { Logger } from 'pino';
import { Correlator } from '../../correlate/correlator';
import type {
  ConferenceState,
  ExtensionState,
  Gap,
  OpenCallReader,
  ParkingState,
  QueueState,
  SourceCapabilities,
  SourceStatus,
  StoredOpenCall,
  TrunkState,
} from '../../domain';
import type { Hub } from '../../hub';
import { Backoff } from './backoff';
import { ChangeFilter } from './change-filter';
import { PbxClock } from './pbx-clock';
import { InputRejected, type CallFeed, type LiveFeed, type PbxInfo, type SourceContext } from './context';
import type { CallControl } from './control';
import type { PushReceiver, SourceDriver } from './kind';

/** What every source is wired to. */
export interface RuntimeDeps {
  hub: Hub;
  log: Logger;
  store: OpenCallReader;
  /** wall clock, replaceable in tests */
  now?: () => number;
  /** where sources keep files of their own across restarts (next to the database); default ./data */
  dataDir?: string;
}

/** Knobs tests and benchmarks turn; production uses the defaults. */
export interface RuntimeOptions {
  /** wait after a call's last hangup before the record is final */
  graceMs?: number;
  /** first reconnect delay (doubles up to the kind's ceiling) */
  reconnectBaseMs?: number;
  /** publish open-call changes per event instead of per tick */
  publish?: 'batched' | 'sync';
}

export interface SourceIdentity {
  pbx: string;
  kind: string;
  capabilities: SourceCapabilities;
}

/** How often `source` is republished just because events keep arriving (lastEventAt for the API). */
const STATUS_EVERY_MS = 30000;
/** A PBX start time seen again through a slightly different arrival time is the same start. */
const SAME_START_MS = 2000;

/**
 * The frame every source kind runs in (node_exporter's collector frame is the model): one driver does the protocol,
 * this does what every source needs — correlation wired to the hub, the source status and its outage gaps, the calls a
 * previous run left open, the flush at stop, and live state published only when it changed.
 */
export class SourceRuntime {
  readonly pbx: string;
  readonly kind: string;
  readonly capabilities: SourceCapabilities;
  private readonly hub: Hub;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly correlator: Correlator;
  private readonly driver: SourceDriver;
  private readonly status: SourceStatus;
  private everUp = false;
  private gap?: Gap;
  /** calls open when the connection was lost: settled against the PBX's legs after the reconnect */
  private unverified?: Set<string>;
  /** calls a previous run left open in the store, settled on the first `settle` */
  private stored?: StoredOpenCall[];
  /** checkpoints of calls not yet offered when the previous run ended, settled with the stored ones */
  private unoffered?: string[];
  private lastStatusAt = 0;
  /** the PBX stamps its events: its clock is correlation's, un-stamped events must not jump it to ours */
  private stamped = false;
  /** which of its stamps correlation believes: one absurd Timestamp must not drag every call with it */
  private readonly pbxClock = new PbxClock();
  private firstAttempt?: () => void;
  /** the connection state last logged, `connected/reason`: a line only when it changes */
  private logged?: string;
  private stopping = false;
  /** the live state last published per item: made stale when the source goes down */
  private readonly live = {
    extensions: new ChangeFilter<ExtensionState>((e) => this.hub.emit('extension', e)),
    queues: new ChangeFilter<QueueState>((q) => this.hub.emit('queue', q)),
    trunks: new ChangeFilter<TrunkState>((t) => this.hub.emit('trunk', t)),
    conferences: new ChangeFilter<ConferenceState>((c) => this.hub.emit('conference', c)),
    parking: new ChangeFilter<ParkingState>((p) => this.hub.emit('parking', p)),
  };

  constructor(
    id: SourceIdentity,
    private readonly deps: RuntimeDeps,
    create: (ctx: SourceContext) => SourceDriver,
    private readonly opts: RuntimeOptions = {},
  ) {
    this.pbx = id.pbx;
    this.kind = id.kind;
    this.capabilities = id.capabilities;
    this.hub = deps.hub;
    this.log = deps.log;
    this.now = deps.now ?? Date.now;
    this.status = { pbx: this.pbx, kind: this.kind, live: this.capabilities.live, connected: false, reconnects: 0, loginFailures: 0 };
    this.correlator = new Correlator({
      pbx: this.pbx,
      graceMs: opts.graceMs,
      publish: opts.publish,
      onCall: (c) => {
        this.hub.emit('call', c);
        this.driver.callChanged?.(c);
      },
      onCallEnded: (c) => {
        this.hub.emit('callEnded', c);
        this.driver.callChanged?.(c);
      },
      onCheckpoint: (call, checkpoint) => this.hub.emit('checkpoint', { pbx: this.pbx, call, checkpoint }),
      onUnoffered: (call, checkpoint) => this.hub.emit('unoffered', { pbx: this.pbx, call, ...(checkpoint ? { checkpoint } : {}) }),
      onQueueCall: (r) => this.hub.emit('queueCall', r),
    });
    this.driver = create(this.context());
  }

  /** Resolves once the first connection attempt has ended, successful or not: the app never waits for a PBX that is down. */
  start(): Promise<void> {
    try {
      const store = this.deps.store;
      this.stored = store.openCallsWithCheckpoints?.(this.pbx) ?? store.openCalls(this.pbx).map((call) => ({ call }));
      this.unoffered = store.unofferedCheckpoints?.(this.pbx);
    } catch (err) {
      this.log.warn({ err }, 'could not read open calls of the last run');
    }
    const first = new Promise<void>((resolve) => (this.firstAttempt = resolve));
    Promise.resolve(this.driver.start()).catch((err: Error) => this.disconnected(`start failed: ${err.message}`));
    return first;
  }

  /** The driver's front door when its PBX pushes to us over HTTP (webhook kinds), else undefined. */
  get push(): PushReceiver | undefined {
    return this.driver.push;
  }

  /** The driver's call control (AMI, NFON), else undefined. */
  get control(): CallControl | undefined {
    return this.driver.control;
  }

  /** Stops the driver, closes the calls in their grace period and hands the open calls' latest state to the hub. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.driver.stop();
    // an outage still going on ends here for this run; from here on the exporter's downtime gap takes over
    if (this.gap) {
      this.hub.emit('gap', { ...this.gap, endedAt: Math.max(this.gap.startedAt, this.now()) });
      this.gap = undefined;
    }
    this.correlator.closePending();
    // every open call's latest state goes to the store, once each (the changed ones too); the next run settles them
    this.correlator.publishOpen();
    this.attempted();
  }

  private context(): SourceContext {
    const correlator = this.correlator;
    const calls: CallFeed = {
      handle: (ev) => correlator.handle(ev),
      get now() {
        return correlator.now;
      },
      hasLeg: (leg) => correlator.hasLeg(leg),
      callIdOfLeg: (leg) => correlator.callIdOfLeg(leg),
      openIds: (silentSince) => correlator.openIds(silentSince),
      reconcile: (alive, ids) => correlator.reconcile(alive, ids),
      settle: (alive) => this.settle(alive),
    };
    const { extensions, queues, trunks, conferences, parking } = this.live;
    // while disconnected, whatever a driver still says is as stale as the rest; once connected again it is fresh
    const stamp = <S extends { staleSince?: number }>(s: S): S =>
      this.status.connected || this.status.staleSince === undefined ? s : { ...s, staleSince: this.status.staleSince };
    const live: LiveFeed = {
      extension: (e) => extensions.offer(e.extension, stamp(e)),
      queue: (q) => queues.offer(q.queue, stamp(q)),
      trunk: (t) => trunks.offer(t.trunk, stamp(t)),
      conference: (c) => {
        conferences.offer(c.room, stamp(c));
        // an ended room is published once and then forgotten: nothing of it is left to go stale
        if (!c.participants.length) conferences.forget(c.room);
      },
      parking: (p) => parking.offer('', stamp(p)),
    };
    return {
      pbx: this.pbx,
      log: this.log,
      now: this.now,
      pbxTime: (at) => this.pbxClock.at(at) ?? at,
      dataDir: this.deps.dataDir ?? './data',
      calls,
      live,
      backoff: (maxMs) => new Backoff(this.opts.reconnectBaseMs ?? 1000, maxMs),
      connected: () => this.connected(),
      synced: (at, info) => this.synced(at ?? this.now(), info),
      disconnected: (reason) => this.disconnected(reason),
      loginFailed: (message) => this.loginFailed(message),
      pbxInfo: (info) => this.pbxInfo(info),
      received: (event, arrival, pbxTime, handle) => this.received(event, arrival, pbxTime, handle),
      rejected: (reason, detail) => this.rejected(reason, detail),
    };
  }

  // ---- status and gaps ------------------------------------------------------------------------------------------

  private publishStatus(): void {
    this.lastStatusAt = this.now();
    this.hub.emit('source', { ...this.status });
  }

  /**
   * One line when the connection state changes, none for a repeat (a PBX that stays down while we retry) and none while
   * stopping. Only connect attempts call it, so nothing is said about a source before its first attempt has ended.
   */
  private logStatus(): void {
    const state = `${this.status.connected}/${this.status.reason ?? ''}`;
    if (this.stopping || state === this.logged) return;
    this.logged = state;
    if (this.status.connected) this.log.info({ kind: this.kind, ...(this.status.reconnects ? { reconnects: this.status.reconnects } : {}) }, 'source connected');
    else this.log.warn({ kind: this.kind, reason: this.status.reason }, 'source down');
  }

  private attempted(): void {
    this.firstAttempt?.();
    this.firstAttempt = undefined;
  }

  private connected(): void {
    if (this.everUp) this.status.reconnects++;
    this.everUp = true;
    if (!this.status.connected) this.status.since = this.now();
    this.status.connected = true;
    delete this.status.reason;
    this.publishStatus();
    this.logStatus();
    this.attempted();
  }

  private synced(at: number, info?: PbxInfo): void {
    if (info?.version) this.status.version = info.version;
    // a resync that finishes after the connection dropped again restored nothing: the outage goes on
    if (this.gap && this.status.connected) {
      this.hub.emit('gap', { ...this.gap, endedAt: at });
      this.gap = undefined;
    }
    // the picture is whole again: what the resync reported is fresh; what it no longer reports stays stale
    if (this.status.connected) delete this.status.staleSince;
    this.publishStatus();
  }

  private disconnected(reason: string): void {
    const at = this.now();
    const wasUp = this.status.connected;
    if (wasUp || this.status.since === undefined) this.status.since = at;
    this.status.connected = false;
    this.status.reason = reason;
    if (wasUp) this.unverified = this.correlator.openIds();
    // the outage begins at the disconnect; a stop is no outage of the PBX (the exporter's own gap covers its downtime)
    if (!this.gap && !this.stopping) {
      this.gap = { pbx: this.pbx, kind: 'source', reason, startedAt: at };
      this.hub.emit('gap', { ...this.gap });
    }
    // the live picture goes stale with the connection: the status says so first, then every item again
    const stale = !this.stopping && this.status.staleSince === undefined;
    if (stale) this.status.staleSince = at;
    this.publishStatus();
    if (stale) this.markStale(at);
    this.logStatus();
    this.attempted();
  }

  /** The PBX's live picture is no longer current: every item of it again, marked stale as of `at`. */
  private markStale(at: number): void {
    const stale = <S extends { staleSince?: number }>(s: S): S => (s.staleSince !== undefined ? s : { ...s, staleSince: at });
    this.live.extensions.restamp(stale);
    this.live.queues.restamp(stale);
    this.live.trunks.restamp(stale);
    this.live.conferences.restamp(stale);
    this.live.parking.restamp(stale);
  }

  private loginFailed(message: string): void {
    this.status.loginFailures++;
    this.status.reason = `login failed: ${message}`;
    this.publishStatus();
  }

  private pbxInfo(info: PbxInfo): void {
    let changed = false;
    if (info.version && info.version !== this.status.version) {
      this.status.version = info.version;
      changed = true;
    }
    const known = this.status.pbxStartedAt;
    if (info.startedAt !== undefined && (known === undefined || Math.abs(known - info.startedAt) > SAME_START_MS)) {
      this.status.pbxStartedAt = info.startedAt;
      changed = true;
    }
    // before the first connect, `connected()` publishes it
    if (changed && this.status.connected) this.publishStatus();
  }

  // ---- input ----------------------------------------------------------------------------------------------------

  private received(event: string, arrival: number, pbxTime: number | undefined, handle: (at: number) => void): void {
    this.status.lastEventAt = arrival;
    const verdict = pbxTime === undefined ? undefined : this.pbxClock.judge(pbxTime, arrival);
    const seen = { pbx: this.pbx, event, at: arrival };
    if (!verdict) this.hub.emit('sourceEvent', seen);
    else if (verdict.believed) this.hub.emit('sourceEvent', { ...seen, ts: verdict.at });
    else this.hub.emit('sourceEvent', { ...seen, stampDoubted: verdict.reason });
    if (verdict?.believed && (!this.stamped || verdict.rebased)) {
      // the first stamped event: from here on the PBX's clock is correlation's, even where it is behind ours (a
      // replayed day) and un-stamped events before it (a login's FullyBooted) had moved it to our wall clock; a PBX
      // clock confirmed elsewhere (pbx-clock.ts) replaces it the same way
      this.stamped = true;
      this.correlator.setClock(verdict.at);
    }
    // a doubted stamp moves nothing: the event is handled at the PBX time expected now
    if (verdict?.believed || !this.stamped) this.correlator.advance(verdict?.believed ? verdict.at : arrival);
    try {
      handle(verdict ? verdict.at : arrival);
    } catch (err) {
      if (err instanceof InputRejected) this.rejected(err.reason, err.message);
      else {
        this.log.error({ err, event }, `${this.kind} event handling failed`);
        this.rejected('handler error', `${event}: ${(err as Error).message}`);
      }
    }
    // a refresh of lastEventAt while connected; events a PBX sends before the login completes change no status
    if (this.status.connected && arrival - this.lastStatusAt >= STATUS_EVERY_MS) this.publishStatus();
  }

  private rejected(reason: string, detail?: string): void {
    this.hub.emit('rejected', { pbx: this.pbx, reason, ...(detail !== undefined ? { detail } : {}) });
  }

  // ---- calls ----------------------------------------------------------------------------------------------------

  private settle(alive: Set<string>): void {
    if (this.stored) {
      for (const { call, checkpoint } of this.stored) this.correlator.restore(call, alive, checkpoint);
      this.stored = undefined;
    }
    if (this.unoffered) {
      // a phone that was dialling: its channel, if still up, is a leg already known when the resync lists it, and its
      // call keeps the PBX time it began at
      for (const checkpoint of this.unoffered) this.correlator.restoreUnoffered(checkpoint, alive);
      this.unoffered = undefined;
    }
    if (this.unverified) {
      // each ends at its own last event: the moment it was last seen alive, nothing guessed about the outage
      const closed = this.correlator.reconcile(alive, this.unverified);
      if (closed.length) this.log.warn({ calls: closed.length }, 'calls closed as incomplete after reconnect');
      this.unverified = undefined;
    }
  }
}
