import cors from '@fastify/cors';
import fp from 'fastify-plugin';
import type { Config } from '../../config/schema';

/** Cross-origin reads for the configured origins only; none configured, no CORS headers at all. */
export const crossOrigin = fp<Config['server']['cors']>(
  async (app, opts) => {
    if (opts.origins.length === 0) return;
    await app.register(cors, {
      origin: opts.origins,
      methods: ['GET', 'HEAD', 'OPTIONS'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
      maxAge: 600,
    });
  },
  { name: 'cors' },
);
