import type { Collector, CollectorDeps } from '../collector';
import { counter, gauge, type ScrapeFamily } from '../text-metrics';

/**
 * The database's size and the room left for it (a file stat, no query), and its write queue: rows waiting for the
 * next commit, and rows dropped because commits failed for so long that the queue reached store.maxQueuedRows.
 */
export function storeCollector({ store }: CollectorDeps): Collector {
  const size = gauge('switchboard_db_size_bytes', 'Size of the SQLite database on disk, WAL included');
  const free = gauge('switchboard_db_disk_free_bytes', 'Free space for unprivileged users on the database file system');
  const queued = gauge('switchboard_store_queued_rows', 'Rows waiting for the next database commit');
  const dropped = counter(
    'switchboard_store_dropped_rows_total',
    'Rows dropped because the write queue was full (database commits failing, e.g. a full disk)',
  );
  // an in-memory database has no file system to run out of
  const families: ScrapeFamily[] = store.inMemory ? [size, queued, dropped] : [size, free, queued, dropped];
  return {
    name: 'store',
    families,
    collect() {
      const bytes = store.sizeBytes();
      if (bytes !== undefined) size.add([], bytes);
      // the folder vanished: the series is left out rather than report 0 free bytes
      const room = store.inMemory ? undefined : store.diskFreeBytes();
      if (room !== undefined) free.add([], room);
      queued.add([], store.pending);
      dropped.add([], store.droppedRows);
    },
  };
}
