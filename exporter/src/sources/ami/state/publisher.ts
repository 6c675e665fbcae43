/**
 * Collects changed keys and publishes each once per tick: a burst of AMI events (a resync answers hundreds of list
 * items) becomes one hub event per changed object, not hundreds.
 */
export class Coalescer<K> {
  private readonly changed = new Set<K>();
  private scheduled = false;

  constructor(private readonly publish: (key: K) => void) {}

  mark(key: K): void {
    this.changed.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const keys = [...this.changed];
    this.changed.clear();
    for (const k of keys) this.publish(k);
  }
}
