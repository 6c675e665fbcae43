import { BigValueGraphMode, TableCellDisplayMode, type Action, type Dashboard, type Panel } from '@grafana/schema';
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

/**
 * Click-to-dial through the app's proxy route `dial` (grafana-plugin/src/plugin.json): Grafana's server adds the
 * control token and sends it to the exporter's `POST /api/v1/calls`. The data source's proxy cannot do this: its
 * token only reads.
 */
export const CALL_BACK_URL = '/api/plugin-proxy/switchboard-pbx-app/dial';

/**
 * Grafana's "fetch" action on a missed call's row: the extension the call rang at rings, and once it answers the
 * PBX dials the caller. Grafana asks first, naming both numbers. A row the data source found no extension for sends
 * an empty one, which the exporter refuses with a 400 naming `extension` (nothing rings).
 */
export const CALL_BACK_ACTION: Action = {
  type: 'fetch',
  title: 'Call back',
  confirmation:
    'Ring extension ${__data.fields.callBackFrom} and, once it answers, call ${__data.fields.from} back ' +
    '(missed call ${__data.fields.id})?',
  oneClick: false,
  fetch: {
    method: 'POST',
    url: CALL_BACK_URL,
    headers: [['Content-Type', 'application/json']],
    queryParams: [],
    body:
      '{"pbx": "${__data.fields.pbx}", "extension": "${__data.fields.callBackFrom}", ' +
      '"target": "${__data.fields.from}"}',
  },
};

/** Narrow columns, so the button column fits beside the names on a 1600 px wide dashboard. */
const MISSED_WIDTHS: Record<string, number> = {
  startedAt: 185,
  status: 100,
  to: 100,
  queue: 90,
  ringSeconds: 80,
  returnedAt: 185,
  id: 190,
  rangAt: 110,
};

/**
 * Inbound calls nobody answered, newest first, each with the extensions it rang at and a "Call back" button (for
 * Editors and Admins: Grafana shows actions to those who may edit the dashboard). Every row is one a call back
 * makes sense for, since Grafana cannot hide an action row by row; `Returned` says whether somebody already did.
 */
export function missedCallsTable(): Panel {
  return table({
    title: 'Missed calls · call back',
    description:
      'Inbound calls nobody answered (the filters above apply), newest 50. Call back rings the extension the call ' +
      'rang at (the one the dashboard is filtered to, if the call rang it), then dials the caller. Returned: ' +
      "called back since. Needs the app's control token (app configuration).",
    w: 24,
    h: 10,
    targets: [
      sb({
        queryType: 'calls',
        callBack: true,
        limit: 50,
        pbx: '$pbx',
        extension: '$extension',
        direction: 'inbound',
        status: 'truly_missed',
        queue: '$queue',
        text: '$search',
      }),
    ],
    hide: [
      'direction',
      'toName',
      'answeredBy',
      'answeredByName',
      'answeredAt',
      'endedAt',
      'talkSeconds',
      'holdSeconds',
      'waitSeconds',
      'trulyMissed',
      'pbx',
    ],
    colorText: ['status'],
    sortBy: [{ displayName: 'Started', desc: true }],
    overrides: [
      ...Object.entries(MISSED_WIDTHS).map(([name, width]) => ({
        matcher: { id: 'byName', options: name },
        properties: [{ id: 'custom.width', value: width }],
      })),
      {
        matcher: { id: 'byName', options: 'callBackFrom' },
        properties: [
          { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.Actions } },
          { id: 'custom.width', value: 110 },
          { id: 'actions', value: [CALL_BACK_ACTION] },
        ],
      },
    ],
  });
}

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
    missedCallsTable(),
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
