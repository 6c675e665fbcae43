import type { Ledger } from './ledger';
import { isParticipant, roomsOf, type CallTracker, type LegState } from './tracker';

/**
 * Is this call's caller talking to somebody? Answer is the first time the origin can hear another person; talk
 * is the sum of those stretches. Once the origin has gone, two remaining people talking still count. A leg inside a
 * conference room talks to the room (handlers/conference.ts).
 */
export function recompute(l: Ledger, t: CallTracker, at: number): void {
  const o = t.origin;
  let parties: LegState[] = [];
  if (o && o.endedAt === undefined) parties = l.topology.reachable(o);
  else if (o) {
    for (const leg of t.legs.values()) {
      if (leg.endedAt !== undefined || !isParticipant(leg)) continue;
      const r = l.topology.reachable(leg);
      if (r.length) {
        parties = r;
        break;
      }
    }
  }
  // nobody to hear through a bridge: a leg in a conference room talks to the room
  if (!parties.length) parties = roomsOf(t);
  if (parties.length) {
    for (const p of parties) p.connectedAt ??= at;
    if (o && o.connectedAt === undefined && o.endedAt === undefined) o.connectedAt = at;
    if (t.answeredAt === undefined) {
      t.answeredAt = at;
      t.answeredBy = parties.find((p) => p.kind === 'extension') ?? parties[0];
    }
    if (t.talkingSince === undefined) t.talkingSince = at;
  } else t.stopTalking(at);
}

/** A leg's bridges changed: every call with a leg in those bridges may have started or stopped talking. */
export function recomputeAround(l: Ledger, leg: LegState, at: number): void {
  const seen = new Set<CallTracker>();
  const t = l.trackerOf(leg);
  if (t) seen.add(t);
  for (const b of leg.bridges) {
    for (const id of l.topology.bridgeMembers(b)) {
      const other = l.legs.get(id);
      const ot = other && l.trackerOf(other);
      if (ot) seen.add(ot);
    }
  }
  for (const x of seen) {
    recompute(l, x, at);
    l.out.touch(x);
  }
  // a leg that left a bridge may have left its call's talk too
  if (t) recompute(l, t, at);
}
