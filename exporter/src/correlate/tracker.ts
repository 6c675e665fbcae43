import type { HoldInterval, Party, Transfer } from '../domain';
import type { QueueMemberParty } from '../domain/leg-events';
import type { LegState } from './leg';
import { isParticipant } from './leg';

export interface QueueVisit {
  name: string;
  joinedAt: number;
  leftAt?: number;
  abandoned?: boolean;
  answered?: boolean;
}

/** Correlation's working state of one call: its legs, what rang, what answered, talk/hold time so far. */
export class CallTracker {
  /** call keys (Linkedids) owned by this call */
  readonly keys = new Set<string>();
  readonly legs = new Map<string, LegState>();
  origin?: LegState;
  /** the call is a call: something was dialled, queued or offered from outside. Only offered calls are published. */
  offered = false;
  published = false;
  closed = false;
  answeredAt?: number;
  answeredBy?: LegState;
  talkMs = 0;
  talkingSince?: number;
  readonly holds: (HoldInterval & { leg: string })[] = [];
  readonly transfers: Transfer[] = [];
  queue?: QueueVisit;
  readonly members = new Map<string, QueueMemberParty>();
  voicemail = false;
  /** a Dial application ran: with no leg dialled at all, the call failed before ringing */
  dialApp = false;
  /** fixed parts of a record adopted from the store after a restart */
  restored?: { from: Party; to: Party; answeredBy?: Party; talkMs: number; holdMs: number };
  graceTimer?: NodeJS.Timeout;
  dirty = false;
  /** latest event time seen for this call: the last evidence it was alive */
  lastAt: number;

  constructor(
    readonly id: string,
    readonly startedAt: number,
  ) {
    this.lastAt = startedAt;
  }

  /** Every leg, in start order, as the record shows them: Local plumbing left out. */
  participants(): LegState[] {
    return [...this.legs.values()].filter(isParticipant);
  }

  allEnded(): boolean {
    for (const l of this.legs.values()) if (l.endedAt === undefined) return false;
    return true;
  }

  endedAt(): number {
    let end = this.startedAt;
    for (const l of this.legs.values()) if (l.endedAt !== undefined && l.endedAt > end) end = l.endedAt;
    return end;
  }
}
