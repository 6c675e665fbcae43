import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load';
import type { Config } from '../../src/config/schema';
import { buildServer, type Readiness, type ServerDeps } from '../../src/http/server';
import { Hub } from '../../src/hub';
import { LiveState } from '../../src/live';
import { createMetrics, type Metrics } from '../../src/metrics';
import { Store } from '../../src/store/store';
import { tempDir } from '../helpers/tmp';

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (infer U)[] ? U[] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (!over) return base;
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? merge(cur, v as never)
        : v;
  }
  return out as T;
}

/** The default configuration (as the loader builds it, environment ignored) with overrides. */
export function testConfig(over?: DeepPartial<Config>): Config {
  return merge(loadConfig(undefined, {}).config, { demo: { enabled: false }, ...over } as DeepPartial<Config>);
}

export interface Harness {
  url: string;
  app: FastifyInstance;
  hub: Hub;
  live: LiveState;
  store: Store;
  metrics: Metrics;
  config: Config;
  readiness: { value: Readiness };
  close(): Promise<void>;
}

/** The real server on a free loopback port over a real SQLite file, fed by hub events the test emits. */
export async function startHarness(
  opts: { config?: DeepPartial<Config>; loaded?: Config; stream?: ServerDeps['stream']; now?: () => number } = {},
): Promise<Harness> {
  const tmp = tempDir('sb-http-');
  const config = opts.loaded ?? testConfig(opts.config);
  const store = new Store({ path: `${tmp.dir}/switchboard.db` });
  const hub = new Hub();
  const live = new LiveState(hub);
  const metrics = createMetrics({ hub, live, store, config, now: opts.now });
  const readiness = { value: { ready: true, reasons: [] } as Readiness };
  const app = await buildServer({
    config,
    log: pino({ level: 'silent' }),
    store,
    live,
    hub,
    metrics,
    readiness: () => readiness.value,
    stream: opts.stream,
    now: opts.now,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    hub,
    live,
    store,
    metrics,
    config,
    readiness,
    async close() {
      await app.close();
      metrics.close();
      store.close();
      tmp.cleanup();
    },
  };
}

/** Response JSON is left untyped: tests assert on its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: AnyJson; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers };
}
