import { BigValueTextMode, type Dashboard } from '@grafana/schema';
import { callsTable } from './call-history';
import { UID } from './lib/datasources';
import { dashboard, pbxVariable, sbVariable } from './lib/dashboard';
import { extensionStateExpr, extensionStateNumberMappings } from './lib/mappings';
import { stat, stateTimeline, table, timeseries } from './lib/panels';
import { PBX, prom, sb } from './lib/queries';

export const EXTENSION_STATE_EXPR = extensionStateExpr(`${PBX}, extension="$extension"`);

export const extensionDetail: Dashboard = dashboard({
  uid: UID.extension,
  title: 'Switchboard · Extension',
  description: 'One extension: its state now, its state over time and its calls.',
  time: { from: 'now-24h', to: 'now' },
  refresh: '1m',
  variables: [pbxVariable(), sbVariable('extension', 'Extension', { kind: 'extensions', pbx: '$pbx' })],
  panels: [
    stat({
      title: 'State',
      w: 6,
      h: 5,
      targets: [sb({ queryType: 'extensions', pbx: '$pbx', extension: '$extension', live: true })],
      // the state is a string field; its value mappings (from the data source) give text and colour
      fields: '/^state$/',
      textMode: BigValueTextMode.Value,
    }),
    table({
      title: 'Now',
      w: 18,
      h: 5,
      targets: [sb({ queryType: 'extensions', pbx: '$pbx', extension: '$extension', live: true })],
      hide: ['callId', 'updatedAt', 'stale', 'staleSince'],
      colorText: ['state'],
    }),
    stateTimeline({
      title: 'State over time',
      description:
        "From pbx_extension_state, the exporter's opt-in per-extension series (metrics.perExtension: true, on in " +
        'the compose stack). Gaps are times without data (exporter or PBX connection down).',
      w: 24,
      h: 5,
      targets: [prom(EXTENSION_STATE_EXPR, { legend: '{{extension}}' })],
      mappings: extensionStateNumberMappings(),
      maxDataPoints: 500,
    }),
    timeseries({
      title: 'Calls that rang here',
      description: 'Answered here, and missed here (rang, answered elsewhere or not at all).',
      w: 12,
      h: 7,
      targets: [
        sb({ queryType: 'stats', groupBy: 'extension', extension: '$extension', metrics: ['answered', 'missed'] }),
      ],
      style: 'bars',
      stack: true,
      decimals: 0,
    }),
    timeseries({
      title: 'Talk time',
      w: 12,
      h: 7,
      targets: [
        sb({ queryType: 'stats', groupBy: 'extension', extension: '$extension', metrics: ['talkSecondsTotal'] }),
      ],
      style: 'bars',
      unit: 's',
    }),
    callsTable({ title: 'Calls', h: 14, query: { pbx: '$pbx', extension: '$extension' } }),
  ],
});
