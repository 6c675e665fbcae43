import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { demoPbxNames } from './demo';
import { applyEnv, inEnvTerms, type Json } from './env';
import { resolveSecret, schemaProblems } from './problems';
import { ConfigSchema, type Config } from './schema';
import { sourceKeyProblems, sourceSecretProblems } from './sources';
import { checkSinks } from '../sinks/config';
import { townLocales } from '../contacts/towns';
import { nearest } from './nearest';

/** A configuration problem the user must fix; the CLI prints it and exits with code 2. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function semanticProblems(config: Config): string[] {
  const problems = sourceSecretProblems(config.sources);
  const names = new Set<string>();
  config.sources.forEach((s, i) => {
    const at = `sources.${i}`;
    if (names.has(s.name)) problems.push(`${at}.name: duplicate source name "${s.name}"`);
    if (config.demo.enabled === true && demoPbxNames(config).includes(s.name)) {
      problems.push(`${at}.name: "${s.name}" is a demo PBX's name`);
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
  if (config.contacts.lookup) {
    resolveSecret(config.contacts.lookup as unknown as Record<string, unknown>, 'token', 'contacts.lookup', problems);
  }
  const locales = townLocales();
  if (!locales.includes(config.contacts.townLocale)) {
    const meant = nearest(config.contacts.townLocale, locales);
    problems.push(
      `contacts.townLocale: no town names in "${config.contacts.townLocale}"` +
        (meant ? `; did you mean "${meant}"?` : `; one of ${locales.join(', ')}`),
    );
  }
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
      throw new ConfigError([yamlProblem(file, err as Error)]);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError([`${file}: the top level must be a mapping of keys`]);
    }
  }
  const { applied, problems: envProblems } = applyEnv(raw as Record<string, Json>, env);
  if (envProblems.length) throw new ConfigError(envProblems);
  const inUserTerms = (problems: string[]): string[] => problems.map((p) => inEnvTerms(p, applied));
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw)) as Record<string, unknown>;
  // each source entry is checked against its own kind's schema, not the loose entry of ConfigSchema
  const problems = schemaProblems(ConfigSchema, withDefaults).filter((p) => !/^sources\.\d/.test(p));
  if (Array.isArray(withDefaults.sources)) problems.push(...sourceKeyProblems(withDefaults.sources));
  if (problems.length) throw new ConfigError(inUserTerms(problems));
  const config = withDefaults as Config;
  const semantic = semanticProblems(config);
  if (semantic.length) throw new ConfigError(inUserTerms(semantic));
  return { config, fromEnv: [...applied.keys()] };
}

/**
 * `file, line 3, column 10: not valid YAML: <what>` and the parser's excerpt of the line, its caret under the spot;
 * the parser's own first line ends in "at line 3, column 10:", which would dangle here.
 */
function yamlProblem(file: string, err: Error): string {
  const [first, ...excerpt] = err.message.split('\n');
  const what = first.replace(/ at line \d+, column \d+:?$/, '');
  const pos = err instanceof YAMLParseError && err.linePos ? `, line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
  const shown = excerpt.filter((l) => l.trim() !== '').map((l) => `\n      ${l}`).join('');
  return `${file}${pos}: not valid YAML: ${what}${shown}`;
}
