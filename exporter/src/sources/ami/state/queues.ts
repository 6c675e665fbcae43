import type { Party, QueueMember, QueueMemberStateName, QueueState } from '../../../domain';
import { extensionOfInterface, known } from '../classify';
import type { AmiEventBase } from '../messages';
import { ignoreRefused, MAX_NAMES, roomFor, type Refused } from './caps';

/** app_queue member Status codes. 7 (ringing while in use) is still a member in a call. */
const MEMBER_STATES: Record<string, QueueMemberStateName> = {
  '0': 'unknown',
  '1': 'available',
  '2': 'in_call',
  '3': 'busy',
  '4': 'unavailable',
  '5': 'unavailable',
  '6': 'ringing',
  '7': 'in_call',
  '8': 'on_hold',
};

interface Caller {
  leg: string;
  callId?: string;
  party: Party;
  joinedAt: number;
  position: number;
}

interface Queue {
  name: string;
  strategy?: string;
  members: Map<string, QueueMember>;
  callers: Map<string, Caller>;
  updatedAt: number;
}

/** Live queue state from QueueStatus (resync) and Queue* events. */
export class QueueBook {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly pbx: string,
    /** the runtime's live feed: passes on only what changed */
    private readonly publish: (q: QueueState) => void,
    /** resolves a caller's channel to its call id */
    private readonly callIdOf: (leg: string) => string | undefined,
    /** a member's membership changed (extension live state shows queues) */
    private readonly onMembership: (extension: string, at: number) => void,
    private readonly refused: Refused = ignoreRefused,
    private readonly limit: number = MAX_NAMES.queue,
  ) {}

  private mark(name: string): void {
    const q = this.queues.get(name);
    if (q) this.publish(this.state(q));
  }

  private queue(name: string, at: number): Queue | undefined {
    let q = this.queues.get(name);
    if (!q) {
      if (!roomFor(this.queues, this.limit, 'queue', name, this.refused)) return undefined;
      this.queues.set(name, (q = { name, members: new Map(), callers: new Map(), updatedAt: at }));
    }
    q.updatedAt = Math.max(q.updatedAt, at);
    return q;
  }

  state(q: Queue): QueueState {
    const callers = [...q.callers.values()].sort((a, b) => a.position - b.position || a.joinedAt - b.joinedAt);
    return {
      pbx: this.pbx,
      queue: q.name,
      ...(q.strategy ? { strategy: q.strategy } : {}),
      callers: callers.map((c, i) => ({
        ...(c.callId ?? this.callIdOf(c.leg) ? { callId: c.callId ?? this.callIdOf(c.leg) } : {}),
        party: c.party,
        joinedAt: c.joinedAt,
        position: i + 1,
      })),
      members: [...q.members.values()].map((m) => ({ ...m })),
      updatedAt: q.updatedAt,
    };
  }

  /** Memberships of one extension, for its live state. */
  membershipsOf(extension: string): { queue: string; paused: boolean; pausedReason?: string }[] {
    const out: { queue: string; paused: boolean; pausedReason?: string }[] = [];
    for (const q of this.queues.values()) {
      for (const m of q.members.values()) {
        if (m.extension !== extension) continue;
        out.push({ queue: q.name, paused: m.paused, ...(m.pausedReason ? { pausedReason: m.pausedReason } : {}) });
      }
    }
    return out;
  }

  private member(q: Queue, ev: AmiEventBase, at: number): void {
    const iface = ev.Interface ?? ev.Location;
    if (!iface) return;
    const prev = q.members.get(iface);
    const name = known(ev.MemberName ?? ev.Name) ?? prev?.name;
    const paused = ev.Paused !== undefined ? ev.Paused === '1' || ev.Paused.toLowerCase() === 'true' : (prev?.paused ?? false);
    const reason = paused ? known(ev.PausedReason) ?? (ev.PausedReason === undefined ? prev?.pausedReason : undefined) : undefined;
    const state = ev.Status !== undefined ? (MEMBER_STATES[ev.Status] ?? 'unknown') : (prev?.state ?? 'unknown');
    const inCall = ev.InCall !== undefined ? ev.InCall === '1' : state === 'in_call' || state === 'on_hold';
    const extension = extensionOfInterface(iface);
    const m: QueueMember = { interface: iface, extension, state, paused, inCall: inCall || state === 'in_call' };
    if (name) m.name = name;
    if (reason) m.pausedReason = reason;
    q.members.set(iface, m);
    if (!prev || prev.paused !== m.paused || prev.pausedReason !== m.pausedReason) this.onMembership(extension, at);
  }

  /** Applies a live event; returns true when it was a queue event. */
  handle(ev: AmiEventBase, at: number): boolean {
    switch (ev.Event) {
      case 'QueueMemberStatus':
      case 'QueueMemberAdded':
      case 'QueueMemberPause':
      case 'QueueMemberPenalty':
      case 'QueueMemberRinginuse': {
        if (!ev.Queue) return true;
        const q = this.queue(ev.Queue, at);
        if (!q) return true;
        this.member(q, ev, at);
        this.mark(q.name);
        return true;
      }
      case 'QueueMemberRemoved': {
        if (!ev.Queue || !ev.Interface) return true;
        const q = this.queue(ev.Queue, at);
        if (!q) return true;
        q.members.delete(ev.Interface);
        this.onMembership(extensionOfInterface(ev.Interface), at);
        this.mark(q.name);
        return true;
      }
      case 'QueueCallerJoin': {
        if (!ev.Queue || !ev.Uniqueid) return true;
        const q = this.queue(ev.Queue, at);
        if (!q) return true;
        const num = known(ev.CallerIDNum) ?? '';
        const name = known(ev.CallerIDName);
        q.callers.set(ev.Uniqueid, {
          leg: ev.Uniqueid,
          party: name ? { number: num, name } : { number: num },
          joinedAt: at,
          position: Number(ev.Position) || q.callers.size + 1,
        });
        this.mark(q.name);
        return true;
      }
      case 'QueueCallerLeave': {
        if (!ev.Queue || !ev.Uniqueid) return true;
        const q = this.queue(ev.Queue, at);
        if (!q) return true;
        q.callers.delete(ev.Uniqueid);
        this.mark(q.name);
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * A QueueStatus answer replaces what we knew: QueueParams, QueueMember and QueueEntry items. `now` is the arrival
   * time; a waiting caller's join time is now − Wait.
   */
  resync(items: AmiEventBase[], now: number): void {
    const seen = new Set<string>();
    for (const it of items) {
      if (!it.Queue) continue;
      const q = this.queue(it.Queue, now);
      if (!q) continue;
      if (!seen.has(q.name)) {
        seen.add(q.name);
        q.members.clear();
        q.callers.clear();
      }
      if (it.Event === 'QueueParams') {
        if (it.Strategy) q.strategy = it.Strategy;
      } else if (it.Event === 'QueueMember') this.member(q, it, now);
      else if (it.Event === 'QueueEntry' && it.Uniqueid) {
        const num = known(it.CallerIDNum) ?? '';
        const name = known(it.CallerIDName);
        q.callers.set(it.Uniqueid, {
          leg: it.Uniqueid,
          party: name ? { number: num, name } : { number: num },
          joinedAt: now - (Number(it.Wait) || 0) * 1000,
          position: Number(it.Position) || q.callers.size + 1,
        });
      }
      this.mark(q.name);
    }
    for (const q of this.queues.values()) for (const m of q.members.values()) if (m.extension) this.onMembership(m.extension, now);
  }
}
