/**
 * `npm run harness -- <exporter URL> <token>`: the harness page against your running exporter, to look at the
 * panel in a browser without Grafana. Options go in the page's query string (`?theme=light&mode=callboard`).
 */
import { buildHarness } from '../tests/browser/harness';
import { startHarnessServer } from './server';

async function main() {
  const [exporterUrl = 'http://127.0.0.1:10027', token = process.env.SWITCHBOARD_TOKEN ?? ''] = process.argv.slice(2);
  buildHarness();
  const server = await startHarnessServer({ exporterUrl, token });
  console.log(`harness on ${server.url}/?theme=dark  (exporter ${exporterUrl}); Ctrl-C to stop`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
