import { Type } from '@sinclair/typebox';
import type { AgentRow } from '../../store/queries';
import { BucketParam, bucketedRange, DAY_MS, ZoneParam } from '../buckets';
import { ERRORS, type RouteFamily } from '../context';
import { columnsOf, FormatParam, sendCsv, wantsCsv } from '../csv';
import { addNumbers, collectBuckets } from '../merge';
import { iso, Name, TimeParam } from '../params';
import { Closed, Items } from '../typebox';

const AgentsQuery = Type.Object(
  {
    from: Type.Optional(TimeParam('calls started at or after; default 7 days before `to`')),
    to: Type.Optional(TimeParam('calls started before; default now')),
    tz: Type.Optional(ZoneParam),
    interval: Type.Optional(BucketParam),
    pbx: Type.Optional(Name('source name')),
    extension: Type.Optional(Name('one agent (extension) only')),
    format: Type.Optional(FormatParam),
  },
  Closed,
);

const COLUMNS = columnsOf(Type.Ref('AgentReportItem'));

const item = (r: AgentRow) => ({
  bucket: iso(r.bucket)!,
  pbx: r.pbx,
  extension: r.agent,
  name: r.name,
  offered: r.offered,
  answered: r.answered,
  missed: r.missed,
  outbound: r.outbound,
  outboundAnswered: r.outboundAnswered,
  handled: r.handled,
  talkSecondsTotal: r.talkMs / 1000,
  holdSecondsTotal: r.holdMs / 1000,
  ahtSeconds: r.handled > 0 ? (r.talkMs + r.holdMs) / 1000 / r.handled : null,
});

/** Reports over the history: what each agent did, per period. */
export const reportRoutes: RouteFamily = async (api, ctx) => {
  api.get(
    '/reports/agents',
    {
      schema: {
        summary: 'Per agent: answered, missed, outbound, talk time, average handling time',
        description:
          'Finished calls by start time. offered/answered/missed as in the stats by extension (a call counts once ' +
          'per agent; missed = rang at the agent, not answered by it); outbound = outbound calls the agent placed; ' +
          'handled = answered + outbound answered; AHT = (talk + hold) / handled. Without `interval`, one row per ' +
          'agent for the whole range; `interval=1w&tz=Europe/Berlin` gives local Monday weeks.',
        tags: ['history'],
        querystring: AgentsQuery,
        response: { 200: Items(Type.Ref('AgentReportItem')), ...ERRORS },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const plan = bucketedRange(q, ctx.now, 7 * DAY_MS);
      const rows = collectBuckets(
        plan,
        (run) =>
          ctx.store.queries.agents.run({
            from: run.from,
            to: run.to,
            intervalMs: run.intervalMs,
            shiftMs: run.shiftMs,
            pbx: q.pbx,
            extension: q.extension,
          }),
        (r) => `${r.pbx}\u0000${r.agent}`,
        (into, r) => {
          addNumbers(into, r);
          into.name ??= r.name;
        },
      );
      const items = rows.map(item);
      return wantsCsv(req) ? sendCsv(reply, 'agents', COLUMNS, items, ctx.now()) : { items };
    },
  );
};
