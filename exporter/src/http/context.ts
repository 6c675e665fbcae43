import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { UserStatus } from '../domain';
import type { ControlOutcome } from '../hub';
import type { LiveState } from '../live';
import type { SourceInfo } from '../sources/runtime/kind';
import type { StoreReader } from '../store/queries';
import type { ContactLookup } from './render';
import type { EventStream } from './sse';

/** What the API routes read: live state, the history through its queries, and the event stream. */
export interface ApiContext {
  live: LiveState;
  store: StoreReader;
  stream: EventStream;
  now: () => number;
  /** the configured sources with their kinds and capabilities */
  sources: readonly SourceInfo[];
  /** names numbers from the contacts directory; absent: calls carry no contact */
  contacts?: ContactLookup;
  /** contacts' numbers by a piece of their name or company; absent: `q` searches the calls alone */
  contactSearch?: (text: string) => string[];
  /** how a call-control request ended, for its counter */
  controlled: (outcome: ControlOutcome) => void;
  /** a user set their extension's status: stored, shown, streamed (through the hub) */
  userStatusSet: (status: UserStatus) => void;
  /** the stricter request budget of the call-control routes */
  controlLimit: { max: number; windowSeconds: number };
}

export type Api = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

/**
 * One family of API routes (calls, live state, history, …): a fastify plugin registered under /api/v1 with the
 * context as its options. A new family is one file exporting this and one entry in api.ts's list.
 */
export type RouteFamily = FastifyPluginAsyncTypebox<ApiContext>;

/** Error responses every data route can give, for the OpenAPI document. */
export const ERRORS = {
  400: { $ref: 'Problem#' },
  401: { $ref: 'Problem#' },
  403: { $ref: 'Problem#' },
  429: { $ref: 'Problem#' },
} as const;
