import type { Call } from '../domain';
import type { Ledger } from './ledger';
import { buildCall } from './record';
import type { CallTracker, LegState } from './tracker';

/**
 * Every leg is gone: the record becomes final after the grace period (late transfer and Local teardown events still
 * belong to it). A call that was never offered (a phone off-hook, a feature code) is forgotten without a record.
 */
export function scheduleClose(l: Ledger, t: CallTracker): void {
  if (t.graceTimer) return;
  if (!t.offered) {
    discard(l, t);
    return;
  }
  t.graceTimer = setTimeout(() => {
    t.graceTimer = undefined;
    if (!t.closed && t.allEnded()) finish(l, t, t.endedAt(), false);
  }, l.graceMs);
  t.graceTimer.unref?.();
}

function discard(l: Ledger, t: CallTracker): void {
  t.closed = true;
  l.open.delete(t);
  l.out.forget(t);
  l.release(t);
  for (const leg of t.legs.values()) if (leg.endedAt !== undefined) l.legs.delete(leg.id);
}

/** Emits the final record and forgets the call. Legs in `keep` live on in another call. */
export function finish(l: Ledger, t: CallTracker, endedAt: number, incomplete: boolean, keep: LegState[] = []): Call | undefined {
  if (t.closed) return undefined;
  t.stopTalking(endedAt);
  for (const leg of t.legs.values()) if (leg.holdSince !== undefined && !keep.includes(leg)) t.hold(leg, false, endedAt);
  // a final record shows every leg ended; legs that live on elsewhere are cut at this moment, in this record only
  const live = [...t.legs.values()].filter((leg) => leg.endedAt === undefined);
  for (const leg of live) leg.endedAt = endedAt;
  const call = buildCall(l.pbx, t, endedAt, { endedAt, incomplete });
  for (const leg of live) leg.endedAt = undefined;
  clearTimeout(t.graceTimer);
  t.closed = true;
  l.open.delete(t);
  l.out.forget(t);
  l.release(t);
  for (const leg of t.legs.values()) {
    if (keep.includes(leg)) continue;
    if (leg.endedAt !== undefined) {
      l.topology.remove(leg);
      l.legs.delete(leg.id);
    }
  }
  if (!t.offered) return undefined;
  l.out.ended(call);
  return call;
}

/** Closes every call whose grace period is running (shutdown: nothing more will come). */
export function closePending(l: Ledger): void {
  for (const t of [...l.open]) if (t.graceTimer && t.allEnded()) finish(l, t, t.endedAt(), false);
}
