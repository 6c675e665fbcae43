import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import {
  createTheme,
  EventBusSrv,
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

function props(series: DataFrame[], options: Partial<WallOptions> = {}): PanelProps<WallOptions> {
  return {
    id: 1,
    data: { state: LoadingState.Streaming, series, timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    timeZone: 'utc',
    options: { ...defaultOptions, ...options },
    fieldConfig: { defaults: {}, overrides: [] } as FieldConfigSource,
    transparent: false,
    width: 1200,
    height: 700,
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
});
