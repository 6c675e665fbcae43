/**
 * Publishes an object's new state when it really changed. Not batched per tick: a phone that unregisters and comes
 * back within one burst of events (a replay, a resync) must still leave both states in the extension history.
 * `updatedAt` alone changing is not a change.
 */
export class Publisher<K, S extends { updatedAt: number }> {
  private readonly last = new Map<K, string>();

  constructor(
    private readonly build: (key: K) => S | undefined,
    private readonly publish: (state: S) => void,
  ) {}

  mark(key: K): void {
    const s = this.build(key);
    if (!s) return;
    const { updatedAt: _u, ...rest } = s;
    const sig = JSON.stringify(rest);
    if (this.last.get(key) === sig) return;
    this.last.set(key, sig);
    this.publish(s);
  }

  /** Nothing is held back; kept so owners can flush uniformly. */
  flush(): void {}
}
