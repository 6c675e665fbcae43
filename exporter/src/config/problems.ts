import { readFileSync } from 'node:fs';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { nearest } from './nearest';

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

/** A secret's value never goes into an error message (it ends up in logs and terminals). */
const SECRET_KEY = /(secret|token|password)$/i;

/** `true, false or "auto"`: what a union accepts, its literals spelt as in YAML. */
function choices(options: TSchema[]): string {
  const each = options.map((o) => (o.const !== undefined ? JSON.stringify(o.const) : o.type === 'boolean' ? 'true, false' : `a ${String(o.type)}`));
  return each.length > 1 ? `${each.slice(0, -1).join(', ')} or ${each[each.length - 1]}` : each.join('');
}

/**
 * Schema errors as one line per key, most specific first, without the noise TypeBox adds for unions. `at` prefixes
 * the keys (a `sources` entry checked against its kind's schema); `owner` says whose keys they are. An unknown key
 * or a value not among the choices gets the nearest known one as a "did you mean".
 */
export function schemaProblems(schema: TSchema, value: unknown, at = '', owner = ''): string[] {
  const seen = new Map<string, string>();
  for (const e of Value.Errors(schema, value)) {
    const path = pathOf(e.path);
    const key = [at, path].filter(Boolean).join('.') || '(root)';
    if (seen.has(key)) continue;
    const name = path.split('.').pop() ?? '';
    const secret = SECRET_KEY.test(name);
    const got = secret ? (typeof e.value === 'string' ? `got ${e.value.length} characters` : 'value not shown') : describe(e.value);
    if (e.message === 'Unexpected property') {
      const meant = nearest(name, Object.keys((e.schema.properties ?? {}) as Record<string, unknown>));
      const parent = key.slice(0, key.length - name.length);
      seen.set(key, `${key}: unknown key${owner ? ` ${owner}` : ''}${meant ? `; did you mean ${parent}${meant}?` : ''}`);
    } else if (e.message === 'Expected required property') seen.set(key, `${key}: required key is missing`);
    else if (Array.isArray(e.schema.anyOf)) {
      const options = e.schema.anyOf as TSchema[];
      const literals = options.flatMap((o) => (typeof o.const === 'string' ? [o.const] : []));
      const meant = typeof e.value === 'string' ? nearest(e.value, literals) : undefined;
      seen.set(key, `${key}: expected ${choices(options)} (${got})${meant ? `; did you mean "${meant}"?` : ''}`);
    } else if (typeof e.value === 'string' && typeof e.schema.minLength === 'number' && e.value.length < e.schema.minLength) {
      seen.set(key, `${key}: must be at least ${e.schema.minLength} characters (${got})`);
    } else seen.set(key, `${key}: ${e.message.toLowerCase()} (${got})`);
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
