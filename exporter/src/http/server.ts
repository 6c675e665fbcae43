import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { Hub } from '../hub';
import type { LiveState } from '../live';
import type { Metrics } from '../metrics';
import { createQueries } from '../store/queries';
import type { Store } from '../store/store';
import { VERSION } from '../version';
import { ApiAuth, MetricsAuth } from './auth';
import type { ApiContext } from './context';
import { badParameter, installProblemHandlers, problem } from './problem';
import { callRoutes } from './routes/calls';
import { historyRoutes } from './routes/history';
import { liveRoutes } from './routes/live';
import { opsRoutes } from './routes/ops';
import { SHARED_SCHEMAS } from './schemas';
import { EventStream, type StreamOptions } from './sse';

export interface Readiness {
  ready: boolean;
  reasons: { component: string; reason: string }[];
}

export interface ServerDeps {
  config: Config;
  log: Logger;
  store: Store;
  live: LiveState;
  hub: Hub;
  metrics: Metrics;
  readiness: () => Readiness;
  /** SSE tuning (tests shorten the heartbeat); defaults suit production */
  stream?: StreamOptions;
  /** clock for live figures (queue waits), replaceable in tests */
  now?: () => number;
}

export const API_PREFIX = '/api/v1';

/**
 * The HTTP face of the exporter: the JSON API under /api/v1 (bearer tokens, rate limit, CORS as configured), the
 * SSE stream, /metrics, health and readiness, the OpenAPI document and its docs page.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
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

  installProblemHandlers(app);
  for (const s of SHARED_SCHEMAS) app.addSchema(s);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard exporter API',
        version: VERSION,
        description: 'PBX call history, live state and KPIs. Times are ISO 8601 (UTC); durations are seconds.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'calls', description: 'call records' },
        { name: 'live', description: 'current state and the live stream' },
        { name: 'history', description: 'timelines, outages and KPIs' },
        { name: 'meta', description: 'about this exporter' },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { rateLimit: false }, schema: { hide: true } }, async () => app.swagger());

  await app.register(rateLimit, {
    global: true,
    max: config.server.rateLimit.max,
    timeWindow: config.server.rateLimit.windowSeconds * 1000,
    errorResponseBuilder: (_req, ctx) => ({
      ...problem(429, `more than ${ctx.max} requests in ${ctx.after}; retry later`),
      statusCode: 429,
    }),
  });

  if (config.server.cors.origins.length > 0) {
    await app.register(cors, {
      origin: config.server.cors.origins,
      methods: ['GET', 'HEAD', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
      maxAge: 600,
    });
  }

  opsRoutes(app, {
    metrics: deps.metrics,
    metricsAuth: new MetricsAuth(config.auth.metrics),
    readiness: deps.readiness,
  });

  const stream = new EventStream(deps.hub, deps.live, {
    ...deps.stream,
    now,
    onClients: (n) => deps.metrics.sseClients.set(n),
  });
  // end event streams before the server closes, or close() would wait for them forever
  app.addHook('preClose', async () => stream.close());

  const ctx: ApiContext = {
    config,
    store: deps.store,
    live: deps.live,
    queries: createQueries(deps.store.db),
    stream,
    now,
  };
  const auth = new ApiAuth(config.auth.tokens);
  await app.register(
    async (api) => {
      api.addHook('onRequest', auth.require('read'));
      // ajv coerces "1e400" to Infinity and lets it through integer and maximum checks
      api.addHook('preHandler', async (req) => {
        for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
          if (typeof v === 'number' && !Number.isFinite(v)) throw badParameter(k, 'must be a finite number');
        }
      });
      callRoutes(api, ctx);
      liveRoutes(api, ctx);
      historyRoutes(api, ctx);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
