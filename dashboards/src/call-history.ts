import { BigValueGraphMode, type Dashboard, type Panel } from '@grafana/schema';
import { UID } from './lib/datasources';
import { customVariable, dashboard, pbxVariable, sbVariable, textVariable } from './lib/dashboard';
import { FIXED, link, stat, steps, table, timeseries } from './lib/panels';
import { sb, type SwitchboardTarget } from './lib/queries';

/**
 * A call's full record (legs, transfers, holds) from the exporter, through Grafana's data-source proxy: the browser
 * stays on Grafana, and the proxy route adds the API token.
 */
export const CALL_DETAIL_URL = '/api/datasources/proxy/uid/switchboard/api/api/v1/calls/${__data.fields.id}';

/**
 * The calls the table shows, every one of them, as a CSV download from the exporter (through the proxy, like the
 * call detail): the time range and the filters, `*` standing for All as the exporter understands it.
 */
export const CALLS_CSV_URL =
  '/api/datasources/proxy/uid/switchboard/api/api/v1/calls?format=csv&from=${__from}&to=${__to}' +
  '&pbx=${pbx:percentencode}&extension=${extension:percentencode}&direction=${direction}&status=${status}' +
  '&queue=${queue:percentencode}&q=${search:percentencode}';

/** The call list with links: call ID → full record, a number → its calls, who answered → the extension. */
export function callsTable(opts: {
  title: string;
  h: number;
  query: Omit<SwitchboardTarget, 'datasource' | 'refId' | 'queryType'>;
  links?: Panel['links'];
}): Panel {
  return table({
    links: opts.links,
    title: opts.title,
    description:
      'Newest first, up to 1,000. Call ID opens the full record (legs, transfers, holds); a number lists its calls; ' +
      'who answered opens the extension.',
    w: 24,
    h: opts.h,
    targets: [sb({ queryType: 'calls', limit: 1000, ...opts.query })],
    hide: ['fromName', 'toName', 'answeredByName', 'answeredAt', 'endedAt', 'returnedAt'],
    colorText: ['status', 'direction'],
    sortBy: [{ displayName: 'Started', desc: true }],
    overrides: [
      {
        matcher: { id: 'byName', options: 'id' },
        properties: [
          {
            id: 'links',
            value: [{ title: 'Call detail (legs, transfers, holds)', url: CALL_DETAIL_URL, targetBlank: true }],
          },
        ],
      },
      {
        matcher: { id: 'byName', options: 'from' },
        properties: [
          {
            id: 'links',
            value: [
              {
                title: 'Calls with ${__value.text}',
                url: `/d/${UID.calls}?var-search=\${__value.raw}&\${__url_time_range}`,
              },
            ],
          },
        ],
      },
      {
        matcher: { id: 'byName', options: 'to' },
        properties: [
          {
            id: 'links',
            value: [
              {
                title: 'Calls with ${__value.text}',
                url: `/d/${UID.calls}?var-search=\${__value.raw}&\${__url_time_range}`,
              },
            ],
          },
        ],
      },
      {
        matcher: { id: 'byName', options: 'answeredBy' },
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
      {
        matcher: { id: 'byName', options: 'trulyMissed' },
        properties: [
          { id: 'custom.cellOptions', value: { type: 'color-text' } },
          {
            id: 'mappings',
            value: [
              {
                type: 'value',
                options: { true: { text: 'missed', color: 'red', index: 0 }, false: { text: '', index: 1 } },
              },
            ],
          },
        ],
      },
    ],
  });
}

// `*` is the data source's "no filter" value: All sends one request instead of one per value.
const ALL = '*';

export const callHistory: Dashboard = dashboard({
  uid: UID.calls,
  title: 'Switchboard · Call history',
  description: "Every call from the exporter's history, filtered by extension, direction, status, queue and free text.",
  time: { from: 'now-24h', to: 'now' },
  refresh: '1m',
  variables: [
    pbxVariable({ allValue: ALL }),
    sbVariable('extension', 'Extension', { kind: 'extensions', pbx: '$pbx' }, { includeAll: true, allValue: ALL }),
    customVariable(
      'direction',
      'Direction',
      [
        ['inbound', 'Inbound'],
        ['outbound', 'Outbound'],
        ['internal', 'Internal'],
      ],
      { includeAll: true, allValue: ALL },
    ),
    customVariable(
      'status',
      'Status',
      [
        ['answered', 'Answered'],
        ['truly_missed', 'Truly missed (nobody answered)'],
        ['unreturned', 'Missed, not called back'],
        ['missed', 'Missed'],
        ['abandoned', 'Abandoned'],
        ['busy', 'Busy'],
        ['voicemail', 'Voicemail'],
        ['failed', 'Failed'],
        ['incomplete', 'Incomplete'],
      ],
      { includeAll: true, allValue: ALL },
    ),
    sbVariable('queue', 'Queue', { kind: 'queues', pbx: '$pbx' }, { includeAll: true, allValue: ALL }),
    textVariable('search', 'Search (number or name)'),
  ],
  panels: [
    stat({
      title: 'Calls',
      description: 'All finished calls in the range (the filters above apply to the table).',
      w: 6,
      h: 4,
      targets: [sb({ queryType: 'stats', groupBy: 'none', metrics: ['offered'] })],
      calcs: ['sum'],
      color: FIXED('blue'),
      graphMode: BigValueGraphMode.Area,
      decimals: 0,
    }),
    stat({
      title: 'Truly missed',
      description: 'Inbound calls nobody answered, in the range.',
      w: 6,
      h: 4,
      targets: [sb({ queryType: 'stats', groupBy: 'none', metrics: ['missed'] })],
      calcs: ['sum'],
      thresholds: steps([1, 'orange']),
      graphMode: BigValueGraphMode.Area,
      decimals: 0,
      links: [link('List them', `/d/${UID.calls}?var-status=truly_missed&\${__url_time_range}`)],
    }),
    timeseries({
      title: 'Calls by status',
      description: 'All finished calls in the range, by final status.',
      w: 12,
      h: 4,
      targets: [sb({ queryType: 'stats', groupBy: 'status', metrics: ['offered'] })],
      style: 'bars',
      stack: true,
      decimals: 0,
    }),
    callsTable({
      title: 'Calls',
      h: 20,
      links: [link('CSV', CALLS_CSV_URL, 'Every call in the time range with these filters, as a CSV file (no limit)')],
      query: {
        pbx: '$pbx',
        extension: '$extension',
        direction: '$direction',
        status: '$status',
        queue: '$queue',
        text: '$search',
      },
    }),
  ],
});
