import type { Call } from '../../domain';
import type { SourceContext } from '../runtime/context';
import type { SourceDriver } from '../runtime/kind';
import { Classifier, parseChannel } from './classify';
import { AmiClient } from './client';
import type { AmiConfig } from './config';
import { AmiControl } from './control';
import { HeldEvents } from './held';
import { pbxStamp, type AmiEventBase } from './messages';
import { resync, type ResyncAnswers } from './resync';
import { MAX_NAMES, type Refused } from './state/caps';
import { ConferenceBook } from './state/conferences';
import { ExtensionBook } from './state/extensions';
import { ParkingBook } from './state/parking';
import { QueueBook } from './state/queues';
import { TrunkBook } from './state/trunks';
import { BadEvent, Translator } from './translate';

/** Knobs tests turn; production uses the defaults. */
export interface AmiOptions {
  /** how often silent calls are checked against CoreShowChannels, and how long "silent" is */
  auditEveryMs?: number;
  auditSilenceMs?: number;
}

/** The AMI event classes Switchboard reads (see README.md). */
const EVENT_MASK = 'system,call,agent,dialplan';
const AUDIT_EVERY_MS = 5 * 60_000;
const AUDIT_SILENCE_MS = 10 * 60_000;
/** A FullyBooted this soon after a resync is the login's own, not a PBX restart. */
const RESYNC_QUIET_MS = 5000;

/**
 * Asterisk / FreePBX over AMI: the session (AmiClient), translation to leg events, the resync after every (re)connect,
 * the channel audit, and the extension, queue, trunk, conference and parking books fed by state events. Status, gaps,
 * correlation and the settling of open calls are the runtime's.
 */
export class AmiDriver implements SourceDriver {
  private readonly client: AmiClient;
  private readonly translator: Translator;
  private readonly extensions: ExtensionBook;
  private readonly queues: QueueBook;
  private readonly trunks: TrunkBook;
  private readonly conferences: ConferenceBook;
  private readonly parking: ParkingBook;
  private resyncing?: Promise<void>;
  private lastResyncAt = 0;
  /** logins so far: a resync answered by a session that has ended is not applied */
  private sessions = 0;
  private readonly held = new HeldEvents((ev, arrival) => this.onEvent(ev, arrival));
  private auditTimer?: NodeJS.Timeout;
  readonly control: AmiControl;

  constructor(
    config: AmiConfig,
    private readonly ctx: SourceContext,
    private readonly opts: AmiOptions = {},
  ) {
    const { pbx, calls, live } = ctx;
    const classifier = new Classifier(config.trunks);
    const isTrunk = (endpoint: string): boolean => classifier.isTrunkEndpoint(endpoint);
    this.translator = new Translator(classifier);
    const refused: Refused = (kind, name) =>
      ctx.rejected(`too many ${kind}s`, `${kind} ${JSON.stringify(name.slice(0, 64))} not kept: ${MAX_NAMES[kind]} are known already`);
    this.queues = new QueueBook(
      pbx,
      (q) => live.queue(q),
      (leg) => calls.callIdOfLeg(leg),
      (ext, at) => this.extensions.changed(ext, at),
      refused,
    );
    this.extensions = new ExtensionBook(pbx, (e) => live.extension(e), (ext) => this.queues.membershipsOf(ext), isTrunk, refused);
    this.trunks = new TrunkBook(pbx, (t) => live.trunk(t), isTrunk, refused);
    const extensionOf = (channel: string): string | undefined => {
      const name = parseChannel(channel);
      return name && classifier.kind(name, undefined) === 'extension' ? name.resource : undefined;
    };
    this.conferences = new ConferenceBook(
      pbx,
      (c) => live.conference(c),
      (leg) => calls.callIdOfLeg(leg),
      extensionOf,
      (ext, room, at) => this.extensions.conference(ext, room, at),
    );
    this.parking = new ParkingBook(
      pbx,
      (p) => live.parking(p),
      (leg) => calls.callIdOfLeg(leg),
      (ext) => this.extensions.nameOf(ext),
    );
    this.client = new AmiClient({
      host: config.host,
      port: config.port,
      username: config.username,
      secret: config.secret ?? '',
      pingIntervalMs: config.pingIntervalSeconds * 1000,
      actionTimeoutMs: config.actionTimeoutSeconds * 1000,
      backoff: ctx.backoff(config.reconnectMaxSeconds * 1000),
    });
    this.control = new AmiControl(pbx, this.client, config.control);
    this.client.on('up', () => this.onUp());
    this.client.on('down', (reason) => {
      // what the lost session sent is real: handled before its end is recorded
      this.held.releaseAll();
      this.ctx.disconnected(reason);
    });
    this.client.on('loginFailed', (message) => {
      ctx.log.error({ username: config.username }, `AMI login refused for user "${config.username}": ${message}`);
      ctx.loginFailed(message);
    });
    this.client.on('event', (ev, arrival) => this.held.offer(ev, arrival, this.client.delivered));
    this.client.on('rejected', (reason, detail) => ctx.rejected(reason, detail));
  }

  start(): void {
    this.client.start();
  }

  async stop(): Promise<void> {
    clearTimeout(this.auditTimer);
    await this.client.stop();
  }

  callChanged(call: Call): void {
    this.extensions.onCall(call);
  }

  // ---- connection ---------------------------------------------------------------------------------------------

  private onUp(): void {
    this.sessions++;
    this.ctx.connected();
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
      const calls = this.ctx.calls;
      const suspects = calls.openIds(calls.now - (this.opts.auditSilenceMs ?? AUDIT_SILENCE_MS));
      const next = (): void => this.scheduleAudit();
      if (suspects.size === 0) return next();
      this.client
        .action({ Action: 'CoreShowChannels' }, { list: true })
        .then((r) => {
          const alive = new Set(r.items.map((i) => i.Uniqueid).filter((u): u is string => !!u));
          const closed = calls.reconcile(alive, suspects);
          if (closed.length) this.ctx.log.warn({ calls: closed.length }, 'silent calls with no channel left closed as incomplete');
        })
        .catch((err: Error) => this.ctx.log.debug({ err: err.message }, 'channel audit failed'))
        .finally(next);
    }, this.opts.auditEveryMs ?? AUDIT_EVERY_MS);
    this.auditTimer.unref();
  }

  /** The resync is applied at the channel list's place in the stream: events after it wait (held.ts). */
  private runResync(): Promise<void> {
    if (this.resyncing) return this.resyncing;
    const session = this.sessions;
    this.held.hold();
    this.resyncing = resync(this.client, this.ctx.log)
      .then((answers) => {
        // the session is gone (its events were handled at its end): the next session's resync replaces this one
        if (session !== this.sessions || !this.client.isUp) return;
        if (answers.channelsDelivered !== undefined) this.held.releaseUpTo(answers.channelsDelivered);
        this.applyResync(answers);
      })
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'resync failed'))
      .finally(() => {
        this.held.releaseAll();
        this.resyncing = undefined;
        this.lastResyncAt = this.ctx.now();
      });
    return this.resyncing;
  }

  private applyResync(s: ResyncAnswers): void {
    const at = s.at;
    const calls = this.ctx.calls;
    if (s.channels) {
      const pbxNow = this.ctx.pbxTime(at);
      // oldest channel first: a call's first channel is its origin (Uniqueids are `<epoch>.<sequence>`)
      const byAge = [...s.channels].sort((a, b) => uniqueidOrder(a.Uniqueid) - uniqueidOrder(b.Uniqueid));
      const alive = new Set(byAge.map((ch) => ch.Uniqueid).filter((id): id is string => !!id));
      // the calls a previous run left open resume first, so that their channels below are legs already known
      calls.settle(alive);
      for (const ch of byAge) {
        const id = ch.Uniqueid;
        if (!id) continue;
        // a channel met before is refreshed at the correlation clock: the list item's age says when the channel began,
        // not when what it shows now happened, and must not move a call's time. A new one (begun while we were not
        // listening) began that age before the PBX's time now: its clock, not ours, is the one its calls' times are on
        const duration = (ch.Duration ?? '0:0:0').split(':').reduce((acc, p) => acc * 60 + (Number(p) || 0), 0);
        const when = calls.hasLeg(id) ? calls.now || at : pbxNow - duration * 1000;
        try {
          for (const ev of this.translator.existing(ch as never, when)) calls.handle(ev);
        } catch (err) {
          if (err instanceof BadEvent) this.ctx.rejected('bad list item', err.message);
          else throw err;
        }
      }
      this.trunks.setActiveCalls(this.translator.trunkCalls(), at);
    }
    if (s.contacts) this.extensions.clearContacts();
    for (const list of [s.endpoints, s.contacts, s.devices, s.hints, s.registrations, s.mailboxes]) {
      for (const item of list ?? []) this.state(item, at);
    }
    if (s.conferences) this.conferences.resync(s.conferences, at);
    if (s.parked) this.parking.resync(s.parked, at);
    if (s.queues) {
      this.queues.resync(s.queues, at);
      // callers already waiting: their calls are queue calls, joined Wait seconds ago
      for (const e of s.queues) {
        if (e.Event !== 'QueueEntry' || !e.Uniqueid || !e.Queue || !calls.hasLeg(e.Uniqueid)) continue;
        calls.handle({ type: 'queueJoined', at: at - (Number(e.Wait) || 0) * 1000, leg: e.Uniqueid, queue: e.Queue, position: Number(e.Position) || 0 });
      }
    }
    this.ctx.synced(at, s.version ? { version: s.version } : undefined);
  }

  // ---- events ----------------------------------------------------------------------------------------------------

  private onEvent(ev: AmiEventBase, arrival: number): void {
    this.ctx.received(ev.Event, arrival, pbxStamp(ev), (at) => {
      if (ev.Event === 'FullyBooted') this.fullyBooted(ev, at);
      for (const le of this.translator.translate(ev, at)) this.ctx.calls.handle(le);
      if (ev.Event === 'Newchannel' || ev.Event === 'Hangup') this.trunks.setActiveCalls(this.translator.trunkCalls(), at);
      this.state(ev, at);
    });
  }

  private state(ev: AmiEventBase, at: number): void {
    this.trunks.handle(ev, at);
    this.extensions.handle(ev, at);
    this.queues.handle(ev, at);
    this.conferences.handle(ev, at);
    this.parking.handle(ev, at);
  }

  /** FullyBooted: the PBX (re)started or we just logged in; a PBX restart needs a fresh picture. */
  private fullyBooted(ev: AmiEventBase, at: number): void {
    const uptime = Number(ev.Uptime);
    if (Number.isFinite(uptime)) this.ctx.pbxInfo({ startedAt: Math.round((at - uptime * 1000) / 1000) * 1000 });
    // at login FullyBooted comes before our login callback has run; the login's own resync covers that case
    if (this.client.isUp && !this.resyncing && this.ctx.now() - this.lastResyncAt > RESYNC_QUIET_MS) void this.runResync();
  }
}

/** Sort key of a Uniqueid (`1795462247.29`, or `host-1795462247.29` with systemname): epoch, then sequence. */
function uniqueidOrder(id: string | undefined): number {
  const m = /(\d+)\.(\d+)$/.exec(id ?? '');
  return m ? Number(m[1]) * 1e6 + Number(m[2]) : Number.MAX_SAFE_INTEGER;
}
