import type { BucketPlan, BucketRun } from './buckets';

/**
 * Runs a bucketed query once per pass of the plan and adds up rows that land in the same bucket and group (a local
 * day cut by a DST change is two passes), with each row's bucket as the instant it starts.
 */
export function collectBuckets<T extends { bucket: number }>(
  plan: BucketPlan,
  query: (run: BucketRun) => T[],
  group: (row: T) => string,
  add: (into: T, row: T) => void,
): T[] {
  const out = new Map<string, T>();
  for (const run of plan.runs) {
    for (const row of query(run)) {
      const bucket = run.instant(row.bucket);
      const id = `${bucket}\u0000${group(row)}`;
      const seen = out.get(id);
      if (seen) add(seen, row);
      else out.set(id, { ...row, bucket });
    }
  }
  return [...out.values()].sort(
    (a, b) => a.bucket - b.bucket || (group(a) < group(b) ? -1 : group(a) > group(b) ? 1 : 0),
  );
}

/** Adds every numeric field of `row` to `into` (sums per bucket and group). */
export function addNumbers<T extends object>(into: T, row: T): void {
  const target = into as Record<string, unknown>;
  for (const [k, v] of Object.entries(row)) {
    if (k !== 'bucket' && typeof v === 'number' && typeof target[k] === 'number') target[k] = (target[k] as number) + v;
  }
}
