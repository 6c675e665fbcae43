import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load';
import { tempDir } from '../helpers/tmp';
import { getJson, startHarness, type Harness } from './harness';

const READ = 'read-token-0123456789abcdef';
const CONTROL_ONLY = 'control-token-0123456789abcdef';

/** every data route, with a query that is valid */
const DATA_ROUTES = [
  '/api/v1/calls',
  '/api/v1/calls?page=1',
  '/api/v1/calls/active',
  '/api/v1/calls/some-id',
  '/api/v1/extensions',
  '/api/v1/extensions/1001/history',
  '/api/v1/queues',
  '/api/v1/trunks',
  '/api/v1/gaps',
  '/api/v1/stats',
  '/api/v1/version',
  '/api/v1/stream',
];

async function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ctl = new AbortController();
  const res = await fetch(url, { headers, signal: ctl.signal });
  ctl.abort(); // the stream would never end on its own
  return res.status;
}

describe('API bearer tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      config: {
        auth: {
          tokens: [
            { name: 'grafana', token: READ, scopes: ['read'] },
            { name: 'robot', token: CONTROL_ONLY, scopes: ['control'] },
          ],
        },
      },
    });
  });
  afterAll(() => h.close());

  it.each(DATA_ROUTES)('%s: 401 without a token, 401 with a wrong one, 403 without the read scope', async (path) => {
    const none = await getJson(h.url + path.replace('/stream', '/version'));
    expect(none.status).toBe(401);
    expect(await status(h.url + path)).toBe(401);
    expect(await status(h.url + path, { authorization: `Bearer ${READ}x` })).toBe(401);
    expect(await status(h.url + path, { authorization: `Bearer ${READ.slice(0, -1)}` })).toBe(401);
    expect(await status(h.url + path, { authorization: `Basic ${Buffer.from(`u:${READ}`).toString('base64')}` })).toBe(
      401,
    );
    expect(await status(h.url + path, { authorization: `Bearer ${CONTROL_ONLY}` })).toBe(403);
  });

  it.each(DATA_ROUTES)('%s: passes with a read token', async (path) => {
    const expected = path.endsWith('some-id') ? 404 : 200;
    expect(await status(h.url + path, { authorization: `Bearer ${READ}` })).toBe(expected);
    expect(await status(h.url + path, { authorization: `bearer   ${READ}` })).toBe(expected);
  });

  it('answers 401 as a problem with a WWW-Authenticate challenge', async () => {
    const r = await getJson(`${h.url}/api/v1/calls`);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    const f = await getJson(`${h.url}/api/v1/calls`, { authorization: `Bearer ${CONTROL_ONLY}` });
    expect(f.body).toMatchObject({ status: 403, title: 'Forbidden' });
    expect(f.body.detail).toMatch(/read/);
  });

  it('checks the token before the parameters: no 400 leaks to a stranger', async () => {
    expect((await getJson(`${h.url}/api/v1/calls?limit=9999`)).status).toBe(401);
  });

  it('keeps health, readiness, the landing page, the docs and /metrics (without metrics auth) open', async () => {
    for (const p of ['/healthz', '/readyz', '/', '/openapi.json', '/docs', '/metrics']) {
      expect([p, await status(h.url + p)]).toEqual([p, 200]);
    }
  });
});

describe('tokens from files', () => {
  it('accepts a token read from tokenFile by the config loader', async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'grafana.token');
    writeFileSync(file, `${READ}\n`);
    const yml = join(tmp.dir, 'switchboard.yml');
    writeFileSync(yml, `demo: {enabled: false}\nauth:\n  tokens:\n    - name: grafana\n      tokenFile: ${file}\n`);
    const h = await startHarness({ loaded: loadConfig(yml, {}).config });
    try {
      expect(await status(`${h.url}/api/v1/version`)).toBe(401);
      expect(await status(`${h.url}/api/v1/version`, { authorization: `Bearer ${READ}` })).toBe(200);
    } finally {
      await h.close();
      tmp.cleanup();
    }
  });
});

describe('/metrics protection', () => {
  const TOKEN = 'metrics-token-0123456789';
  it('accepts the configured bearer token or basic credentials, nothing else', async () => {
    const h = await startHarness({
      config: { auth: { metrics: { bearerToken: TOKEN, username: 'prom', password: 's3cret-pass' } } },
    });
    try {
      const basic = (u: string, p: string) => ({
        authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`,
      });
      const none = await getJson(`${h.url}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(await status(`${h.url}/metrics`, { authorization: `Bearer ${TOKEN}` })).toBe(200);
      expect(await status(`${h.url}/metrics`, basic('prom', 's3cret-pass'))).toBe(200);
      expect(await status(`${h.url}/metrics`, basic('prom', 'wrong'))).toBe(401);
      expect(await status(`${h.url}/metrics`, basic('other', 's3cret-pass'))).toBe(401);
      expect(await status(`${h.url}/metrics`, { authorization: 'Bearer wrong-token-0123456789' })).toBe(401);
      // the API has no tokens configured here, so it stays open; /metrics credentials are separate
      expect(await status(`${h.url}/api/v1/version`)).toBe(200);
      expect(await status(`${h.url}/healthz`)).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('CORS', () => {
  it('sends no CORS headers by default', async () => {
    const h = await startHarness();
    try {
      const r = await fetch(`${h.url}/api/v1/version`, { headers: { origin: 'https://grafana.example' } });
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await fetch(`${h.url}/api/v1/version`, {
        method: 'OPTIONS',
        headers: { origin: 'https://grafana.example', 'access-control-request-method': 'GET' },
      });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await h.close();
    }
  });

  it('allows exactly the configured origins', async () => {
    const h = await startHarness({ config: { server: { cors: { origins: ['https://grafana.example'] } } } });
    try {
      const ok = await fetch(`${h.url}/api/v1/version`, { headers: { origin: 'https://grafana.example' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://grafana.example');
      const pre = await fetch(`${h.url}/api/v1/calls`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://grafana.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(pre.status).toBeLessThan(300);
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const other = await fetch(`${h.url}/api/v1/version`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      // the event stream writes its own headers; the CORS ones must survive that
      const ctl = new AbortController();
      const sse = await fetch(`${h.url}/api/v1/stream`, {
        headers: { origin: 'https://grafana.example' },
        signal: ctl.signal,
      });
      expect(sse.headers.get('access-control-allow-origin')).toBe('https://grafana.example');
      ctl.abort();
    } finally {
      await h.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 as a problem past the configured budget, and never limits health or metrics', async () => {
    const h = await startHarness({ config: { server: { rateLimit: { max: 5, windowSeconds: 60 } } } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await getJson(`${h.url}/api/v1/version`)).status);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const r = await getJson(`${h.url}/api/v1/calls`);
      expect(r.status).toBe(429);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
      for (let i = 0; i < 10; i++) {
        expect((await getJson(`${h.url}/healthz`)).status).toBe(200);
        expect((await getJson(`${h.url}/readyz`)).status).toBe(200);
        expect((await fetch(`${h.url}/metrics`)).status).toBe(200);
      }
    } finally {
      await h.close();
    }
  });
});
