import type { Call } from '../../src/domain';
import { Store } from '../../src/store/store';
import { tempDir } from '../helpers/tmp';
import { startHarness, type Harness } from '../http/harness';
import { extension, inbound, outbound } from '../http/fixtures';
import { parseMetrics } from './helpers';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 23, 9, 0, 0);

/** A call that rang at several extensions (a ring group) and nobody answered. */
function missed(id: string, at: number, caller: string, exts: string[]): Call {
  const c = inbound({ id, at, caller, status: 'missed' });
  c.legs = [
    c.legs[0],
    ...exts.map((e, i) => ({
      id: `l${i + 2}`,
      party: { number: e },
      role: 'extension' as const,
      startedAt: at + 100,
      endedAt: at + 30_000,
      outcome: 'noanswer' as const,
    })),
  ];
  return c;
}

describe('pbx_extension_missed_unreturned_calls', () => {
  let h: Harness;
  let now = T;
  const series = async () =>
    Object.fromEntries(
      parseMetrics(await (await fetch(`${h.url}/metrics`)).text())
        .filter((s) => s.name === 'pbx_extension_missed_unreturned_calls')
        .map((s) => [`${s.labels.pbx}/${s.labels.extension}`, s.value]),
    );
  afterEach(() => h.close());

  it('counts per extension the missed calls nobody called back, and drops them once returned or too old', async () => {
    h = await startHarness({
      config: { metrics: { unreturnedMissed: true, unreturnedWindowHours: 24 } },
      now: () => now,
    });
    h.hub.emit('extension', extension({ extension: '1003' }));
    h.hub.emit('callEnded', missed('m1', T, '+49 30 1234567', ['1001', '1002']));
    h.hub.emit('callEnded', missed('m2', T + 60_000, '+441632960123', ['1001']));
    // answered calls and outbound calls are not missed
    h.hub.emit('callEnded', inbound({ id: 'ok', at: T + 90_000, ext: '1002', caller: '+12125550101' }));
    expect(await series()).toEqual({ 'pbx1/1001': 2, 'pbx1/1002': 1, 'pbx1/1003': 0 });

    // the Berlin caller is called back (the number written another way): m1 is returned for both extensions
    h.hub.emit('callEnded', outbound({ id: 'cb', at: T + HOUR, ext: '1002', callee: '0049301234567' }));
    expect(await series()).toEqual({ 'pbx1/1001': 1, 'pbx1/1002': 0, 'pbx1/1003': 0 });

    // a call back that did not get through returns nothing
    h.hub.emit('callEnded', outbound({ id: 'cb2', at: T + HOUR, callee: '+441632960123', status: 'busy' }));
    expect((await series())['pbx1/1001']).toBe(1);

    // a day later m2 is out of the window
    now = T + 60_000 + 24 * HOUR + 1;
    expect(await series()).toEqual({ 'pbx1/1001': 0, 'pbx1/1002': 0, 'pbx1/1003': 0 });
  });

  it('is bounded by metrics.maxExtensions and absent unless opted in', async () => {
    now = T;
    h = await startHarness({ config: { metrics: { unreturnedMissed: true, maxExtensions: 2 } }, now: () => now });
    h.hub.emit('callEnded', missed('m1', T, '+4930111111', ['2001', '2002', '2003']));
    expect(Object.keys(await series())).toEqual(['pbx1/2001', 'pbx1/2002']);
    await h.close();
    h = await startHarness({ now: () => now });
    h.hub.emit('callEnded', missed('m1', T, '+4930111111', ['2001']));
    expect(await series()).toEqual({});
  });

  it('starts from the history: missed calls stored before a restart, returned ones not', () => {
    const tmp = tempDir('sb-missed-');
    const store = new Store({ path: `${tmp.dir}/s.db` });
    try {
      store.saveCall(missed('old', T - 30 * HOUR, '+4930222222', ['1001']));
      store.saveCall(missed('returned', T - HOUR, '+4930333333', ['1001']));
      store.saveCall(missed('open', T - HOUR / 2, '+4930444444', ['1001', '1002']));
      store.saveCall(outbound({ id: 'cb', at: T - HOUR / 4, callee: '+4930333333' }));
      store.flush();
      expect(store.queries.calls.unreturnedMissed(T - 24 * HOUR)).toEqual([
        { id: 'open', pbx: 'pbx1', key: '30444444', at: T - HOUR / 2, extensions: ['1001', '1002'] },
      ]);
    } finally {
      store.close();
      tmp.cleanup();
    }
  });
});
