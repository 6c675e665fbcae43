import type { AppSecureSettings, AppSettings } from './types';

/** What the config page's form holds. */
export interface SettingsForm {
  exporterUrl: string;
  apiUrl: string;
  /** A new control token typed in; empty keeps the stored one unless `resetToken`. */
  controlToken: string;
  /** The stored token was reset: save an empty one (call control off). */
  resetToken: boolean;
}

export interface SettingsPayload {
  enabled: boolean;
  pinned: boolean;
  jsonData: AppSettings;
  secureJsonData?: AppSecureSettings;
}

// The proxy route appends /api/v1/calls: a trailing slash would make it //api/v1/calls.
const trimUrl = (url: string) => url.trim().replace(/\/+$/, '');

/**
 * The body of Grafana's `POST /api/plugins/<id>/settings`. Secure fields are write-only: they are sent only when
 * changed (a new token, or an empty one after a reset), because sending `secureJsonData` replaces what is stored.
 */
export function settingsPayload(
  meta: { enabled?: boolean; pinned?: boolean; jsonData?: AppSettings },
  form: SettingsForm
): SettingsPayload {
  const payload: SettingsPayload = {
    enabled: meta.enabled ?? true,
    pinned: meta.pinned ?? true,
    jsonData: { ...meta.jsonData, exporterUrl: trimUrl(form.exporterUrl), apiUrl: trimUrl(form.apiUrl) },
  };
  const token = form.controlToken.trim();
  if (token !== '' || form.resetToken) {
    payload.secureJsonData = { controlToken: token };
  }
  return payload;
}

/** A URL Grafana's server can proxy to: absolute http(s), or empty (call control off). */
export function apiUrlProblem(url: string): string | undefined {
  const u = url.trim();
  if (u === '') {
    return undefined;
  }
  try {
    const parsed = new URL(u);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return 'Use an http:// or https:// URL';
    }
    if (parsed.search || parsed.hash) {
      return 'The exporter URL without a query or fragment';
    }
    return undefined;
  } catch {
    return 'Not a URL: the exporter as Grafana reaches it, e.g. http://switchboard:10027';
  }
}
