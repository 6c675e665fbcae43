/** Card geometry at scale 1 (px). Heights per visible row keep `fit` honest when fields are hidden. */
export const CARD_BASE = { width: 190, padding: 10, gap: 8, numberRow: 26, row: 20, badgeRow: 20, groupHeader: 32 };

export const SIZE_SCALE = { small: 0.85, medium: 1, large: 1.35, xlarge: 1.8 } as const;

export function cardHeight(rows: { name: boolean; counterpart: boolean; queues: boolean }): number {
  const b = CARD_BASE;
  return (
    b.padding * 2 +
    b.numberRow +
    b.row /* state */ +
    (rows.name ? b.row : 0) +
    (rows.counterpart ? b.row : 0) +
    (rows.queues ? b.badgeRow : 0)
  );
}

export interface FitInput {
  /** Cards per group (one entry when not grouped). */
  groups: number[];
  width: number;
  height: number;
  cardWidth: number;
  cardHeight: number;
  gap: number;
  groupHeader: number;
  /** Fixed column count, or 0 for as many as fit. */
  columns?: number;
  min?: number;
  max?: number;
}

export interface Fit {
  scale: number;
  columns: number;
}

function columnsAt(scale: number, i: FitInput): number {
  if (i.columns && i.columns > 0) {
    return i.columns;
  }
  return Math.max(1, Math.floor((i.width + i.gap) / (i.cardWidth * scale + i.gap)));
}

function heightAt(scale: number, cols: number, i: FitInput): number {
  const rows = i.groups.reduce((n, g) => n + Math.ceil(g / cols), 0);
  const headers = i.groups.length > 1 || i.groupHeader === 0 ? i.groups.length * i.groupHeader : 0;
  return rows * (i.cardHeight * scale + i.gap) + headers;
}

/**
 * The largest scale at which every card fits the panel (wall displays: readable across a room when there is
 * room, everything visible when there is not). Below `min` the wall scrolls instead of shrinking further.
 */
export function fitCards(i: FitInput): Fit {
  const min = i.min ?? 0.6;
  const max = i.max ?? 3;
  const total = i.groups.reduce((a, b) => a + b, 0);
  if (total === 0 || i.width <= 0 || i.height <= 0) {
    return { scale: 1, columns: columnsAt(1, i) };
  }
  let lo = min;
  let hi = max;
  if (heightAt(lo, columnsAt(lo, i), i) > i.height) {
    return { scale: min, columns: columnsAt(min, i) };
  }
  // Height is not monotonic in scale (columns jump), but the search only needs a good, not the best, scale.
  for (let k = 0; k < 24; k++) {
    const mid = (lo + hi) / 2;
    const cols = columnsAt(mid, i);
    const widthOk = i.columns ? (i.cardWidth * mid + i.gap) * cols - i.gap <= i.width : true;
    if (widthOk && heightAt(mid, cols, i) <= i.height) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const scale = Math.floor(lo * 100) / 100;
  return { scale, columns: columnsAt(scale, i) };
}
