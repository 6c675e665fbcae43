import { connect } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { exporterYaml, startExporter, statusOf } from './lib/exporter';
import { row, type Scenario } from './lib/scenario';

const TOKEN = 'fault-suite-token-0123456789';
const PATHS = ['/api/v1/calls', '/api/v1/calls/active', '/api/v1/calls/demo-1.1', '/api/v1/extensions', '/api/v1/extensions/1001/history', '/api/v1/queues', '/api/v1/trunks', '/api/v1/gaps', '/api/v1/stats', '/api/v1/stream', '/api/v1/ingest/hooks', '/api/v1/nope', '/metrics', '/healthz', '/readyz', '/version', '/', '/docs', '/docs/json'];
const PARAMS = ['from', 'to', 'status', 'direction', 'pbx', 'limit', 'cursor', 'offset', 'q', 'number', 'extension', 'queue', 'topics', 'bucket', 'groupBy', 'order', 'sort'];
const NASTY = ['', '2026-02-30', '2026-13-01T25:61:00Z', '-1', '0', '1e309', 'NaN', '99999999999999999999', '%00', '%', '%zz', '../../etc/passwd', '<script>', "' OR 1=1 --", '__proto__', 'constructor', '\u0000', '😀', 'x'.repeat(5000), '[]', '{}', 'true', 'answered,missed', 'null', '2026-11-23T19:30:00Z', '1795462247000'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

interface Req {
  method: string;
  path: string;
  query: [string, string][];
  auth: 'none' | 'good' | 'bad' | 'garbage';
  contentType?: string;
  body?: string;
  lastEventId?: string;
}

const reqArb: fc.Arbitrary<Req> = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PATHS) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PATHS), fc.string({ maxLength: 30 })).map(([p, s]) => p + encodeURIComponent(s)) },
    { weight: 1, arbitrary: fc.constantFrom('/api/v1/calls/%', '/api/v1//calls', '/api/v1/calls/..%2f..%2f', '/api/v1/extensions/%F0%9F%98%80/history', '//', '/api/v1/calls?') },
  ),
  query: fc.array(fc.tuple(fc.constantFrom(...PARAMS), fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }))), { maxLength: 5 }),
  auth: fc.constantFrom('none', 'good', 'good', 'bad', 'garbage'),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'garbage'), { nil: undefined }),
  body: fc.option(fc.oneof(fc.constantFrom('{', '{"events":[{}]}', '[]', 'null', '{"__proto__":{"x":1}}', '{"a":'.repeat(2000), 'x'.repeat(70_000)), fc.json({ maxDepth: 3 })), { nil: undefined }),
  lastEventId: fc.option(fc.constantFrom('abc', '-1', '99999999999999999999', '1', '\u00e9'), { nil: undefined }),
});

/** A malformed request line or header block; Node's parser must answer 400 (or close), never 5xx. */
const RAW = [
  'GARBAGE\r\n\r\n',
  'GET /api/v1/calls HTTP/9.9\r\nHost: x\r\n\r\n',
  'GET /api/v1/calls HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
  'POST /api/v1/ingest/hooks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n',
  'GET /api/v1/calls HTTP/1.1\r\nHost: x\r\nX: \u0000\r\n\r\n',
  `GET /api/v1/calls HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  'GET /api/v1/calls\r\n\r\n',
];

function rawStatus(port: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.setTimeout(5000, () => s.destroy());
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => resolve(Number(/^HTTP\/1\.\d (\d{3})/.exec(got)?.[1] ?? 0)));
    s.end(text);
  });
}

async function send(base: string, r: Req): Promise<number> {
  const qs = r.query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const headers: Record<string, string> = {};
  if (r.auth === 'good') headers.authorization = `Bearer ${TOKEN}`;
  else if (r.auth === 'bad') headers.authorization = 'Bearer wrong-token-wrong-token';
  else if (r.auth === 'garbage') headers.authorization = 'Basic ::::';
  if (r.contentType) headers['content-type'] = r.contentType;
  if (r.lastEventId) headers['last-event-id'] = r.lastEventId;
  const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
  try {
    const res = await fetch(`${base}${r.path}${qs ? `?${qs}` : ''}`, {
      method: r.method,
      headers,
      body: hasBody ? r.body : undefined,
      signal: AbortSignal.timeout(10_000),
      redirect: 'manual',
    });
    // a stream answers 200 and stays open: its status is all we need
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.cancel();
    else await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

export const badRequests: Scenario = {
  name: 'bad-requests',
  title: 'malformed API requests (fuzzed paths, queries, headers, bodies, raw HTTP) against the demo exporter',
  async run({ full, dir, log }) {
    const count = full ? 10_000 : 2_000;
    const ex = await startExporter(
      exporterYaml(join(dir, 'sb.db'), [
        'demo: { speed: 20 }',
        'server: { host: 127.0.0.1, port: 0, rateLimit: { max: 1000000, windowSeconds: 60 } }',
        `auth: { tokens: [{ name: faults, token: ${TOKEN} }] }`,
        'sources:',
        `  - { name: hooks, kind: webhook, secret: fault-suite-webhook-secret-0123 }`,
      ]).replace('server: { host: 127.0.0.1, port: 0 }\n', ''),
      dir,
    );
    try {
      const statuses = new Map<number, number>();
      const fiveXX: string[] = [];
      const reqs = fc.sample(reqArb, { numRuns: count, seed: 11 });
      let done = 0;
      // 8 at a time: enough to overlap, not a load test
      const lanes = Array.from({ length: 8 }, async () => {
        for (;;) {
          const r = reqs[done++];
          if (!r) return;
          const s = await send(ex.url, r);
          statuses.set(s, (statuses.get(s) ?? 0) + 1);
          if (s >= 500 && fiveXX.length < 5) fiveXX.push(`${r.method} ${r.path} → ${s}`);
          if (done % 1000 === 0) log(`${done} requests`);
        }
      });
      await Promise.all(lanes);
      const port = Number(new URL(ex.url).port);
      const raw: number[] = [];
      for (const text of RAW) raw.push(await rawStatus(port, text));
      const total5xx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0) + raw.filter((s) => s >= 500).length;
      const noAnswer = statuses.get(0) ?? 0;
      const health = await statusOf(`${ex.url}/healthz`);
      const alive = ex.child.exitCode === null && health === 200;
      const spread = [...statuses].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([s, n]) => `${s}×${n}`).join(' ');
      return [
        row('bad-requests', 'fuzzed requests answered without 5xx', count + RAW.length, `${total5xx} 5xx (${spread}; raw ${raw.join(',')})${fiveXX.length ? `: ${fiveXX.join('; ')}` : ''}`, total5xx === 0),
        row('bad-requests', 'every request answered', count, `${noAnswer} without an answer`, noAnswer === 0),
        row('bad-requests', 'exporter up afterwards (/healthz)', 1, alive ? '200' : `health ${health}, exit ${ex.child.exitCode}`, alive),
      ];
    } finally {
      await ex.stop();
    }
  },
};
