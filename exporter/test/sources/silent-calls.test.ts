import type { Logger } from 'pino';
import type { CallFeed } from '../../src/sources/runtime/context';
import { OpenCallTimeoutSeconds, SilentCalls } from '../../src/sources/runtime/silent-calls';

/** open calls by id with the time of their last event, as a correlator keeps them */
function feed(open: Record<string, number>) {
  const reconciled: { alive: Set<string>; ids: Set<string> }[] = [];
  const calls = {
    openIds: (since?: number) => new Set(Object.keys(open).filter((id) => since === undefined || open[id] < since)),
    reconcile: (alive: Set<string>, ids: Set<string>) => {
      reconciled.push({ alive, ids });
      for (const id of ids) if (!alive.has(id)) delete open[id];
      return [];
    },
  } as unknown as CallFeed;
  return { calls, reconciled };
}

describe('SilentCalls', () => {
  it('ends the calls silent for the timeout, on its clock, and drops what the translator kept about them', () => {
    const { calls, reconciled } = feed({ old: 1_000, recent: 3_000_000 });
    const warn = jest.fn();
    const forget = jest.fn();
    const silent = new SilentCalls(
      { calls, log: { warn } as unknown as Logger },
      { timeoutSeconds: 3600, now: () => 3_700_000, forget, what: 'NFON calls' },
    );
    silent.close();
    expect(forget).toHaveBeenCalledWith(100_000);
    expect(reconciled).toEqual([{ alive: new Set(), ids: new Set(['old']) }]);
    expect(warn).toHaveBeenCalledWith({ calls: 1 }, 'NFON calls without a hangup closed as incomplete');

    // nothing silent: nothing reconciled, nothing logged
    silent.close();
    expect(reconciled).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('checks every minute, or every timeout if that is shorter, until stopped', () => {
    jest.useFakeTimers();
    try {
      const { calls } = feed({});
      const forget = jest.fn();
      const silent = new SilentCalls(
        { calls, log: { warn: jest.fn() } as unknown as Logger },
        { timeoutSeconds: 60, now: () => 0, forget, what: 'webhook calls' },
      );
      silent.start();
      jest.advanceTimersByTime(180_000);
      expect(forget).toHaveBeenCalledTimes(3);
      silent.stop();
      jest.advanceTimersByTime(180_000);
      expect(forget).toHaveBeenCalledTimes(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives both sources the same config key, naming who never sent the hangup', () => {
    expect(OpenCallTimeoutSeconds('NFON')).toMatchObject({ minimum: 60, default: 14_400 });
    expect(OpenCallTimeoutSeconds('NFON').description).toMatch(/\(NFON never sent its hangup\)$/);
  });
});
