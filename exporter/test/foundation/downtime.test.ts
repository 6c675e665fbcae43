import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventually, startExporter, TWO_STARTS_TIMEOUT_MS, type RunningExporter } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/**
 * Every downtime of the exporter is a gap, however short, and each gap ends: the real CLI on a real SQLite file,
 * killed with SIGKILL or stopped with SIGTERM and started again at once. Its one source points at a port nobody
 * listens on, so it has an outage of its own going on throughout.
 */

interface GapRow {
  pbx: string | null;
  kind: string;
  reason: string;
  started_at: number;
  ended_at: number | null;
}

/** A loopback port that refuses connections: bound, then closed again. */
async function deadPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('exporter downtime', () => {
  const tmp = tempDir();
  const dbPath = join(tmp.dir, 'sb.db');
  let port: number;
  let ex: RunningExporter | undefined;

  const start = async (): Promise<RunningExporter> =>
    (ex = await startExporter(
      [
        'server: { host: 127.0.0.1, port: 0 }',
        `store: { path: ${JSON.stringify(dbPath)}, flushMs: 50, heartbeatSeconds: 1, backup: { enabled: false } }`,
        'demo: { enabled: false }',
        'sources:',
        `  - { name: office, kind: ami, host: 127.0.0.1, port: ${port}, username: u, secret: s }`,
      ].join('\n'),
      tmp.dir,
    ));

  const gaps = (): GapRow[] => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT pbx, kind, reason, started_at, ended_at FROM gaps ORDER BY id').all() as GapRow[];
    } finally {
      db.close();
    }
  };
  const heartbeat = (): number => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return Number((db.prepare("SELECT value FROM meta WHERE key = 'heartbeat'").get() as { value: string }).value);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    port = await deadPort();
  });
  afterAll(async () => {
    if (ex && ex.child.exitCode === null) {
      ex.child.kill('SIGKILL');
      await ex.exit;
    }
    tmp.cleanup();
  });

  it('a kill -9 and a restart within seconds leave one closed exporter gap from the last heartbeat', async () => {
    const first = await start();
    // the source's own outage is on record before the kill
    await eventually(async () => (gaps().some((g) => g.kind === 'source') ? true : undefined), 20000, 'the source gap');
    const before = heartbeat();
    const beat = await eventually(
      async () => (heartbeat() > before ? heartbeat() : undefined),
      10000,
      'a newer heartbeat',
    );
    first.child.kill('SIGKILL');
    await first.exit;
    const lastBeat = heartbeat();
    expect(lastBeat).toBeGreaterThanOrEqual(beat);

    const restartedAt = Date.now();
    const second = await start();
    const exporter = await eventually(async () => {
      const r = (await (await fetch(`${second.url}/api/v1/gaps`)).json()) as {
        items: { kind: string; reason: string; startedAt: string; endedAt: string | null }[];
      };
      return r.items.find((g) => g.kind === 'exporter');
    });
    expect(exporter.reason).toBe('exporter crashed or was killed');
    expect(Date.parse(exporter.startedAt)).toBe(lastBeat);
    expect(exporter.endedAt).not.toBeNull();
    expect(Date.parse(exporter.endedAt!) - restartedAt).toBeLessThan(30_000);
    // the dead run's source outage is closed where the exporter gap begins; the new run has an outage of its own
    const rows = gaps();
    const old = rows.find((g) => g.kind === 'source')!;
    expect(old.ended_at).toBe(lastBeat);
    expect(rows.filter((g) => g.kind === 'exporter')).toHaveLength(1);
  }, TWO_STARTS_TIMEOUT_MS);

  it('a clean stop opens no gap of its own, closes its source outage, and the restart records the stop as a gap', async () => {
    await eventually(
      async () => (gaps().filter((g) => g.ended_at === null).length === 1 ? true : undefined),
      20000,
      'the new run’s source gap',
    );
    const stopping = Date.now();
    ex!.child.kill('SIGTERM');
    expect(await ex!.exit).toBe(0);
    const afterStop = gaps();
    expect(afterStop.filter((g) => g.ended_at === null)).toEqual([]);
    expect(afterStop.some((g) => g.reason === 'stopped')).toBe(false);

    await start();
    const rows = await eventually(async () => {
      const r = gaps();
      const exporterGaps = r.filter((g) => g.kind === 'exporter').length;
      return exporterGaps === 2 && r.some((g) => g.ended_at === null) ? r : undefined;
    });
    const stopGap = rows.filter((g) => g.kind === 'exporter')[1];
    expect(stopGap.reason).toBe('exporter stopped');
    expect(stopGap.started_at).toBeGreaterThanOrEqual(stopping);
    expect(stopGap.ended_at).toBeGreaterThanOrEqual(stopGap.started_at);
    // every gap of the earlier runs is closed; only the current run's source outage is open
    const open = rows.filter((g) => g.ended_at === null);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ pbx: 'office', kind: 'source' });
    expect(open[0].started_at).toBeGreaterThanOrEqual(stopGap.ended_at!);
  });
});
