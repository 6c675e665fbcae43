import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Jest's global setup: the tests that spawn the exporter run the compiled CLI (test/helpers/cli.ts), so bring dist/ up
 * to date with the sources once, before any worker starts — a no-op after `npm run build`, a full compile after an
 * edit. Once here, not per test file: two workers compiling into the same dist/ at once could run half-written files.
 */
export default function buildOnce(): void {
  const r = spawnSync(process.execPath, [join(__dirname, '../../scripts/build.mjs'), '--if-changed'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // tsc writes dist/ even when it finds type errors: those are typecheck's to report, the CLI tests still run what the
  // sources say. A build that wrote nothing shows up as the CLI tests' own clear failure (no dist/cli.js).
  if (r.status !== 0) process.stderr.write(`switchboard tests: the exporter build exited with ${r.status}; CLI tests run what it wrote\n`);
}
