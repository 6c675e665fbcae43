import { Type } from '@sinclair/typebox';
import { DIRECTIONS, type Call } from '../../domain';
import type { ApiCall } from '../models';
import { decodeCursor, encodeCursor, STATUS_FILTERS, type CallFilter, type CallKey } from '../../store/queries';
import { ERRORS, type RouteFamily } from '../context';
import { CALL_COLUMNS, callCsvRows } from '../call-csv';
import { FormatParam, sendCsvRows, wantsCsv } from '../csv';
import { liveList } from '../live-list';
import { CallIdParams, Name, parseRange, TimeParam } from '../params';
import { badParameter, ProblemError } from '../problem';
import { liveCall, liveCallDetail, storedCall, storedCallDetail, withContacts } from '../render';
import { Closed, Nullable, StringEnum } from '../typebox';

const CallsQuery = Type.Object(
  {
    from: Type.Optional(TimeParam('calls started at or after')),
    to: Type.Optional(TimeParam('calls started before')),
    pbx: Type.Optional(Name('source name')),
    extension: Type.Optional(Name('an extension with any leg in the call')),
    direction: Type.Optional(StringEnum(DIRECTIONS)),
    status: Type.Optional(
      StringEnum(STATUS_FILTERS, {
        description:
          'a final status matches finished calls only, an open status (ringing, active, on_hold, waiting) calls in ' +
          'progress only; `truly_missed`: inbound, nobody answered; `unreturned`: truly missed and not called back since',
      }),
    ),
    queue: Type.Optional(Name('queue name')),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'search numbers and names; a phone number in any format matches on its digits; 3+ characters also find the ' +
          'calls of contacts (contacts.file, contacts.lookup) whose name or company contains them',
      }),
    ),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: '`nextCursor` of the previous page' }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'page size (cursor paging); default 50' }),
    ),
    page: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100000, description: 'page number (offset paging, with total)' }),
    ),
    pageSize: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, description: 'page size for `page`; default 50' }),
    ),
    format: Type.Optional(FormatParam),
  },
  Closed,
);

const CallRef = Type.Ref('Call');

/** Call history from the store, calls in progress from live state, and one call by id from either. */
export const callRoutes: RouteFamily = async (api, ctx) => {
  const named = <T extends ApiCall>(c: T): T => withContacts(c, ctx.contacts);
  api.get(
    '/calls',
    {
      schema: {
        summary: 'Call history, newest first',
        description:
          'Cursor paging (`limit`, then `cursor` = the previous `nextCursor`) is stable while calls arrive. ' +
          '`page`/`pageSize` instead give numbered pages with a `total`, for tables. As CSV (`format=csv` or ' +
          '`Accept: text/csv`): every matching call, streamed, after `cursor` if given.',
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
    async (req, reply) => {
      const q = req.query;
      const filter: CallFilter = {
        ...parseRange(q),
        pbx: q.pbx,
        extension: q.extension,
        direction: q.direction,
        status: q.status,
        queue: q.queue,
        q: q.q,
        // resolved now, not stored with the calls: a renamed or new contact is found at once
        qNumbers: q.q !== undefined ? ctx.contactSearch?.(q.q) : undefined,
      };
      let after: CallKey | undefined;
      if (q.cursor !== undefined) {
        after = decodeCursor(q.cursor);
        if (!after) throw badParameter('cursor', 'is not a cursor returned by this API');
      }
      if (wantsCsv(req)) {
        for (const p of ['limit', 'page', 'pageSize'] as const) {
          if (q[p] !== undefined) throw badParameter(p, 'pages do not apply to CSV, which lists every matching call');
        }
        const rows = ctx.store.stream((queries) => queries.calls.eachRaw(filter, after));
        return sendCsvRows(reply, 'calls', CALL_COLUMNS, callCsvRows(rows, ctx.contacts), ctx.now());
      }
      if (q.page !== undefined || q.pageSize !== undefined) {
        if (q.cursor !== undefined) throw badParameter('cursor', 'cannot be combined with page/pageSize');
        const page = q.page ?? 1;
        const pageSize = q.pageSize ?? 50;
        const calls = ctx.store.queries.calls.offsetPage(filter, pageSize, (page - 1) * pageSize);
        return {
          items: calls.map((c) => named(storedCall(c))),
          page,
          pageSize,
          total: ctx.store.queries.calls.count(filter),
        };
      }
      const limit = q.limit ?? 50;
      const { calls, more } = ctx.store.queries.calls.page(filter, limit, after);
      const last = calls[calls.length - 1];
      return {
        items: calls.map((c) => named(storedCall(c))),
        nextCursor: more && last ? encodeCursor(last.key) : null,
      };
    },
  );

  liveList<Call>(api, ctx, {
    path: '/calls/active',
    summary: 'Calls in progress, newest first',
    tag: 'calls',
    model: 'Call',
    items: (live) => live.activeCalls.values(),
    order: (a, b) => b.startedAt - a.startedAt,
    render: (c) => named(liveCall(c)),
  });

  api.get(
    '/calls/:id',
    {
      schema: {
        summary: 'One call with its legs, transfers and hold intervals',
        tags: ['calls'],
        params: CallIdParams,
        response: { 200: Type.Ref('CallDetail'), 404: { $ref: 'Problem#' }, ...ERRORS },
      },
    },
    async (req) => {
      const live = ctx.live.activeCalls.get(req.params.id);
      if (live) return named(liveCallDetail(live));
      const stored = ctx.store.queries.calls.byId(req.params.id);
      if (!stored) throw new ProblemError(404, `no call with id "${req.params.id}"`, 'id');
      return named(storedCallDetail(stored));
    },
  );
};
