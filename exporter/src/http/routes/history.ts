import { Type } from '@sinclair/typebox';
import { ERRORS, type RouteFamily } from '../context';
import { iso, Name, parseRange, TimeParam } from '../params';
import { Closed, Items, Nullable } from '../typebox';

const ExtParams = Type.Object({ ext: Type.String({ minLength: 1, maxLength: 128 }) });

const HistoryQuery = Type.Object(
  {
    from: Type.Optional(TimeParam('changes at or after')),
    to: Type.Optional(TimeParam('changes before')),
    pbx: Type.Optional(Name('source name')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000 })),
  },
  Closed,
);

const RangeQuery = Type.Object(
  {
    from: Type.Optional(TimeParam('from')),
    to: Type.Optional(TimeParam('to')),
    pbx: Type.Optional(Name('source name')),
  },
  Closed,
);

/** History from SQLite: extension state timelines and outages. */
export const historyRoutes: RouteFamily = async (api, ctx) => {
  api.get(
    '/extensions/:ext/history',
    {
      schema: {
        summary: 'State timeline of one extension, oldest first',
        description: 'With `from`, the first item is the state in force at `from` (it may have begun earlier).',
        tags: ['history'],
        params: ExtParams,
        querystring: HistoryQuery,
        response: {
          200: Items(
            Type.Object({
              pbx: Type.String(),
              at: Type.String({ format: 'date-time' }),
              state: Type.String(),
              registered: Type.Boolean(),
            }),
          ),
          ...ERRORS,
        },
      },
    },
    async (req) => {
      const range = parseRange(req.query);
      const items = ctx.store.queries.history.extensionHistory(
        req.params.ext,
        { ...range, pbx: req.query.pbx },
        req.query.limit ?? 1000,
      );
      return {
        items: items.map((h) => ({ ...h, at: iso(h.at)! })),
      };
    },
  );

  api.get(
    '/gaps',
    {
      schema: {
        summary: 'Outages of sources or of the exporter overlapping the range (calls may be missing there)',
        description: "With `pbx`, the exporter's own outages (pbx null) are included: they hide every PBX's calls.",
        tags: ['history'],
        querystring: RangeQuery,
        response: {
          200: Items(
            Type.Object({
              id: Type.Integer(),
              pbx: Nullable(Type.String()),
              kind: Type.String(),
              reason: Type.String(),
              startedAt: Type.String({ format: 'date-time' }),
              endedAt: Nullable(Type.String({ format: 'date-time' })),
            }),
          ),
          ...ERRORS,
        },
      },
    },
    async (req) => {
      const range = parseRange(req.query);
      return {
        items: ctx.store.queries.history.gaps({ ...range, pbx: req.query.pbx }).map((g) => ({
          id: g.id!,
          pbx: g.pbx,
          kind: g.kind,
          reason: g.reason,
          startedAt: iso(g.startedAt)!,
          endedAt: iso(g.endedAt),
        })),
      };
    },
  );
};
