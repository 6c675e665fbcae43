import type { Call, CallGroup, Direction, FinalCallStatus, Leg, LegOutcome, OpenCallStatus, Party } from '../domain';
import type { CallTracker, LegState } from './tracker';

/** Q.850 causes that mean the network could not complete the call (not: the callee did not want it). */
const FAILURE_CAUSES = new Set([1, 3, 20, 27, 34, 38, 41, 42, 47, 58, 88, 102, 111, 127]);

const party = (p: Party): Party => (p.name ? { number: p.number, name: p.name } : { number: p.number });

/** A target that rang: a person or the outside world, never Local plumbing. */
function dialledLegs(t: CallTracker): LegState[] {
  return t.participants().filter((l) => l.dial && l !== t.origin);
}

export function direction(t: CallTracker): Direction {
  if (t.origin?.kind === 'trunk') return 'inbound';
  for (const l of t.legs.values()) if (l.kind === 'trunk' && l !== t.origin) return 'outbound';
  return 'internal';
}

/**
 * What a call in progress is doing now. Hold wins (somebody talks to music); then talk; then a queue the caller waits
 * in; then a phone ringing (a transfer target rings while the caller waits); a caller connected to voicemail, to a
 * person who has stopped talking for a moment, or answered by the PBX itself (an announcement) is active; before any
 * of that the call is ringing.
 */
export function openStatus(t: CallTracker): OpenCallStatus {
  for (const l of t.legs.values()) if (l.endedAt === undefined && l.holdSince !== undefined) return 'on_hold';
  if (t.talkingSince !== undefined) return 'active';
  if (t.queue && t.queue.leftAt === undefined) return 'waiting';
  if (dialledLegs(t).some((l) => l.endedAt === undefined && l.dial?.outcome === undefined)) return 'ringing';
  if (t.answeredAt !== undefined || t.voicemail || (t.origin?.phase === 'up' && t.origin.endedAt === undefined)) return 'active';
  return 'ringing';
}

/**
 * How an ended call ended. Never answered by a person: why. Order matters: a caller who gave up in a queue abandoned it even if members were
 * rung; a busy callee stays busy although the caller then left a voicemail (that is what the callee's side did);
 * an unreachable callee whose caller reached voicemail is voicemail, not a network failure.
 */
export function finalStatus(t: CallTracker): FinalCallStatus {
  if (t.answeredAt !== undefined) return 'answered';
  if (t.queue?.abandoned) return 'abandoned';
  // members a queue rang busy are the queue's business: its caller waited and left, that is not a busy call
  const outcomes = t.queue
    ? []
    : dialledLegs(t)
        .map((l) => l.dial?.outcome)
        .filter((o) => o !== undefined);
  if (outcomes.length > 0 && outcomes.every((o) => o === 'busy')) return 'busy';
  if (t.voicemail) return 'voicemail';
  if (outcomes.length > 0 && outcomes.every((o) => o === 'failed')) return 'failed';
  if (outcomes.length === 0) {
    if (t.dialApp && dialledLegs(t).length === 0) return 'failed';
    const cause = t.origin?.cause;
    if (cause !== undefined && FAILURE_CAUSES.has(cause) && !t.queue) return 'failed';
  }
  return 'missed';
}

/** The end of ringing for an unanswered call: the last dial that ended, or the caller leaving the queue. */
function ringEnd(t: CallTracker, endedAt: number): number {
  let end = t.startedAt;
  for (const l of dialledLegs(t)) {
    const e = l.dial?.endedAt ?? l.endedAt ?? endedAt;
    if (e > end) end = e;
  }
  if (t.queue) {
    const e = t.queue.leftAt ?? endedAt;
    if (e > end) end = e;
  }
  return end;
}

function target(t: CallTracker, dir: Direction): Party {
  if (t.restored) return t.restored.to;
  const o = t.origin;
  const dialled = dialledLegs(t);
  if (dir === 'outbound') {
    const trunk = [...t.legs.values()].find((l) => l.kind === 'trunk' && l !== o);
    if (trunk) return party(trunk.party);
  }
  const digits = o?.dialled && o.dialled !== 's' ? o.dialled : undefined;
  if (digits) {
    const leg = dialled.find((l) => l.party.number === digits);
    const name = leg?.party.name ?? o?.dialledName;
    return name ? { number: digits, name } : { number: digits };
  }
  if (dialled[0]) return party(dialled[0].party);
  if (t.queue) return { number: t.queue.name };
  return { number: '' };
}

function group(t: CallTracker, answeredBy?: Party): CallGroup | undefined {
  if (t.queue) {
    return {
      type: 'queue',
      id: t.queue.name,
      membersRung: [...t.members.values()].map((m) => (m.name ? { number: m.number, name: m.name } : { number: m.number })),
      ...(answeredBy ? { answeredBy } : {}),
    };
  }
  // ring-all: two or more people rung in parallel from one dialplan position
  const byPosition = new Map<string, Map<string, Party>>();
  for (const l of dialledLegs(t)) {
    if (l.kind !== 'extension' || !l.dial?.position) continue;
    const key = `${l.dial.by}\u0000${l.dial.position}`;
    let m = byPosition.get(key);
    if (!m) byPosition.set(key, (m = new Map()));
    m.set(l.party.number, party(l.party));
  }
  for (const [key, members] of byPosition) {
    if (members.size < 2) continue;
    return {
      type: 'ringgroup',
      id: key.split('\u0000')[1],
      membersRung: [...members.values()],
      ...(answeredBy ? { answeredBy } : {}),
    };
  }
  return undefined;
}

function legOutcome(leg: LegState): LegOutcome | undefined {
  if (leg.connectedAt !== undefined) return 'answered';
  switch (leg.dial?.outcome) {
    case 'answer':
      return 'answered';
    case 'busy':
      return 'busy';
    case 'noanswer':
      return 'noanswer';
    case 'cancel':
      return 'cancelled';
    case 'failed':
      return 'failed';
    default:
      return leg.dial && leg.endedAt !== undefined ? 'cancelled' : undefined;
  }
}

function toLeg(l: LegState, t: CallTracker): Leg {
  const leg: Leg = {
    id: l.id,
    party: party(l.party),
    role: l.kind === 'trunk' ? 'trunk' : l.kind === 'extension' ? 'extension' : 'external',
    startedAt: l.startedAt,
  };
  if (l.channel) leg.channel = l.channel;
  if (l.connectedAt !== undefined) leg.answeredAt = l.connectedAt;
  if (l.endedAt !== undefined) leg.endedAt = l.endedAt;
  const outcome = l === t.origin ? undefined : legOutcome(l);
  if (outcome) leg.outcome = outcome;
  if (l.cause !== undefined) leg.cause = l.cause;
  return leg;
}

/**
 * The Call record as of `now` (open calls, with their open status) or as finished (`endedAt` given, with the final
 * status). `incomplete` overrides the final status for calls whose end the exporter did not see.
 */
export function buildCall(pbx: string, t: CallTracker, now: number, end?: { endedAt: number; incomplete?: boolean }): Call {
  const dir = direction(t);
  const until = end?.endedAt ?? now;
  const talkMs = t.talkMs + (t.talkingSince !== undefined ? Math.max(0, until - t.talkingSince) : 0) + (t.restored?.talkMs ?? 0);
  let holdMs = t.restored?.holdMs ?? 0;
  const holds = t.holds.map((h) => {
    const stop = h.end ?? until;
    holdMs += Math.max(0, stop - h.start);
    return h.end !== undefined ? { party: h.party, start: h.start, end: h.end } : { party: h.party, start: h.start };
  });
  const answeredBy = t.answeredBy ? party(t.answeredBy.party) : t.restored?.answeredBy;
  const from = t.restored?.from ?? (t.origin ? party(t.origin.party) : { number: '' });
  const call: Call = {
    id: t.id,
    pbx,
    direction: dir,
    status: !end ? openStatus(t) : end.incomplete ? 'incomplete' : finalStatus(t),
    open: !end,
    startedAt: t.startedAt,
    ringMs: Math.max(0, (t.answeredAt ?? ringEnd(t, until)) - t.startedAt),
    talkMs,
    holdMs,
    from,
    to: target(t, dir),
    legs: t.participants().map((l) => toLeg(l, t)),
    transfers: t.transfers.map((x) => ({ ...x })),
    holds,
  };
  if (t.answeredAt !== undefined) call.answeredAt = t.answeredAt;
  if (end) call.endedAt = end.endedAt;
  if (answeredBy) call.answeredBy = answeredBy;
  if (t.queue) {
    call.queue = t.queue.name;
    call.waitMs = Math.max(0, (t.queue.leftAt ?? until) - t.queue.joinedAt);
  }
  const g = group(t, answeredBy);
  if (g) call.group = g;
  return call;
}
