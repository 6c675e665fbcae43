import type { DataFrame } from '@grafana/data';
import type { ApiExtension } from '../../src/datasource/api/types';
import { extensionsFrame } from '../../src/datasource/frames/extensions';

/**
 * A synthetic PBX for the wall benchmark (`?fixture=1000&deltas=20`): N extensions in a plausible mix of states,
 * and `deltas` state changes per second, each re-emitting the full frame as the data source does.
 */
const STATES = ['idle', 'idle', 'idle', 'in_call', 'in_call', 'ringing', 'on_hold', 'dnd', 'unavailable'];
const QUEUES = ['sales', 'support', 'billing', 'escalation'];

function make(i: number, now: number, state: string): ApiExtension {
  const inCall = ['in_call', 'ringing', 'on_hold'].includes(state);
  return {
    pbx: i % 10 === 0 ? 'branch' : 'main',
    extension: String(1000 + i),
    name: `Agent ${i}`,
    registered: state !== 'unavailable',
    state,
    dnd: state === 'dnd',
    counterpart: inCall ? { number: `+1212555${String(1000 + (i % 9000)).padStart(4, '0')}`, name: null } : null,
    callStartedAt: inCall ? new Date(now - ((i * 7919) % 900) * 1000).toISOString() : null,
    idleSince: state === 'idle' ? new Date(now - ((i * 104729) % 7200) * 1000).toISOString() : null,
    queues: [{ queue: QUEUES[i % QUEUES.length], paused: i % 17 === 0 }],
    voicemailNew: i % 13 === 0 ? 1 : 0,
    updatedAt: new Date(now).toISOString(),
  };
}

export function fixtureFeed(count: number, deltasPerSecond: number, emit: (frames: DataFrame[]) => void): () => void {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) => make(i, now, STATES[(i * 31) % STATES.length]));
  emit([extensionsFrame(rows, 'A')]);
  let n = 0;
  const timer =
    deltasPerSecond > 0
      ? setInterval(() => {
          const i = (n * 7727) % count;
          rows[i] = make(i, Date.now(), STATES[(n + i) % STATES.length]);
          n++;
          emit([extensionsFrame(rows, 'A')]);
        }, 1000 / deltasPerSecond)
      : undefined;
  return () => clearInterval(timer);
}
