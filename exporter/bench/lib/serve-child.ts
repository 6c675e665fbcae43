/**
 * Run in its own process by bench/export.ts: serves a store file on a loopback port and prints the URL, then waits
 * to be killed. Its own process so the parent can read the server's resident memory and nothing else.
 */
import { startServer } from './server';

startServer(process.argv[2])
  .then((s) => {
    global.gc?.();
    console.log(JSON.stringify({ url: s.url }));
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
