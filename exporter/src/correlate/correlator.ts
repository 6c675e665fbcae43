import type { Call, Party, QueueCallResult } from '../domain';
import type {
  AgentEvent,
  CallRecorded,
  DialEnded,
  DialStarted,
  LegEvent,
  LegStarted,
  QueueJoined,
  QueueLeft,
  Transferred,
} from '../domain/leg-events';
import { buildCall } from './record';
import { Topology } from './topology';
import { CallTracker, isParticipant, type LegState } from './tracker';

export interface CorrelatorOptions {
  pbx: string;
  /** wait this long after the last leg hung up before the record is final (late transfer / Local teardown events) */
  graceMs?: number;
  onCall(call: Call): void;
  onCallEnded(call: Call): void;
  onQueueCall?(result: QueueCallResult): void;
  /** publish open-call changes at once instead of batching them per tick (tests, benchmarks) */
  publish?: 'batched' | 'sync';
}

/**
 * Turns leg-level events into one record per call. Source-agnostic: AMI, NFON and 3CX adapters all speak
 * `LegEvent`.
 *
 * Grouping is a union-find over the PBX's call keys (Asterisk Linkedids): a leg seen with a new key, a dial between
 * two keys, a Local channel pair or a transfer joins them. One rule keeps published records honest: a call that was
 * already published is never rewritten into another one. When two published calls meet (the consultation call of an
 * attended transfer), the younger one is closed as its own record at that moment and only the legs that carry on
 * move over. A call that was never published (a phone that dialled a pickup code, a feature code) merges fully.
 */
export class Correlator {
  private readonly legs = new Map<string, LegState>();
  private readonly owners = new Map<string, CallTracker>();
  private readonly open = new Set<CallTracker>();
  private readonly topology = new Topology(this.legs);
  private readonly dirty = new Set<CallTracker>();
  private flushScheduled = false;
  private readonly graceMs: number;
  /** the latest event time: the correlator's clock */
  private clock = 0;

  constructor(private readonly opts: CorrelatorOptions) {
    this.graceMs = opts.graceMs ?? 2000;
  }

  get now(): number {
    return this.clock;
  }

  /** Any PBX event moves the clock on, even one about no call: silence of a call is measured against it. */
  advance(at: number): void {
    if (at > this.clock) this.clock = at;
  }

  openCalls(): Call[] {
    return [...this.open].filter((t) => t.published).map((t) => buildCall(this.opts.pbx, t, this.clock));
  }

  hasLeg(id: string): boolean {
    return this.legs.has(id);
  }

  /** The published call a leg belongs to (queue callers show their call). */
  callIdOfLeg(id: string): string | undefined {
    const t = this.legs.get(id)?.call;
    return t && t.published && !t.closed ? t.id : undefined;
  }

  handle(ev: LegEvent): void {
    if (ev.at > this.clock) this.clock = ev.at;
    switch (ev.type) {
      case 'legStarted':
        return this.legStarted(ev);
      case 'callRecorded':
        return this.recorded(ev);
      case 'transfer':
        return this.transfer(ev);
      case 'bridgesMerged':
        for (const leg of this.topology.mergeBridges(ev.from, ev.into)) this.recomputeAround(leg, ev.at);
        return;
      default:
        break;
    }
    const leg = this.legs.get(ev.leg);
    if (!leg) return; // a channel from before we connected, or after its call was closed
    const t = this.relink(leg, ev.call, ev.at);
    if (!t) {
      // the leg outlived its (closed) call: forget it once it is gone
      if (ev.type === 'legEnded') {
        this.topology.remove(leg);
        this.legs.delete(leg.id);
      }
      return;
    }
    t.lastAt = Math.max(t.lastAt, ev.at);
    switch (ev.type) {
      case 'legPhase':
        leg.phase = ev.phase;
        break;
      case 'legParty':
        leg.party = ev.party;
        break;
      case 'legEnded':
        this.legEnded(t, leg, ev.at, ev.cause);
        break;
      case 'dialStarted':
        this.dialStarted(t, leg, ev);
        break;
      case 'dialEnded':
        this.dialEnded(ev);
        break;
      case 'joined':
        this.topology.join(leg, ev.bridge);
        this.recomputeAround(leg, ev.at);
        break;
      case 'left':
        this.topology.leave(leg, ev.bridge);
        this.recomputeAround(leg, ev.at);
        break;
      case 'hold':
        this.hold(t, leg, ev.held, ev.at);
        break;
      case 'service':
        if (ev.service === 'voicemail') t.voicemail = true;
        if (ev.service === 'dial') t.dialApp = true;
        if (ev.service !== 'other') this.offer(t);
        break;
      case 'queueJoined':
        this.queueJoined(t, ev);
        break;
      case 'queueLeft':
        this.queueLeft(t, leg, ev);
        break;
      case 'agentCalled':
      case 'agentConnected':
        this.agent(t, ev);
        break;
    }
    this.touch(t);
  }

  // ---- legs and keys -------------------------------------------------------------------------------------------

  private legStarted(ev: LegStarted): void {
    const known = this.legs.get(ev.leg);
    if (known) {
      // seen again (a resync after reconnect): refresh what may have changed
      known.phase = ev.phase;
      const t = this.relink(known, ev.call, ev.at);
      if (t) this.touch(t);
      return;
    }
    const key = ev.call ?? ev.leg;
    let t = this.owners.get(key);
    if (!t) {
      t = new CallTracker(`${this.opts.pbx}-${key}`, ev.at);
      this.claim(t, key);
      this.open.add(t);
    }
    const leg: LegState = {
      id: ev.leg,
      kind: ev.kind,
      party: ev.party,
      startedAt: ev.at,
      phase: ev.phase,
      bridges: new Set(),
      key,
    };
    if (ev.channel) leg.channel = ev.channel;
    if (ev.endpoint) leg.endpoint = ev.endpoint;
    if (ev.dialled) leg.dialled = ev.dialled;
    if (ev.pair) leg.pair = ev.pair;
    this.legs.set(leg.id, leg);
    this.topology.addPair(leg);
    this.moveLeg(leg, t);
    clearTimeout(t.graceTimer);
    t.graceTimer = undefined;
    if (!t.origin && isParticipant(leg)) {
      t.origin = leg;
      // a call from outside is a call from its first ring; a phone going off-hook is not, until it dials
      if (leg.kind === 'trunk') this.offer(t);
    }
    t.lastAt = Math.max(t.lastAt, ev.at);
    this.touch(t);
  }

  private claim(t: CallTracker, key: string): void {
    t.keys.add(key);
    this.owners.set(key, t);
  }

  /** The leg carries `key` now: if that key belongs to another call, the two calls meet. */
  private relink(leg: LegState, key: string | undefined, at: number): CallTracker | undefined {
    const current = this.trackerOf(leg);
    if (!key || key === leg.key) return current;
    leg.key = key;
    const other = this.owners.get(key);
    if (!current) return other;
    if (!other) {
      this.claim(current, key);
      return current;
    }
    if (other === current) return current;
    return this.merge(current, other, at, [leg]);
  }

  private trackerOf(leg: LegState): CallTracker | undefined {
    return leg.call && !leg.call.closed ? leg.call : undefined;
  }

  private moveLeg(leg: LegState, to: CallTracker): void {
    if (leg.call === to) return;
    if (leg.call && !leg.call.closed) leg.call.legs.delete(leg.id);
    leg.call = to;
    to.legs.set(leg.id, leg);
    clearTimeout(to.graceTimer);
    to.graceTimer = undefined;
  }

  /**
   * Two calls turned out to be one. See the class comment: unpublished calls merge fully; of two published calls
   * the younger is closed now and only `mover` (the leg that adopted the other key) changes sides.
   */
  private merge(a: CallTracker, b: CallTracker, at: number, movers: LegState[] = []): CallTracker {
    let keep = a;
    let gone = b;
    if (gone.published && !keep.published) [keep, gone] = [gone, keep];
    else if (gone.published === keep.published && gone.startedAt < keep.startedAt) [keep, gone] = [gone, keep];

    if (!gone.published) {
      for (const leg of [...gone.legs.values()]) this.moveLeg(leg, keep);
      for (const key of gone.keys) this.claim(keep, key);
      if (gone.voicemail) keep.voicemail = true;
      if (gone.dialApp) keep.dialApp = true;
      if (!keep.queue && gone.queue) keep.queue = gone.queue;
      for (const [k, m] of gone.members) keep.members.set(k, m);
      gone.closed = true;
      this.open.delete(gone);
      this.dirty.delete(gone);
      clearTimeout(gone.graceTimer);
      this.recompute(keep, at);
      return keep;
    }

    // both published: the younger call ends here as a record of its own
    const moving = movers.filter((l) => l.call === gone && l.endedAt === undefined);
    this.stopTalking(gone, at);
    for (const key of gone.keys) this.owners.delete(key);
    this.finish(gone, at, false, moving);
    for (const leg of moving) this.carryOver(leg, keep, at);
    this.recompute(keep, at);
    return keep;
  }

  /** A leg that changes calls starts afresh in its new call: what it did in the old one stays there. */
  private carryOver(leg: LegState, to: CallTracker, at: number): void {
    leg.startedAt = at;
    leg.connectedAt = undefined;
    leg.dial = undefined;
    leg.holdSince = undefined;
    this.moveLeg(leg, to);
  }

  private offer(t: CallTracker): void {
    t.offered = true;
  }

  // ---- call flow ------------------------------------------------------------------------------------------------

  private legEnded(t: CallTracker, leg: LegState, at: number, cause?: number): void {
    if (leg.endedAt !== undefined) return;
    leg.endedAt = at;
    if (cause !== undefined) leg.cause = cause;
    if (leg.dial && leg.dial.endedAt === undefined) leg.dial.endedAt = at;
    if (leg.holdSince !== undefined) this.hold(t, leg, false, at);
    this.topology.remove(leg);
    this.recompute(t, at);
    if (t.allEnded()) this.scheduleClose(t);
  }

  private dialStarted(t: CallTracker, leg: LegState, ev: DialStarted): void {
    const target = this.legs.get(ev.target);
    this.offer(t);
    if (!target) return;
    let call = t;
    const other = this.trackerOf(target);
    if (other && other !== t) call = this.merge(t, other, ev.at, [target]);
    if (target.call !== call && target.endedAt === undefined) this.moveLeg(target, call);
    target.dial = { by: leg.id, at: ev.at, ...(ev.position ? { position: ev.position } : {}) };
    // the number a trunk leg was asked to dial is the external party
    if (target.kind === 'trunk' && ev.number) target.party = { number: ev.number };
  }

  private dialEnded(ev: DialEnded): void {
    const t = this.legs.get(ev.target);
    if (!t) return;
    if (!t.dial) t.dial = { by: ev.leg, at: ev.at };
    // ANSWER sticks: parallel dials report the losers after the winner
    if (t.dial.outcome !== 'answer') t.dial.outcome = ev.outcome;
    t.dial.endedAt ??= ev.at;
  }

  private hold(t: CallTracker, leg: LegState, held: boolean, at: number): void {
    if (held) {
      if (leg.holdSince !== undefined) return;
      leg.holdSince = at;
      t.holds.push({ leg: leg.id, party: { ...leg.party }, start: at });
    } else {
      if (leg.holdSince === undefined) return; // Unhold without Hold: phones send it on transfer
      leg.holdSince = undefined;
      const open = [...t.holds].reverse().find((h) => h.leg === leg.id && h.end === undefined);
      if (open) open.end = at;
    }
  }

  private queueJoined(t: CallTracker, ev: QueueJoined): void {
    this.offer(t);
    if (!t.queue) t.queue = { name: ev.queue, joinedAt: ev.at };
  }

  private queueLeft(t: CallTracker, leg: LegState, ev: QueueLeft): void {
    const q = t.queue;
    if (!q || q.name !== ev.queue) return;
    if (ev.abandoned) {
      q.abandoned = true;
      return; // the Leave that follows is the exit
    }
    if (q.leftAt !== undefined) return;
    q.leftAt = ev.at;
    // a member's DialEnd ANSWER arrives before the caller leaves the queue; AgentConnect only after
    const answered = [...t.legs.values()].some((l) => l.dial?.by === leg.id && l.dial.outcome === 'answer' && l.dial.at >= q.joinedAt);
    q.answered = answered;
    this.opts.onQueueCall?.({
      pbx: this.opts.pbx,
      queue: q.name,
      outcome: q.abandoned ? 'abandoned' : answered ? 'answered' : 'timeout',
      waitMs: Math.max(0, ev.at - q.joinedAt),
      at: ev.at,
    });
  }

  private agent(t: CallTracker, ev: AgentEvent): void {
    this.offer(t);
    if (!t.queue) t.queue = { name: ev.queue, joinedAt: ev.at };
    t.members.set(ev.member.interface, ev.member);
    const target = this.legs.get(ev.target);
    if (target) target.member = ev.member;
  }

  private transfer(ev: Transferred): void {
    const at = ev.at;
    const legs = (ids: string[]): LegState[] => ids.map((id) => this.legs.get(id)).filter((l): l is LegState => !!l);
    const parties = legs(ev.parties);
    const by = legs(ev.by);
    // everything involved is one call from now on; the parties carry on in it
    let t: CallTracker | undefined;
    for (const key of ev.calls) {
      const other = this.owners.get(key);
      if (!other) continue;
      t = t && t !== other ? this.merge(t, other, at, parties) : other;
    }
    t ??= parties.map((l) => this.trackerOf(l)).find((x) => !!x) ?? by.map((l) => this.trackerOf(l)).find((x) => !!x);
    if (!t) return;
    for (const l of parties) if (l.call !== t && l.endedAt === undefined) this.carryOver(l, t, at);
    t.lastAt = Math.max(t.lastAt, at);
    const byParty = by[0]?.party;
    if (!byParty) return;
    let from: Party | undefined;
    let to: Party | undefined = ev.to;
    if (ev.kind === 'blind') from = parties[0]?.party;
    else {
      // of the two parties joined, the one that was in this call all along was handed over to the other
      const home = parties.find((l) => l.startedAt <= (t.answeredAt ?? t.startedAt) && l !== by[0]) ?? parties.find((l) => l === t.origin);
      const other = parties.find((l) => l !== home);
      from = home?.party;
      to = other?.party ?? to;
    }
    if (!to) return;
    t.transfers.push({
      kind: ev.kind,
      at,
      by: { ...byParty },
      ...(from ? { from: { ...from } } : {}),
      to: { ...to },
    });
    this.recompute(t, at);
    this.touch(t);
  }

  private recorded(ev: CallRecorded): void {
    this.opts.onCallEnded({ ...ev.record, pbx: this.opts.pbx });
  }

  // ---- talk time ---------------------------------------------------------------------------------------------------

  private recomputeAround(leg: LegState, at: number): void {
    const seen = new Set<CallTracker>();
    const t = this.trackerOf(leg);
    if (t) seen.add(t);
    for (const b of leg.bridges) {
      for (const id of this.topology.bridgeMembers(b)) {
        const other = this.legs.get(id);
        const ot = other && this.trackerOf(other);
        if (ot) seen.add(ot);
      }
    }
    for (const x of seen) {
      this.recompute(x, at);
      this.touch(x);
    }
    // a leg that left a bridge may have left its call's talk too
    if (t) this.recompute(t, at);
  }

  /**
   * Is this call's caller talking to somebody? Answer is the first time the origin can hear another person; talk
   * is the sum of those stretches. Once the origin has gone, two remaining people talking still count.
   */
  private recompute(t: CallTracker, at: number): void {
    const o = t.origin;
    let parties: LegState[] = [];
    if (o && o.endedAt === undefined) parties = this.topology.reachable(o);
    else if (o) {
      for (const l of t.legs.values()) {
        if (l.endedAt !== undefined || !isParticipant(l)) continue;
        const r = this.topology.reachable(l);
        if (r.length) {
          parties = r;
          break;
        }
      }
    }
    if (parties.length) {
      for (const p of parties) p.connectedAt ??= at;
      if (o && o.connectedAt === undefined && o.endedAt === undefined) o.connectedAt = at;
      if (t.answeredAt === undefined) {
        t.answeredAt = at;
        t.answeredBy = parties.find((p) => p.kind === 'extension') ?? parties[0];
      }
      if (t.talkingSince === undefined) t.talkingSince = at;
    } else this.stopTalking(t, at);
  }

  private stopTalking(t: CallTracker, at: number): void {
    if (t.talkingSince !== undefined) {
      t.talkMs += Math.max(0, at - t.talkingSince);
      t.talkingSince = undefined;
    }
  }

  // ---- publishing and closing -----------------------------------------------------------------------------------

  private touch(t: CallTracker): void {
    if (!t.offered || t.closed) return;
    if (this.opts.publish === 'sync') {
      t.published = true;
      this.opts.onCall(buildCall(this.opts.pbx, t, this.clock));
      return;
    }
    t.published = true;
    this.dirty.add(t);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Publishes every call that changed since the last flush. */
  flush(): void {
    this.flushScheduled = false;
    for (const t of this.dirty) if (!t.closed) this.opts.onCall(buildCall(this.opts.pbx, t, this.clock));
    this.dirty.clear();
  }

  private scheduleClose(t: CallTracker): void {
    if (t.graceTimer) return;
    if (!t.offered) {
      this.discard(t);
      return;
    }
    t.graceTimer = setTimeout(() => {
      t.graceTimer = undefined;
      if (!t.closed && t.allEnded()) this.finish(t, t.endedAt(), false);
    }, this.graceMs);
    t.graceTimer.unref?.();
  }

  private discard(t: CallTracker): void {
    t.closed = true;
    this.open.delete(t);
    this.dirty.delete(t);
    for (const key of t.keys) if (this.owners.get(key) === t) this.owners.delete(key);
    for (const leg of t.legs.values()) if (leg.endedAt !== undefined) this.legs.delete(leg.id);
  }

  /** Emits the final record and forgets the call. Legs in `keep` live on in another call. */
  private finish(t: CallTracker, endedAt: number, incomplete: boolean, keep: LegState[] = []): Call | undefined {
    if (t.closed) return undefined;
    this.stopTalking(t, endedAt);
    for (const l of t.legs.values()) if (l.holdSince !== undefined && !keep.includes(l)) this.hold(t, l, false, endedAt);
    // a final record shows every leg ended; legs that live on elsewhere are cut at this moment, in this record only
    const live = [...t.legs.values()].filter((l) => l.endedAt === undefined);
    for (const l of live) l.endedAt = endedAt;
    const call = buildCall(this.opts.pbx, t, endedAt, { endedAt, incomplete });
    for (const l of live) l.endedAt = undefined;
    clearTimeout(t.graceTimer);
    t.closed = true;
    this.open.delete(t);
    this.dirty.delete(t);
    for (const key of t.keys) if (this.owners.get(key) === t) this.owners.delete(key);
    for (const leg of t.legs.values()) {
      if (keep.includes(leg)) continue;
      if (leg.endedAt !== undefined) {
        this.topology.remove(leg);
        this.legs.delete(leg.id);
      }
    }
    if (!t.offered) return undefined;
    this.opts.onCallEnded(call);
    return call;
  }

  /** Closes every call whose grace period is running (shutdown: nothing more will come). */
  closePending(): void {
    for (const t of [...this.open]) if (t.graceTimer && t.allEnded()) this.finish(t, t.endedAt(), false);
  }

  // ---- reconnects ---------------------------------------------------------------------------------------------------

  /**
   * After a reconnect: `alive` holds the channels the PBX still has (CoreShowChannels). Of the calls open before the
   * connection was lost (`before`), those with no channel left are closed as `incomplete` at `lostAt` — their end
   * was not seen and is not guessed; the ones still up carry on, minus the legs that vanished meanwhile.
   */
  reconcile(alive: Set<string>, before: Set<string>, lostAt?: number): Call[] {
    const closed: Call[] = [];
    for (const t of [...this.open]) {
      if (!before.has(t.id)) continue;
      // without a known moment of loss, a call ends at the last event it had
      const end = lostAt ?? t.lastAt;
      const survivors = [...t.legs.values()].filter((l) => l.endedAt === undefined && alive.has(l.id));
      if (survivors.length === 0) {
        for (const l of t.legs.values()) if (l.endedAt === undefined) l.endedAt = end;
        const call = this.finish(t, end, true);
        if (call) closed.push(call);
        continue;
      }
      for (const l of t.legs.values()) {
        if (l.endedAt === undefined && !alive.has(l.id)) {
          l.endedAt = end;
          this.topology.remove(l);
        }
      }
      this.recompute(t, this.clock);
      this.touch(t);
    }
    return closed;
  }

  /** Ids of open calls (published or not), optionally only those silent since `silentSince`: what `reconcile` checks. */
  openIds(silentSince?: number): Set<string> {
    return new Set([...this.open].filter((t) => silentSince === undefined || t.lastAt < silentSince).map((t) => t.id));
  }

  /**
   * A call left open by an earlier run (crash, restart). If some of its legs are still up it carries on from the
   * stored record; otherwise it is closed as `incomplete` at the last moment the record shows it alive.
   */
  restore(call: Call, alive: Set<string>): Call | undefined {
    const live = call.legs.filter((l) => l.endedAt === undefined && alive.has(l.id));
    const lastSeen = Math.max(
      call.startedAt,
      call.answeredAt ?? 0,
      ...call.legs.flatMap((l) => [l.startedAt, l.answeredAt ?? 0, l.endedAt ?? 0]),
      ...call.holds.flatMap((h) => [h.start, h.end ?? 0]),
      ...call.transfers.map((x) => x.at),
    );
    if (live.length === 0) {
      const { answeredAt: _a, ...rest } = call;
      const closed: Call = {
        ...rest,
        ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
        status: 'incomplete',
        open: false,
        endedAt: lastSeen,
        legs: call.legs.map((l) => (l.endedAt === undefined ? { ...l, endedAt: lastSeen } : l)),
      };
      this.opts.onCallEnded(closed);
      return closed;
    }
    const key = call.id.startsWith(`${this.opts.pbx}-`) ? call.id.slice(this.opts.pbx.length + 1) : call.id;
    const t = new CallTracker(call.id, call.startedAt);
    t.offered = true;
    t.published = true;
    t.restored = {
      from: call.from,
      to: call.to,
      ...(call.answeredBy ? { answeredBy: call.answeredBy } : {}),
      talkMs: call.talkMs,
      holdMs: call.holdMs,
    };
    if (call.answeredAt !== undefined) t.answeredAt = call.answeredAt;
    if (call.queue) t.queue = { name: call.queue, joinedAt: call.startedAt, leftAt: call.startedAt + (call.waitMs ?? 0) };
    t.transfers.push(...call.transfers);
    this.claim(t, key);
    this.open.add(t);
    for (const l of call.legs) {
      const leg: LegState = {
        id: l.id,
        kind: l.role === 'trunk' ? 'trunk' : 'extension',
        party: l.party,
        startedAt: l.startedAt,
        phase: 'up',
        bridges: new Set(),
      };
      if (l.channel) leg.channel = l.channel;
      if (l.answeredAt !== undefined) leg.connectedAt = l.answeredAt;
      leg.endedAt = l.endedAt ?? (alive.has(l.id) ? undefined : lastSeen);
      this.moveLeg(leg, t);
      this.legs.set(leg.id, leg);
      if (!t.origin) t.origin = leg;
    }
    return undefined;
  }
}
