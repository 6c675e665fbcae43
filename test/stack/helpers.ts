import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const path = (...p: string[]): string => join(ROOT, ...p);
export const read = (...p: string[]): string => readFileSync(path(...p), 'utf8');
export const readYaml = <T = Record<string, unknown>>(...p: string[]): T => parse(read(...p)) as T;

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool that .ci/run installs; a missing tool is a failure naming the Debian package, never a skip. */
export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): Run {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, input: opts.input, encoding: 'utf8', timeout: 120_000 });
  if (r.error) {
    const pkg = cmd === 'amtool' || cmd === 'prometheus-alertmanager' ? 'prometheus-alertmanager' : 'prometheus';
    throw new Error(`${cmd} could not run (${r.error.message}): apt-get install ${pkg}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Metric names from docs/contracts.md §4 (the table's first column). */
export function contractMetrics(): Set<string> {
  const text = read('docs', 'contracts.md');
  const section = text.slice(text.indexOf('## 4. Metrics'), text.indexOf('## 5.'));
  const names = [...section.matchAll(/^\| `([a-z_:]+)`/gm)].map((m) => m[1]);
  if (names.length < 20) throw new Error(`docs/contracts.md §4 lists only ${names.length} metrics: parse failed`);
  return new Set(names);
}

/** Histogram metric names from §4, whose `_bucket`, `_sum` and `_count` series are valid too. */
export function contractHistograms(): Set<string> {
  const text = read('docs', 'contracts.md');
  return new Set([...text.matchAll(/^\| `([a-z_:]+)`[^|]*\| histogram/gm)].map((m) => m[1]));
}

/** Series the exporter does not own but the rules and dashboards read. */
export const FOREIGN_SERIES = new Set([
  'up',
  'ALERTS',
  'scrape_duration_seconds',
  'process_resident_memory_bytes',
  'nodejs_heap_size_used_bytes',
]);

/** Every `pbx_*` / `switchboard_*` / foreign metric name in a PromQL expression. */
export function metricNames(expr: string): string[] {
  // drop label matchers and strings first, so label values are not taken for metric names
  const bare = expr.replace(/\{[^}]*\}/g, '{}').replace(/"[^"]*"/g, '""');
  const names = [
    ...bare.matchAll(
      /\b((?:pbx|switchboard)_[a-z_]+|up|ALERTS|scrape_duration_seconds|process_[a-z_]+|nodejs_[a-z_]+)\b/g,
    ),
  ].map((m) => m[1]);
  return [...new Set(names)];
}

/** Whether a metric name is one the exporter exports (or a series Prometheus adds, listed above). */
export function knownMetric(name: string, metrics = contractMetrics(), histograms = contractHistograms()): boolean {
  if (metrics.has(name) || FOREIGN_SERIES.has(name)) return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && histograms.has(base);
}

export const exists = (...p: string[]): boolean => existsSync(path(...p));
