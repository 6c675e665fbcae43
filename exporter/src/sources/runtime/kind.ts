import type { Static, TObject } from '@sinclair/typebox';
import type { Call, SourceCapabilities } from '../../domain';
import type { SourceContext } from './context';
import type { CallControl } from './control';

/**
 * One running connection to one PBX, doing protocol work only: it turns the PBX's messages into leg events and live
 * state and reports its connection through the context it was created with.
 */
export interface SourceDriver {
  /**
   * Begin connecting. The first attempt must end in `ctx.connected()` or `ctx.disconnected()`: the app waits for it
   * (never for a PBX that is down). A driver with nothing to connect to calls `ctx.connected()` here.
   */
  start(): void | Promise<void>;
  /** Stop retrying and close the connection. The runtime then closes what is pending and flushes the open calls. */
  stop(): Promise<void>;
  /** A call record changed (open or ended), after the hub has it: e.g. to show the current call on an extension. */
  callChanged?(call: Call): void;
  /** A PBX that pushes to us (webhook kinds): the HTTP ingest route hands each request to it. */
  readonly push?: PushReceiver;
  /** Call control, for the actions the kind lists in `capabilities.control`. */
  readonly control?: CallControl;
}

/** One pushed HTTP request, as the ingest route reads it: headers and the exact body bytes (signatures cover them). */
export interface PushRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What became of a pushed request: accepted (with what the driver reports), or refused with a status and why. */
export type PushAnswer =
  | { status: 202; body: unknown; replayed: boolean }
  | { status: 400 | 401 | 409 | 413 | 422; detail: string; parameter?: string };

/** A running source as the rest of the exporter may know it (SourceRuntime is one). */
export interface SourceInfo {
  readonly pbx: string;
  readonly kind: string;
  readonly capabilities: SourceCapabilities;
  readonly push?: PushReceiver;
  readonly control?: CallControl;
}

export interface PushReceiver {
  /** requests larger than this are refused before they are read to the end */
  readonly maxBodyBytes: number;
  receive(req: PushRequest): PushAnswer;
}

/**
 * A source kind: its config schema, what it can do, and how to make a driver. Registered by `kind` in
 * sources/registry.ts (one line per kind); the config's `sources` entries are checked against `schema` by their `kind`.
 */
export interface SourceKindDef<S extends TObject = TObject> {
  /** the `kind` value in the config: `ami`, `nfon`, … */
  kind: string;
  /** one line for the README's configuration reference */
  title: string;
  /** `sourceSchema(kind, {…})`: `name`, `kind` and the kind's own keys */
  schema: S;
  capabilities: SourceCapabilities;
  /** What the schema cannot say (a key required by another key's value): problems naming the key under `at`. */
  check?(config: Static<S>, at: string): string[];
  /** `config` has passed `schema` with its defaults filled in and its `…File` secrets read */
  create(config: Static<S>, ctx: SourceContext): SourceDriver;
}
