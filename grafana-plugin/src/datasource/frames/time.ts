/** Epoch milliseconds from an ISO string, epoch number or Date; null when absent or unparsable. */
export function toMs(value: unknown): number | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : null;
  }
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t) ? null : t;
  }
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) {
      return Number(value);
    }
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
