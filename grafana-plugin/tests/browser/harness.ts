import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';

export const PLUGIN_DIR = path.resolve(__dirname, '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function webpack(args: string[], what: string) {
  const webpackCli = require.resolve('webpack-cli/bin/cli.js', { paths: [PLUGIN_DIR] });
  const res = spawnSync(process.execPath, [webpackCli, ...args], {
    cwd: PLUGIN_DIR,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (res.status !== 0) {
    throw new Error(`${what} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
}

/**
 * The harness page loads the built plugin (dist/), as Grafana does: build it when it is missing or older than its
 * sources, so a test never passes on yesterday's build. Then bundle harness/ (the filesystem cache makes repeat runs
 * quick).
 */
export function buildHarness(): void {
  const module = path.join(PLUGIN_DIR, 'dist', 'panels', 'extension-wall', 'module.js');
  if (!fs.existsSync(module) || fs.statSync(module).mtimeMs < newestMtime(path.join(PLUGIN_DIR, 'src'))) {
    webpack(['-c', './webpack.config.ts', '--env', 'production'], 'plugin build');
  }
  webpack(['-c', './harness/webpack.config.ts'], 'harness bundle');
}
