import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/schema';
import type { Call } from './domain';
import type { Hub } from './hub';
import { buildServer, type Readiness } from './http/server';
import type { StreamOptions } from './http/sse';
import type { LiveState } from './live';
import { createContacts } from './contacts';
import { createMetrics, type Metrics } from './metrics';
import type { SinkState } from './sinks/sinks';
import type { SourceInfo } from './sources/runtime/kind';
import type { Store } from './store/store';

export type { Readiness } from './http/server';

export interface ServeDeps {
  config: Config;
  log: Logger;
  store: Store;
  hub: Hub;
  live: LiveState;
  readiness: () => Readiness;
  /** SSE tuning (tests shorten the heartbeat); defaults suit production */
  stream?: Omit<StreamOptions, 'onClients' | 'onSlowClient' | 'now'>;
  /** clock for live figures (queue waits, business hours), replaceable in tests */
  now?: () => number;
  /** where to listen; default: config.server */
  listen?: { host: string; port: number };
  /** the running sources (kinds and capabilities; webhook sources take pushes) */
  sources?: readonly SourceInfo[];
  /** the webhook sinks, for their metrics */
  sinks?: { state(): SinkState[] };
}

export interface Served {
  /** http://host:port, loopback spelled 127.0.0.1 */
  url: string;
  app: FastifyInstance;
  metrics: Metrics;
  /** stop serving and stop the metrics listening to the hub; the store stays open */
  close(): Promise<void>;
}

/**
 * The metrics and the HTTP server over a store, live state and hub, listening. The CLI, the HTTP tests and the
 * benchmarks all serve through here, so they exercise one and the same server.
 */
export async function serve(deps: ServeDeps): Promise<Served> {
  const { config, hub, live, store, now } = deps;
  const metrics = createMetrics({ hub, live, store, config, now, log: deps.log.child({ component: 'metrics' }), sinks: deps.sinks });
  const contacts = createContacts(config.contacts, deps.log.child({ component: 'contacts' }), metrics.contactLookup);
  // the home country's and the address book's towns are there for the first calls' parties (a few ms of file reads)
  await contacts.ready;
  // the lookup service is asked about a call's parties as the call starts, so its next events and its record are named
  const prefetch = (c: Call): void => {
    contacts.matcher.lookup(c.from.number);
    contacts.matcher.lookup(c.to.number);
  };
  if (contacts.lookup) hub.on('call', prefetch);
  const app = await buildServer({
    config,
    contacts: (n, bulk) => contacts.matcher.lookup(n, bulk),
    contactSearch: (text) => contacts.search.numbers(text),
    log: deps.log,
    store,
    live,
    hub,
    metrics: metrics.registry,
    readiness: deps.readiness,
    sources: deps.sources,
    stream: { ...deps.stream, onClients: (n) => metrics.sseClients.set(n), onSlowClient: () => metrics.sseDropped.inc() },
    now,
  });
  const address = await app.listen(deps.listen ?? { host: config.server.host, port: config.server.port });
  return {
    url: address.replace('[::1]', '127.0.0.1'),
    app,
    metrics,
    async close() {
      await app.close();
      hub.off('call', prefetch);
      metrics.close();
      contacts.close();
    },
  };
}
