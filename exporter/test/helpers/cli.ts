import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Compiled by the jest global setup (build-once.ts) from the current sources. */
const CLI = join(__dirname, '../../dist/cli.js');

export interface CliRun {
  child: ChildProcess;
  /** stdout so far, split into lines (a terminal's \r\n read as \n) */
  lines: () => string[];
  stderr: () => string;
  exit: Promise<number | null>;
  /** resolves with the first line `match` accepts; rejects when the process exits or the time runs out */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The real CLI as `npm start` runs it: the compiled dist/cli.js in a plain node process. Not tsx: compiling every
 * source file at each start took 5-15 s on the shared 2-core machine, and a test that starts the exporter twice ran
 * out of its 30 s; nor the tsx CLI, which relays signals to a child and SIGKILLs it when slow to acknowledge.
 * `tty`: stdout is a terminal (util-linux `script` gives the exporter a pseudo-terminal), as for a user at a shell.
 */
export function runCli(args: string[], env: Record<string, string> = {}, opts: { tty?: boolean } = {}): CliRun {
  const argv = [process.execPath, CLI, ...args];
  const child = opts.tty
    ? spawn('script', ['-qfec', argv.map(quote).join(' '), '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
    : spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString().replace(/\r\n/g, '\n');
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': stdout has been read to its end by then
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const lines = (): string[] => out.split('\n').slice(0, -1);
  let exited = false;
  void exit.then(() => {
    exited = true;
    for (const w of waiters) w();
  });
  const waitForLine = (match: (line: string) => boolean, what: string, timeoutMs = 30000): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`no ${what} within ${timeoutMs} ms:\n${out}\n${stderr}`)), timeoutMs);
      const settle = (result: string | Error): void => {
        clearTimeout(timer);
        waiters.delete(check);
        if (result instanceof Error) reject(result);
        else resolve(result);
      };
      const check = (): void => {
        const hit = lines().find(match);
        if (hit !== undefined) settle(hit);
        else if (exited) settle(new Error(`exporter exited with ${child.exitCode} before ${what}:\n${out}\n${stderr}`));
      };
      waiters.add(check);
      check();
    });
  return { child, lines, stderr: () => stderr, exit, waitForLine };
}

export interface RunningExporter {
  child: ChildProcess;
  url: string;
  /** everything the process logged so far (pino JSON lines) */
  logs: () => string[];
  exit: Promise<number | null>;
}

/**
 * Jest timeout for a test that starts the real exporter twice (a crash and a restart): each start is a node process
 * loading fastify, SQLite and the sources, about 1 s alone and up to ~10 s on the shared 2-core machine under a full
 * test run; the default 30 s left too little for two of them and the waits between.
 */
export const TWO_STARTS_TIMEOUT_MS = 60000;

/** Starts the real CLI with a YAML config and waits for its "server listening" line. */
export async function startExporter(configYaml: string, dir: string, timeoutMs = 30000): Promise<RunningExporter> {
  const config = join(dir, 'switchboard.yml');
  writeFileSync(config, configYaml);
  const run = runCli(['--config', config], { SWITCHBOARD_LOG__LEVEL: 'info' });
  const listening = await run.waitForLine((l) => l.includes('"msg":"server listening"'), '"server listening" line', timeoutMs);
  const url = (JSON.parse(listening) as { url: string }).url;
  return { child: run.child, url, logs: run.lines, exit: run.exit };
}

/** Polls `check` every `intervalMs` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20000,
  what = 'condition',
  intervalMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
