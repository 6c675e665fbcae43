/**
 * CSV export benchmark: 1M stored calls (SB_BENCH_EXPORT_CALLS) streamed as CSV over loopback from an exporter in a
 * child process, read as fast as the client can, and again by a slow client. Prints rows, bytes, throughput and the
 * server's resident memory as the export goes (every 10 % of the rows), its peak and its growth, both over the
 * server as started and over the server after a first, smaller export (V8 grows its young generation to a busy
 * server's allocation rate once, whatever the export's size; what must not happen is growth with the rows).
 * Target: growth ≤ 50 MB over the server as started; prints PASS or FAIL (exit code 1). The store is generated once
 * and cached (SB_BENCH_CACHE, default /tmp/switchboard-bench).
 * SB_BENCH_NODE_FLAGS passes flags to the server's node (e.g. --max-semi-space-size=2, to see V8's share).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { rssBytes } from './lib/proc';
import { buildDb, SYNTH_VERSION } from './lib/synth';

const CACHE = process.env.SB_BENCH_CACHE ?? '/tmp/switchboard-bench';
const CALLS = Number(process.env.SB_BENCH_EXPORT_CALLS ?? 1_000_000);
const TARGET_MB = 50;
const MB = 1024 * 1024;

interface Run {
  rows: number;
  bytes: number;
  seconds: number;
  peakRss: number;
  /** RSS after each tenth of `expectRows` */
  series: number[];
}

/** Reads the whole CSV, counting rows and bytes, sampling the server's RSS; `delayMs` per chunk makes a slow client. */
async function exportOnce(
  url: string,
  pid: number,
  delayMs = 0,
  maxBytes = Infinity,
  expectRows = CALLS,
): Promise<Run> {
  const series: number[] = [];
  let peakRss = rssBytes(pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(pid))), 25);
  const started = process.hrtime.bigint();
  const res = await fetch(`${url}/api/v1/calls?format=csv`);
  if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}`);
  let rows = 0;
  let bytes = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = 0; i < value.length; i++) {
        if (value[i] !== 10) continue;
        rows += 1;
        if (rows % Math.ceil(expectRows / 10) === 0) series.push(rssBytes(pid));
      }
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      if (bytes >= maxBytes) {
        await reader.cancel();
        break;
      }
    }
  } finally {
    clearInterval(sampler);
  }
  peakRss = Math.max(peakRss, rssBytes(pid));
  return { rows: rows - 1, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRss, series };
}

async function main(): Promise<void> {
  const path = join(CACHE, `calls-v${SYNTH_VERSION}-${CALLS}.db`);
  const built = buildDb(path, CALLS, (s) => console.log(s));
  console.log(
    built.cached
      ? `store of ${CALLS.toLocaleString('en')} calls: cached ${path}`
      : `store of ${CALLS.toLocaleString('en')} calls: generated in ${built.seconds.toFixed(0)} s → ${path}`,
  );
  const child = spawn(
    process.execPath,
    [
      ...(process.env.SB_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      '--expose-gc',
      '--require',
      'tsx/cjs',
      join(__dirname, 'lib/serve-child.ts'),
      path,
    ],
    {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    // a first small request, so the routes and statements are warm and the baseline is the served state
    await (await fetch(`${url}/api/v1/calls?limit=50`)).text();
    const cold = rssBytes(child.pid!);
    const warmup = await exportOnce(url, child.pid!, 0, 20 * MB);
    const warm = rssBytes(child.pid!);
    const mb = (b: number) => `${(b / MB).toFixed(1)} MB`;
    console.log(
      `server RSS as started: ${mb(cold)}; after a first export of ${warmup.rows.toLocaleString('en')} rows: ${mb(warm)}`,
    );

    const fast = await exportOnce(url, child.pid!);
    console.log(
      `full export:  ${fast.rows.toLocaleString('en')} rows, ${(fast.bytes / MB).toFixed(0)} MB in ${fast.seconds.toFixed(1)} s` +
        ` → ${Math.round(fast.rows / fast.seconds).toLocaleString('en')} rows/s, ${(fast.bytes / MB / fast.seconds).toFixed(1)} MB/s`,
    );
    console.log(`server RSS every 10 % of the rows: ${fast.series.map((r) => (r / MB).toFixed(0)).join(' ')} MB`);
    // judged from the server as started (the target); over the warm server is printed beside it, since what V8
    // grows once for any busy server (its young generation) is then already paid
    const growth = (fast.peakRss - cold) / MB;
    const warmGrowth = (fast.peakRss - warm) / MB;
    console.log(
      `server RSS peak ${mb(fast.peakRss)}: growth ${growth.toFixed(1)} MB over the server as started ` +
        `(target ≤ ${TARGET_MB} MB), ${warmGrowth.toFixed(1)} MB over the warm server`,
    );
    if (fast.rows !== CALLS) throw new Error(`exported ${fast.rows} rows of ${CALLS}`);

    // a client reading 64 KB every 5 ms: the server must wait for it, not buffer the rest of the export
    const slow = await exportOnce(url, child.pid!, 5, 40 * MB);
    const slowGrowth = (slow.peakRss - cold) / MB;
    console.log(
      `slow client (5 ms per chunk, first ${(slow.bytes / MB).toFixed(0)} MB in ${slow.seconds.toFixed(0)} s): server RSS peak ` +
        `${mb(slow.peakRss)}, growth ${slowGrowth.toFixed(1)} MB over the server as started`,
    );
    const pass = growth <= TARGET_MB && slowGrowth <= TARGET_MB;
    console.log(`${pass ? 'PASS' : 'FAIL'}: RSS growth ≤ ${TARGET_MB} MB from a fresh start, fast and slow client`);
    if (!pass) process.exitCode = 1;
  } finally {
    child.kill();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
