/**
 * The browser-test harness: a Grafana-like page (theme, global styles, panel chrome, kiosk layout) that loads the
 * BUILT plugin (dist/, served under public/plugins/ as Grafana serves it) through an AMD loader with Grafana's
 * shared modules, runs its data source class against Grafana's data-source proxy URL (served by
 * harness/server.ts, which forwards to a running exporter and adds the token), applies the panel's field config
 * the way Grafana does, and feeds its wall panel.
 *
 * Tests drive one page through `window.__harness.set({ theme, options, fixture, viewport })` instead of reloading.
 */
import React, { useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { css } from '@emotion/css';
import {
  applyFieldOverrides,
  CoreApp,
  createTheme,
  dateTime,
  EventBusSrv,
  getDefaultTimeRange,
  getPanelOptionsWithDefaults,
  LoadingState,
  MappingType,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  type FieldConfigSource,
  type PanelPlugin,
  type PanelProps,
} from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import type { PbxDataSource } from '../../src/datasource/datasource';
import type { PbxQuery } from '../../src/datasource/types';
import type { WallOptions } from '../../src/panels/extension-wall/types';
import { fixtureFeed, type FixtureSpec } from './fixture';
import { loadPluginModule } from './grafana';
import { setHarnessVariables } from './runtime';

/** What a test may change on the open page. */
export interface HarnessPatch {
  theme?: 'dark' | 'light';
  options?: Partial<WallOptions>;
  /** Synthetic frames instead of the exporter; null: back to the exporter. */
  fixture?: FixtureSpec | null;
  /** Value mapping overrides on the `state` field, as a dashboard would set them: state → colour. */
  stateColors?: Record<string, string>;
  title?: string;
}

declare global {
  interface Window {
    __harness: {
      responses: number;
      state?: string;
      errors: string[];
      eventSources: string[];
      rows: Record<string, number>;
      /** Applies a patch; resolves once the page has drawn it. */
      set?: (patch: HarnessPatch) => Promise<void>;
      ready?: boolean;
    };
  }
}

const PLUGIN_BASE = '/public/plugins/switchboard-pbx-app';
export const HARNESS_DS_UID = 'sb-harness';
const params = new URLSearchParams(window.location.search);
const harness: Window['__harness'] = (window.__harness = { responses: 0, errors: [], eventSources: [], rows: {} });

// Count EventSources the data source opens, without changing its code: it must open exactly one.
const NativeEventSource = window.EventSource;
window.EventSource = class CountingEventSource extends NativeEventSource {
  constructor(url: string | URL, init?: EventSourceInit) {
    super(url, init);
    harness.eventSources.push(String(url));
  }
} as typeof EventSource;

const variables: Record<string, string | string[]> = {};
params.forEach((value, key) => {
  if (key.startsWith('var-')) {
    const name = key.slice(4);
    const prev = variables[name];
    variables[name] = prev === undefined ? value : ([] as string[]).concat(prev, value);
  }
});
setHarnessVariables(variables);

/** Panel options from the query string (`?mode=callboard&groupBy=queue&show=name,queues`), typed by the defaults. */
function optionsFromUrl(defaults: Record<string, unknown>): Partial<WallOptions> {
  const opts: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(defaults)) {
    const raw = params.get(key);
    if (raw === null) {
      continue;
    }
    opts[key] = Array.isArray(def)
      ? raw.split(',').filter(Boolean)
      : typeof def === 'number'
        ? Number(raw)
        : typeof def === 'boolean'
          ? raw === 'true'
          : raw;
  }
  return opts as Partial<WallOptions>;
}

const settings = {
  id: 1,
  uid: HARNESS_DS_UID,
  type: 'switchboard-pbx-datasource',
  name: 'Switchboard',
  // What Grafana gives a proxy-access data source; harness/server.ts plays Grafana's proxy there.
  url: `/api/datasources/proxy/uid/${HARNESS_DS_UID}`,
  access: 'proxy',
  jsonData: { url: 'http://exporter (configured in Grafana)', pollIntervalSeconds: 5 },
  meta: { id: 'switchboard-pbx-datasource' },
  readOnly: true,
} as unknown as DataSourceInstanceSettings;

function request(): DataQueryRequest<PbxQuery> {
  const to = dateTime();
  const from = dateTime(to.valueOf() - 3600_000);
  return {
    requestId: 'harness',
    interval: '1m',
    intervalMs: 60_000,
    range: { from, to, raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    targets: [
      { refId: 'A', queryType: 'extensions', extension: params.get('extension') ?? undefined },
      { refId: 'B', queryType: 'activeCalls' },
    ],
    timezone: 'browser',
    app: CoreApp.Dashboard,
    startTime: Date.now(),
  } as DataQueryRequest<PbxQuery>;
}

interface QueryResult {
  series: DataFrame[];
  state: LoadingState;
  error?: string;
}

/** Responses are merged by key, as Grafana's runRequest does: a new frame under a key replaces the old one. */
function useQuery(ds: PbxDataSource, fixture: FixtureSpec | null): QueryResult {
  const [result, setResult] = useState<QueryResult>({ series: [], state: LoadingState.Loading });
  useEffect(() => {
    if (fixture) {
      // The panel alone, on synthetic frames.
      return fixtureFeed(fixture, (series) => {
        harness.responses++;
        setResult({ series, state: LoadingState.Streaming });
      });
    }
    const byKey = new Map<string, DataFrame[]>();
    const sub = ds.query(request()).subscribe({
      next: (res) => {
        harness.responses++;
        harness.state = res.state;
        const key = res.key ?? res.data[0]?.refId ?? 'A';
        byKey.set(key, res.data as DataFrame[]);
        for (const [k, frames] of byKey) {
          harness.rows[k] = frames.reduce((n, f) => n + f.length, 0);
        }
        const error = res.errors?.[0]?.message;
        if (error) {
          harness.errors.push(error);
        }
        setResult({ series: Array.from(byKey.values()).flat(), state: res.state ?? LoadingState.Done, error });
      },
      error: (err) => {
        harness.errors.push(String(err?.message ?? err));
        setResult((r) => ({ ...r, state: LoadingState.Error, error: String(err?.message ?? err) }));
      },
    });
    return () => sub.unsubscribe();
  }, [ds, fixture]);
  return result;
}

function useSize<T extends HTMLElement>(): [React.RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const ro = new ResizeObserver(([entry]) =>
      setSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) })
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size];
}

function stateOverrides(colors: Record<string, string> | undefined): FieldConfigSource['overrides'] {
  if (!colors || Object.keys(colors).length === 0) {
    return [];
  }
  const options: Record<string, { color: string; index: number }> = {};
  Object.entries(colors).forEach(([state, color], index) => (options[state] = { color, index }));
  return [
    {
      matcher: { id: 'byName', options: 'state' },
      properties: [{ id: 'mappings', value: [{ type: MappingType.ValueToText, options }] }],
    },
  ];
}

interface PageState {
  theme: 'dark' | 'light';
  options: Partial<WallOptions>;
  fixture: FixtureSpec | null;
  stateColors?: Record<string, string>;
  title?: string;
}

/** Grafana draws its global styles once per theme, not once per panel update. */
const Globals = React.memo(function Globals() {
  return <GlobalStyles />;
});

function Harness({ ds, panelPlugin }: { ds: PbxDataSource; panelPlugin: PanelPlugin<WallOptions> }) {
  const [page, setPage] = useState<PageState>(() => {
    const fixture = Number(params.get('fixture') ?? 0);
    return {
      theme: params.get('theme') === 'light' ? 'light' : 'dark',
      options: optionsFromUrl(panelPlugin.defaults as Record<string, unknown>),
      fixture:
        params.get('fixture') !== null
          ? {
              extensions: fixture,
              calls: Number(params.get('calls') ?? 0),
              deltas: Number(params.get('deltas') ?? 0),
              stale: params.get('stale') === 'true',
            }
          : null,
      title: params.get('title') ?? undefined,
    };
  });
  const drawn = useRef<Array<() => void>>([]);
  useEffect(() => {
    harness.set = (patch) =>
      new Promise<void>((resolve) => {
        drawn.current.push(resolve);
        setPage((p) => ({
          theme: patch.theme ?? p.theme,
          options: patch.options ? { ...p.options, ...patch.options } : p.options,
          fixture: patch.fixture === undefined ? p.fixture : patch.fixture,
          stateColors: patch.stateColors ?? p.stateColors,
          title: patch.title ?? p.title,
        }));
      });
    harness.ready = true;
  }, []);
  useEffect(() => {
    // after the commit of a patch: resolve once the browser has painted it
    const pending = drawn.current.splice(0);
    if (pending.length) {
      requestAnimationFrame(() => requestAnimationFrame(() => pending.forEach((r) => r())));
    }
  });

  const theme = useMemo(() => createTheme({ colors: { mode: page.theme } }), [page.theme]);
  // Grafana's panel loading: saved options and field config merged with the plugin's defaults
  const { options, fieldConfig } = useMemo(
    () =>
      getPanelOptionsWithDefaults({
        plugin: panelPlugin,
        currentOptions: page.options,
        currentFieldConfig: { defaults: {}, overrides: stateOverrides(page.stateColors) },
        isAfterPluginChange: false,
      }),
    [panelPlugin, page.options, page.stateColors]
  );
  const wallOptions = options as unknown as WallOptions;
  const data = useQuery(ds, page.fixture);
  const series = useMemo(
    () =>
      applyFieldOverrides({
        data: data.series,
        fieldConfig,
        fieldConfigRegistry: panelPlugin.fieldConfigRegistry,
        replaceVariables: (s: string) => s,
        theme,
        timeZone: 'browser',
      }),
    [data.series, fieldConfig, panelPlugin, theme]
  );
  const [ref, size] = useSize<HTMLDivElement>();
  const styles = useMemo(() => getStyles(theme), [theme]);
  const title = page.title ?? (wallOptions.mode === 'callboard' ? 'Live calls' : 'Extensions');
  const Panel = panelPlugin.panel!;
  const props = {
    id: 1,
    data: { state: data.state, series, timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    timeZone: 'browser',
    options: wallOptions,
    fieldConfig,
    transparent: false,
    width: size.width,
    height: size.height,
    renderCounter: 0,
    title,
    eventBus: new EventBusSrv(),
    onOptionsChange: () => undefined,
    onFieldConfigChange: () => undefined,
    onChangeTimeRange: () => undefined,
    replaceVariables: (s: string) => s,
  } as unknown as PanelProps<WallOptions>;
  return (
    <ThemeContext.Provider value={theme}>
      <Globals />
      <div className={styles.page}>
        <section className={styles.panel} aria-label={title}>
          <header className={styles.header}>
            <h2 className={styles.title}>{title}</h2>
            {data.state === LoadingState.Streaming && (
              <span className={styles.live} title="Streaming" data-testid="harness-streaming">
                <span className={styles.dot} />
                Live
              </span>
            )}
          </header>
          <div className={styles.body} ref={ref} data-testid="harness-panel-body">
            {data.error && <div className={styles.error}>{data.error}</div>}
            {size.width > 0 && <Panel {...props} />}
          </div>
        </section>
      </div>
    </ThemeContext.Provider>
  );
}

function getStyles(theme: ReturnType<typeof createTheme>) {
  return {
    page: css({
      height: '100vh',
      padding: theme.spacing(1),
      background: theme.colors.background.canvas,
      boxSizing: 'border-box',
    }),
    panel: css({
      height: '100%',
      display: 'flex',
      flexDirection: 'column',
      background: theme.components.panel.background,
      border: `1px solid ${theme.components.panel.borderColor}`,
      borderRadius: theme.shape.radius.default,
      boxShadow: theme.components.panel.boxShadow,
      overflow: 'hidden',
    }),
    header: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      height: theme.spacing(theme.components.panel.headerHeight),
      padding: theme.spacing(0, 1, 0, 1.5),
      flexShrink: 0,
    }),
    title: css({ ...theme.typography.h6, margin: 0, flex: 1 }),
    live: css({
      color: theme.colors.text.secondary,
      display: 'inline-flex',
      alignItems: 'center',
      gap: 4,
      fontSize: 12,
    }),
    dot: css({ width: 8, height: 8, borderRadius: '50%', background: theme.colors.success.main }),
    body: css({ flex: 1, minHeight: 0, padding: theme.spacing(0, 1, 1, 1), overflow: 'hidden' }),
    error: css({ color: theme.colors.error.text, padding: theme.spacing(1) }),
  };
}

async function main() {
  const [dsModule, panelModule] = await Promise.all([
    loadPluginModule<{ plugin: DataSourcePlugin<PbxDataSource> }>(`${PLUGIN_BASE}/datasource/module.js`),
    loadPluginModule<{ plugin: PanelPlugin<WallOptions> }>(`${PLUGIN_BASE}/panels/extension-wall/module.js`),
  ]);
  const DataSource = dsModule.plugin.DataSourceClass as unknown as new (s: DataSourceInstanceSettings) => PbxDataSource;
  const ds = new DataSource(settings);
  createRoot(document.getElementById('root')!).render(<Harness ds={ds} panelPlugin={panelModule.plugin} />);
}

main().catch((err) => {
  harness.errors.push(String(err?.stack ?? err));
  document.getElementById('root')!.textContent = `harness failed: ${err}`;
});
