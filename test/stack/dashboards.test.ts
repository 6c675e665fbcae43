import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
import { stringify } from 'yaml';
import { DASHBOARDS, render } from '../../dashboards/src';
import { APP_DIR, forApp } from '../../dashboards/src/app';
import { AGENT_TRANSFORMS } from '../../dashboards/src/queues';
import { defaultOptions as wallDefaults } from '../../grafana-plugin/src/panels/extension-wall/options';
import type { PbxQuery } from '../../grafana-plugin/src/datasource/types';
import { fieldNames, framesFor, transform } from './frames';
import {
  contractHistograms,
  contractMetrics,
  knownMetric,
  metricNames,
  path,
  read,
  readYaml,
  ROOT,
  run,
} from './helpers';

type AnyPanel = Panel | RowPanel;
type Target = Record<string, unknown> & { refId: string; datasource?: { type?: string; uid?: string } };

const files = Object.keys(DASHBOARDS);
const loaded: Array<[string, Dashboard]> = files.map((f) => [f, JSON.parse(read('dashboards', f)) as Dashboard]);
const panelsOf = (d: Dashboard): Panel[] =>
  (d.panels ?? []).flatMap((p: AnyPanel) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel]));
const targetsOf = (p: Panel): Target[] => (p.targets ?? []) as Target[];
const allPanels = loaded.flatMap(([file, d]) => panelsOf(d).map((p) => [file, p] as const));

/** Provisioned data sources by uid: provisioning/grafana/datasources/*.yml. */
const datasources = new Map<string, string>(
  readdirSync(path('provisioning', 'grafana', 'datasources')).flatMap((f) =>
    readYaml<{ datasources: Array<{ uid: string; type: string }> }>(
      'provisioning',
      'grafana',
      'datasources',
      f,
    ).datasources.map((ds) => [ds.uid, ds.type] as [string, string]),
  ),
);

/** Query types: docs/contracts.md §5 and the plugin's QueryType union must agree; dashboards use only those. */
const contractQueryTypes = (): string[] => {
  const section = read('docs', 'contracts.md').split('## 5. Grafana plugin ids')[1].split('## 6.')[0];
  return [...section.split('Query types:')[1].matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]);
};
const pluginQueryTypes = (): string[] => {
  const src = read('grafana-plugin', 'src', 'datasource', 'types.ts');
  const union = src.match(/export type QueryType =([^;]+);/)![1];
  return [...union.matchAll(/'([a-zA-Z]+)'/g)].map((m) => m[1]);
};

/** Plugin ids from every plugin.json of the plugin's sources. */
function pluginJsons(): Array<{ id: string; type: string }> {
  const out: Array<{ id: string; type: string }> = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'plugin.json')
        out.push(JSON.parse(require('node:fs').readFileSync(join(dir, e.name), 'utf8')));
    }
  };
  walk(path('grafana-plugin', 'src'));
  return out;
}

const BUILT_IN_PANELS = ['stat', 'timeseries', 'table', 'state-timeline', 'text', 'row'];

describe('dashboards: generated from typed sources', () => {
  it('every JSON file is exactly what its TypeScript source renders (npx tsx dashboards/src/build.ts)', () => {
    for (const [file, dashboard] of Object.entries(DASHBOARDS))
      expect(read('dashboards', file)).toBe(render(dashboard));
  });

  it('dashboards/ holds no JSON without a source', () => {
    expect(
      readdirSync(path('dashboards'))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual([...files].sort());
  });

  it("the app's copies (grafana-plugin/src/dashboards) are what their sources render for the app", () => {
    expect(readdirSync(path(APP_DIR)).sort()).toEqual([...files].sort());
    for (const [file, dashboard] of Object.entries(DASHBOARDS))
      expect(read(APP_DIR, file)).toBe(render(forApp(dashboard)));
  });

  it('the sources typecheck against @grafana/schema, the plugin query model and the wall panel options (tsc)', () => {
    const r = run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', path('test', 'stack', 'tsconfig.json')]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);
});

describe("the app's dashboards", () => {
  const app = files.map((f) => [f, JSON.parse(read(APP_DIR, f)) as Dashboard] as const);

  it.each(app)('%s reaches its data sources only through data-source variables of the right plugin', (_file, d) => {
    const variables = new Map(
      (d.templating?.list ?? []).filter((v) => v.type === 'datasource').map((v) => [`\${${v.name}}`, v.query]),
    );
    const refs = [...JSON.stringify(d).matchAll(/"datasource":\{"type":"([^"]+)","uid":"([^"]+)"\}/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [, type, uid] of refs) {
      if (type === 'grafana') continue;
      expect([type, variables.get(uid)]).toEqual([type, type]);
    }
    expect(JSON.stringify(d)).not.toContain('/uid/switchboard/');
    expect(d.id).toBeNull();
  });

  it.each(app)("%s keeps its provisioned twin's uid, so the compose stack has it once", (file, d) => {
    expect(d.uid).toBe(DASHBOARDS[file].uid);
  });
});

describe("the issue's dashboards and panels", () => {
  const byFile = Object.fromEntries(loaded);
  const titles = (file: string) => panelsOf(byFile[file]).map((p) => p.title);
  const queryTypes = (file: string) =>
    panelsOf(byFile[file]).flatMap((p) =>
      targetsOf(p)
        .map((t) => t.queryType)
        .filter(Boolean),
    );

  it('NOC wall: extension wall, call board, calls / missed / answer rate today, a tile per queue, trunks, connection', () => {
    const panels = panelsOf(byFile['noc-wall.json']);
    const walls = panels.filter((p) => p.type === 'switchboard-wall-panel');
    expect(walls.map((p) => (p.options as { mode: string }).mode).sort()).toEqual(['callboard', 'wall']);
    expect(titles('noc-wall.json')).toEqual(
      expect.arrayContaining(['Calls today', 'Missed today', 'Answer rate today', 'Trunks', 'Source connection']),
    );
    const tile = panels.find((p) => p.repeat === 'queue')!;
    expect(targetsOf(tile)[0].queryType).toBe('queues');
    expect(byFile['noc-wall.json'].time).toEqual({ from: 'now/d', to: 'now' });
  });

  it('call history: filters as variables, a table of calls with a link to the call detail', () => {
    const d = byFile['call-history.json'];
    expect(d.templating!.list!.map((v) => v.name)).toEqual(
      expect.arrayContaining(['extension', 'direction', 'status', 'queue', 'search']),
    );
    expect(d.templating!.list!.find((v) => v.name === 'search')!.type).toBe('textbox');
    const calls = panelsOf(d).find((p) => p.type === 'table' && p.title === 'Calls')!;
    const t = targetsOf(calls)[0];
    expect(t).toMatchObject({
      queryType: 'calls',
      extension: '$extension',
      direction: '$direction',
      status: '$status',
      queue: '$queue',
      text: '$search',
    });
    const links = JSON.stringify(calls.fieldConfig!.overrides);
    expect(links).toContain('/api/datasources/proxy/uid/switchboard/api/api/v1/calls/${__data.fields.id}');
    // the CSV link: the same calls, every one, with the time range and each filter (All is `*`: no filter)
    const csv = new URL(calls.links!.find((l) => l.title === 'CSV')!.url!, 'http://grafana');
    expect(csv.pathname).toBe('/api/datasources/proxy/uid/switchboard/api/api/v1/calls');
    expect(Object.fromEntries(csv.searchParams)).toEqual({
      format: 'csv',
      from: '${__from}',
      to: '${__to}',
      pbx: '${pbx:percentencode}',
      extension: '${extension:percentencode}',
      direction: '${direction}',
      status: '${status}',
      queue: '${queue:percentencode}',
      q: '${search:percentencode}',
    });
    for (const name of ['pbx', 'extension', 'direction', 'status', 'queue']) {
      expect([name, d.templating!.list!.find((v) => v.name === name)!.allValue]).toEqual([name, '*']);
    }
  });

  it('call history: missed calls with a "Call back" action through the app proxy, asking first with both numbers', () => {
    const d = byFile['call-history.json'];
    const missed = panelsOf(d).find((p) => p.title === 'Missed calls · call back')!;
    expect(targetsOf(missed)[0]).toMatchObject({
      queryType: 'calls',
      callBack: true,
      status: 'truly_missed',
      direction: 'inbound',
    });
    const props = missed.fieldConfig!.overrides!.find((o) => o.matcher.options === 'callBackFrom')!.properties;
    expect(props).toContainEqual({ id: 'custom.cellOptions', value: { type: 'actions' } });
    const [action] = props.find((p) => p.id === 'actions')!.value as Array<{
      type: string;
      confirmation: string;
      fetch: { method: string; url: string; body: string; headers: string[][] };
    }>;
    expect(action.type).toBe('fetch');
    // Grafana's plugin proxy path of the app's one route, which compose allows actions to POST to
    const app = JSON.parse(read('grafana-plugin', 'src', 'plugin.json')) as {
      id: string;
      routes: Array<{ path: string; method: string }>;
    };
    expect(action.fetch.method).toBe(app.routes[0].method);
    expect(action.fetch.url).toBe(`/api/plugin-proxy/${app.id}/${app.routes[0].path}`);
    expect(action.fetch.headers).toContainEqual(['Content-Type', 'application/json']);
    // the body is the exporter's click-to-dial body; a row's values interpolated, it is JSON
    const row: Record<string, string> = { pbx: 'demo', callBackFrom: '1001', from: '+13125550103', id: 'c2' };
    const fill = (t: string) => t.replace(/\$\{__data\.fields\.([A-Za-z]+)\}/g, (_, f: string) => row[f]);
    expect(JSON.parse(fill(action.fetch.body))).toEqual({ pbx: 'demo', extension: '1001', target: '+13125550103' });
    expect(fill(action.confirmation)).toMatch(/Ring extension 1001 .* call \+13125550103 back/);
  });

  it('queues and KPIs: service level, ASA, abandon rate, per-agent answered / missed / talk time', () => {
    expect(titles('queues.json')).toEqual(
      expect.arrayContaining(['Service level (20 s)', 'Average speed of answer', 'Abandon rate', 'Per agent']),
    );
  });

  it('reports: per agent over the range and per Monday week, with a CSV link', () => {
    const panels = panelsOf(byFile['reports.json']);
    const agents = panels.map((p) => targetsOf(p)[0]).filter((t) => t.queryType === 'agents');
    expect(agents.map((t) => t.interval ?? null)).toEqual([null, '1w']);
    const csv = new URL(panels[0].links!.find((l) => l.title === 'CSV')!.url!, 'http://grafana');
    expect(csv.pathname).toBe('/api/datasources/proxy/uid/switchboard/api/api/v1/reports/agents');
    expect(csv.searchParams.get('format')).toBe('csv');
    expect(csv.searchParams.get('interval')).toBe('1w');
  });

  it('extension detail: a state timeline and its calls', () => {
    const panels = panelsOf(byFile['extension-detail.json']);
    expect(panels.some((p) => p.type === 'state-timeline')).toBe(true);
    expect(queryTypes('extension-detail.json')).toContain('calls');
  });

  it('exporter and PBX health: events/s, reconnects, ingest lag, DB size, scrape time', () => {
    const exprs = panelsOf(byFile['exporter-health.json']).flatMap((p) => targetsOf(p).map((t) => String(t.expr)));
    for (const metric of [
      'switchboard_events_total',
      'pbx_source_reconnects_total',
      'switchboard_ingest_lag_seconds',
      'switchboard_db_size_bytes',
      'scrape_duration_seconds',
    ]) {
      expect(exprs.some((e) => e.includes(metric))).toBe(true);
    }
  });

  it.each(files)('%s shows gaps as an annotation from the Switchboard data source', (file) => {
    const gaps = byFile[file].annotations!.list!.find((a) => a.name === 'Gaps')!;
    expect(gaps.enable).toBe(true);
    expect(gaps.datasource).toEqual({ type: 'switchboard-pbx-datasource', uid: 'switchboard' });
    expect((gaps.target as Target).queryType).toBe('gaps');
  });
});

describe.each(loaded)('%s', (file, d) => {
  const panels = panelsOf(d);

  it('has a unique uid, a title, the switchboard tag and ids unique per panel', () => {
    expect(d.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(loaded.filter(([, o]) => o.uid === d.uid)).toHaveLength(1);
    expect(d.title).toMatch(/^Switchboard · /);
    expect(d.tags).toContain('switchboard');
    const ids = (d.panels ?? []).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('panels fit the 24-column grid without overlapping', () => {
    const boxes = (d.panels ?? []).map((p) => p.gridPos!);
    for (const b of boxes) {
      expect(b.x + b.w).toBeLessThanOrEqual(24);
      expect(b.w).toBeGreaterThan(0);
      expect(b.h).toBeGreaterThan(0);
    }
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }),
    );
  });

  it("every panel type exists: Grafana built-ins or the plugin's panel", () => {
    const pluginPanels = pluginJsons()
      .filter((p) => p.type === 'panel')
      .map((p) => p.id);
    expect(pluginPanels).toContain('switchboard-wall-panel');
    for (const p of d.panels ?? []) expect([...BUILT_IN_PANELS, ...pluginPanels]).toContain(p.type);
  });

  it('every data source (panels, queries, variables, annotations) is provisioned with that type', () => {
    const refs = [
      ...panels.flatMap((p) => [p.datasource, ...targetsOf(p).map((t) => t.datasource)]),
      ...(d.templating?.list ?? []).map((v) => v.datasource),
      ...(d.annotations?.list ?? []).filter((a) => !a.builtIn).map((a) => a.datasource),
    ].filter((r): r is { type: string; uid: string } => !!r);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(datasources.has(ref.uid)).toBe(true);
      expect(datasources.get(ref.uid)).toBe(ref.type);
    }
    for (const p of panels) {
      for (const t of targetsOf(p)) expect(t.datasource).toEqual(p.datasource);
    }
  });

  it('Switchboard queries use query types of the contract and of the plugin', () => {
    const allowed = contractQueryTypes();
    expect([...allowed].sort()).toEqual([...pluginQueryTypes()].sort());
    const used = [
      ...panels.flatMap((p) => targetsOf(p)),
      ...(d.annotations?.list ?? []).map((a) => a.target as Target | undefined).filter((t): t is Target => !!t),
    ].filter((t) => t.datasource?.uid === 'switchboard');
    for (const t of used) expect(allowed).toContain(t.queryType);
  });

  it("every $variable used is defined (or one of Grafana's own)", () => {
    const defined = new Set((d.templating?.list ?? []).map((v) => v.name));
    const text = JSON.stringify({ panels: d.panels, annotations: d.annotations, templating: d.templating });
    const used = [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)]
      .map((m) => m[1])
      .filter((n) => !n.startsWith('__'));
    expect(used.filter((n) => !defined.has(n))).toEqual([]);
  });

  it('Prometheus queries read only exported metrics', () => {
    const metrics = contractMetrics();
    const histograms = contractHistograms();
    const exprs = [
      ...panels.flatMap((p) => targetsOf(p)),
      ...(d.annotations?.list ?? []).map((a) => a.target as Target),
    ]
      .filter((t) => t && typeof t.expr === 'string')
      .map((t) => t.expr as string);
    const unknown = exprs.flatMap((e) => metricNames(e).filter((m) => !knownMetric(m, metrics, histograms)));
    expect(unknown).toEqual([]);
  });

  it('field overrides, data links and field filters name fields the data source really returns', async () => {
    for (const p of panels) {
      const sbTargets = targetsOf(p).filter((t) => t.datasource?.uid === 'switchboard') as unknown as PbxQuery[];
      if (sbTargets.length === 0) continue;
      const frames = await transform(p.transformations as never, sbTargets.flatMap(framesFor));
      expect(frames.length).toBeGreaterThan(0);
      const names = fieldNames(frames);
      for (const o of p.fieldConfig?.overrides ?? []) {
        if (o.matcher.id === 'byName') expect([p.title, names.has(String(o.matcher.options))]).toEqual([p.title, true]);
      }
      const fields = (p.options as { reduceOptions?: { fields?: string } }).reduceOptions?.fields;
      if (fields) {
        const re = new RegExp(fields.replace(/^\/(.*)\/$/, '$1'));
        expect([...names].some((n) => re.test(n))).toBe(true);
      }
      for (const m of JSON.stringify(p.fieldConfig).matchAll(/__data\.fields\.([A-Za-z]+)/g))
        expect(names.has(m[1])).toBe(true);
    }
  });

  it('wall panels set every option the wall panel defines', () => {
    for (const p of panels.filter((x) => x.type === 'switchboard-wall-panel')) {
      expect(Object.keys(p.options!).sort()).toEqual(Object.keys(wallDefaults).sort());
    }
  });
});

describe("transformations, run by Grafana's own implementations on the plugin's frames", () => {
  it('a queue tile keeps the waiting callers, the longest wait and the available agents', async () => {
    const tile = panelsOf(DASHBOARDS['noc-wall.json']).find((p) => p.repeat === 'queue')!;
    const [frame] = await transform(
      tile.transformations as never,
      framesFor(targetsOf(tile)[0] as unknown as PbxQuery),
    );
    expect(frame.fields.map((f) => f.name)).toEqual(['callers', 'longestWaitSeconds', 'membersAvailable']);
    expect(frame.fields[1].values).toEqual([95, 0]);
  });

  it("the per-agent table sums each extension's buckets and derives the average talk time", async () => {
    const frames = framesFor({
      refId: 'A',
      queryType: 'stats',
      groupBy: 'extension',
      metrics: ['offered', 'answered', 'missed', 'talkSecondsTotal'],
    });
    const [table] = await transform(AGENT_TRANSFORMS as never, frames);
    const col = (name: string) => table.fields.find((f) => (f.config.displayName ?? f.name) === name)!.values;
    // fixture: extension k answers 3+h+k and misses 1+k in hour h (h = 0, 1), 60 s talk per answered call
    expect(col('Extension')).toEqual(['1001', '1002']);
    expect(col('Answered')).toEqual([7, 9]);
    expect(col('Missed')).toEqual([2, 4]);
    expect(col('Rang')).toEqual([9, 13]);
    expect(col('Talk time')).toEqual([420, 540]);
    expect(col('Average talk')).toEqual([60, 60]);
  });
});

describe('PromQL of every dashboard', () => {
  /** Grafana variables replaced by values Prometheus would see. */
  const concrete = (expr: string) =>
    expr
      .replace(/\$__rate_interval|\$__interval|\$__range/g, '5m')
      .replace(/\$\{?pbx\}?/g, 'demo')
      .replace(/\$\{?queue\}?/g, 'sales')
      .replace(/\$\{?extension\}?/g, '1001');

  it('parses: promtool check rules over them as recording rules', () => {
    const exprs = loaded
      .flatMap(([, d]) => [
        ...panelsOf(d).flatMap((p) => targetsOf(p)),
        ...(d.annotations?.list ?? []).map((a) => a.target as Target),
      ])
      .filter((t) => t && typeof t.expr === 'string')
      .map((t) => concrete(t.expr as string));
    expect(exprs.length).toBeGreaterThan(30);
    const dir = mkdtempSync(join(tmpdir(), 'sb-promql-'));
    try {
      const file = join(dir, 'dashboards.rules.yml');
      writeFileSync(
        file,
        stringify({
          groups: [
            { name: 'dashboards', rules: exprs.map((expr, i) => ({ record: `dashboard:expr_${i}:check`, expr })) },
          ],
        }),
      );
      const r = run('promtool', ['check', 'rules', '--lint=none', file]);
      expect(r.stdout + r.stderr).toContain(`SUCCESS: ${exprs.length} rules found`);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
