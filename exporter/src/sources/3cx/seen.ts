import { createHash } from 'node:crypto';

export type Seen = 'new' | 'duplicate' | 'changed';

/** A short digest of a record's content: a re-sent record has the same one, a corrected record another. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

/**
 * The records a source handed over recently, by the PBX's own key (historyid, call_history_id): 3CX re-sends after
 * a reconnect, a file is re-read after a crash, a poll window overlaps the last one. The same key with the same
 * content is a duplicate and goes nowhere; the same key with other content is a corrected record and replaces the
 * stored one (same call id). Bounded, oldest forgotten first; saved with the source's checkpoint so a restart
 * remembers.
 */
export class SeenRecords {
  private readonly map = new Map<string, string>();

  constructor(
    private readonly max = 20_000,
    entries: [string, string][] = [],
  ) {
    for (const [k, v] of entries.slice(-max)) this.map.set(k, v);
  }

  check(key: string, print: string): Seen {
    const known = this.map.get(key);
    if (known === undefined) return 'new';
    return known === print ? 'duplicate' : 'changed';
  }

  remember(key: string, print: string): void {
    this.map.delete(key);
    this.map.set(key, print);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  forget(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  entries(): [string, string][] {
    return [...this.map];
  }
}
