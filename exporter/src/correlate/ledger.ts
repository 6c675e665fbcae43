import { Outbox, type OutboxOptions } from './outbox';
import { Topology } from './topology';
import { CallTracker, type LegState } from './tracker';

/**
 * What correlation knows now, shared by its event handlers: every leg by id, the call that owns each PBX call key
 * (a union-find over Linkedids), the open calls, who can hear whom, the clock, and where records go.
 */
export class Ledger {
  readonly legs = new Map<string, LegState>();
  readonly owners = new Map<string, CallTracker>();
  readonly open = new Set<CallTracker>();
  readonly topology = new Topology(this.legs);
  readonly out: Outbox;
  /** the latest event time: the correlator's clock */
  clock = 0;

  constructor(
    readonly pbx: string,
    /** wait this long after the last leg hung up before the record is final */
    readonly graceMs: number,
    out: OutboxOptions,
  ) {
    this.out = new Outbox(pbx, out, () => this.clock);
  }

  /** A new open call owning `key`. */
  openCall(id: string, key: string, at: number): CallTracker {
    const t = new CallTracker(id, at);
    this.claim(t, key);
    this.open.add(t);
    return t;
  }

  claim(t: CallTracker, key: string): void {
    t.keys.add(key);
    this.owners.set(key, t);
  }

  /** The keys of a closed call are free again (a later leg with one starts a new call). */
  release(t: CallTracker): void {
    for (const key of t.keys) if (this.owners.get(key) === t) this.owners.delete(key);
  }

  trackerOf(leg: LegState): CallTracker | undefined {
    return leg.call && !leg.call.closed ? leg.call : undefined;
  }

  moveLeg(leg: LegState, to: CallTracker): void {
    if (leg.call === to) return;
    if (leg.call && !leg.call.closed) leg.call.legs.delete(leg.id);
    leg.call = to;
    to.legs.set(leg.id, leg);
    clearTimeout(to.graceTimer);
    to.graceTimer = undefined;
  }
}
