import {
  bannerHeight,
  BOARD,
  CARD,
  GROUP,
  planCallBoard,
  planWall,
  shareRows,
  summaryHeight,
  TILE,
  type PlanInput,
} from './layout';

const card = { width: CARD.width, height: 126, gap: CARD.gap };
const tile = { width: TILE.width, height: TILE.height, gap: TILE.gap };
const wall = (patch: Partial<PlanInput>): PlanInput => ({
  groups: [8],
  width: 1900,
  height: 1000,
  card,
  tile,
  groupHeader: 0,
  chrome: (s) => summaryHeight(s),
  minScale: 1,
  ...patch,
});

/** What the plan puts on screen must fit the panel: the same arithmetic as the styles. */
function used(i: PlanInput, plan: ReturnType<typeof planWall>) {
  const box = plan.kind === 'tile' ? i.tile : i.card;
  // groups after the last one shown are not drawn at all
  const rows = plan.shown
    .map((n, g) => {
      const cells = n + (n < i.groups[g] ? 1 : 0);
      return n > 0 || g === 0 ? Math.ceil(cells / plan.columns) : -1;
    })
    .filter((r) => r >= 0);
  const grid = rows.reduce(
    (h, r) =>
      h +
      (i.groupHeader ? i.groupHeader * plan.scale + GROUP.gap : 0) +
      (r > 0 ? r * box.height * plan.scale + (r - 1) * box.gap : 0),
    0
  );
  return {
    height: grid + i.chrome(plan.scale),
    width: plan.columns * box.width * plan.scale + (plan.columns - 1) * box.gap,
  };
}

describe('planWall', () => {
  it('a few extensions: full cards, grown to fill the panel, all inside it', () => {
    const i = wall({ groups: [8] });
    const plan = planWall(i);
    expect(plan).toMatchObject({ kind: 'card', hidden: 0, shown: [8] });
    expect(plan.scale).toBeGreaterThan(2);
    expect(used(i, plan).height).toBeLessThanOrEqual(i.height);
    expect(used(i, plan).width).toBeLessThanOrEqual(i.width);
  });

  it('240 extensions on a 1920×1080 wall: compact tiles, every one shown, text at least 12 px', () => {
    const i = wall({ groups: [240] });
    const plan = planWall(i);
    expect(plan).toMatchObject({ kind: 'tile', hidden: 0 });
    expect(plan.scale).toBeGreaterThanOrEqual(1);
    expect(used(i, plan).height).toBeLessThanOrEqual(i.height);
  });

  it('1,000 extensions: the tiles that fit at the smallest readable size, the rest counted', () => {
    const i = wall({ groups: [1000] });
    const plan = planWall(i);
    expect(plan.kind).toBe('tile');
    expect(plan.scale).toBe(1);
    expect(plan.hidden).toBe(1000 - plan.shown[0]);
    expect(plan.hidden).toBeGreaterThan(0);
    // the grid is full: every cell shows a tile but the last, which says "+N more"
    const rows = Math.floor((i.height - i.chrome(1) + tile.gap) / (tile.height + tile.gap));
    expect(plan.shown[0]).toBe(rows * plan.columns - 1);
    expect(used(i, plan).height).toBeLessThanOrEqual(i.height);
  });

  it('a larger smallest text means fewer, larger tiles', () => {
    const small = planWall(wall({ groups: [1000] }));
    const large = planWall(wall({ groups: [1000], minScale: 2 }));
    expect(large.scale).toBe(2);
    expect(large.shown[0]).toBeLessThan(small.shown[0] / 3);
  });

  it('groups: every group keeps a row while rows last, the rest go where most is missing', () => {
    const i = wall({ groups: [900, 50, 5], groupHeader: GROUP.header, height: 700 });
    const plan = planWall(i);
    expect(plan.kind).toBe('tile');
    expect(plan.shown.every((n) => n > 0)).toBe(true);
    expect(plan.shown[0]).toBeGreaterThan(plan.shown[1]);
    expect(plan.shown[2]).toBe(5);
    expect(plan.hidden).toBe(955 - plan.shown.reduce((a, b) => a + b));
    expect(used(i, plan).height).toBeLessThanOrEqual(i.height);
  });

  it('too many groups for a row each: the last shown group counts the groups left out', () => {
    const i = wall({ groups: Array(40).fill(3), groupHeader: GROUP.header, height: 450, width: 800 });
    const plan = planWall(i);
    const visible = plan.shown.filter((n) => n > 0).length;
    expect(visible).toBeLessThan(40);
    expect(plan.shown[visible - 1]).toBeLessThan(3);
    expect(plan.hidden).toBe(120 - plan.shown.reduce((a, b) => a + b));
    expect(used(i, plan).height).toBeLessThanOrEqual(i.height);
  });

  it('honours fixed columns', () => {
    const plan = planWall(wall({ groups: [12], columns: 4 }));
    expect(plan.columns).toBe(4);
    expect(plan.kind).toBe('card');
  });

  it('the chrome above the grid (summary, banner) takes its height at the chosen scale', () => {
    const bare = planWall(wall({ groups: [30], chrome: () => 0 }));
    const banner = planWall(wall({ groups: [30], chrome: (s) => summaryHeight(s) + bannerHeight(3, s) }));
    expect(banner.scale).toBeLessThan(bare.scale);
    expect(bannerHeight(0, 2)).toBe(0);
    expect(bannerHeight(2, 1)).toBeGreaterThan(bannerHeight(1, 1));
  });
});

describe('shareRows', () => {
  it('one row each first, then to the group missing the most', () => {
    expect(shareRows([10, 2, 1], 6)).toEqual([4, 1, 1]);
    expect(shareRows([10, 2, 1], 2)).toEqual([1, 1, 0]);
    expect(shareRows([1, 1], 5)).toEqual([1, 1]);
  });
});

describe('planCallBoard', () => {
  const board = (calls: number, width: number, height: number) =>
    planCallBoard({ calls, width, height, chrome: (s) => summaryHeight(s), minScale: 1 });

  it('few calls on a wide panel: large, but no larger than the width allows', () => {
    const plan = board(3, 1900, 1000);
    expect(plan).toMatchObject({ shown: 3, hidden: 0, queueColumn: true });
    expect(plan.scale).toBeGreaterThan(2);
    const narrow = board(3, 800, 1000);
    expect(narrow.scale).toBeLessThan(1.3);
    expect(narrow.scale).toBeGreaterThanOrEqual(1);
  });

  it('many calls: rows never below the minimum height; the rest on a "+N more" line', () => {
    const plan = board(60, 800, 400);
    expect(plan.scale).toBe(1);
    expect(plan.shown + plan.hidden).toBe(60);
    expect(plan.hidden).toBeGreaterThan(0);
    expect(summaryHeight(1) + (BOARD.head + plan.shown * BOARD.row + BOARD.more)).toBeLessThanOrEqual(400);
  });

  it('a narrow board drops the queue column first', () => {
    expect(board(3, 600, 400).queueColumn).toBe(false);
  });
});
