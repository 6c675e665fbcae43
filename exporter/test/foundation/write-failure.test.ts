import { join } from 'node:path';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { Store } from '../../src/store/store';
import { testConfig } from '../http/harness';
import { makeCall } from '../helpers/calls';
import { tempDir } from '../helpers/tmp';

/**
 * Commits that fail — a full disk, simulated with SQLite's own limit on the database's pages (SQLITE_FULL, the error
 * a full file system gives) — are said out loud and survived: /readyz turns degraded with the reason, the queue stays
 * bounded and counts what it drops, writes resume by themselves once there is room, and a shutdown that cannot
 * write says how many rows it lost.
 */

/** No room for one more page from now on (undo with `room`). */
function fill(store: Store): void {
  const pages = store.db.pragma('page_count', { simple: true }) as number;
  store.db.pragma(`max_page_count = ${pages}`);
}
const room = (store: Store): void => void store.db.pragma('max_page_count = 1073741823');

const calls = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    makeCall({ id: `c-${from + i}`, from: { number: `+4930${1000000 + from + i}`, name: 'x'.repeat(200) } }),
  );

describe('store write failures', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);

  it('keeps failing rows queued up to the bound, counts what it drops, and clears the failure on the next commit', () => {
    let now = 1_000_000;
    const store = new Store({ path: join(tmp.dir, 'unit.db'), maxQueuedRows: 100, now: () => now });
    fill(store);
    for (const c of calls(150)) {
      store.saveCall(c);
      store.saveCheckpoint(c.id, () => '{}');
    }
    expect(store.pending).toBe(100);
    expect(store.droppedRows).toBe(50);
    // a checkpoint goes with its call's row: none held for the 50 calls dropped
    expect(store['pendingCheckpoints'].size).toBe(100);
    expect(() => store.flush()).toThrow(/full/);
    now += 1000;
    expect(() => store.flush()).toThrow(/full/);
    expect(store.writeFailure).toEqual({ since: 1_000_000, reason: 'database or disk is full', failures: 2 });
    // a newer state of a queued row still gets in: it replaces its older one
    store.saveCall({ ...calls(1)[0], status: 'missed' });
    expect(store.droppedRows).toBe(50);
    room(store);
    store.flush();
    expect(store.writeFailure).toBeUndefined();
    expect(store.pending).toBe(0);
    expect(store.getCall('c-0')).toMatchObject({ status: 'missed' });
    expect(store.getCall('c-120')).toBeUndefined();
    expect(store.close()).toBe(0);
  });

  it('a close that cannot write returns the rows it lost, and closes anyway', () => {
    const store = new Store({ path: join(tmp.dir, 'close.db') });
    fill(store);
    for (const c of calls(80)) store.saveCall(c);
    expect(store.close()).toBe(80);
    expect(store.isOpen).toBe(false);
  });
});

describe('the running exporter on a full disk', () => {
  const tmp = tempDir();
  let app: App;
  const lines: { level: number; msg: string; rows?: number }[] = [];
  beforeAll(async () => {
    const config = testConfig({
      server: { port: 0 },
      store: {
        path: join(tmp.dir, 'sb.db'),
        flushMs: 50,
        heartbeatSeconds: 1,
        maxQueuedRows: 200,
        backup: { enabled: false },
      },
    });
    app = await startApp(config, pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) }));
  });
  afterAll(async () => {
    await app.stop();
    tmp.cleanup();
  });

  const readyz = async () => {
    const r = await fetch(`${app.url}/readyz`);
    return { status: r.status, body: (await r.json()) as { reasons: { component: string; reason: string }[] } };
  };
  const metric = async (name: string) => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };
  const until = async <T>(fn: () => Promise<T | undefined>, ms: number, what: string): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('turns /readyz degraded with the reason within 5 s of the first failed commit, and ready again by itself', async () => {
    expect((await readyz()).status).toBe(200);
    let firstFailure: number | undefined;
    app.store.once('writeError', () => (firstFailure = Date.now()));
    fill(app.store);
    for (const c of calls(300)) app.hub.emit('callEnded', c);

    const degraded = await until(
      async () => {
        const r = await readyz();
        return r.status === 503 ? r : undefined;
      },
      10_000,
      '/readyz 503',
    );
    expect(firstFailure).toBeDefined();
    expect(Date.now() - firstFailure!).toBeLessThan(5000);
    const store = degraded.body.reasons.find((r) => r.component === 'store');
    expect(store?.reason).toMatch(
      /^database writes failing since \S+Z \(\d+×\): database or disk is full; 200 rows queued, 100 dropped$/,
    );
    expect(await metric('switchboard_store_dropped_rows_total')).toBe(100);
    expect(await metric('switchboard_store_queued_rows')).toBe(200);
    expect(await metric('switchboard_db_write_errors_total')).toBeGreaterThan(0);

    room(app.store); // space again
    await until(async () => ((await readyz()).status === 200 ? true : undefined), 10_000, '/readyz 200 again');
    expect(await metric('switchboard_store_queued_rows')).toBe(0);
    expect(app.store.getCall('c-0')).toMatchObject({ open: false });
    expect(app.store.getCall('c-299')).toBeUndefined();
  });

  it('a shutdown that cannot write retries, then says how many rows it lost, and still stops', async () => {
    fill(app.store);
    for (const c of calls(150, 1000)) app.hub.emit('callEnded', c);
    const started = Date.now();
    await app.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    const lost = lines.find((l) => l.level === 50 && /queued rows were lost/.test(l.msg));
    expect(lost).toMatchObject({ rows: 150, msg: 'database writes failed at shutdown; 150 queued rows were lost' });
    expect(app.store.isOpen).toBe(false);
  });
});
