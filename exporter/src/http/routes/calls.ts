import { Type } from '@sinclair/typebox';
import { decodeCursor, encodeCursor, type CallFilter } from '../../store/queries';
import { ERRORS, type Api, type ApiContext } from '../context';
import { parseRange } from '../params';
import { badParameter, ProblemError } from '../problem';
import { liveCall, liveCallDetail, storedCall, storedCallDetail } from '../render';
import { CallsQuery, IdParams, Items, Nullable, PbxQuery } from '../schemas';

const CallRef = Type.Ref('Call');

export function callRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/calls',
    {
      schema: {
        summary: 'Call history, newest first',
        description:
          'Cursor paging (`limit`, then `cursor` = the previous `nextCursor`) is stable while calls arrive. ' +
          '`page`/`pageSize` instead give numbered pages with a `total`, for tables.',
        tags: ['calls'],
        querystring: CallsQuery,
        response: {
          200: Type.Object({
            items: Type.Array(CallRef),
            nextCursor: Type.Optional(Nullable(Type.String())),
            page: Type.Optional(Type.Integer()),
            pageSize: Type.Optional(Type.Integer()),
            total: Type.Optional(Type.Integer()),
          }),
          ...ERRORS,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const filter: CallFilter = {
        ...parseRange(q),
        pbx: q.pbx,
        extension: q.extension,
        direction: q.direction,
        status: q.status,
        queue: q.queue,
        q: q.q,
      };
      if (q.page !== undefined || q.pageSize !== undefined) {
        if (q.cursor !== undefined) throw badParameter('cursor', 'cannot be combined with page/pageSize');
        const page = q.page ?? 1;
        const pageSize = q.pageSize ?? 50;
        const rows = ctx.queries.calls.offsetPage(filter, pageSize, (page - 1) * pageSize);
        return { items: rows.map(storedCall), page, pageSize, total: ctx.queries.calls.count(filter) };
      }
      let after;
      if (q.cursor !== undefined) {
        after = decodeCursor(q.cursor);
        if (!after) throw badParameter('cursor', 'is not a cursor returned by this API');
      }
      const limit = q.limit ?? 50;
      const { rows, more } = ctx.queries.calls.page(filter, limit, after);
      const last = rows[rows.length - 1];
      return {
        items: rows.map(storedCall),
        nextCursor: more && last ? encodeCursor({ startedAt: last.started_at, rowid: last.rowid }) : null,
      };
    },
  );

  api.get(
    '/calls/active',
    {
      schema: {
        summary: 'Calls in progress, newest first',
        tags: ['calls'],
        querystring: PbxQuery,
        response: { 200: Items(CallRef), ...ERRORS },
      },
    },
    async (req) => ({
      items: [...ctx.live.activeCalls.values()]
        .filter((c) => req.query.pbx === undefined || c.pbx === req.query.pbx)
        .sort((a, b) => b.startedAt - a.startedAt)
        .map(liveCall),
    }),
  );

  api.get(
    '/calls/:id',
    {
      schema: {
        summary: 'One call with its legs, transfers and hold intervals',
        tags: ['calls'],
        params: IdParams,
        response: { 200: Type.Ref('CallDetail'), 404: { $ref: 'Problem#' }, ...ERRORS },
      },
    },
    async (req) => {
      const live = ctx.live.activeCalls.get(req.params.id);
      if (live) return liveCallDetail(live);
      const stored = ctx.queries.calls.byId(req.params.id);
      if (!stored) throw new ProblemError(404, `no call with id "${req.params.id}"`, 'id');
      return storedCallDetail(stored.row, stored.legs);
    },
  );
}
