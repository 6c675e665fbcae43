/**
 * Run in its own process by bench/scrape.ts: opens a store, loads the live state, serves a round of API queries and
 * scrapes, then prints its resident set size. One process per store size, so the figures do not mix.
 */
import { END, EXTENSIONS, customerNumber } from './synth';
import { loadLive } from './live-load';
import { get, startServer } from './server';

const DAY = 86_400_000;

async function main(): Promise<void> {
  const db = process.argv[2];
  const server = await startServer(db);
  try {
    loadLive(server.hub, { extensions: 5000, queues: 200 });
    const paths = [
      `/api/v1/calls?direction=inbound&status=answered&from=${END - 7 * DAY}&to=${END}&limit=50`,
      `/api/v1/calls?extension=${EXTENSIONS[3]}&limit=50`,
      '/api/v1/calls?status=truly_missed&limit=100',
      `/api/v1/calls?q=${encodeURIComponent(customerNumber(17))}`,
      '/api/v1/calls?q=5550&limit=50',
      `/api/v1/stats?from=${END - 30 * DAY}&to=${END}&groupBy=queue&interval=1h`,
      '/api/v1/extensions',
      '/api/v1/queues',
    ];
    for (let round = 0; round < 5; round++) {
      for (const p of paths) await get(server.url + p);
      await (await fetch(`${server.url}/metrics`)).text();
    }
    global.gc?.();
    console.log(JSON.stringify({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed }));
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
