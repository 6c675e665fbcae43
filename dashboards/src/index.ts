import type { Dashboard } from '@grafana/schema';
import { callHistory } from './call-history';
import { extensionDetail } from './extension-detail';
import { health } from './health';
import { nocWall } from './noc-wall';
import { queues } from './queues';
import { reports } from './reports';

/** Every provisioned dashboard by its file name in dashboards/. */
export const DASHBOARDS: Record<string, Dashboard> = {
  'noc-wall.json': nocWall,
  'call-history.json': callHistory,
  'queues.json': queues,
  'extension-detail.json': extensionDetail,
  'exporter-health.json': health,
  'reports.json': reports,
};

/** The file's exact text: stable key order as written, two-space indent, final newline. */
export const render = (d: Dashboard): string => `${JSON.stringify(d, null, 2)}\n`;
