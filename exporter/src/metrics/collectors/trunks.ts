import type { Collector, CollectorDeps } from '../collector';
import { gauge } from '../text-metrics';

/** Each trunk: registration, calls in progress, qualify round trip (when the PBX measures one). */
export function trunksCollector({ live }: CollectorDeps): Collector {
  const labels = ['pbx', 'trunk'];
  const registered = gauge('pbx_trunk_registered', 'Whether the trunk is registered / reachable', labels);
  const active = gauge('pbx_trunk_calls_active', 'Calls in progress on the trunk', labels);
  const rtt = gauge('pbx_trunk_rtt_seconds', 'Round-trip time of the trunk contact (SIP OPTIONS qualify)', labels);
  return {
    name: 'trunks',
    families: [registered, active, rtt],
    collect() {
      for (const t of live.trunks.values()) {
        registered.add([t.pbx, t.trunk], t.registered ? 1 : 0);
        active.add([t.pbx, t.trunk], t.activeCalls);
        if (t.rttMs !== undefined) rtt.add([t.pbx, t.trunk], t.rttMs / 1000);
      }
    },
  };
}
