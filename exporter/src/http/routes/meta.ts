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
        summary: 'Exporter version, Node.js and database schema version, and what each source can do',
        tags: ['meta'],
        querystring: Type.Object({}, Closed),
        response: {
          200: Type.Object({
            version: Type.String(),
            node: Type.String(),
            schemaVersion: Type.Integer(),
            sources: Type.Array(
              Type.Object({
                pbx: Type.String(),
                kind: Type.String(),
                capabilities: Type.Object({
                  live: Type.Boolean({ description: 'live state and calls in progress; false: finished calls only (3CX)' }),
                  control: Type.Array(Type.String(), { description: 'call control actions the source offers' }),
                }),
              }),
            ),
          }),
          ...ERRORS,
        },
      },
    },
    async () => ({
      version: VERSION,
      node: process.version,
      schemaVersion: ctx.store.schemaVersion(),
      sources: ctx.sources.map((s) => ({
        pbx: s.pbx,
        kind: s.kind,
        capabilities: { live: s.capabilities.live, control: [...s.capabilities.control] },
      })),
    }),
  );
};
