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

export interface TrunkState {
  pbx: string;
  trunk: string;
  registered: boolean;
  status: string;
  rttMs?: number;
  activeCalls: number;
  updatedAt: number;
}
