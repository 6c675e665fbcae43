import { VariableHide, VariableRefresh, type Dashboard, type VariableModel } from '@grafana/schema';
import { PROMETHEUS, SWITCHBOARD } from './lib/datasources';

/**
 * The dashboards as the app ships them (plugin.json `includes`, imported when the app is enabled): the same
 * dashboards, but on data-source variables instead of the compose stack's provisioned uids, so they work with
 * whatever Switchboard and Prometheus data sources a user has. They keep their uids: in the compose stack the
 * provisioned copies (same uid) are the ones Grafana keeps, so each dashboard exists once.
 */
export const APP_DIR = 'grafana-plugin/src/dashboards';

const VARIABLES = [
  { ref: SWITCHBOARD, name: 'switchboard', label: 'Switchboard' },
  { ref: PROMETHEUS, name: 'prometheus', label: 'Prometheus' },
] as const;

function datasourceVariable(name: string, label: string, pluginId: string): VariableModel {
  return {
    type: 'datasource',
    name,
    label,
    query: pluginId,
    refresh: VariableRefresh.onDashboardLoad,
    regex: '',
    options: [],
    hide: VariableHide.dontHide,
  };
}

export function forApp(d: Dashboard): Dashboard {
  const used = new Set<string>();
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(rewrite);
    }
    if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      const v = VARIABLES.find((x) => o.type === x.ref.type && o.uid === x.ref.uid);
      if (v && Object.keys(o).length === 2) {
        used.add(v.name);
        return { type: o.type, uid: `\${${v.name}}` };
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, rewrite(x)]));
    }
    if (typeof value === 'string' && value.includes(`/api/datasources/proxy/uid/${SWITCHBOARD.uid}/`)) {
      used.add('switchboard');
      return value.split(`/uid/${SWITCHBOARD.uid}/`).join('/uid/${switchboard}/');
    }
    return value;
  };
  const out = rewrite(d) as Dashboard;
  const variables = VARIABLES.filter((v) => used.has(v.name)).map((v) =>
    datasourceVariable(v.name, v.label, v.ref.type!),
  );
  return {
    ...out,
    id: null,
    templating: { list: [...variables, ...(out.templating?.list ?? [])] },
  };
}
