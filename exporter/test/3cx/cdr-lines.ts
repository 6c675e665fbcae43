import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CDR_FIELDS } from '../../src/sources/3cx/fields';

/** The real record from the reference sample (its comment lines stripped). */
export const SAMPLE_LINE = readFileSync(join(__dirname, 'fixtures', 'cdr-socket-line-example-redacted.csv'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))[0];

const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A line of the 27-field template as 3CX writes it (trailing comma included), from the fields that matter. */
export function cdrLine(f: Partial<Record<(typeof DEFAULT_CDR_FIELDS)[number], string>>): string {
  return `${DEFAULT_CDR_FIELDS.map((name) => quote(f[name] ?? '')).join(',')},`;
}
