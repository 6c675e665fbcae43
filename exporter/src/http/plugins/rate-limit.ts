import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Config } from '../../config/schema';
import { problem } from '../problem';

/**
 * One request budget per client address for every route that does not opt out (`config: { rateLimit: false }`).
 * Registered before the routes, which it learns as they are added.
 */
export const requestLimit = fp<Config['server']['rateLimit']>(
  async (app, limit) => {
    await app.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.windowSeconds * 1000,
      errorResponseBuilder: (_req, ctx) => ({
        ...problem(429, `more than ${ctx.max} requests in ${ctx.after}; retry later`),
        statusCode: 429,
      }),
    });
  },
  { name: 'rate-limit' },
);
