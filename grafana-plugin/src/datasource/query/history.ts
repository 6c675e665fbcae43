import type { DataFrame } from '@grafana/data';
import { ExporterError, type ExporterClient, type RequestOptions } from '../api/client';
import type { ApiExtension, ApiList } from '../api/types';
import { historyFrame, type ApiHistoryItem } from '../frames/history';
import type { PbxQuery } from '../types';
import { filterExtensions } from './filters';
import { part } from './requests';
import { splitValues } from './values';

const MAX_HISTORY = 50;

/**
 * State timelines: one request per extension (the filter's values, else every extension the exporter knows, up
 * to MAX_HISTORY), one frame each.
 */
export async function fetchHistory(
  client: ExporterClient,
  extensions: ApiExtension[],
  query: PbxQuery,
  from: number,
  to: number,
  opts: RequestOptions = {}
): Promise<DataFrame[]> {
  const known = filterExtensions(extensions, { ...query, state: undefined });
  const wanted = splitValues(query.extension);
  const targets = wanted.length
    ? wanted.map((ext) => known.find((e) => e.extension === ext) ?? { extension: ext, name: null, pbx: undefined })
    : known;
  if (targets.length > MAX_HISTORY) {
    throw new ExporterError(
      `${targets.length} extensions selected for history (at most ${MAX_HISTORY}); filter by extension, queue or PBX`
    );
  }
  const end = Math.min(to, Date.now());
  return Promise.all(
    targets.map(async (e, i) => {
      const res = await client.get<ApiList<ApiHistoryItem>>(
        `/api/v1/extensions/${encodeURIComponent(e.extension)}/history`,
        { from, to, pbx: e.pbx ?? splitValues(query.pbx)[0] },
        part(opts, i)
      );
      return historyFrame(e.extension, e.name, res.items, { refId: query.refId, end });
    })
  );
}
