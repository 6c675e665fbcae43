import { Clock } from './clock';

describe('Clock', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs one interval while anyone listens, and notifies every listener per tick', () => {
    const clock = new Clock(1000);
    const a = jest.fn();
    const b = jest.fn();
    const offA = clock.subscribe(a);
    const offB = clock.subscribe(b);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(3000);
    expect(a).toHaveBeenCalledTimes(3);
    expect(b).toHaveBeenCalledTimes(3);
    offA();
    expect(clock.running).toBe(true);
    offB();
    expect(clock.running).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });
});
