import { DIRECTIONS } from '../../domain';
import type { Collector, CollectorDeps } from '../collector';
import { zeros } from '../labels';
import { gauge } from '../text-metrics';

/** Calls in progress by direction. Finished calls are counted as they end (event-counters.ts). */
export function callsCollector({ live }: CollectorDeps): Collector {
  const active = gauge('pbx_calls_active', 'Calls in progress', ['pbx', 'direction']);
  return {
    name: 'calls',
    families: [active],
    collect({ allPbxs }) {
      const byPbx = new Map(allPbxs.map((pbx) => [pbx, zeros(DIRECTIONS)]));
      for (const c of live.activeCalls.values()) byPbx.get(c.pbx)![c.direction] += 1;
      for (const [pbx, n] of byPbx) for (const [direction, v] of Object.entries(n)) active.add([pbx, direction], v);
    },
  };
}
