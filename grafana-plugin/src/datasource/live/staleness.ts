import type { ApiStaleness } from '../api/types';
import { toMs } from '../frames/time';
import type { LiveState } from './liveState';

/**
 * A source as the live frames describe it (`meta.custom.sources`): what the wall needs to say that a PBX is down
 * and since when, or that it only has history.
 */
export interface FrameSource {
  pbx: string;
  connected: boolean;
  /** False for a history-only source (3CX CDR). */
  live: boolean;
  /** When `connected` last changed (epoch ms), when known. */
  since: number | null;
  reason: string | null;
}

/**
 * The sources of the live state. `since` is the exporter's own (issue #11) when it sends one; else the moment this
 * browser saw the flag flip; else, for a source met already down, its last event: the state shown is that old.
 */
export function frameSources(state: LiveState, pbx: string[] = []): FrameSource[] {
  const out: FrameSource[] = [];
  state.sources.forEach((s) => {
    if (pbx.length > 0 && !pbx.includes(s.pbx)) {
      return;
    }
    const since = toMs(s.since) ?? state.sourceChangedAt.get(s.pbx) ?? (s.connected ? null : toMs(s.lastEventAt));
    out.push({
      pbx: s.pbx,
      connected: s.connected,
      live: s.live !== false,
      since,
      reason: s.reason ?? null,
    });
  });
  return out.sort((a, b) => a.pbx.localeCompare(b.pbx));
}

type Stamped = ApiStaleness & { pbx: string };

/**
 * Each item with `stale` / `staleSince` filled in. The exporter's own values win; else an item is stale while its
 * source is disconnected, or while the exporter itself is unreachable (`unreachableSince`), since whichever came
 * first.
 */
export function withStaleness<T extends Stamped>(
  items: T[],
  sources: readonly FrameSource[],
  unreachableSince?: number
): T[] {
  const down = new Map(sources.filter((s) => !s.connected).map((s) => [s.pbx, s]));
  return items.map((item) => {
    const own = item.stale !== undefined;
    const source = down.get(item.pbx);
    let stale = own ? Boolean(item.stale) : source !== undefined;
    let since = own ? toMs(item.staleSince) : (source?.since ?? null);
    if (unreachableSince !== undefined) {
      since = stale && since !== null ? Math.min(since, unreachableSince) : unreachableSince;
      stale = true;
    }
    return { ...item, stale, staleSince: stale ? since : null };
  });
}
