import type { FastifyPluginAsync } from 'fastify';
import type { MetricsAuth } from '../plugins/auth';

/** Whether the exporter can serve what it is for, and if not, which component says why. */
export interface Readiness {
  ready: boolean;
  reasons: { component: string; reason: string }[];
}

/** What /metrics serves: prom-client's registry fits, without HTTP knowing how the metrics are made. */
export interface MetricsExposition {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface OpsDeps {
  metrics: MetricsExposition;
  metricsAuth: MetricsAuth;
  readiness: () => Readiness;
}

const OPEN = { rateLimit: false } as const;

/** Health, readiness and Prometheus: never rate-limited, never behind the API token. */
export const opsRoutes: FastifyPluginAsync<OpsDeps> = async (app, deps) => {
  app.get('/healthz', { config: OPEN, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: OPEN, schema: { hide: true } }, async (_req, reply) => {
    const r = deps.readiness();
    return reply.code(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', reasons: r.reasons });
  });
  app.get(
    '/metrics',
    { config: OPEN, schema: { hide: true }, onRequest: deps.metricsAuth.hook() },
    async (_req, reply) => {
      const body = await deps.metrics.metrics();
      return reply.type(deps.metrics.contentType).send(body);
    },
  );
};
