import { parse as parseYaml } from 'yaml';

export const ENV_PREFIX = 'SWITCHBOARD_';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** `RETENTION_DAYS` → `retentionDays`; numeric segments stay array indexes. */
function envSegmentToKey(segment: string): string {
  const [first, ...rest] = segment.toLowerCase().split('_');
  return first + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** `store.retentionDays` → `SWITCHBOARD_STORE__RETENTION_DAYS`: the variable that sets a key. */
export function envName(path: string): string {
  return ENV_PREFIX + path.split('.').map((k) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__');
}

/**
 * `SWITCHBOARD_STORE__RETENTION_DAYS=30` sets `store.retentionDays`; `SWITCHBOARD_SOURCES__0__HOST` the first
 * source's host. Values are read as YAML scalars so numbers and booleans keep their type. Returns each key set, with
 * the variable that set it, so a problem with the value can name the variable the user typed.
 */
export function applyEnv(config: Record<string, Json>, env: NodeJS.ProcessEnv): { applied: Map<string, string>; problems: string[] } {
  const applied = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).split('__').map(envSegmentToKey);
    if (path.some((p) => p === '')) {
      problems.push(`${name}: empty key segment (levels are separated by one __)`);
      continue;
    }
    let node: Json = config;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i];
      const container = node as Record<string, Json>;
      if (container[key] === undefined || container[key] === null || typeof container[key] !== 'object') {
        container[key] = /^\d+$/.test(path[i + 1]) ? [] : {};
      }
      node = container[key];
    }
    let value: Json;
    try {
      value = parseYaml(raw) as Json;
    } catch {
      value = raw;
    }
    (node as Record<string, Json>)[path[path.length - 1]] = value ?? raw;
    applied.set(path.join('.'), name);
  }
  return { applied, problems };
}

/**
 * A problem (`key: what is wrong`) in the user's terms: a key set from the environment is named by the variable the
 * user typed, and a "did you mean" key by the variable that would set it.
 */
export function inEnvTerms(problem: string, fromEnv: ReadonlyMap<string, string>): string {
  const m = /^(\S+): ([\s\S]*)$/.exec(problem);
  if (!m) return problem;
  const [, key, rest] = m;
  // the variable that set this key, or a key below it (SWITCHBOARD_SERVE__PORT makes an unknown key `serve`)
  const set = [...fromEnv.keys()].find((p) => p === key || p.startsWith(`${key}.`));
  if (set === undefined) return problem;
  const meant = rest.replace(/did you mean ([\w.]+)\?/, (_, s: string) => `did you mean ${envName(s + set.slice(key.length))}?`);
  return `${fromEnv.get(set)} (${key}): ${meant}`;
}
