/**
 * @jest-environment node
 *
 * Every plugin.json against Grafana's plugin rules, offline: a strict schema subset, then the rules
 * grafana/plugin-validator applies to nested plugins (includes ↔ files, types, nesting only under an app)
 * and to the frontend (grafanaDependency for React 19 / external jsx-runtime).
 */
import Ajv from 'ajv';
import fs from 'fs';
import { glob } from 'glob';
import path from 'path';
import semver from 'semver';
import schema from './plugin.schema.json';

const SRC = path.resolve(__dirname, '..', '..', 'src');
const CONTRACT_IDS: Record<string, string> = {
  '.': 'switchboard-pbx-app',
  datasource: 'switchboard-pbx-datasource',
  'panels/extension-wall': 'switchboard-wall-panel',
};

interface PluginJson {
  type: string;
  id: string;
  name: string;
  info: {
    logos: { small: string; large: string };
    version: string;
    updated: string;
    screenshots?: Array<{ name: string; path: string }>;
    links?: Array<{ name: string; url: string }>;
  };
  includes?: Array<{ type: string; name: string; path?: string; addToNav?: boolean; defaultNav?: boolean }>;
  routes?: Array<{
    path: string;
    url: string;
    method?: string;
    reqRole?: string;
    headers?: Array<{ name: string; content: string }>;
  }>;
  dependencies: { grafanaDependency: string };
  backend?: boolean;
  executable?: string;
  streaming?: boolean;
  annotations?: boolean;
}

const files = glob.sync('**/plugin.json', { cwd: SRC }).sort();
const read = (rel: string): PluginJson => JSON.parse(fs.readFileSync(path.join(SRC, rel), 'utf8'));
const root = read('plugin.json');
const nested = files.filter((f) => f !== 'plugin.json');

describe('plugin.json files', () => {
  it('are the app and its two nested plugins, with the contract ids', () => {
    expect(files).toEqual(['datasource/plugin.json', 'panels/extension-wall/plugin.json', 'plugin.json']);
    for (const f of files) {
      expect(read(f).id).toBe(CONTRACT_IDS[path.dirname(f)]);
    }
  });

  it.each(files)('%s matches the schema', (file) => {
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const ok = validate(read(file));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(files)('%s: id ends with its type, logos exist, a module sits beside it, version placeholders', (file) => {
    const p = read(file);
    const dir = path.join(SRC, path.dirname(file));
    expect(p.id.endsWith(`-${p.type}`)).toBe(true);
    expect(fs.existsSync(path.join(dir, p.info.logos.small))).toBe(true);
    expect(fs.existsSync(path.join(dir, p.info.logos.large))).toBe(true);
    expect(glob.sync('module.{ts,tsx}', { cwd: dir })).toHaveLength(1);
    expect(p.info.version).toBe('%VERSION%');
    expect(p.info.updated).toBe('%TODAY%');
  });

  it.each(files)(
    '%s: grafanaDependency states what is tested: Grafana 13.2 (React 19, external jsx-runtime)',
    (file) => {
      const range = read(file).dependencies.grafanaDependency;
      expect(semver.validRange(range)).not.toBeNull();
      // @grafana/ui 13.2 is the first to run on React 19; older Grafana runs plugins under React 18
      expect(semver.minVersion(range)!.compare('13.2.0')).toBe(0);
      expect(semver.satisfies('13.2.2', range)).toBe(true);
      expect(semver.satisfies('13.1.9', range)).toBe(false);
    }
  );

  it('nests plugins only under an app, each listed in includes with its path and type', () => {
    expect(root.type).toBe('app');
    const pluginIncludes = (root.includes ?? []).filter((i) => i.type === 'panel' || i.type === 'datasource');
    expect(pluginIncludes.map((i) => i.path).sort()).toEqual(nested);
    for (const inc of pluginIncludes) {
      const child = read(inc.path!);
      expect(child.type).toBe(inc.type);
      expect(child.name).toBe(inc.name);
      // nested plugins carry no nested plugins of their own
      expect((child.includes ?? []).filter((i) => i.type === 'panel' || i.type === 'datasource')).toEqual([]);
      expect(child.id.split('-')[0]).toBe(root.id.split('-')[0]);
    }
    const ids = files.map((f) => read(f).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the app ships every dashboard of src/dashboards, and a nav link to the NOC wall', () => {
    const dashboards = (root.includes ?? []).filter((i) => i.type === 'dashboard');
    expect(dashboards.map((i) => i.path).sort()).toEqual(glob.sync('dashboards/*.json', { cwd: SRC }).sort());
    for (const inc of dashboards) {
      const d = JSON.parse(fs.readFileSync(path.join(SRC, inc.path!), 'utf8'));
      expect(inc.name).toBe(d.title);
      expect(d.id).toBeNull();
    }
    const wall = JSON.parse(fs.readFileSync(path.join(SRC, 'dashboards', 'noc-wall.json'), 'utf8'));
    const nav = (root.includes ?? []).find((i) => i.type === 'page' && i.defaultNav);
    expect(nav).toMatchObject({ path: `d/${wall.uid}`, addToNav: true });
  });

  it('the app has screenshots that exist and links', () => {
    const shots = root.info.screenshots ?? [];
    expect(shots.length).toBeGreaterThanOrEqual(4);
    for (const s of shots) {
      expect(fs.existsSync(path.join(SRC, s.path))).toBe(true);
      expect(s.path).toMatch(/\.png$/);
    }
    expect((root.info.links ?? []).length).toBeGreaterThan(0);
    for (const l of root.info.links ?? []) {
      expect(l.url).toMatch(/^https:\/\//);
    }
  });

  it('the data source is frontend-only, streams, and injects the token through the `api` route', () => {
    const ds = read('datasource/plugin.json');
    expect(ds.backend).toBeUndefined();
    expect(ds.executable).toBeUndefined();
    expect(root.backend).toBeUndefined();
    expect(ds.streaming).toBe(true);
    expect(ds.annotations).toBe(true);
    expect(ds.routes).toEqual([
      {
        path: 'api',
        url: '{{ .JsonData.url }}',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
      },
    ]);
  });

  it('the app proxies only click-to-dial, for Editors and up, with the control token added on the server', () => {
    // One route, one method, one target path: the control token can do nothing else through Grafana. Grafana
    // matches a route path without `*` exactly, so `dial/anything` finds no route (404).
    expect(root.routes).toEqual([
      {
        path: 'dial',
        method: 'POST',
        reqRole: 'Editor',
        url: '{{ .JsonData.apiUrl }}/api/v1/calls',
        headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.controlToken }}' }],
      },
    ]);
    expect(root.routes!.every((r) => !r.path.includes('*'))).toBe(true);
  });
});
