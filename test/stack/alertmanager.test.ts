import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { path, readYaml, run } from './helpers';

const CONFIG = path('provisioning', 'alertmanager', 'alertmanager.yml');

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

const alertNames = (): string[] =>
  readdirSync(path('provisioning', 'prometheus', 'rules')).flatMap((f) =>
    readYaml<{ groups: Array<{ rules: Array<{ alert?: string }> }> }>(
      'provisioning',
      'prometheus',
      'rules',
      f,
    ).groups.flatMap((g) => g.rules.map((r) => r.alert).filter((a): a is string => !!a)),
  );

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

describe('Alertmanager configuration', () => {
  it('amtool check-config accepts it', () => {
    const r = run('amtool', ['check-config', CONFIG]);
    expect(r.stdout).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it.each([
    ['critical', 'critical'],
    ['warning', 'warning'],
    ['info', 'info'],
  ])('routes severity=%s to the %s receiver', (severity, receiver) => {
    const r = run('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${CONFIG}`,
      `severity=${severity}`,
      'alertname=PbxSourceDown',
      'pbx=main',
    ]);
    expect(r.stdout.trim()).toBe(receiver);
    expect(r.status).toBe(0);
  });

  it("routes an extension's unreturned missed calls to its owner, one group per extension", () => {
    const r = run('amtool', [
      'config',
      'routes',
      'test',
      `--config.file=${CONFIG}`,
      'alertname=PbxExtensionMissedCalls',
      'severity=info',
      'pbx=main',
      'extension=201',
    ]);
    expect(r.stdout.trim()).toBe('extension-owner');
    const cfg = readYaml<{ route: { routes: Array<{ receiver: string; group_by?: string[] }> } }>(
      'provisioning',
      'alertmanager',
      'alertmanager.yml',
    );
    const route = cfg.route.routes.find((x) => x.receiver === 'extension-owner')!;
    expect(route.group_by).toEqual(['pbx', 'extension']);
  });

  it('sends an alert without a severity to the default receiver', () => {
    const r = run('amtool', ['config', 'routes', 'test', `--config.file=${CONFIG}`, 'alertname=Other']);
    expect(r.stdout.trim()).toBe('warning');
  });

  it('inhibits and routes only alerts the rules define', () => {
    const names = alertNames();
    const cfg = readYaml<{ inhibit_rules: Array<{ source_matchers: string[] }> }>(
      'provisioning',
      'alertmanager',
      'alertmanager.yml',
    );
    for (const rule of cfg.inhibit_rules) {
      const source = rule.source_matchers.join(',').match(/alertname="([^"]+)"/)![1];
      expect(names).toContain(source);
    }
  });
});

describe('Alertmanager inhibition (a real prometheus-alertmanager on loopback)', () => {
  let am: ChildProcess | undefined;
  let dir = '';
  let base = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-am-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    am = spawn(
      'prometheus-alertmanager',
      [
        `--config.file=${CONFIG}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    am.stderr!.on('data', (d) => (log += d));
    const spawnError = new Promise<never>((_, reject) =>
      am!.once('error', (e) =>
        reject(
          new Error(`prometheus-alertmanager did not start (${e.message}): apt-get install prometheus-alertmanager`),
        ),
      ),
    );
    const ready = (async () => {
      for (let i = 0; i < 100; i++) {
        try {
          if ((await fetch(`${base}/-/ready`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`alertmanager not ready:\n${log}`);
    })();
    await Promise.race([ready, spawnError]);
  });

  afterAll(async () => {
    if (am && am.exitCode === null) {
      const exited = new Promise((r) => am!.once('exit', r));
      am.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (alerts: Array<Record<string, string>>) => {
    const startsAt = new Date().toISOString();
    const res = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((labels) => ({ labels, startsAt }))),
    });
    expect(res.status).toBe(200);
  };

  const state = async (): Promise<AmAlert[]> => (await (await fetch(`${base}/api/v2/alerts`)).json()) as AmAlert[];

  async function until(check: (alerts: AmAlert[]) => boolean): Promise<AmAlert[]> {
    let last: AmAlert[] = [];
    for (let i = 0; i < 50; i++) {
      last = await state();
      if (check(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    return last;
  }

  it('"PBX source down" holds back the other alerts of that PBX only', async () => {
    await post([
      { alertname: 'PbxSourceDown', pbx: 'main', severity: 'critical' },
      { alertname: 'PbxTrunkUnregistered', pbx: 'main', trunk: 'sip-carrier', severity: 'critical' },
      { alertname: 'PbxQueueNoAgents', pbx: 'main', queue: 'sales', severity: 'critical' },
      { alertname: 'PbxTrunkUnregistered', pbx: 'branch', trunk: 'sip-carrier', severity: 'critical' },
      {
        alertname: 'SwitchboardDbWriteErrors',
        instance: 'switchboard:10027',
        job: 'switchboard',
        severity: 'critical',
      },
    ]);
    const alerts = await until((a) => a.length === 5 && a.some((x) => x.status.state === 'suppressed'));
    const by = (name: string, pbx?: string) => alerts.find((a) => a.labels.alertname === name && a.labels.pbx === pbx)!;
    expect(by('PbxSourceDown', 'main').status.state).toBe('active');
    expect(by('PbxTrunkUnregistered', 'main').status.state).toBe('suppressed');
    expect(by('PbxTrunkUnregistered', 'main').status.inhibitedBy).toHaveLength(1);
    expect(by('PbxQueueNoAgents', 'main').status.state).toBe('suppressed');
    expect(by('PbxTrunkUnregistered', 'branch').status.state).toBe('active');
    expect(by('SwitchboardDbWriteErrors').status.state).toBe('active');
  });

  it('"exporter down" holds back the alerts of that exporter (same job and instance)', async () => {
    await post([
      { alertname: 'SwitchboardExporterDown', instance: 'switchboard:10027', job: 'switchboard', severity: 'critical' },
      { alertname: 'SwitchboardDiskNearlyFull', instance: 'other:10027', job: 'switchboard', severity: 'critical' },
    ]);
    const alerts = await until(
      (a) =>
        a.length === 7 &&
        a.find((x) => x.labels.alertname === 'SwitchboardDbWriteErrors')?.status.state === 'suppressed',
    );
    const by = (name: string) => alerts.find((a) => a.labels.alertname === name)!;
    expect(by('SwitchboardExporterDown').status.state).toBe('active');
    expect(by('SwitchboardDbWriteErrors').status.state).toBe('suppressed');
    expect(by('SwitchboardDiskNearlyFull').status.state).toBe('active');
  });
});
