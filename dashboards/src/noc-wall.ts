import { BigValueColorMode, BigValueGraphMode, BigValueTextMode, MappingType, type Dashboard } from '@grafana/schema';
import type { WallOptions } from '../../grafana-plugin/src/panels/extension-wall/types';
import { defaultOptions } from '../../grafana-plugin/src/panels/extension-wall/options';
import { UID } from './lib/datasources';
import { dashboard, pbxVariable, restartsAnnotation, sbVariable } from './lib/dashboard';
import { upDown } from './lib/mappings';
import { FIXED, link, stat, steps, stepsUp, table, wall } from './lib/panels';
import { PBX, prom, sb } from './lib/queries';

// the plugin's defaults, with what needs attention first: a wall too full for every phone keeps ringing phones,
// callers on hold and long calls on screen
const wallOptions: WallOptions = {
  ...defaultOptions,
  sortBy: 'attention',
  show: ['name', 'registration', 'counterpart', 'duration', 'idle', 'queues', 'voicemail'],
};

/** Wallboard thresholds: amber at 70 % of red; red at a 2-minute wait (docs/stack.md, "Thresholds"). */
export const WAIT_RED = 120;
export const WAIT_AMBER = 84;
export const CALLERS_AMBER = 3;
export const CALLERS_RED = 6;

export const nocWall: Dashboard = dashboard({
  uid: UID.wall,
  title: 'Switchboard · NOC wall',
  description: "Live extension wall, call board, queues, trunks and today's figures, for wall displays (kiosk mode).",
  time: { from: 'now/d', to: 'now' },
  refresh: '30s',
  variables: [
    pbxVariable(),
    sbVariable('queue', 'Queue', { kind: 'queues', pbx: '$pbx' }, { multi: true, includeAll: true }),
  ],
  annotations: [restartsAnnotation()],
  panels: [
    stat({
      title: 'Calls today',
      description: 'Finished calls since midnight (call history).',
      w: 4,
      h: 5,
      targets: [sb({ queryType: 'stats', groupBy: 'none', metrics: ['offered'], interval: '1h' })],
      calcs: ['sum'],
      color: FIXED('blue'),
      colorMode: BigValueColorMode.Background,
      graphMode: BigValueGraphMode.Area,
      decimals: 0,
    }),
    stat({
      title: 'Missed today',
      description:
        'Inbound calls nobody answered since midnight (truly missed: abandoned, voicemail, busy, no answer).',
      w: 4,
      h: 5,
      targets: [sb({ queryType: 'stats', groupBy: 'none', metrics: ['missed'], interval: '1h' })],
      calcs: ['sum'],
      thresholds: steps([5, 'orange'], [15, 'red']),
      graphMode: BigValueGraphMode.Area,
      decimals: 0,
      links: [link('Missed calls', `/d/${UID.calls}?var-status=truly_missed&\${__url_time_range}`, 'List them')],
    }),
    stat({
      title: 'Answer rate today',
      description: 'Inbound calls answered by a person / inbound calls, since midnight.',
      w: 4,
      h: 5,
      targets: [
        prom(
          `sum(increase(pbx_calls_total{${PBX}, direction="inbound", status="answered"}[$__range]))\n/ sum(increase(pbx_calls_total{${PBX}, direction="inbound"}[$__range]))`,
          { instant: true },
        ),
      ],
      unit: 'percentunit',
      decimals: 0,
      thresholds: stepsUp('red', [0.8, 'orange'], [0.9, 'green']),
      noValue: 'no calls',
    }),
    stat({
      title: 'Active calls',
      w: 4,
      h: 5,
      targets: [prom(`sum(pbx_calls_active{${PBX}})`, { legend: 'Active calls' })],
      color: FIXED('purple'),
      graphMode: BigValueGraphMode.Area,
      decimals: 0,
    }),
    stat({
      title: 'Callers waiting',
      w: 4,
      h: 5,
      targets: [prom(`sum(pbx_queue_callers{${PBX}})`, { legend: 'Waiting' })],
      thresholds: steps([CALLERS_AMBER, 'orange'], [CALLERS_RED, 'red']),
      graphMode: BigValueGraphMode.Area,
      decimals: 0,
    }),
    stat({
      title: 'Source connection',
      description: "The exporter's connection to each PBX, and Prometheus' scrape of the exporter.",
      w: 4,
      h: 5,
      targets: [
        prom(`pbx_up{${PBX}}`, { legend: 'PBX {{pbx}}', instant: true }),
        prom('up{job="switchboard"}', { refId: 'B', legend: 'Exporter', instant: true }),
      ],
      mappings: upDown('Connected', 'Down'),
      thresholds: stepsUp('red', [1, 'green']),
      textMode: BigValueTextMode.ValueAndName,
    }),
    stat({
      title: 'Queue $queue',
      description: `Callers waiting, the longest wait (amber from ${WAIT_AMBER} s, red from ${WAIT_RED} s) and agents available.`,
      w: 4,
      h: 5,
      repeat: 'queue',
      maxPerRow: 6,
      targets: [sb({ queryType: 'queues', pbx: '$pbx', queue: '$queue' })],
      transformations: [
        {
          id: 'filterFieldsByName',
          options: { include: { names: ['callers', 'longestWaitSeconds', 'membersAvailable'] } },
        },
      ],
      textMode: BigValueTextMode.ValueAndName,
      overrides: [
        {
          matcher: { id: 'byName', options: 'callers' },
          properties: [{ id: 'thresholds', value: steps([CALLERS_AMBER, 'orange'], [CALLERS_RED, 'red']) }],
        },
        {
          matcher: { id: 'byName', options: 'longestWaitSeconds' },
          properties: [
            { id: 'unit', value: 's' },
            { id: 'thresholds', value: steps([WAIT_AMBER, 'orange'], [WAIT_RED, 'red']) },
          ],
        },
        {
          matcher: { id: 'byName', options: 'membersAvailable' },
          properties: [{ id: 'thresholds', value: stepsUp('orange', [1, 'green']) }],
        },
      ],
      links: [link('Queue KPIs', `/d/${UID.queues}?var-queue=\${queue}&\${__url_time_range}`)],
    }),
    wall({
      title: 'Extensions',
      w: 16,
      h: 18,
      // parked calls beside the extensions: a strip above the wall while anything is parked
      targets: [
        sb({ queryType: 'extensions', pbx: '$pbx', live: true }),
        sb({ refId: 'B', queryType: 'parkedCalls', pbx: '$pbx', live: true }),
      ],
      options: wallOptions,
    }),
    wall({
      title: 'Active calls',
      w: 8,
      h: 18,
      targets: [sb({ queryType: 'activeCalls', pbx: '$pbx', live: true })],
      options: { ...wallOptions, mode: 'callboard' },
    }),
    stat({
      title: 'Trunks',
      description: 'Registration (or qualify reachability) of each trunk.',
      w: 12,
      h: 4,
      targets: [prom(`pbx_trunk_registered{${PBX}}`, { legend: '{{trunk}}', instant: true })],
      mappings: upDown('Registered', 'Unregistered'),
      thresholds: stepsUp('red', [1, 'green']),
      textMode: BigValueTextMode.ValueAndName,
      noValue: 'no trunks',
    }),
    table({
      title: 'Firing alerts',
      w: 12,
      h: 4,
      targets: [prom('ALERTS{alertstate="firing"}', { instant: true, format: 'table' })],
      transformations: [
        {
          id: 'organize',
          options: {
            excludeByName: { Time: true, Value: true, __name__: true, alertstate: true, job: true, instance: true },
            indexByName: { severity: 0, alertname: 1, pbx: 2 },
          },
        },
      ],
      colorText: ['severity'],
      mappings: [
        {
          type: MappingType.ValueToText,
          options: {
            critical: { text: 'critical', color: 'red', index: 0 },
            warning: { text: 'warning', color: 'orange', index: 1 },
            info: { text: 'info', color: 'blue', index: 2 },
          },
        },
      ],
      noValue: 'No alerts firing',
    }),
  ],
});
