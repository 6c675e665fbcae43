import type { LegOutcome, Party } from '../domain';
import type { DialOutcome, LegKind, LegPhase, QueueMemberParty } from '../domain/leg-events';
import type { CallTracker } from './tracker';

/** Correlation's working state of one leg (a channel, for AMI). */
export interface LegState {
  id: string;
  kind: LegKind;
  party: Party;
  channel?: string;
  endpoint?: string;
  dialled?: string;
  pair?: string;
  startedAt: number;
  phase: LegPhase;
  /** first moment this leg talked to the call's origin: the leg's answer */
  connectedAt?: number;
  endedAt?: number;
  cause?: number;
  /** bridges this leg is in now */
  bridges: Set<string>;
  /** the call key this leg carried last */
  key?: string;
  /** set when another leg dialled this one */
  dial?: { by: string; position?: string; at: number; outcome?: DialOutcome; endedAt?: number };
  /** a queue member leg (AgentCalled) */
  member?: QueueMemberParty;
  holdSince?: number;
  /** the call this leg belongs to now */
  call?: CallTracker;
}

/** People and the outside world. Local halves and media helpers (announcers, snoop, recorders) are plumbing. */
export function isParticipant(leg: LegState): boolean {
  return leg.kind === 'extension' || leg.kind === 'trunk';
}

export function legOutcome(leg: LegState): LegOutcome | undefined {
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
