import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventually, startExporter, type RunningExporter } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

/** The real CLI on the demo PBX: what `npm start` does, on a free port and a temporary database. */
describe('exporter with the demo PBX', () => {
  const tmp = tempDir();
  const dbPath = join(tmp.dir, 'sb.db');
  let ex: RunningExporter;

  beforeAll(async () => {
    ex = await startExporter(
      [
        'server: { host: 127.0.0.1, port: 0 }',
        `store: { path: ${JSON.stringify(dbPath)}, flushMs: 50, backup: { enabled: false } }`,
        'demo: { speed: 20 }',
      ].join('\n'),
      tmp.dir,
    );
  });
  afterAll(async () => {
    if (ex && ex.child.exitCode === null) {
      ex.child.kill('SIGKILL');
      await ex.exit;
    }
    tmp.cleanup();
  });

  it('serves /healthz at once', async () => {
    const r = await fetch(`${ex.url}/healthz`);
    expect(r.status).toBe(200);
  });

  it('becomes ready once the demo PBX is connected', async () => {
    const body = await eventually(async () => {
      const r = await fetch(`${ex.url}/readyz`);
      return r.status === 200 ? ((await r.json()) as unknown) : undefined;
    }, 20000, '/readyz 200');
    expect(body).toMatchObject({ reasons: [] });
  });

  it('serves Prometheus metrics with build info and the demo source up', async () => {
    const text = await eventually(async () => {
      const t = await (await fetch(`${ex.url}/metrics`)).text();
      return /^pbx_up\{pbx="demo"\} 1$/m.test(t) ? t : undefined;
    }, 20000, 'pbx_up 1');
    expect(text).toMatch(/^switchboard_build_info\{version="[^"]+",node="v\d+[^"]*"\} 1$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('logs and stores finished calls from the demo PBX within seconds', async () => {
    await eventually(async () => (ex.logs().some((l) => l.includes('"msg":"call ended"')) ? true : undefined), 30000, 'a call ended log line');
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const n = await eventually(async () => {
      const r = db.prepare('SELECT count(*) AS n FROM calls WHERE open = 0').get() as { n: number };
      return r.n > 0 ? r.n : undefined;
    }, 10000, 'a finished call in the store');
    db.close();
    expect(n).toBeGreaterThan(0);
  });

  it('stops on SIGTERM with exit 0 and leaves a sound database', async () => {
    ex.child.kill('SIGTERM');
    expect(await ex.exit).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'clean_shutdown'").get() as { value: string };
    expect(meta.value).toBe('1');
    db.close();
  });
});
