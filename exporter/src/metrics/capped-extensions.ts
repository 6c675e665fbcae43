import type { ExtensionState } from '../domain';
import type { LiveState } from '../live';

/**
 * The extensions opt-in per-extension series cover: the first `cap` by pbx and extension. Re-sorted only when the
 * number of extensions changes, so a scrape of thousands of extensions does not sort them every time.
 */
export function cappedExtensions(live: LiveState, cap: number): () => ExtensionState[] {
  let chosen: string[] = [];
  let chosenFrom = -1;
  return () => {
    if (chosenFrom !== live.extensions.size) {
      chosen = [...live.extensions.keys()].sort().slice(0, cap);
      chosenFrom = live.extensions.size;
    }
    return chosen.map((k) => live.extensions.get(k)).filter((e): e is ExtensionState => e !== undefined);
  };
}
