import type { ExtensionRow } from './extensions';
import { STATE_ORDER, STATES, type ExtensionState } from './states';
import type { GroupBy, SortBy } from '../types';
import { textWidth } from './text';

export interface WallGroup {
  key: string;
  /** Empty when not grouped. */
  title: string;
  items: ExtensionRow[];
  counts: Partial<Record<ExtensionState, number>>;
}

export interface WallQuery {
  filter?: string;
  states?: string[];
  hideUnregistered?: boolean;
  sortBy: SortBy;
  groupBy: GroupBy;
  prefixLength?: number;
  /** For `attention`: the moment the sort is taken at, and when a call becomes long (s, 0 = never). */
  now?: number;
  longCallSeconds?: number;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function filterExtensions(rows: ExtensionRow[], q: Pick<WallQuery, 'filter' | 'states' | 'hideUnregistered'>) {
  const needle = q.filter?.trim().toLowerCase();
  const states = q.states?.length ? new Set(q.states) : null;
  return rows.filter(
    (r) =>
      (!q.hideUnregistered || r.registered) &&
      (!states || states.has(r.state)) &&
      (!needle ||
        [r.extension, r.name, r.counterpart, r.counterpartName].some((v) => v?.toLowerCase().includes(needle)))
  );
}

const plainNumber = /^[1-9]\d*$/;

/**
 * Numeric order of extension numbers. Plain numbers (the usual case) compare by length, then digit by digit: the
 * same order as the numeric collator at a tenth of its cost, which matters when a 1,000-extension wall is sorted
 * again on every update.
 */
export function compareNumbers(a: string, b: string): number {
  if (plainNumber.test(a) && plainNumber.test(b)) {
    return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  }
  return collator.compare(a, b);
}

function byNumber(a: ExtensionRow, b: ExtensionRow) {
  return compareNumbers(a.extension, b.extension) || collator.compare(a.pbx ?? '', b.pbx ?? '');
}

/** A comparator per sort option; ties fall back to the number, so the order is stable across updates. */
export function comparator(
  sortBy: SortBy,
  at: { now?: number; longCallSeconds?: number } = {}
): (a: ExtensionRow, b: ExtensionRow) => number {
  switch (sortBy) {
    case 'name':
      return (a, b) => collator.compare(a.name ?? a.extension, b.name ?? b.extension) || byNumber(a, b);
    case 'state':
      return (a, b) =>
        STATES[a.state].rank - STATES[b.state].rank ||
        // within a call state, the longest call first
        (a.callStartedAt ?? Infinity) - (b.callStartedAt ?? Infinity) ||
        byNumber(a, b);
    case 'attention': {
      const now = at.now ?? Date.now();
      const longMs = (at.longCallSeconds ?? 0) * 1000;
      return (a, b) =>
        attentionRank(a, now, longMs) - attentionRank(b, now, longMs) ||
        (a.callStartedAt ?? Infinity) - (b.callStartedAt ?? Infinity) ||
        byNumber(a, b);
    }
    case 'idle':
      // Longest idle first: the next call should go to them. Not idle goes last.
      return (a, b) => idleKey(a) - idleKey(b) || byNumber(a, b);
    case 'number':
    default:
      return byNumber;
  }
}

/**
 * What needs eyes first, for a wall that cannot show everything: ringing phones (nobody has answered), callers
 * waiting on hold, calls running long, then the rest in state order. A stale card is judged at the time its data
 * stopped.
 */
export function attentionRank(r: ExtensionRow, now: number, longCallMs: number): number {
  if (r.state === 'ringing') {
    return 0;
  }
  if (r.state === 'on_hold') {
    return 1;
  }
  if (isLongCall(r, now, longCallMs)) {
    return 2;
  }
  return 3 + STATES[r.state].rank;
}

export function isLongCall(r: ExtensionRow, now: number, longCallMs: number): boolean {
  const at = r.stale && r.staleSince !== undefined ? r.staleSince : now;
  return longCallMs > 0 && STATES[r.state].inCall && r.callStartedAt !== undefined && at - r.callStartedAt > longCallMs;
}

/** Changes when a call crosses the long-call threshold: the attention order is taken again only then. */
export function longCallCount(rows: ExtensionRow[], now: number, longCallSeconds: number): number {
  let n = 0;
  for (const r of rows) {
    if (isLongCall(r, now, longCallSeconds * 1000)) {
      n++;
    }
  }
  return n;
}

function idleKey(r: ExtensionRow): number {
  if (r.state !== 'idle') {
    return Number.MAX_SAFE_INTEGER;
  }
  return r.idleSince ?? 0;
}

function groupKeys(r: ExtensionRow, groupBy: GroupBy, prefixLength: number): string[] {
  switch (groupBy) {
    case 'queue':
      return r.queues.length ? r.queues : [''];
    case 'pbx':
      return [r.pbx ?? ''];
    case 'prefix': {
      const n = Math.max(1, Math.min(prefixLength, r.extension.length));
      return [r.extension.slice(0, n) + 'x'.repeat(Math.max(0, r.extension.length - n))];
    }
    default:
      return [''];
  }
}

const GROUP_FALLBACK: Record<GroupBy, string> = { none: '', queue: 'No queue', pbx: 'No PBX', prefix: '' };

export function countStates(rows: ExtensionRow[]): Partial<Record<ExtensionState, number>> {
  const counts: Partial<Record<ExtensionState, number>> = {};
  for (const r of rows) {
    counts[r.state] = (counts[r.state] ?? 0) + 1;
  }
  return counts;
}

/**
 * The wall's view model: filtered, grouped (an extension in two queues shows in both groups), sorted.
 * Groups are ordered by name with the catch-all group last.
 */
export function buildWall(rows: ExtensionRow[], q: WallQuery): WallGroup[] {
  const visible = filterExtensions(rows, q).sort(comparator(q.sortBy, q));
  if (q.groupBy === 'none') {
    return [{ key: '', title: '', items: visible, counts: countStates(visible) }];
  }
  const groups = new Map<string, ExtensionRow[]>();
  for (const r of visible) {
    for (const key of groupKeys(r, q.groupBy, q.prefixLength ?? 2)) {
      const list = groups.get(key);
      if (list) {
        list.push(r);
      } else {
        groups.set(key, [r]);
      }
    }
  }
  return Array.from(groups.entries())
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : collator.compare(a, b)))
    .map(([key, items]) => ({
      key,
      title: key || GROUP_FALLBACK[q.groupBy],
      items,
      counts: countStates(items),
    }));
}

/** States in display order with their counts, for the summary bar. */
export function summary(counts: Partial<Record<ExtensionState, number>>): Array<[ExtensionState, number]> {
  return STATE_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => [s, counts[s] ?? 0]);
}

/**
 * Whether the summary chips fit one line with their words (`full`), or only with icons for the words (`short`).
 * Widths from the chip's geometry at `fontPx` (styles: padding 9, dot 10, gaps 5, between chips 8, all × scale).
 */
export function summaryMode(
  chips: Array<[label: string, count: number]>,
  widthPx: number,
  fontPx: number
): 'full' | 'short' {
  const s = fontPx / 13;
  const chip = (label: string, count: number, full: boolean) =>
    2 +
    18 * s +
    10 * s +
    5 * s * 2 +
    textWidth(String(count), { size: fontPx }) +
    (full ? textWidth(label, { size: fontPx }) : 13 * s);
  const total = (full: boolean) =>
    chips.reduce((w, [label, count]) => w + chip(label, count, full), 0) + Math.max(0, chips.length - 1) * 8 * s;
  return total(true) <= widthPx ? 'full' : 'short';
}
