import {
  isTrulyMissed,
  type Call,
  type ConferenceState,
  type ExtensionState,
  type ParkedCall,
  type ParkingState,
  type Party,
  type QueueState,
  type SourceStatus,
  type TrunkState,
  type UserStatus,
} from '../domain';
import { memberAvailability } from '../domain/member-availability';
import type { NumberMatch } from '../contacts';
import type { StoredCall } from '../store/queries';
import type { ApiCall, ApiCallDetail, ApiConference, ApiExtension, ApiParkedCall, ApiQueue, ApiSource, ApiTrunk } from './models';
import { iso, seconds } from './params';

/** Domain objects (epoch ms) to API JSON (ISO 8601, seconds, explicit nulls). */

export const party = (p: Party): { number: string; name: string | null } => ({
  number: p.number,
  name: p.name ?? null,
});

function callFields(c: Call, trulyMissed: boolean, returnedAt: number | null): ApiCall {
  return {
    id: c.id,
    pbx: c.pbx,
    direction: c.direction,
    status: c.status,
    open: c.open,
    startedAt: iso(c.startedAt)!,
    answeredAt: iso(c.answeredAt),
    endedAt: iso(c.endedAt),
    ringSeconds: c.ringMs / 1000,
    talkSeconds: c.talkMs / 1000,
    holdSeconds: c.holdMs / 1000,
    waitSeconds: seconds(c.waitMs),
    from: party(c.from),
    to: party(c.to),
    answeredBy: c.answeredBy ? party(c.answeredBy) : null,
    queue: c.queue ?? (c.group?.type === 'queue' ? c.group.id : null),
    group: c.group ? { type: c.group.type, id: c.group.id, membersRung: c.group.membersRung.map(party) } : null,
    trulyMissed,
    returnedAt: iso(returnedAt),
    fromContact: null,
    toContact: null,
  };
}

/**
 * Looks numbers up in the contacts (exact, fuzzy, place or site), or says nothing. `bulk`: one of very many numbers
 * read at once (an export), whose answers need not be kept.
 */
export type ContactLookup = (number: string, bulk?: boolean) => NumberMatch | null;

/** A call's parties named from the contacts. */
export function withContacts<T extends ApiCall>(call: T, lookup: ContactLookup | undefined): T {
  if (!lookup) return call;
  return { ...call, fromContact: lookup(call.from.number), toContact: lookup(call.to.number) };
}

function detailFields(c: Call): Pick<ApiCallDetail, 'legs' | 'transfers' | 'holds'> {
  return {
    legs: c.legs.map((l) => ({
      id: l.id,
      party: party(l.party),
      role: l.role,
      channel: l.channel ?? null,
      startedAt: iso(l.startedAt)!,
      answeredAt: iso(l.answeredAt),
      endedAt: iso(l.endedAt),
      outcome: l.outcome ?? null,
      cause: l.cause ?? null,
    })),
    transfers: c.transfers.map((t) => ({
      kind: t.kind,
      at: iso(t.at)!,
      by: party(t.by),
      from: t.from ? party(t.from) : null,
      to: party(t.to),
    })),
    holds: c.holds.map((h) => ({ party: party(h.party), startedAt: iso(h.start)!, endedAt: iso(h.end) })),
  };
}

/** A call LiveState holds (in progress, or just ended). */
export function liveCall(c: Call): ApiCall {
  return callFields(c, !c.open && isTrulyMissed(c), null);
}

export function liveCallDetail(c: Call): ApiCallDetail {
  return { ...liveCall(c), ...detailFields(c) };
}

/** A call from the history, which alone knows whether it was returned. */
export function storedCall(s: StoredCall): ApiCall {
  return callFields(s.call, s.trulyMissed, s.returnedAt ?? null);
}

export function storedCallDetail(s: StoredCall): ApiCallDetail {
  return { ...storedCall(s), ...detailFields(s.call) };
}

const staleness = (x: { staleSince?: number }): { stale: boolean; staleSince: string | null } => ({
  stale: x.staleSince !== undefined,
  staleSince: iso(x.staleSince),
});

/** An extension as the PBX reports it, with the status its user set (if any) and its call's counterpart named. */
export function extension(e: ExtensionState, user?: UserStatus, contacts?: ContactLookup): ApiExtension {
  return {
    pbx: e.pbx,
    extension: e.extension,
    name: e.name ?? null,
    registered: e.registered,
    state: e.state,
    dnd: e.dnd,
    rttSeconds: seconds(e.rttMs),
    callId: e.callId ?? null,
    counterpart: e.counterpart ? party(e.counterpart) : null,
    counterpartContact: e.counterpart && contacts ? contacts(e.counterpart.number) : null,
    callStartedAt: iso(e.callStartedAt),
    idleSince: iso(e.idleSince),
    queues: e.queues.map((q) => ({ queue: q.queue, paused: q.paused, pausedReason: q.pausedReason ?? null })),
    voicemailNew: e.voicemail?.new ?? null,
    voicemailOld: e.voicemail?.old ?? null,
    conference: e.conference ?? null,
    userStatus: user?.status ?? null,
    userStatusMessage: user?.message ?? null,
    userStatusSince: iso(user?.since),
    updatedAt: iso(e.updatedAt)!,
    ...staleness(e),
  };
}

export function queue(q: QueueState, now: number): ApiQueue {
  const counts = { available: 0, ringing: 0, in_call: 0, paused: 0, unavailable: 0 };
  for (const m of q.members) counts[memberAvailability(m)] += 1;
  const waiting = [...q.callers].sort((a, b) => a.position - b.position);
  const oldest = waiting.reduce((min, c) => Math.min(min, c.joinedAt), Infinity);
  return {
    pbx: q.pbx,
    queue: q.queue,
    strategy: q.strategy ?? null,
    callers: q.callers.length,
    longestWaitSeconds: oldest === Infinity ? 0 : Math.max(0, now - oldest) / 1000,
    oldestCallerSince: oldest === Infinity ? null : iso(oldest),
    membersLoggedIn: q.members.length - counts.unavailable,
    membersAvailable: counts.available,
    membersPaused: q.members.filter((m) => m.paused).length,
    membersInCall: counts.in_call,
    members: q.members.map((m) => ({
      interface: m.interface,
      extension: m.extension ?? null,
      name: m.name ?? null,
      state: m.state,
      paused: m.paused,
      pausedReason: m.pausedReason ?? null,
      inCall: m.inCall,
    })),
    waiting: waiting.map((c) => ({
      callId: c.callId ?? null,
      party: party(c.party),
      joinedAt: iso(c.joinedAt)!,
      position: c.position,
      waitSeconds: Math.max(0, now - c.joinedAt) / 1000,
    })),
    updatedAt: iso(q.updatedAt)!,
    ...staleness(q),
  };
}

export function trunk(t: TrunkState): ApiTrunk {
  return {
    pbx: t.pbx,
    trunk: t.trunk,
    registered: t.registered,
    status: t.status,
    rttSeconds: seconds(t.rttMs),
    activeCalls: t.activeCalls,
    updatedAt: iso(t.updatedAt)!,
    ...staleness(t),
  };
}

export function conference(c: ConferenceState): ApiConference {
  return {
    pbx: c.pbx,
    room: c.room,
    startedAt: iso(c.startedAt)!,
    participants: c.participants.map((p) => ({
      party: party(p.party),
      extension: p.extension ?? null,
      channel: p.channel ?? null,
      callId: p.callId ?? null,
      joinedAt: iso(p.joinedAt)!,
      admin: p.admin,
      muted: p.muted,
    })),
    updatedAt: iso(c.updatedAt)!,
    ...staleness(c),
  };
}

/** A parked call with its PBX, stale as its lot's state is (the whole parking picture goes stale with the source). */
export function parkedCall(p: ParkedCall & { pbx: string; staleSince?: number }, now: number): ApiParkedCall {
  return {
    pbx: p.pbx,
    lot: p.lot,
    slot: p.slot,
    party: party(p.party),
    parker: p.parker ? party(p.parker) : null,
    channel: p.channel ?? null,
    callId: p.callId ?? null,
    parkedAt: iso(p.parkedAt)!,
    parkedSeconds: Math.max(0, now - p.parkedAt) / 1000,
    timeoutAt: iso(p.timeoutAt),
    ...staleness(p),
  };
}

/** One PBX's parked calls, as the stream sends them. */
export function parking(
  p: ParkingState,
  now: number,
): { pbx: string; calls: ApiParkedCall[]; updatedAt: string; stale: boolean; staleSince: string | null } {
  return {
    pbx: p.pbx,
    calls: p.calls.map((c) => parkedCall({ ...c, pbx: p.pbx, staleSince: p.staleSince }, now)),
    updatedAt: iso(p.updatedAt)!,
    ...staleness(p),
  };
}

export function source(s: SourceStatus): ApiSource {
  return {
    pbx: s.pbx,
    kind: s.kind,
    live: s.live,
    connected: s.connected,
    reason: s.reason ?? null,
    version: s.version ?? null,
    lastEventAt: iso(s.lastEventAt),
    since: iso(s.since),
  };
}
