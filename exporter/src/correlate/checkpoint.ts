import type { HoldInterval, Party, Transfer } from '../domain';
import type { QueueMemberParty } from '../domain/leg-events';
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

export function legIn(c: LegCheckpoint): LegState {
  const { bridges, room, ...rest } = c;
  const leg: LegState = { ...rest, bridges: new Set(bridges) };
  if (room) leg.room = legIn(room);
  return leg;
}

/**
 * The tracker as plain, JSON-safe data: Sets and Maps as arrays, legs without their link back to the call. Its only
 * use is JSON.stringify, straight away, so the tracker's own holds, transfers and queue visit are passed as they are
 * and undefined fields are left for JSON to drop.
 */
export function checkpointOf(t: CallTracker): CallCheckpoint {
  return {
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
    holds: t.holds,
    transfers: t.transfers,
    queue: t.queue,
    members: [...t.members.entries()],
    voicemail: t.voicemail,
    dialApp: t.dialApp,
    restored: t.restored,
  };
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
