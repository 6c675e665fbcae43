import { spawnSync } from 'child_process';
import path from 'path';

export const PLUGIN_DIR = path.resolve(__dirname, '..', '..');

/** Bundles harness/ with webpack in a child process (the filesystem cache makes repeat runs quick). */
export function buildHarness(): void {
  const webpackCli = require.resolve('webpack-cli/bin/cli.js', { paths: [PLUGIN_DIR] });
  const res = spawnSync(process.execPath, [webpackCli, '-c', './harness/webpack.config.ts'], {
    cwd: PLUGIN_DIR,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (res.status !== 0) {
    throw new Error(`harness bundle failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  }
}
