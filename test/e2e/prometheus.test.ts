/**
 * End to end, all real and on loopback: the built exporter runs the demo PBX; Debian's Prometheus scrapes it with the
 * stack's alert rules loaded and sends alerts to Debian's Alertmanager with the stack's configuration. Stopping the
 * demo PBX (SIGUSR2 to the exporter) must make "PBX source down" fire and reach Alertmanager.
 *
 * Run by .ci/e2e-prometheus.sh (SB_STACK_E2E=1 jest -c jest.stack.config.js), after `npm run build -w exporter`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import type { Dashboard, Panel, RowPanel } from '@grafana/schema';

const ROOT = join(__dirname, '..', '..');
/** the built exporter; SB_E2E_CLI runs another build of it */
const CLI = process.env.SB_E2E_CLI ?? join(ROOT, 'exporter', 'dist', 'cli.js');
const RULES = join(ROOT, 'provisioning', 'prometheus', 'rules');
const AM_CONFIG = join(ROOT, 'provisioning', 'alertmanager', 'alertmanager.yml');
const DASHBOARDS = join(ROOT, 'dashboards');

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns a value (not undefined) or the time is up; the last error or value is reported. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(500);
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

class Proc {
  log = '';
  constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    child.stdout?.on('data', (d) => (this.log += d));
    child.stderr?.on('data', (d) => (this.log += d));
  }
  tail(): string {
    return `--- ${this.name} (last lines)\n${this.log.split('\n').slice(-25).join('\n')}`;
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

function start(cmd: string, args: string[], name: string, pkg: string): Proc {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = new Proc(child, name);
  // reported by the readiness wait, with this in the process's log
  child.once('error', (e) => (proc.log += `${cmd} could not start (${e.message}): apt-get install ${pkg}\n`));
  return proc;
}

describe('a real Prometheus scraping the exporter on the demo PBX, with the alert rules', () => {
  let dir = '';
  let exporter: Proc;
  let prometheus: Proc;
  let alertmanager: Proc;
  let exporterUrl = '';
  let prom = '';
  let am = '';

  const query = async (q: string): Promise<Sample[]> => {
    const res = await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: Sample[] } };
    if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
    return body.data.result;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build -w exporter first`);
    dir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));

    // the exporter, on a free port, the demo PBX at 5× speed
    const config = join(dir, 'switchboard.yml');
    writeFileSync(
      config,
      stringify({
        server: { host: '127.0.0.1', port: 0 },
        store: { path: join(dir, 'sb.db'), backup: { enabled: false } },
        demo: { enabled: true, speed: 5 },
        metrics: { perExtension: true },
        log: { level: 'info' },
      }),
    );
    // the exporter reads SWITCHBOARD_* variables as configuration: none from this environment
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHBOARD_')));
    const child = spawn(process.execPath, [CLI, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env });
    exporter = new Proc(child, 'exporter');
    exporterUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the exporter did not listen within 30 s\n${exporter.tail()}`)),
        30_000,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the exporter exited (${code})\n${exporter.tail()}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const rec = JSON.parse(line) as { msg?: string; url?: string };
          if (rec.msg === 'server listening' && rec.url) {
            clearTimeout(timer);
            resolve(rec.url);
          }
        } catch {
          // not a log record
        }
      });
    });

    // Alertmanager with the stack's configuration
    const amPort = await freePort();
    am = `http://127.0.0.1:${amPort}`;
    alertmanager = start(
      'prometheus-alertmanager',
      [
        `--config.file=${AM_CONFIG}`,
        `--storage.path=${join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
      ],
      'alertmanager',
      'prometheus-alertmanager',
    );

    // Prometheus: the stack's rules, fast intervals so the test takes about two minutes
    const promPort = await freePort();
    prom = `http://127.0.0.1:${promPort}`;
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(
      promConfig,
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(RULES, '*.rules.yml')],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
        scrape_configs: [{ job_name: 'switchboard', static_configs: [{ targets: [new URL(exporterUrl).host] }] }],
      }),
    );
    prometheus = start(
      'prometheus',
      [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      'prometheus',
      'prometheus',
    );
    await until('Prometheus and Alertmanager ready', 30_000, async () =>
      (await fetch(`${prom}/-/ready`)).ok && (await fetch(`${am}/-/ready`)).ok ? true : undefined,
    ).catch((err) => {
      throw new Error(`${String(err)}\n${prometheus.tail()}\n${alertmanager.tail()}`);
    });
  });

  afterAll(async () => {
    await Promise.all([prometheus?.stop(), alertmanager?.stop(), exporter?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const diagnose = (err: unknown) => {
    throw new Error(`${String(err)}\n${exporter.tail()}\n${prometheus.tail()}`);
  };

  it("scrapes the exporter and the demo PBX's series arrive", async () => {
    await until('up{job="switchboard"} == 1', 30_000, async () =>
      (await query('up{job="switchboard"} == 1')).length ? true : undefined,
    ).catch(diagnose);
    await until('pbx_up{pbx="demo"} == 1', 60_000, async () =>
      (await query('pbx_up{pbx="demo"} == 1')).length ? true : undefined,
    ).catch(diagnose);
    const names = await until('the PBX series', 60_000, async () => {
      const r = await query('count by (__name__) ({pbx="demo", __name__=~"pbx_.+"})');
      const set = new Set(r.map((s) => s.metric.__name__));
      return set.has('pbx_extensions_registered') && set.has('pbx_queue_members') && set.has('pbx_trunk_registered')
        ? set
        : undefined;
    }).catch(diagnose);
    for (const m of [
      'pbx_calls_total',
      'pbx_calls_active',
      'pbx_extensions',
      'pbx_queue_callers',
      'pbx_business_open',
      'pbx_extension_state',
    ]) {
      expect(names).toContain(m);
    }
    const registered = await query('pbx_extensions_registered{pbx="demo"}');
    expect(Number(registered[0].value[1])).toBeGreaterThan(0);
    // the demo's traffic: events are ingested
    await until('events ingested', 60_000, async () =>
      (await query('sum(switchboard_events_total{pbx="demo"}) > 0')).length ? true : undefined,
    ).catch(diagnose);
  });

  it('loads every alert rule and evaluates it without an error', async () => {
    const expected = readdirSync(RULES).filter((f) => f.endsWith('.rules.yml')).length;
    const rules = await until('rules evaluated', 30_000, async () => {
      const body = (await (await fetch(`${prom}/api/v1/rules`)).json()) as {
        data: {
          groups: Array<{
            file: string;
            rules: Array<{ name: string; health: string; lastError?: string; lastEvaluation: string }>;
          }>;
        };
      };
      const all = body.data.groups.flatMap((g) => g.rules);
      const evaluated = all.every((r) => !r.lastEvaluation.startsWith('0001'));
      return body.data.groups.length >= expected && evaluated ? all : undefined;
    });
    expect(rules.length).toBeGreaterThanOrEqual(15);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });

  it('answers every Prometheus query of the dashboards without an error', async () => {
    const exprs: string[] = [];
    for (const f of readdirSync(DASHBOARDS).filter((x) => x.endsWith('.json'))) {
      const d = JSON.parse(require('node:fs').readFileSync(join(DASHBOARDS, f), 'utf8')) as Dashboard;
      const panels = (d.panels ?? []).flatMap((p: Panel | RowPanel) =>
        p.type === 'row' ? (p as RowPanel).panels : [p as Panel],
      );
      const targets = [
        ...panels.flatMap((p) => p.targets ?? []),
        ...(d.annotations?.list ?? []).map((a) => a.target ?? {}),
      ];
      for (const t of targets as Array<Record<string, unknown>>) if (typeof t.expr === 'string') exprs.push(t.expr);
    }
    expect(exprs.length).toBeGreaterThan(30);
    const concrete = (e: string) =>
      e
        .replace(/\$__rate_interval|\$__interval|\$__range/g, '1m')
        .replace(/\$\{?pbx\}?/g, 'demo')
        .replace(/\$\{?queue\}?/g, '.+')
        .replace(/\$\{?extension\}?/g, '.+')
        .replace(/extension="\.\+"/g, 'extension=~".+"');
    const errors: string[] = [];
    for (const e of exprs) await query(concrete(e)).catch((err: Error) => errors.push(err.message));
    expect(errors).toEqual([]);
    // the wall's core figures have data from the demo PBX
    expect((await query(concrete('pbx_up{pbx=~"$pbx"}'))).length).toBe(1);
    expect((await query(concrete('pbx_trunk_registered{pbx=~"$pbx"}'))).length).toBeGreaterThan(0);
    const timeline = await query(concrete(exprs.find((e) => e.includes('pbx_extension_state'))!));
    // one state number (1–8) per extension
    expect(timeline.length).toBeGreaterThan(0);
    for (const s of timeline) expect(Number(s.value[1])).toBeGreaterThanOrEqual(1);
  });

  it('stopping the demo PBX makes "PBX source down" fire and reach Alertmanager', async () => {
    exporter.child.kill('SIGUSR2');
    await until('pbx_up{pbx="demo"} == 0', 30_000, async () =>
      (await query('pbx_up{pbx="demo"} == 0')).length ? true : undefined,
    ).catch(diagnose);
    await until('PbxSourceDown pending', 30_000, async () =>
      (await query('ALERTS{alertname="PbxSourceDown", pbx="demo", alertstate="pending"}')).length ? true : undefined,
    ).catch(diagnose);
    // `for: 1m` in the rule
    const firing = await until('PbxSourceDown firing', 120_000, async () => {
      const r = await query('ALERTS{alertname="PbxSourceDown", pbx="demo", alertstate="firing"}');
      return r.length ? r : undefined;
    }).catch(diagnose);
    expect(firing[0].metric).toMatchObject({
      alertname: 'PbxSourceDown',
      pbx: 'demo',
      severity: 'critical',
      job: 'switchboard',
    });
    const received = await until('the alert in Alertmanager', 60_000, async () => {
      const alerts = (await (await fetch(`${am}/api/v2/alerts`)).json()) as Array<{
        labels: Record<string, string>;
        status: { state: string };
      }>;
      return alerts.find((a) => a.labels.alertname === 'PbxSourceDown' && a.labels.pbx === 'demo');
    });
    expect(received.status.state).toBe('active');
  }, 240_000);
});
