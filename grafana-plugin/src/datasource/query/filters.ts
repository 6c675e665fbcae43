import type { ApiCall, ApiExtension, ApiParkedCall, ApiQueue, ApiTrunk } from '../api/types';
import { toMs } from '../frames/time';
import type { PbxQuery } from '../types';
import { splitValues } from './values';

/** Live collections are filtered here, in the browser, with the same fields the history API filters on. */

const numeric = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

function textMatch(needle: string | undefined, ...haystack: Array<string | null | undefined>): boolean {
  const q = needle?.trim().toLowerCase();
  if (!q) {
    return true;
  }
  return haystack.some((h) => h?.toLowerCase().includes(q));
}

function inSet(values: string[], value: string | null | undefined): boolean {
  return values.length === 0 || (value !== null && value !== undefined && values.includes(value));
}

export function filterExtensions(items: Iterable<ApiExtension>, q: PbxQuery): ApiExtension[] {
  const pbx = splitValues(q.pbx);
  const ext = splitValues(q.extension);
  const queue = splitValues(q.queue);
  const state = splitValues(q.state);
  return Array.from(items)
    .filter(
      (e) =>
        inSet(pbx, e.pbx) &&
        inSet(ext, e.extension) &&
        inSet(state, e.state) &&
        (queue.length === 0 || (e.queues ?? []).some((m) => queue.includes(m.queue))) &&
        textMatch(q.text, e.extension, e.name, e.counterpart?.number, e.counterpart?.name, e.counterpartContact?.name)
    )
    .sort((a, b) => numeric(a.pbx, b.pbx) || numeric(a.extension, b.extension));
}

export function filterQueues(items: Iterable<ApiQueue>, q: PbxQuery): ApiQueue[] {
  const pbx = splitValues(q.pbx);
  const queue = splitValues(q.queue);
  return Array.from(items)
    .filter((x) => inSet(pbx, x.pbx) && inSet(queue, x.queue) && textMatch(q.text, x.queue))
    .sort((a, b) => numeric(a.pbx, b.pbx) || numeric(a.queue, b.queue));
}

export function filterTrunks(items: Iterable<ApiTrunk>, q: PbxQuery): ApiTrunk[] {
  const pbx = splitValues(q.pbx);
  return Array.from(items)
    .filter((t) => inSet(pbx, t.pbx) && textMatch(q.text, t.trunk, t.status))
    .sort((a, b) => numeric(a.pbx, b.pbx) || numeric(a.trunk, b.trunk));
}

/** Parked calls, longest parked first: the one most likely forgotten leads. */
export function filterParked(items: Iterable<ApiParkedCall>, q: PbxQuery): ApiParkedCall[] {
  const pbx = splitValues(q.pbx);
  return Array.from(items)
    .filter((p) => inSet(pbx, p.pbx))
    .sort((a, b) => (toMs(a.parkedAt) ?? 0) - (toMs(b.parkedAt) ?? 0) || numeric(a.slot, b.slot));
}

/** Active calls, oldest first: the longest-running call leads the board. */
export function filterActiveCalls(items: Iterable<ApiCall>, q: PbxQuery): ApiCall[] {
  const pbx = splitValues(q.pbx);
  const ext = splitValues(q.extension);
  const queue = splitValues(q.queue);
  const direction = splitValues(q.direction);
  const status = splitValues(q.status);
  return Array.from(items)
    .filter(
      (c) =>
        inSet(pbx, c.pbx) &&
        inSet(queue, c.queue) &&
        inSet(direction, c.direction) &&
        inSet(status, c.status) &&
        (ext.length === 0 || [c.from?.number, c.to?.number, c.answeredBy?.number].some((n) => n && ext.includes(n))) &&
        textMatch(q.text, c.from?.number, c.from?.name, c.to?.number, c.to?.name, c.answeredBy?.name, c.queue)
    )
    .sort((a, b) => (toMs(a.startedAt) ?? 0) - (toMs(b.startedAt) ?? 0));
}
