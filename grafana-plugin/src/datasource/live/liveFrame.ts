import { dateTimeFormat, type DataFrame, type QueryResultMetaNotice } from '@grafana/data';
import { callsFrame } from '../frames/calls';
import { extensionsFrame } from '../frames/extensions';
import { parkedCallsFrame } from '../frames/parked';
import { queuesFrame } from '../frames/queues';
import { trunksFrame } from '../frames/trunks';
import { filterActiveCalls, filterExtensions, filterParked, filterQueues, filterTrunks } from '../query/filters';
import type { PbxQuery } from '../types';
import type { Collection, LiveState } from './liveState';
import { withStaleness, type FrameSource } from './staleness';

/** One collection of the live state as the query's frame: filtered, each row stamped with its PBX's staleness. */
export function liveFrame(
  state: LiveState,
  query: PbxQuery,
  collection: Collection,
  sources: FrameSource[],
  unreachableSince?: number
): DataFrame {
  const stamp = <T extends { pbx: string }>(items: T[]) => withStaleness(items, sources, unreachableSince);
  switch (collection) {
    case 'extensions':
      return extensionsFrame(stamp(filterExtensions(state.extensions.values(), query)), query.refId);
    case 'queues':
      return queuesFrame(stamp(filterQueues(state.queues.values(), query)), query.refId);
    case 'trunks':
      return trunksFrame(stamp(filterTrunks(state.trunks.values(), query)), query.refId);
    case 'calls':
      return callsFrame(stamp(filterActiveCalls(state.calls.values(), query)), {
        refId: query.refId,
        active: true,
      });
    case 'parked':
      return parkedCallsFrame(stamp(filterParked(state.parked.values(), query)), query.refId);
  }
}

/**
 * A live wall must not look healthy while its PBX is disconnected: the state it shows is then frozen. Grafana
 * shows these notices in the panel header; the wall panel also reads `meta.custom.sources` for its banner.
 */
export function sourceNotices(sources: FrameSource[]): QueryResultMetaNotice[] {
  const notices: QueryResultMetaNotice[] = [];
  for (const s of sources) {
    if (!s.connected) {
      const since = s.since === null ? '' : ` since ${dateTimeFormat(s.since, { format: 'HH:mm:ss' })}`;
      notices.push({
        severity: 'warning',
        text: `PBX ${s.pbx} is disconnected${since}${s.reason ? ` (${s.reason})` : ''}: its live state may be out of date`,
      });
    } else if (!s.live) {
      notices.push({ severity: 'info', text: `PBX ${s.pbx} reports finished calls only: it has no live state` });
    }
  }
  return notices;
}
