import { fromEvent, lastValueFrom, takeUntil } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import type { ApiProblem } from './types';

export type QueryParams = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  /**
   * Grafana's BackendSrv cancels an in-flight request when another starts with the same id: a panel re-running its
   * query (new time range, refresh) drops the answer nobody wants any more.
   */
  requestId?: string;
  /** Aborts the HTTP request (the query was unsubscribed). */
  signal?: AbortSignal;
}

/** An error from the exporter or the proxy, with the HTTP status when there was an answer. */
export class ExporterError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly problem?: ApiProblem,
    /** The answer's body as sent, e.g. `/readyz`'s reasons. */
    readonly body?: unknown
  ) {
    super(message);
    this.name = 'ExporterError';
  }
}

/**
 * Calls the exporter through Grafana's data-source proxy: `baseUrl` is `<instanceSettings.url>/api`, the `api` route
 * of plugin.json, which adds the bearer token on Grafana's server so it never reaches the browser.
 */
export class ExporterClient {
  constructor(readonly baseUrl: string) {}

  url(path: string): string {
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }

  async get<T>(path: string, params?: QueryParams, opts: RequestOptions = {}): Promise<T> {
    const clean: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(params ?? {})) {
      if (v !== undefined && v !== null && v !== '') {
        clean[k] = v;
      }
    }
    const { requestId, signal } = opts;
    if (signal?.aborted) {
      throw new ExporterError(`Exporter ${path}: cancelled`);
    }
    let response;
    try {
      const request = getBackendSrv().fetch<T>({
        url: this.url(path),
        method: 'GET',
        params: clean,
        requestId,
        // Live panels poll when the stream is down: no toast per failed request.
        showErrorAlert: false,
        showSuccessAlert: false,
      });
      // Unsubscribing from BackendSrv's observable aborts the HTTP request.
      response = await lastValueFrom(signal ? request.pipe(takeUntil(fromEvent(signal, 'abort'))) : request, {
        defaultValue: undefined,
      });
    } catch (err) {
      throw toExporterError(err, path);
    }
    if (response === undefined) {
      // cancelled: by the signal, or by BackendSrv for a newer request with the same id
      throw new ExporterError(`Exporter ${path}: cancelled`);
    }
    return response.data;
  }
}

export function toExporterError(err: unknown, path: string): ExporterError {
  if (err instanceof ExporterError) {
    return err;
  }
  if (isFetchError(err) && err.cancelled) {
    return new ExporterError(`Exporter ${path}: cancelled`);
  }
  if (isFetchError(err)) {
    const problem = isProblem(err.data) ? err.data : undefined;
    const detail = problem
      ? [problem.title, problem.detail, problem.parameter ? `(parameter ${problem.parameter})` : '']
          .filter(Boolean)
          .join(': ')
      : typeof err.data?.message === 'string'
        ? err.data.message
        : err.statusText || 'request failed';
    return new ExporterError(`Exporter ${path} answered ${err.status}: ${detail}`, err.status, problem, err.data);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ExporterError(`Exporter ${path} failed: ${message}`);
}

function isProblem(data: unknown): data is ApiProblem {
  return typeof data === 'object' && data !== null && ('title' in data || 'detail' in data);
}
