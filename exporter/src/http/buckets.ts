import { Type } from '@sinclair/typebox';
import { offsetAt } from '../domain/time-zone';
import { calendarBuckets, parseTimeZone, pieces, wallToInstant, WEEK_PHASE } from './calendar';
import { parseInterval, parseRange } from './params';
import { badParameter } from './problem';

export const DAY_MS = 86_400_000;
/** more buckets than this is a mistake (a 1 s interval over a month), not a chart */
const MAX_BUCKETS = 10_000;

export const ZoneParam = Type.String({
  maxLength: 64,
  description: 'IANA time zone (Europe/Berlin): days and weeks start at local midnight; default UTC',
});

export const BucketParam = Type.String({
  maxLength: 12,
  description:
    'bucket width: seconds or 30s/15m/1h/1d/1w; with `tz`, days and weeks are local calendar days and Monday weeks',
});

/** One SQL pass: calls in [from, to), bucketed as multiples of `intervalMs` of (started_at + shiftMs). */
export interface BucketRun {
  from: number;
  to: number;
  intervalMs?: number;
  shiftMs: number;
  /** the instant a bucket value of this run starts at */
  instant: (bucket: number) => number;
}

export interface BucketPlan {
  /** every bucket start, oldest first (for filling empty buckets) */
  buckets: number[];
  runs: BucketRun[];
}

/**
 * How `interval` and `tz` cut [from, to) into buckets.
 * - no interval: one bucket starting at `from`;
 * - without tz: multiples of the interval since the epoch (UTC), as always; `1w` (weeks) are Monday weeks in UTC;
 * - with tz: whole days (`1d`, `2d`, `24h`) and weeks start at local midnight (a day across a DST change lasts 23 or
 *   25 hours), weeks on Monday; shorter intervals are fixed widths aligned to the local clock at `from`
 *   (so `1h` buckets in Asia/Kolkata start on the local hour).
 * SQL knows no zones: calendar buckets take one pass per stretch of constant UTC offset, bucketing local time.
 */
export function planBuckets(
  q: { interval?: string; tz?: string },
  from: number,
  to: number,
  maxBuckets: number,
): BucketPlan {
  const tz = q.tz === undefined ? undefined : parseTimeZone('tz', q.tz);
  if (q.interval === undefined) return { buckets: [from], runs: [{ from, to, shiftMs: 0, instant: () => from }] };
  const weeks = /^\s*(\d{1,4})w\s*$/.exec(q.interval);
  const ms = weeks ? Number(weeks[1]) * 7 * DAY_MS : parseInterval('interval', q.interval);
  if (ms < 1000) throw badParameter('interval', `"${q.interval}" is not a duration of at least 1 s`);
  const tooMany = (n: number) => badParameter('interval', `gives ${n} buckets over this range; at most ${maxBuckets}`);

  if (weeks || (tz !== undefined && ms % DAY_MS === 0)) {
    const zone = tz ?? 'UTC';
    const iv = { widthMs: ms, phaseMs: weeks ? WEEK_PHASE : 0 };
    const buckets = calendarBuckets(zone, iv, from, to, maxBuckets);
    if (buckets.length > maxBuckets) throw tooMany(buckets.length);
    const runs = pieces(zone, from, to).map((p) => ({
      from: p.from,
      to: p.to,
      intervalMs: ms,
      shiftMs: p.offset - iv.phaseMs,
      instant: (b: number) => wallToInstant(zone, b + iv.phaseMs),
    }));
    return { buckets, runs };
  }

  const shift = tz === undefined ? 0 : offsetAt(tz, from);
  const first = from - ((((from + shift) % ms) + ms) % ms);
  const count = Math.ceil((to - first) / ms);
  if (count > maxBuckets) throw tooMany(count);
  return {
    buckets: Array.from({ length: count }, (_, i) => first + i * ms),
    runs: [{ from, to, intervalMs: ms, shiftMs: shift, instant: (b) => b - shift }],
  };
}

/**
 * The buckets of a bucketed history query: [from, to) from the query, `to` defaulting to now and `from` to
 * `defaultSpanMs` before `to`, cut by `interval` and `tz`. The clock is read only when `to` is left out.
 */
export function bucketedRange(
  q: { from?: string; to?: string; interval?: string; tz?: string },
  now: () => number,
  defaultSpanMs: number,
): BucketPlan {
  const range = parseRange(q);
  const to = range.to ?? now();
  const from = range.from ?? to - defaultSpanMs;
  if (from > to) throw badParameter('from', 'is after to');
  return planBuckets(q, from, to, MAX_BUCKETS);
}
