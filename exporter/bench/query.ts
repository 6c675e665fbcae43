/**
 * Query API benchmark: the same API requests against stores of 100k and 10M synthetic calls, over real HTTP.
 * Prints p50/p95 per query and size, and the 10M/100k ratio of the medians. Targets: ratio ≤ 2 (≤ 3 for the number
 * search). Generated stores are cached (SB_BENCH_CACHE, default /tmp/switchboard-bench); SB_BENCH_SIZES overrides
 * the sizes (e.g. "100000,1000000" for a quick run).
 */
import { join } from 'node:path';
import { buildDb, customerNumber, END, EXTENSIONS, rng, SYNTH_VERSION } from './lib/synth';
import { fmt, get, startServer, time, type Timing } from './lib/server';

const DAY = 86_400_000;
const CACHE = process.env.SB_BENCH_CACHE ?? '/tmp/switchboard-bench';
const SIZES = (process.env.SB_BENCH_SIZES ?? '100000,10000000').split(',').map(Number);
const RUNS = Number(process.env.SB_BENCH_RUNS ?? 40);

/** national format with punctuation, so the search must normalise digits: +12125550101 → (212) 555-0101 */
const national = (e164: string): string => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

interface Query {
  name: string;
  target?: number;
  path: (r: () => number) => string;
}

const QUERIES: Query[] = [
  {
    name: 'filtered page (7 days, pbx+direction+status)',
    target: 2,
    path: (r) => {
      const to = END - Math.floor(r() * 23) * DAY;
      return `/api/v1/calls?pbx=main&direction=inbound&status=answered&from=${to - 7 * DAY}&to=${to}&limit=50`;
    },
  },
  {
    name: 'extension filter (any leg)',
    target: 2,
    path: (r) => `/api/v1/calls?extension=${EXTENSIONS[Math.floor(r() * 50)]}&limit=50`,
  },
  { name: 'truly missed', target: 2, path: () => '/api/v1/calls?status=truly_missed&limit=50' },
  {
    name: 'number search (full number, national format)',
    target: 3,
    path: (r) => `/api/v1/calls?q=${encodeURIComponent(national(customerNumber(Math.floor(r() * 2000))))}&limit=50`,
  },
  {
    name: 'hourly stats by queue over 30 days',
    target: 2,
    path: () => `/api/v1/stats?from=${END - 30 * DAY}&to=${END}&groupBy=queue&interval=1h`,
  },
  // for information (no target): the other paths of the same features
  {
    name: '(info) number search, 4 digits (full text)',
    path: (r) => `/api/v1/calls?q=${String(1000 + Math.floor(r() * 9000))}&limit=50`,
  },
  {
    name: '(info) page of 50 with total (page/pageSize, 7 days)',
    path: () => `/api/v1/calls?from=${END - 7 * DAY}&to=${END}&page=3&pageSize=50`,
  },
];

async function benchSize(n: number): Promise<Map<string, Timing>> {
  const path = join(CACHE, `calls-v${SYNTH_VERSION}-${n}.db`);
  const built = buildDb(path, n, (s) => console.log(s));
  console.log(
    built.cached
      ? `store of ${n.toLocaleString('en')} calls: cached ${path} (${(built.bytes / 1e9).toFixed(2)} GB)`
      : `store of ${n.toLocaleString('en')} calls: generated in ${built.seconds.toFixed(0)} s → ${path} (${(built.bytes / 1e9).toFixed(2)} GB)`,
  );
  const server = await startServer(path);
  const results = new Map<string, Timing>();
  try {
    // the extension filter's next page, checked once: the cursor walk must return more calls, no repeats
    const first = (await get(`${server.url}/api/v1/calls?extension=${EXTENSIONS[0]}&limit=50`)) as {
      items: { id: string }[];
      nextCursor: string;
    };
    const second = (await get(
      `${server.url}/api/v1/calls?extension=${EXTENSIONS[0]}&limit=50&cursor=${first.nextCursor}`,
    )) as { items: { id: string }[] };
    if (second.items.length !== 50 || second.items.some((c) => first.items.find((f) => f.id === c.id))) {
      throw new Error('extension cursor paging returned a wrong second page');
    }
    for (const q of QUERIES) {
      const r = rng(42);
      results.set(q.name, await time(async () => void (await get(server.url + q.path(r))), RUNS));
    }
  } finally {
    await server.close();
  }
  return results;
}

async function main(): Promise<void> {
  console.log(
    `query benchmark: ${SIZES.map((n) => n.toLocaleString('en')).join(' and ')} calls, ${RUNS} runs per query after 3 warm-ups, HTTP on loopback`,
  );
  const bySize = new Map<number, Map<string, Timing>>();
  for (const n of SIZES) bySize.set(n, await benchSize(n));
  const [small, large] = [SIZES[0], SIZES[SIZES.length - 1]];
  const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  console.log('');
  console.log(
    `${'query'.padEnd(52)} ${`${label(small)} p50/p95 ms`.padStart(18)} ${`${label(large)} p50/p95 ms`.padStart(18)} ${'ratio p50'.padStart(10)}  target`,
  );
  let failed = 0;
  for (const q of QUERIES) {
    const a = bySize.get(small)!.get(q.name)!;
    const b = bySize.get(large)!.get(q.name)!;
    const ratio = b.p50 / a.p50;
    const verdict = q.target === undefined ? '' : ratio <= q.target ? `≤ ${q.target} ok` : `≤ ${q.target} MISSED`;
    if (q.target !== undefined && ratio > q.target) failed++;
    console.log(
      `${q.name.padEnd(52)} ${`${fmt(a.p50)} / ${fmt(a.p95)}`.padStart(18)} ${`${fmt(b.p50)} / ${fmt(b.p95)}`.padStart(18)} ${ratio.toFixed(2).padStart(10)}  ${verdict}`,
    );
  }
  console.log(failed ? `${failed} target(s) missed` : 'all ratio targets met');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
