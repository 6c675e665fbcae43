import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/schema';
import { startDemo, type Demo } from './demo';
import { Hub } from './hub';
import { LiveState } from './live';
import { serve, type Readiness, type Served } from './serve';
import { Sinks } from './sinks/sinks';
import { Maintenance } from './store/maintenance';
import { createSource } from './sources';
import type { SourceRuntime } from './sources/runtime/runtime';
import { Store } from './store/store';
import { Writer } from './store/writer';

export interface App {
  url: string;
  server: FastifyInstance;
  store: Store;
  hub: Hub;
  live: LiveState;
  demo?: Demo;
  stop(): Promise<void>;
}

/**
 * Wires the pipeline: sources → hub → (store writer, sinks, live state, metrics) → HTTP. Order matters on the way
 * down: sources stop first so their last calls reach the hub, then the server, then the sinks write their outbox and
 * the writer commits what is left, then the database closes.
 */
export async function startApp(config: Config, log: Logger): Promise<App> {
  const store = new Store({ path: config.store.path, maxQueuedRows: config.store.maxQueuedRows });
  const downtime = store.recordDowntime();
  if (downtime) log.warn({ gap: downtime }, 'exporter was down; gap recorded');

  const hub = new Hub();
  const live = new LiveState(hub);
  live.restoreUserStatuses(store.userStatuses.current());
  const writer = new Writer(hub, store, log.child({ component: 'store' }), config.store.flushMs, config.store.heartbeatSeconds * 1000);
  writer.start();
  const maintenance = new Maintenance(store, config.store, log.child({ component: 'maintenance' }));
  maintenance.start();
  // webhook out: listens like the writer, before any source speaks; delivers what a previous run left
  const sinks = new Sinks(
    config.sinks.map((s) => ({ ...s, secret: s.secret ?? '' })),
    store.db,
    log.child({ component: 'sinks' }),
  );
  sinks.start(hub);

  hub.on('callEnded', (c) =>
    log.info(
      { pbx: c.pbx, call: c.id, direction: c.direction, status: c.status, from: c.from.number, to: c.to.number },
      'call ended',
    ),
  );
  let demo: Demo | undefined;
  let sources: SourceRuntime[] = [];
  const readiness = (): Readiness => {
    const reasons: Readiness['reasons'] = [];
    if (!store.isOpen) reasons.push({ component: 'store', reason: 'database is not open' });
    const failing = store.writeFailure;
    if (failing) {
      const since = new Date(failing.since).toISOString();
      reasons.push({ component: 'store', reason: `database writes failing since ${since} (${failing.failures}×): ${failing.reason}; ${store.pending} rows queued, ${store.droppedRows} dropped` });
    }
    for (const s of sources) {
      const status = live.sources.get(s.pbx);
      if (!status) reasons.push({ component: `source:${s.pbx}`, reason: 'not connected yet' });
      else if (!status.connected) reasons.push({ component: `source:${s.pbx}`, reason: status.reason ?? 'not connected' });
    }
    return { ready: reasons.length === 0, reasons };
  };

  // the pipeline's tail, in the order it stops: the demo PBXs, the sinks' outbox (the sources' last calls in it
  // before the database closes), maintenance, the writer's last commit, the database
  const closeTail = async (): Promise<void> => {
    if (demo) await demo.stop();
    await sinks.stop();
    maintenance.stop();
    // the writer retries and reports rows it could not commit; the close's own last attempt says what else it lost
    const unwritten = await writer.stop();
    const lost = store.close();
    if (lost > 0 && unwritten === 0) log.error({ rows: lost }, `database could not be closed cleanly; ${lost} queued rows were lost`);
  };

  let http: Served;
  try {
    demo = await startDemo(config, log);
    sources = [...config.sources, ...(demo?.sources ?? [])].map((s) =>
      createSource(s, { hub, log: log.child({ component: 'source', pbx: s.name }), store, dataDir: dirname(config.store.path) }),
    );
    http = await serve({ config, log, store, live, hub, readiness, sources, sinks });
  } catch (err) {
    // e.g. the port is taken: stop what was started, so nothing runs on, or logs, after the error
    await closeTail();
    throw err;
  }
  await Promise.all(sources.map((s) => s.start()));
  log.info({ url: http.url }, 'server listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.allSettled(sources.map((s) => s.stop()));
      await http.close();
      await closeTail();
    })());

  return { url: http.url, server: http.app, store, hub, live, demo, stop };
}
