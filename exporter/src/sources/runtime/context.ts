import type { Logger } from 'pino';
import type { Call, ConferenceState, ExtensionState, ParkingState, QueueState, TrunkState } from '../../domain';
import type { LegEvent } from '../../domain/leg-events';
import type { Backoff } from './backoff';

/**
 * Correlation as a driver sees it: leg events in, call records out (the runtime publishes them). One correlator per
 * source; its clock is the latest event time it has seen.
 */
export interface CallFeed {
  /** one canonical leg event; finished-call sources hand over `callRecorded` */
  handle(ev: LegEvent): void;
  /** the correlation clock: the latest event time seen (epoch ms) */
  readonly now: number;
  hasLeg(leg: string): boolean;
  /** the published, still open call a leg belongs to (queue callers show their call) */
  callIdOfLeg(leg: string): string | undefined;
  /** ids of open calls, optionally only those silent since `silentSince`: what `reconcile` checks */
  openIds(silentSince?: number): Set<string>;
  /**
   * Of the calls in `ids`, those with no leg in `alive` end `incomplete` at their last event (nothing guessed about
   * what happened after); the others carry on without the legs that vanished. Returns the calls closed.
   */
  reconcile(alive: Set<string>, ids: Set<string>): Call[];
  /**
   * The PBX's live legs are known again (after a connect): calls a previous run left open in the store and calls open
   * when the connection was lost are settled against `alive` — each only once. A source that cannot list live legs
   * (no replay, NFON) passes an empty set: every call that spanned the outage ends `incomplete`.
   */
  settle(alive: Set<string>): void;
}

/** Live state out. Each item is published only when it changed (`updatedAt` alone is no change). */
export interface LiveFeed {
  extension(state: ExtensionState): void;
  queue(state: QueueState): void;
  trunk(state: TrunkState): void;
  /** a conference room changed (no participants: it ended) */
  conference(state: ConferenceState): void;
  /** the PBX's parked calls changed */
  parking(state: ParkingState): void;
}

/** What a source learnt about the PBX itself. */
export interface PbxInfo {
  version?: string;
  /** when the PBX process started (epoch ms); a start within 2 s of the known one is the same start */
  startedAt?: number;
}

/**
 * Everything a driver gets from the runtime. The driver does protocol work only; the runtime owns the source status,
 * the outage gaps, correlation and its wiring to the hub, restoring calls a previous run left open, the flush at stop,
 * and publishing only changed live state.
 *
 * Lifecycle, in the order a connection goes through it:
 * `connected()` → `synced()` once the PBX's picture is rebuilt → `received()` per event … → `disconnected(reason)`.
 * A refused login is `loginFailed(message)` followed by `disconnected(reason)`.
 */
export interface SourceContext {
  /** the source's name: the `pbx` label */
  readonly pbx: string;
  /** bound to `pbx` and `component: source` already: a line needs neither */
  readonly log: Logger;
  /** wall clock (epoch ms), replaceable in tests */
  now(): number;
  /**
   * The PBX's time at `at` of our wall clock: its newest believed stamp plus the time that passed here since; our own
   * clock while it has sent none. What the PBX reports as an age (AMI's Duration) is measured back from it.
   */
  pbxTime(at: number): number;
  /** a folder for files the source keeps across restarts (a read position, rejected input); name them after `pbx` */
  readonly dataDir: string;
  readonly calls: CallFeed;
  readonly live: LiveFeed;
  /** A reconnect backoff with jitter, from the runtime's base delay up to `maxMs`. */
  backoff(maxMs: number): Backoff;

  /**
   * Logged in / stream open: status connected (reconnects counted after the first). The runtime logs the change of
   * state (`source connected`, `source down` with the reason): the driver logs only what the protocol adds.
   */
  connected(): void;
  /**
   * The PBX's picture is whole again after a connect (AMI: the resync answered; a source without one calls it right
   * after `connected()`): the outage gap ends at `at`.
   */
  synced(at?: number, info?: PbxInfo): void;
  /** The connection is gone or an attempt failed: status down with `reason`; an outage gap opens at the last event. */
  disconnected(reason: string): void;
  /** Credentials refused: counted, and the status says so. The driver retries only at its longest backoff. */
  loginFailed(message: string): void;
  /** The PBX told something about itself (version, restart); published at once when connected and changed. */
  pbxInfo(info: PbxInfo): void;
  /**
   * One event from the PBX arrived at `arrival`: counted (`sourceEvent`), the correlation clock moved (to `pbxTime` when
   * the PBX stamps its events, else to the arrival), then `handle` runs with the time to handle the event at: the
   * stamp, unless pbx-clock.ts doubts it (NaN for a stamp that is not a number), then the PBX time expected now. An
   * error it throws never stops the source: an `InputRejected` becomes a `rejected` event with its reason, anything
   * else is logged and rejected as a handler error.
   */
  received(event: string, arrival: number, pbxTime: number | undefined, handle: (at: number) => void): void;
  /** Input that could not be used (malformed frame, bad list item): counted, never a crash. */
  rejected(reason: string, detail?: string): void;
}

/** Thrown from a driver's handler for input it cannot use; `reason` is the `rejected` event's (bounded) label. */
export class InputRejected extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'InputRejected';
  }
}
