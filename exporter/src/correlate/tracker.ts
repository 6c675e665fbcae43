import type { HoldInterval, Party, Transfer } from '../domain';
import type { DialOutcome, LegKind, LegPhase, QueueMemberParty } from '../domain/leg-events';

/**
 * Correlation's working state: one call (CallTracker) and its legs (LegState). The two refer to each other — a leg
 * knows its call, a call its legs — so they live in one file.
 */

/** One leg (a channel, for AMI). */
export interface LegState {
  id: string;
  kind: LegKind;
  party: Party;
  channel?: string;
  endpoint?: string;
  dialled?: string;
  dialledName?: string;
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
  /** the conference room this leg is in, as the party it talks to there (handlers/conference.ts) */
  room?: LegState;
  /** the call this leg belongs to now */
  call?: CallTracker;
}

/** People and the outside world. Local halves and media helpers (announcers, snoop, recorders) are plumbing. */
export function isParticipant(leg: LegState): boolean {
  return leg.kind === 'extension' || leg.kind === 'trunk';
}

export interface QueueVisit {
  name: string;
  joinedAt: number;
  leftAt?: number;
  abandoned?: boolean;
  answered?: boolean;
}

/** One call: its legs, what rang, what answered, talk/hold time so far. */
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

  hold(leg: LegState, held: boolean, at: number): void {
    if (held) {
      if (leg.holdSince !== undefined) return;
      leg.holdSince = at;
      this.holds.push({ leg: leg.id, party: { ...leg.party }, start: at });
    } else {
      if (leg.holdSince === undefined) return; // Unhold without Hold: phones send it on transfer
      leg.holdSince = undefined;
      const open = [...this.holds].reverse().find((h) => h.leg === leg.id && h.end === undefined);
      if (open) open.end = at;
    }
  }

  /** The stretch of talk running since `talkingSince` is banked: nobody hears the caller from `at`. */
  stopTalking(at: number): void {
    if (this.talkingSince !== undefined) {
      this.talkMs += Math.max(0, at - this.talkingSince);
      this.talkingSince = undefined;
    }
  }
}

/** The rooms a call's live legs are in, as parties to talk to: what the call hears when no bridge connects it. */
export function roomsOf(t: CallTracker): LegState[] {
  const out: LegState[] = [];
  for (const leg of t.legs.values()) if (leg.room && leg.endedAt === undefined) out.push(leg.room);
  return out;
}
