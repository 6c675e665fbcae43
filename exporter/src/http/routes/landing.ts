import '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import type { SourceStatus } from '../../domain';
import type { SourceInfo } from '../../sources/runtime/kind';
import { VERSION } from '../../version';

export interface LandingDeps {
  sources: readonly SourceInfo[];
  /** the sources' current status, by pbx */
  status: ReadonlyMap<string, SourceStatus>;
  /** the API wants a bearer token */
  tokens: boolean;
}

interface Endpoint {
  method: string;
  path: string;
  what: string;
}

/** Outside the OpenAPI document (hidden there, they are not the JSON API), so described here. */
const OPS: Endpoint[] = [
  { method: 'GET', path: '/metrics', what: 'Prometheus metrics: pbx_* for the phone system, switchboard_* for the exporter' },
  { method: 'GET', path: '/healthz', what: 'liveness: 200 while the exporter serves' },
  { method: 'GET', path: '/readyz', what: 'readiness: 200 when the database is open and every source connected, else 503 with the reasons' },
  { method: 'GET', path: '/docs', what: 'the API reference, to try each endpoint' },
  { method: 'GET', path: '/openapi.json', what: 'the OpenAPI 3.1 document of the API' },
];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The JSON API's endpoints with their one-line summaries, from the OpenAPI document: the page cannot drift. */
function apiEndpoints(doc: { paths?: Record<string, Record<string, { summary?: string } | undefined>> }): Endpoint[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
    METHODS.flatMap((m) => (ops[m] ? [{ method: m.toUpperCase(), path, what: ops[m]!.summary ?? '' }] : [])),
  );
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function endpointRow(e: Endpoint): string {
  // a link only where a browser can follow it: a GET without path parameters
  const path = e.method === 'GET' && !e.path.includes('{') ? `<a href="${esc(e.path)}">${esc(e.path)}</a>` : esc(e.path);
  return `<tr><td>${e.method}</td><td><code>${path}</code></td><td>${esc(e.what)}</td></tr>`;
}

function state(status: SourceStatus | undefined): string {
  if (!status) return 'connecting…';
  if (!status.connected) return `down: ${status.reason ?? 'not connected'}`;
  return status.version ? `connected (PBX ${status.version})` : 'connected';
}

function sourceRow(info: SourceInfo, status: SourceStatus | undefined): string {
  const what = info.capabilities.live ? 'live state and call history' : 'call history only (finished calls)';
  const up = status?.connected === true;
  return `<tr><td>${esc(info.pbx)}</td><td>${esc(info.kind)}</td><td class="${up ? 'up' : 'down'}">${esc(state(status))}</td><td>${what}</td></tr>`;
}

function page(deps: LandingDeps, api: Endpoint[]): string {
  const sources = deps.sources.length
    ? `<table><tr><th>pbx</th><th>kind</th><th>state</th><th>gives</th></tr>${deps.sources.map((s) => sourceRow(s, deps.status.get(s.pbx))).join('')}</table>`
    : '<p>No source is configured.</p>';
  const auth = deps.tokens
    ? '<p>The API under <code>/api/v1</code> wants a bearer token (<code>auth.tokens</code>); the other endpoints are open.</p>'
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard exporter ${esc(VERSION)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:72em}td,th{padding:.2em .8em;text-align:left;vertical-align:top}
.up{color:#1a7f37}.down{color:#cf222e}code{font-size:.95em}</style></head>
<body><h1>Switchboard exporter</h1><p>Version ${esc(VERSION)}</p>
<h2>Sources</h2>${sources}
<h2>Endpoints</h2>${auth}<table><tr><th></th><th>path</th><th>what</th></tr>
${[...OPS, ...api].map(endpointRow).join('\n')}
</table></body></html>`;
}

/** The landing page: version, the sources and their state, and every endpoint with one line on what it is for. */
export const landingRoutes: FastifyPluginAsync<LandingDeps> = async (app, deps) => {
  let api: Endpoint[] | undefined;
  app.get('/', { config: { rateLimit: false }, schema: { hide: true } }, async (_req, reply) => {
    // the routes are fixed once the server is ready: read the document once
    api ??= apiEndpoints(app.swagger() as Parameters<typeof apiEndpoints>[0]);
    return reply.type('text/html; charset=utf-8').send(page(deps, api));
  });
};
