import { connect, type Socket } from 'node:net';
import { getJson, startHarness, type Harness } from './harness';

/** Findings of issue 11 on the HTTP face: each is a behaviour a client can observe. */

const TOKEN = 'read-token-0123456789abcdef';

async function sseClients(h: Harness): Promise<number> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  return Number(/^switchboard_sse_clients (\d+)$/m.exec(text)![1]);
}

/** Polls the gauge until it shows `n` (the server learns of a socket's end asynchronously). */
async function clientsReach(h: Harness, n: number, timeoutMs = 3000): Promise<number> {
  const until = Date.now() + timeoutMs;
  let seen = await sseClients(h);
  while (seen !== n && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 25));
    seen = await sseClients(h);
  }
  return seen;
}

/** A raw socket that sends `request` and collects what comes back until the server closes it. */
function rawSocket(
  url: string,
  request: string,
): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(Number(port), hostname, () => {
      socket.write(request);
      resolve({ socket, received: () => data, closed });
    });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    socket.on('error', reject);
  });
}

async function until(pred: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return pred();
}

describe('rate limit body', () => {
  it('names the configured budget in the 429 problem', async () => {
    const h = await startHarness({ config: { server: { rateLimit: { max: 2, windowSeconds: 60 } } } });
    try {
      for (let i = 0; i < 2; i++) expect((await getJson(`${h.url}/api/v1/version`)).status).toBe(200);
      const r = await getJson(`${h.url}/api/v1/version`);
      expect(r.status).toBe(429);
      expect(r.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
      expect(r.body.detail).toBe('more than 2 requests in 1 minute; retry later');
    } finally {
      await h.close();
    }
  });
});

describe('unknown API paths with auth on', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ config: { auth: { tokens: [{ name: 'grafana', token: TOKEN, scopes: ['read'] }] } } });
  });
  afterAll(() => h.close());

  it('answer 401 without a token, so paths cannot be probed, and 404 with one', async () => {
    for (const path of ['/api/v1/nope', '/api/v1/calls/x/y/z', '/api/v1/']) {
      const anon = await getJson(h.url + path);
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const known = await getJson(h.url + path, { authorization: `Bearer ${TOKEN}` });
      expect(known.status).toBe(404);
      expect(known.body.detail).toBe(`no route GET ${path}`);
    }
    // outside the API nothing changes: a plain 404
    expect((await getJson(`${h.url}/nope`)).status).toBe(404);
  });
});

describe('dates that do not exist', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each([
    ['from', '2026-02-30', '2026-02 has days 01 to 28'],
    ['to', '2026-04-31T10:00:00Z', '2026-04 has days 01 to 30'],
    ['from', '2026-13-01', 'there is no month 13'],
    ['from', '2026-00-10', 'there is no month 00'],
    ['to', '2026-01-01T24:30:00Z', 'hours run 00 to 23'],
    ['from', '2026-01-01T10:60:00Z', 'minutes run 00 to 59'],
    ['from', '2026-01-01T10:00:61+01:00', 'seconds run 00 to 59'],
    ['from', '2026-01-01T10:00:00+25:00', 'the UTC offset is out of range'],
  ])('%s=%s is a 400 naming the parameter', async (name, value, why) => {
    const r = await getJson(`${h.url}/api/v1/calls?${name}=${encodeURIComponent(value)}`);
    expect(r.status).toBe(400);
    expect(r.body.parameter).toBe(name);
    expect(r.body.detail).toBe(`${name}: "${value}" is not a real date and time: ${why}`);
  });

  it('accepts real ones, leap days included', async () => {
    for (const q of ['from=2028-02-29', 'from=2026-02-28T23:59:59.999Z', 'to=2026-12-31T23:00:00%2B01:00']) {
      expect((await getJson(`${h.url}/api/v1/calls?${q}`)).status).toBe(200);
    }
    const r = await getJson(`${h.url}/api/v1/calls?from=2027-02-29`);
    expect(r.status).toBe(400);
  });
});

describe('event stream sockets', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ stream: { heartbeatMs: 60_000 } });
  });
  afterEach(() => h.close());

  it('HEAD answers the stream headers without registering a client, with or without a body', async () => {
    const head = await fetch(`${h.url}/api/v1/stream`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await sseClients(h)).toBe(0);

    // a HEAD with a body, then the socket stays open: the response must still be complete and no client held
    const raw = await rawSocket(
      h.url,
      'HEAD /api/v1/stream HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello',
    );
    expect(await until(() => /\r\n\r\n/.test(raw.received()))).toBe(true);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw.received()).toMatch(/content-type: text\/event-stream/i);
    expect(await sseClients(h)).toBe(0);
    // the connection is still usable: a second request on it is answered
    raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await until(() => (raw.received().match(/HTTP\/1\.1 200 /g) ?? []).length === 2)).toBe(true);
    raw.socket.destroy();
  });

  it('drops a client whose socket half-closes, and closes the socket rather than leave it waiting', async () => {
    const raw = await rawSocket(h.url, 'GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    expect(await until(() => raw.received().includes('event: snapshot'))).toBe(true);
    expect(await sseClients(h)).toBe(1);
    raw.socket.end(); // FIN: the client is done, though its socket could still read
    expect(await clientsReach(h, 0)).toBe(0);
    await raw.closed; // the server ended its side too: no CLOSE-WAIT
  });

  it('drops clients on a reset and on a plain close', async () => {
    const a = await rawSocket(h.url, 'GET /api/v1/stream HTTP/1.1\r\nHost: x\r\n\r\n');
    const b = await rawSocket(h.url, 'GET /api/v1/stream?topics=call HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await until(() => a.received().includes('snapshot') && b.received().includes('snapshot'))).toBe(true);
    expect(await sseClients(h)).toBe(2);
    a.socket.resetAndDestroy();
    expect(await clientsReach(h, 1)).toBe(1);
    b.socket.destroy();
    expect(await clientsReach(h, 0)).toBe(0);
  });
});
