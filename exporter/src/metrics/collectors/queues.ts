import { MEMBER_AVAILABILITIES, memberAvailability } from '../../domain/member-availability';
import type { Collector, CollectorDeps } from '../collector';
import { zeros } from '../labels';
import { gauge } from '../text-metrics';

/** Queues now: callers waiting, the longest wait, members by availability. Outcomes are counted as they happen. */
export function queuesCollector({ live, queueSeen }: CollectorDeps): Collector {
  const callers = gauge('pbx_queue_callers', 'Callers waiting in the queue', ['pbx', 'queue']);
  const longestWait = gauge(
    'pbx_queue_longest_wait_seconds',
    'How long the longest-waiting caller has waited; 0 with no callers',
    ['pbx', 'queue'],
  );
  const members = gauge('pbx_queue_members', 'Queue members by state; each member counted once', [
    'pbx',
    'queue',
    'state',
  ]);
  return {
    name: 'queues',
    families: [callers, longestWait, members],
    collect({ now }) {
      for (const q of live.queues.values()) {
        queueSeen(q.pbx, q.queue);
        callers.add([q.pbx, q.queue], q.callers.length);
        let oldest = Infinity;
        for (const c of q.callers) oldest = Math.min(oldest, c.joinedAt);
        longestWait.add([q.pbx, q.queue], oldest === Infinity ? 0 : Math.max(0, now - oldest) / 1000);
        const count = zeros(MEMBER_AVAILABILITIES);
        for (const m of q.members) count[memberAvailability(m)] += 1;
        for (const state of MEMBER_AVAILABILITIES) members.add([q.pbx, q.queue, state], count[state]);
      }
    },
  };
}
