import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { Hub } from '../hub';
import type { LiveState } from '../live';
import type { SourceInfo } from '../sources/runtime/kind';
import type { ContactLookup } from './render';
import type { StoreReader } from '../store/queries';
import { api, API_PREFIX } from './api';
import { RESPONSE_MODELS } from './models';
import { MetricsAuth } from './plugins/auth';
import { crossOrigin } from './plugins/cors';
import { docs } from './plugins/docs';
import { errors } from './plugins/errors';
import { requestLimit } from './plugins/rate-limit';
import { ingestRoutes } from './routes/ingest';
import { landingRoutes } from './routes/landing';
import { opsRoutes, type MetricsExposition, type Readiness } from './routes/ops';
import { EventStream, type StreamOptions } from './sse';

export { API_PREFIX } from './api';
export type { MetricsExposition, Readiness } from './routes/ops';

export interface HttpDeps {
  config: Config;
  log: Logger;
  store: StoreReader;
  live: LiveState;
  hub: Hub;
  metrics: MetricsExposition;
  readiness: () => Readiness;
  /** the configured sources: their kinds and capabilities for /api/v1/version, the webhook ones for ingest */
  sources?: readonly SourceInfo[];
  /** names call parties from the contacts directory */
  contacts?: ContactLookup;
  /** contacts' numbers by a piece of their name or company, for the call list's `q` */
  contactSearch?: (text: string) => string[];
  /** SSE tuning (tests shorten the heartbeat) and its client count; defaults suit production */
  stream?: StreamOptions;
  /** clock for live figures (queue waits), replaceable in tests */
  now?: () => number;
}

/**
 * The HTTP face of the exporter, one plugin per concern: problem-shaped errors, the OpenAPI document, the rate
 * limit, CORS, then the ops routes (health, readiness, /metrics), the JSON API under /api/v1 and the landing page.
 * Order matters: the docs and the rate limit learn every route registered after them.
 */
export async function buildServer(deps: HttpDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const app = Fastify({
    loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // the rate limit keys on the peer address; X-Forwarded-For is ignored, as any client could forge it
    trustProxy: false,
    // long path parameters reach the schema, which names them in a 400, instead of a bare 414
    routerOptions: { maxParamLength: 1024 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(errors);
  for (const model of RESPONSE_MODELS) app.addSchema(model);
  await app.register(docs);
  await app.register(requestLimit, config.server.rateLimit);
  await app.register(crossOrigin, config.server.cors);
  await app.register(opsRoutes, {
    metrics: deps.metrics,
    metricsAuth: new MetricsAuth(config.auth.metrics),
    readiness: deps.readiness,
  });

  const stream = new EventStream(deps.hub, deps.live, { ...deps.stream, now, contacts: deps.contacts });
  // end event streams before the server closes, or close() would wait for them forever
  app.addHook('preClose', async () => stream.close());

  const sources = deps.sources ?? [];
  await app.register(api, {
    prefix: API_PREFIX,
    context: {
      live: deps.live,
      store: deps.store,
      stream,
      now,
      sources,
      contacts: deps.contacts,
      contactSearch: deps.contactSearch,
      controlled: (o) => deps.hub.emit('control', o),
      userStatusSet: (u) => deps.hub.emit('userStatus', u),
      controlLimit: config.server.controlRateLimit,
    },
    tokens: config.auth.tokens,
  });
  // signed by each source's own secret, not an API token: a scope of its own beside the API's
  const pushers = new Map(sources.flatMap((s) => (s.push ? [[s.pbx, s.push] as const] : [])));
  if (pushers.size > 0) {
    await app.register(ingestRoutes, {
      prefix: API_PREFIX,
      target: (name) => pushers.get(name),
      // room above the largest source limit, so a body just over its own source's limit gets that limit named
      bodyLimit: 2 * Math.max(...[...pushers.values()].map((p) => p.maxBodyBytes)),
    });
  }
  await app.register(landingRoutes, { sources, status: deps.live.sources, tokens: config.auth.tokens.length > 0 });
  return app;
}
