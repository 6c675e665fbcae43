/**
 * The harness's @grafana/runtime (webpack alias): just what the plugin uses, over window.fetch. It mimics
 * Grafana's BackendSrv where the plugin depends on it: `params` become the query string, JSON answers are
 * parsed, and a non-2xx answer errors with a FetchError ({status, statusText, data}).
 */
import { createElement } from 'react';
import { Observable } from 'rxjs';
import { getFieldDisplayValuesProxy, type PanelData, type ScopedVars } from '@grafana/data';

export interface BackendSrvRequest {
  url: string;
  method?: string;
  params?: Record<string, unknown>;
  headers?: Record<string, string>;
  data?: unknown;
  showErrorAlert?: boolean;
  showSuccessAlert?: boolean;
  requestId?: string;
}

export interface FetchResponse<T> {
  data: T;
  status: number;
  statusText: string;
  ok: boolean;
  url: string;
  config: BackendSrvRequest;
}

export interface FetchError<T = unknown> {
  status: number;
  statusText?: string;
  data: T;
  config: BackendSrvRequest;
}

export function isFetchError(e: unknown): e is FetchError {
  return typeof e === 'object' && e !== null && 'status' in e && 'data' in e;
}

function withParams(url: string, params?: Record<string, unknown>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (v !== undefined && v !== null) {
      qs.append(k, String(v));
    }
  }
  const s = qs.toString();
  return s ? `${url}${url.includes('?') ? '&' : '?'}${s}` : url;
}

/** Grafana's parseBody: a string (an action's interpolated body) goes as it is, an object as JSON. */
function bodyOf(data: unknown): string | undefined {
  if (data === undefined || data === null) {
    return undefined;
  }
  return typeof data === 'string' ? data : JSON.stringify(data);
}

const backendSrv = {
  fetch<T>(req: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable((sub) => {
      const abort = new AbortController();
      const url = withParams(req.url, req.params);
      const body = bodyOf(req.data);
      fetch(url, {
        method: req.method ?? 'GET',
        headers: {
          Accept: 'application/json, text/plain, */*',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(req.headers ?? {}),
        },
        body,
        signal: abort.signal,
        credentials: 'same-origin',
      })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text, as Grafana does
          }
          if (res.ok) {
            sub.next({ data: data as T, status: res.status, statusText: res.statusText, ok: true, url, config: req });
            sub.complete();
          } else {
            sub.error({ status: res.status, statusText: res.statusText, data, config: req } satisfies FetchError);
          }
        })
        .catch((err) => sub.error(err));
      return () => abort.abort();
    });
  },
};

export const getBackendSrv = () => backendSrv;

/** Dashboard variables of the harness page, set from its URL (`?var-ext=1001`). */
const variables: Record<string, string | string[]> = {};
export function setHarnessVariables(vars: Record<string, string | string[]>) {
  Object.assign(variables, vars);
}

/**
 * Grafana's row macros, from the `__dataContext` a panel puts in the scoped vars: `${__data.fields.<name>}` (the
 * field's display text, through @grafana/data's own proxy) and `${__value.raw|text|numeric}`.
 */
function dataMacro(path: string, scopedVars?: ScopedVars): string | undefined {
  const ctx = scopedVars?.__dataContext?.value;
  if (!ctx || ctx.rowIndex === undefined) {
    return undefined;
  }
  const fields = /^__data\.fields\.(\w+)$/.exec(path);
  if (fields) {
    const v = getFieldDisplayValuesProxy({ frame: ctx.frame, rowIndex: ctx.rowIndex })[fields[1]];
    return v === undefined ? '' : String(v);
  }
  const value = /^__value\.(raw|text|numeric)$/.exec(path);
  if (value && ctx.field) {
    const raw = ctx.field.values[ctx.rowIndex];
    if (value[1] === 'raw') {
      return raw === null || raw === undefined ? '' : String(raw);
    }
    const d = ctx.field.display ? ctx.field.display(raw) : { text: String(raw ?? ''), numeric: Number(raw) };
    return value[1] === 'text' ? d.text : String(d.numeric);
  }
  return undefined;
}

const templateSrv = {
  replace(target?: string, scopedVars?: ScopedVars, format?: string): string {
    if (!target) {
      return target ?? '';
    }
    target = target.replace(/\$\{(__(?:data|value)\.[\w.]+)\}/g, (match, path) => dataMacro(path, scopedVars) ?? match);
    return target.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (match, braced, plain) => {
      const name = braced ?? plain;
      const scoped = scopedVars?.[name]?.value;
      const value = scoped !== undefined ? scoped : variables[name];
      if (value === undefined) {
        return match;
      }
      if (Array.isArray(value)) {
        return format === 'csv' ? value.join(',') : `{${value.join(',')}}`;
      }
      return String(value);
    });
  },
  getVariables: () => [],
  containsTemplate: (t?: string) => Boolean(t && t.includes('$')),
  updateTimeRange: () => undefined,
};

export const getTemplateSrv = () => templateSrv;

export const getDataSourceSrv = () => {
  throw new Error('getDataSourceSrv is not available in the harness');
};

/**
 * Grafana's panel data error view, as the running Grafana sets it: the message, or "No data", centred in the
 * panel. (The plugin gets this component through @grafana/runtime.)
 */
export function PanelDataErrorView({ message, data }: { message?: string; data: PanelData; panelId: number }) {
  const text = data.errors?.[0]?.message ?? message ?? 'No data';
  return createElement(
    'div',
    {
      'data-testid': 'data-testid Panel data error message',
      style: { display: 'flex', alignItems: 'center', justifyContent: 'center', height: '100%', opacity: 0.75 },
    },
    text
  );
}
