import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import { EventBusSrv, getDefaultTimeRange, LoadingState, type DataFrame, type PanelProps } from '@grafana/data';
import { parkedCallsFrame } from '../../../datasource/frames/parked';
import { defaultOptions } from '../options';
import { extensionFrame, NOW } from '../test/factory';
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
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width: 1200,
    height: 700,
    renderCounter: 0,
    title: 'Wall',
    eventBus: new EventBusSrv(),
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    onChangeTimeRange: jest.fn(),
    replaceVariables: (s: string) => s,
  } as unknown as PanelProps<WallOptions>;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('parked-calls strip on the wall', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(NOW);
  });
  afterEach(() => jest.useRealTimers());

  const extensions = extensionFrame([
    {
      extension: '1003',
      name: 'Carol',
      state: 'in_call',
      counterpart: '800',
      counterpartName: 'Conference 800',
      callStartedAt: NOW - 30_000,
    },
    { extension: '1004', name: 'Dave', state: 'idle' },
  ]);
  const parked = parkedCallsFrame([
    {
      pbx: 'demo',
      lot: 'default',
      slot: '72',
      party: { number: '+12125550101' },
      parker: { number: '1001', name: 'Alice' },
      parkedAt: iso(NOW - 5_000),
    },
    {
      pbx: 'demo',
      lot: 'default',
      slot: '71',
      party: { number: '+12125550163', name: 'Park Timeout Caller' },
      parker: { number: '1004', name: 'Dave' },
      parkedAt: iso(NOW - 42_000),
    },
  ]);

  it('shows each parked call: the space, the caller, who parked it and for how long, longest first', () => {
    render(<WallPanel {...props([extensions, parked])} />);
    const strip = screen.getByTestId(testIds.parked);
    const chips = Array.from(strip.querySelectorAll('[data-slot]'));
    expect(chips.map((c) => c.getAttribute('data-slot'))).toEqual(['71', '72']);
    expect(within(chips[0] as HTMLElement).getByText('P71')).toBeInTheDocument();
    expect(within(chips[0] as HTMLElement).getByText('Park Timeout Caller')).toBeInTheDocument();
    expect(within(chips[0] as HTMLElement).getByText('by Dave')).toBeInTheDocument();
    // a caller without a name shows the number, formatted
    expect(within(chips[1] as HTMLElement).getByText('+1 212 555 0101')).toBeInTheDocument();
    const waited = () => chips[0].querySelector('[data-number="parked"]')!.textContent;
    expect(waited()).toBe('0:42');
    act(() => {
      jest.advanceTimersByTime(3000);
    });
    expect(waited()).toBe('0:45');
    // the wall is still there, with a card in conference showing the room
    expect(screen.getAllByTestId(testIds.card)).toHaveLength(2);
    expect(screen.getByText('Conference 800')).toBeInTheDocument();
  });

  it('no strip while nothing is parked', () => {
    render(<WallPanel {...props([extensions, parkedCallsFrame([])])} />);
    expect(screen.queryByTestId(testIds.parked)).toBeNull();
    expect(screen.getAllByTestId(testIds.card)).toHaveLength(2);
  });
});
