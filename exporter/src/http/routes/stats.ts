import { Type } from '@sinclair/typebox';
import { STATS_GROUPS, type StatsRow } from '../../store/queries';
import { ERRORS, type RouteFamily } from '../context';
import { columnsOf, FormatParam, sendCsv, wantsCsv } from '../csv';
import { BucketParam, bucketedRange, DAY_MS, ZoneParam } from '../buckets';
import { addNumbers, collectBuckets } from '../merge';
import { iso, Name, TimeParam } from '../params';
import { badParameter } from '../problem';
import { Closed, Items, StringEnum } from '../typebox';

const StatsQuery = Type.Object(
  {
    from: Type.Optional(TimeParam('calls started at or after; default 24 h before `to`')),
    to: Type.Optional(TimeParam('calls started before; default now')),
    pbx: Type.Optional(Name('source name')),
    groupBy: Type.Optional(StringEnum(STATS_GROUPS)),
    interval: Type.Optional(BucketParam),
    tz: Type.Optional(ZoneParam),
    slThreshold: Type.Optional(
      Type.Number({ minimum: 0, maximum: 3600, default: 20, description: 'service-level threshold in seconds' }),
    ),
    fill: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'list empty buckets (zeros, null ratios) for every key; false lists only buckets with calls',
      }),
    ),
    format: Type.Optional(FormatParam),
  },
  Closed,
);

const STATS_COLUMNS = columnsOf(Type.Ref('StatsItem'));
/** a filled matrix larger than this (keys × buckets) is refused: sparse output (`fill=false`) or coarser buckets */
const MAX_FILLED_ITEMS = 50_000;

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/**
 * Sums to KPIs. Filled (the default), buckets without calls still appear (zeros, null ratios) for every key that
 * had calls at all, and for `all` without groupBy, so charts show zero rather than a gap; a filled matrix is capped
 * so a per-extension, per-hour month cannot turn into a 30 MB answer. Unfilled, only buckets with calls are listed.
 */
function statsItems(rows: StatsRow[], buckets: number[], grouped: boolean, fill: boolean) {
  if (!fill) return rows.map((r) => item(r, iso(r.bucket)!, String(r.key)));
  const keys = grouped ? [...new Set(rows.map((r) => String(r.key)))].sort() : ['all'];
  if (keys.length * buckets.length > MAX_FILLED_ITEMS) {
    throw badParameter(
      'fill',
      `${keys.length} keys × ${buckets.length} buckets is more than ${MAX_FILLED_ITEMS} items; use fill=false or a larger interval`,
    );
  }
  const cells = new Map<number, Map<string, StatsRow>>();
  for (const r of rows) {
    let m = cells.get(r.bucket);
    if (!m) cells.set(r.bucket, (m = new Map()));
    m.set(String(r.key), r);
  }
  const items = [];
  for (const bucket of buckets) {
    const at = iso(bucket)!;
    const m = cells.get(bucket);
    for (const key of keys) {
      const r = m?.get(key);
      if (!r) {
        items.push({ ...EMPTY, bucket: at, key });
        continue;
      }
      items.push(item(r, at, key));
    }
  }
  return items;
}

function item(r: StatsRow, bucket: string, key: string) {
  const talk = r.talkMs / 1000;
  return {
    bucket,
    key,
    offered: r.offered,
    answered: r.answered,
    missed: r.missed,
    abandoned: r.abandoned,
    talkSecondsTotal: talk,
    talkSecondsAvg: r.answered > 0 ? talk / r.answered : null,
    asaSeconds: r.answered > 0 ? r.answerWaitMs / 1000 / r.answered : null,
    serviceLevel: ratio(r.answeredWithinSl, r.offered),
    abandonRate: ratio(r.abandoned, r.offered),
  };
}

const EMPTY = {
  offered: 0,
  answered: 0,
  missed: 0,
  abandoned: 0,
  talkSecondsTotal: 0,
  talkSecondsAvg: null,
  asaSeconds: null,
  serviceLevel: null,
  abandonRate: null,
};

/** Call-centre KPIs from the history. */
export const statsRoutes: RouteFamily = async (api, ctx) => {
  api.get(
    '/stats',
    {
      schema: {
        summary: 'Call-centre KPIs per bucket and group',
        description:
          'offered = calls; answered; missed = truly missed (inbound, nobody answered); abandoned = caller hung up ' +
          'waiting; ASA = mean wait of answered calls; serviceLevel = answered within slThreshold / offered; ' +
          'abandonRate = abandoned / offered. By extension: calls that rang there; missed = rang but not answered ' +
          'by it. Finished calls only. Without `interval`, one bucket starting at `from`.',
        tags: ['history'],
        querystring: StatsQuery,
        response: { 200: Items(Type.Ref('StatsItem')), ...ERRORS },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const plan = bucketedRange(q, ctx.now, DAY_MS);
      const rows = collectBuckets(
        plan,
        (run) =>
          ctx.store.queries.stats.run({
            from: run.from,
            to: run.to,
            groupBy: q.groupBy,
            intervalMs: run.intervalMs,
            shiftMs: run.shiftMs,
            slThresholdMs: (q.slThreshold ?? 20) * 1000,
            pbx: q.pbx,
          }),
        (r) => String(r.key),
        addNumbers,
      );
      const buckets = plan.buckets;
      const items = statsItems(rows, buckets, q.groupBy !== undefined, q.fill ?? true);
      return wantsCsv(req) ? sendCsv(reply, 'stats', STATS_COLUMNS, items, ctx.now()) : { items };
    },
  );
};
