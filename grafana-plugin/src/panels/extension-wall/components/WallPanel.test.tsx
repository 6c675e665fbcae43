import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import {
  createTheme,
  dateTimeFormat,
  EventBusSrv,
  MappingType,
  FieldConfigSource,
  getDefaultTimeRange,
  LoadingState,
  type DataFrame,
  type PanelProps,
} from '@grafana/data';
import { ThemeContext } from '@grafana/ui';
import { defaultOptions } from '../options';
import { callFrame, extensionFrame, NOW } from '../test/factory';
import type { WallOptions } from '../types';
import { testIds } from './testIds';
import { WallPanel } from './WallPanel';

function props(
  series: DataFrame[],
  options: Partial<WallOptions> = {},
  size = { width: 1200, height: 700 },
  fieldConfig: FieldConfigSource = { defaults: {}, overrides: [] }
): PanelProps<WallOptions> {
  return {
    id: 1,
    data: { state: LoadingState.Streaming, series, timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    timeZone: 'utc',
    options: { ...defaultOptions, ...options },
    fieldConfig,
    transparent: false,
    ...size,
    renderCounter: 0,
    title: 'Wall',
    eventBus: new EventBusSrv(),
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    replaceVariables: (s: string) => s.replace('$team', 'ali'),
  } as unknown as PanelProps<WallOptions>;
}

const cards = () => screen.queryAllByTestId(testIds.card);
const card = (ext: string) => cards().find((c) => c.getAttribute('data-extension') === ext)!;

describe('WallPanel', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(NOW);
  });
  afterEach(() => jest.useRealTimers());

  const frame = extensionFrame([
    {
      extension: '1001',
      name: 'Alice',
      state: 'in_call',
      counterpart: '+12125550101',
      callStartedAt: NOW - 65_000,
      queues: 'sales,support',
      pausedQueues: 'support',
      voicemailNew: 2,
    },
    {
      extension: '1002',
      name: 'Bob',
      state: 'ringing',
      counterpart: '1003',
      counterpartName: 'Carol',
      callStartedAt: NOW - 4_000,
    },
    { extension: '1003', name: 'Carol', state: 'on_hold', callStartedAt: NOW - 20_000 },
    { extension: '1004', name: 'Dave', state: 'idle', idleSince: NOW - 125 * 60_000 },
    { extension: '1005', name: 'Eve', state: 'idle', dnd: true },
    { extension: '1006', name: 'Frank', state: 'idle', registered: false },
  ]);

  it('renders one card per extension with state label, icon and colour class', () => {
    render(<WallPanel {...props([frame])} />);
    expect(cards()).toHaveLength(6);
    expect(cards().map((c) => c.getAttribute('data-state'))).toEqual([
      'in_call',
      'ringing',
      'on_hold',
      'idle',
      'dnd',
      'unavailable',
    ]);
    expect(within(card('1001')).getByText('In call')).toBeInTheDocument();
    expect(within(card('1002')).getByText('Ringing')).toBeInTheDocument();
    expect(within(card('1003')).getByText('On hold')).toBeInTheDocument();
    expect(within(card('1005')).getByText('Do not disturb')).toBeInTheDocument();
    expect(within(card('1006')).getByText('Unavailable')).toBeInTheDocument();
    expect(within(card('1006')).getByText('offline')).toBeInTheDocument();
    // readable without colour: every card has a state icon and an accessible label
    for (const c of cards()) {
      expect(c.querySelector('[data-role="state-icon"] [data-icon]')).not.toBeNull();
    }
    expect(card('1001')).toHaveAttribute('aria-label', '1001 Alice: In call');
    expect(card('1001').className).not.toBe(card('1004').className);
  });

  it('shows counterpart (name, else formatted number), queues with paused badge and voicemail', () => {
    render(<WallPanel {...props([frame])} />);
    expect(within(card('1001')).getByText('+1 212 555 0101')).toBeInTheDocument();
    expect(within(card('1002')).getByText('Carol')).toBeInTheDocument();
    const queues = card('1001').querySelector('[data-role="queues"]')!;
    expect(within(queues as HTMLElement).getByTitle('support: paused')).toBeInTheDocument();
    expect(within(queues as HTMLElement).getByTitle('sales')).toBeInTheDocument();
    expect(card('1001').querySelector('[data-role="voicemail"]')).toHaveTextContent('2');
  });

  it("shows the status and message a person set, beside the phone's state", () => {
    const withStatus = extensionFrame([
      { extension: '1001', name: 'Alice', state: 'idle', userStatus: 'in_meeting', userStatusMessage: 'back at 14:00' },
      { extension: '1002', name: 'Bob', state: 'in_call', callStartedAt: NOW - 5_000, userStatus: 'available', userStatusMessage: '' },
      { extension: '1003', name: 'Carol', state: 'idle', userStatus: 'available', userStatusMessage: 'working from home' },
    ]);
    render(<WallPanel {...props([withStatus])} />);
    const alice = card('1001').querySelector('[data-role="user-status"]');
    expect(alice).toHaveTextContent('In a meeting: back at 14:00');
    expect(card('1001')).toHaveAttribute('aria-label', '1001 Alice: Idle, In a meeting: back at 14:00');
    expect(card('1002').querySelector('[data-role="user-status"]')).toBeNull();
    expect(card('1003').querySelector('[data-role="user-status"]')).toHaveTextContent(/^working from home$/);
    // the phone's own state is untouched by it
    expect(cards().map((c) => c.getAttribute('data-state'))).toEqual(['idle', 'in_call', 'idle']);
  });

  it('ticks the call duration every second from one timer, and the idle time', () => {
    render(<WallPanel {...props([frame])} />);
    const duration = () => card('1001').querySelector('[data-role="duration"]')!.textContent;
    expect(duration()).toBe('1:05');
    expect(card('1004').querySelector('[data-role="idle"]')).toHaveTextContent('2h 05m');
    // one interval for the whole panel, whatever the number of ticking cards
    expect(jest.getTimerCount()).toBe(1);
    act(() => {
      jest.advanceTimersByTime(1000);
    });
    expect(duration()).toBe('1:06');
    act(() => {
      jest.advanceTimersByTime(60_000);
    });
    expect(duration()).toBe('2:06');
    expect(card('1004').querySelector('[data-role="idle"]')).toHaveTextContent('2h 06m');
  });

  it('marks a call crossing the long-call threshold, and long idle', () => {
    render(<WallPanel {...props([frame], { longCallSeconds: 66, longIdleSeconds: 3600 })} />);
    expect(card('1001')).not.toHaveAttribute('data-long-call');
    expect(card('1004')).toHaveAttribute('data-long-idle', 'true');
    act(() => {
      jest.advanceTimersByTime(2000);
    });
    expect(card('1001')).toHaveAttribute('data-long-call', 'true');
    expect(card('1001').querySelector('[data-icon="clock-nine"]')).not.toBeNull();
    expect(card('1001')).toHaveAttribute('aria-label', '1001 Alice: In call, long call');
  });

  it('stops its timer when unmounted', () => {
    const { unmount } = render(<WallPanel {...props([frame])} />);
    expect(jest.getTimerCount()).toBe(1);
    unmount();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('options: sort, group, filter with variables, hidden fields', () => {
    const { rerender } = render(<WallPanel {...props([frame], { sortBy: 'state' })} />);
    expect(cards().map((c) => c.getAttribute('data-extension'))).toEqual([
      '1002',
      '1001',
      '1003',
      '1004',
      '1005',
      '1006',
    ]);

    rerender(<WallPanel {...props([frame], { groupBy: 'queue' })} />);
    const groups = screen.getAllByTestId(testIds.group);
    expect(groups.map((g) => g.getAttribute('aria-label'))).toEqual(['sales', 'support', 'No queue']);
    expect(within(groups[0]).getAllByTestId(testIds.card)).toHaveLength(1);

    rerender(<WallPanel {...props([frame], { filter: '$team' })} />);
    expect(cards().map((c) => c.getAttribute('data-extension'))).toEqual(['1001']);

    rerender(<WallPanel {...props([frame], { show: ['name'] })} />);
    expect(card('1001').querySelector('[data-role="duration"]')).toBeNull();
    expect(card('1001').querySelector('[data-role="queues"]')).toBeNull();
    expect(card('1001').querySelector('[data-role="voicemail"]')).toBeNull();
    expect(within(card('1001')).getByText('Alice')).toBeInTheDocument();

    rerender(<WallPanel {...props([frame], { states: ['idle'] })} />);
    expect(cards().map((c) => c.getAttribute('data-extension'))).toEqual(['1004']);
  });

  it('summary counts states; fixed columns lay out the grid', () => {
    render(<WallPanel {...props([frame], { layout: 'columns', columns: 3, cardSize: 'large' })} />);
    const summary = screen.getByTestId(testIds.summary);
    expect(within(summary).getByText('Idle').parentElement).toHaveTextContent('1Idle');
    const grid = screen.getByRole('list');
    expect(grid.style.gridTemplateColumns).toBe('repeat(3, minmax(0, 1fr))');
  });

  it("no extension frame: Grafana's panel data error view, and nothing while the query loads", () => {
    const { rerender } = render(<WallPanel {...props([])} />);
    expect(screen.getByText(/No extensions: query Extensions/)).toBeInTheDocument();
    const loading = props([]);
    rerender(<WallPanel {...loading} data={{ ...loading.data, state: LoadingState.Loading }} />);
    expect(screen.queryByText(/No extensions/)).toBeNull();
    expect(screen.getByTestId(testIds.panel)).toBeEmptyDOMElement();
    // the right query, nothing in it (a filter, a PBX without phones)
    rerender(<WallPanel {...props([extensionFrame([])])} />);
    expect(screen.getByText(/No extensions in the data/)).toBeInTheDocument();
  });

  it('renders in the dark theme', () => {
    render(
      <ThemeContext.Provider value={createTheme({ colors: { mode: 'dark' } })}>
        <WallPanel {...props([frame])} />
      </ThemeContext.Provider>
    );
    expect(cards()).toHaveLength(6);
  });

  it('call board: active calls, longest first, ticking, ringing vs talking', () => {
    const calls = callFrame([
      {
        id: 'c2',
        startedAt: NOW - 8_000,
        from: '+4930123456',
        to: '1002',
        toName: 'Bob',
        direction: 'inbound',
        queue: 'sales',
      },
      {
        id: 'c1',
        startedAt: NOW - 125_000,
        answeredAt: NOW - 120_000,
        from: '1001',
        fromName: 'Alice',
        to: '+12125550101',
        direction: 'outbound',
      },
    ]);
    render(<WallPanel {...props([frame, calls], { mode: 'callboard', longCallSeconds: 120 })} />);
    const rows = screen.getAllByTestId(testIds.callRow);
    // unanswered first: a board too small for every call keeps those on screen
    expect(rows.map((r) => r.getAttribute('data-phase'))).toEqual(['ringing', 'talking']);
    expect(rows[1]).toHaveTextContent('Alice');
    expect(rows[1]).toHaveTextContent('+1 212 555 0101');
    expect(rows[1]).toHaveTextContent('2:05');
    expect(rows[1]).toHaveAttribute('data-long-call', 'true');
    expect(rows[0]).toHaveTextContent('+49 30 123456');
    expect(rows[0]).toHaveTextContent('Ringing');
    act(() => {
      jest.advanceTimersByTime(3000);
    });
    expect(rows[0]).toHaveTextContent('0:11');
    expect(screen.queryAllByTestId(testIds.card)).toHaveLength(0);
  });

  describe('stale data', () => {
    const stale = extensionFrame(
      [
        { extension: '1001', name: 'Alice', state: 'in_call', callStartedAt: NOW - 65_000, pbx: 'main' },
        { extension: '1004', name: 'Dave', state: 'idle', idleSince: NOW - 125 * 60_000, pbx: 'main' },
        { extension: '2001', name: 'Zoe', state: 'in_call', callStartedAt: NOW - 10_000, pbx: 'branch' },
      ],
      {
        custom: {
          sources: [
            { pbx: 'branch', connected: true, live: true, since: null, reason: null },
            { pbx: 'main', connected: false, live: true, since: NOW - 5_000, reason: 'connection closed by the PBX' },
          ],
        },
      }
    );

    it('a banner names the PBX and since when; its cards are marked and their timers stop', () => {
      render(<WallPanel {...props([stale])} />);
      const banner = screen.getByTestId(testIds.banner);
      expect(banner).toHaveAttribute('role', 'alert');
      expect(banner).toHaveTextContent('PBX main disconnected');
      expect(banner).toHaveTextContent(`since ${dateTimeFormat(NOW - 5_000, { format: 'HH:mm:ss' })} (5s ago)`);
      expect(banner).toHaveTextContent('connection closed by the PBX');
      expect(card('1001')).toHaveAttribute('data-stale', 'true');
      expect(card('2001')).not.toHaveAttribute('data-stale');
      const duration = (ext: string) => card(ext).querySelector('[data-role="duration"]')!.textContent;
      // stopped where the data stopped: 65 s into the call minus the 5 s since the PBX went down
      expect(duration('1001')).toBe('1:00');
      expect(card('1004').querySelector('[data-role="idle"]')).toHaveTextContent('2h 04m');
      act(() => {
        jest.advanceTimersByTime(3000);
      });
      expect(duration('1001')).toBe('1:00');
      expect(duration('2001')).toBe('0:13');
      expect(banner).toHaveTextContent('(8s ago)');
      expect(card('1001')).toHaveAttribute('aria-label', '1001 Alice: In call, data stale');
    });

    it('recovery: the banner goes and the timers tick again', () => {
      const { rerender } = render(<WallPanel {...props([stale])} />);
      const fresh = extensionFrame(
        [{ extension: '1001', name: 'Alice', state: 'in_call', callStartedAt: NOW - 65_000, pbx: 'main' }],
        { custom: { sources: [{ pbx: 'main', connected: true, live: true }] } }
      );
      rerender(<WallPanel {...props([fresh])} />);
      expect(screen.queryByTestId(testIds.banner)).toBeNull();
      expect(card('1001')).not.toHaveAttribute('data-stale');
      expect(card('1001').querySelector('[data-role="duration"]')).toHaveTextContent('1:05');
      act(() => {
        jest.advanceTimersByTime(1000);
      });
      expect(card('1001').querySelector('[data-role="duration"]')).toHaveTextContent('1:06');
    });

    it('the call board freezes stale calls too', () => {
      const calls = callFrame([
        {
          id: 'c1',
          startedAt: NOW - 30_000,
          answeredAt: NOW - 25_000,
          from: '1001',
          stale: true,
          staleSince: NOW - 10_000,
        },
      ]);
      render(<WallPanel {...props([calls], { mode: 'callboard' })} />);
      const row = screen.getByTestId(testIds.callRow);
      expect(row).toHaveAttribute('data-stale', 'true');
      expect(row).toHaveTextContent('0:20');
      act(() => {
        jest.advanceTimersByTime(2000);
      });
      expect(row).toHaveTextContent('0:20');
      expect(screen.getByTestId(testIds.banner)).toHaveTextContent('PBX demo disconnected');
    });
  });

  describe('fitting the panel', () => {
    const many = (n: number, state = 'idle') =>
      extensionFrame(
        Array.from({ length: n }, (_, i) => ({ extension: String(1000 + i), state, idleSince: NOW - i * 1000 }))
      );

    it('below the smallest readable card, compact tiles; the panel says which layout and scale', () => {
      render(<WallPanel {...props([many(240)], {}, { width: 1900, height: 1000 })} />);
      const wall = document.querySelector('[data-layout]')!;
      expect(wall).toHaveAttribute('data-layout', 'tile');
      expect(Number(wall.getAttribute('data-scale'))).toBeGreaterThanOrEqual(1);
      expect(cards()).toHaveLength(240);
      expect(cards().every((c) => c.getAttribute('data-kind') === 'tile')).toBe(true);
      expect(screen.queryByTestId(testIds.more)).toBeNull();
    });

    it('too many even for tiles: the ones that fit and a "+N more" cell that names their states', () => {
      render(<WallPanel {...props([many(400)], { sortBy: 'number' }, { width: 800, height: 450 })} />);
      const more = screen.getByTestId(testIds.more);
      expect(Number(more.getAttribute('data-count')) + cards().length).toBe(400);
      expect(more).toHaveTextContent(`+${400 - cards().length} more`);
      expect(more).toHaveTextContent(`${400 - cards().length} idle`);
    });

    it('attention first: a ringing phone at the end of the number order is on the wall', () => {
      const frame = extensionFrame([
        ...Array.from({ length: 399 }, (_, i) => ({ extension: String(1000 + i), state: 'idle' })),
        { extension: '9999', state: 'ringing', callStartedAt: NOW - 3000 },
      ]);
      const { rerender } = render(<WallPanel {...props([frame], { sortBy: 'number' }, { width: 800, height: 450 })} />);
      expect(cards().some((c) => c.getAttribute('data-extension') === '9999')).toBe(false);
      rerender(<WallPanel {...props([frame], { sortBy: 'attention' }, { width: 800, height: 450 })} />);
      expect(cards()[0]).toHaveAttribute('data-extension', '9999');
    });

    it('a larger smallest text shows fewer, larger tiles', () => {
      const { rerender } = render(<WallPanel {...props([many(400)], {}, { width: 1900, height: 1000 })} />);
      const shown = cards().length;
      rerender(<WallPanel {...props([many(400)], { minFontSize: 24 }, { width: 1900, height: 1000 })} />);
      expect(cards().length).toBeLessThan(shown / 3);
      expect(document.querySelector('[data-layout]')).toHaveAttribute('data-scale', '2.000');
    });

    it('a number that does not fit its card is shortened with an ellipsis, never cut', () => {
      const frame = extensionFrame([
        { extension: '1001', state: 'in_call', counterpart: '+4930123456789', counterpartName: 'Berlin Office' },
      ]);
      render(
        <WallPanel
          {...props([frame], { cardSize: 'small', layout: 'columns', columns: 4 }, { width: 600, height: 400 })}
        />
      );
      const number = card('1001').querySelector('[data-number="counterpart"]')!.textContent!;
      // a 600 px panel in four columns leaves about 120 px for the counterpart: the name gives way, the number is
      // whole or shortened at a digit group with an ellipsis, every part of it a part of the real number
      expect(number).toContain('\u2026');
      for (const part of number.split('\u2026').filter(Boolean)) {
        expect('+49 30 123456789').toContain(part);
      }
      expect(within(card('1001')).queryByText('Berlin Office')).toBeNull();
    });

    it('the call board keeps rows readable and counts the rest', () => {
      const calls = callFrame(
        Array.from({ length: 60 }, (_, i) => ({ id: `c${i}`, startedAt: NOW - i * 1000, from: String(2000 + i) }))
      );
      render(<WallPanel {...props([calls], { mode: 'callboard' }, { width: 800, height: 450 })} />);
      const rows = screen.getAllByTestId(testIds.callRow);
      const more = screen.getByTestId(testIds.more);
      expect(rows.length + Number(more.getAttribute('data-count'))).toBe(60);
      expect(more).toHaveTextContent(`+${60 - rows.length} more calls`);
      expect(screen.getByTestId(testIds.callboard)).toHaveAttribute('data-scale', '1.000');
    });
  });

  it('state colours come from value mappings: an override gives in-call the ringing colour', () => {
    const background = (ext: string) => getComputedStyle(card(ext)).backgroundColor;
    const defaults = render(<WallPanel {...props([frame])} />);
    const ringing = background('1002');
    expect(ringing).not.toBe('');
    expect(background('1001')).not.toBe(ringing);
    defaults.unmount();
    const fieldConfig: FieldConfigSource = {
      defaults: {
        mappings: [{ type: MappingType.ValueToText, options: { in_call: { color: 'orange', text: 'Talking' } } }],
      },
      overrides: [],
    };
    render(<WallPanel {...props([frame], {}, undefined, fieldConfig)} />);
    expect(background('1001')).toBe(ringing);
    expect(within(card('1001')).getByText('Talking')).toBeInTheDocument();
  });
});
