import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { VERSION } from '../../version';

/**
 * The OpenAPI document (/openapi.json) and its reference page (/docs). Registered before the routes: swagger learns
 * them as they are added.
 */
export const docs = fp(
  async (app) => {
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
          { name: 'control', description: 'act on calls (click-to-dial, hang up, transfer); tokens with the control scope' },
          { name: 'live', description: 'current state and the live stream' },
          { name: 'history', description: 'timelines, outages and KPIs' },
          { name: 'meta', description: 'about this exporter' },
          { name: 'ingest', description: 'webhooks in: call events a PBX pushes, signed with its source\'s secret' },
        ],
      },
      refResolver: {
        buildLocalReference: (json, _base, _frag, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { config: { rateLimit: false }, schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'docs' },
);
