/**
 * Lets an item's state through only when it really changed since the last one let through under its key; `updatedAt`
 * alone changing is not a change. Not batched per tick: a phone that unregisters and comes back within one burst of
 * events (a replay, a resync) must still leave both states in the extension history. Keeps the last state let through
 * per key, so the runtime can publish them all again (stale while their source is down).
 */
export class ChangeFilter<S extends { updatedAt: number }> {
  private readonly last = new Map<string, { sig: string; state: S }>();

  constructor(private readonly publish: (state: S) => void) {}

  offer(key: string, state: S): void {
    const { updatedAt: _u, ...rest } = state;
    const sig = JSON.stringify(rest);
    if (this.last.get(key)?.sig === sig) return;
    this.last.set(key, { sig, state });
    this.publish(state);
  }

  /** Drops what is kept under `key`: an item that ended (a conference room) is not published again. */
  forget(key: string): void {
    this.last.delete(key);
  }

  /** Offers every last state again, as `change` makes it (a change of nothing is no change). */
  restamp(change: (state: S) => S): void {
    for (const [key, { state }] of [...this.last]) this.offer(key, change(state));
  }
}
