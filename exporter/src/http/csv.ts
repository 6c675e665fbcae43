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

/** `\s` as a regular expression reads it: a cell that starts or ends with one is quoted, so it survives a trim. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The first character of a cell that a spreadsheet reads as a formula (OWASP CSV injection): = + - @ tab CR. */
const isFormulaStart = (c: number): boolean =>
  c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d;

/**
 * One text cell. Scans character codes rather than running regular expressions: a million calls make tens of millions
 * of cells, and most need nothing done.
 */
function textCell(s: string): string {
  if (s.length === 0) return s;
  if (isFormulaStart(s.charCodeAt(0))) s = `'${s}`;
  let quote = isSpace(s.charCodeAt(0)) || isSpace(s.charCodeAt(s.length - 1));
  let quotes = false;
  for (let i = 0; i < s.length && !quotes; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) quotes = quote = true;
    else if (c === 0x2c || c === 0x0a || c === 0x0d) quote = true;
  }
  if (!quote) return s;
  return `"${quotes ? s.replace(/"/g, '""') : s}"`;
}

/**
 * One cell. Numbers and booleans as JSON writes them; text that a spreadsheet would run as a formula gets a leading
 * `'` (so `+4930…` reads `'+4930…` and stays text); quotes where RFC 4180 needs them; arrays as compact JSON.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  // not String(v): V8 caches the strings it makes of numbers, in its old generation, so a million rows of durations
  // (nearly all different) leave some 50 MB there for the next full collection; JSON.stringify bypasses the cache
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return textCell(typeof v === 'string' ? v : JSON.stringify(v));
}

type Cell = (item: unknown) => string;

/** A column's cell as a function of an item, the path walked without building anything on the way. */
function cellOf(path: readonly string[]): Cell {
  if (path.length === 1) {
    const [k] = path;
    return (item) =>
      csvCell(item === null || typeof item !== 'object' ? undefined : (item as Record<string, unknown>)[k]);
  }
  return (item) => {
    let v = item;
    for (const k of path) {
      if (v === null || typeof v !== 'object') return '';
      v = (v as Record<string, unknown>)[k];
    }
    return csvCell(v);
  };
}

/**
 * Renders rows from one function a cell, CRLF included. The cells go into one array kept for every row and are
 * joined into one flat string: built by `+=`, a row would be a tree of some 80 strings, ten times its text.
 */
export function rowWriter<T>(cells: readonly ((t: T) => string)[]): (t: T) => string {
  const parts: string[] = new Array<string>(cells.length).fill('');
  return (t) => {
    for (let i = 0; i < cells.length; i++) parts[i] = cells[i](t);
    return parts.join(',') + '\r\n';
  };
}

/** Renders items as rows of `columns`. */
export const csvRowWriter = (columns: readonly Column[]): ((item: unknown) => string) =>
  rowWriter(columns.map((c) => cellOf(c.path)));

const csvHeader = (columns: readonly Column[]): string => columns.map((c) => csvCell(c.header)).join(',') + '\r\n';

/** rows are joined into chunks of about this size: one write per chunk, not per row */
const CHUNK_CHARS = 16 * 1024;

/**
 * The header, then the rows, in chunks; pulled by the response stream, so a slow client slows the reading. A chunk
 * is joined from its rows into one flat string: built by `+=` it would be a tree of every row's strings, held until
 * the socket has written it.
 */
function* chunked(header: string, rows: Iterable<string>): Generator<string> {
  let chunk = [header];
  let chars = header.length;
  for (const row of rows) {
    chunk.push(row);
    chars += row.length;
    if (chars >= CHUNK_CHARS) {
      yield chunk.join('');
      chunk = [];
      chars = 0;
    }
  }
  if (chunk.length) yield chunk.join('');
}

export const csvChunks = (columns: readonly Column[], items: Iterable<unknown>): Generator<string> =>
  chunked(csvHeader(columns), map(items, csvRowWriter(columns)));

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
export const sendCsv = (
  reply: FastifyReply,
  name: string,
  columns: readonly Column[],
  items: Iterable<unknown>,
  now: number,
): FastifyReply => sendCsvRows(reply, name, columns, map(items, csvRowWriter(columns)), now);

/** `sendCsv` for rows already rendered (CRLF included) in the order of `columns`. */
export function sendCsvRows(
  reply: FastifyReply,
  name: string,
  columns: readonly Column[],
  rows: Iterable<string>,
  now: number,
): FastifyReply {
  // strings, not Buffers: the socket copies a string out of the heap and frees the copy when written, where a Buffer
  // would be garbage outside the heap that V8 collects late (tens of MB during a large export). One chunk waits
  // ready while the socket writes another: more would only sit in the heap.
  const body = Readable.from(chunked(csvHeader(columns), rows), { objectMode: true, highWaterMark: 1 });
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csvFilename(name, now)}"`)
    .send(body);
}
