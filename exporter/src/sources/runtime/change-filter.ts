/**
 * Lets an item's state through only when it really changed since the last one let through under its key; `updatedAt`
 * alone changing is not a change. Not batched per tick: a phone that unregisters and comes back within one burst of
 * events (a replay, a resync) must still leave both states in the extension history.
 */
export class ChangeFilter<S extends { updatedAt: number }> {
  private readonly last = new Map<string, string>();

  constructor(private readonly publish: (state: S) => void) {}

  offer(key: string, state: S): void {
    const { updatedAt: _u, ...rest } = state;
    const sig = JSON.stringify(rest);
    if (this.last.get(key) === sig) return;
    this.last.set(key, sig);
    this.publish(state);
  }
}
