import type { Metric, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

/**
 * Two metric kinds that render their own exposition text, registered in prom-client's registry beside its own
 * metrics. Why: with 5,000 extensions and 200 queues a scrape holds ~10,000 samples, 7,200 of them from the
 * per-queue wait histogram; prom-client builds an object per sample and hashes every label set on every set(),
 * which took most of a 50 ms scrape budget. These keep the registry, its content type and getMetricsAsJSON working
 * (get() still returns prom-client's shape) while the text path skips the per-sample objects.
 */

const NEEDS_ESCAPE = /[\\\n"]/;
const escapeLabel = (v: string): string =>
  NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function pairs(names: readonly string[], values: readonly string[]): string {
  let s = '';
  for (let i = 0; i < names.length; i++) s += `${i ? ',' : ''}${names[i]}="${escapeLabel(values[i])}"`;
  return s;
}

/** A metric that can print itself in the text format; FastRegistry uses it instead of get(). */
export interface TextMetric {
  text(): string;
}

export const isTextMetric = (m: unknown): m is TextMetric => typeof (m as TextMetric).text === 'function';

type Emit = (labelValues: readonly string[], value: number) => void;

/** A gauge whose samples are produced at scrape time by `fill`, straight into text. */
export class ScrapeGauge implements TextMetric {
  readonly type = 'gauge';
  readonly aggregator = 'sum';

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    private readonly fill: (emit: Emit) => void,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  text(): string {
    let out = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} gauge`;
    const names = this.labelNames;
    this.fill((values, v) => {
      out += names.length
        ? `\n${this.name}{${pairs(names, values)}} ${formatValue(v)}`
        : `\n${this.name} ${formatValue(v)}`;
    });
    return out;
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    const values: MetricValue<string>[] = [];
    this.fill((lv, value) =>
      values.push({ value, labels: Object.fromEntries(this.labelNames.map((n, i) => [n, lv[i]])) }),
    );
    return {
      name: this.name,
      help: this.help,
      type: 'gauge',
      aggregator: 'sum',
      values,
    } as unknown as MetricObjectWithValues<MetricValue<string>>;
  }

  reset(): void {}
}

interface Series {
  labelValues: string[];
  /** per bucket, not cumulative */
  counts: number[];
  sum: number;
  count: number;
  /** rendered lines, dropped on change */
  text?: string;
}

/** A labelled histogram that keeps each series' rendered lines until that series changes. */
export class SeriesHistogram<L extends string> implements TextMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    readonly buckets: readonly number[],
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  private at(labels: Record<L, string>): Series {
    const values = this.labelNames.map((n) => labels[n]);
    const key = values.join('\u0000');
    let s = this.series.get(key);
    if (!s) {
      s = { labelValues: values, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  /** Creates the series at 0 (a known series is exported before its first observation). */
  zero(labels: Record<L, string>): void {
    this.at(labels);
  }

  observe(labels: Record<L, string>, value: number): void {
    const s = this.at(labels);
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) s.counts[i] += 1;
    s.sum += value;
    s.count += 1;
    s.text = undefined;
  }

  private render(s: Series): string {
    const base = pairs(this.labelNames, s.labelValues);
    let out = '';
    let acc = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      acc += s.counts[i];
      out += `\n${this.name}_bucket{le="${this.buckets[i]}",${base}} ${acc}`;
    }
    out += `\n${this.name}_bucket{le="+Inf",${base}} ${s.count}`;
    out += `\n${this.name}_sum{${base}} ${formatValue(s.sum)}`;
    out += `\n${this.name}_count{${base}} ${s.count}`;
    return out;
  }

  text(): string {
    let out = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} histogram`;
    for (const s of this.series.values()) out += s.text ??= this.render(s);
    return out;
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    const values: MetricValue<string>[] = [];
    for (const s of this.series.values()) {
      const labels = Object.fromEntries(this.labelNames.map((n, i) => [n, s.labelValues[i]]));
      let acc = 0;
      this.buckets.forEach((le, i) => {
        acc += s.counts[i];
        values.push({
          value: acc,
          labels: { le, ...labels },
          metricName: `${this.name}_bucket`,
        } as MetricValue<string>);
      });
      values.push({
        value: s.count,
        labels: { le: '+Inf', ...labels },
        metricName: `${this.name}_bucket`,
      } as MetricValue<string>);
      values.push({ value: s.sum, labels, metricName: `${this.name}_sum` } as MetricValue<string>);
      values.push({ value: s.count, labels, metricName: `${this.name}_count` } as MetricValue<string>);
    }
    return {
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: 'sum',
      values,
    } as unknown as MetricObjectWithValues<MetricValue<string>>;
  }

  reset(): void {
    this.series.clear();
  }
}
