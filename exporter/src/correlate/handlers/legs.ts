import type { LegStarted } from '../../domain/leg-events';
import { scheduleClose } from '../close';
import type { Ledger } from '../ledger';
import { relink } from '../merge';
import { recompute } from '../talk';
import { isParticipant, type CallTracker, type LegState } from '../tracker';

/** A leg appeared; one seen again (a resync after a reconnect) refreshes what may have changed. */
export function legStarted(l: Ledger, ev: LegStarted): void {
  const known = l.legs.get(ev.leg);
  if (known) {
    known.phase = ev.phase;
    const t = relink(l, known, ev.call, ev.at);
    if (t) l.out.touch(t);
    return;
  }
  const key = ev.call ?? ev.leg;
  const t = l.owners.get(key) ?? l.openCall(`${l.pbx}-${key}`, key, ev.at);
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
  if (ev.dialledName) leg.dialledName = ev.dialledName;
  if (ev.pair) leg.pair = ev.pair;
  l.legs.set(leg.id, leg);
  l.topology.addPair(leg);
  l.moveLeg(leg, t);
  clearTimeout(t.graceTimer);
  t.graceTimer = undefined;
  if (!t.origin && isParticipant(leg)) {
    t.origin = leg;
    // a call from outside is a call from its first ring; a phone going off-hook is not, until it dials
    if (leg.kind === 'trunk') t.offered = true;
  }
  t.lastAt = Math.max(t.lastAt, ev.at);
  l.out.touch(t);
}

/** A leg hung up: its holds end, it leaves its bridges, and the call closes once every leg is gone. */
export function legEnded(l: Ledger, t: CallTracker, leg: LegState, at: number, cause?: number): void {
  if (leg.endedAt !== undefined) return;
  leg.endedAt = at;
  if (cause !== undefined) leg.cause = cause;
  if (leg.dial && leg.dial.endedAt === undefined) leg.dial.endedAt = at;
  if (leg.holdSince !== undefined) t.hold(leg, false, at);
  l.topology.remove(leg);
  recompute(l, t, at);
  if (t.allEnded()) scheduleClose(l, t);
}
