import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config/load';
import type { Config } from '../../src/config/schema';
import { Hub } from '../../src/hub';
import { LiveState } from '../../src/live';
import type { Metrics } from '../../src/metrics';
import { serve } from '../../src/serve';
import { Store } from '../../src/store/store';

export interface BenchServer {
  url: string;
  hub: Hub;
  live: LiveState;
  store: Store;
  metrics: Metrics;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The real server over a store file, on a free loopback port, with the default configuration. */
export async function startServer(dbPath: string, tweak: (c: Config) => void = () => undefined): Promise<BenchServer> {
  const config = loadConfig(undefined, {}).config;
  config.demo.enabled = false;
  // benchmarks fire thousands of requests from one address
  config.server.rateLimit.max = 1_000_000;
  tweak(config);
  const store = new Store({ path: dbPath });
  const hub = new Hub();
  const live = new LiveState(hub);
  const served = await serve({
    config,
    log: pino({ level: 'silent' }),
    store,
    live,
    hub,
    readiness: () => ({ ready: true, reasons: [] }),
    listen: { host: '127.0.0.1', port: 0 },
  });
  return {
    url: served.url,
    hub,
    live,
    store,
    metrics: served.metrics,
    app: served.app,
    async close() {
      await served.close();
      store.close();
    },
  };
}

export interface Timing {
  p50: number;
  p95: number;
  n: number;
}

/** Runs `once` `warmup` times unmeasured, then `n` times; milliseconds. */
export async function time(once: (i: number) => Promise<void>, n: number, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await once(-1 - i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await once(i);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return percentiles(ms);
}

export function percentiles(samples: number[]): Timing {
  const ms = [...samples].sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), n: ms.length };
}

/** GET that fails loudly: a benchmark of error responses would be worthless. */
export async function get(url: string): Promise<unknown> {
  const res = await fetch(url);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url} → ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as unknown;
}

export const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
