import type { Party } from './call';

export const EXTENSION_STATES = [
  'idle',
  'ringing',
  'in_call',
  'on_hold',
  'busy',
  'dnd',
  'unavailable',
  'unknown',
] as const;
export type ExtensionStateName = (typeof EXTENSION_STATES)[number];

export interface QueueMembership {
  queue: string;
  paused: boolean;
  pausedReason?: string;
}

/** Live state of one extension. Times are epoch milliseconds. */
export interface ExtensionState {
  pbx: string;
  extension: string;
  name?: string;
  registered: boolean;
  state: ExtensionStateName;
  dnd: boolean;
  rttMs?: number;
  callId?: string;
  counterpart?: Party;
  callStartedAt?: number;
  idleSince?: number;
  queues: QueueMembership[];
  voicemail?: { new: number; old: number };
  /** the conference room the extension is in now */
  conference?: string;
  /** set while the source is down: the values are the last known ones, as of this moment (epoch ms) */
  staleSince?: number;
  updatedAt: number;
}

export const QUEUE_MEMBER_STATES = [
  'available',
  'ringing',
  'in_call',
  'on_hold',
  'busy',
  'unavailable',
  'unknown',
] as const;
export type QueueMemberStateName = (typeof QUEUE_MEMBER_STATES)[number];

export interface QueueMember {
  interface: string;
  extension?: string;
  name?: string;
  state: QueueMemberStateName;
  paused: boolean;
  pausedReason?: string;
  inCall: boolean;
}

export interface QueueCaller {
  callId?: string;
  party: Party;
  joinedAt: number;
  position: number;
}

export interface QueueState {
  pbx: string;
  queue: string;
  strategy?: string;
  callers: QueueCaller[];
  members: QueueMember[];
  /** set while the source is down: the values are the last known ones, as of this moment (epoch ms) */
  staleSince?: number;
  updatedAt: number;
}

export const QUEUE_CALL_OUTCOMES = ['answered', 'abandoned', 'timeout'] as const;
export type QueueCallOutcome = (typeof QUEUE_CALL_OUTCOMES)[number];

/** A caller left a queue: answered by an agent, hung up while waiting, or left by timeout / exit key. */
export interface QueueCallResult {
  pbx: string;
  queue: string;
  outcome: QueueCallOutcome;
  waitMs: number;
  at: number;
}

/** One member of a conference room. */
export interface ConferenceParticipant {
  /** the PBX's id of the member's leg (Asterisk Uniqueid) */
  leg: string;
  channel?: string;
  party: Party;
  /** the member's extension, when a phone of ours joined */
  extension?: string;
  /** the member's own call record */
  callId?: string;
  joinedAt: number;
  admin: boolean;
  muted: boolean;
}

/** A conference room in use. Published once with no participants when it ends. */
export interface ConferenceState {
  pbx: string;
  room: string;
  startedAt: number;
  participants: ConferenceParticipant[];
  /** set while the source is down: the values are the last known ones, as of this moment (epoch ms) */
  staleSince?: number;
  updatedAt: number;
}

/** A call waiting in a parking space. */
export interface ParkedCall {
  /** parking lot (`default`) */
  lot: string;
  /** parking space (`71`): what a phone dials to retrieve the call */
  slot: string;
  /** the parked leg (Asterisk Uniqueid) */
  leg: string;
  channel?: string;
  /** who is parked */
  party: Party;
  /** who parked it (and gets it back if nobody retrieves it) */
  parker?: Party;
  callId?: string;
  parkedAt: number;
  /** when the PBX gives it back to the parker */
  timeoutAt?: number;
}

/** Every call parked on one PBX now. */
export interface ParkingState {
  pbx: string;
  calls: ParkedCall[];
  /** set while the source is down: the values are the last known ones, as of this moment (epoch ms) */
  staleSince?: number;
  updatedAt: number;
}

export interface TrunkState {
  pbx: string;
  trunk: string;
  registered: boolean;
  status: string;
  rttMs?: number;
  activeCalls: number;
  /** set while the source is down: the values are the last known ones, as of this moment (epoch ms) */
  staleSince?: number;
  updatedAt: number;
}

/** What a person says about their availability, beside what the phone shows (issue #14). */
export const USER_STATUSES = ['available', 'away', 'busy', 'do_not_disturb', 'in_meeting', 'out_of_office'] as const;
export type UserStatusName = (typeof USER_STATUSES)[number];

/** The status a person set for their extension, with an optional message (`back at 14:00`). */
export interface UserStatus {
  pbx: string;
  extension: string;
  status: UserStatusName;
  message?: string;
  /** when it was set (epoch ms) */
  since: number;
  /** the name of the token that set it */
  setBy?: string;
}
