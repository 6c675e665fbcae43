import {
  BigValueGraphMode,
  BigValueTextMode,
  VariableHide,
  VariableRefresh,
  VariableSort,
  type Dashboard,
  type VariableModel,
} from '@grafana/schema';
import { PROMETHEUS, UID } from './lib/datasources';
import { dashboard, restartsAnnotation } from './lib/dashboard';
import { upDown } from './lib/mappings';
import { FIXED, row, stat, stateTimeline, steps, stepsUp, table, timeseries } from './lib/panels';
import { PBX, prom } from './lib/queries';

const JOB = 'job="switchboard"';

/** The PBX names as Prometheus knows them (this dashboard is Prometheus only). */
const pbxFromPrometheus: VariableModel = {
  type: 'query',
  name: 'pbx',
  label: 'PBX',
  datasource: PROMETHEUS,
  query: { qryType: 1, query: 'label_values(pbx_up, pbx)', refId: 'PrometheusVariableQueryEditor-VariableQuery' },
  refresh: VariableRefresh.onDashboardLoad,
  sort: VariableSort.naturalAsc,
  multi: true,
  includeAll: true,
  current: { text: 'All', value: '$__all' },
  options: [],
  hide: VariableHide.dontHide,
};

export const health: Dashboard = dashboard({
  uid: UID.health,
  title: 'Switchboard · Exporter and PBX health',
  description:
    'The exporter and its PBX connections: events, reconnects, ingest lag, rejected events, database, scrapes.',
  time: { from: 'now-6h', to: 'now' },
  refresh: '1m',
  variables: [pbxFromPrometheus],
  annotations: [restartsAnnotation()],
  panels: [
    stat({
      title: 'Exporter',
      w: 4,
      h: 4,
      targets: [prom(`up{${JOB}}`, { legend: '{{instance}}', instant: true })],
      mappings: upDown('Up', 'Down'),
      thresholds: stepsUp('red', [1, 'green']),
      textMode: BigValueTextMode.Value,
    }),
    stat({
      title: 'PBX connections',
      w: 8,
      h: 4,
      targets: [prom(`pbx_up{${PBX}}`, { legend: '{{pbx}}', instant: true })],
      mappings: upDown('Connected', 'Down'),
      thresholds: stepsUp('red', [1, 'green']),
      textMode: BigValueTextMode.ValueAndName,
    }),
    stat({
      title: 'PBX uptime',
      w: 4,
      h: 4,
      targets: [prom(`time() - pbx_start_time_seconds{${PBX}}`, { legend: '{{pbx}}', instant: true })],
      unit: 's',
      decimals: 0,
      color: FIXED('text'),
      textMode: BigValueTextMode.ValueAndName,
    }),
    stat({
      title: 'Database size',
      w: 4,
      h: 4,
      targets: [prom(`switchboard_db_size_bytes{${JOB}}`, { legend: '{{instance}}' })],
      unit: 'bytes',
      color: FIXED('blue'),
      graphMode: BigValueGraphMode.Area,
    }),
    stat({
      title: 'Disk free',
      w: 4,
      h: 4,
      targets: [prom(`switchboard_db_disk_free_bytes{${JOB}}`, { legend: '{{instance}}' })],
      unit: 'bytes',
      thresholds: stepsUp('red', [1073741824, 'orange'], [5368709120, 'green']),
      graphMode: BigValueGraphMode.Area,
    }),
    stateTimeline({
      title: 'PBX connection',
      w: 24,
      h: 4,
      targets: [prom(`pbx_up{${PBX}}`, { legend: '{{pbx}}' }), prom(`up{${JOB}}`, { refId: 'B', legend: 'exporter' })],
      mappings: upDown('up', 'down'),
      thresholds: stepsUp('red', [1, 'green']),
    }),
    row('Ingest'),
    timeseries({
      title: 'PBX events per second',
      w: 12,
      h: 8,
      targets: [prom(`sum by (pbx) (rate(switchboard_events_total{${PBX}}[$__rate_interval]))`, { legend: '{{pbx}}' })],
      unit: 'ops',
    }),
    timeseries({
      title: 'Events by kind (top 10)',
      w: 12,
      h: 8,
      targets: [
        prom(`topk(10, sum by (event) (rate(switchboard_events_total{${PBX}}[$__rate_interval])))`, {
          legend: '{{event}}',
        }),
      ],
      unit: 'ops',
      legendAsTable: true,
      legendCalcs: ['mean', 'max'],
    }),
    timeseries({
      title: 'Ingest lag',
      description:
        "Arrival time minus the PBX's timestamp of the newest event. A steady offset is clock skew on the PBX.",
      w: 8,
      h: 8,
      targets: [prom(`switchboard_ingest_lag_seconds{${PBX}}`, { legend: '{{pbx}}' })],
      unit: 's',
      thresholds: steps([30, 'red']),
    }),
    timeseries({
      title: 'Reconnects and login failures',
      w: 8,
      h: 8,
      targets: [
        prom(`sum by (pbx) (increase(pbx_source_reconnects_total{${PBX}}[$__rate_interval]))`, {
          legend: '{{pbx}} reconnects',
        }),
        prom(`sum by (pbx) (increase(pbx_source_login_failures_total{${PBX}}[$__rate_interval]))`, {
          refId: 'B',
          legend: '{{pbx}} login failures',
        }),
      ],
      style: 'bars',
      decimals: 0,
    }),
    timeseries({
      title: 'Rejected events',
      w: 8,
      h: 8,
      targets: [
        prom(`sum by (pbx, reason) (increase(switchboard_events_rejected_total{${PBX}}[$__rate_interval]))`, {
          legend: '{{pbx}}: {{reason}}',
        }),
      ],
      style: 'bars',
      decimals: 0,
    }),
    timeseries({
      title: 'Time since the last PBX event',
      w: 12,
      h: 7,
      targets: [prom(`time() - (pbx_source_last_event_timestamp_seconds{${PBX}} > 0)`, { legend: '{{pbx}}' })],
      unit: 's',
    }),
    timeseries({
      title: 'Calls in progress',
      w: 12,
      h: 7,
      targets: [prom(`sum by (pbx, direction) (pbx_calls_active{${PBX}})`, { legend: '{{pbx}} {{direction}}' })],
      stack: true,
      decimals: 0,
    }),
    row('Database and scrapes'),
    timeseries({
      title: 'Database write time (p50, p99)',
      w: 8,
      h: 8,
      targets: [
        prom(
          `histogram_quantile(0.5, sum by (le) (rate(switchboard_db_write_duration_seconds_bucket{${JOB}}[$__rate_interval])))`,
          { legend: 'p50' },
        ),
        prom(
          `histogram_quantile(0.99, sum by (le) (rate(switchboard_db_write_duration_seconds_bucket{${JOB}}[$__rate_interval])))`,
          { refId: 'B', legend: 'p99' },
        ),
      ],
      unit: 's',
    }),
    timeseries({
      title: 'Database write errors',
      w: 8,
      h: 8,
      targets: [
        prom(`increase(switchboard_db_write_errors_total{${JOB}}[$__rate_interval])`, { legend: '{{instance}}' }),
      ],
      style: 'bars',
      decimals: 0,
      thresholds: steps([1, 'red']),
    }),
    timeseries({
      title: 'Database size and free disk',
      w: 8,
      h: 8,
      targets: [
        prom(`switchboard_db_size_bytes{${JOB}}`, { legend: 'database' }),
        prom(`switchboard_db_disk_free_bytes{${JOB}}`, { refId: 'B', legend: 'free' }),
      ],
      unit: 'bytes',
    }),
    timeseries({
      title: 'Scrape time',
      description: "Prometheus' whole scrape of the exporter, and the part spent computing the live-state gauges.",
      w: 8,
      h: 8,
      targets: [
        prom(`scrape_duration_seconds{${JOB}}`, { legend: 'scrape' }),
        prom(`switchboard_metrics_collect_duration_seconds{${JOB}}`, { refId: 'B', legend: 'live-state gauges' }),
      ],
      unit: 's',
    }),
    timeseries({
      title: 'Exporter memory',
      w: 8,
      h: 8,
      targets: [
        prom(`process_resident_memory_bytes{${JOB}}`, { legend: 'resident memory' }),
        prom(`nodejs_heap_size_used_bytes{${JOB}}`, { refId: 'B', legend: 'heap used' }),
      ],
      unit: 'bytes',
    }),
    timeseries({
      title: 'Live stream clients',
      w: 8,
      h: 8,
      targets: [prom(`switchboard_sse_clients{${JOB}}`, { legend: 'SSE clients' })],
      decimals: 0,
    }),
    table({
      title: 'Versions',
      w: 24,
      h: 5,
      targets: [
        prom(`switchboard_build_info{${JOB}}`, { instant: true, format: 'table' }),
        prom(`pbx_source_info{${PBX}}`, { refId: 'B', instant: true, format: 'table' }),
      ],
      transformations: [
        { id: 'merge', options: {} },
        { id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true, job: true } } },
      ],
    }),
  ],
});
