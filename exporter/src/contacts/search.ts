import type { Contact, Directory } from './directory';

/** The fewest characters a name search takes: fewer would match most of an address book. */
export const MIN_SEARCH = 3;

/** Case and accents do not matter: `muller` finds Müller. */
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Finds contacts' numbers by a piece of their name or company, at query time: the calls are then found by those
 * numbers, so a changed address book or a refreshed lookup answer counts at once and nothing stored with a call goes
 * stale. The file's contacts are folded once per loaded version; the lookup's (a few thousand at most) on each search.
 */
export class ContactSearch {
  private index: { text: string; number: string }[] = [];
  private indexedFor: Directory | undefined;

  constructor(
    private readonly directory: () => Directory,
    private readonly lookup?: { contacts(): Iterable<[string, Contact]> },
  ) {}

  /** E.164 numbers of the contacts whose name or company contains `text`; none for fewer than 3 characters. */
  numbers(text: string): string[] {
    const needle = fold(text.trim());
    if (needle.length < MIN_SEARCH) return [];
    const dir = this.directory();
    if (dir !== this.indexedFor) {
      this.index = [...dir].map(([number, c]) => ({ number, text: fold(`${c.name}\u0000${c.company ?? ''}`) }));
      this.indexedFor = dir;
    }
    const found = new Set<string>();
    for (const e of this.index) if (e.text.includes(needle)) found.add(e.number);
    for (const [number, c] of this.lookup?.contacts() ?? []) {
      // the file's entry wins for a number both know, in search as in naming
      if (!dir.has(number) && fold(`${c.name}\u0000${c.company ?? ''}`).includes(needle)) found.add(number);
    }
    return [...found];
  }
}
