import { offsetAt } from '../domain/time-zone';
import { badParameter } from './problem';

/**
 * Local calendar buckets in an IANA time zone: days that start at local midnight (23 or 25 hours long across a DST
 * change), weeks that start on Monday. SQLite knows no time zones, so a range is cut where the zone's UTC offset
 * changes; within a piece, "local time" is UTC time plus one fixed offset, which SQL can bucket by plain arithmetic.
 */

const DAY = 86_400_000;
/** the epoch (1970-01-01) was a Thursday: Monday-aligned weeks are multiples of 7 days after this phase */
export const WEEK_PHASE = 4 * DAY;

/** `tz`: an IANA zone name the runtime knows (Europe/Berlin, America/New_York, UTC); 400 naming `name` otherwise. */
export function parseTimeZone(name: string, value: string): string {
  try {
    // canonical spelling (europe/berlin → Europe/Berlin), and a RangeError for what is no zone
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw badParameter(name, `"${value}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`);
  }
}

/**
 * The instant a local wall-clock time (given as if it were UTC) happens. Twice (a fall-back night): the first.
 * Never (a spring-forward gap, e.g. Santiago's midnight in September): the first instant after the gap.
 */
export function wallToInstant(tz: string, wall: number): number {
  const before = wall - offsetAt(tz, wall - DAY);
  const after = wall - offsetAt(tz, wall + DAY);
  const candidates = [before, after].filter((t) => t + offsetAt(tz, t) === wall);
  if (candidates.length) return Math.min(...candidates);
  // in the gap: the change of offset between the two readings is where the day really starts
  return changeBetween(tz, Math.min(before, after), Math.max(before, after));
}

/** The instant in (lo, hi] where the offset changes, given offsetAt(lo) ≠ offsetAt(hi); to the millisecond. */
function changeBetween(tz: string, lo: number, hi: number): number {
  const first = offsetAt(tz, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(tz, mid) === first) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A stretch of time with one UTC offset. */
export interface Piece {
  from: number;
  to: number;
  offset: number;
}

/** [from, to) cut where the zone's offset changes (found by sampling every 6 hours, then to the millisecond). */
export function pieces(tz: string, from: number, to: number): Piece[] {
  const STEP = 6 * 3_600_000;
  const out: Piece[] = [];
  let start = from;
  let offset = offsetAt(tz, from);
  for (let t = from; t < to;) {
    const next = Math.min(t + STEP, to);
    if (offsetAt(tz, next) !== offset) {
      const change = changeBetween(tz, t, next);
      if (change < to) {
        out.push({ from: start, to: change, offset });
        start = change;
        offset = offsetAt(tz, change);
      }
    }
    t = next;
  }
  out.push({ from: start, to, offset });
  return out;
}

/** Calendar buckets of N days or N weeks, as local wall-clock numbers (ms since 1970-01-01 00:00 local). */
export interface CalendarInterval {
  /** bucket width in local ms: N × day or N × 7 days */
  widthMs: number;
  /** 0 for days, WEEK_PHASE for Monday weeks */
  phaseMs: number;
}

/** The local bucket holding local wall time `wall`. */
export const wallBucket = (iv: CalendarInterval, wall: number): number =>
  Math.floor((wall - iv.phaseMs) / iv.widthMs) * iv.widthMs + iv.phaseMs;

/** Every bucket start, as an instant, from the bucket holding `from` until `to`. */
export function calendarBuckets(tz: string, iv: CalendarInterval, from: number, to: number, max: number): number[] {
  const out: number[] = [];
  for (let wall = wallBucket(iv, from + offsetAt(tz, from)); ; wall += iv.widthMs) {
    const t = wallToInstant(tz, wall);
    if (t >= to) break;
    out.push(t);
    if (out.length > max) break;
  }
  return out;
}
