/**
 * Query API benchmark: the same API requests against stores of 100k and 10M synthetic calls, over real HTTP.
 * Prints p50/p95 per query and size, and the 10M/100k ratio of the medians. Targets: ratio ≤ 2 (≤ 3 for the number
 * search). Generated stores are cached (SB_BENCH_CACHE, default /tmp/switchboard-bench); SB_BENCH_SIZES overrides
 * the sizes (e.g. "100000,1000000" for a quick run). The servers name calls from an address book of the synthetic
 * customers, as a configured `contacts.file` would.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDb, customerNumber, END, EXTENSIONS, rng, SYNTH_VERSION } from './lib/synth';
import { fmt, get, percentiles, startServer, type BenchServer, type Timing } from './lib/server';

const DAY = 86_400_000;
const CACHE = process.env.SB_BENCH_CACHE ?? '/tmp/switchboard-bench';
const SIZES = (process.env.SB_BENCH_SIZES ?? '100000,10000000').split(',').map(Number);
const RUNS = Number(process.env.SB_BENCH_RUNS ?? 40);

/** the synthetic customers as an address book: `Customer 0042` of `Company 042` (ten customers a company) */
const CUSTOMERS = 2000;
const customerName = (i: number): string => `Customer ${String(i).padStart(4, '0')}`;
const companyName = (i: number): string => `Company ${String(i % 200).padStart(3, '0')}`;

function writeContacts(): string {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, 'contacts.csv');
  const rows = Array.from({ length: CUSTOMERS }, (_, i) => `${customerName(i)},${companyName(i)},${customerNumber(i)}`);
  writeFileSync(path, ['Name,Company,Phone', ...rows].join('\n'));
  return path;
}

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
    // resolved to the contact's numbers at query time, then every call of theirs is sorted: grows with their calls
    name: "(info) contact search, a contact's name",
    path: (r) => `/api/v1/calls?q=${encodeURIComponent(customerName(Math.floor(r() * CUSTOMERS)))}&limit=50`,
  },
  {
    name: "(info) contact search, a company's name (10 contacts)",
    path: (r) => `/api/v1/calls?q=${encodeURIComponent(companyName(Math.floor(r() * 200)))}&limit=50`,
  },
  {
    name: '(info) page of 50 with total (page/pageSize, 7 days)',
    path: () => `/api/v1/calls?from=${END - 7 * DAY}&to=${END}&page=3&pageSize=50`,
  },
];

async function openSize(n: number, contacts: string): Promise<BenchServer> {
  const path = join(CACHE, `calls-v${SYNTH_VERSION}-${n}.db`);
  const built = buildDb(path, n, (s) => console.log(s));
  const size = `${(built.bytes / 1e9).toFixed(2)} GB`;
  console.log(
    built.cached
      ? `store of ${n.toLocaleString('en')} calls: cached ${path} (${size})`
      : `store of ${n.toLocaleString('en')} calls: generated in ${built.seconds.toFixed(0)} s → ${path} (${size})`,
  );
  const server = await startServer(path, (c) => (c.contacts.file = contacts));
  // the extension filter's next page, checked once: the cursor walk must return more calls, no repeats
  const ext = EXTENSIONS[0];
  const first = (await get(`${server.url}/api/v1/calls?extension=${ext}&limit=50`)) as Page;
  const second = (await get(`${server.url}/api/v1/calls?extension=${ext}&limit=50&cursor=${first.nextCursor}`)) as Page;
  if (second.items.length !== 50 || second.items.some((c) => first.items.find((f) => f.id === c.id))) {
    throw new Error('extension cursor paging returned a wrong second page');
  }
  // the contact search, checked once: a customer's name must find their calls, each named after them
  const named = (await get(`${server.url}/api/v1/calls?q=${encodeURIComponent(customerName(1))}&limit=50`)) as Page;
  if (!named.items.length || named.items.some((c) => c.fromContact?.name !== customerName(1) && c.toContact?.name !== customerName(1))) {
    throw new Error("the contact search did not find the customer's calls");
  }
  return server;
}

interface Page {
  items: { id: string; fromContact?: { name: string | null } | null; toContact?: { name: string | null } | null }[];
  nextCursor: string;
}

/**
 * Both stores are served at once and every query alternates between them run by run, so a change in machine load
 * (the machine is shared) hits both sizes alike instead of skewing the ratio.
 */
async function main(): Promise<void> {
  console.log(
    `query benchmark: ${SIZES.map((n) => n.toLocaleString('en')).join(' and ')} calls, ${RUNS} runs per query after 3 warm-ups, sizes interleaved, HTTP on loopback`,
  );
  const [small, large] = [SIZES[0], SIZES[SIZES.length - 1]];
  const contacts = writeContacts();
  const servers = [await openSize(small, contacts), await openSize(large, contacts)];
  const bySize = [new Map<string, Timing>(), new Map<string, Timing>()];
  try {
    for (const q of QUERIES) {
      const rands = [rng(42), rng(42)];
      const samples: number[][] = [[], []];
      for (let i = -3; i < RUNS; i++) {
        for (const s of [0, 1]) {
          const path = q.path(rands[s]);
          const t = process.hrtime.bigint();
          await get(servers[s].url + path);
          if (i >= 0) samples[s].push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }
      samples.forEach((ms, s) => bySize[s].set(q.name, percentiles(ms)));
    }
  } finally {
    for (const s of servers) await s.close();
  }
  const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
  console.log('');
  console.log(
    `${'query'.padEnd(52)} ${`${label(small)} p50/p95 ms`.padStart(18)} ${`${label(large)} p50/p95 ms`.padStart(18)} ${'ratio p50'.padStart(10)}  target`,
  );
  let failed = 0;
  for (const q of QUERIES) {
    const a = bySize[0].get(q.name)!;
    const b = bySize[1].get(q.name)!;
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
