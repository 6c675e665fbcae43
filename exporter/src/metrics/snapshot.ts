import { DIRECTIONS, EXTENSION_STATES, type QueueMember } from '../domain';
import type { LiveState } from '../live';

export const QUEUE_MEMBER_METRIC_STATES = ['available', 'ringing', 'in_call', 'paused', 'unavailable'] as const;
type MemberMetricState = (typeof QUEUE_MEMBER_METRIC_STATES)[number];

/**
 * One member counts once. Unreachable first (a paused, unregistered phone takes no calls either way), then paused
 * (a paused agent on a call is still not taking queue calls), then busy with a call, ringing, available.
 */
export function memberMetricState(m: QueueMember): MemberMetricState {
  if (m.state === 'unavailable' || m.state === 'unknown') return 'unavailable';
  if (m.paused) return 'paused';
  if (m.inCall || m.state === 'in_call' || m.state === 'on_hold' || m.state === 'busy') return 'in_call';
  if (m.state === 'ringing') return 'ringing';
  return 'available';
}

export interface QueueFigures {
  pbx: string;
  queue: string;
  callers: number;
  longestWaitSeconds: number;
  members: Record<MemberMetricState, number>;
}

export interface StateSnapshot {
  activeCalls: Map<string, Record<string, number>>;
  extensions: Map<string, Record<string, number>>;
  registered: Map<string, number>;
  voicemail: Map<string, { new: number; old: number }>;
  queues: QueueFigures[];
}

/** Everything the scrape-time gauges need, in one pass over LiveState (no database). */
export function takeSnapshot(live: LiveState, pbxs: string[], now: number): StateSnapshot {
  const zero = <K extends string>(keys: readonly K[]) =>
    Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  const snap: StateSnapshot = {
    activeCalls: new Map(),
    extensions: new Map(),
    registered: new Map(),
    voicemail: new Map(),
    queues: [],
  };
  const ensure = (pbx: string) => {
    if (snap.activeCalls.has(pbx)) return;
    snap.activeCalls.set(pbx, zero(DIRECTIONS));
    snap.extensions.set(pbx, zero(EXTENSION_STATES));
    snap.registered.set(pbx, 0);
    snap.voicemail.set(pbx, { new: 0, old: 0 });
  };
  pbxs.forEach(ensure);
  for (const c of live.activeCalls.values()) {
    ensure(c.pbx);
    snap.activeCalls.get(c.pbx)![c.direction] += 1;
  }
  for (const e of live.extensions.values()) {
    ensure(e.pbx);
    const states = snap.extensions.get(e.pbx)!;
    states[e.state] = (states[e.state] ?? 0) + 1;
    if (e.registered) snap.registered.set(e.pbx, snap.registered.get(e.pbx)! + 1);
    if (e.voicemail) {
      const vm = snap.voicemail.get(e.pbx)!;
      vm.new += e.voicemail.new;
      vm.old += e.voicemail.old;
    }
  }
  for (const q of live.queues.values()) {
    ensure(q.pbx);
    const members = zero(QUEUE_MEMBER_METRIC_STATES);
    for (const m of q.members) members[memberMetricState(m)] += 1;
    let oldest = Infinity;
    for (const c of q.callers) oldest = Math.min(oldest, c.joinedAt);
    snap.queues.push({
      pbx: q.pbx,
      queue: q.queue,
      callers: q.callers.length,
      longestWaitSeconds: oldest === Infinity ? 0 : Math.max(0, now - oldest) / 1000,
      members,
    });
  }
  return snap;
}
