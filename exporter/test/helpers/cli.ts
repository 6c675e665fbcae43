import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '../../src/cli.ts');

export interface RunningExporter {
  child: ChildProcess;
  url: string;
  /** everything the process logged so far (pino JSON lines) */
  logs: () => string[];
  exit: Promise<number | null>;
}

/** Starts the real CLI (from source through tsx) with a YAML config and waits for its "server listening" line. */
export async function startExporter(configYaml: string, dir: string, timeoutMs = 30000): Promise<RunningExporter> {
  const config = join(dir, 'switchboard.yml');
  writeFileSync(config, configYaml);
  // tsx loaded into the one process, not the tsx CLI: that relays signals to a child and SIGKILLs it when the child
  // is slow to acknowledge (a loaded machine), which would turn a clean SIGTERM shutdown into exit 143
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SWITCHBOARD_LOG__LEVEL: 'info' },
  });
  const lines: string[] = [];
  let buf = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exporter did not start:\n${lines.join('\n')}\n${stderr}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        try {
          const j = JSON.parse(line) as { msg?: string; url?: string };
          if (j.msg === 'server listening' && j.url) {
            clearTimeout(timer);
            resolve(j.url);
          }
        } catch {
          // not JSON: keep it for the error message
        }
      }
    });
    void exit.then((code) => reject(new Error(`exporter exited with ${code}:\n${lines.join('\n')}\n${stderr}`)));
  });
  return { child, url, logs: () => [...lines], exit };
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
