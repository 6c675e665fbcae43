import { BusinessHours } from '../../src/metrics/business-hours';
import type { Config } from '../../src/config/schema';

type Schedule = Config['businessHours'];
const schedule = (over: Partial<Schedule>): Schedule => ({
  timezone: 'UTC',
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
  holidays: [],
  ...over,
});

describe('BusinessHours', () => {
  const weekdays = {
    mon: ['08:00-12:00', '13:00-17:30'],
    tue: ['08:00-17:30'],
    wed: ['08:00-17:30'],
    thu: ['08:00-17:30'],
    fri: ['08:00-15:00'],
  };

  it('is open inside the ranges of the day, closed outside and at the end minute', () => {
    const bh = new BusinessHours(schedule(weekdays));
    // 2026-11-23 is a Monday
    expect(bh.isOpen(Date.parse('2026-11-23T07:59:59Z'))).toBe(false);
    expect(bh.isOpen(Date.parse('2026-11-23T08:00:00Z'))).toBe(true);
    expect(bh.isOpen(Date.parse('2026-11-23T12:30:00Z'))).toBe(false); // lunch
    expect(bh.isOpen(Date.parse('2026-11-23T17:29:59Z'))).toBe(true);
    expect(bh.isOpen(Date.parse('2026-11-23T17:30:00Z'))).toBe(false);
    expect(bh.isOpen(Date.parse('2026-11-27T15:30:00Z'))).toBe(false); // Friday closes early
    expect(bh.isOpen(Date.parse('2026-11-28T10:00:00Z'))).toBe(false); // Saturday
  });

  it('reads the wall clock of the configured time zone, daylight saving included', () => {
    const bh = new BusinessHours(schedule({ ...weekdays, timezone: 'Europe/Berlin' }));
    // winter: Berlin is UTC+1, so 08:00 local is 07:00Z
    expect(bh.isOpen(Date.parse('2026-11-23T07:00:00Z'))).toBe(true);
    expect(bh.isOpen(Date.parse('2026-11-23T06:59:00Z'))).toBe(false);
    // summer: UTC+2, so 08:00 local is 06:00Z
    expect(bh.isOpen(Date.parse('2026-06-22T06:00:00Z'))).toBe(true);
    expect(bh.isOpen(Date.parse('2026-06-22T05:59:00Z'))).toBe(false);
    // Monday 00:30 in Berlin is still Sunday 23:30Z
    const sunday = new BusinessHours(schedule({ timezone: 'Europe/Berlin', mon: ['00:00-01:00'] }));
    expect(sunday.isOpen(Date.parse('2026-11-22T23:30:00Z'))).toBe(true);
  });

  it('closes on holidays (local date)', () => {
    const bh = new BusinessHours(schedule({ ...weekdays, timezone: 'America/New_York', holidays: ['2026-11-26'] }));
    expect(bh.isOpen(Date.parse('2026-11-25T15:00:00Z'))).toBe(true); // Wed 10:00 EST
    expect(bh.isOpen(Date.parse('2026-11-26T15:00:00Z'))).toBe(false); // Thanksgiving
  });

  it('runs an overnight range into the next morning', () => {
    const bh = new BusinessHours(schedule({ fri: ['22:00-06:00'], sat: ['00:00-24:00'] }));
    expect(bh.isOpen(Date.parse('2026-11-27T21:59:00Z'))).toBe(false);
    expect(bh.isOpen(Date.parse('2026-11-27T23:00:00Z'))).toBe(true);
    expect(bh.isOpen(Date.parse('2026-11-28T23:59:00Z'))).toBe(true); // all of Saturday
    const onlyFri = new BusinessHours(schedule({ fri: ['22:00-06:00'] }));
    expect(onlyFri.isOpen(Date.parse('2026-11-28T05:59:00Z'))).toBe(true);
    expect(onlyFri.isOpen(Date.parse('2026-11-28T06:00:00Z'))).toBe(false);
  });

  it('is always closed when no hours are configured', () => {
    const bh = new BusinessHours(schedule({}));
    for (let h = 0; h < 24 * 7; h += 5)
      expect(bh.isOpen(Date.parse('2026-11-23T00:00:00Z') + h * 3600_000)).toBe(false);
  });
});
