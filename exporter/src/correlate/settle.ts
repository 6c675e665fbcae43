import type { Call } from '../domain';
import type { CallCheckpoint } from './checkpoint';
import { revive } from './revive';
import { finish } from './close';
import type { Ledger } from './ledger';
import { recompute } from './talk';
import type { CallTracker, LegState } from './tracker';

/**
 * Calls whose end the exporter may have missed (a reconnect, a silent call, a restart) are settled against the legs
 * the PBX still has, `alive`: nothing is guessed about what happened while nobody was listening.
 */

/**
 * Of the open calls in `ids`, those whose every leg had hung up close as what they were; those with no leg in `alive`
 * are closed as `incomplete` at `lostAt`, or without a known moment of loss at their own last event; the others carry
 * on without the legs that vanished meanwhile.
 */
export function reconcile(l: Ledger, alive: Set<string>, ids: Set<string>, lostAt?: number): Call[] {
  const closed: Call[] = [];
  for (const t of [...l.open]) {
    if (!ids.has(t.id)) continue;
    // every hangup was seen (its grace period was running): its end is known, whatever the outage hid after it
    if (t.allEnded()) {
      finish(l, t, t.endedAt(), false);
      continue;
    }
    const call = dropVanished(l, t, alive, lostAt ?? t.lastAt, l.clock);
    if (call) closed.push(call);
  }
  return closed;
}

/**
 * A call left open by an earlier run (crash, restart), revived from its checkpoint. A call whose every leg had ended
 * (its end was seen; the run died inside the grace period) closes now with the status its state gives, as the
 * uninterrupted run would have. Otherwise the legs still up on the PBX carry it on, and the ones gone meanwhile end at
 * its last event; with none left up it ends `incomplete` there: its end was not seen.
 */
export function resume(l: Ledger, saved: CallCheckpoint, alive: Set<string>): Call | undefined {
  const t = revive(l, saved);
  if (t.allEnded()) return finish(l, t, t.endedAt(), false);
  const end = Math.max(t.lastAt, t.endedAt());
  return dropVanished(l, t, alive, end, end);
}

/**
 * The legs of `t` that are gone from the PBX (not in `alive`) end at `end`. With none of its legs left up the call
 * closes there as `incomplete` (returned); otherwise it carries on without them, its talk recomputed as of
 * `recomputeAt`.
 */
function dropVanished(l: Ledger, t: CallTracker, alive: Set<string>, end: number, recomputeAt: number): Call | undefined {
  const lost = [...t.legs.values()].filter((leg) => leg.endedAt === undefined && !alive.has(leg.id));
  const survivors = [...t.legs.values()].some((leg) => leg.endedAt === undefined && alive.has(leg.id));
  if (!survivors) {
    for (const leg of lost) leg.endedAt = end;
    return finish(l, t, end, true);
  }
  for (const leg of lost) {
    leg.endedAt = end;
    l.topology.remove(leg);
  }
  recompute(l, t, recomputeAt);
  l.out.touch(t);
  return undefined;
}

/**
 * A call left open by a run that kept no checkpoint (an older exporter). If some of its legs are still up it carries
 * on from the stored record; otherwise it is closed as `incomplete` at the last moment the record shows it alive.
 */
export function restore(l: Ledger, call: Call, alive: Set<string>): Call | undefined {
  const live = call.legs.filter((leg) => leg.endedAt === undefined && alive.has(leg.id));
  const lastSeen = Math.max(
    call.startedAt,
    call.answeredAt ?? 0,
    ...call.legs.flatMap((leg) => [leg.startedAt, leg.answeredAt ?? 0, leg.endedAt ?? 0]),
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
      legs: call.legs.map((leg) => (leg.endedAt === undefined ? { ...leg, endedAt: lastSeen } : leg)),
    };
    l.out.ended(closed);
    return closed;
  }
  const key = call.id.startsWith(`${l.pbx}-`) ? call.id.slice(l.pbx.length + 1) : call.id;
  const t = l.openCall(call.id, key, call.startedAt);
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
  for (const stored of call.legs) {
    const leg: LegState = {
      id: stored.id,
      kind: stored.role === 'trunk' ? 'trunk' : 'extension',
      party: stored.party,
      startedAt: stored.startedAt,
      phase: 'up',
      bridges: new Set(),
    };
    if (stored.channel) leg.channel = stored.channel;
    if (stored.answeredAt !== undefined) leg.connectedAt = stored.answeredAt;
    leg.endedAt = stored.endedAt ?? (alive.has(stored.id) ? undefined : lastSeen);
    l.moveLeg(leg, t);
    l.legs.set(leg.id, leg);
    if (!t.origin) t.origin = leg;
  }
  return undefined;
}
