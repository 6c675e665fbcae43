import type { DataFrame } from '@grafana/data';

/**
 * Staleness as the frames tell it. A frame's own `stale` / `staleSince` fields (the exporter's, or filled in by the
 * Switchboard data source) say it per row; the Switchboard data source also describes its sources in
 * `meta.custom.sources` and an unreachable exporter in `meta.custom.unreachableSince`. Other data sources' warning
 * notices are passed on as they are.
 */
export interface SourceStatus {
  pbx: string;
  connected: boolean;
  live: boolean;
  since?: number;
  reason?: string;
}

export interface FrameStatus {
  sources: SourceStatus[];
  /** Since when the exporter itself is unreachable. */
  unreachableSince?: number;
  /** Whether the frame says anything about sources (then its notices say nothing new). */
  described: boolean;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function frameStatus(frame: DataFrame): FrameStatus {
  const custom = frame.meta?.custom as { sources?: unknown; unreachableSince?: unknown } | undefined;
  const raw = Array.isArray(custom?.sources) ? (custom.sources as Array<Record<string, unknown>>) : undefined;
  const sources = (raw ?? [])
    .filter((s) => s && typeof s.pbx === 'string')
    .map((s) => ({
      pbx: String(s.pbx),
      connected: s.connected !== false,
      live: s.live !== false,
      since: num(s.since),
      reason: typeof s.reason === 'string' && s.reason ? s.reason : undefined,
    }));
  return { sources, unreachableSince: num(custom?.unreachableSince), described: raw !== undefined };
}

/** For rows of a frame without `stale` fields: stale when the frame says their PBX (or the exporter) is down. */
export function staleFromStatus(status: FrameStatus, pbx: string | undefined): { stale: boolean; since?: number } {
  const source = status.sources.find((s) => s.pbx === pbx && !s.connected);
  if (status.unreachableSince !== undefined) {
    const since =
      source?.since !== undefined ? Math.min(source.since, status.unreachableSince) : status.unreachableSince;
    return { stale: true, since };
  }
  return source ? { stale: true, since: source.since } : { stale: false };
}

export type StaleNoticeKind = 'exporter' | 'pbx' | 'history' | 'notice';

/** One line of the wall's banner. */
export interface StaleNotice {
  key: string;
  kind: StaleNoticeKind;
  pbx?: string;
  since?: number;
  reason?: string;
  /** Other data sources' notices, verbatim. */
  text?: string;
}

interface StaleRow {
  pbx?: string;
  stale: boolean;
  staleSince?: number;
}

/**
 * The banner's lines, most serious first: the exporter unreachable, each PBX down (from the sources, or from stale
 * rows when the frames only carry the fields) with the earliest moment known, PBXs that only keep history, then
 * other data sources' warnings.
 */
export function staleNotices(frames: DataFrame[], rows: StaleRow[]): StaleNotice[] {
  const out: StaleNotice[] = [];
  let unreachable: number | undefined;
  const down = new Map<string, StaleNotice>();
  const history = new Set<string>();
  const texts = new Set<string>();
  const earliest = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  for (const frame of frames) {
    const status = frameStatus(frame);
    if (status.unreachableSince !== undefined) {
      unreachable = earliest(unreachable, status.unreachableSince);
    }
    for (const s of status.sources) {
      if (!s.connected) {
        const prev = down.get(s.pbx);
        down.set(s.pbx, {
          key: `pbx:${s.pbx}`,
          kind: 'pbx',
          pbx: s.pbx,
          since: earliest(prev?.since, s.since),
          reason: prev?.reason ?? s.reason,
        });
      } else if (!s.live) {
        history.add(s.pbx);
      }
    }
    if (!status.described) {
      for (const n of frame.meta?.notices ?? []) {
        if (n.severity === 'warning' || n.severity === 'error') {
          texts.add(n.text);
        }
      }
    }
  }
  for (const r of rows) {
    const pbx = r.pbx ?? '';
    if (r.stale && unreachable === undefined) {
      const prev = down.get(pbx);
      down.set(pbx, {
        key: `pbx:${pbx}`,
        kind: 'pbx',
        pbx: r.pbx,
        since: earliest(prev?.since, r.staleSince),
        reason: prev?.reason,
      });
    }
  }
  if (unreachable !== undefined) {
    out.push({ key: 'exporter', kind: 'exporter', since: unreachable });
  }
  out.push(...Array.from(down.values()).sort((a, b) => (a.pbx ?? '').localeCompare(b.pbx ?? '')));
  history.forEach((pbx) => out.push({ key: `history:${pbx}`, kind: 'history', pbx }));
  texts.forEach((text) => out.push({ key: `notice:${text}`, kind: 'notice', text }));
  return out;
}
