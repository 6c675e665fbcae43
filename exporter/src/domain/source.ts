import type { Call } from './call';

/** The name a source kind is registered under (`ami`, `nfon`, …): see exporter/src/sources/registry.ts. */
export type SourceKind = string;

/** Call control a source kind can offer through the API (issue #14). */
export type ControlAction = 'dial' | 'hangup' | 'transfer' | 'attendedTransfer';

/** What a source kind can do, declared once per kind in its registry entry. */
export interface SourceCapabilities {
  /** streams live state and calls in progress; false for a history-only source (3CX CDR), never shown as all-idle */
  live: boolean;
  control: ControlAction[];
}

export interface SourceStatus {
  pbx: string;
  kind: SourceKind;
  /** the kind's `capabilities.live`: a history-only PBX has no live picture to show */
  live: boolean;
  connected: boolean;
  /** why not connected (login failed, connection refused, heartbeat timeout …) */
  reason?: string;
  version?: string;
  /** when the PBX process started (epoch ms), to detect PBX restarts */
  pbxStartedAt?: number;
  lastEventAt?: number;
  /** when `connected` last changed (epoch ms); undefined before the first connection attempt ended */
  since?: number;
  /** while set, the PBX's live state is stale: from the disconnect until the resync made the picture whole */
  staleSince?: number;
  reconnects: number;
  loginFailures: number;
}

/** An outage of a source or of the exporter itself, during which calls may be missing. */
export interface Gap {
  id?: number;
  /** null for the exporter itself */
  pbx: string | null;
  kind: 'source' | 'exporter';
  reason: string;
  startedAt: number;
  endedAt?: number;
}

/** A call a previous run left open, with the correlation checkpoint stored beside it (none from an older exporter). */
export interface StoredOpenCall {
  call: Call;
  checkpoint?: string;
}

/** What a source may read back from the store: the calls it left open before a restart. */
export interface OpenCallReader {
  openCalls(pbx: string): Call[];
  /** the same calls, each with its checkpoint, in one read (what a restart resumes from) */
  openCallsWithCheckpoints?(pbx: string): StoredOpenCall[];
  /** checkpoints of calls not yet offered when the last run ended (a phone dialling): they began before the restart */
  unofferedCheckpoints?(pbx: string): string[];
}
