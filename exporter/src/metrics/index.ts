import { collectDefaultMetrics, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/schema';
import type { Hub } from '../hub';
import type { LiveState } from '../live';
import type { Store } from '../store/store';
import { VERSION } from '../version';
import { BusinessHours } from './business-hours';
import { EventMetrics } from './events';
import { registerStateGauges } from './gauges';
import { knownPbxs } from './labels';
import { FastRegistry } from './registry';

export interface MetricsDeps {
  hub: Hub;
  live: LiveState;
  store: Store;
  config: Config;
  /** clock for scrape-time figures (business hours, longest wait), replaceable in tests */
  now?: () => number;
}

export interface Metrics {
  registry: Registry;
  /** the HTTP server counts its open event streams here */
  sseClients: Gauge;
  /** stop listening to the hub and the store */
  close(): void;
}

/**
 * The exporter's registry. Counters and histograms follow hub and store events; every gauge is computed at
 * scrape time from LiveState and a file stat, so a scrape costs the same whatever the size of the history.
 */
export function createMetrics(deps: MetricsDeps): Metrics {
  const { hub, live, store, config } = deps;
  const now = deps.now ?? Date.now;
  const registry = new FastRegistry();
  collectDefaultMetrics({ register: registry });
  // gauges named like counters; promtool rejects them, and nodejs_active_handles etc. carry the same numbers by type
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }

  const build = new Gauge({
    name: 'switchboard_build_info',
    help: 'Switchboard exporter build information, always 1',
    labelNames: ['version', 'node'],
    registers: [registry],
  });
  build.set({ version: VERSION, node: process.version }, 1);

  const events = new EventMetrics(registry, hub, store);
  for (const pbx of knownPbxs(config, live)) events.pbxKnown(pbx);

  const sseClients = new Gauge({
    name: 'switchboard_sse_clients',
    help: 'Open /api/v1/stream connections',
    registers: [registry],
  });

  registerStateGauges(registry, {
    live,
    store,
    config,
    now,
    businessHours: new BusinessHours(config.businessHours),
    lastEventAt: events.lastEventAt,
    onQueue: (pbx, queue) => events.queueKnown(pbx, queue),
  });

  return {
    registry,
    sseClients,
    close: () => events.close(),
  };
}
