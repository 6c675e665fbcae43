import { createContext, useContext, useSyncExternalStore } from 'react';

/**
 * The panel's one 1 s timer. Components subscribe through `useClock(select)` and re-render only when their
 * selected value (a formatted duration, a threshold flag) changes, so a 1,000-card wall ticks cheaply.
 * The interval runs only while something listens.
 */
export class Clock {
  private readonly listeners = new Set<() => void>();
  private timer?: ReturnType<typeof setInterval>;
  private current = Date.now();

  constructor(private readonly periodMs = 1000) {}

  now = (): number => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (!this.timer) {
      this.current = Date.now();
      this.timer = setInterval(this.tick, this.periodMs);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.stop();
      }
    };
  };

  tick = () => {
    this.current = Date.now();
    this.listeners.forEach((l) => l());
  };

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }
}

export const ClockContext = createContext<Clock | null>(null);

/** A value derived from the panel clock; `select` must return a primitive so unchanged values skip renders. */
export function useClock<T extends string | number | boolean>(select: (now: number) => T): T {
  const clock = useContext(ClockContext);
  if (!clock) {
    throw new Error('useClock needs a ClockContext provider');
  }
  return useSyncExternalStore(clock.subscribe, () => select(clock.now()));
}
