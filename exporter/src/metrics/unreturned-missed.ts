import { externalNumberOf, isTrulyMissed, type Call } from '../domain';
import type { Hub } from '../hub';
import type { MissedCall } from '../store/queries';
import { numberKey } from '../store/rows';

type MissedEntry = MissedCall;

/**
 * The unreturned missed calls of the last `windowMs`, per extension, kept in memory so a scrape never reads SQLite.
 * Seeded from the history at start; then every finished call updates it the way the store marks call backs: an
 * answered call with the same external number, started later, returns the missed calls before it (any PBX, any
 * direction). Calls older than the window fall out at the next count.
 */
export class UnreturnedMissed {
  private readonly calls = new Map<string, MissedEntry>();
  private readonly byKey = new Map<string, Set<string>>();
  /** every extension a missed call rang at since start: it keeps a series (0) after its calls are returned */
  private readonly seen = new Set<string>();
  private readonly off: () => void;

  constructor(
    hub: Hub,
    private readonly windowMs: number,
    private readonly now: () => number,
    seed: Iterable<MissedEntry> = [],
  ) {
    for (const e of seed) this.add(e);
    const onEnded = (c: Call) => this.callEnded(c);
    hub.on('callEnded', onEnded);
    this.off = () => hub.off('callEnded', onEnded);
  }

  callEnded(c: Call): void {
    // a corrected final record of a call replaces what its first one said
    this.remove(c.id);
    const key = numberKey(externalNumberOf(c));
    if (isTrulyMissed(c)) {
      const extensions = [...new Set(c.legs.filter((l) => l.role === 'extension').map((l) => l.party.number))];
      this.add({ id: c.id, pbx: c.pbx, key, at: c.startedAt, extensions });
    } else if (c.status === 'answered' && key) {
      for (const id of [...(this.byKey.get(key) ?? [])]) {
        if (this.calls.get(id)!.at < c.startedAt) this.remove(id);
      }
    }
  }

  /** Unreturned missed calls per extension within the window, 0 for those with none left: key `pbx \0 extension`. */
  perExtension(): Map<string, number> {
    const since = this.now() - this.windowMs;
    const out = new Map<string, number>([...this.seen].map((k) => [k, 0]));
    for (const e of [...this.calls.values()]) {
      if (e.at < since) {
        this.remove(e.id);
        continue;
      }
      for (const ext of e.extensions) {
        const k = `${e.pbx}\u0000${ext}`;
        out.set(k, (out.get(k) ?? 0) + 1);
      }
    }
    return out;
  }

  close(): void {
    this.off();
  }

  private add(e: MissedEntry): void {
    this.calls.set(e.id, e);
    for (const ext of e.extensions) this.seen.add(`${e.pbx}\u0000${ext}`);
    if (e.key === null) return;
    let ids = this.byKey.get(e.key);
    if (!ids) this.byKey.set(e.key, (ids = new Set()));
    ids.add(e.id);
  }

  private remove(id: string): void {
    const e = this.calls.get(id);
    if (!e) return;
    this.calls.delete(id);
    if (e.key === null) return;
    const ids = this.byKey.get(e.key)!;
    ids.delete(id);
    if (!ids.size) this.byKey.delete(e.key);
  }
}
