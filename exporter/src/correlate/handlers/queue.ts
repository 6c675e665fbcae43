import type { AgentEvent, QueueJoined, QueueLeft } from '../../domain/leg-events';
import type { Ledger } from '../ledger';
import type { CallTracker, LegState } from '../tracker';

export function queueJoined(t: CallTracker, ev: QueueJoined): void {
  t.offered = true;
  if (!t.queue) t.queue = { name: ev.queue, joinedAt: ev.at };
}

/** The caller left the queue: answered, abandoned or timed out — published as a queue result at once. */
export function queueLeft(l: Ledger, t: CallTracker, leg: LegState, ev: QueueLeft): void {
  const q = t.queue;
  if (!q || q.name !== ev.queue) return;
  if (ev.abandoned) {
    q.abandoned = true;
    return; // the Leave that follows is the exit
  }
  if (q.leftAt !== undefined) return;
  q.leftAt = ev.at;
  // a member's DialEnd ANSWER arrives before the caller leaves the queue; AgentConnect only after
  const answered = [...t.legs.values()].some((x) => x.dial?.by === leg.id && x.dial.outcome === 'answer' && x.dial.at >= q.joinedAt);
  q.answered = answered;
  l.out.queueCall({
    pbx: l.pbx,
    queue: q.name,
    outcome: q.abandoned ? 'abandoned' : answered ? 'answered' : 'timeout',
    waitMs: Math.max(0, ev.at - q.joinedAt),
    at: ev.at,
  });
}

/** A queue rang a member (or the member answered): the member is one of the call's rung members. */
export function agentEvent(l: Ledger, t: CallTracker, ev: AgentEvent): void {
  t.offered = true;
  if (!t.queue) t.queue = { name: ev.queue, joinedAt: ev.at };
  t.members.set(ev.member.interface, ev.member);
  const target = l.legs.get(ev.target);
  if (target) target.member = ev.member;
}
