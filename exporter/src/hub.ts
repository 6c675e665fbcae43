import { EventEmitter } from 'node:events';
import type {
  Call,
  ConferenceState,
  ExtensionState,
  Gap,
  ParkingState,
  QueueCallResult,
  QueueState,
  ControlAction,
  SourceStatus,
  TrunkState,
  UserStatus,
} from './domain';

/** One raw PBX event was ingested. Feeds events-by-kind counters and ingest lag. */
/** Why a PBX timestamp was not believed (sources/runtime/pbx-clock.ts): the label values of its counter. */
export const STAMP_DOUBTS = ['not a number', 'far ahead', 'far behind'] as const;
export type StampDoubt = (typeof STAMP_DOUBTS)[number];

export interface SourceEventSeen {
  pbx: string;
  event: string;
  /** arrival time, epoch ms */
  at: number;
  /** the PBX's own timestamp, when it sent one that correlation believed */
  ts?: number;
  /** why the PBX's timestamp was not believed */
  stampDoubted?: StampDoubt;
}

export interface RejectedEvent {
  pbx: string;
  reason: string;
  detail?: string;
}

/** An open call's correlation checkpoint (opaque JSON), stored with the call so a restart can resume it. */
export interface CallCheckpointSaved {
  pbx: string;
  call: string;
  /**
   * The checkpoint as JSON, made when the store writes it: a busy call is published many times between two commits
   * and only the newest checkpoint is written, so only that one is serialised.
   */
  checkpoint: () => string;
}

/**
 * A call not yet offered (a phone off-hook, dialling): not a call to publish, but a restart must know when it began,
 * so its checkpoint is kept apart from the calls. Without `checkpoint` it is dropped: the call was offered (its record
 * carries the checkpoint from now on) or forgotten (it never became a call).
 */
export interface UnofferedCheckpoint {
  pbx: string;
  call: string;
  checkpoint?: () => string;
}

/**
 * A call-control or user-status request was answered (the API reports it, metrics count it). `result` is one of a
 * few fixed words (`accepted`, `denied`, `unsupported`, …), never free text.
 */
export interface ControlOutcome {
  action: ControlAction | 'status';
  result: string;
}

/**
 * Everything correlation publishes. Store, metrics and API subscribe; none of them talks back. The events from
 * the API: `control` only feeds its counter; `userStatus` is what a person said, not what a PBX reported.
 */
export interface HubEvents {
  call: [Call];
  callEnded: [Call];
  checkpoint: [CallCheckpointSaved];
  unoffered: [UnofferedCheckpoint];
  extension: [ExtensionState];
  queue: [QueueState];
  queueCall: [QueueCallResult];
  trunk: [TrunkState];
  conference: [ConferenceState];
  parking: [ParkingState];
  source: [SourceStatus];
  sourceEvent: [SourceEventSeen];
  rejected: [RejectedEvent];
  gap: [Gap];
  control: [ControlOutcome];
  /** a person set their extension's status through the API: stored with its history, shown with the extension */
  userStatus: [UserStatus];
}

export class Hub extends EventEmitter<HubEvents> {
  constructor() {
    super();
    // many subscribers (store, live state, metrics, every SSE client) are expected
    this.setMaxListeners(0);
  }
}
