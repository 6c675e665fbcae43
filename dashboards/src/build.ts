/**
 * Writes dashboards/*.json (file provisioning, the compose stack) and the app's copies in
 * grafana-plugin/src/dashboards/ from the typed sources here. Run after changing a dashboard:
 *   npx tsx dashboards/src/build.ts
 * The stack tests fail while a JSON file differs from its source.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_DIR, forApp } from './app';
import { DASHBOARDS, render } from './index';

const root = join(__dirname, '..', '..');
mkdirSync(join(root, APP_DIR), { recursive: true });
for (const [file, dashboard] of Object.entries(DASHBOARDS)) {
  writeFileSync(join(root, 'dashboards', file), render(dashboard));
  writeFileSync(join(root, APP_DIR, file), render(forApp(dashboard)));
  process.stdout.write(`dashboards/${file}, ${APP_DIR}/${file}\n`);
}
