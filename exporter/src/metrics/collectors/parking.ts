import type { Collector, CollectorDeps } from '../collector';
import { gauge } from '../text-metrics';

/**
 * Calls waiting in a parking space now, and how long the longest has waited, per PBX (0 for every known PBX, so an
 * alert on a forgotten parked call works from the start).
 */
export function parkingCollector({ live }: CollectorDeps): Collector {
  const parked = gauge('pbx_parked_calls', 'Calls parked now', ['pbx']);
  const longest = gauge(
    'pbx_parking_longest_wait_seconds',
    'How long the longest-parked call has waited; 0 with none parked',
    ['pbx'],
  );
  return {
    name: 'parking',
    families: [parked, longest],
    collect({ allPbxs, now }) {
      const byPbx = new Map(allPbxs.map((pbx) => [pbx, { n: 0, oldest: Infinity }]));
      for (const p of live.parking.values()) {
        byPbx.set(p.pbx, { n: p.calls.length, oldest: Math.min(Infinity, ...p.calls.map((c) => c.parkedAt)) });
      }
      for (const [pbx, { n, oldest }] of byPbx) {
        parked.add([pbx], n);
        longest.add([pbx], oldest === Infinity ? 0 : Math.max(0, now - oldest) / 1000);
      }
    },
  };
}
