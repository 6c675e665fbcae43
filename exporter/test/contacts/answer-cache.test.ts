import { AnswerCache } from '../../src/contacts/answer-cache';

/** as the matcher uses it: asks, and keeps what is let in */
function offer<V>(c: AnswerCache<V>, number: string, answer: V, keepOnly?: 'room'): void {
  if (c.admits(number, keepOnly)) c.keep(number, answer);
}

describe('the answer cache', () => {
  const number = (i: number) => `+4930${String(1_000_000 + i)}`;

  it('keeps every answer while it has room', () => {
    const c = new AnswerCache<number>(3);
    for (let i = 0; i < 3; i++) offer(c, number(i), i);
    expect(c.size).toBe(3);
    expect([0, 1, 2].map((i) => c.get(number(i)))).toEqual([0, 1, 2]);
    expect(c.get(number(3))).toBeUndefined();
  });

  it('once full, lets a number in on its second miss only, pushing out the oldest', () => {
    const c = new AnswerCache<number>(3);
    for (let i = 0; i < 3; i++) offer(c, number(i), i);
    offer(c, number(7), 7);
    expect(c.get(number(7))).toBeUndefined();
    expect(c.size).toBe(3);
    offer(c, number(7), 7);
    expect(c.get(number(7))).toBe(7);
    expect(c.get(number(0))).toBeUndefined();
    expect(c.get(number(1))).toBe(1);
    expect(c.size).toBe(3);
  });

  it('a bulk read keeps answers where there is room and never pushes one out', () => {
    const c = new AnswerCache<number>(2);
    offer(c, number(0), 0, 'room');
    offer(c, number(1), 1, 'room');
    for (let n = 0; n < 3; n++) offer(c, number(2), 2, 'room');
    expect([c.get(number(0)), c.get(number(1)), c.get(number(2))]).toEqual([0, 1, undefined]);
    // what a bulk read saw does not count as a first miss for the live lookups either
    offer(c, number(2), 2);
    expect(c.get(number(2))).toBeUndefined();
  });

  it('a flood of one-off numbers leaves the cache as it was; numbers that come back get in', () => {
    const c = new AnswerCache<number>(100, 64);
    for (let i = 0; i < 100; i++) offer(c, number(i), i);
    for (let i = 1000; i < 51_000; i++) offer(c, number(i), i);
    for (let i = 0; i < 100; i++) expect(c.get(number(i))).toBe(i);
    // a regular caller, seen again soon after
    offer(c, '+442079460958', 1);
    offer(c, '+442079460958', 1);
    expect(c.get('+442079460958')).toBe(1);
    expect(c.size).toBe(100);
  });
});
