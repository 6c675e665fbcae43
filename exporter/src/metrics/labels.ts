import { demoPbxNames, demoWanted } from '../config/demo';
import type { Config } from '../config/schema';
import type { LiveState } from '../live';

/**
 * The `pbx` label values known before any event arrives: configured sources plus the demo PBXs when they run, so
 * their series exist (at 0) from the first scrape.
 */
export function configuredPbxs(config: Config): string[] {
  const names = config.sources.map((s) => s.name);
  if (demoWanted(config)) for (const demo of demoPbxNames(config)) if (!names.includes(demo)) names.push(demo);
  return names;
}

/** Configured PBXs plus any that LiveState has seen (a source may be added by something other than config). */
export function knownPbxs(config: Config, live: LiveState): string[] {
  const set = new Set(configuredPbxs(config));
  for (const s of live.sources.keys()) set.add(s);
  return [...set];
}

/** `known`, then the PBXs that only live state's calls, extensions or queues name, in that order. */
export function pbxsInState(known: readonly string[], live: LiveState): string[] {
  const set = new Set(known);
  for (const c of live.activeCalls.values()) set.add(c.pbx);
  for (const e of live.extensions.values()) set.add(e.pbx);
  for (const q of live.queues.values()) set.add(q.pbx);
  return [...set];
}

/** One counter per key, at 0: a tally that lists every label value, counted or not. */
export const zeros = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * Caps the distinct values one label may take (event names and reject reasons come from the PBX): past the cap,
 * new values are folded into `other`, so a misbehaving PBX cannot grow the series count without bound.
 */
export class BoundedLabel {
  private readonly seen = new Map<string, Set<string>>();
  constructor(private readonly max: number) {}

  value(scope: string, raw: string): string {
    const clean = raw.trim().slice(0, 64) || 'unknown';
    let s = this.seen.get(scope);
    if (!s) this.seen.set(scope, (s = new Set()));
    if (s.has(clean)) return clean;
    if (s.size >= this.max) return 'other';
    s.add(clean);
    return clean;
  }
}
