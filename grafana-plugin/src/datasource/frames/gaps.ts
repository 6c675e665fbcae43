import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import type { ApiGap } from '../api/types';
import { toMs } from './time';

/**
 * Outages as annotation rows: Grafana's annotation support reads `time`, `timeEnd`, `title`, `text` and `tags`.
 * A gap still open ends at `now`, so the region reaches the right edge of the graph.
 */
export function gapsFrame(gaps: ApiGap[], opts: { refId?: string; now?: number } = {}): DataFrame {
  const now = opts.now ?? Date.now();
  const title = (g: ApiGap) =>
    g.kind === 'exporter' ? 'Exporter was down' : `PBX ${g.pbx ?? ''} disconnected`.replace('  ', ' ');
  return createDataFrame({
    refId: opts.refId,
    name: 'Gaps',
    fields: [
      {
        name: 'time',
        type: FieldType.time,
        values: gaps.map((g) => toMs(g.startedAt)),
        config: { displayName: 'Start' },
      },
      {
        name: 'timeEnd',
        type: FieldType.time,
        values: gaps.map((g) => toMs(g.endedAt) ?? now),
        config: { displayName: 'End' },
      },
      { name: 'title', type: FieldType.string, values: gaps.map(title), config: { displayName: 'Title' } },
      {
        name: 'text',
        type: FieldType.string,
        values: gaps.map((g) => `${g.reason}${g.endedAt ? '' : ' (still open)'}`),
        config: { displayName: 'Reason' },
      },
      {
        name: 'tags',
        type: FieldType.other,
        values: gaps.map((g) => ['switchboard', g.kind, ...(g.pbx ? [g.pbx] : [])]),
        config: { displayName: 'Tags' },
      },
      { name: 'pbx', type: FieldType.string, values: gaps.map((g) => g.pbx), config: { displayName: 'PBX' } },
      { name: 'open', type: FieldType.boolean, values: gaps.map((g) => !g.endedAt), config: { displayName: 'Open' } },
    ],
    meta: { custom: { switchboard: 'gaps' } },
  });
}
