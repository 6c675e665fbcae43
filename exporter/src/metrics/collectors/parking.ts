import type { Collector, CollectorDeps } from '../collector';
import { gauge } from '../text-metrics';

/** Calls waiting in a parking space now, per PBX (0 for every known PBX, so an alert can use it from the start). */
export function parkingCollector({ live }: CollectorDeps): Collector {
  const parked = gauge('pbx_parked_calls', 'Calls parked now', ['pbx']);
  return {
    name: 'parking',
    families: [parked],
    collect({ allPbxs }) {
      const byPbx = new Map(allPbxs.map((pbx) => [pbx, 0]));
      for (const p of live.parking.values()) byPbx.set(p.pbx, p.calls.length);
      for (const [pbx, n] of byPbx) parked.add([pbx], n);
    },
  };
}
