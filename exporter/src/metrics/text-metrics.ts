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

/**
 * A gauge or counter family whose samples are added afresh on every scrape (by a collector, see collector.ts) and
 * printed straight into text. Before printing, it calls the hook its registrant set: the collector frame uses it to
 * run the collectors once per scrape.
 */
export class ScrapeFamily implements TextMetric {
  readonly aggregator = 'sum';
  // the samples as text, written as they are added (the scrape path), and as values for get()
  private lines = '';
  private labelValues: (readonly string[])[] = [];
  private values: number[] = [];
  private beforeRead: () => void = () => undefined;

  constructor(
    readonly type: 'gauge' | 'counter',
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[] = [],
  ) {}

  /** Registers the family; `beforeRead` runs before each read, to bring its samples up to date. */
  register(registry: Registry, beforeRead: () => void = () => undefined): void {
    this.beforeRead = beforeRead;
    registry.registerMetric(this as unknown as Metric);
  }

  add(labelValues: readonly string[], value: number): void {
    this.labelValues.push(labelValues);
    this.values.push(value);
    this.lines += this.labelNames.length
      ? `\n${this.name}{${pairs(this.labelNames, labelValues)}} ${formatValue(value)}`
      : `\n${this.name} ${formatValue(value)}`;
  }

  clear(): void {
    this.labelValues = [];
    this.values = [];
    this.lines = '';
  }

  text(): string {
    this.beforeRead();
    return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}${this.lines}`;
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<string>>> {
    this.beforeRead();
    const values = this.values.map((value, i) => ({
      value,
      labels: Object.fromEntries(this.labelNames.map((n, j) => [n, this.labelValues[i][j]])),
    }));
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: 'sum',
      values,
    } as unknown as MetricObjectWithValues<MetricValue<string>>;
  }

  reset(): void {}
}

export const gauge = (name: string, help: string, labelNames: readonly string[] = []): ScrapeFamily =>
  new ScrapeFamily('gauge', name, help, labelNames);

export const counter = (name: string, help: string, labelNames: readonly string[] = []): ScrapeFamily =>
  new ScrapeFamily('counter', name, help, labelNames);

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
