import { createDataFrame, FieldType } from '@grafana/data';
import { callFrame, extensionFrame, NOW } from '../test/factory';
import { callsFromFrames } from './calls';
import { extensionsFromFrames } from './extensions';
import { formatDuration, formatIdle, formatNumber, partyLabel } from './format';
import { normalizeState } from './states';
import { buildWall, compareNumbers, longCallCount } from './wall';

describe('frames → extension rows', () => {
  it('reads the field contract, lists from CSV, times as ms', () => {
    const [row] = extensionsFromFrames([
      extensionFrame([
        {
          extension: '1001',
          name: 'Alice',
          state: 'in_call',
          counterpart: '+12125550101',
          callStartedAt: NOW - 5000,
          queues: 'sales, support',
          pausedQueues: 'support',
          voicemailNew: 2,
        },
      ]),
    ]);
    expect(row).toMatchObject({
      extension: '1001',
      name: 'Alice',
      state: 'in_call',
      registered: true,
      counterpart: '+12125550101',
      callStartedAt: NOW - 5000,
      queues: ['sales', 'support'],
      pausedQueues: ['support'],
      voicemailNew: 2,
      pbx: 'demo',
    });
  });

  it('accepts other sources: aliases, ISO and epoch-second times, array queues, odd state spellings', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'Ext', type: FieldType.string, values: ['200', '201', '202'] },
        { name: 'Status', type: FieldType.string, values: ['InUse', 'On Hold', 'sleeping'] },
        { name: 'since', type: FieldType.string, values: ['2026-11-23T19:29:00Z', null, null] },
        { name: 'idle_since', type: FieldType.number, values: [null, null, NOW / 1000 - 60] },
        { name: 'queues', type: FieldType.other, values: [['a', 'b'], '["c"]', null] },
      ],
    });
    const rows = extensionsFromFrames([frame]);
    expect(rows.map((r) => r.state)).toEqual(['in_call', 'on_hold', 'unknown']);
    expect(rows[0].callStartedAt).toBe(NOW - 60_000);
    expect(rows[2].idleSince).toBe(NOW - 60_000);
    expect(rows.map((r) => r.queues)).toEqual([['a', 'b'], ['c'], []]);
  });

  it('unregistered means unavailable; DND wins over idle', () => {
    const rows = extensionsFromFrames([
      extensionFrame([
        { extension: '1', state: 'idle', registered: false },
        { extension: '2', state: 'idle', dnd: true },
        { extension: '3', state: 'in_call', dnd: true },
      ]),
    ]);
    expect(rows.map((r) => r.state)).toEqual(['unavailable', 'dnd', 'in_call']);
  });

  it('ignores frames without the contract fields', () => {
    const other = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'value', type: FieldType.number, values: [1] },
      ],
    });
    expect(extensionsFromFrames([other])).toEqual([]);
    expect(normalizeState(undefined)).toBe('unknown');
  });
});

describe('frames → active calls', () => {
  it('unanswered first (ringing, then waiting in a queue), then on hold, then talking; the oldest first in each', () => {
    const rows = callsFromFrames([
      callFrame([
        { id: 'new', startedAt: NOW - 10_000, from: '+4930123456' },
        { id: 'old', startedAt: NOW - 90_000, answeredAt: NOW - 80_000, from: '1001', to: '1002' },
        { id: 'older', startedAt: NOW - 95_000, answeredAt: NOW - 80_000, from: '1003', to: '1004' },
        { id: 'queued', startedAt: NOW - 40_000, from: '+4930999', status: 'waiting' },
        { id: 'held', startedAt: NOW - 20_000, answeredAt: NOW - 15_000, from: '1005', status: 'on_hold' },
        { id: 'rang', startedAt: NOW - 30_000, from: '1006', status: 'ringing' },
      ]),
    ]);
    expect(rows.map((r) => [r.key, r.phase])).toEqual([
      ['rang', 'ringing'],
      ['new', 'ringing'],
      ['queued', 'waiting'],
      ['held', 'on_hold'],
      ['older', 'talking'],
      ['old', 'talking'],
    ]);
  });
});

describe('wall view model', () => {
  const rows = extensionsFromFrames([
    extensionFrame([
      { extension: '1010', name: 'Zoe', state: 'idle', idleSince: NOW - 100_000, queues: 'sales' },
      { extension: '1002', name: 'Bob', state: 'in_call', callStartedAt: NOW - 50_000, queues: 'sales,support' },
      { extension: '1001', name: 'Alice', state: 'ringing', callStartedAt: NOW - 3_000 },
      { extension: '2001', name: 'Carl', state: 'idle', idleSince: NOW - 900_000, pbx: 'branch' },
      { extension: '1003', name: 'Dan', state: 'idle', registered: false },
    ]),
  ]);
  const numbers = (g: ReturnType<typeof buildWall>) => g.map((x) => [x.title, x.items.map((r) => r.extension)]);

  it('sorts by number (numeric), name, state and idle', () => {
    expect(numbers(buildWall(rows, { sortBy: 'number', groupBy: 'none' }))).toEqual([
      ['', ['1001', '1002', '1003', '1010', '2001']],
    ]);
    expect(numbers(buildWall(rows, { sortBy: 'name', groupBy: 'none' }))[0][1]).toEqual([
      '1001',
      '1002',
      '2001',
      '1003',
      '1010',
    ]);
    expect(numbers(buildWall(rows, { sortBy: 'state', groupBy: 'none' }))[0][1]).toEqual([
      '1001',
      '1002',
      '1010',
      '2001',
      '1003',
    ]);
    expect(numbers(buildWall(rows, { sortBy: 'idle', groupBy: 'none' }))[0][1]).toEqual([
      '2001',
      '1010',
      '1001',
      '1002',
      '1003',
    ]);
  });

  it('attention: ringing, on hold, long calls (longest first), then the rest in state order', () => {
    const wall = extensionsFromFrames([
      extensionFrame([
        { extension: '1', state: 'idle', idleSince: NOW - 10_000 },
        { extension: '2', state: 'in_call', callStartedAt: NOW - 60_000 },
        { extension: '3', state: 'in_call', callStartedAt: NOW - 900_000 },
        { extension: '4', state: 'on_hold', callStartedAt: NOW - 30_000 },
        { extension: '5', state: 'ringing', callStartedAt: NOW - 5_000 },
        { extension: '6', state: 'busy', callStartedAt: NOW - 700_000 },
        { extension: '7', state: 'unavailable', registered: false },
        { extension: '8', state: 'ringing', callStartedAt: NOW - 20_000 },
        { extension: '10', state: 'busy', callStartedAt: NOW - 100_000 },
        { extension: '11', state: 'in_call', callStartedAt: NOW - 590_000 },
      ]),
    ]);
    const order = (now: number) =>
      numbers(buildWall(wall, { sortBy: 'attention', groupBy: 'none', now, longCallSeconds: 600 }))[0][1];
    expect(order(NOW)).toEqual(['8', '5', '4', '3', '6', '11', '2', '10', '1', '7']);
    // ten minutes on, every call is long: the busy phone's call (older than 2's) moves ahead of it
    expect(order(NOW + 600_000)).toEqual(['8', '5', '4', '3', '6', '11', '10', '2', '1', '7']);
    expect(longCallCount(wall, NOW, 600)).toBe(2);
    expect(longCallCount(wall, NOW + 600_000, 600)).toBe(8);
    // a stale call is judged where its data stopped
    const stale = extensionsFromFrames([
      extensionFrame([
        { extension: '9', state: 'in_call', callStartedAt: NOW - 900_000, stale: true, staleSince: NOW - 800_000 },
      ]),
    ]);
    expect(longCallCount(stale, NOW, 600)).toBe(0);
  });

  it('plain numbers sort as the numeric collator sorts them, others by the collator', () => {
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    const values = ['10', '9', '100', '1001', '0', '099', '1000a', 'PJSIP/200', '20', '2', '19', '200'];
    const ours = [...values].sort(compareNumbers);
    expect(ours).toEqual([...values].sort((a, b) => collator.compare(a, b)));
  });

  it('groups by queue (an extension in two queues shows in both), pbx and prefix', () => {
    expect(numbers(buildWall(rows, { sortBy: 'number', groupBy: 'queue' }))).toEqual([
      ['sales', ['1002', '1010']],
      ['support', ['1002']],
      ['No queue', ['1001', '1003', '2001']],
    ]);
    expect(numbers(buildWall(rows, { sortBy: 'number', groupBy: 'pbx' }))).toEqual([
      ['branch', ['2001']],
      ['demo', ['1001', '1002', '1003', '1010']],
    ]);
    expect(numbers(buildWall(rows, { sortBy: 'number', groupBy: 'prefix', prefixLength: 3 }))).toEqual([
      ['100x', ['1001', '1002', '1003']],
      ['101x', ['1010']],
      ['200x', ['2001']],
    ]);
  });

  it('filters by text, states and registration', () => {
    expect(numbers(buildWall(rows, { sortBy: 'number', groupBy: 'none', filter: 'bo' }))[0][1]).toEqual(['1002']);
    expect(numbers(buildWall(rows, { sortBy: 'number', groupBy: 'none', states: ['idle'] }))[0][1]).toEqual([
      '1010',
      '2001',
    ]);
    expect(numbers(buildWall(rows, { sortBy: 'number', groupBy: 'none', hideUnregistered: true }))[0][1]).toEqual([
      '1001',
      '1002',
      '1010',
      '2001',
    ]);
    expect(buildWall(rows, { sortBy: 'number', groupBy: 'none' })[0].counts).toEqual({
      idle: 2,
      in_call: 1,
      ringing: 1,
      unavailable: 1,
    });
  });
});

describe('format', () => {
  it('durations and idle times', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_999)).toBe('1:05');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatIdle(45_000)).toBe('45s');
    expect(formatIdle(12 * 60_000 + 59_000)).toBe('12m');
    expect(formatIdle(125 * 60_000)).toBe('2h 05m');
    expect(formatIdle(76 * 3600_000)).toBe('3d 4h');
  });

  it('phone numbers: international by default, national for the home country, extensions untouched', () => {
    expect(formatNumber('+12125550101', 'international')).toBe('+1 212 555 0101');
    expect(formatNumber('+12125550101', 'national', 'US')).toBe('(212) 555-0101');
    expect(formatNumber('+4930123456', 'national', 'US')).toBe('+49 30 123456');
    expect(formatNumber('1001', 'international')).toBe('1001');
    expect(formatNumber('anonymous', 'international')).toBe('anonymous');
    expect(formatNumber('+12125550101', 'raw')).toBe('+12125550101');
    expect(partyLabel('+12125550101', 'Acme', 'international')).toEqual({
      primary: 'Acme',
      secondary: '+1 212 555 0101',
    });
    expect(partyLabel(undefined, undefined, 'international')).toEqual({ primary: 'unknown' });
  });
});
