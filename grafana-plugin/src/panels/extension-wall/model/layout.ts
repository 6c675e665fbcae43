/**
 * Geometry of the wall at scale 1 (px). Every font in a card or tile is at least 12 px at scale 1, so a scale of
 * `minFontSize / 12` is the smallest at which the wall stays readable; the styles draw from these numbers, so the
 * plan below and the page agree to the pixel.
 */
export const BASE_MIN_FONT = 12;

export const CARD = { width: 190, padding: 10, gap: 8, numberRow: 26, row: 20, badgeRow: 20 };
/** The compact tile: number, state colour and icon, timer. */
export const TILE = { width: 100, height: 54, padding: 7, gap: 6, numberFont: 18, lineFont: 14 };
export const GROUP = { header: 30, gap: 10 };
/** Summary chips and the stale banner; they scale with the cards, up to twice their size. */
export const CHROME = { chipFont: 13, chipPadY: 3, below: 8, bannerFont: 14, bannerPadY: 6, maxScale: 2 };

/** Fixed sizes scroll instead of fitting; the smallest is the smallest readable card. */
export const SIZE_SCALE = { small: 1, medium: 1.2, large: 1.5, xlarge: 2 } as const;

export function cardHeight(rows: { name: boolean; counterpart: boolean; queues: boolean }): number {
  const b = CARD;
  return (
    b.padding * 2 +
    b.numberRow +
    b.row /* state */ +
    (rows.name ? b.row : 0) +
    (rows.counterpart ? b.row : 0) +
    (rows.queues ? b.badgeRow : 0)
  );
}

export const chromeScale = (scale: number) => Math.min(scale, CHROME.maxScale);

/** Height of the summary chips row at a scale (the styles set exactly this). */
export function summaryHeight(scale: number): number {
  const s = chromeScale(scale);
  return Math.ceil(CHROME.chipFont * s * 1.25 + 2 * CHROME.chipPadY * s + 2 + CHROME.below * s);
}

/** The stale banner's box and the space below it, with `lines` lines at a scale (the styles use exactly these). */
export function bannerBox(lines: number, scale: number): { height: number; below: number } {
  const s = chromeScale(scale);
  return { height: lines * CHROME.bannerFont * s * 1.4 + 2 * CHROME.bannerPadY * s + 2, below: CHROME.below * s };
}

export function bannerHeight(lines: number, scale: number): number {
  if (lines === 0) {
    return 0;
  }
  const b = bannerBox(lines, scale);
  return Math.ceil(b.height + b.below);
}

export interface Box {
  width: number;
  height: number;
  gap: number;
}

export interface PlanInput {
  /** Items per group (one entry when not grouped). */
  groups: number[];
  width: number;
  height: number;
  card: Box;
  tile: Box;
  /** Group header height at scale 1; 0 when not grouped. */
  groupHeader: number;
  /** Height of what sits above the grid (summary, banner) at a scale. */
  chrome: (scale: number) => number;
  minScale: number;
  maxScale?: number;
  /** Fixed column count, or 0 for as many as fit. */
  columns?: number;
}

export interface WallPlan {
  kind: 'card' | 'tile';
  scale: number;
  columns: number;
  /** Items shown per group; a group showing fewer than it has ends with a "+N more" cell. */
  shown: number[];
  /** Items not on the wall (the "+N more" cells count them). */
  hidden: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Height the grouped grid takes: per group a header, its rows with gaps between, and a gap after. */
function gridHeight(rowsPerGroup: number[], box: Box, scale: number, header: number): number {
  const grouped = header > 0;
  return sum(
    rowsPerGroup.map(
      (rows) =>
        (grouped ? header * scale + GROUP.gap : 0) + (rows > 0 ? rows * box.height * scale + (rows - 1) * box.gap : 0)
    )
  );
}

const maxColumns = (width: number, box: Box, scale: number) =>
  Math.max(1, Math.floor((width + box.gap) / (box.width * scale + box.gap)));

/**
 * The largest scale in [minScale, maxScale] at which every item fits, with its column count; null when even
 * minScale does not. For each column count the width bounds the scale and the height (growing with the scale)
 * is searched by bisection; the best count wins.
 */
export function fitAll(i: PlanInput, box: Box): { scale: number; columns: number } | null {
  const min = i.minScale;
  const max = i.maxScale ?? 3;
  const candidates = i.columns ? [i.columns] : range(1, maxColumns(i.width, box, min));
  let best: { scale: number; columns: number } | null = null;
  for (const c of candidates) {
    const byWidth = (i.width - (c - 1) * box.gap) / (c * box.width);
    const hi0 = Math.min(max, byWidth);
    if (hi0 < min) {
      continue;
    }
    const rows = i.groups.map((n) => Math.ceil(n / c));
    const ok = (s: number) => gridHeight(rows, box, s, i.groupHeader) + i.chrome(s) <= i.height;
    if (!ok(min)) {
      continue;
    }
    const scale = largest(min, hi0, ok);
    if (!best || scale > best.scale) {
      best = { scale, columns: c };
    }
  }
  return best;
}

/**
 * The largest scale in [lo, hi] that `ok` accepts (to a thousandth), given that it accepts lo, or lo: what fits
 * only shrinks as the scale grows, so bisection finds the edge.
 */
function largest(min: number, hi: number, ok: (scale: number) => boolean): number {
  if (ok(hi)) {
    return hi;
  }
  let lo = min;
  for (let k = 0; k < 20; k++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  // rounded down, but never below the smallest readable scale
  return Math.max(min, Math.floor(lo * 1000) / 1000);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
}

/**
 * Rows for each group when not all fit: every group gets a row while rows last, then the rows go one at a time to
 * the group missing the most. Groups left without a row are hidden (counted by the last shown group's "+N more").
 */
export function shareRows(need: number[], budget: number): number[] {
  const rows = need.map(() => 0);
  let left = budget;
  for (let g = 0; g < need.length && left > 0; g++) {
    if (need[g] > 0) {
      rows[g] = 1;
      left--;
    }
  }
  while (left > 0) {
    let pick = -1;
    for (let g = 0; g < need.length; g++) {
      if (rows[g] > 0 && rows[g] < need[g] && (pick < 0 || need[g] - rows[g] > need[pick] - rows[pick])) {
        pick = g;
      }
    }
    if (pick < 0) {
      break;
    }
    rows[pick]++;
    left--;
  }
  return rows;
}

/**
 * How the wall fits its panel: full cards at the largest readable scale; if they cannot all fit at the smallest
 * readable scale, compact tiles; if even those overflow, tiles at the smallest readable scale with as many as fit,
 * each truncated group ending with a "+N more" cell. Nothing is ever below the fold.
 */
export function planWall(i: PlanInput): WallPlan {
  const total = sum(i.groups);
  const all = (kind: WallPlan['kind'], fit: { scale: number; columns: number }): WallPlan => ({
    kind,
    ...fit,
    shown: [...i.groups],
    hidden: 0,
  });
  if (total === 0 || i.width <= 0 || i.height <= 0) {
    return all('card', { scale: i.minScale, columns: i.columns || 1 });
  }
  const cards = fitAll(i, i.card);
  if (cards) {
    return all('card', cards);
  }
  const tiles = fitAll({ ...i, maxScale: Math.min(i.maxScale ?? 3, 2) }, i.tile);
  if (tiles) {
    return all('tile', tiles);
  }
  const box = i.tile;
  const scale = i.minScale;
  const columns = i.columns || maxColumns(i.width, box, scale);
  const need = i.groups.map((n) => Math.ceil(n / columns));
  const room = i.height - i.chrome(scale);
  const rowsFor = (groups: number) => {
    // per shown group a header and a gap; per row its height and a gap (the last row of a group has none)
    const perGroup = (i.groupHeader > 0 ? i.groupHeader * scale + GROUP.gap : 0) - box.gap;
    return Math.floor((room - groups * perGroup) / (box.height * scale + box.gap));
  };
  let groups = i.groups.length;
  while (groups > 1 && rowsFor(groups) < groups) {
    groups--;
  }
  const budget = Math.max(1, rowsFor(groups));
  const rows = shareRows(need.slice(0, groups), budget);
  const shown = i.groups.map((n, g) => {
    const cells = (rows[g] ?? 0) * columns;
    return cells >= n ? n : Math.max(0, cells - 1);
  });
  // the last group on the wall also speaks for the groups that did not make it
  const lastShown = rows.reduce((last, r, g) => (r > 0 ? g : last), 0);
  if (lastShown < i.groups.length - 1 && shown[lastShown] === i.groups[lastShown]) {
    shown[lastShown] = Math.max(0, shown[lastShown] - 1);
  }
  return { kind: 'tile', scale, columns, shown, hidden: total - sum(shown) };
}

export interface CallBoardInput {
  calls: number;
  width: number;
  height: number;
  chrome: (scale: number) => number;
  minScale: number;
  maxScale?: number;
}

/** Call board geometry at scale 1 (px): row and header heights, and the narrowest each column may be. */
export const BOARD = {
  row: 40,
  head: 28,
  more: 32,
  font: 16,
  gap: 8,
  columns: { dir: 28, caller: 150, called: 150, queue: 90, status: 110, duration: 110 },
};

export interface CallBoardPlan {
  scale: number;
  /** Calls shown; the rest are counted by a "+N more" line. */
  shown: number;
  hidden: number;
  /** The queue column is dropped first when the board is narrow. */
  queueColumn: boolean;
}

function boardWidth(queue: boolean): number {
  const c = BOARD.columns;
  const cols = [c.dir, c.caller, c.called, ...(queue ? [c.queue] : []), c.status, c.duration];
  return sum(cols) + (cols.length + 1) * BOARD.gap;
}

/**
 * The call board fits by width and by height: as large as both allow (names get their room before the text grows),
 * never below the readable minimum; calls that do not fit at that size are counted on a "+N more" line.
 */
export function planCallBoard(i: CallBoardInput): CallBoardPlan {
  const max = i.maxScale ?? 2.2;
  const queueColumn = i.width >= boardWidth(true) * i.minScale;
  const byWidth = i.width / boardWidth(queueColumn);
  const rowsHeight = (n: number, s: number, more: boolean) =>
    BOARD.head * s + n * BOARD.row * s + (more ? BOARD.more * s : 0) + i.chrome(s);
  const fitsAll = (s: number) => rowsHeight(i.calls, s, false) <= i.height;
  const scale = largest(i.minScale, Math.max(i.minScale, Math.min(max, byWidth)), fitsAll);
  if (fitsAll(scale)) {
    return { scale, shown: i.calls, hidden: 0, queueColumn };
  }
  const room = i.height - i.chrome(scale) - BOARD.head * scale - BOARD.more * scale;
  const shown = Math.max(0, Math.min(i.calls, Math.floor(room / (BOARD.row * scale))));
  return { scale, shown, hidden: i.calls - shown, queueColumn };
}
