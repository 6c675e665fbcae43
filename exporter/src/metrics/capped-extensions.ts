import type { ExtensionState } from '../domain';
import type { LiveState } from '../live';

/**
 * The first `cap` of a set of `pbx \0 extension` keys in sort order, for the opt-in per-extension series. Sorted
 * again only when `size` (how many keys there are, or anything that changes with them) changes, so a scrape of
 * thousands of extensions does not sort them every time.
 */
export function cappedKeys(cap: number): (keys: () => Iterable<string>, size: string | number) => readonly string[] {
  let chosen: string[] = [];
  let chosenFrom: string | number | undefined;
  return (keys, size) => {
    if (size !== chosenFrom) {
      chosen = [...new Set(keys())].sort().slice(0, cap);
      chosenFrom = size;
    }
    return chosen;
  };
}

/** The extensions opt-in per-extension series cover: the first `cap` by pbx and extension. */
export function cappedExtensions(live: LiveState, cap: number): () => ExtensionState[] {
  const capped = cappedKeys(cap);
  return () =>
    capped(() => live.extensions.keys(), live.extensions.size)
      .map((k) => live.extensions.get(k))
      .filter((e): e is ExtensionState => e !== undefined);
}
