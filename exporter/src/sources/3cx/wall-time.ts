import { offsetAt, zoneFormatter } from '../../domain/time-zone';
import { BadRecord } from './bad-record';

const WALL = /^(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Throws unless `zone` is an IANA zone this Node knows (checked once, at configuration time). */
export function assertTimeZone(zone: string): void {
  zoneFormatter(zone);
}

/**
 * A 3CX CDR time (`2024/06/17 05:59:49`, no zone) read as wall-clock time in `zone`. Two passes settle the offset
 * around daylight-saving changes; a wall time that does not exist (the skipped hour) lands just after the jump.
 * Text that already names its zone (ISO 8601 with `Z` or an offset) is taken as it says.
 */
export function parseWallTime(text: string, zone: string, field: string): number {
  const m = WALL.exec(text);
  if (!m) {
    if (/(Z|[+-]\d{2}(:?\d{2})?)$/.test(text)) {
      const t = Date.parse(text.replace(' ', 'T'));
      if (Number.isFinite(t)) return t;
    }
    throw new BadRecord('bad time', `${field}: "${text.slice(0, 40)}" is not YYYY/MM/DD HH:MM:SS`);
  }
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
  if (
    Number.isNaN(guess) ||
    +m[2] < 1 ||
    +m[2] > 12 ||
    +m[3] < 1 ||
    +m[3] > 31 ||
    +m[4] > 23 ||
    +m[5] > 59 ||
    +m[6] > 59
  ) {
    throw new BadRecord('bad time', `${field}: "${text}" is not a valid date and time`);
  }
  if (zone === 'UTC') return guess;
  const first = guess - offsetAt(zone, guess);
  return guess - offsetAt(zone, first);
}

/** `HH:MM:SS` (hours may exceed 24) → milliseconds. */
export function parseDuration(text: string, field: string): number {
  const m = /^(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?$/.exec(text);
  if (!m) throw new BadRecord('bad duration', `${field}: "${text.slice(0, 40)}" is not HH:MM:SS`);
  return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + (m[4] ? Number(m[4].padEnd(3, '0')) : 0);
}
