import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, type ClientConfig } from 'pg';

const run = promisify(execFile);

/** A PostgreSQL cluster of its own for one test file: started on a free loopback port, removed by `stop()`. */
export interface PgCluster {
  host: string;
  port: number;
  /** superuser connection settings (trust authentication on loopback) */
  admin: ClientConfig;
  /** run SQL as the superuser */
  sql(text: string, params?: unknown[]): Promise<void>;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
  throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install -y postgresql');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so as root the server binaries run as the `postgres` system user (Debian's
 * package creates it) through runuser; as anyone else they run as that user.
 */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [bin, args];
  return ['runuser', ['-u', 'postgres', '--', bin, ...args]];
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = (tool: string, args: string[], timeout = 60_000): Promise<unknown> => {
    const [cmd, argv] = asServerUser(join(bin, tool), args);
    return run(cmd, argv, { timeout, cwd: dir });
  };
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let port = 0;
  let lastError: unknown;
  // the port is free when we look and could be taken before the server binds it: try a few
  for (let attempt = 0; attempt < 5 && !port; attempt++) {
    const candidate = await freePort();
    const options = `-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      await exec('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', options, 'start'], 90_000);
      port = candidate;
    } catch (err) {
      lastError = err;
    }
  }
  if (!port) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(lastError as Error)?.message}\n${tail}`);
  }
  const admin: ClientConfig = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
  return {
    host: '127.0.0.1',
    port,
    admin,
    async sql(text, params = []) {
      const c = new Client(admin);
      await c.connect();
      try {
        await c.query(text, params);
      } finally {
        await c.end();
      }
    },
    async stop() {
      try {
        await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
