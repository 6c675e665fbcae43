/** Values meaning "no filter": empty, a custom all value `*`, or an un-interpolated All. */
const ALL = new Set(['', '*', 'all', '$__all', '__all']);

/**
 * The values of one interpolated filter field. Multi-value variables are interpolated as CSV (or `{a,b}` by a
 * user's own format), so both separate values here.
 */
export function splitValues(value: string | undefined | null): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  const trimmed = value.trim().replace(/^\{(.*)\}$/, '$1');
  const parts = trimmed
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (parts.some((p) => ALL.has(p.toLowerCase()))) {
    return [];
  }
  return Array.from(new Set(parts));
}

/** Every combination of the multi-valued filters: one API request each (the API takes one value per filter). */
export function combinations(filters: Record<string, string[]>): Array<Record<string, string>> {
  let result: Array<Record<string, string>> = [{}];
  for (const [name, values] of Object.entries(filters)) {
    if (values.length === 0) {
      continue;
    }
    result = result.flatMap((combo) => values.map((v) => ({ ...combo, [name]: v })));
  }
  return result;
}
