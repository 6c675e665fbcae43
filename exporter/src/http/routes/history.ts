import { Type } from '@sinclair/typebox';
import type { StatsRow } from '../../store/queries';
import { VERSION } from '../../version';
import { ERRORS, type Api, type ApiContext } from '../context';
import { iso, parseInterval, parseRange } from '../params';
import { badParameter } from '../problem';
import { ExtParams, HistoryQuery, Items, Nullable, RangeQuery, StatsQuery } from '../schemas';

const DAY_MS = 86_400_000;
/** more buckets than this is a mistake (a 1 s interval over a month), not a chart */
const MAX_BUCKETS = 10_000;
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

/** History from SQLite: state timelines, outages, KPIs; and the version. */
export function historyRoutes(api: Api, ctx: ApiContext): void {
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
      const items = ctx.queries.history.extensionHistory(
        req.params.ext,
        { ...range, pbx: req.query.pbx },
        req.query.limit ?? 1000,
      );
      return {
        items: items.map((h) => ({ pbx: h.pbx, at: iso(h.at)!, state: h.state, registered: h.registered === 1 })),
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
        items: ctx.queries.history.gaps({ ...range, pbx: req.query.pbx }).map((g) => ({
          id: g.id,
          pbx: g.pbx,
          kind: g.kind,
          reason: g.reason,
          startedAt: iso(g.started_at)!,
          endedAt: iso(g.ended_at),
        })),
      };
    },
  );

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
    async (req) => {
      const q = req.query;
      const range = parseRange(q);
      const to = range.to ?? ctx.now();
      const from = range.from ?? to - DAY_MS;
      if (from > to) throw badParameter('from', 'is after to');
      const intervalMs = q.interval === undefined ? undefined : parseInterval('interval', q.interval);
      let buckets: number[];
      if (intervalMs === undefined) buckets = [from];
      else {
        const first = from - (from % intervalMs);
        const count = Math.ceil((to - first) / intervalMs);
        if (count > MAX_BUCKETS) {
          throw badParameter('interval', `gives ${count} buckets over this range; at most ${MAX_BUCKETS}`);
        }
        buckets = Array.from({ length: count }, (_, i) => first + i * intervalMs);
      }
      const rows = ctx.queries.stats.run({
        from,
        to,
        groupBy: q.groupBy,
        intervalMs,
        slThresholdMs: (q.slThreshold ?? 20) * 1000,
        pbx: q.pbx,
      });
      return { items: statsItems(rows, buckets, q.groupBy !== undefined, q.fill ?? true) };
    },
  );

  api.get(
    '/version',
    {
      schema: {
        summary: 'Exporter version, Node.js version and database schema version',
        tags: ['meta'],
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({ version: Type.String(), node: Type.String(), schemaVersion: Type.Integer() }),
          ...ERRORS,
        },
      },
    },
    async () => ({
      version: VERSION,
      node: process.version,
      schemaVersion: ctx.store.db.pragma('user_version', { simple: true }) as number,
    }),
  );
}
