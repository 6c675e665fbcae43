/** A party of a call as the PBX names it: an extension (`1001`) or an external number (`+12125550101`). */
export interface Party {
  number: string;
  name?: string;
}

export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * What a call in progress is doing now: somebody's phone rings (`ringing`), the caller is connected to a person or to
 * voicemail (`active`), the caller is held (`on_hold`), or waits in a queue (`waiting`). It changes as the call goes.
 */
export const OPEN_CALL_STATUSES = ['ringing', 'active', 'on_hold', 'waiting'] as const;
export type OpenCallStatus = (typeof OPEN_CALL_STATUSES)[number];

/**
 * How a call ended, set once when it ends and never changed after. `incomplete` is never guessed: it marks a call
 * whose end the exporter did not see (source outage, crash).
 */
export const FINAL_CALL_STATUSES = ['answered', 'missed', 'busy', 'failed', 'abandoned', 'voicemail', 'incomplete'] as const;
export type FinalCallStatus = (typeof FINAL_CALL_STATUSES)[number];

/** An open call wears an open status, a finished one its final status: a final-status filter never matches a call in progress. */
export const CALL_STATUSES = [...OPEN_CALL_STATUSES, ...FINAL_CALL_STATUSES] as const;
export type CallStatus = OpenCallStatus | FinalCallStatus;

export function isFinalStatus(status: string): status is FinalCallStatus {
  return (FINAL_CALL_STATUSES as readonly string[]).includes(status);
}

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
  /** an `OpenCallStatus` while `open`, the `FinalCallStatus` once ended */
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
 * A finished inbound call no person answered. One per call, never one per rung group member, so a ring-all queue where
 * somebody picked up is not missed at all; a call still ringing is not missed yet.
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
