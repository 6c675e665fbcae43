import { BigValueTextMode, type Dashboard } from '@grafana/schema';
import { UID } from './lib/datasources';
import { dashboard, pbxVariable, sbVariable } from './lib/dashboard';
import { FIXED, row, stat, steps, stepsUp, table, timeseries } from './lib/panels';
import { PBX, prom, sb } from './lib/queries';
import { CALLERS_AMBER, CALLERS_RED, WAIT_AMBER, WAIT_RED } from './noc-wall';

const Q = `${PBX}, queue=~"$queue"`;
/** the 20 s bucket as Prometheus 2 (`20`) and 3 (`20.0`) store it */
export const LE_20 = 'le=~"20(\\\\.0)?"';

const offered = `sum by (queue) (increase(pbx_queue_calls_total{${Q}}[$__range]))`;

/** Service level = answered within 20 s / offered; ASA = Σ wait of answered / answered; abandon rate = abandoned / offered. */
export const KPI = {
  offered,
  serviceLevel: `sum by (queue) (increase(pbx_queue_wait_duration_seconds_bucket{${Q}, outcome="answered", ${LE_20}}[$__range]))\n/ ${offered}`,
  asa:
    `sum by (queue) (increase(pbx_queue_wait_duration_seconds_sum{${Q}, outcome="answered"}[$__range]))\n` +
    `/ sum by (queue) (increase(pbx_queue_wait_duration_seconds_count{${Q}, outcome="answered"}[$__range]))`,
  abandonRate: `sum by (queue) (increase(pbx_queue_calls_total{${Q}, outcome="abandoned"}[$__range]))\n/ ${offered}`,
};

const SL_THRESHOLDS = stepsUp('red', [0.6, 'orange'], [0.8, 'green']);
const ASA_THRESHOLDS = steps([20, 'orange'], [60, 'red']);
const ABANDON_THRESHOLDS = steps([0.05, 'orange'], [0.1, 'red']);

/** Per-agent totals: the stats frames (one per extension, bucketed) → one row per extension with sums. */
export const AGENT_TRANSFORMS = [
  { id: 'labelsToFields', options: { mode: 'columns' } },
  { id: 'merge', options: {} },
  {
    id: 'groupBy',
    options: {
      fields: {
        extension: { operation: 'groupby', aggregations: [] },
        offered: { operation: 'aggregate', aggregations: ['sum'] },
        answered: { operation: 'aggregate', aggregations: ['sum'] },
        missed: { operation: 'aggregate', aggregations: ['sum'] },
        talkSecondsTotal: { operation: 'aggregate', aggregations: ['sum'] },
      },
    },
  },
  {
    id: 'calculateField',
    options: {
      mode: 'binary',
      binary: {
        left: { matcher: { id: 'byName', options: 'talkSecondsTotal (sum)' } },
        operator: '/',
        right: { matcher: { id: 'byName', options: 'answered (sum)' } },
      },
      alias: 'Average talk',
      replaceFields: false,
    },
  },
  {
    id: 'organize',
    options: {
      renameByName: {
        extension: 'Extension',
        'offered (sum)': 'Rang',
        'answered (sum)': 'Answered',
        'missed (sum)': 'Missed',
        'talkSecondsTotal (sum)': 'Talk time',
      },
    },
  },
];

export const queues: Dashboard = dashboard({
  uid: UID.queues,
  title: 'Switchboard · Queues and KPIs',
  description: 'Service level, speed of answer, abandon rate per queue, queue staffing, and per-agent figures.',
  time: { from: 'now/d', to: 'now' },
  refresh: '1m',
  variables: [
    pbxVariable(),
    sbVariable('queue', 'Queue', { kind: 'queues', pbx: '$pbx' }, { multi: true, includeAll: true }),
  ],
  panels: [
    table({
      title: 'Queues now',
      w: 24,
      h: 6,
      targets: [sb({ queryType: 'queues', pbx: '$pbx', queue: '$queue', live: true })],
      hide: ['oldestCallerSince', 'updatedAt', 'stale', 'staleSince'],
      colorBackground: ['callers', 'longestWaitSeconds', 'membersAvailable'],
      overrides: [
        {
          matcher: { id: 'byName', options: 'callers' },
          properties: [{ id: 'thresholds', value: steps([CALLERS_AMBER, 'orange'], [CALLERS_RED, 'red']) }],
        },
        {
          matcher: { id: 'byName', options: 'longestWaitSeconds' },
          properties: [{ id: 'thresholds', value: steps([WAIT_AMBER, 'orange'], [WAIT_RED, 'red']) }],
        },
        {
          matcher: { id: 'byName', options: 'membersAvailable' },
          properties: [{ id: 'thresholds', value: stepsUp('orange', [1, 'green']) }],
        },
      ],
    }),
    row('KPIs over the time range'),
    stat({
      title: 'Offered',
      w: 6,
      h: 5,
      targets: [prom(KPI.offered, { legend: '{{queue}}', instant: true })],
      textMode: BigValueTextMode.ValueAndName,
      color: FIXED('blue'),
      decimals: 0,
    }),
    stat({
      title: 'Service level (20 s)',
      description:
        'Callers answered within 20 seconds / callers offered (answered, abandoned, timed out). Red below 60 %, amber below 80 %.',
      w: 6,
      h: 5,
      targets: [prom(KPI.serviceLevel, { legend: '{{queue}}', instant: true })],
      textMode: BigValueTextMode.ValueAndName,
      unit: 'percentunit',
      decimals: 0,
      thresholds: SL_THRESHOLDS,
      noValue: 'no calls',
    }),
    stat({
      title: 'Average speed of answer',
      description: 'Mean queue wait of the answered callers.',
      w: 6,
      h: 5,
      targets: [prom(KPI.asa, { legend: '{{queue}}', instant: true })],
      textMode: BigValueTextMode.ValueAndName,
      unit: 's',
      decimals: 0,
      thresholds: ASA_THRESHOLDS,
      noValue: 'no calls',
    }),
    stat({
      title: 'Abandon rate',
      description: 'Callers who hung up while waiting / callers offered. Amber from 5 %, red from 10 %.',
      w: 6,
      h: 5,
      targets: [prom(KPI.abandonRate, { legend: '{{queue}}', instant: true })],
      textMode: BigValueTextMode.ValueAndName,
      unit: 'percentunit',
      decimals: 1,
      thresholds: ABANDON_THRESHOLDS,
      noValue: 'no calls',
    }),
    row('Trends (call history)'),
    timeseries({
      title: 'Service level (20 s)',
      w: 8,
      h: 8,
      targets: [
        sb({ queryType: 'stats', groupBy: 'queue', queue: '$queue', metrics: ['serviceLevel'], slThreshold: 20 }),
      ],
      unit: 'percentunit',
      min: 0,
      max: 1,
    }),
    timeseries({
      title: 'Average speed of answer',
      w: 8,
      h: 8,
      targets: [sb({ queryType: 'stats', groupBy: 'queue', queue: '$queue', metrics: ['asaSeconds'] })],
      unit: 's',
      min: 0,
    }),
    timeseries({
      title: 'Abandon rate',
      w: 8,
      h: 8,
      targets: [sb({ queryType: 'stats', groupBy: 'queue', queue: '$queue', metrics: ['abandonRate'] })],
      unit: 'percentunit',
      min: 0,
      max: 1,
    }),
    timeseries({
      title: 'Calls offered per queue',
      w: 8,
      h: 8,
      targets: [sb({ queryType: 'stats', groupBy: 'queue', queue: '$queue', metrics: ['offered'] })],
      style: 'bars',
      stack: true,
      decimals: 0,
    }),
    timeseries({
      title: 'Longest wait',
      w: 8,
      h: 8,
      targets: [prom(`max by (queue) (pbx_queue_longest_wait_seconds{${Q}})`, { legend: '{{queue}}' })],
      unit: 's',
      min: 0,
      thresholds: steps([WAIT_AMBER, 'orange'], [WAIT_RED, 'red']),
    }),
    timeseries({
      title: 'Agents by state',
      description:
        'Queue members, each counted once per queue: available, ringing, in a call, paused, unavailable (logged out).',
      w: 8,
      h: 8,
      targets: [prom(`sum by (state) (pbx_queue_members{${Q}})`, { legend: '{{state}}' })],
      stack: true,
      fill: 60,
      decimals: 0,
    }),
    row('Agents'),
    table({
      title: 'Per agent',
      description:
        'Calls that rang at each extension in the range (all their calls, not only queue calls): answered there, ' +
        'missed there (rang, answered elsewhere or not at all), talk time.',
      w: 24,
      h: 10,
      targets: [
        sb({
          queryType: 'stats',
          groupBy: 'extension',
          metrics: ['offered', 'answered', 'missed', 'talkSecondsTotal'],
          interval: '1h',
        }),
      ],
      transformations: AGENT_TRANSFORMS,
      sortBy: [{ displayName: 'Answered', desc: true }],
      overrides: [
        { matcher: { id: 'byName', options: 'Talk time' }, properties: [{ id: 'unit', value: 's' }] },
        {
          matcher: { id: 'byName', options: 'Average talk' },
          properties: [
            { id: 'unit', value: 's' },
            { id: 'decimals', value: 0 },
          ],
        },
        {
          matcher: { id: 'byName', options: 'Extension' },
          properties: [
            {
              id: 'links',
              value: [
                {
                  title: 'Extension ${__value.text}',
                  url: `/d/${UID.extension}?var-extension=\${__value.raw}&\${__url_time_range}`,
                },
              ],
            },
          ],
        },
      ],
    }),
  ],
});
