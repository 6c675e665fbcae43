/** A party of a call as the PBX names it: an extension (`1001`) or an external number (`+12125550101`). */
export interface Party {
  number: string;
  name?: string;
}

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * `incomplete` is never guessed: it marks a call whose end the exporter did not see (source outage, crash).
 */
export const CALL_STATUSES = ['answered', 'missed', 'busy', 'failed', 'abandoned', 'voicemail', 'incomplete'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export type LegRole = 'extension' | 'trunk' | 'external';
export type LegOutcome = 'answered' | 'noanswer' | 'busy' | 'failed' | 'cancelled';

/** One participant of a call. Local channels and other plumbing never become legs. */
export interface Leg {
  id: string;
  party: Party;
  role: LegRole;
  channel?: string;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  outcome?: LegOutcome;
  cause?: number;
}

export interface Transfer {
  kind: 'blind' | 'attended';
  at: number;
  /** who transferred */
  by: Party;
  /** the party handed over (usually the caller) */
  from?: Party;
  /** where the call went */
  to: Party;
}

export interface HoldInterval {
  party: Party;
  start: number;
  end?: number;
}

export interface CallGroup {
  type: 'queue' | 'ringgroup';
  id: string;
  membersRung: Party[];
  answeredBy?: Party;
}

/** One record per call, whatever the PBX. All times are epoch milliseconds. */
export interface Call {
  id: string;
  pbx: string;
  direction: Direction;
  status: CallStatus;
  /** true while the call is in progress */
  open: boolean;
  startedAt: number;
  answeredAt?: number;
  endedAt?: number;
  ringMs: number;
  talkMs: number;
  holdMs: number;
  /** time the caller waited in a queue */
  waitMs?: number;
  from: Party;
  /** what was dialled */
  to: Party;
  answeredBy?: Party;
  queue?: string;
  group?: CallGroup;
  legs: Leg[];
  transfers: Transfer[];
  holds: HoldInterval[];
}

const NOBODY_ANSWERED: ReadonlySet<CallStatus> = new Set(['missed', 'abandoned', 'busy', 'voicemail']);

/**
 * An inbound call no person answered. One per call, never one per rung group member, so a ring-all queue where
 * somebody picked up is not missed at all.
 */
export function isTrulyMissed(call: Pick<Call, 'direction' | 'status'>): boolean {
  return call.direction === 'inbound' && NOBODY_ANSWERED.has(call.status);
}

/** The external party's number, the key for "was this missed call returned?". */
export function externalNumberOf(call: Pick<Call, 'direction' | 'from' | 'to'>): string | undefined {
  if (call.direction === 'inbound') return call.from.number;
  if (call.direction === 'outbound') return call.to.number;
  return undefined;
}
