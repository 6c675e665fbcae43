import type { DataSourceRef } from '@grafana/schema';

/** The data sources provisioned by provisioning/grafana/datasources/switchboard.yml (uids are fixed there). */
export const SWITCHBOARD: DataSourceRef = { type: 'switchboard-pbx-datasource', uid: 'switchboard' };
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'prometheus' };
export const GRAFANA: DataSourceRef = { type: 'grafana', uid: '-- Grafana --' };

/** Dashboard uids, for links between the dashboards. */
export const UID = {
  wall: 'switchboard-noc-wall',
  calls: 'switchboard-call-history',
  queues: 'switchboard-queues',
  extension: 'switchboard-extension',
  health: 'switchboard-health',
  reports: 'switchboard-reports',
} as const;
