import React, { type ChangeEvent } from 'react';
import type { QueryEditorProps, SelectableValue } from '@grafana/data';
import {
  Combobox,
  type ComboboxOption,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  Input,
  MultiCombobox,
  RadioButtonGroup,
  Stack,
} from '@grafana/ui';
import type { PbxDataSource } from '../datasource';
import { STATS_METRICS } from '../frames/stats';
import { MAX_CALL_BACKS } from '../query/callBacks';
import {
  DEFAULT_CALL_LIMIT,
  DEFAULT_STATS_METRICS,
  LIVE_QUERY_TYPES,
  type PbxDataSourceOptions,
  type PbxQuery,
  type QueryType,
  type StatsGroupBy,
  type StatsMetric,
} from '../types';
import { testIds } from './testIds';

type Props = QueryEditorProps<PbxDataSource, PbxQuery, PbxDataSourceOptions>;

export const QUERY_TYPES: Array<SelectableValue<QueryType>> = [
  { value: 'calls', label: 'Calls', description: 'Call history in the dashboard time range' },
  { value: 'activeCalls', label: 'Active calls', description: 'Calls in progress (live)' },
  { value: 'extensions', label: 'Extensions', description: 'Extension states (live)' },
  { value: 'queues', label: 'Queues', description: 'Queue callers and members (live)' },
  { value: 'trunks', label: 'Trunks', description: 'Trunk registration and calls (live)' },
  { value: 'parkedCalls', label: 'Parked calls', description: 'Calls waiting in a parking space (live)' },
  { value: 'stats', label: 'Stats', description: 'Offered, answered, missed… per interval' },
  { value: 'gaps', label: 'Gaps', description: 'Outages of the PBX connection or the exporter' },
  { value: 'agents', label: 'Agents', description: 'Per agent: answered, missed, outbound, talk, handling time' },
];

const DIRECTIONS: Array<ComboboxOption<string>> = ['inbound', 'outbound', 'internal'].map((v) => ({ value: v }));
const STATUSES: Array<ComboboxOption<string>> = [
  { value: 'truly_missed', label: 'truly missed', description: 'Inbound, nobody answered' },
  { value: 'unreturned', label: 'unreturned', description: 'Truly missed and not called back' },
  ...['answered', 'missed', 'busy', 'failed', 'abandoned', 'voicemail', 'incomplete'].map((v) => ({ value: v })),
  // calls in progress, as the history last stored them
  ...['ringing', 'active', 'on_hold', 'waiting'].map((v) => ({ value: v, description: 'In progress' })),
];
const STATES: Array<ComboboxOption<string>> = [
  'idle',
  'ringing',
  'in_call',
  'on_hold',
  'busy',
  'dnd',
  'unavailable',
  'unknown',
].map((v) => ({ value: v }));
const GROUP_BY: Array<SelectableValue<StatsGroupBy>> = [
  { value: 'none', label: 'None' },
  { value: 'queue', label: 'Queue' },
  { value: 'extension', label: 'Extension' },
  { value: 'direction', label: 'Direction' },
  { value: 'status', label: 'Status' },
];
const METRICS: Array<ComboboxOption<StatsMetric>> = (Object.keys(STATS_METRICS) as StatsMetric[]).map((m) => ({
  value: m,
  label: STATS_METRICS[m].label,
}));

/** Which filters each query type offers (the history API's and the live filters). */
const FILTERS: Record<QueryType, Array<keyof PbxQuery>> = {
  calls: ['pbx', 'extension', 'queue', 'direction', 'status', 'text', 'limit'],
  activeCalls: ['pbx', 'extension', 'queue', 'direction', 'text'],
  extensions: ['pbx', 'extension', 'queue', 'state', 'text'],
  queues: ['pbx', 'queue'],
  trunks: ['pbx'],
  parkedCalls: ['pbx'],
  stats: ['queue', 'extension'],
  gaps: ['pbx'],
  agents: ['pbx', 'extension'],
};

const LABEL_WIDTH = 14;

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const type = query.queryType ?? 'extensions';
  const filters = FILTERS[type];
  const set = (patch: Partial<PbxQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };
  const text = (key: keyof PbxQuery, label: string, placeholder: string, tooltip?: string) =>
    filters.includes(key) ? (
      <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip={tooltip}>
        <Input
          aria-label={label}
          width={20}
          value={(query[key] as string | undefined) ?? ''}
          placeholder={placeholder}
          onChange={(e: ChangeEvent<HTMLInputElement>) => set({ [key]: e.target.value }, false)}
          onBlur={onRunQuery}
        />
      </InlineField>
    ) : null;
  const choice = (key: 'direction' | 'status' | 'state', label: string, options: Array<ComboboxOption<string>>) =>
    filters.includes(key) ? (
      <InlineField label={label} labelWidth={LABEL_WIDTH} tooltip="A value, a template variable, or empty for all">
        <Combobox
          aria-label={label}
          width={20}
          isClearable
          createCustomValue
          options={options}
          value={query[key] || null}
          placeholder="any"
          onChange={(o) => set({ [key]: o?.value ?? '' })}
        />
      </InlineField>
    ) : null;

  return (
    <Stack direction="column" gap={0}>
      <InlineFieldRow>
        <InlineField label="Query" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<QueryType>
            data-testid={testIds.query.type}
            options={QUERY_TYPES}
            value={type}
            onChange={(v) => set({ queryType: v })}
          />
        </InlineField>
        {type === 'extensions' && (
          <InlineField label="History" tooltip="Each extension's states over the dashboard time range (state timeline)">
            <InlineSwitch
              data-testid={testIds.query.history}
              value={Boolean(query.history)}
              onChange={(e) => set({ history: e.currentTarget.checked })}
            />
          </InlineField>
        )}
        {type === 'calls' && (
          <InlineField
            label="Call back"
            tooltip={`For a "Call back" action: the extensions each truly missed call rang at (rangAt, callBackFrom), one request per call, the newest ${MAX_CALL_BACKS}`}
          >
            <InlineSwitch
              data-testid={testIds.query.callBack}
              value={Boolean(query.callBack)}
              onChange={(e) => set({ callBack: e.currentTarget.checked })}
            />
          </InlineField>
        )}
        {LIVE_QUERY_TYPES.includes(type) && !(type === 'extensions' && query.history) && (
          <InlineField label="Live" tooltip="Stream changes as they happen (one shared connection per data source)">
            <InlineSwitch
              data-testid={testIds.query.live}
              value={query.live !== false}
              onChange={(e) => set({ live: e.currentTarget.checked })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        {text('pbx', 'PBX', 'all', 'Source name(s), e.g. $pbx')}
        {text('extension', 'Extension', 'all', 'Extension number(s), e.g. $extension')}
        {text('queue', 'Queue', 'all', 'Queue name(s), e.g. $queue')}
        {choice('direction', 'Direction', DIRECTIONS)}
        {choice('status', 'Status', STATUSES)}
        {choice('state', 'State', STATES)}
        {text('text', 'Search', 'name or number', 'Free text: names and numbers')}
        {filters.includes('limit') && (
          <InlineField label="Limit" labelWidth={LABEL_WIDTH} tooltip="At most this many calls, newest first">
            <Input
              aria-label="Limit"
              type="number"
              width={10}
              min={1}
              value={query.limit ?? DEFAULT_CALL_LIMIT}
              onChange={(e: ChangeEvent<HTMLInputElement>) =>
                set({ limit: Number(e.target.value) || undefined }, false)
              }
              onBlur={onRunQuery}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      {type === 'agents' && (
        <InlineFieldRow>
          <InlineField
            label="Interval"
            labelWidth={LABEL_WIDTH}
            tooltip="Empty: one row per agent for the whole range; 1w: Monday weeks, 1d: days, in the dashboard's time zone"
          >
            <Input
              aria-label="Interval"
              width={12}
              value={query.interval ?? ''}
              placeholder="whole range"
              onChange={(e: ChangeEvent<HTMLInputElement>) => set({ interval: e.target.value || undefined }, false)}
              onBlur={onRunQuery}
            />
          </InlineField>
        </InlineFieldRow>
      )}
      {type === 'stats' && (
        <InlineFieldRow>
          <InlineField label="Group by" labelWidth={LABEL_WIDTH}>
            <RadioButtonGroup<StatsGroupBy>
              options={GROUP_BY}
              value={query.groupBy ?? 'none'}
              onChange={(v) => set({ groupBy: v })}
            />
          </InlineField>
          <InlineField label="Interval" tooltip="Bucket size; $__interval follows the zoom (at least 1m)">
            <Input
              aria-label="Interval"
              width={12}
              value={query.interval ?? ''}
              placeholder="$__interval"
              onChange={(e: ChangeEvent<HTMLInputElement>) => set({ interval: e.target.value }, false)}
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="SL threshold" tooltip="Service level: answered within this many seconds">
            <Input
              aria-label="SL threshold"
              type="number"
              width={8}
              value={query.slThreshold ?? 20}
              onChange={(e: ChangeEvent<HTMLInputElement>) =>
                set({ slThreshold: Number(e.target.value) || undefined }, false)
              }
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="Metrics">
            <MultiCombobox<StatsMetric>
              aria-label="Metrics"
              width="auto"
              minWidth={30}
              options={METRICS}
              value={query.metrics?.length ? query.metrics : DEFAULT_STATS_METRICS}
              onChange={(opts) => set({ metrics: opts.map((o) => o.value) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </Stack>
  );
}
