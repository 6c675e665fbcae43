import { join } from 'node:path';
import { DayPbx, handled, settled, stillOpen, type StoredCall } from './day';
import { exporterYaml, startExporter } from './exporter';
import { amiSource } from './pbx';

const cache = new Map<string[], Map<string, StoredCall>>();

/** The calls of an uninterrupted run of the same stream: what every interrupted run is compared with. */
export async function reference(frames: string[], dir: string): Promise<Map<string, StoredCall>> {
  const hit = cache.get(frames);
  if (hit) return hit;
  const pbx = await DayPbx.start(frames);
  const db = join(dir, 'reference.db');
  const ex = await startExporter(exporterYaml(db, ['sources:', amiSource('day', pbx.port)]), dir);
  try {
    await pbx.paused();
    if (!(await handled(ex.url, 'day', frames.length))) throw new Error('the reference run did not handle the whole day');
    const calls = await settled(db);
    const open = stillOpen(calls);
    if (open.length) throw new Error(`the uninterrupted run left ${open.length} calls open (e.g. ${open[0].id}): no reference to compare with`);
    cache.set(frames, calls);
    return calls;
  } finally {
    await ex.stop();
    await pbx.close();
  }
}
