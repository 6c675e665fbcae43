import { readFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const pathOf = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');

export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const s = JSON.stringify(value);
  return `got ${s.length > 60 ? `${s.slice(0, 57)}...` : s}`;
}

/**
 * Schema errors as one line per key, most specific first, without the noise TypeBox adds for unions. `at` prefixes
 * the keys (a `sources` entry checked against its kind's schema); `owner` says whose keys they are.
 */
export function schemaProblems(schema: TSchema, value: unknown, at = '', owner = ''): string[] {
  const seen = new Map<string, string>();
  for (const e of Value.Errors(schema, value)) {
    const key = [at, pathOf(e.path)].filter(Boolean).join('.') || '(root)';
    if (seen.has(key)) continue;
    if (e.message === 'Unexpected property') seen.set(key, `${key}: unknown key${owner ? ` ${owner}` : ''}`);
    else if (e.message === 'Expected required property') seen.set(key, `${key}: required key is missing`);
    else seen.set(key, `${key}: ${e.message.toLowerCase()} (${describe(e.value)})`);
  }
  return [...seen.values()];
}

function readSecretFile(keyPath: string, file: string, problems: string[]): string | undefined {
  try {
    const v = readFileSync(file, 'utf8').trim();
    if (!v) problems.push(`${keyPath}: file ${file} is empty`);
    return v;
  } catch (err) {
    problems.push(`${keyPath}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return undefined;
  }
}

/** `xFile` keys are read into `x`; giving both is an error, as is a file that cannot be read. */
export function resolveSecret(obj: Record<string, unknown>, key: string, keyPath: string, problems: string[]): void {
  const fileKey = `${key}File`;
  const file = obj[fileKey];
  if (typeof file !== 'string') return;
  if (obj[key] !== undefined) {
    problems.push(`${keyPath}.${key}: give either ${key} or ${fileKey}, not both`);
    return;
  }
  const v = readSecretFile(`${keyPath}.${fileKey}`, file, problems);
  if (v !== undefined) obj[key] = v;
}
