import fs from 'fs';
import http from 'http';
import path from 'path';

/**
 * Serves the harness page and plays Grafana's data-source proxy for it: `/api/datasources/proxy/uid/<uid>/api/*`
 * goes to the exporter with `Authorization: Bearer <token>` added on this side (the route in plugin.json), the
 * browser's own Authorization and cookies dropped, answers streamed through unbuffered (SSE), 502 when the
 * exporter cannot be reached.
 */
export interface ProxyLogEntry {
  method: string;
  path: string;
  status: number;
  /** Whether the browser itself sent an Authorization header (it must not: the token stays server-side). */
  browserAuthorization: boolean;
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
}

/** Where Grafana serves an installed plugin's files. */
export const PLUGIN_PATH = '/public/plugins/switchboard-pbx-app/';

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

  const proxy = (req: http.IncomingMessage, res: http.ServerResponse, rest: string) => {
    const headers: http.OutgoingHttpHeaders = { ...req.headers };
    const browserAuthorization = 'authorization' in headers;
    delete headers.authorization;
    delete headers.cookie;
    delete headers.host;
    headers.authorization = `Bearer ${opts.token}`;
    const entry: ProxyLogEntry = { method: req.method ?? 'GET', path: rest, status: 0, browserAuthorization };
    log.push(entry);
    const upstream = http.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: rest,
        headers,
      },
      (up) => {
        entry.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.flushHeaders();
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
    req.pipe(upstream);
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
    if (url.pathname.startsWith(prefix + '/') || url.pathname === prefix) {
      proxy(req, res, url.pathname.slice(prefix.length) + url.search);
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
