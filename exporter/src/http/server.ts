import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { Hub } from '../hub';
import type { LiveState } from '../live';
import type { Metrics } from '../metrics';
import type { Store } from '../store/store';

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
}

/** The HTTP face of the exporter. (Being built: health, readiness, metrics, landing page.) */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log.child({ component: 'http' }) as FastifyBaseLogger, disableRequestLogging: true });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const r = deps.readiness();
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', reasons: r.reasons });
  });
  app.get('/metrics', async (_req, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });
  app.get('/', async (_req, reply) =>
    reply
      .type('text/html')
      .send(
        '<!doctype html><title>Switchboard</title><h1>Switchboard exporter</h1><ul>' +
          '<li><a href="/metrics">/metrics</a></li><li><a href="/healthz">/healthz</a></li>' +
          '<li><a href="/readyz">/readyz</a></li></ul>',
      ),
  );
  return app;
}
