import type { Dashboard, Panel } from '@grafana/schema';
import { UID } from './lib/datasources';
import { dashboard, pbxVariable, sbVariable } from './lib/dashboard';
import { link, table } from './lib/panels';
import { sb } from './lib/queries';

// `*` is the data source's "no filter" value, and the exporter's: the CSV link passes it as it is
const ALL = '*';

/**
 * The weekly agent report as a CSV download from the exporter, through the data-source proxy: the time range, the
 * filters, Monday weeks in the browser's time zone.
 */
export const AGENTS_CSV_URL =
  '/api/datasources/proxy/uid/switchboard/api/api/v1/reports/agents?format=csv&interval=1w&from=${__from}&to=${__to}' +
  '&pbx=${pbx:percentencode}&extension=${extension:percentencode}';

const HIDDEN = ['pbx'];

function agentsTable(title: string, description: string, h: number, interval?: string): Panel {
  return table({
    title,
    description,
    w: 24,
    h,
    targets: [sb({ queryType: 'agents', pbx: '$pbx', extension: '$extension', ...(interval ? { interval } : {}) })],
    hide: interval ? HIDDEN : ['time', ...HIDDEN],
    sortBy: interval ? [{ displayName: 'Period', desc: true }] : [{ displayName: 'Handled', desc: true }],
    links: [link('CSV', AGENTS_CSV_URL, 'The weekly report as a CSV file')],
  });
}

export const reports: Dashboard = dashboard({
  uid: UID.reports,
  title: 'Switchboard · Reports',
  description:
    'Per agent: answered, missed, outbound, talk time and average handling time, for the range and per week ' +
    "(Monday weeks in the dashboard's time zone).",
  time: { from: 'now-4w', to: 'now' },
  refresh: '',
  variables: [
    pbxVariable({ allValue: ALL }),
    sbVariable('extension', 'Agent', { kind: 'extensions', pbx: '$pbx' }, { includeAll: true, allValue: ALL }),
  ],
  panels: [
    agentsTable(
      'Per agent',
      'The whole time range. Answered and missed: calls that rang at the agent; outbound: calls the agent placed; ' +
        'average handling time = (talk + hold) / handled calls.',
      10,
    ),
    agentsTable(
      'Per agent and week',
      'Monday weeks in the time zone of the dashboard (your browser by default).',
      14,
      '1w',
    ),
  ],
});
