import { createDataFrame, FieldType, type DataFrame, type FieldConfig } from '@grafana/data';
import type { ApiStatsRow } from '../api/types';
import type { StatsGroupBy, StatsMetric } from '../types';
import { toMs } from './time';

interface MetricInfo {
  label: string;
  config: FieldConfig;
  /** Counts are 0 in a bucket without calls; averages and ratios are undefined there. */
  zeroWhenAbsent: boolean;
}

export const STATS_METRICS: Record<StatsMetric, MetricInfo> = {
  offered: { label: 'Offered', config: { unit: 'none', decimals: 0, min: 0 }, zeroWhenAbsent: true },
  answered: { label: 'Answered', config: { unit: 'none', decimals: 0, min: 0 }, zeroWhenAbsent: true },
  missed: { label: 'Missed', config: { unit: 'none', decimals: 0, min: 0 }, zeroWhenAbsent: true },
  abandoned: { label: 'Abandoned', config: { unit: 'none', decimals: 0, min: 0 }, zeroWhenAbsent: true },
  talkSecondsTotal: { label: 'Talk time', config: { unit: 's', min: 0 }, zeroWhenAbsent: true },
  talkSecondsAvg: { label: 'Average talk time', config: { unit: 's', min: 0 }, zeroWhenAbsent: false },
  asaSeconds: { label: 'Average speed of answer', config: { unit: 's', min: 0 }, zeroWhenAbsent: false },
  serviceLevel: { label: 'Service level', config: { unit: 'percentunit', min: 0, max: 1 }, zeroWhenAbsent: false },
  abandonRate: { label: 'Abandon rate', config: { unit: 'percentunit', min: 0, max: 1 }, zeroWhenAbsent: false },
};

/**
 * Wide time series, one frame per group key (labels carry the key), so the time-series panel draws one line
 * per key and metric. Buckets missing for one key but present for another are filled (counts with 0).
 */
export function statsFrames(
  rows: ApiStatsRow[],
  opts: { refId?: string; groupBy: StatsGroupBy; metrics: StatsMetric[]; intervalMs?: number }
): DataFrame[] {
  const buckets = Array.from(new Set(rows.map((r) => toMs(r.bucket)).filter((t): t is number => t !== null))).sort(
    (a, b) => a - b
  );
  const byKey = new Map<string, Map<number, ApiStatsRow>>();
  for (const row of rows) {
    const t = toMs(row.bucket);
    if (t === null) {
      continue;
    }
    const key = opts.groupBy === 'none' ? '' : (row.key ?? '(none)');
    if (!byKey.has(key)) {
      byKey.set(key, new Map());
    }
    byKey.get(key)!.set(t, row);
  }
  const keys = Array.from(byKey.keys()).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return keys.map((key) => {
    const series = byKey.get(key)!;
    const labels = opts.groupBy === 'none' ? undefined : { [opts.groupBy]: key };
    return createDataFrame({
      refId: opts.refId,
      name: key || 'All calls',
      fields: [
        {
          name: 'time',
          type: FieldType.time,
          values: buckets,
          config: { displayName: 'Time', interval: opts.intervalMs },
        },
        ...opts.metrics.map((metric) => {
          const info = STATS_METRICS[metric];
          return {
            name: metric,
            type: FieldType.number,
            labels,
            values: buckets.map((t) => {
              const row = series.get(t);
              const v = row?.[metric];
              return v === undefined || v === null ? (info.zeroWhenAbsent ? 0 : null) : v;
            }),
            config: { ...info.config, displayNameFromDS: key ? `${info.label} · ${key}` : info.label },
          };
        }),
      ],
      meta: { custom: { switchboard: 'stats' } },
    });
  });
}
