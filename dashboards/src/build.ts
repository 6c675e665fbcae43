/**
 * Writes dashboards/*.json from the typed sources here. Run after changing a dashboard:
 *   npx tsx dashboards/src/build.ts
 * The stack tests fail while a JSON file differs from its source.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARDS, render } from './index';

for (const [file, dashboard] of Object.entries(DASHBOARDS)) {
  writeFileSync(join(__dirname, '..', file), render(dashboard));
  process.stdout.write(`dashboards/${file}\n`);
}
