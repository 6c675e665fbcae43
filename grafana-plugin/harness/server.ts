import fs from 'fs';
import http from 'http';
import path from 'path';
import { actionRefusal, decide, type AppRoute, type AppSettings, type OrgRole } from './appProxy';

/**
 * Serves the harness pages and plays Grafana's proxies for them: the data-source proxy
 * (`/api/datasources/proxy/uid/<uid>/api/*` goes to the exporter with `Authorization: Bearer <token>` added on this
 * side, the route in the data source's plugin.json) and the app plugin proxy (`/api/plugin-proxy/<app>/<path>`, the
 * routes of the built app's plugin.json, see appProxy.ts). The browser's own Authorization and cookies are dropped,
 * answers stream through unbuffered (SSE), 502 when the exporter cannot be reached. A page is signed in by its
 * `grafana_session` cookie (one of `sessions`); without one it is an anonymous Viewer, like a kiosk wall.
 */
export interface ProxyLogEntry {
  /** Which of Grafana's proxies served it; 'grafana': Grafana itself refused it (actions_allow_post_url). */
  kind: 'datasource' | 'app' | 'grafana';
  method: string;
  path: string;
  status: number;
  /** Whether the browser itself sent an Authorization header (it must not: the token stays server-side). */
  browserAuthorization: boolean;
  /** The signed-in user's org role. */
  role: OrgRole;
  /** App proxy: the request body and the upstream's answer (small JSON), or Grafana's own refusal. */
  requestBody?: string;
  responseBody?: string;
  /** App proxy: where the request went upstream, when a route matched. */
  upstream?: string;
}

export interface HarnessServer {
  url: string;
  log: ProxyLogEntry[];
  close(): Promise<void>;
}

export interface HarnessServerOptions {
  exporterUrl: string;
  token: string;
  uid?: string;
  distDir?: string;
  /** The built plugin (grafana-plugin/dist), served where Grafana serves plugins. */
  pluginDir?: string;
  /** The app's settings (jsonData, secureJsonData), for the app proxy routes. */
  app?: AppSettings;
  /** Grafana's `[security] actions_allow_post_url`: where a dashboard action may POST (empty: nowhere). */
  actionsAllowPostUrl?: string;
  /** `grafana_session` cookie value → the user's org role. */
  sessions?: Record<string, OrgRole>;
}

/** Where Grafana serves an installed plugin's files. */
export const PLUGIN_PATH = '/public/plugins/switchboard-pbx-app/';
/** Grafana's app plugin proxy for the app. */
export const APP_PROXY_PATH = '/api/plugin-proxy/switchboard-pbx-app';

function roleOf(req: http.IncomingMessage, sessions: Record<string, OrgRole>): OrgRole {
  const m = /(?:^|;\s*)grafana_session=([^;]+)/.exec(req.headers.cookie ?? '');
  return (m && sessions[decodeURIComponent(m[1])]) || 'Viewer';
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
};

export function startHarnessServer(opts: HarnessServerOptions): Promise<HarnessServer> {
  const uid = opts.uid ?? 'sb-harness';
  const dist = path.resolve(opts.distDir ?? path.join(__dirname, 'dist'));
  const plugin = path.resolve(opts.pluginDir ?? path.join(__dirname, '..', 'dist'));
  const prefix = `/api/datasources/proxy/uid/${uid}/api`;
  const target = new URL(opts.exporterUrl);
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<import('net').Socket>();

  const sessions = opts.sessions ?? {};
  const appRoutes = (): AppRoute[] =>
    (JSON.parse(fs.readFileSync(path.join(plugin, 'plugin.json'), 'utf8')) as { routes?: AppRoute[] }).routes ?? [];

  /** Sends `req` to `to` with `added` headers (the route's), the browser's credentials dropped. */
  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    to: URL,
    added: Record<string, string>,
    entry: ProxyLogEntry
  ) => {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    delete headers.authorization;
    delete headers.cookie;
    delete headers.host;
    Object.assign(headers, added);
    const upstream = http.request(
      {
        protocol: to.protocol,
        hostname: to.hostname,
        port: to.port,
        method: req.method,
        path: to.pathname + to.search,
        headers,
      },
      (up) => {
        entry.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.flushHeaders();
        if (entry.kind === 'app') {
          // keep the (small JSON) answer for the test, and pass it on as it comes
          let body = '';
          up.on('data', (d) => (body += String(d)));
          up.on('end', () => (entry.responseBody = body));
        }
        up.pipe(res);
      }
    );
    upstream.on('error', () => {
      entry.status = 502;
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Bad Gateway' }));
      } else {
        res.destroy();
      }
    });
    // The browser closed the stream (EventSource.close, page gone): close the exporter side too.
    res.on('close', () => upstream.destroy());
    if (entry.kind === 'app') {
      req.on('data', (d) => (entry.requestBody = (entry.requestBody ?? '') + String(d)));
    }
    req.pipe(upstream);
  };

  const dataSourceProxy = (req: http.IncomingMessage, res: http.ServerResponse, rest: string) => {
    const entry: ProxyLogEntry = {
      kind: 'datasource',
      method: req.method ?? 'GET',
      path: rest,
      status: 0,
      browserAuthorization: 'authorization' in req.headers,
      role: roleOf(req, sessions),
    };
    log.push(entry);
    forward(req, res, new URL(rest, target), { authorization: `Bearer ${opts.token}` }, entry);
  };

  const appProxy = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const proxyPath = url.pathname.slice(APP_PROXY_PATH.length) || '/';
    const entry: ProxyLogEntry = {
      kind: 'app',
      method: req.method ?? 'GET',
      path: proxyPath + url.search,
      status: 0,
      browserAuthorization: 'authorization' in req.headers,
      role: roleOf(req, sessions),
    };
    log.push(entry);
    const settings = opts.app ?? { jsonData: {}, secureJsonData: {} };
    const d = decide(appRoutes(), settings, { method: entry.method, proxyPath, search: url.search }, entry.role);
    if ('status' in d) {
      entry.status = d.status;
      entry.responseBody = JSON.stringify({ message: d.message });
      sendJson(res, d.status, { message: d.message });
      return;
    }
    entry.upstream = d.target.pathname;
    forward(req, res, d.target, d.headers, entry);
  };

  const serveFile = (res: http.ServerResponse, pathname: string) => {
    const [root, rel] = pathname.startsWith(PLUGIN_PATH)
      ? [plugin, pathname.slice(PLUGIN_PATH.length)]
      : [dist, pathname === '/' ? 'index.html' : pathname];
    const file = path.join(root, decodeURIComponent(rel));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    // Grafana's ValidateActionUrl middleware runs before any API handler
    const refused =
      url.pathname.startsWith('/api/') && actionRefusal(req, url.pathname, opts.actionsAllowPostUrl ?? '');
    if (refused) {
      log.push({
        kind: 'grafana',
        method: req.method ?? 'GET',
        path: url.pathname,
        status: 405,
        browserAuthorization: false,
        role: roleOf(req, sessions),
        responseBody: refused,
      });
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${refused}\n`);
      return;
    }
    if (url.pathname.startsWith(prefix + '/') || url.pathname === prefix) {
      dataSourceProxy(req, res, url.pathname.slice(prefix.length) + url.search);
    } else if (url.pathname.startsWith(APP_PROXY_PATH + '/') || url.pathname === APP_PROXY_PATH) {
      appProxy(req, res, url);
    } else if (url.pathname === '/api/user') {
      // who the page is signed in as, as Grafana's frontend knows it from its boot data
      sendJson(res, 200, { login: 'harness', orgRole: roleOf(req, sessions) });
    } else if (url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'not found' }));
    } else {
      serveFile(res, url.pathname);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('net').AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        log,
        close: () =>
          new Promise<void>((done) => {
            sockets.forEach((s) => s.destroy());
            server.close(() => done());
          }),
      });
    });
  });
}
