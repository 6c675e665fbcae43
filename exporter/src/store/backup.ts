import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './store';

const BACKUP_RE = /^switchboard-\d{8}T\d{6}Z\.db$/;

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * An online backup through SQLite's backup API (consistent while writes go on), then keep only the newest `keep`
 * files.
 */
export async function backup(store: Store, dir: string, keep: number, at = new Date()): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `switchboard-${stamp(at)}.db`);
  await store.db.backup(file);
  const old = readdirSync(dir)
    .filter((f) => BACKUP_RE.test(f))
    .sort()
    .reverse()
    .slice(keep);
  for (const f of old) rmSync(join(dir, f), { force: true });
  return file;
}
