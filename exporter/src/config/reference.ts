import type { TSchema } from '@sinclair/typebox';
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
    walk(s.items as TSchema, `${path}[]`, rows);
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

/** The configuration reference as a Markdown table, generated from the schema so the README cannot drift. */
export function configReference(): string {
  const rows: Row[] = [];
  walk(ConfigSchema, '', rows);
  return [
    '| key | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.default} | ${r.description.replace(/\|/g, '\\|')} |`),
  ].join('\n');
}

if (require.main === module) process.stdout.write(`${configReference()}\n`);
