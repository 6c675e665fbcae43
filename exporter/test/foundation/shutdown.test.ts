import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp';


describe('SIGTERM during a write burst', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);

  it('leaves a database that passes integrity_check with every committed and every emitted row', async () => {
    const path = join(tmp.dir, 'burst.db');
    // tsx loaded into the one process (not the tsx CLI, which relays signals to a child and SIGKILLs it when the
    // child is slow to acknowledge, as on a loaded machine): the SIGTERM reaches the writer's own handler
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../fixtures/burst-writer.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let lastCommitted = 0;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no burst seen: ${out}`)), 20000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = [...out.matchAll(/committed (\d+)/g)].pop();
        if (m) lastCommitted = Number(m[1]);
        if (lastCommitted >= 2000) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const emitted = Number(/closed emitted=(\d+)/.exec(out)?.[1]);
    expect(emitted).toBeGreaterThanOrEqual(lastCommitted);

    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = new Set((db.prepare('SELECT id FROM calls').all() as { id: string }[]).map((r) => r.id));
    for (let i = 1; i <= emitted; i++) {
      if (!ids.has(`burst-${i}`)) throw new Error(`burst-${i} was emitted before SIGTERM but is missing`);
    }
    expect(ids.size).toBe(emitted);
    db.close();
  });
});
