import type { SourceStatus } from '../../src/domain';
import { VERSION } from '../../src/version';
import { startHarness, type Harness } from './harness';

/** Every path fastify serves, from its route tree (`:id` written `{id}` as in OpenAPI), the root and HEAD-only left out. */
function servedPaths(tree: string): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    const path = (depth === 0 ? '' : stack[depth - 1].replace(/\/$/, '')) + (depth === 0 || m[2].startsWith('/') ? m[2] : `/${m[2]}`);
    stack[depth] = path;
    if (m[3].split(', ').includes('GET') || m[3].split(', ').includes('POST')) paths.push(path.replace(/:(\w+)/g, '{$1}'));
  }
  return paths;
}

const status = (s: Partial<SourceStatus> & Pick<SourceStatus, 'pbx' | 'kind' | 'connected'>): SourceStatus => ({
  live: true,
  reconnects: 0,
  loginFailures: 0,
  ...s,
});

describe('landing page', () => {
  let h: Harness;
  let html: string;
  beforeAll(async () => {
    h = await startHarness({
      config: { auth: { tokens: [{ name: 'grafana', token: 'a-token-of-16-chars-or-more', scopes: ['read'] }] } },
      sources: () => [
        { pbx: 'office', kind: 'ami', capabilities: { live: true, control: [] } },
        { pbx: 'branch', kind: '3cx', capabilities: { live: false, control: [] } },
        { pbx: 'cloud', kind: 'nfon', capabilities: { live: true, control: [] } },
      ],
    });
    h.hub.emit('source', status({ pbx: 'office', kind: 'ami', connected: true, version: '22.1.0' }));
    h.hub.emit('source', status({ pbx: 'branch', kind: '3cx', live: false, connected: false, reason: 'connect ECONNREFUSED <127.0.0.1:5001>' }));
    const r = await fetch(`${h.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    html = await r.text();
  });
  afterAll(() => h.close());

  it("names the exporter's version", () => {
    expect(html).toContain(`Version ${VERSION}`);
  });

  it('lists every endpoint the server has, each with a line on what it is for', () => {
    const served = servedPaths(h.app.printRoutes({ commonPrefix: false }))
      // the root is this page; /docs/… are the reference page's own files
      .filter((p) => p !== '/' && !p.startsWith('/docs/'));
    expect(served).toEqual(expect.arrayContaining(['/metrics', '/healthz', '/readyz', '/docs', '/openapi.json', '/api/v1/calls/{id}']));
    for (const p of served) {
      const row = html.split('\n').find((l) => l.includes(`>${p}<`));
      expect([p, row !== undefined]).toEqual([p, true]);
      const what = /<td>([^<]*)<\/td><\/tr>$/.exec(row!)?.[1] ?? '';
      expect([p, what.length > 10]).toEqual([p, true]);
    }
  });

  it('links what a browser can open, and says the API wants a token', () => {
    expect(html).toContain('<a href="/api/v1/calls">/api/v1/calls</a>');
    expect(html).not.toContain('href="/api/v1/calls/{id}"');
    expect(html).toContain('wants a bearer token');
  });

  it('shows each source with its kind and state, escaping what the PBX side said', () => {
    expect(html).toMatch(/<td>office<\/td><td>ami<\/td><td class="up">connected \(PBX 22\.1\.0\)<\/td><td>live state and call history<\/td>/);
    expect(html).toMatch(/<td>branch<\/td><td>3cx<\/td><td class="down">down: connect ECONNREFUSED &lt;127\.0\.0\.1:5001&gt;<\/td><td>call history only/);
    expect(html).toMatch(/<td>cloud<\/td><td>nfon<\/td><td class="down">connecting…<\/td>/);
  });
});
