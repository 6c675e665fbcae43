/** What the stats and the agent report both read: finished calls started in [from, to), in buckets. */
export interface FinishedRange {
  from: number;
  to: number;
  /** bucket width in ms, over started_at + shiftMs; absent: one bucket, reported as `from` */
  intervalMs?: number;
  /** added to started_at before bucketing, so buckets follow a local clock (the zone's UTC offset); default 0 */
  shiftMs?: number;
  pbx?: string;
}

/**
 * The bucket expression and the WHERE clauses (over `calls c`) of a FinishedRange, with their parameters. Open calls
 * are left out until they end, so a bucket's figures do not change under a call in progress.
 */
export function finishedRange(q: FinishedRange): {
  bucket: string;
  filters: string[];
  params: Record<string, number | string>;
} {
  const params: Record<string, number | string> = { from: q.from, to: q.to };
  let bucket = '@from';
  if (q.intervalMs) {
    bucket = '(c.started_at + @shift) - ((c.started_at + @shift) % @iv)';
    params.iv = q.intervalMs;
    params.shift = q.shiftMs ?? 0;
  }
  const filters = ['c.started_at >= @from', 'c.started_at < @to', 'c.open = 0'];
  if (q.pbx !== undefined) {
    filters.push('c.pbx = @pbx');
    params.pbx = q.pbx;
  }
  return { bucket, filters, params };
}
