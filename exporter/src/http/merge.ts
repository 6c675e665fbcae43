import type { BucketPlan, BucketRun } from './buckets';

/**
 * Runs a bucketed query once per pass of the plan and adds up rows that land in the same bucket and group (a local
 * day cut by a DST change is two passes), with each row's bucket as the instant it starts. The group kept for the
 * sort is the first row's, so `group` must not read `bucket` or anything `add` changes.
 */
export function collectBuckets<T extends { bucket: number }>(
  plan: BucketPlan,
  query: (run: BucketRun) => T[],
  group: (row: T) => string,
  add: (into: T, row: T) => void,
): T[] {
  const out = new Map<string, { row: T; key: string }>();
  for (const run of plan.runs) {
    for (const row of query(run)) {
      const bucket = run.instant(row.bucket);
      const key = group(row);
      const id = `${bucket}\u0000${key}`;
      const seen = out.get(id);
      if (seen) add(seen.row, row);
      else out.set(id, { row: { ...row, bucket }, key });
    }
  }
  return [...out.values()]
    .sort((a, b) => a.row.bucket - b.row.bucket || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((e) => e.row);
}

/** Adds every numeric field of `row` to `into` (sums per bucket and group). */
export function addNumbers<T extends object>(into: T, row: T): void {
  const target = into as Record<string, unknown>;
  for (const [k, v] of Object.entries(row)) {
    if (k !== 'bucket' && typeof v === 'number' && typeof target[k] === 'number') target[k] = (target[k] as number) + v;
  }
}
