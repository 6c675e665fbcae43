import type { Collector, CollectorDeps } from '../collector';
import { gauge } from '../text-metrics';

/**
 * Whether each PBX's live picture (extensions, queues, trunks, conference rooms, parked calls) is current: stale from the moment its source lost the
 * connection until the resync made it whole again. A history-only source has no live picture and no series here.
 */
export function freshnessCollector({ live }: CollectorDeps): Collector {
  const stale = gauge(
    'pbx_live_state_stale',
    'Whether the PBX live state is stale (1: source down or not yet resynced, last known values) or current (0)',
    ['pbx'],
  );
  const since = gauge(
    'pbx_live_state_stale_since_timestamp_seconds',
    'Since when the PBX live state is stale (Unix time); 0 while it is current',
    ['pbx'],
  );
  return {
    name: 'freshness',
    families: [stale, since],
    collect({ pbxs }) {
      for (const pbx of pbxs) {
        const s = live.sources.get(pbx);
        if (s && !s.live) continue;
        // nothing heard yet is no current picture either
        stale.add([pbx], !s || !s.connected || s.staleSince !== undefined ? 1 : 0);
        since.add([pbx], (s?.staleSince ?? 0) / 1000);
      }
    },
  };
}
