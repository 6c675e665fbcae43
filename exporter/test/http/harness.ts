import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load';
import type { Config } from '../../src/config/schema';
import { Hub } from '../../src/hub';
import { LiveState } from '../../src/live';
import type { Metrics } from '../../src/metrics';
import { serve, type Readiness, type ServeDeps } from '../../src/serve';
import type { SourceInfo } from '../../src/sources/runtime/kind';
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
  opts: {
    config?: DeepPartial<Config>;
    loaded?: Config;
    stream?: ServeDeps['stream'];
    now?: () => number;
    /** sources to serve (webhook ingest, /api/v1/version), built on the harness's hub and store */
    sources?: (hub: Hub, store: Store) => readonly SourceInfo[];
    /** webhook sinks, for their metrics */
    sinks?: ServeDeps['sinks'];
  } = {},
): Promise<Harness> {
  const tmp = tempDir('sb-http-');
  const config = opts.loaded ?? testConfig(opts.config);
  const store = new Store({ path: `${tmp.dir}/switchboard.db` });
  const hub = new Hub();
  const live = new LiveState(hub);
  const readiness = { value: { ready: true, reasons: [] } as Readiness };
  const served = await serve({
    config,
    log: pino({ level: 'silent' }),
    store,
    live,
    hub,
    readiness: () => readiness.value,
    stream: opts.stream,
    now: opts.now,
    listen: { host: '127.0.0.1', port: 0 },
    sources: opts.sources?.(hub, store),
    sinks: opts.sinks,
  });
  return {
    url: served.url,
    app: served.app,
    hub,
    live,
    store,
    metrics: served.metrics,
    config,
    readiness,
    async close() {
      await served.close();
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
