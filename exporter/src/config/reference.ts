import type { TSchema } from '@sinclair/typebox';
import { SOURCE_KINDS } from '../sources/registry';
import type { SourceKindDef } from '../sources/runtime/kind';
import { ConfigSchema } from './schema';

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

function typeOf(s: TSchema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return (s.anyOf as TSchema[]).map(typeOf).join(' \\| ');
  if (s.type === 'array') {
    const item = typeOf(s.items as TSchema);
    return item.includes('|') ? `(${item})[]` : `${item}[]`;
  }
  return String(s.type);
}

function walk(s: TSchema, path: string, rows: Row[]): void {
  if (s.type === 'object' && s.properties) {
    for (const [k, child] of Object.entries(s.properties as Record<string, TSchema>)) walk(child, path ? `${path}.${k}` : k, rows);
    return;
  }
  if (s.type === 'array' && (s.items as TSchema).anyOf === undefined && (s.items as TSchema).type === 'object') {
    rows.push({ key: path, type: 'list', default: `\`${JSON.stringify(s.default ?? [])}\``, description: [s.description, constraints(s)].filter(Boolean).join('; ') });
    // a source entry's keys depend on its kind: each kind gets a table of its own
    if (path !== 'sources') walk(s.items as TSchema, `${path}[]`, rows);
    return;
  }
  rows.push({
    key: path,
    type: typeOf(s),
    default: s.default === undefined ? '—' : `\`${JSON.stringify(s.default)}\``,
    description: [s.description, constraints(s)].filter(Boolean).join('; '),
  });
}

/** How the reference states each JSON Schema constraint keyword; a test fails on a keyword the schemas use but this omits. */
export const CONSTRAINTS: Record<string, (s: TSchema) => string> = {
  minimum: (s) => `≥ ${s.minimum}`,
  exclusiveMinimum: (s) => `> ${s.exclusiveMinimum}`,
  maximum: (s) => `≤ ${s.maximum}`,
  exclusiveMaximum: (s) => `< ${s.exclusiveMaximum}`,
  multipleOf: (s) => `a multiple of ${s.multipleOf}`,
  minLength: (s) => (s.minLength === 1 ? 'not empty' : `at least ${s.minLength} characters`),
  maxLength: (s) => `at most ${s.maxLength} characters`,
  pattern: (s) => `pattern \`${s.pattern}\``,
  format: (s) => `format ${s.format}`,
  minItems: (s) => `at least ${s.minItems} ${s.minItems === 1 ? 'entry' : 'entries'}`,
  maxItems: (s) => `at most ${s.maxItems} entries`,
  uniqueItems: (s) => (s.uniqueItems ? 'no duplicates' : ''),
  minProperties: (s) => `at least ${s.minProperties} keys`,
  maxProperties: (s) => `at most ${s.maxProperties} keys`,
};

/** Every constraint the schema puts on a value, and on each item of a list of plain values. */
function constraints(s: TSchema): string {
  const own = Object.entries(CONSTRAINTS)
    .filter(([keyword]) => s[keyword] !== undefined)
    .map(([, state]) => state(s))
    .filter(Boolean);
  const items = s.type === 'array' ? (s.items as TSchema | undefined) : undefined;
  const each = items && items.type !== 'object' ? constraints(items) : '';
  return [...own, each ? `each ${each}` : ''].filter(Boolean).join(', ');
}

function table(rows: Row[]): string[] {
  return [
    '| key | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} | ${r.description.replace(/\|/g, '\\|')} |`),
  ];
}

function kindSection(def: SourceKindDef): string[] {
  const rows: Row[] = [];
  walk(def.schema, 'sources[]', rows);
  const control = def.capabilities.control.length ? def.capabilities.control.join(', ') : 'none';
  return [
    '',
    `### \`kind: ${def.kind}\` — ${def.title}`,
    '',
    `Live state and calls in progress: ${def.capabilities.live ? 'yes' : 'no (finished calls only)'}; call control: ${control}.`,
    '',
    ...table(rows),
  ];
}

/** The configuration reference as Markdown tables, generated from the schemas so the README cannot drift. */
export function configReference(): string {
  const rows: Row[] = [];
  walk(ConfigSchema, '', rows);
  return [...table(rows), ...SOURCE_KINDS.flatMap(kindSection)].join('\n');
}

if (require.main === module) process.stdout.write(`${configReference()}\n`);
