import type { Collector, CollectorDeps } from '../collector';
import { counter, gauge } from '../text-metrics';

const RESULTS = ['delivered', 'failed', 'rejected'] as const;
const DROPS = ['full', 'expired', 'rejected'] as const;

/**
 * The webhook sinks (`sinks:`): deliveries by result, deliveries dropped by reason, what waits in each outbox and
 * for how long. Cumulative numbers the sinks keep in memory, rebuilt as counters on every scrape (no query).
 */
export function sinksCollector({ sinks }: CollectorDeps): Collector {
  const attempts = counter(
    'switchboard_sink_deliveries_total',
    'Delivery attempts by result: delivered (2xx), failed (retried later), rejected (400/413/415/422, dropped)',
    ['sink', 'result'],
  );
  const dropped = counter(
    'switchboard_sink_dropped_total',
    'Deliveries given up: outbox full (oldest dropped), expired (maxAgeHours), rejected by the receiver',
    ['sink', 'reason'],
  );
  const seconds = counter('switchboard_sink_request_duration_seconds_total', 'Time spent in delivery requests', [
    'sink',
  ]);
  const pending = gauge('switchboard_sink_pending', 'Deliveries waiting in the outbox', ['sink']);
  const age = gauge('switchboard_sink_oldest_pending_age_seconds', 'Age of the oldest delivery waiting; 0 when none', [
    'sink',
  ]);
  const success = gauge(
    'switchboard_sink_last_success_timestamp_seconds',
    'When the receiver last took a delivery (Unix time); 0 before the first',
    ['sink'],
  );
  return {
    name: 'sinks',
    families: [attempts, dropped, seconds, pending, age, success],
    collect({ now }) {
      for (const s of sinks?.state() ?? []) {
        for (const r of RESULTS) attempts.add([s.sink, r], s.attempts[r]);
        for (const r of DROPS) dropped.add([s.sink, r], s.dropped[r]);
        seconds.add([s.sink], s.requestSeconds);
        pending.add([s.sink], s.pending);
        age.add([s.sink], s.oldestAt === undefined ? 0 : Math.max(0, now - s.oldestAt) / 1000);
        success.add([s.sink], (s.lastSuccessAt ?? 0) / 1000);
      }
    },
  };
}
