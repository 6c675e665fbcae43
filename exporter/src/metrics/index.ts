import { collectDefaultMetrics, Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config } from '../config/schema';
import type { Hub } from '../hub';
import type { LiveState } from '../live';
import type { SinkState } from '../sinks/sinks';
import type { Store } from '../store/store';
import { VERSION } from '../version';
import type { LookupResult } from '../contacts';
import { CollectorFrame } from './collector';
import { countContactLookups } from './contact-lookups';
import { countControl } from './control-counter';
import { COLLECTORS } from './collectors';
import { EventCounters } from './event-counters';
import { knownPbxs, pbxsInState } from './labels';
import { FastRegistry } from './registry';
import { UnreturnedMissed } from './unreturned-missed';

export interface MetricsDeps {
  hub: Hub;
  live: LiveState;
  store: Store;
  config: Config;
  /** clock for scrape-time figures (business hours, longest wait), replaceable in tests */
  now?: () => number;
  /** where a failing collector is reported */
  log?: Logger;
  /** the webhook sinks' figures */
  sinks?: { state(): SinkState[] };
}

export interface Metrics {
  registry: Registry;
  /** the HTTP server counts its open event streams here */
  sseClients: Gauge;
  /** … and the clients it drops for not reading */
  sseDropped: Counter;
  /** the contacts lookup service's batches are counted here */
  contactLookup: (result: LookupResult) => void;
  /** stop listening to the hub and the store */
  close(): void;
}

/**
 * The exporter's registry. Counters and histograms follow hub and store events (event-counters.ts); every gauge
 * comes from a collector (collectors/) that reads LiveState and the store's file size at scrape time, so a scrape
 * costs the same whatever the size of the history.
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

  const counters = new EventCounters(registry, hub, store);
  for (const pbx of knownPbxs(config, live)) counters.pbxKnown(pbx);

  const stopControl = countControl(registry, hub);

  const contactLookup = countContactLookups(registry, config.contacts.lookup !== undefined);

  const sseClients = new Gauge({
    name: 'switchboard_sse_clients',
    help: 'Open /api/v1/stream connections',
    registers: [registry],
  });

  const sseDropped = new Counter({
    name: 'switchboard_sse_clients_dropped_total',
    help: 'Stream clients dropped for not reading (unsent data over the bound); an EventSource resumes with Last-Event-ID',
    registers: [registry],
  });

  const HOUR = 3_600_000;
  const unreturned = config.metrics.unreturnedMissed
    ? new UnreturnedMissed(
        hub,
        config.metrics.unreturnedWindowHours * HOUR,
        now,
        store.queries.calls.unreturnedMissed(now() - config.metrics.unreturnedWindowHours * HOUR),
      )
    : undefined;

  const collectorDeps = {
    config,
    live,
    store,
    lastEventAt: counters.lastEventAt,
    queueSeen: (pbx: string, queue: string) => counters.queueKnown(pbx, queue),
    sinks: deps.sinks,
    unreturned,
  };
  new CollectorFrame(
    registry,
    COLLECTORS.map((make) => make(collectorDeps)),
    () => {
      const pbxs = knownPbxs(config, live);
      return { now: now(), pbxs, allPbxs: pbxsInState(pbxs, live) };
    },
    (collector, err) => deps.log?.error({ err, collector }, 'metrics collector failed; its series are left out'),
  );

  return {
    registry,
    sseClients,
    sseDropped,
    contactLookup,
    close: () => {
      counters.close();
      stopControl();
      unreturned?.close();
    },
  };
}
