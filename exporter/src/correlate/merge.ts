import type { Ledger } from './ledger';
import { finish } from './close';
import { recompute } from './talk';
import type { CallTracker, LegState } from './tracker';

/** The leg carries `key` now: if that key belongs to another call, the two calls meet. */
export function relink(l: Ledger, leg: LegState, key: string | undefined, at: number): CallTracker | undefined {
  const current = l.trackerOf(leg);
  if (!key || key === leg.key) return current;
  leg.key = key;
  const other = l.owners.get(key);
  if (!current) return other;
  if (!other) {
    l.claim(current, key);
    return current;
  }
  if (other === current) return current;
  return merge(l, current, other, at, [leg]);
}

/**
 * Two calls turned out to be one. Unpublished calls merge fully; of two published calls the younger is closed now as
 * a record of its own and only `movers` (the legs that adopted the other key) change sides — a published record is
 * never rewritten into another one.
 */
export function merge(l: Ledger, a: CallTracker, b: CallTracker, at: number, movers: LegState[] = []): CallTracker {
  let keep = a;
  let gone = b;
  if (gone.published && !keep.published) [keep, gone] = [gone, keep];
  else if (gone.published === keep.published && gone.startedAt < keep.startedAt) [keep, gone] = [gone, keep];

  if (!gone.published) {
    for (const leg of [...gone.legs.values()]) l.moveLeg(leg, keep);
    for (const key of gone.keys) l.claim(keep, key);
    if (gone.voicemail) keep.voicemail = true;
    if (gone.dialApp) keep.dialApp = true;
    if (!keep.queue && gone.queue) keep.queue = gone.queue;
    for (const [k, m] of gone.members) keep.members.set(k, m);
    gone.closed = true;
    l.open.delete(gone);
    l.out.forget(gone);
    clearTimeout(gone.graceTimer);
    recompute(l, keep, at);
    return keep;
  }

  // both published: the younger call ends here as a record of its own
  const moving = movers.filter((leg) => leg.call === gone && leg.endedAt === undefined);
  gone.stopTalking(at);
  for (const key of gone.keys) l.owners.delete(key);
  finish(l, gone, at, false, moving);
  for (const leg of moving) carryOver(l, leg, keep, at);
  recompute(l, keep, at);
  return keep;
}

/** A leg that changes calls starts afresh in its new call: what it did in the old one stays there. */
export function carryOver(l: Ledger, leg: LegState, to: CallTracker, at: number): void {
  leg.startedAt = at;
  leg.connectedAt = undefined;
  leg.dial = undefined;
  leg.holdSince = undefined;
  l.moveLeg(leg, to);
}
