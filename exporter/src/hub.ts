import { EventEmitter } from 'node:events';
import type {
  Call,
  ConferenceState,
  ExtensionState,
  Gap,
  ParkingState,
  QueueCallResult,
  QueueState,
  SourceStatus,
  TrunkState,
} from './domain';

/** One raw PBX event was ingested. Feeds events-by-kind counters and ingest lag. */
export interface SourceEventSeen {
  pbx: string;
  event: string;
  /** arrival time, epoch ms */
  at: number;
  /** the PBX's own timestamp, when it sent one */
  ts?: number;
}

export interface RejectedEvent {
  pbx: string;
  reason: string;
  detail?: string;
}

/** Everything correlation publishes. Store, metrics and API subscribe; none of them talks back. */
export interface HubEvents {
  call: [Call];
  callEnded: [Call];
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
}

export class Hub extends EventEmitter<HubEvents> {
  constructor() {
    super();
    // many subscribers (store, live state, metrics, every SSE client) are expected
    this.setMaxListeners(0);
  }
}
