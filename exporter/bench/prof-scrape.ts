import { loadLive } from './lib/live-load';
import { startServer } from './lib/server';
(async () => {
  const s = await startServer('/tmp/switchboard-bench/calls-v2-100000.db');
  loadLive(s.hub, { extensions: 5000, queues: 200 });
  for (let i = 0; i < 5; i++) await s.metrics.registry.metrics();
  const t = performance.now();
  for (let i = 0; i < 50; i++) await s.metrics.registry.metrics();
  console.log('in-process registry.metrics()', ((performance.now() - t) / 50).toFixed(1), 'ms');
  const t2 = performance.now();
  for (let i = 0; i < 50; i++) await (await fetch(s.url + '/metrics')).text();
  console.log('http', ((performance.now() - t2) / 50).toFixed(1), 'ms');
  await s.close();
})();
