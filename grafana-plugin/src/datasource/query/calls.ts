import { ExporterError, type ExporterClient, type RequestOptions } from '../api/client';
import type { ApiCall, ApiList } from '../api/types';
import { DEFAULT_CALL_LIMIT, MAX_CALL_LIMIT, type PbxQuery } from '../types';
import { part } from './requests';
import { combinations, splitValues } from './values';

const MAX_FAN_OUT = 20;
const PAGE_SIZE = 500;

/**
 * Call history in the dashboard range. The API takes one value per filter, so multi-value variables fan out
 * into one request per combination, merged by call id, newest first, cut at the limit.
 */
export async function fetchCalls(
  client: ExporterClient,
  query: PbxQuery,
  from: number,
  to: number,
  opts: RequestOptions = {}
): Promise<ApiCall[]> {
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_CALL_LIMIT), MAX_CALL_LIMIT);
  const combos = combinations({
    pbx: splitValues(query.pbx),
    extension: splitValues(query.extension),
    queue: splitValues(query.queue),
    direction: splitValues(query.direction),
    status: splitValues(query.status),
  });
  if (combos.length > MAX_FAN_OUT) {
    throw new ExporterError(
      `The filters select ${combos.length} value combinations (at most ${MAX_FAN_OUT}); ` +
        'use a custom "All" value of * or fewer selected values'
    );
  }
  const lists = await Promise.all(
    combos.map((combo, i) =>
      fetchCallPages(client, { from, to, q: query.text?.trim() || undefined, ...combo }, limit, part(opts, i))
    )
  );
  const byId = new Map<string, ApiCall>();
  lists.flat().forEach((c) => byId.set(c.id, c));
  return Array.from(byId.values())
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
    .slice(0, limit);
}

async function fetchCallPages(
  client: ExporterClient,
  params: Record<string, string | number | undefined>,
  limit: number,
  opts: RequestOptions
) {
  const out: ApiCall[] = [];
  let cursor: string | null | undefined;
  do {
    const res = await client.get<ApiList<ApiCall>>(
      '/api/v1/calls',
      { ...params, limit: Math.min(PAGE_SIZE, limit - out.length), cursor: cursor ?? undefined },
      opts
    );
    out.push(...res.items);
    cursor = res.nextCursor;
  } while (cursor && out.length < limit);
  return out;
}
