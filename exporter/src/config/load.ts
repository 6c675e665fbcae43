import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { resolveSecret, schemaProblems } from './problems';
import { ConfigSchema, type Config } from './schema';
import { sourceKeyProblems, sourceSecretProblems } from './sources';
import { checkSinks } from '../sinks/config';

/** A configuration problem the user must fix; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ENV_PREFIX = 'SWITCHBOARD_';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** `RETENTION_DAYS` → `retentionDays`; numeric segments stay array indexes. */
function envSegmentToKey(segment: string): string {
  const [first, ...rest] = segment.toLowerCase().split('_');
  return first + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/**
 * `SWITCHBOARD_STORE__RETENTION_DAYS=30` sets `store.retentionDays`; `SWITCHBOARD_SOURCES__0__HOST` the first
 * source's host. Values are read as YAML scalars so numbers and booleans keep their type.
 */
export function applyEnv(config: Record<string, Json>, env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).split('__').map(envSegmentToKey);
    if (path.some((p) => p === '')) throw new ConfigError([`${name}: empty key segment`]);
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
    applied.push(path.join('.'));
  }
  return applied;
}

function semanticProblems(config: Config): string[] {
  const problems = sourceSecretProblems(config.sources);
  const names = new Set<string>();
  config.sources.forEach((s, i) => {
    const at = `sources.${i}`;
    if (names.has(s.name)) problems.push(`${at}.name: duplicate source name "${s.name}"`);
    if (s.name === config.demo.name && config.demo.enabled === true) {
      problems.push(`${at}.name: "${s.name}" is the demo PBX's name`);
    }
    names.add(s.name);
  });
  config.sinks.forEach((s, i) => resolveSecret(s as unknown as Record<string, unknown>, 'secret', `sinks.${i}`, problems));
  problems.push(...checkSinks(config.sinks));
  config.auth.tokens.forEach((t, i) => {
    const at = `auth.tokens.${i}`;
    resolveSecret(t as unknown as Record<string, unknown>, 'token', at, problems);
    if (t.token === undefined && t.tokenFile === undefined) problems.push(`${at}.token: required (or tokenFile)`);
    else if (t.token !== undefined && t.token.length < 16) problems.push(`${at}.token: must be at least 16 characters`);
  });
  const m = config.auth.metrics as unknown as Record<string, unknown>;
  resolveSecret(m, 'bearerToken', 'auth.metrics', problems);
  resolveSecret(m, 'password', 'auth.metrics', problems);
  if ((config.auth.metrics.username === undefined) !== (config.auth.metrics.password === undefined)) {
    problems.push('auth.metrics: username and password go together');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: config.businessHours.timezone });
  } catch {
    problems.push(`businessHours.timezone: unknown time zone "${config.businessHours.timezone}"`);
  }
  return problems;
}

export interface LoadedConfig {
  config: Config;
  /** keys set from the environment, for the start-up log */
  fromEnv: string[];
}

/** Reads YAML (optional), applies `SWITCHBOARD_*` overrides, fills defaults, validates, resolves secret files. */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let raw: unknown = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError([`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (err) {
      const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
      throw new ConfigError([`${file}: not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`]);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError([`${file}: the top level must be a mapping of keys`]);
    }
  }
  const fromEnv = applyEnv(raw as Record<string, Json>, env);
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw)) as Record<string, unknown>;
  // each source entry is checked against its own kind's schema, not the loose entry of ConfigSchema
  const problems = schemaProblems(ConfigSchema, withDefaults).filter((p) => !/^sources\.\d/.test(p));
  if (Array.isArray(withDefaults.sources)) problems.push(...sourceKeyProblems(withDefaults.sources));
  if (problems.length) throw new ConfigError(problems);
  const config = withDefaults as Config;
  const semantic = semanticProblems(config);
  if (semantic.length) throw new ConfigError(semantic);
  return { config, fromEnv };
}
