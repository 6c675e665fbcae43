import { Readable } from 'node:stream';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RESPONSE_MODELS } from './models';
import { StringEnum } from './typebox';

/**
 * CSV answers for the list routes: the same items as the JSON, flattened to one row each (`from.number`), in the
 * order of the response model, streamed so a million calls never sit in memory at once.
 */

export const FORMATS = ['json', 'csv'] as const;
export const FormatParam = StringEnum(FORMATS, {
  description: '`csv`: the whole list as CSV (also with `Accept: text/csv`), streamed, no paging; default json',
});

/** `format=csv`, or `Accept: text/csv` without `format=json`. */
export function wantsCsv(req: FastifyRequest): boolean {
  const format = (req.query as { format?: string } | undefined)?.format;
  if (format !== undefined) return format === 'csv';
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(req.headers.accept ?? '');
}

/** One CSV column: its header and where its value sits in an item. */
export interface Column {
  header: string;
  path: readonly string[];
}

const MODELS = new Map(RESPONSE_MODELS.map((m) => [m.$id!, m as TSchema]));

const isObjectSchema = (s: TSchema): boolean =>
  s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));

/**
 * The columns of a response model: nested objects (parties, a call's group) become dotted columns, arrays stay one
 * column. Derived from the schema, so the header is the same with no rows and follows the model as it grows.
 */
export function columnsOf(schema: TSchema, prefix: readonly string[] = []): Column[] {
  const s = typeof schema.$ref === 'string' ? MODELS.get(schema.$ref.replace(/#$/, '')) : schema;
  if (!s) throw new Error(`no response model ${String(schema.$ref)}`);
  if (!isObjectSchema(s) || !s.properties) return [{ header: prefix.join('.'), path: prefix }];
  return Object.entries(s.properties as Record<string, TSchema>).flatMap(([k, v]) => columnsOf(v, [...prefix, k]));
}

/** The first character of a cell that a spreadsheet reads as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * One cell. Numbers and booleans as JSON writes them; text that a spreadsheet would run as a formula gets a leading
 * `'` (so `+4930…` reads `'+4930…` and stays text); quotes where RFC 4180 needs them; arrays as compact JSON.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function valueAt(item: unknown, path: readonly string[]): unknown {
  let v = item;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

export const csvRow = (columns: readonly Column[], item: unknown): string =>
  columns.map((c) => csvCell(valueAt(item, c.path))).join(',') + '\r\n';

/** rows are joined into chunks of about this size: one write per chunk, not per row */
const CHUNK_CHARS = 16 * 1024;

/** The header, then the rows in chunks; pulled by the response stream, so a slow client slows the reading. */
export function* csvChunks(columns: readonly Column[], items: Iterable<unknown>): Generator<string> {
  let chunk = columns.map((c) => csvCell(c.header)).join(',') + '\r\n';
  for (const item of items) {
    chunk += csvRow(columns, item);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** Lazily renders each item as the stream pulls it. */
export function* map<T, U>(items: Iterable<T>, render: (t: T) => U): Generator<U> {
  for (const t of items) yield render(t);
}

/** `calls-20261202T143000Z.csv`: what, and when it was taken. */
export const csvFilename = (name: string, now: number): string =>
  `${name}-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}.csv`;

/**
 * Streams `items` as a CSV download. The stream pulls from the iterator only as the socket drains (backpressure);
 * a client that goes away ends the iterator, which closes whatever it reads from.
 */
export function sendCsv(
  reply: FastifyReply,
  name: string,
  columns: readonly Column[],
  items: Iterable<unknown>,
  now: number,
): FastifyReply {
  // strings, not Buffers: the socket copies a string out of the heap and frees the copy when written, where a Buffer
  // would be garbage outside the heap that V8 collects late (tens of MB during a large export)
  const body = Readable.from(csvChunks(columns, items), { objectMode: true, highWaterMark: 4 });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csvFilename(name, now)}"`)
    .send(body);
}
