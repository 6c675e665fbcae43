import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import readline from 'readline';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const EXPORTER_CLI = path.join(REPO, 'exporter', 'dist', 'cli.js');

export interface RunningExporter {
  url: string;
  /** A read token, as Grafana's data source has. */
  token: string;
  /** A token with the `control` scope only, as the app's call-control settings have. */
  controlToken: string;
  logs: string[];
  /** Sends a signal to the exporter (SIGUSR2 takes its demo PBX offline and back). */
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/**
 * Starts the real exporter (`node exporter/dist/cli.js --config …`) on a free loopback port with the built-in
 * demo PBX (at `speed` times real time), a read token and a control token, and resolves once it logs
 * `server listening` with its URL.
 */
export async function startExporter(timeoutMs = 60_000, opts: { speed?: number } = {}): Promise<RunningExporter> {
  // A developer's own running exporter (on the demo PBX) instead of a fresh one.
  if (process.env.SB_EXPORTER_URL) {
    return {
      url: process.env.SB_EXPORTER_URL,
      token: process.env.SB_EXPORTER_TOKEN ?? '',
      controlToken: process.env.SB_EXPORTER_CONTROL_TOKEN ?? '',
      logs: [],
      signal: (signal) => {
        if (!process.env.SB_EXPORTER_PID) {
          throw new Error('set SB_EXPORTER_PID too: the stale test takes the demo PBX offline with SIGUSR2');
        }
        process.kill(Number(process.env.SB_EXPORTER_PID), signal);
      },
      stop: async () => undefined,
    };
  }
  if (!fs.existsSync(EXPORTER_CLI)) {
    throw new Error(`${EXPORTER_CLI} is missing: run \`npm run build -w exporter\` from the repository root first`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-wall-'));
  const token = 'a-long-test-token-1234567890';
  const controlToken = 'a-long-control-token-0987654321';
  const config = path.join(dir, 'switchboard.yaml');
  fs.writeFileSync(
    config,
    [
      'server: { host: 127.0.0.1, port: 0 }',
      `store: { path: ${JSON.stringify(path.join(dir, 'sb.db'))}, backup: { enabled: false } }`,
      'log: { level: info }',
      `demo: { enabled: true, speed: ${opts.speed ?? 5} }`,
      'auth:',
      '  tokens:',
      `    - { name: grafana, token: "${token}" }`,
      `    - { name: grafana-control, token: "${controlToken}", scopes: [control] }`,
      '',
    ].join('\n')
  );
  const child: ChildProcess = spawn(process.execPath, [EXPORTER_CLI, '--config', config], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        fs.rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGTERM');
    });
  child.stderr!.on('data', (d) => logs.push(String(d)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`exporter did not log "server listening" in ${timeoutMs} ms:\n${logs.join('')}`)),
      timeoutMs
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exporter exited with ${code} before listening:\n${logs.join('')}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      try {
        const msg = JSON.parse(line);
        if (msg.msg === 'server listening' && typeof msg.url === 'string') {
          clearTimeout(timer);
          resolve(msg.url);
        }
      } catch {
        // not a JSON log line
      }
    });
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  return { url, token, controlToken, logs, stop, signal: (signal) => child.kill(signal) };
}
