import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { knownKinds, sourceKind } from '../sources/registry';
import { SECRET } from '../sources/runtime/config';
import { describe, resolveSecret, schemaProblems } from './problems';

type Entry = Record<string, unknown>;

const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks each `sources` entry against the schema of its `kind` and fills in that kind's defaults, in place. An unknown
 * kind names the known ones; a key wrong for the kind names the key and the kind.
 */
export function sourceKeyProblems(entries: unknown[]): string[] {
  const problems: string[] = [];
  const known = `known kinds: ${knownKinds().join(', ')}`;
  entries.forEach((entry, i) => {
    const at = `sources.${i}`;
    if (!isEntry(entry)) return void problems.push(`${at}: expected a mapping with name and kind (${describe(entry)})`);
    if (entry.kind === undefined) return void problems.push(`${at}.kind: required key is missing (${known})`);
    const def = typeof entry.kind === 'string' ? sourceKind(entry.kind) : undefined;
    if (!def) return void problems.push(`${at}.kind: unknown kind ${JSON.stringify(entry.kind)} (${known})`);
    entries[i] = Value.Default(def.schema, entry);
    const shape = schemaProblems(def.schema, entries[i], at, `for kind "${def.kind}"`);
    problems.push(...shape);
    if (shape.length === 0 && def.check) problems.push(...def.check(entries[i] as never, at));
  });
  return problems;
}

/** Reads the `…File` secrets of entries that passed `sourceKeyProblems`, and checks the required ones are given. */
export function sourceSecretProblems(entries: Entry[]): string[] {
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const at = `sources.${i}`;
    const properties = (sourceKind(String(entry.kind))?.schema.properties ?? {}) as Record<string, TSchema>;
    for (const [key, schema] of Object.entries(properties)) {
      const secret = schema[SECRET] as { required: boolean } | undefined;
      if (!secret) continue;
      resolveSecret(entry, key, at, problems);
      if (secret.required && entry[key] === undefined && entry[`${key}File`] === undefined) problems.push(`${at}.${key}: required (or ${key}File)`);
    }
  });
  return problems;
}
