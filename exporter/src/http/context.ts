import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config/schema';
import type { LiveState } from '../live';
import type { Store } from '../store/store';
import type { Queries } from '../store/queries';
import type { EventStream } from './sse';

/** What the API routes read: live state, the history queries and the event stream. */
export interface ApiContext {
  config: Config;
  store: Store;
  live: LiveState;
  queries: Queries;
  stream: EventStream;
  now: () => number;
}

export type Api = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Error responses every data route can give, for the OpenAPI document. */
export const ERRORS = {
  400: { $ref: 'Problem#' },
  401: { $ref: 'Problem#' },
  403: { $ref: 'Problem#' },
  429: { $ref: 'Problem#' },
} as const;
