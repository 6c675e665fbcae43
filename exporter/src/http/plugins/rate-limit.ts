import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { Config } from '../../config/schema';
import { ProblemError } from '../problem';

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
      // the plugin throws what this returns: a ProblemError keeps the budget in the body the error handler sends
      errorResponseBuilder: (_req, ctx) =>
        Object.assign(new ProblemError(429, `more than ${ctx.max} requests in ${ctx.after}; retry later`), {
          statusCode: 429,
        }),
    });
  },
  { name: 'rate-limit' },
);
