import { Type } from '@sinclair/typebox';
import { VERSION } from '../../version';
import { ERRORS, type RouteFamily } from '../context';
import { Closed } from '../typebox';

/** About this exporter. */
export const metaRoutes: RouteFamily = async (api, ctx) => {
  api.get(
    '/version',
    {
      schema: {
        summary: 'Exporter version, Node.js version and database schema version',
        tags: ['meta'],
        querystring: Type.Object({}, Closed),
        response: {
          200: Type.Object({ version: Type.String(), node: Type.String(), schemaVersion: Type.Integer() }),
          ...ERRORS,
        },
      },
    },
    async () => ({
      version: VERSION,
      node: process.version,
      schemaVersion: ctx.store.schemaVersion(),
    }),
  );
};
