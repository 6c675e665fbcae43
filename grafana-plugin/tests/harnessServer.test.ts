/**
 * @jest-environment node
 *
 * The browser test's stand-in for Grafana's data-source proxy must behave like it where the plugin depends on it:
 * token added server-side, the browser's own credentials dropped, SSE passed through unbuffered, 502 when the
 * exporter is unreachable.
 */
import http from 'http';
import type { AddressInfo } from 'net';
import { startHarnessServer, type HarnessServer } from '../harness/server';

let upstream: http.Server;
let upstreamUrl: string;
let seen: http.IncomingHttpHeaders[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url?.startsWith('/api/v1/stream')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: snapshot\ndata: {}\n\n');
      return; // stays open, like the exporter's stream
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

describe('harness proxy', () => {
  let server: HarnessServer;
  beforeEach(async () => {
    seen = [];
    server = await startHarnessServer({ exporterUrl: upstreamUrl, token: 't0ken', distDir: __dirname });
  });
  afterEach(() => server.close());

  it('forwards /api/datasources/proxy/uid/<uid>/api/* with the bearer token and without browser credentials', async () => {
    const res = await fetch(`${server.url}/api/datasources/proxy/uid/sb-harness/api/api/v1/calls?limit=5`, {
      headers: { authorization: 'Bearer from-browser', cookie: 'grafana_session=abc' },
    });
    expect(await res.json()).toEqual({ path: '/api/v1/calls?limit=5' });
    expect(seen[0].authorization).toBe('Bearer t0ken');
    expect(seen[0].cookie).toBeUndefined();
    expect(server.log).toEqual([
      {
        kind: 'datasource',
        method: 'GET',
        path: '/api/v1/calls?limit=5',
        status: 200,
        browserAuthorization: true,
        // no grafana_session cookie: an anonymous Viewer, as on a kiosk wall
        role: 'Viewer',
      },
    ]);
  });

  it('streams SSE through at once', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/datasources/proxy/uid/sb-harness/api/api/v1/stream`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('event: snapshot');
    controller.abort();
  });

  it('answers 502 when the exporter is unreachable', async () => {
    const dead = await startHarnessServer({ exporterUrl: 'http://127.0.0.1:9', token: 'x', distDir: __dirname });
    try {
      const res = await fetch(`${dead.url}/api/datasources/proxy/uid/sb-harness/api/healthz`);
      expect(res.status).toBe(502);
    } finally {
      await dead.close();
    }
  });

  it('serves no other /api path', async () => {
    const res = await fetch(`${server.url}/api/datasources/proxy/uid/other/api/healthz`);
    expect(res.status).toBe(404);
    expect(seen).toHaveLength(0);
  });
});
