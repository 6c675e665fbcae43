import type { HoldInterval, Party, Transfer } from '../domain';
import type { QueueMemberParty } from '../domain/leg-events';
import type { Ledger } from './ledger';
import { CallTracker, type LegState, type QueueVisit } from './tracker';

/**
 * A correlation checkpoint: everything a restarted exporter needs to close an open call the way an uninterrupted run
 * would — every leg under its own source id with its dial outcome, answer, end and cause; the voicemail, queue and
 * Dial state its final status derives from; talk and hold so far. Stored with the open call (JSON) and revived into
 * a CallTracker at the next start; nothing outside correlate/ reads its fields.
 */

/** A leg as plain data: its bridges as a list, its conference stand-in inline, no link back to its call. */
export type LegCheckpoint = Omit<LegState, 'call' | 'bridges' | 'room'> & { bridges: string[]; room?: LegCheckpoint };

export interface CallCheckpoint {
  v: 1;
  id: string;
  startedAt: number;
  lastAt: number;
  keys: string[];
  legs: LegCheckpoint[];
  origin?: string;
  offered: boolean;
  answeredAt?: number;
  /** a leg of the call, a leg's conference room, or a party no longer among the legs: kept whole */
  answeredBy?: LegCheckpoint;
  talkMs: number;
  talkingSince?: number;
  holds: (HoldInterval & { leg: string })[];
  transfers: Transfer[];
  queue?: QueueVisit;
  members: [string, QueueMemberParty][];
  voicemail: boolean;
  dialApp: boolean;
  restored?: { from: Party; to: Party; answeredBy?: Party; talkMs: number; holdMs: number };
}

function legOut(leg: LegState): LegCheckpoint {
  const { call: _call, bridges, room, ...rest } = leg;
  const out: LegCheckpoint = { ...rest, bridges: [...bridges] };
  if (room) out.room = legOut(room);
  return out;
}

function legIn(c: LegCheckpoint): LegState {
  const { bridges, room, ...rest } = c;
  const leg: LegState = { ...rest, bridges: new Set(bridges) };
  if (room) leg.room = legIn(room);
  return leg;
}

const defined = <T extends object>(o: T): T => {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
};

/** The tracker as plain, JSON-safe data. */
export function checkpointOf(t: CallTracker): CallCheckpoint {
  return defined({
    v: 1,
    id: t.id,
    startedAt: t.startedAt,
    lastAt: t.lastAt,
    keys: [...t.keys],
    legs: [...t.legs.values()].map(legOut),
    origin: t.origin?.id,
    offered: t.offered,
    answeredAt: t.answeredAt,
    answeredBy: t.answeredBy ? legOut(t.answeredBy) : undefined,
    talkMs: t.talkMs,
    talkingSince: t.talkingSince,
    holds: t.holds.map((h) => ({ ...h })),
    transfers: t.transfers.map((x) => ({ ...x })),
    queue: t.queue ? { ...t.queue } : undefined,
    members: [...t.members.entries()],
    voicemail: t.voicemail,
    dialApp: t.dialApp,
    restored: t.restored,
  });
}

/** Parses a stored checkpoint; undefined for anything that is not one (a row from an older exporter, damage). */
export function parseCheckpoint(text: string | undefined): CallCheckpoint | undefined {
  if (!text) return undefined;
  try {
    const c = JSON.parse(text) as CallCheckpoint;
    return c && c.v === 1 && typeof c.id === 'string' && Array.isArray(c.legs) && Array.isArray(c.keys) ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rebuilds the tracker in the ledger: its keys owned again, its legs known under their source ids, the live ones in
 * their bridges and Local pairs. The call counts as published: the store has it.
 */
export function revive(l: Ledger, c: CallCheckpoint): CallTracker {
  const t = new CallTracker(c.id, c.startedAt);
  t.lastAt = c.lastAt;
  // the correlation clock resumes where this call was last seen, never before it
  if (c.lastAt > l.clock) l.clock = c.lastAt;
  t.offered = c.offered;
  t.published = true;
  for (const key of c.keys) l.claim(t, key);
  l.open.add(t);
  for (const saved of c.legs) {
    const leg = legIn(saved);
    leg.call = t;
    t.legs.set(leg.id, leg);
    l.legs.set(leg.id, leg);
    if (leg.endedAt === undefined) {
      l.topology.addPair(leg);
      for (const b of leg.bridges) l.topology.join(leg, b);
    }
  }
  if (c.origin) t.origin = t.legs.get(c.origin);
  if (c.answeredAt !== undefined) t.answeredAt = c.answeredAt;
  if (c.answeredBy) {
    const id = c.answeredBy.id;
    const room = [...t.legs.values()].find((leg) => leg.room?.id === id)?.room;
    t.answeredBy = t.legs.get(id) ?? room ?? legIn(c.answeredBy);
  }
  t.talkMs = c.talkMs;
  if (c.talkingSince !== undefined) t.talkingSince = c.talkingSince;
  t.holds.push(...c.holds);
  t.transfers.push(...c.transfers);
  if (c.queue) t.queue = c.queue;
  for (const [k, m] of c.members) t.members.set(k, m);
  t.voicemail = c.voicemail;
  t.dialApp = c.dialApp;
  if (c.restored) t.restored = c.restored;
  return t;
}
