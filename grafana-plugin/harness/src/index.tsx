/**
 * The browser-test harness: a Grafana-like page (theme, global styles, panel chrome, kiosk layout) that runs
 * the REAL data source class against Grafana's data-source proxy URL (served by harness/server.ts, which
 * forwards to a running exporter and adds the token) and feeds the REAL wall panel component.
 */
import React, { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { css } from '@emotion/css';
import {
  CoreApp,
  createTheme,
  dateTime,
  EventBusSrv,
  getDefaultTimeRange,
  LoadingState,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type PanelProps,
} from '@grafana/data';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import { PbxDataSource } from '../../src/datasource/datasource';
import type { PbxDataSourceOptions, PbxQuery } from '../../src/datasource/types';
import { WallPanel } from '../../src/panels/extension-wall/components/WallPanel';
import { defaultOptions } from '../../src/panels/extension-wall/options';
import type { WallOptions } from '../../src/panels/extension-wall/types';
import { fixtureFeed } from './fixture';
import { setHarnessVariables } from './runtime';

declare global {
  interface Window {
    __harness: {
      responses: number;
      state?: string;
      errors: string[];
      eventSources: string[];
      rows: Record<string, number>;
    };
  }
}

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

/** Panel options from the query string: `?mode=callboard&groupBy=queue&show=name,queues`. */
function optionsFromUrl(): WallOptions {
  const opts: Record<string, unknown> = { ...defaultOptions };
  for (const [key, def] of Object.entries(defaultOptions)) {
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
  return opts as unknown as WallOptions;
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
} as unknown as DataSourceInstanceSettings<PbxDataSourceOptions>;

const ds = new PbxDataSource(settings);
const options = optionsFromUrl();
const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });
const title = params.get('title') ?? (options.mode === 'callboard' ? 'Live calls' : 'Extensions');

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

/** Responses are merged by key, as Grafana's runRequest does: a new frame under a key replaces the old one. */
function useQuery(): { series: DataFrame[]; state: LoadingState; error?: string } {
  const [result, setResult] = useState<{ series: DataFrame[]; state: LoadingState; error?: string }>({
    series: [],
    state: LoadingState.Loading,
  });
  useEffect(() => {
    const fixture = Number(params.get('fixture') ?? 0);
    if (fixture > 0) {
      // The benchmark: the panel alone, on synthetic frames.
      return fixtureFeed(fixture, Number(params.get('deltas') ?? 0), (series) => {
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
  }, []);
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

const styles = {
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
  live: css({ color: theme.colors.text.secondary, display: 'inline-flex', alignItems: 'center', gap: 4, fontSize: 12 }),
  dot: css({ width: 8, height: 8, borderRadius: '50%', background: theme.colors.success.main }),
  body: css({ flex: 1, minHeight: 0, padding: theme.spacing(0, 1, 1, 1) }),
  error: css({ color: theme.colors.error.text, padding: theme.spacing(1) }),
};

function Harness() {
  const data = useQuery();
  const [ref, size] = useSize<HTMLDivElement>();
  const props = {
    id: 1,
    data: { state: data.state, series: data.series, timeRange: getDefaultTimeRange() },
    timeRange: getDefaultTimeRange(),
    timeZone: 'browser',
    options,
    fieldConfig: { defaults: {}, overrides: [] },
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
      <GlobalStyles />
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
          <div className={styles.body} ref={ref}>
            {data.error && <div className={styles.error}>{data.error}</div>}
            {size.width > 0 && <WallPanel {...props} />}
          </div>
        </section>
      </div>
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<Harness />);
