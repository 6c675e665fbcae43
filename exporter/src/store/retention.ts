import type { Store } from './store';

export interface RetentionResult {
  calls: number;
  history: number;
  gaps: number;
}

const BATCH = 5000;

/**
 * Deletes finished calls that started before `cutoff`, extension and user-status history and closed gaps older than
 * it, in batches so a large purge never holds the write lock for long. Open calls and each extension's current user
 * status are never deleted.
 */
export function applyRetention(store: Store, cutoff: number): RetentionResult {
  const db = store.db;
  const pickCalls = db.prepare('SELECT rowid FROM calls WHERE started_at < ? AND open = 0 LIMIT ?');
  const delFts = db.prepare('DELETE FROM calls_fts WHERE rowid = ?');
  const delCall = db.prepare('DELETE FROM calls WHERE rowid = ?');
  const delHistory = db.prepare(
    'DELETE FROM extension_history WHERE id IN (SELECT id FROM extension_history WHERE at < ? LIMIT ?)',
  );
  const delGaps = db.prepare('DELETE FROM gaps WHERE ended_at IS NOT NULL AND ended_at < ?');
  const result: RetentionResult = { calls: 0, history: 0, gaps: 0 };
  for (;;) {
    const n = db.transaction(() => {
      const rows = pickCalls.all(cutoff, BATCH) as { rowid: number }[];
      for (const { rowid } of rows) {
        delFts.run(rowid);
        delCall.run(rowid); // legs go with it (ON DELETE CASCADE)
      }
      return rows.length;
    })();
    result.calls += n;
    if (n < BATCH) break;
  }
  for (;;) {
    const n = delHistory.run(cutoff, BATCH).changes;
    result.history += n;
    if (n < BATCH) break;
  }
  result.gaps = delGaps.run(cutoff).changes;
  result.history += store.userStatuses.prune(cutoff);
  return result;
}
