import type {
  ApiCall,
  ApiExtension,
  ApiParkedCall,
  ApiParking,
  ApiQueue,
  ApiSnapshot,
  ApiSource,
  ApiTrunk,
} from '../api/types';
import { toMs } from '../frames/time';

/** The live collections a query can watch; each has its REST snapshot route and SSE delta events. */
export type Collection = 'extensions' | 'queues' | 'trunks' | 'calls' | 'parked';
export const COLLECTIONS: readonly Collection[] = ['extensions', 'queues', 'trunks', 'calls', 'parked'];

export interface LiveState {
  extensions: ReadonlyMap<string, ApiExtension>;
  queues: ReadonlyMap<string, ApiQueue>;
  trunks: ReadonlyMap<string, ApiTrunk>;
  /** Active calls only: `callEnded` removes. */
  calls: ReadonlyMap<string, ApiCall>;
  /** Calls parked now, by pbx, lot and space. */
  parked: ReadonlyMap<string, ApiParkedCall>;
  sources: ReadonlyMap<string, ApiSource>;
  /**
   * When this browser saw a source's `connected` flag flip (epoch ms): the moment a PBX went down, for exporters
   * that do not send `since` yet. A source first met already down has no entry (we did not see it go).
   */
  sourceChangedAt: ReadonlyMap<string, number>;
  /** Collections filled by a snapshot (stream or REST); a frame for any other would be a lie. */
  loaded: ReadonlySet<Collection>;
  /** Bumped on every change, so consumers can skip identical re-emits. */
  version: number;
}

export function emptyLiveState(): LiveState {
  return {
    extensions: new Map(),
    queues: new Map(),
    trunks: new Map(),
    calls: new Map(),
    parked: new Map(),
    sources: new Map(),
    sourceChangedAt: new Map(),
    loaded: new Set(),
    version: 0,
  };
}

export const extensionKey = (e: Pick<ApiExtension, 'pbx' | 'extension'>) => `${e.pbx}\u0000${e.extension}`;
export const queueKey = (q: Pick<ApiQueue, 'pbx' | 'queue'>) => `${q.pbx}\u0000${q.queue}`;
export const trunkKey = (t: Pick<ApiTrunk, 'pbx' | 'trunk'>) => `${t.pbx}\u0000${t.trunk}`;
export const parkedKey = (p: Pick<ApiParkedCall, 'pbx' | 'lot' | 'slot'>) => `${p.pbx}\u0000${p.lot}\u0000${p.slot}`;

/** The parked calls of one PBX's `parking` message, each stamped with its PBX. */
function parkedOf(p: ApiParking): ApiParkedCall[] {
  return (Array.isArray(p.calls) ? p.calls : []).map((c) => ({ ...c, pbx: p.pbx }));
}

function keyed<T>(items: T[] | undefined, key: (t: T) => string): Map<string, T> {
  return new Map((items ?? []).map((item) => [key(item), item]));
}

/**
 * Replaces the collections present in `snapshot` (the stream's `snapshot` event has all of them; a REST
 * snapshot has one). Collections absent from it stay as they are.
 */
export function applySnapshot(state: LiveState, snapshot: Partial<ApiSnapshot>, now = Date.now()): LiveState {
  const loaded = new Set(state.loaded);
  const next: LiveState = { ...state, loaded, version: state.version + 1 };
  if (snapshot.extensions) {
    next.extensions = keyed(snapshot.extensions, extensionKey);
    loaded.add('extensions');
  }
  if (snapshot.queues) {
    next.queues = keyed(snapshot.queues, queueKey);
    loaded.add('queues');
  }
  if (snapshot.trunks) {
    next.trunks = keyed(snapshot.trunks, trunkKey);
    loaded.add('trunks');
  }
  if (snapshot.calls) {
    next.calls = keyed(
      snapshot.calls.filter((c) => c.open !== false),
      (c) => c.id
    );
    loaded.add('calls');
  }
  if (snapshot.parked || snapshot.parking) {
    next.parked = keyed(snapshot.parked ?? (snapshot.parking ?? []).flatMap(parkedOf), parkedKey);
    loaded.add('parked');
  }
  if (snapshot.sources) {
    next.sources = keyed(snapshot.sources, (s) => s.pbx);
    next.sourceChangedAt = sourceChanges(state, snapshot.sources, now);
  }
  return next;
}

function sourceChanges(state: LiveState, incoming: ApiSource[], now: number): ReadonlyMap<string, number> {
  let changed: Map<string, number> | undefined;
  for (const s of incoming) {
    const before = state.sources.get(s.pbx);
    if (before && before.connected !== s.connected) {
      changed ??= new Map(state.sourceChangedAt);
      changed.set(s.pbx, now);
    }
  }
  return changed ?? state.sourceChangedAt;
}

/** An entity whose `updatedAt` is older than the one held lost a race (REST poll vs stream) and is dropped. */
function isStale(current: { updatedAt?: string | null } | undefined, incoming: { updatedAt?: string | null }) {
  const a = toMs(current?.updatedAt);
  const b = toMs(incoming.updatedAt);
  return a !== null && b !== null && b < a;
}

function upsert<T extends { updatedAt?: string | null }>(
  map: ReadonlyMap<string, T>,
  key: string,
  value: T
): ReadonlyMap<string, T> | null {
  if (isStale(map.get(key), value)) {
    return null;
  }
  const copy = new Map(map);
  copy.set(key, value);
  return copy;
}

/**
 * Applies one SSE message (docs/contracts.md §3: snapshot, extension, call, callEnded, queue, trunk, source).
 * Unknown events and malformed payloads leave the state untouched (same object), so nothing re-renders.
 */
export function applyEvent(state: LiveState, event: string, payload: unknown, now = Date.now()): LiveState {
  if (typeof payload !== 'object' || payload === null) {
    return state;
  }
  const bump = (patch: Partial<LiveState>): LiveState => ({ ...state, ...patch, version: state.version + 1 });
  switch (event) {
    case 'snapshot':
      return applySnapshot(state, payload as Partial<ApiSnapshot>, now);
    case 'extension': {
      const e = payload as ApiExtension;
      if (typeof e.extension !== 'string' || typeof e.pbx !== 'string') {
        return state;
      }
      const extensions = upsert(state.extensions, extensionKey(e), e);
      return extensions ? bump({ extensions }) : state;
    }
    case 'queue': {
      const q = payload as ApiQueue;
      if (typeof q.queue !== 'string' || typeof q.pbx !== 'string') {
        return state;
      }
      const queues = upsert(state.queues, queueKey(q), q);
      return queues ? bump({ queues }) : state;
    }
    case 'trunk': {
      const t = payload as ApiTrunk;
      if (typeof t.trunk !== 'string' || typeof t.pbx !== 'string') {
        return state;
      }
      const trunks = upsert(state.trunks, trunkKey(t), t);
      return trunks ? bump({ trunks }) : state;
    }
    case 'call':
    case 'callEnded': {
      const c = payload as ApiCall;
      if (typeof c.id !== 'string') {
        return state;
      }
      const calls = new Map(state.calls);
      if (event === 'callEnded' || c.open === false) {
        if (!calls.delete(c.id)) {
          return state;
        }
      } else {
        calls.set(c.id, c);
      }
      return bump({ calls });
    }
    case 'parking': {
      // every call parked on one PBX now: that PBX's old entries go
      const p = payload as ApiParking;
      if (typeof p.pbx !== 'string' || !Array.isArray(p.calls)) {
        return state;
      }
      const parked = new Map([...state.parked].filter(([, c]) => c.pbx !== p.pbx));
      for (const c of parkedOf(p)) {
        parked.set(parkedKey(c), c);
      }
      return bump({ parked });
    }
    case 'source': {
      const s = payload as ApiSource;
      if (typeof s.pbx !== 'string') {
        return state;
      }
      const sources = new Map(state.sources);
      const merged = { ...sources.get(s.pbx), ...s };
      sources.set(s.pbx, merged);
      return bump({ sources, sourceChangedAt: sourceChanges(state, [merged], now) });
    }
    default:
      return state;
  }
}

/** The SSE event names the hub listens to. */
export const STREAM_EVENTS = [
  'snapshot',
  'extension',
  'call',
  'callEnded',
  'queue',
  'trunk',
  'parking',
  'source',
] as const;
