import { rangeUtil, type DataFrame, type DataQueryRequest } from '@grafana/data';
import { ExporterError, type ExporterClient, type RequestOptions } from '../api/client';
import type { ApiList, ApiStatsRow } from '../api/types';
import { statsFrames } from '../frames/stats';
import { DEFAULT_STATS_METRICS, type PbxQuery } from '../types';
import { splitValues } from './values';

/** The exporter's limit on stats buckets per request. */
const MAX_BUCKETS = 10_000;

/** KPI time series in the dashboard range, one PBX at a time, optionally grouped by queue or extension. */
export async function fetchStats(
  client: ExporterClient,
  query: PbxQuery,
  request: DataQueryRequest<PbxQuery>,
  from: number,
  to: number,
  opts: RequestOptions = {}
): Promise<DataFrame[]> {
  const groupBy = query.groupBy ?? 'none';
  // The exporter refuses more than MAX_BUCKETS buckets; a fine interval over a long range is widened instead.
  const intervalSeconds = Math.max(
    statsIntervalSeconds(query.interval, request),
    Math.ceil((to - from) / 1000 / MAX_BUCKETS)
  );
  // KPIs are ratios: they cannot be merged across PBXs after the fact, so the exporter computes them for one PBX
  const pbx = splitValues(query.pbx);
  if (pbx.length > 1) {
    throw new Error(`Stats take one PBX at a time (got ${pbx.join(', ')}); choose one, or All for every PBX together`);
  }
  const params = {
    from,
    to,
    interval: intervalSeconds,
    groupBy: groupBy === 'none' ? undefined : groupBy,
    slThreshold: query.slThreshold,
    pbx: pbx[0],
  };
  let res: ApiList<ApiStatsRow>;
  try {
    // Filled (a zero for every bucket) draws best; the exporter refuses a huge filled matrix (many extensions over
    // many buckets) naming `fill`, and then the sparse answer will do: the frames fill between buckets seen.
    res = await client.get<ApiList<ApiStatsRow>>('/api/v1/stats', params, opts);
  } catch (err) {
    if (err instanceof ExporterError && err.status === 400 && err.problem?.parameter === 'fill') {
      res = await client.get<ApiList<ApiStatsRow>>('/api/v1/stats', { ...params, fill: false }, opts);
    } else {
      throw err;
    }
  }
  let rows = res.items;
  const keep = splitValues(groupBy === 'queue' ? query.queue : groupBy === 'extension' ? query.extension : undefined);
  if (keep.length > 0) {
    rows = rows.filter((r) => r.key !== null && keep.includes(r.key));
  }
  return statsFrames(rows, {
    refId: query.refId,
    groupBy,
    metrics: query.metrics?.length ? query.metrics : DEFAULT_STATS_METRICS,
    intervalMs: intervalSeconds * 1000,
  });
}

/** `$__interval` (or the query's own) in whole seconds, at least one minute: the API buckets by the minute. */
export function statsIntervalSeconds(interval: string | undefined, request: DataQueryRequest<PbxQuery>): number {
  const raw = interval && !interval.includes('$') ? interval : request.interval;
  let seconds = 60;
  try {
    seconds = raw ? rangeUtil.intervalToSeconds(raw) : Math.round((request.intervalMs ?? 60000) / 1000);
  } catch {
    throw new ExporterError(`Interval "${raw}" is not a duration like 5m or 1h`);
  }
  return Math.max(60, Math.round(seconds));
}
