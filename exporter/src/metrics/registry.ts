import { Registry, type Metric } from 'prom-client';
import { isTextMetric } from './text-metrics';

const stock = (Registry.prototype as unknown as { getMetricsAsString(m: Metric): Promise<string> }).getMetricsAsString;

/** prom-client's registry, letting metrics that render their own text (see text-metrics.ts) do so. */
export class FastRegistry extends Registry {
  async getMetricsAsString(metric: Metric): Promise<string> {
    return isTextMetric(metric) ? metric.text() : stock.call(this, metric);
  }
}
