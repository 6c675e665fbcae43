import type http from 'http';

/**
 * Grafana's app plugin proxy (`/api/plugin-proxy/<app>/<path>`), as pkg/api/pluginproxy does it, for the harness:
 * the routes of the BUILT plugin.json, matched in order by method ("" and "*" match any) and path (exact, or a
 * trailing `*` for the rest); the matched route's `reqRole` against the signed-in user's org role (403 "plugin proxy
 * route access denied"); no route: 404 "plugin route match not found". The route's url and headers are Go templates
 * over the app's settings: `{{ .JsonData.x }}` and `{{ .SecureJsonData.x }}` (decrypted on the server only).
 */
export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

export interface AppRoute {
  path: string;
  method?: string;
  url: string;
  reqRole?: OrgRole;
  headers?: Array<{ name: string; content: string }>;
}

export interface AppSettings {
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

/** What the proxy does with a request: refuse it, or send it upstream with these headers. */
export type ProxyDecision =
  { status: number; message: string } | { target: URL; headers: Record<string, string>; route: AppRoute };

const RANK: Record<OrgRole, number> = { Viewer: 1, Editor: 2, Admin: 3 };

/** Grafana's `org.RoleType.Includes`: Admin includes Editor includes Viewer. */
export const roleIncludes = (have: OrgRole, want: OrgRole): boolean => RANK[have] >= RANK[want];

/** `{{ .JsonData.apiUrl }}` and `{{ .SecureJsonData.controlToken }}`; a missing key renders empty, as in Go. */
export function renderTemplate(text: string, settings: AppSettings): string {
  return text.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_, where: string, key: string) => {
    const v = where === 'JsonData' ? settings.jsonData[key] : settings.secureJsonData[key];
    return v === undefined || v === null ? '' : String(v);
  });
}

/** Grafana's route tree: `a/b` matches `/a/b` only; `a/*` matches `/a/…` and hands on the rest. */
function matchPath(routePath: string, proxyPath: string): { rest: string } | undefined {
  const want = routePath.replace(/^\/+/, '');
  const have = proxyPath.replace(/^\/+/, '');
  if (want.endsWith('*')) {
    const prefix = want.slice(0, -1);
    return have.startsWith(prefix) ? { rest: have.slice(prefix.length) } : undefined;
  }
  return have === want.replace(/\/+$/, '') ? { rest: '' } : undefined;
}

export function decide(
  routes: AppRoute[],
  settings: AppSettings,
  req: { method: string; proxyPath: string; search: string },
  role: OrgRole
): ProxyDecision {
  for (const route of routes) {
    if (route.method && route.method !== '*' && route.method !== req.method) {
      continue;
    }
    const m = matchPath(route.path, req.proxyPath);
    if (!m) {
      continue;
    }
    if (route.reqRole && !roleIncludes(role, route.reqRole)) {
      return { status: 403, message: 'plugin proxy route access denied' };
    }
    const target = new URL(renderTemplate(route.url, settings));
    target.pathname = joinPath(target.pathname, m.rest);
    target.search = req.search;
    const headers: Record<string, string> = {};
    for (const h of route.headers ?? []) {
      headers[h.name.toLowerCase()] = renderTemplate(h.content, settings);
    }
    return { target, headers, route };
  }
  return { status: 404, message: 'plugin route match not found' };
}

/** util.JoinURLFragments: one slash between, none added for an empty rest. */
function joinPath(base: string, rest: string): string {
  if (rest === '') {
    return base;
  }
  return `${base.replace(/\/+$/, '')}/${rest.replace(/^\/+/, '')}`;
}

/**
 * Grafana's `[security] actions_allow_post_url` check (middleware ValidateActionUrl): a request with
 * `X-Grafana-Action` must be a POST or PUT to a path one of the comma-separated globs matches, else 405.
 */
export function actionRefusal(req: http.IncomingMessage, pathname: string, allowPostUrl: string): string | undefined {
  if (!req.headers['x-grafana-action']) {
    return undefined;
  }
  if (req.method !== 'POST' && req.method !== 'PUT') {
    return `method not allowed for path ${pathname}`;
  }
  const globs = allowPostUrl
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((g) => new RegExp(`^${g.split('*').map(escapeRegExp).join('.*')}$`));
  return globs.some((g) => g.test(pathname)) ? undefined : `method POST/PUT not allowed for path ${pathname}`;
}

const escapeRegExp = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
