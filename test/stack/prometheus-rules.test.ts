import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { contractHistograms, contractMetrics, knownMetric, metricNames, path, read, readYaml, run } from './helpers';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: Array<{ name: string; rules: Rule[] }>;
}
interface UnitTests {
  rule_files: string[];
  tests: Array<{
    name: string;
    alert_rule_test?: Array<{ eval_time: string; alertname: string; exp_alerts?: unknown[] }>;
  }>;
}

const RULES_DIR = path('provisioning', 'prometheus', 'rules');
const TESTS_DIR = path('provisioning', 'prometheus', 'tests');
const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.rules.yml'));
const testFiles = readdirSync(TESTS_DIR).filter((f) => f.endsWith('.test.yml'));
const alerts: Rule[] = ruleFiles.flatMap((f) =>
  readYaml<RuleFile>('provisioning', 'prometheus', 'rules', f).groups.flatMap((g) => g.rules.filter((r) => r.alert)),
);
const unitTests = testFiles.map((f) => readYaml<UnitTests>('provisioning', 'prometheus', 'tests', f));

/** The alert set, one entry per concern. */
const REQUIRED = [
  'SwitchboardExporterDown', // exporter down
  'PbxSourceDown', // PBX source down
  'PbxTrunkUnregistered', // trunk unregistered
  'PbxQueueNoAgents', // queue without logged-in agents during business hours
  'PbxQueueLongestWaitHigh', // longest wait above threshold
  'PbxQueueServiceLevelLow', // service level below target
  'PbxQueueAbandonRateHigh', // abandon rate high
  'PbxMissedCallBurst', // missed-call burst
  'PbxManyExtensionsUnregistered', // many extensions unregistered at once
  'SwitchboardIngestLagHigh', // ingest lag
  'SwitchboardEventsRejected', // rejected events
  'SwitchboardDbWriteErrors', // DB write errors
  'SwitchboardDiskNearlyFull', // disk nearly full
  'PbxRestarted', // PBX restarted
];

describe('Prometheus configuration and alert rules (promtool)', () => {
  it('promtool check config accepts prometheus.yml and finds every rule file', () => {
    const r = run('promtool', ['check', 'config', path('provisioning', 'prometheus', 'prometheus.yml')]);
    expect(r.stderr + r.stdout).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
    expect(r.status).toBe(0);
  });

  it('promtool check rules accepts every rule file', () => {
    const r = run('promtool', ['check', 'rules', ...ruleFiles.map((f) => join(RULES_DIR, f))]);
    expect(r.stdout + r.stderr).not.toMatch(/FAILED|error/i);
    expect(r.status).toBe(0);
  });

  it('promtool test rules passes every unit test file', () => {
    const r = run('promtool', ['test', 'rules', ...testFiles], { cwd: TESTS_DIR });
    expect(r.stdout + r.stderr).not.toContain('FAILED');
    expect(r.status).toBe(0);
    expect((r.stdout.match(/SUCCESS/g) ?? []).length).toBe(testFiles.length);
  });

  it('the unit tests can fail: a wrong expectation makes promtool exit non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-promtool-'));
    try {
      writeFileSync(
        join(dir, 'wrong.test.yml'),
        stringify({
          rule_files: [join(RULES_DIR, 'pbx.rules.yml')],
          evaluation_interval: '1m',
          tests: [
            {
              interval: '1m',
              input_series: [{ series: 'pbx_up{pbx="main"}', values: '1x10' }],
              alert_rule_test: [
                {
                  eval_time: '5m',
                  alertname: 'PbxSourceDown',
                  exp_alerts: [{ exp_labels: { pbx: 'main', severity: 'critical' } }],
                },
              ],
            },
          ],
        }),
      );
      const r = run('promtool', ['test', 'rules', 'wrong.test.yml'], { cwd: dir });
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('FAILED');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('covers the whole alert set of the issue', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual(expect.arrayContaining([...REQUIRED].sort()));
    expect(new Set(alerts.map((a) => a.alert)).size).toBe(alerts.length);
  });

  it.each(alerts.map((a) => [a.alert!, a] as const))(
    '%s: severity, summary, description and a runbook that exists',
    (_name, a) => {
      expect(['critical', 'warning', 'info']).toContain(a.labels?.severity);
      expect(a.annotations?.summary).toBeTruthy();
      expect(a.annotations?.description).toBeTruthy();
      const runbook = a.annotations?.runbook_url ?? '';
      expect(runbook).toMatch(/^docs\/stack\.md#[a-z0-9-]+$/);
      const anchor = runbook.split('#')[1];
      // GitHub-style anchors of the docs' headings
      const anchors = [...read('docs', 'stack.md').matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      );
      expect(anchors).toContain(anchor);
    },
  );

  it.each(alerts.map((a) => [a.alert!] as const))('%s: unit tests show it firing and staying quiet', (name) => {
    const cases = unitTests
      .flatMap((t) => t.tests.flatMap((c) => c.alert_rule_test ?? []))
      .filter((c) => c.alertname === name);
    expect(cases.some((c) => (c.exp_alerts ?? []).length > 0)).toBe(true);
    expect(cases.some((c) => (c.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it('every unit test file loads rule files that exist', () => {
    for (const t of unitTests) {
      for (const f of t.rule_files) expect(ruleFiles).toContain(f.replace('../rules/', ''));
    }
  });

  it("rules read only metrics of docs/contracts.md §4 (or Prometheus' own series)", () => {
    const metrics = contractMetrics();
    const histograms = contractHistograms();
    const unknown = alerts.flatMap((a) =>
      metricNames(a.expr)
        .filter((m) => !knownMetric(m, metrics, histograms))
        .map((m) => `${a.alert}: ${m}`),
    );
    expect(unknown).toEqual([]);
  });

  it('the PBX source down alert carries the pbx label the Alertmanager inhibition matches on', () => {
    const down = alerts.find((a) => a.alert === 'PbxSourceDown')!;
    // no aggregation that would drop `pbx`
    expect(down.expr).not.toMatch(/\b(sum|max|min|avg|count)\b(?! by \([^)]*pbx)/);
    const pbxAlerts = alerts.filter((a) => a.alert!.startsWith('Pbx') && a.alert !== 'PbxSourceDown');
    for (const a of pbxAlerts) {
      // aggregations keep `pbx`, so the inhibition's `equal: [pbx]` can match
      for (const m of a.expr.matchAll(/\b(sum|max|min|avg|count)\s+by\s*\(([^)]*)\)/g)) expect(m[2]).toMatch(/\bpbx\b/);
    }
  });
});
