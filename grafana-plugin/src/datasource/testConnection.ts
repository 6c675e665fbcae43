import type { TestDataSourceResponse } from '@grafana/data';
import { ExporterError, type ExporterClient } from './api/client';
import type { ApiList } from './api/types';

interface Readiness {
  status?: string;
  reasons?: Array<{ component?: string; reason?: string }>;
  detail?: string;
}

/**
 * Three steps, each with its own message, so an admin knows what to fix: the proxy reaches the exporter
 * (`/healthz`), the exporter is ready (`/readyz`: store open, sources connected), and the token is accepted
 * (an authenticated API route).
 */
export async function checkConnection(client: ExporterClient, url: string): Promise<TestDataSourceResponse> {
  try {
    await client.get('/healthz');
  } catch (err) {
    const status = err instanceof ExporterError ? err.status : undefined;
    return {
      status: 'error',
      message: `Cannot reach the exporter at ${url}${status ? ` (HTTP ${status})` : ''}. Check the URL and that Grafana's server can reach it.`,
      details: { message: err instanceof Error ? err.message : String(err) },
    };
  }

  let readiness = '';
  try {
    await client.get('/readyz');
  } catch (err) {
    if (err instanceof ExporterError && err.status === 503) {
      readiness = notReadyReasons(err);
    } else {
      return {
        status: 'error',
        message: `The exporter at ${url} answered /readyz unexpectedly.`,
        details: { message: err instanceof Error ? err.message : String(err) },
      };
    }
  }

  let count = 0;
  try {
    const res = await client.get<ApiList<unknown>>('/api/v1/extensions');
    count = res.items?.length ?? 0;
  } catch (err) {
    const status = err instanceof ExporterError ? err.status : undefined;
    if (status === 401 || status === 403) {
      return {
        status: 'error',
        message: `Authentication failed (HTTP ${status}): the exporter rejected the API token. Set a token from the exporter's auth.tokens.`,
        details: { message: err instanceof Error ? err.message : String(err) },
      };
    }
    return {
      status: 'error',
      message: `The exporter API failed${status ? ` (HTTP ${status})` : ''}.`,
      details: { message: err instanceof Error ? err.message : String(err) },
    };
  }

  let version = '';
  try {
    const v = await client.get<{ version?: string }>('/api/v1/version');
    version = v.version ? ` ${v.version}` : '';
  } catch {
    // The version is decoration; the checks above decide.
  }

  if (readiness) {
    return {
      status: 'error',
      message: `Exporter${version} reachable and token accepted, but not ready: ${readiness}`,
    };
  }
  return {
    status: 'success',
    message: `Connected to the Switchboard exporter${version}: ${count} extension${count === 1 ? '' : 's'} live.`,
  };
}

function notReadyReasons(err: ExporterError): string {
  const body = (typeof err.body === 'object' && err.body !== null ? err.body : {}) as Readiness;
  const reasons = (body.reasons ?? []).map((r) => [r.component, r.reason].filter(Boolean).join(': ')).filter(Boolean);
  return reasons.join('; ') || body.detail || 'the exporter reports it is not ready';
}
