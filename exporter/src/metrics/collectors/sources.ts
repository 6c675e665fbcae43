import type { Collector, CollectorDeps } from '../collector';
import { counter, gauge } from '../text-metrics';

/** Each PBX connection: up, kind and version, reconnects, login failures, last event, PBX start time. */
export function sourcesCollector({ config, live, lastEventAt }: CollectorDeps): Collector {
  const up = gauge('pbx_up', 'Whether the PBX connection is up (1) or down (0)', ['pbx']);
  const info = gauge('pbx_source_info', 'PBX source kind and PBX version, always 1', ['pbx', 'kind', 'version']);
  // cumulative numbers a source keeps itself: counters, rebuilt from SourceStatus on every scrape
  const reconnects = counter('pbx_source_reconnects_total', 'Reconnections to the PBX since the exporter started', [
    'pbx',
  ]);
  const loginFailures = counter('pbx_source_login_failures_total', 'Rejected PBX logins since the exporter started', [
    'pbx',
  ]);
  const lastEvent = gauge(
    'pbx_source_last_event_timestamp_seconds',
    'When the last PBX event arrived (Unix time); 0 before the first',
    ['pbx'],
  );
  const started = gauge(
    'pbx_start_time_seconds',
    'When the PBX process started (Unix time); changes on a PBX restart',
    ['pbx'],
  );
  const configuredKind = new Map(config.sources.map((s) => [s.name, s.kind as string]));
  return {
    name: 'sources',
    families: [up, info, reconnects, loginFailures, lastEvent, started],
    collect({ pbxs }) {
      for (const pbx of pbxs) {
        const s = live.sources.get(pbx);
        up.add([pbx], s?.connected ? 1 : 0);
        info.add([pbx, s?.kind ?? configuredKind.get(pbx) ?? 'ami', s?.version ?? ''], 1);
        reconnects.add([pbx], Math.max(0, s?.reconnects ?? 0));
        loginFailures.add([pbx], Math.max(0, s?.loginFailures ?? 0));
        lastEvent.add([pbx], Math.max(lastEventAt.get(pbx) ?? 0, s?.lastEventAt ?? 0) / 1000);
        if (s?.pbxStartedAt !== undefined) started.add([pbx], s.pbxStartedAt / 1000);
      }
    },
  };
}
