import { PbxClock } from '../../src/sources/runtime/pbx-clock';

/** Which PBX timestamps correlation believes: the rules of pbx-clock.ts, one by one. */
const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('PBX clock', () => {
  it('believes a PBX clock behind or ahead of ours (a replayed day), and stamps that move on with it', () => {
    const c = new PbxClock();
    expect(c.judge(T0 - 30 * DAY, T0)).toEqual({ at: T0 - 30 * DAY, believed: true, rebased: false });
    // a replay runs faster than real time: hours of PBX time in a few ms are no doubt while each step is under a day
    expect(c.judge(T0 - 30 * DAY + 5 * HOUR, T0 + 5)).toMatchObject({ believed: true });
    // a quiet night on a live PBX: the time that passed here counts
    expect(c.judge(T0 - 30 * DAY + 5 * HOUR + 2 * DAY, T0 + 2 * DAY)).toMatchObject({ believed: true });
    // a little out of order is no doubt either
    expect(c.judge(T0 - 30 * DAY + 5 * HOUR + 2 * DAY - 2000, T0 + 2 * DAY + 1)).toMatchObject({ believed: true });
  });

  it('doubts a stamp that is no number, far ahead or far behind, and gives the PBX time expected now instead', () => {
    const c = new PbxClock();
    c.judge(T0, T0);
    expect(c.judge(NaN, T0 + 1000)).toEqual({ at: T0 + 1000, believed: false, reason: 'not a number' });
    expect(c.judge(-5, T0 + 1000)).toMatchObject({ believed: false, reason: 'not a number' });
    expect(c.judge(T0 * 10, T0 + 2000)).toEqual({ at: T0 + 2000, believed: false, reason: 'far ahead' });
    expect(c.judge(1000, T0 + 3000)).toEqual({ at: T0 + 3000, believed: false, reason: 'far behind' });
    // the doubted ones moved nothing: the next good stamp is believed
    expect(c.judge(T0 + 4000, T0 + 4000)).toMatchObject({ at: T0 + 4000, believed: true });
  });

  it('doubts a first stamp a year away from our clock', () => {
    expect(new PbxClock().judge(T0 + 400 * DAY, T0)).toMatchObject({ believed: false, reason: 'far ahead' });
    expect(new PbxClock().judge(1_000, T0)).toMatchObject({ believed: false, reason: 'far behind' });
  });

  it('follows a PBX clock confirmed elsewhere by three stamps in a row, never by one or two', () => {
    const c = new PbxClock();
    c.judge(T0, T0);
    const moved = T0 - 3 * DAY;
    expect(c.judge(moved, T0 + 10)).toMatchObject({ believed: false, reason: 'far behind' });
    expect(c.judge(T0 + 20, T0 + 20)).toMatchObject({ believed: true });
    expect(c.judge(moved + 30, T0 + 30)).toMatchObject({ believed: false });
    expect(c.judge(moved + 40, T0 + 40)).toMatchObject({ believed: false });
    expect(c.judge(moved + 50, T0 + 50)).toEqual({ at: moved + 50, believed: true, rebased: true });
    expect(c.judge(moved + 60, T0 + 60)).toEqual({ at: moved + 60, believed: true, rebased: false });
  });
});
