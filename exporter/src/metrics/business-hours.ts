import type { Config } from '../config/schema';

type Schedule = Config['businessHours'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

interface Range {
  start: number;
  end: number;
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function parseRange(r: string): Range {
  const [a, b] = r.split('-');
  return { start: minutes(a), end: minutes(b) };
}

interface LocalTime {
  date: string;
  weekday: number;
  minute: number;
}

/**
 * Whether the configured weekly schedule is open at an instant, in the schedule's own time zone (so daylight-saving
 * shifts move with the wall clock). A range whose end is not after its start runs past midnight into the next day
 * ("22:00-06:00"). Holidays close the whole local date. With no ranges at all the schedule is always closed: the
 * schedule never invents opening hours nobody configured.
 */
export class BusinessHours {
  private readonly days: Range[][];
  private readonly holidays: Set<string>;
  private readonly fmt: Intl.DateTimeFormat;

  constructor(schedule: Schedule) {
    this.days = DAYS.map((d) => (schedule[d] ?? []).map(parseRange));
    this.holidays = new Set(schedule.holidays ?? []);
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: schedule.timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
    });
  }

  private local(at: number): LocalTime {
    const p: Record<string, string> = {};
    for (const part of this.fmt.formatToParts(at)) p[part.type] = part.value;
    const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday);
    return { date: `${p.year}-${p.month}-${p.day}`, weekday, minute: Number(p.hour) * 60 + Number(p.minute) };
  }

  isOpen(at: number): boolean {
    const t = this.local(at);
    if (this.holidays.has(t.date)) return false;
    for (const r of this.days[t.weekday]) {
      if (r.end > r.start ? t.minute >= r.start && t.minute < r.end : t.minute >= r.start) return true;
    }
    // the tail of yesterday's overnight range
    for (const r of this.days[(t.weekday + 6) % 7]) {
      if (r.end <= r.start && t.minute < r.end) return true;
    }
    return false;
  }
}
