import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../../version';
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

const LANDING = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard exporter</title></head>
<body><h1>Switchboard exporter</h1><p>Version ${VERSION}</p><ul>
<li><a href="/metrics">/metrics</a> (Prometheus)</li>
<li><a href="/docs">/docs</a> (API reference) and <a href="/openapi.json">/openapi.json</a></li>
<li><a href="/api/v1/extensions">/api/v1/extensions</a>, <a href="/api/v1/calls">/api/v1/calls</a>, <a href="/api/v1/stream">/api/v1/stream</a></li>
<li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></li>
</ul></body></html>`;

/** Health, readiness, Prometheus and the landing page: never rate-limited, never behind the API token. */
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
  app.get('/', { config: OPEN, schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(LANDING),
  );
};
