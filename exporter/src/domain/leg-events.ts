import type { Call, Party } from './call';

/**
 * The canonical, leg-level events every PBX source emits into correlation. They describe what happened to one
 * participant ("leg") of a call, in the PBX's own order, without any PBX vocabulary:
 *
 * - AMI maps channels to legs (Uniqueid = `leg`, Linkedid = `call`), Dial*, Bridge*, Hold, Queue*, transfers.
 * - NFON CTI maps one `uuid` to a `call` with a caller and a callee leg: `ring` → legStarted + dialStarted,
 *   `answer` → joined (both legs, bridge = uuid), `hangup` → legEnded (no cause: NFON sends none).
 * - 3CX sends finished CDR rows only: `callRecorded` carries the whole record and skips the state machine.
 *
 * All times are epoch milliseconds. `call` is the PBX's grouping key as seen on that event (Linkedid, uuid…); it may
 * change for a leg during its life (Asterisk re-links channels on bridging), and correlation unions the keys.
 */

/** What a leg is, from the exporter's point of view. `local` legs are PBX plumbing: never participants. */
export type LegKind = 'extension' | 'trunk' | 'local' | 'other';

export type LegPhase = 'down' | 'ringing' | 'up' | 'busy';

/** Why a dial attempt ended, normalised from Asterisk DialStatus / NFON end reasons / 3CX termination reasons. */
export type DialOutcome = 'answer' | 'busy' | 'noanswer' | 'cancel' | 'failed' | 'other';

interface Base {
  at: number;
  /** the PBX's call grouping key on this event, when it sent one */
  call?: string;
}

export interface LegStarted extends Base {
  type: 'legStarted';
  leg: string;
  kind: LegKind;
  party: Party;
  phase: LegPhase;
  /** device / endpoint name (`1001`, `trunk`) */
  endpoint?: string;
  /** PBX channel name, for display */
  channel?: string;
  /** what this leg asked for when it appeared (an originating phone's dialled digits, a trunk's DID) */
  dialled?: string;
  /** the name of the number dialled, when the source knows it (a tenant's headline number: `Berlin`) */
  dialledName?: string;
  /** Local channel halves share a pair key: together they connect whatever each side is bridged to */
  pair?: string;
}

export interface LegPhaseChanged extends Base {
  type: 'legPhase';
  leg: string;
  phase: LegPhase;
}

/** A leg's party changed (caller ID update, connected line after a transfer). */
export interface LegParty extends Base {
  type: 'legParty';
  leg: string;
  party: Party;
}

export interface LegEnded extends Base {
  type: 'legEnded';
  leg: string;
  /** Q.850 cause, when the PBX gave one; never used alone to decide an outcome */
  cause?: number;
}

export interface DialStarted extends Base {
  type: 'dialStarted';
  /** the dialling leg */
  leg: string;
  /** the leg being rung */
  target: string;
  /** the caller's dialplan position at that moment (ring group / queue number): parallel dials share it */
  position?: string;
  /** the number the PBX dialled (for trunks: the external number) */
  number?: string;
}

export interface DialEnded extends Base {
  type: 'dialEnded';
  leg: string;
  target: string;
  outcome: DialOutcome;
}

/** A leg entered a media bridge: everything in one bridge (and across Local pairs) talks together. */
export interface Joined extends Base {
  type: 'joined';
  leg: string;
  bridge: string;
}

export interface Left extends Base {
  type: 'left';
  leg: string;
  bridge: string;
}

/** Every leg of one bridge moved into another (AMI BridgeMerge: no per-channel Enter/Leave is sent). */
export interface BridgesMerged extends Base {
  type: 'bridgesMerged';
  from: string;
  into: string;
}

export interface HoldChanged extends Base {
  type: 'hold';
  leg: string;
  held: boolean;
}

/** A leg reached a service that ends the ringing phase without a person: voicemail, IVR, conference… */
export interface ServiceReached extends Base {
  type: 'service';
  leg: string;
  service: 'voicemail' | 'dial' | 'queue' | 'other';
  /** mailbox, queue name, dial string … */
  data?: string;
}

export interface QueueJoined extends Base {
  type: 'queueJoined';
  leg: string;
  queue: string;
  position: number;
}

export interface QueueLeft extends Base {
  type: 'queueLeft';
  leg: string;
  queue: string;
  /** the caller hung up while waiting (AMI QueueCallerAbandon) */
  abandoned: boolean;
}

export interface QueueMemberParty extends Party {
  /** the member's interface (`PJSIP/1003`, `Local/1005@from-queue/n`) */
  interface: string;
}

/** A queue rang a member for a caller (AMI AgentCalled) or the member answered (AgentConnect). */
export interface AgentEvent extends Base {
  type: 'agentCalled' | 'agentConnected';
  leg: string;
  target: string;
  queue: string;
  member: QueueMemberParty;
}

export interface Transferred extends Base {
  type: 'transfer';
  kind: 'blind' | 'attended';
  /** the transferring leg(s): attended transfers have two (one per call) */
  by: string[];
  /** the legs handed over / reached; which is "from" and which is "to" is decided by correlation */
  parties: string[];
  /** for blind transfers: where the call was sent */
  to?: Party;
  /** every call key involved: they are one call from now on */
  calls: string[];
}

/**
 * A leg is in a conference room (Asterisk ConfBridge / MeetMe) or has left it. The room answers the leg's call and
 * talks to it; the room's other members are calls of their own, so a room never joins calls together the way a
 * bridge does.
 */
export interface ConferenceEvent extends Base {
  type: 'conferenceJoined' | 'conferenceLeft';
  leg: string;
  /** the room's number (`800`) */
  room: string;
}

/** A source that only knows finished calls (3CX CDR) hands over the record itself. */
export interface CallRecorded extends Base {
  type: 'callRecorded';
  record: Omit<Call, 'pbx'>;
}

export type LegEvent =
  | LegStarted
  | LegPhaseChanged
  | LegParty
  | LegEnded
  | DialStarted
  | DialEnded
  | Joined
  | Left
  | BridgesMerged
  | HoldChanged
  | ServiceReached
  | QueueJoined
  | QueueLeft
  | AgentEvent
  | Transferred
  | ConferenceEvent
  | CallRecorded;
