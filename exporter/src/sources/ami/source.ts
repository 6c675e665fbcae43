import type { AmiSourceConfig } from '../../config/schema';
import { Correlator } from '../../correlate/correlator';
import type { Call, Gap, SourceStatus } from '../../domain';
import type { Source, SourceContext } from '../source';
import { Classifier, DEFAULT_TRUNK_RULES } from './classify';
import { AmiClient } from './client';
import type { AmiEventBase } from './messages';
import { eventTime } from './messages';
import { resync, type ResyncAnswers } from './resync';
import { ExtensionBook } from './state/extensions';
import { QueueBook } from './state/queues';
import { TrunkBook } from './state/trunks';
import { BadEvent, Translator } from './translate';

/** Knobs tests and benchmarks turn; production uses the defaults. */
export interface AmiSourceOptions {
  /** wait after a call's last hangup before the record is final */
  graceMs?: number;
  /** first reconnect delay (doubles up to reconnectMaxSeconds) */
  reconnectBaseMs?: number;
  /** publish open-call changes per event instead of per tick */
  publish?: 'batched' | 'sync';
  /** how often silent calls are checked against CoreShowChannels, and how long "silent" is */
  auditEveryMs?: number;
  auditSilenceMs?: number;
}

/** How often `source` is republished just because events keep arriving (lastEventAt for the API). */
const STATUS_EVERY_MS = 30000;
/** The AMI event classes Switchboard reads (see README.md). */
const EVENT_MASK = 'system,call,agent,dialplan';
const AUDIT_EVERY_MS = 5 * 60_000;
const AUDIT_SILENCE_MS = 10 * 60_000;

/**
 * Asterisk / FreePBX over AMI. Connection (AmiClient) → translation to leg events → correlation → hub; state events
 * go to the extension, queue and trunk books. Owns the source status, the outage gaps and the reconciliation of
 * open calls after every reconnect.
 */
export class AmiSource implements Source {
  readonly pbx: string;
  readonly kind = 'ami' as const;
  private readonly client: AmiClient;
  private readonly correlator: Correlator;
  private readonly translator: Translator;
  private readonly extensions: ExtensionBook;
  private readonly queues: QueueBook;
  private readonly trunks: TrunkBook;
  private readonly status: SourceStatus;
  private readonly now: () => number;
  private everUp = false;
  private gap?: Gap;
  /** calls open when the connection was lost: reconciled against the PBX's channels after the reconnect */
  private unverified?: Set<string>;
  /** calls a previous run left open in the store, settled on the first resync */
  private stored?: Call[];
  private resyncing?: Promise<void>;
  private lastResyncAt = 0;
  private lastStatusAt = 0;
  private lastHeardAt?: number;
  private firstAttempt?: () => void;
  private auditTimer?: NodeJS.Timeout;
  private stamped = false;

  constructor(
    config: AmiSourceConfig,
    private readonly ctx: SourceContext,
    private readonly opts: AmiSourceOptions = {},
  ) {
    this.pbx = config.name;
    this.now = ctx.now ?? Date.now;
    const hub = ctx.hub;
    const classifier = new Classifier(config.trunks ?? DEFAULT_TRUNK_RULES);
    const isTrunk = (endpoint: string): boolean => classifier.isTrunkEndpoint(endpoint);
    this.translator = new Translator(classifier);
    this.correlator = new Correlator({
      pbx: this.pbx,
      graceMs: opts.graceMs,
      publish: opts.publish,
      onCall: (c) => {
        hub.emit('call', c);
        this.extensions.onCall(c);
      },
      onCallEnded: (c) => {
        hub.emit('callEnded', c);
        this.extensions.onCall(c);
      },
      onQueueCall: (r) => hub.emit('queueCall', r),
    });
    this.queues = new QueueBook(
      this.pbx,
      (q) => hub.emit('queue', q),
      (leg) => this.callIdOfLeg(leg),
      (ext, at) => this.extensions.changed(ext, at),
    );
    this.extensions = new ExtensionBook(this.pbx, (e) => hub.emit('extension', e), (ext) => this.queues.membershipsOf(ext), isTrunk);
    this.trunks = new TrunkBook(this.pbx, (t) => hub.emit('trunk', t), isTrunk);
    this.status = { pbx: this.pbx, kind: 'ami', connected: false, reconnects: 0, loginFailures: 0 };
    this.client = new AmiClient({
      host: config.host,
      port: config.port,
      username: config.username,
      secret: config.secret ?? '',
      pingIntervalMs: config.pingIntervalSeconds * 1000,
      actionTimeoutMs: config.actionTimeoutSeconds * 1000,
      reconnectMaxMs: config.reconnectMaxSeconds * 1000,
      reconnectBaseMs: opts.reconnectBaseMs,
    });
    this.client.on('up', () => this.onUp());
    this.client.on('down', (reason, wasUp) => this.onDown(reason, wasUp));
    this.client.on('loginFailed', (message) => this.onLoginFailed(message, config.username));
    this.client.on('event', (ev, arrival) => this.onEvent(ev, arrival));
    this.client.on('rejected', (reason, detail) => this.reject(reason, detail));
  }

  start(): Promise<void> {
    try {
      this.stored = this.ctx.store.openCalls(this.pbx);
    } catch (err) {
      this.ctx.log.warn({ err }, 'could not read open calls of the last run');
    }
    // resolves after the first attempt, successful or not: the app must not wait for a PBX that is down
    const first = new Promise<void>((resolve) => (this.firstAttempt = resolve));
    this.client.start();
    return first;
  }

  async stop(): Promise<void> {
    clearTimeout(this.auditTimer);
    await this.client.stop();
    this.correlator.closePending();
    this.correlator.flush();
    // the open calls' latest state goes to the store; the next run settles them
    for (const c of this.correlator.openCalls()) this.ctx.hub.emit('call', c);
    this.extensions.flush();
    this.queues.flush();
    this.trunks.flush();
    this.firstAttempt?.();
  }

  // ---- connection ---------------------------------------------------------------------------------------------

  private publishStatus(): void {
    this.lastStatusAt = this.now();
    this.ctx.hub.emit('source', { ...this.status });
  }

  private onUp(): void {
    if (this.everUp) this.status.reconnects++;
    this.everUp = true;
    this.status.connected = true;
    delete this.status.reason;
    this.ctx.log.info({ pbx: this.pbx }, 'AMI connected');
    // `unverified` was taken when the last connection dropped: calls seen on this connection (events can arrive
    // before the login callback) are current, not suspects
    this.publishStatus();
    this.firstAttempt?.();
    this.firstAttempt = undefined;
    // only the event classes we read (calls, dialplan applications, queue agents, registrations); a PBX that refuses
    // keeps sending what the user's read classes allow
    this.client.action({ Action: 'Events', EventMask: EVENT_MASK }).catch((err: Error) => this.ctx.log.debug({ err: err.message }, 'Events action refused'));
    void this.runResync();
    this.scheduleAudit();
  }

  /**
   * Events can go missing without a disconnect (an eventfilter, a PBX bug): now and then, calls that have been silent
   * for a while are checked against the PBX's channels, and the ones with no channel left are closed as incomplete.
   */
  private scheduleAudit(): void {
    clearTimeout(this.auditTimer);
    this.auditTimer = setTimeout(() => {
      if (!this.client.isUp) return;
      const silentSince = this.correlator.now - (this.opts.auditSilenceMs ?? AUDIT_SILENCE_MS);
      const suspects = this.correlator.openIds(silentSince);
      const next = (): void => this.scheduleAudit();
      if (suspects.size === 0) return next();
      this.client
        .action({ Action: 'CoreShowChannels' }, { list: true })
        .then((r) => {
          const alive = new Set(r.items.map((i) => i.Uniqueid).filter((u): u is string => !!u));
          const closed = this.correlator.reconcile(alive, suspects);
          if (closed.length) this.ctx.log.warn({ pbx: this.pbx, calls: closed.length }, 'silent calls with no channel left closed as incomplete');
        })
        .catch((err: Error) => this.ctx.log.debug({ err: err.message }, 'channel audit failed'))
        .finally(next);
    }, this.opts.auditEveryMs ?? AUDIT_EVERY_MS);
    this.auditTimer.unref();
  }

  private onDown(reason: string, wasUp: boolean): void {
    const at = this.now();
    if (wasUp) this.ctx.log.warn({ pbx: this.pbx, reason }, 'AMI connection lost');
    else this.ctx.log.warn({ pbx: this.pbx, reason }, 'AMI connection failed');
    this.status.connected = false;
    this.status.reason = reason;
    if (wasUp) this.unverified = this.correlator.openIds();
    if (!this.gap) {
      // the outage began when we last heard from the PBX
      this.gap = { pbx: this.pbx, kind: 'source', reason, startedAt: wasUp ? (this.lastHeardAt ?? at) : at };
      this.ctx.hub.emit('gap', { ...this.gap });
    }
    this.publishStatus();
    this.firstAttempt?.();
    this.firstAttempt = undefined;
  }

  private onLoginFailed(message: string, username: string): void {
    this.status.loginFailures++;
    this.status.reason = `login failed: ${message}`;
    this.ctx.log.error({ pbx: this.pbx, username }, `AMI login refused for user "${username}": ${message}`);
    this.publishStatus();
  }

  private runResync(): Promise<void> {
    this.resyncing ??= resync(this.client, this.ctx.log)
      .then((s) => this.applyResync(s))
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'resync failed'))
      .finally(() => {
        this.resyncing = undefined;
        this.lastResyncAt = this.now();
      });
    return this.resyncing;
  }

  private applyResync(s: ResyncAnswers): void {
    if (s.version) this.status.version = s.version;
    const at = s.at;
    if (s.channels) {
      const alive = new Set<string>();
      // oldest channel first: a call's first channel is its origin (Uniqueids are `<epoch>.<sequence>`)
      const byAge = [...s.channels].sort((a, b) => uniqueidOrder(a.Uniqueid) - uniqueidOrder(b.Uniqueid));
      for (const ch of byAge) {
        const id = ch.Uniqueid;
        if (!id) continue;
        alive.add(id);
        const duration = (ch.Duration ?? '0:0:0').split(':').reduce((acc, p) => acc * 60 + (Number(p) || 0), 0);
        try {
          for (const ev of this.translator.existing(ch as never, at - duration * 1000)) this.correlator.handle(ev);
        } catch (err) {
          if (err instanceof BadEvent) this.reject('bad list item', err.message);
          else throw err;
        }
      }
      if (this.stored) {
        for (const call of this.stored) this.correlator.restore(call, alive);
        this.stored = undefined;
      }
      if (this.unverified) {
        // each ends at its own last event: the moment it was last seen alive, nothing guessed about the outage
        const closed = this.correlator.reconcile(alive, this.unverified);
        if (closed.length) this.ctx.log.warn({ pbx: this.pbx, calls: closed.length }, 'calls closed as incomplete after reconnect');
        this.unverified = undefined;
      }
      this.trunks.setActiveCalls(this.translator.trunkCalls(), at);
    }
    if (s.contacts) this.extensions.clearContacts();
    for (const list of [s.endpoints, s.contacts, s.devices, s.hints, s.registrations, s.mailboxes]) {
      for (const item of list ?? []) this.state(item, at);
    }
    if (s.queues) {
      this.queues.resync(s.queues, at);
      // callers already waiting: their calls are queue calls, joined Wait seconds ago
      for (const e of s.queues) {
        if (e.Event !== 'QueueEntry' || !e.Uniqueid || !e.Queue || !this.correlator.hasLeg(e.Uniqueid)) continue;
        this.correlator.handle({ type: 'queueJoined', at: at - (Number(e.Wait) || 0) * 1000, leg: e.Uniqueid, queue: e.Queue, position: Number(e.Position) || 0 });
      }
    }
    if (this.gap) {
      this.ctx.hub.emit('gap', { ...this.gap, endedAt: at });
      this.gap = undefined;
    }
    this.publishStatus();
  }

  // ---- events ----------------------------------------------------------------------------------------------------

  private onEvent(ev: AmiEventBase, arrival: number): void {
    this.lastHeardAt = arrival;
    const at = eventTime(ev, arrival);
    this.status.lastEventAt = arrival;
    this.ctx.hub.emit('sourceEvent', { pbx: this.pbx, event: ev.Event, at: arrival, ...(ev.Timestamp ? { ts: at } : {}) });
    // one clock: the PBX's when it stamps its events (un-stamped ones like FullyBooted must not jump it to ours)
    if (ev.Timestamp) this.stamped = true;
    if (ev.Timestamp || !this.stamped) this.correlator.advance(at);
    try {
      if (ev.Event === 'FullyBooted') this.fullyBooted(ev, at);
      const legEvents = this.translator.translate(ev, at);
      for (const le of legEvents) this.correlator.handle(le);
      if (ev.Event === 'Newchannel' || ev.Event === 'Hangup') this.trunks.setActiveCalls(this.translator.trunkCalls(), at);
      this.state(ev, at);
    } catch (err) {
      if (err instanceof BadEvent) this.reject('missing header', err.message);
      else {
        this.ctx.log.error({ err, event: ev.Event }, 'AMI event handling failed');
        this.reject('handler error', `${ev.Event}: ${(err as Error).message}`);
      }
    }
    if (arrival - this.lastStatusAt >= STATUS_EVERY_MS) this.publishStatus();
  }

  private state(ev: AmiEventBase, at: number): void {
    this.trunks.handle(ev, at);
    this.extensions.handle(ev, at);
    this.queues.handle(ev, at);
  }

  /** FullyBooted: the PBX (re)started or we just logged in; a PBX restart needs a fresh picture. */
  private fullyBooted(ev: AmiEventBase, at: number): void {
    const uptime = Number(ev.Uptime);
    if (Number.isFinite(uptime)) {
      const startedAt = Math.round((at - uptime * 1000) / 1000) * 1000;
      // the same start seen through a slightly different arrival time is not a restart
      if (this.status.pbxStartedAt === undefined || Math.abs(this.status.pbxStartedAt - startedAt) > 2000) {
        this.status.pbxStartedAt = startedAt;
        // before the login callback has run, 'up' will publish it
        if (this.status.connected) this.publishStatus();
      }
    }
    // at login FullyBooted comes before our login callback has run; the login's own resync covers that case
    if (this.client.isUp && !this.resyncing && this.now() - this.lastResyncAt > 5000) void this.runResync();
  }

  private reject(reason: string, detail: string): void {
    this.ctx.hub.emit('rejected', { pbx: this.pbx, reason, detail });
  }

  private callIdOfLeg(leg: string): string | undefined {
    return this.correlator.callIdOfLeg(leg);
  }
}

/** Sort key of a Uniqueid (`1795462247.29`, or `host-1795462247.29` with systemname): epoch, then sequence. */
function uniqueidOrder(id: string | undefined): number {
  const m = /(\d+)\.(\d+)$/.exec(id ?? '');
  return m ? Number(m[1]) * 1e6 + Number(m[2]) : Number.MAX_SAFE_INTEGER;
}
