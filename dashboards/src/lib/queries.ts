import type { PbxQuery } from '../../../grafana-plugin/src/datasource/types';
import { PROMETHEUS, SWITCHBOARD } from './datasources';

/** A Switchboard data-source query, typed by the plugin's own query model. */
export type SwitchboardTarget = PbxQuery & {
  datasource: typeof SWITCHBOARD;
  queryType: NonNullable<PbxQuery['queryType']>;
};

export interface PrometheusTarget {
  [key: string]: unknown;
  refId: string;
  datasource: typeof PROMETHEUS;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  interval?: string;
}

export function sb(query: Omit<SwitchboardTarget, 'datasource' | 'refId'> & { refId?: string }): SwitchboardTarget {
  return { refId: 'A', ...query, datasource: SWITCHBOARD };
}

interface PromOptions {
  refId?: string;
  legend?: string;
  /** one value at the end of the range (stat panels, tables) instead of a series */
  instant?: boolean;
  format?: PrometheusTarget['format'];
}

export function prom(expr: string, opts: PromOptions = {}): PrometheusTarget {
  const target: PrometheusTarget = {
    refId: opts.refId ?? 'A',
    datasource: PROMETHEUS,
    expr,
    legendFormat: opts.legend ?? '__auto',
  };
  if (opts.instant) {
    target.instant = true;
    target.range = false;
  } else {
    target.range = true;
  }
  if (opts.format) target.format = opts.format;
  return target;
}

/** `pbx=~"$pbx"`: the PBX variable as a regex (Grafana formats multi-value and All selections for Prometheus). */
export const PBX = 'pbx=~"$pbx"';
