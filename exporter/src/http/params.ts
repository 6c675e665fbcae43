import { Type } from '@sinclair/typebox';
import { badParameter } from './problem';

/** Query-string and path building blocks the route families share, and the parsers for what a schema cannot judge. */

export const TimeParam = (what: string) =>
  Type.String({ description: `${what}: ISO 8601 (2026-11-23T19:30:00Z) or epoch milliseconds`, maxLength: 40 });
export const Name = (what: string) => Type.String({ minLength: 1, maxLength: 128, description: what });

/** `/calls/:id`: read by the call routes, acted on by the control routes; one bound for both. */
export const CallIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/i;

/** Date.parse rolls 2026-02-30 over into March and 24:30 into the next day; a field out of its range is an error. */
function outOfRange(m: RegExpExecArray): string | undefined {
  const [year, month, day, hour, minute, second, offH, offM] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  if (month < 1 || month > 12) return `there is no month ${m[2]}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${m[1]}-${m[2]} has days 01 to ${days}`;
  if (hour > 23) return `hours run 00 to 23`;
  if (minute > 59) return `minutes run 00 to 59`;
  if (second > 59) return `seconds run 00 to 59`;
  if (offH > 23 || offM > 59) return `the UTC offset is out of range`;
  return undefined;
}

/** `from`/`to`: ISO 8601 or epoch milliseconds. */
export function parseTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,15}$/.test(v)) return Number(v);
  const m = ISO_8601.exec(v);
  if (m) {
    const bad = outOfRange(m);
    if (bad) throw badParameter(name, `"${value}" is not a real date and time: ${bad}`);
    const t = Date.parse(v.replace(',', '.').replace(' ', 'T'));
    if (!Number.isNaN(t)) return t;
  }
  throw badParameter(name, `"${value}" is neither ISO 8601 (2026-11-23T19:30:00Z) nor epoch milliseconds`);
}

export function parseRange(q: { from?: string; to?: string }): { from?: number; to?: number } {
  const from = parseTime('from', q.from);
  const to = parseTime('to', q.to);
  if (from !== undefined && to !== undefined && to < from) throw badParameter('to', 'is before from');
  return { from, to };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `interval`: seconds (`3600`) or a number with a unit (`30s`, `15m`, `1h`, `1d`); returns ms. */
export function parseInterval(name: string, value: string): number {
  const m = /^(\d{1,7})([smhd]?)$/.exec(value.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] || 's'] : NaN;
  if (!(ms >= 1000)) throw badParameter(name, `"${value}" is not a duration of at least 1 s (e.g. 3600, 15m, 1h, 1d)`);
  return ms;
}

export const iso = (ms: number | undefined | null): string | null =>
  ms === undefined || ms === null ? null : new Date(ms).toISOString();

export const seconds = (ms: number | undefined | null): number | null =>
  ms === undefined || ms === null ? null : ms / 1000;
