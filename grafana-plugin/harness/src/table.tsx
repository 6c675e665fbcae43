/**
 * The table harness: one table panel of a dashboard the BUILT app ships (dist/dashboards/*.json), run the way
 * Grafana runs it: its queries through the built data source (module.js, Grafana's data-source proxy), its
 * fieldConfig applied with applyFieldOverrides, drawn by @grafana/ui's TableNG (the table panel's component in
 * Grafana 13), with the actions of its fields built as Grafana core builds them (actions.ts). Grafana shows actions
 * only to users who may edit the dashboard: the page asks the server who is signed in (`/api/user`).
 *
 * `table.html?dashboard=call-history&panel=<title>&var-<name>=<value>&theme=dark`
 */
import React, { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { css } from '@emotion/css';
import {
  applyFieldOverrides,
  CoreApp,
  createTheme,
  dateTime,
  EventBusSrv,
  getFieldDisplayName,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  type InterpolateFunction,
} from '@grafana/data';
import type { FieldConfigSource } from '@grafana/data';
import type { Panel } from '@grafana/schema';
import { Alert, GlobalStyles, PanelContextProvider, ThemeContext } from '@grafana/ui';
import { TableNG } from '@grafana/ui/unstable';
import type { PbxDataSource } from '../../src/datasource/datasource';
import type { PbxQuery } from '../../src/datasource/types';
import { cellActions, type AlertLevel } from './actions';
import { tableFieldConfigRegistry } from './fieldConfig';
import { loadPluginModule } from './grafana';
import { getTemplateSrv, setHarnessVariables } from './runtime';

declare global {
  interface Window {
    __table: {
      ready?: boolean;
      rows?: number;
      role?: string;
      errors: string[];
      alerts: Array<{ level: string; text: string }>;
    };
  }
}

const PLUGIN_BASE = '/public/plugins/switchboard-pbx-app';
const params = new URLSearchParams(window.location.search);
const state: Window['__table'] = (window.__table = { errors: [], alerts: [] });

const variables: Record<string, string> = {};
params.forEach((value, key) => key.startsWith('var-') && (variables[key.slice(4)] = value));
setHarnessVariables(variables);

const settings = {
  id: 1,
  uid: 'sb-harness',
  type: 'switchboard-pbx-datasource',
  name: 'Switchboard',
  url: '/api/datasources/proxy/uid/sb-harness',
  access: 'proxy',
  jsonData: { url: 'http://exporter (configured in Grafana)', pollIntervalSeconds: 5 },
  meta: { id: 'switchboard-pbx-datasource' },
  readOnly: true,
} as unknown as DataSourceInstanceSettings;

const replaceVariables: InterpolateFunction = (value, scopedVars, format) =>
  getTemplateSrv().replace(value, scopedVars, format as string | undefined);

function request(panel: Panel): DataQueryRequest<PbxQuery> {
  const to = dateTime();
  const from = dateTime(to.valueOf() - 24 * 3600_000);
  return {
    requestId: 'table',
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from: 'now-24h', to: 'now' } },
    scopedVars: {},
    targets: (panel.targets ?? []) as unknown as PbxQuery[],
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: Date.now(),
  } as DataQueryRequest<PbxQuery>;
}

function TablePage({ panel, frame, role }: { panel: Panel; frame: DataFrame; role: string }) {
  const theme = useMemo(
    () => createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } }),
    []
  );
  const [alert, setAlert] = useState<{ level: AlertLevel; text: string } | null>(null);
  const [size, setSize] = useState({ width: window.innerWidth - 34, height: window.innerHeight - 70 });
  useEffect(() => {
    const onResize = () => setSize({ width: window.innerWidth - 34, height: window.innerHeight - 70 });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const fieldConfig = useMemo(() => migrateTableFieldConfig(panel), [panel]);
  const data = useMemo(() => {
    const [out] = applyFieldOverrides({
      data: [frame],
      fieldConfig,
      fieldConfigRegistry: tableFieldConfigRegistry(),
      replaceVariables,
      theme,
      timeZone: 'utc',
    });
    // the column titles: each field's display name, as Grafana's panel pipeline leaves it in field.state
    out.fields.forEach((f) => getFieldDisplayName(f, out, [out]));
    return out;
  }, [frame, fieldConfig, theme]);
  const context = useMemo(
    () => ({
      eventsScope: 'harness',
      eventBus: new EventBusSrv(),
      // DashboardScene: canExecuteActions = dashboard.canEditDashboard(); Editors and Admins by default
      canExecuteActions: () => role === 'Editor' || role === 'Admin',
    }),
    [role]
  );
  const announce = (level: AlertLevel, text: string) => {
    state.alerts.push({ level, text });
    setAlert({ level, text });
  };
  const options = (panel.options ?? {}) as {
    sortBy?: Array<{ displayName: string; desc?: boolean }>;
    cellHeight?: string;
  };
  const s = styles(theme);
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div className={s.page}>
        <section className={s.panel} aria-label={panel.title}>
          <header className={s.header}>
            <h2 className={s.title}>{panel.title}</h2>
            <span className={s.who}>signed in as {role}</span>
          </header>
          <PanelContextProvider value={context}>
            <TableNG
              data={data}
              width={size.width}
              height={size.height}
              sortBy={options.sortBy}
              cellHeight={options.cellHeight as never}
              fieldConfig={fieldConfig}
              getActions={(f, field, rowIndex) => cellActions(f, field, rowIndex, replaceVariables, announce)}
            />
          </PanelContextProvider>
        </section>
        {alert && (
          <div className={s.toast} data-testid="harness-alert" data-level={alert.level}>
            <Alert severity={alert.level} title={alert.text} onRemove={() => setAlert(null)} />
          </div>
        )}
      </div>
    </ThemeContext.Provider>
  );
}

/**
 * The dashboard JSON's field config as Grafana's table panel reads it after its migration handler (which runs for a
 * panel saved without a pluginVersion): `custom.hidden` became `custom.hideFrom.viz` in Grafana 12.
 */
function migrateTableFieldConfig(panel: Panel): FieldConfigSource {
  const source = (panel.fieldConfig ?? { defaults: {}, overrides: [] }) as unknown as FieldConfigSource;
  return {
    ...source,
    overrides: source.overrides.map((o) => ({
      ...o,
      properties: o.properties.map((p) => (p.id === 'custom.hidden' ? { ...p, id: 'custom.hideFrom.viz' } : p)),
    })),
  };
}

function styles(theme: ReturnType<typeof createTheme>) {
  return {
    page: css({
      height: '100vh',
      padding: theme.spacing(1),
      background: theme.colors.background.canvas,
      boxSizing: 'border-box',
    }),
    panel: css({
      height: '100%',
      padding: theme.spacing(0, 1, 1, 1),
      background: theme.components.panel.background,
      border: `1px solid ${theme.components.panel.borderColor}`,
      borderRadius: theme.shape.radius.default,
      overflow: 'hidden',
    }),
    header: css({ display: 'flex', alignItems: 'center', height: theme.spacing(theme.components.panel.headerHeight) }),
    title: css({ ...theme.typography.h6, margin: 0, flex: 1 }),
    who: css({ color: theme.colors.text.secondary, fontSize: 12 }),
    toast: css({ position: 'fixed', top: theme.spacing(2), right: theme.spacing(2), width: 420, zIndex: 2000 }),
  };
}

async function main() {
  const dashboard = params.get('dashboard') ?? 'call-history';
  const title = params.get('panel') ?? '';
  const [dsModule, dashRes, userRes] = await Promise.all([
    loadPluginModule<{ plugin: DataSourcePlugin<PbxDataSource> }>(`${PLUGIN_BASE}/datasource/module.js`),
    fetch(`${PLUGIN_BASE}/dashboards/${dashboard}.json`),
    fetch('/api/user'),
  ]);
  const dash = (await dashRes.json()) as { panels: Panel[] };
  const panel = dash.panels.find((p) => p.title === title);
  if (!panel) {
    throw new Error(`dashboards/${dashboard}.json has no panel "${title}"`);
  }
  if (panel.transformations?.length) {
    throw new Error(`panel "${title}" has transformations, which this harness does not run`);
  }
  const role = ((await userRes.json()) as { orgRole: string }).orgRole;
  const DataSource = dsModule.plugin.DataSourceClass as unknown as new (s: DataSourceInstanceSettings) => PbxDataSource;
  const ds = new DataSource(settings);
  const frames: DataFrame[] = [];
  await new Promise<void>((resolve, reject) =>
    ds.query(request(panel)).subscribe({
      next: (res) => {
        if (res.errors?.length) {
          reject(new Error(res.errors[0].message));
        }
        frames.push(...(res.data as DataFrame[]));
      },
      error: reject,
      complete: resolve,
    })
  );
  state.rows = frames[0]?.length ?? 0;
  state.role = role;
  createRoot(document.getElementById('root')!).render(<TablePage panel={panel} frame={frames[0]} role={role} />);
  requestAnimationFrame(() => requestAnimationFrame(() => (state.ready = true)));
}

main().catch((err) => {
  state.errors.push(String(err?.stack ?? err));
  document.getElementById('root')!.textContent = `table harness failed: ${err}`;
});
