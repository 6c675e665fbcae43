/**
 * /metrics benchmark: scrape time with 5,000 extensions and 200 queues in live state, over an empty store and over
 * the 10M-call store (a scrape must not depend on history), then the exporter's resident memory with 100k and 10M
 * stored calls (each in its own process after the same round of API queries). Targets: median ≤ 50 ms and
 * independent of history; RSS ratio 10M/100k ≤ 1.2. Uses the stores bench:query builds (and builds them if missing).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from './lib/tmp';
import { buildDb, SYNTH_VERSION } from './lib/synth';
import { loadLive } from './lib/live-load';
import { fmt, startServer, time, type Timing } from './lib/server';

const CACHE = process.env.SB_BENCH_CACHE ?? '/tmp/switchboard-bench';
const LARGE = Number(process.env.SB_BENCH_LARGE ?? 10_000_000);
const SMALL = 100_000;
const RUNS = Number(process.env.SB_BENCH_RUNS ?? 100);
const dbPath = (n: number) => join(CACHE, `calls-v${SYNTH_VERSION}-${n}.db`);
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

async function scrapeTiming(db: string, perExtension: boolean): Promise<{ t: Timing; series: number; bytes: number }> {
  const server = await startServer(db, (c) => {
    c.metrics.perExtension = perExtension;
  });
  try {
    loadLive(server.hub, { extensions: 5000, queues: 200 });
    let body = '';
    const t = await time(
      async () => {
        body = await (await fetch(`${server.url}/metrics`)).text();
      },
      RUNS,
      5,
    );
    return { t, series: body.split('\n').filter((l) => l && !l.startsWith('#')).length, bytes: body.length };
  } finally {
    await server.close();
  }
}

function rssOf(db: string): number {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--require', 'tsx/cjs', join(__dirname, 'lib/rss-child.ts'), db],
    {
      encoding: 'utf8',
      cwd: join(__dirname, '..'),
    },
  );
  if (r.status !== 0) throw new Error(`rss child failed: ${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { rss: number }).rss;
}

async function main(): Promise<void> {
  for (const n of [SMALL, LARGE]) {
    const b = buildDb(dbPath(n), n, (s) => console.log(s));
    console.log(
      `store of ${n.toLocaleString('en')} calls: ${b.cached ? 'cached' : `generated in ${b.seconds.toFixed(0)} s`} ${b.path}`,
    );
  }
  const empty = tempDir('sb-bench-');
  try {
    console.log(
      `/metrics with 5,000 extensions, 200 queues, 50 trunks, 150 active calls; ${RUNS} scrapes after 5 warm-ups`,
    );
    const rows: [string, { t: Timing; series: number; bytes: number }][] = [
      ['0 stored calls', await scrapeTiming(join(empty.dir, 'empty.db'), false)],
      [`${label(LARGE)} stored calls`, await scrapeTiming(dbPath(LARGE), false)],
      [`0 stored calls, per-extension series on (cap 500)`, await scrapeTiming(join(empty.dir, 'empty2.db'), true)],
      [`${label(LARGE)} stored calls, per-extension series on (cap 500)`, await scrapeTiming(dbPath(LARGE), true)],
    ];
    for (const [name, r] of rows) {
      console.log(
        `  scrape, ${name.padEnd(52)} p50 ${fmt(r.t.p50).padStart(6)} ms  p95 ${fmt(r.t.p95).padStart(6)} ms  (${r.series} series, ${(r.bytes / 1024).toFixed(0)} KiB)`,
      );
    }
    const ratio = rows[1][1].t.p50 / rows[0][1].t.p50;
    const worst = Math.max(rows[0][1].t.p50, rows[1][1].t.p50);
    console.log(
      `  median ${fmt(worst)} ms (target ≤ 50: ${worst <= 50 ? 'ok' : 'MISSED'}); ${label(LARGE)}/0 ratio ${ratio.toFixed(2)}`,
    );
  } finally {
    empty.cleanup();
  }
  const small = rssOf(dbPath(SMALL));
  const large = rssOf(dbPath(LARGE));
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
  const ratio = large / small;
  console.log(
    `RSS after loading live state, API queries and scrapes: ${label(SMALL)} calls ${mb(small)}, ${label(LARGE)} calls ${mb(large)}, ratio ${ratio.toFixed(2)} (target ≤ 1.2: ${ratio <= 1.2 ? 'ok' : 'MISSED'})`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
