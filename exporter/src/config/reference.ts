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
    rows.push({ key: path, type: 'list', default: `\`${JSON.stringify(s.default ?? [])}\``, description: s.description ?? '' });
    // a source entry's keys depend on its kind: each kind gets a table of its own
    if (path !== 'sources') walk(s.items as TSchema, `${path}[]`, rows);
    return;
  }
  const bounds = [
    s.minimum !== undefined ? `≥ ${s.minimum}` : '',
    s.maximum !== undefined ? `≤ ${s.maximum}` : '',
    s.pattern ? `pattern \`${s.pattern}\`` : '',
  ]
    .filter(Boolean)
    .join(', ');
  rows.push({
    key: path,
    type: typeOf(s),
    default: s.default === undefined ? '—' : `\`${JSON.stringify(s.default)}\``,
    description: [s.description, bounds].filter(Boolean).join('; '),
  });
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
