import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '../../src/cli.ts');

/** The real exporter, a process of its own (tsx loaded into it, so a signal reaches the exporter, not a wrapper). */
export interface Exporter {
  child: ChildProcess;
  pid: number;
  url: string;
  logs: () => string[];
  exit: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed) */
  stop(graceMs?: number): Promise<number | null>;
  kill9(): Promise<void>;
}

export async function startExporter(yaml: string, dir: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Exporter> {
  const config = join(dir, 'switchboard.yml');
  writeFileSync(config, yaml);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SWITCHBOARD_LOG__LEVEL: 'info', SWITCHBOARD_LOG__FORMAT: 'json', ...env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    // keep the head (start-up) and the last 256 KiB: a long run must not hold every log line
    out += d.toString();
    if (out.length > 512 * 1024) out = out.slice(0, 64 * 1024) + out.slice(-256 * 1024);
  });
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-64 * 1024);
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let exited = false;
  void exit.then(() => (exited = true));
  const logs = (): string[] => out.split('\n').filter(Boolean);
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!url) {
    const line = logs().find((l) => l.includes('"msg":"server listening"'));
    if (line) url = (JSON.parse(line) as { url: string }).url;
    else if (exited) throw new Error(`exporter exited with ${child.exitCode} before listening:\n${out.slice(-2000)}\n${err.slice(-2000)}`);
    else if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`exporter not listening within ${timeoutMs} ms`);
    } else await sleep(50);
  }
  const stop = async (graceMs = 15_000): Promise<number | null> => {
    if (exited) return child.exitCode;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exit;
    clearTimeout(t);
    return code;
  };
  const kill9 = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGKILL');
    await exit;
  };
  return { child, pid: child.pid!, url, logs, exit, stop, kill9 };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something other than undefined; undefined when the time runs out. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}

/** GET with a deadline; resolves with the status, or 0 when no answer came in time. */
export async function statusOf(url: string, timeoutMs = 5000): Promise<number> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 0;
  }
}

/** One sample of a Prometheus text exposition, or undefined. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

/** The YAML of an exporter with one database and the given extra lines. */
export function exporterYaml(dbPath: string, extra: string[] = []): string {
  return ['server: { host: 127.0.0.1, port: 0 }', `store: { path: ${JSON.stringify(dbPath)}, flushMs: 50, backup: { enabled: false } }`, ...extra].join('\n');
}
