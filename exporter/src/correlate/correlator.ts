import type { Call } from '../domain';
import type { LegEvent } from '../domain/leg-events';
import { closePending } from './close';
import { conferenceJoined, conferenceLeft } from './handlers/conference';
import { dialEnded, dialStarted } from './handlers/dial';
import { legEnded, legStarted } from './handlers/legs';
import { agentEvent, queueJoined, queueLeft } from './handlers/queue';
import { recorded } from './handlers/recorded';
import { transfer } from './handlers/transfer';
import { Ledger } from './ledger';
import { relink } from './merge';
import type { OutboxOptions } from './outbox';
import { buildCall } from './record';
import { parseCheckpoint } from './checkpoint';
import { reconcile, restore, resume } from './settle';
import { recomputeAround } from './talk';

export interface CorrelatorOptions extends OutboxOptions {
  pbx: string;
  /** wait this long after the last leg hung up before the record is final (late transfer / Local teardown events) */
  graceMs?: number;
}

/**
 * Turns leg-level events into one record per call. Source-agnostic: AMI, NFON and 3CX adapters all speak
 * `LegEvent`. This class dispatches each event to its handler (handlers/) over the shared Ledger.
 *
 * Grouping is a union-find over the PBX's call keys (Asterisk Linkedids): a leg seen with a new key, a dial between
 * two keys, a Local channel pair or a transfer joins them. One rule keeps published records honest: a call that was
 * already published is never rewritten into another one. When two published calls meet (the consultation call of an
 * attended transfer), the younger one is closed as its own record at that moment and only the legs that carry on
 * move over (merge.ts). A call that was never published (a phone that dialled a pickup code, a feature code) merges
 * fully.
 */
export class Correlator {
  private readonly l: Ledger;

  constructor(opts: CorrelatorOptions) {
    this.l = new Ledger(opts.pbx, opts.graceMs ?? 2000, opts);
  }

  /** the latest event time */
  get now(): number {
    return this.l.clock;
  }

  /** Any PBX event moves the clock on, even one about no call: silence of a call is measured against it. */
  advance(at: number): void {
    if (at > this.l.clock) this.l.clock = at;
  }

  /** Sets the clock, backwards too: a source's first PBX timestamp replaces the wall-clock time it had until then. */
  setClock(at: number): void {
    this.l.clock = at;
  }

  handle(ev: LegEvent): void {
    const l = this.l;
    this.advance(ev.at);
    switch (ev.type) {
      case 'legStarted':
        return legStarted(l, ev);
      case 'callRecorded':
        return recorded(l, ev);
      case 'transfer':
        return transfer(l, ev);
      case 'bridgesMerged':
        for (const leg of l.topology.mergeBridges(ev.from, ev.into)) recomputeAround(l, leg, ev.at);
        return;
      default:
        break;
    }
    const leg = l.legs.get(ev.leg);
    if (!leg) return; // a channel from before we connected, or after its call was closed
    const t = relink(l, leg, ev.call, ev.at);
    if (!t) {
      // the leg outlived its (closed) call: forget it once it is gone
      if (ev.type === 'legEnded') {
        l.topology.remove(leg);
        l.legs.delete(leg.id);
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
        legEnded(l, t, leg, ev.at, ev.cause);
        break;
      case 'dialStarted':
        dialStarted(l, t, leg, ev);
        break;
      case 'dialEnded':
        dialEnded(l, ev);
        break;
      case 'joined':
        l.topology.join(leg, ev.bridge);
        recomputeAround(l, leg, ev.at);
        break;
      case 'left':
        l.topology.leave(leg, ev.bridge);
        recomputeAround(l, leg, ev.at);
        break;
      case 'hold':
        t.hold(leg, ev.held, ev.at);
        break;
      case 'service':
        if (ev.service === 'voicemail') t.voicemail = true;
        if (ev.service === 'dial') t.dialApp = true;
        if (ev.service !== 'other') t.offered = true;
        break;
      case 'queueJoined':
        queueJoined(t, ev);
        break;
      case 'queueLeft':
        queueLeft(l, t, leg, ev);
        break;
      case 'agentCalled':
      case 'agentConnected':
        agentEvent(l, t, ev);
        break;
      case 'conferenceJoined':
        conferenceJoined(l, t, leg, ev);
        break;
      case 'conferenceLeft':
        conferenceLeft(l, t, leg, ev);
        break;
    }
    l.out.touch(t);
  }

  /** The published open calls as of now. */
  openCalls(): Call[] {
    return [...this.l.open].filter((t) => t.published).map((t) => buildCall(this.l.pbx, t, this.l.clock));
  }

  hasLeg(id: string): boolean {
    return this.l.legs.has(id);
  }

  /** The published call a leg belongs to (queue callers show their call). */
  callIdOfLeg(id: string): string | undefined {
    const t = this.l.legs.get(id)?.call;
    return t && t.published && !t.closed ? t.id : undefined;
  }

  /** Publishes every call that changed since the last tick. */
  flush(): void {
    this.l.out.flush();
  }

  /** Closes every call whose grace period is running (shutdown: nothing more will come). */
  closePending(): void {
    closePending(this.l);
  }

  /** See settle.ts: open calls in `ids` with no leg in `alive` end `incomplete`. */
  reconcile(alive: Set<string>, ids: Set<string>, lostAt?: number): Call[] {
    return reconcile(this.l, alive, ids, lostAt);
  }

  /** Ids of open calls (published or not), optionally only those silent since `silentSince`: what `reconcile` checks. */
  openIds(silentSince?: number): Set<string> {
    return new Set([...this.l.open].filter((t) => silentSince === undefined || t.lastAt < silentSince).map((t) => t.id));
  }

  /**
   * See settle.ts: a call a previous run left open resumes from its checkpoint (closing now if its end was seen),
   * or without one carries on if its legs are alive; with none alive it ends `incomplete`.
   */
  restore(call: Call, alive: Set<string>, checkpoint?: string): Call | undefined {
    const saved = parseCheckpoint(checkpoint);
    if (saved && saved.id === call.id) return resume(this.l, saved, alive);
    return restore(this.l, call, alive);
  }

  /**
   * A call not yet offered when the previous run ended (a phone dialling), from its saved checkpoint: resumed as
   * `restore` resumes one, so that it keeps the PBX time it began at; one whose legs are gone is forgotten.
   */
  restoreUnoffered(checkpoint: string, alive: Set<string>): void {
    const saved = parseCheckpoint(checkpoint);
    if (saved && !saved.offered) resume(this.l, saved, alive);
  }

  /** Publishes every published open call once as of now, the changed ones included: what a stop hands to the store. */
  publishOpen(): void {
    this.l.out.publishAll(this.l.open);
  }
}
