import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { EXTENSION_STATE_MAPPINGS } from './mappings';
import { toMs } from './time';

export interface ApiHistoryItem {
  pbx?: string;
  at: string;
  state: string;
  registered: boolean;
}

/**
 * One extension's states over time for the state-timeline panel: one frame per extension (a row in the timeline),
 * an unregistered phone shown as unavailable, and the last state held to `end` so the bar reaches the range's end.
 */
export function historyFrame(
  extension: string,
  name: string | null | undefined,
  items: ApiHistoryItem[],
  opts: { refId?: string; end: number }
): DataFrame {
  const points = items
    .map((h) => ({ at: toMs(h.at), state: h.registered === false ? 'unavailable' : h.state }))
    .filter((p): p is { at: number; state: string } => p.at !== null)
    .sort((a, b) => a.at - b.at);
  const last = points[points.length - 1];
  if (last && last.at < opts.end) {
    points.push({ at: opts.end, state: last.state });
  }
  const label = name ? `${extension} ${name}` : extension;
  return createDataFrame({
    refId: opts.refId,
    name: label,
    fields: [
      { name: 'time', type: FieldType.time, values: points.map((p) => p.at), config: { displayName: 'Time' } },
      {
        name: 'state',
        type: FieldType.string,
        values: points.map((p) => p.state),
        labels: { extension },
        config: { displayNameFromDS: label, mappings: EXTENSION_STATE_MAPPINGS },
      },
    ],
    meta: { preferredVisualisationType: 'graph', custom: { switchboard: 'extensionHistory' } },
  });
}
