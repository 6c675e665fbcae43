/**
 * @jest-environment node
 *
 * The harness's app plugin proxy against what Grafana's pkg/api/pluginproxy does: first route whose method and path
 * match, reqRole of that route, Go-template settings in url and headers, the rest of a `*` path appended.
 */
import type http from 'http';
import { actionRefusal, decide, renderTemplate, type AppRoute } from '../harness/appProxy';

const settings = { jsonData: { apiUrl: 'http://exporter:10027' }, secureJsonData: { controlToken: 'secret-token' } };
const routes: AppRoute[] = [
  {
    path: 'dial',
    method: 'POST',
    reqRole: 'Editor',
    url: '{{ .JsonData.apiUrl }}/api/v1/calls',
    headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.controlToken }}' }],
  },
  { path: 'docs/*', url: '{{ .JsonData.apiUrl }}/docs' },
];
const req = (method: string, proxyPath: string, search = '') => ({ method, proxyPath, search });

describe('harness app proxy (Grafana plugin proxy rules)', () => {
  it('renders the route with the settings, the secure value only on the server side', () => {
    const d = decide(routes, settings, req('POST', '/dial'), 'Editor');
    expect(d).toMatchObject({ headers: { authorization: 'Bearer secret-token' } });
    expect('target' in d && d.target.toString()).toBe('http://exporter:10027/api/v1/calls');
    expect(renderTemplate('{{ .SecureJsonData.missing }}|{{.JsonData.apiUrl}}', settings)).toBe(
      '|http://exporter:10027'
    );
  });

  it('reqRole: Admin and Editor pass, Viewer gets 403; other routes have no role', () => {
    expect('target' in decide(routes, settings, req('POST', '/dial'), 'Admin')).toBe(true);
    expect(decide(routes, settings, req('POST', '/dial'), 'Viewer')).toEqual({
      status: 403,
      message: 'plugin proxy route access denied',
    });
    expect('target' in decide(routes, settings, req('GET', '/docs/json'), 'Viewer')).toBe(true);
  });

  it('matches the method and the exact path; `*` hands the rest on', () => {
    const notFound = { status: 404, message: 'plugin route match not found' };
    expect(decide(routes, settings, req('GET', '/dial'), 'Admin')).toEqual(notFound);
    expect(decide(routes, settings, req('POST', '/dial/x'), 'Admin')).toEqual(notFound);
    const d = decide(routes, settings, req('GET', '/docs/json', '?a=1'), 'Viewer');
    expect('target' in d && d.target.toString()).toBe('http://exporter:10027/docs/json?a=1');
  });

  it('actions_allow_post_url: an action may POST or PUT to an allowed path only', () => {
    const r = (method: string, action = true) =>
      ({ method, headers: action ? { 'x-grafana-action': '1' } : {} }) as unknown as http.IncomingMessage;
    const allow = '/api/plugin-proxy/switchboard-pbx-app/dial';
    expect(actionRefusal(r('POST'), allow, allow)).toBeUndefined();
    expect(actionRefusal(r('POST'), '/api/plugin-proxy/switchboard-pbx-app/dial/x', allow)).toMatch(/not allowed/);
    expect(actionRefusal(r('DELETE'), allow, allow)).toMatch(/method not allowed/);
    expect(actionRefusal(r('POST'), '/api/anything', '/api/plugin-proxy/*, /api/other')).toMatch(/not allowed/);
    expect(actionRefusal(r('POST'), '/api/plugin-proxy/a/b', '/api/plugin-proxy/*, /api/other')).toBeUndefined();
    expect(actionRefusal(r('POST', false), '/api/anything', '')).toBeUndefined();
    expect(actionRefusal(r('POST'), allow, '')).toMatch(/not allowed/);
  });
});
