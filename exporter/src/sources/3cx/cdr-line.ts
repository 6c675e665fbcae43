import { parse } from 'csv-parse/sync';
import { BadRecord } from './bad-record';

export type CdrFields = Record<string, string>;

/**
 * One CDR line → its fields by the configured names. 3CX writes no header and does not quote by default, but a
 * display name with a comma in it only survives when quoted, so this is real CSV (csv-parse), not a split on commas.
 * The template's trailing comma (an empty last field) is accepted; any other count means the configured field list
 * does not match what the PBX sends, which is reported rather than guessed around.
 */
export function parseCdrLine(line: string, fields: readonly string[]): CdrFields {
  let rows: string[][];
  try {
    rows = parse(line, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new BadRecord('csv', (err as Error).message.slice(0, 200));
  }
  if (rows.length !== 1) throw new BadRecord('csv', `expected one record, got ${rows.length}`);
  const values = rows[0];
  const trailingEmpty = values.length === fields.length + 1 && values[values.length - 1] === '';
  if (values.length !== fields.length && !trailingEmpty) {
    throw new BadRecord('field count', `${values.length} fields, the configured template has ${fields.length}`);
  }
  const out: CdrFields = {};
  fields.forEach((name, i) => (out[name] = values[i].trim()));
  return out;
}

/** The header line some exports start with: it names the fields instead of holding values. */
export function isHeaderLine(line: string, fields: readonly string[]): boolean {
  return line.trim().replace(/"/g, '') === fields.join(',');
}
