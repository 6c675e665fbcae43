import { Type } from '@sinclair/typebox';
import type { Gap } from '../../domain';
import type { HistoryItem } from '../../store/queries';
import { ERRORS, type RouteFamily } from '../context';
import { columnsOf, FormatParam, map, sendCsv, wantsCsv } from '../csv';
import { iso, Name, parseRange, TimeParam } from '../params';
import { badParameter } from '../problem';
import { Closed, Items, Nullable } from '../typebox';

const ExtParams = Type.Object({ ext: Type.String({ minLength: 1, maxLength: 128 }) });

const HistoryQuery = Type.Object(
  {
    from: Type.Optional(TimeParam('changes at or after')),
    to: Type.Optional(TimeParam('changes before')),
    pbx: Type.Optional(Name('source name')),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10000, description: 'default 1000; JSON only: CSV lists every change' }),
    ),
    format: Type.Optional(FormatParam),
  },
  Closed,
);

const RangeQuery = Type.Object(
  {
    from: Type.Optional(TimeParam('from')),
    to: Type.Optional(TimeParam('to')),
    pbx: Type.Optional(Name('source name')),
    format: Type.Optional(FormatParam),
  },
  Closed,
);

const HistoryItemSchema = Type.Object({
  pbx: Type.String(),
  at: Type.String({ format: 'date-time' }),
  state: Type.String(),
  registered: Type.Boolean(),
});

const GapSchema = Type.Object({
  id: Type.Integer(),
  pbx: Nullable(Type.String()),
  kind: Type.String(),
  reason: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
});

const historyItem = (h: HistoryItem) => ({ ...h, at: iso(h.at)! });
const gap = (g: Gap) => ({
  id: g.id!,
  pbx: g.pbx,
  kind: g.kind,
  reason: g.reason,
  startedAt: iso(g.startedAt)!,
  endedAt: iso(g.endedAt),
});

const HISTORY_COLUMNS = columnsOf(HistoryItemSchema);
const GAP_COLUMNS = columnsOf(GapSchema);

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
        response: { 200: Items(HistoryItemSchema), ...ERRORS },
      },
    },
    async (req, reply) => {
      const filter = { ...parseRange(req.query), pbx: req.query.pbx };
      const { ext } = req.params;
      if (wantsCsv(req)) {
        if (req.query.limit !== undefined)
          throw badParameter('limit', 'does not apply to CSV, which lists every change');
        const items = ctx.store.stream((q) => q.history.eachExtensionChange(ext, filter));
        return sendCsv(reply, `extension-${ext}-history`, HISTORY_COLUMNS, map(items, historyItem), ctx.now());
      }
      const items = ctx.store.queries.history.extensionHistory(ext, filter, req.query.limit ?? 1000);
      return { items: items.map(historyItem) };
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
        response: { 200: Items(GapSchema), ...ERRORS },
      },
    },
    async (req, reply) => {
      const filter = { ...parseRange(req.query), pbx: req.query.pbx };
      if (wantsCsv(req)) {
        const gaps = ctx.store.stream((q) => q.history.eachGap(filter));
        return sendCsv(reply, 'gaps', GAP_COLUMNS, map(gaps, gap), ctx.now());
      }
      return { items: ctx.store.queries.history.gaps(filter).map(gap) };
    },
  );
};
