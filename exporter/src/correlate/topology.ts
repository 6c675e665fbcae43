import { isParticipant, type LegState } from './tracker';

/**
 * Who can hear whom: legs in one bridge talk together, and the two halves of a Local channel pass media between
 * whatever each half is bridged to. A queue member reached through `Local/…;1` ↔ `;2` is therefore talking to the
 * caller although the two never share a bridge.
 */
export class Topology {
  private readonly bridges = new Map<string, Set<string>>();
  private readonly pairs = new Map<string, Set<string>>();

  constructor(private readonly legs: Map<string, LegState>) {}

  addPair(leg: LegState): void {
    if (!leg.pair) return;
    let set = this.pairs.get(leg.pair);
    if (!set) this.pairs.set(leg.pair, (set = new Set()));
    set.add(leg.id);
  }

  join(leg: LegState, bridge: string): void {
    let set = this.bridges.get(bridge);
    if (!set) this.bridges.set(bridge, (set = new Set()));
    set.add(leg.id);
    leg.bridges.add(bridge);
  }

  leave(leg: LegState, bridge: string): void {
    const set = this.bridges.get(bridge);
    if (set) {
      set.delete(leg.id);
      if (set.size === 0) this.bridges.delete(bridge);
    }
    leg.bridges.delete(bridge);
  }

  /** A leg is gone: out of every bridge and pair. */
  remove(leg: LegState): void {
    for (const b of [...leg.bridges]) this.leave(leg, b);
    if (leg.pair) {
      const set = this.pairs.get(leg.pair);
      set?.delete(leg.id);
      if (set && set.size === 0) this.pairs.delete(leg.pair);
    }
  }

  /** Moves every member of `from` into `into`; returns the legs moved. */
  mergeBridges(from: string, into: string): LegState[] {
    const moved: LegState[] = [];
    for (const id of [...(this.bridges.get(from) ?? [])]) {
      const leg = this.legs.get(id);
      if (!leg) continue;
      this.leave(leg, from);
      this.join(leg, into);
      moved.push(leg);
    }
    return moved;
  }

  bridgeMembers(bridge: string): Iterable<string> {
    return this.bridges.get(bridge) ?? [];
  }

  /** The live participant legs that can hear `from` (excluding `from` itself). */
  reachable(from: LegState): LegState[] {
    const seen = new Set<string>([from.id]);
    const queue: LegState[] = [from];
    const out: LegState[] = [];
    while (queue.length) {
      const leg = queue.pop()!;
      const next: string[] = [];
      for (const b of leg.bridges) for (const id of this.bridges.get(b) ?? []) next.push(id);
      if (leg.pair) for (const id of this.pairs.get(leg.pair) ?? []) next.push(id);
      for (const id of next) {
        if (seen.has(id)) continue;
        seen.add(id);
        const other = this.legs.get(id);
        if (!other || other.endedAt !== undefined) continue;
        if (isParticipant(other)) out.push(other);
        queue.push(other);
      }
    }
    return out;
  }
}
