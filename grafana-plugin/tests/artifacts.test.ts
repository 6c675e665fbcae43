/**
 * @jest-environment node
 *
 * What `npm run build` leaves in dist/: the app and both nested plugins, each with module.js, plugin.json
 * (placeholders replaced) and logos, and React left to Grafana (no bundled react/jsx-runtime).
 */
import fs from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const PLUGINS = ['.', 'datasource', 'panels/extension-wall'];
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

beforeAll(() => {
  if (!fs.existsSync(path.join(DIST, 'module.js'))) {
    throw new Error('dist/ is missing: run `npm run build` in grafana-plugin/ (the root `npm test` builds first)');
  }
});

describe('build artifacts', () => {
  it.each(PLUGINS)('%s has module.js, plugin.json and its logo', (dir) => {
    const base = path.join(DIST, dir);
    expect(fs.existsSync(path.join(base, 'module.js'))).toBe(true);
    const pj = JSON.parse(fs.readFileSync(path.join(base, 'plugin.json'), 'utf8'));
    expect(fs.existsSync(path.join(base, pj.info.logos.small))).toBe(true);
    expect(fs.existsSync(path.join(base, pj.info.logos.large))).toBe(true);
  });

  it.each(PLUGINS)('%s/plugin.json has its version and date filled in', (dir) => {
    const text = fs.readFileSync(path.join(DIST, dir, 'plugin.json'), 'utf8');
    expect(text).not.toMatch(/%VERSION%|%TODAY%|%PLUGIN_ID%/);
    const pj = JSON.parse(text);
    expect(pj.info.version).toBe(pkg.version);
    expect(pj.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('the app lists the nested plugins at the paths dist has', () => {
    const app = JSON.parse(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
    const includes = app.includes.filter((i: { type: string }) => i.type !== 'page');
    for (const inc of includes) {
      expect(fs.existsSync(path.join(DIST, inc.path))).toBe(true);
    }
    expect(includes.filter((i: { type: string }) => i.type !== 'dashboard')).toHaveLength(2);
    expect(includes.filter((i: { type: string }) => i.type === 'dashboard').length).toBeGreaterThanOrEqual(5);
  });

  it('the screenshots plugin.json names are in dist, as files (not links)', () => {
    const app = JSON.parse(fs.readFileSync(path.join(DIST, 'plugin.json'), 'utf8'));
    for (const s of app.info.screenshots) {
      const file = path.join(DIST, s.path);
      expect(fs.lstatSync(file).isFile()).toBe(true);
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    }
  });

  it.each(PLUGINS)('%s/module.js is an AMD module that leaves React and Grafana packages external', (dir) => {
    const js = fs.readFileSync(path.join(DIST, dir, 'module.js'), 'utf8');
    const deps = JSON.parse(/define\((\[[^\]]*\])/.exec(js)![1]) as string[];
    expect(deps).toEqual(expect.arrayContaining(['react', '@grafana/data']));
    // React's own code: 19's jsx runtime marks elements with this symbol, 18's internals with ReactCurrentOwner.
    expect(js).not.toContain('react.transitional.element');
    expect(js).not.toContain('ReactCurrentOwner');
    expect(js).not.toContain('__SECRET_INTERNALS');
    // JSX compiled to the automatic runtime must import it from Grafana, not bundle it.
    if (js.includes('jsx-runtime')) {
      expect(deps).toContain('react/jsx-runtime');
    }
  });
});
