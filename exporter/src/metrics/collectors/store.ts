import type { Collector, CollectorDeps } from '../collector';
import { gauge, type ScrapeFamily } from '../text-metrics';

/** The database's size and the room left for it, as the store reports them (a file stat, no query). */
export function storeCollector({ store }: CollectorDeps): Collector {
  const size = gauge('switchboard_db_size_bytes', 'Size of the SQLite database on disk, WAL included');
  const free = gauge('switchboard_db_disk_free_bytes', 'Free space for unprivileged users on the database file system');
  // an in-memory database has no file system to run out of
  const families: ScrapeFamily[] = store.inMemory ? [size] : [size, free];
  return {
    name: 'store',
    families,
    collect() {
      const bytes = store.sizeBytes();
      if (bytes !== undefined) size.add([], bytes);
      // the folder vanished: the series is left out rather than report 0 free bytes
      const room = store.inMemory ? undefined : store.diskFreeBytes();
      if (room !== undefined) free.add([], room);
    },
  };
}
