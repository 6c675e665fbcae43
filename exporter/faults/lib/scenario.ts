/** One line of the fault table: what was checked, over how many trials, what was found, and whether it held. */
export interface Row {
  scenario: string;
  checked: string;
  count: number | string;
  found: string;
  pass: boolean;
}

export interface ScenarioContext {
  /** the long run's counts (`--full`) instead of the CI-sized ones */
  full: boolean;
  /** a throwaway directory of this scenario's own */
  dir: string;
  /** progress for the person watching (stderr); the table is the result */
  log(message: string): void;
}

export interface Scenario {
  name: string;
  /** one line: what the scenario does */
  title: string;
  run(ctx: ScenarioContext): Promise<Row[]>;
}

/** A row from a check: `found` says what was seen, `pass` whether it is what must hold. */
export const row = (scenario: string, checked: string, count: number | string, found: string, pass: boolean): Row => ({ scenario, checked, count, found, pass });

export function table(rows: Row[]): string {
  const head = ['scenario', 'checked', 'count', 'found', 'result'];
  const cells = rows.map((r) => [r.scenario, r.checked, String(r.count), r.found, r.pass ? 'pass' : 'FAIL']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
