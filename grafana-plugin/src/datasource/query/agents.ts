import type { DataQueryRequest } from '@grafana/data';
import type { ExporterClient, RequestOptions } from '../api/client';
import type { ApiAgentRow, ApiList } from '../api/types';
import type { PbxQuery } from '../types';
import { splitValues } from './values';

/**
 * The agent report: per agent over the range, or per period (`interval`, e.g. 1w), in the dashboard's time zone so
 * days and weeks are the viewer's. One PBX at a time, like the stats; an agent filter narrows the rows here.
 */
export async function fetchAgents(
  client: ExporterClient,
  query: PbxQuery,
  request: DataQueryRequest<PbxQuery>,
  from: number,
  to: number,
  opts: RequestOptions = {}
): Promise<ApiAgentRow[]> {
  const pbx = splitValues(query.pbx);
  if (pbx.length > 1) {
    throw new Error(`Reports take one PBX at a time (got ${pbx.join(', ')}); choose one, or All for every PBX`);
  }
  const interval = query.interval && !query.interval.includes('$') ? query.interval : undefined;
  const params = { from, to, interval, tz: timeZoneOf(request.timezone), pbx: pbx[0] };
  const res = await client.get<ApiList<ApiAgentRow>>('/api/v1/reports/agents', params, opts);
  const keep = splitValues(query.extension);
  return keep.length > 0 ? res.items.filter((r) => keep.includes(r.extension)) : res.items;
}

/** Grafana's dashboard time zone ('browser', 'utc' or an IANA name) as the IANA zone the exporter takes. */
export function timeZoneOf(timezone: string | undefined): string {
  if (!timezone || timezone === 'browser') {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
  return timezone.toLowerCase() === 'utc' ? 'UTC' : timezone;
}
