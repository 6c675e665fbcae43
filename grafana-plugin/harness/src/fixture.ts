import type { DataFrame } from '@grafana/data';
import type { ApiCall, ApiExtension } from '../../src/datasource/api/types';
import { callsFrame } from '../../src/datasource/frames/calls';
import { extensionsFrame } from '../../src/datasource/frames/extensions';

/**
 * A synthetic PBX for the browser tests' sizes and the benchmark (`?fixture=1000&calls=60&deltas=20`): N
 * extensions in a plausible mix of states, M active calls, and `deltas` state changes per second, each re-emitting
 * the full frame as the data source does. `stale` marks every extension and call stale since a minute ago, as the
 * exporter's staleness fields (issue #11) will.
 */
export interface FixtureSpec {
  extensions: number;
  calls: number;
  deltas: number;
  stale?: boolean;
}

/** A working day's mix: half idle, a third in calls, a few ringing or holding, some away. */
const STATES = [
  ...Array<string>(15).fill('idle'),
  ...Array<string>(9).fill('in_call'),
  'ringing',
  'on_hold',
  'busy',
  'dnd',
  'dnd',
  ...Array<string>(3).fill('unavailable'),
];
/** How long each call state has lasted at most (s): phones ring for seconds, calls run for minutes. */
const LASTS: Record<string, number> = { ringing: 25, on_hold: 240, in_call: 1200, busy: 900 };
const QUEUES = ['sales', 'support', 'billing', 'escalation'];
const FIRST = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj'];
const LAST = ['Anders', 'Brown', 'Chen', 'Diaz', 'Evans', 'Fischer', 'García', 'Hughes', 'Ito', 'Jensen', 'Kowalski'];
const CALLERS = [
  { number: '+12125550101', name: 'NYC Customer' },
  { number: '+4930123456789', name: null },
  { number: '+442079460123', name: 'London Office' },
  { number: '+16175550199', name: null },
  { number: '+33142685300', name: 'Paris Reseller' },
  // long enough to need fitting on a small board or card
  { number: '+861012345678901', name: 'Beijing Representative Office' },
];

const name = (i: number) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;

function extension(i: number, now: number, state: string, stale: boolean): ApiExtension {
  const inCall = state in LASTS;
  return {
    pbx: i % 10 === 0 ? 'branch' : 'main',
    // now and then a direct-dial extension, too long for the smallest tiles
    extension: i % 97 === 96 ? `4930123${1000 + i}` : String(1000 + i),
    name: name(i),
    registered: state !== 'unavailable',
    state,
    dnd: state === 'dnd',
    counterpart: inCall ? CALLERS[i % CALLERS.length] : null,
    callStartedAt: inCall ? new Date(now - ((i * 7919) % LASTS[state]) * 1000 - 3000).toISOString() : null,
    idleSince: state === 'idle' ? new Date(now - ((i * 104729) % 7200) * 1000).toISOString() : null,
    queues: [{ queue: QUEUES[i % QUEUES.length], paused: i % 17 === 0 }],
    voicemailNew: i % 13 === 0 ? 1 : 0,
    updatedAt: new Date(now).toISOString(),
    ...(stale ? { stale: true, staleSince: now - 60_000 } : {}),
  };
}

function call(i: number, now: number, stale: boolean): ApiCall & { stale?: boolean; staleSince?: number } {
  const caller = CALLERS[i % CALLERS.length];
  const answered = i % 4 !== 0;
  const startedAt = now - ((i * 3571) % (answered ? 1500 : 40)) * 1000 - 3000;
  return {
    id: `fixture-${i}`,
    pbx: 'main',
    direction: i % 3 === 2 ? 'outbound' : 'inbound',
    status: answered ? 'answered' : 'ringing',
    open: true,
    startedAt: new Date(startedAt).toISOString(),
    answeredAt: answered ? new Date(startedAt + 4000).toISOString() : null,
    from: i % 3 === 2 ? { number: String(1000 + i), name: name(i) } : caller,
    to: i % 3 === 2 ? caller : { number: '100', name: 'Main line' },
    answeredBy: answered && i % 3 !== 2 ? { number: String(1000 + i), name: name(i) } : null,
    queue: i % 3 === 2 ? null : QUEUES[i % QUEUES.length],
    ...(stale ? { stale: true, staleSince: now - 60_000 } : {}),
  };
}

export function fixtureFeed(spec: FixtureSpec, emit: (frames: DataFrame[]) => void): () => void {
  const now = Date.now();
  const rows = Array.from({ length: spec.extensions }, (_, i) =>
    extension(i, now, STATES[(i * 31) % STATES.length], Boolean(spec.stale))
  );
  const calls = Array.from({ length: spec.calls }, (_, i) => call(i, now, Boolean(spec.stale)));
  const frames = () => [extensionsFrame(rows, 'A'), callsFrame(calls, { refId: 'B', active: true })];
  emit(frames());
  let n = 0;
  const timer =
    spec.deltas > 0 && spec.extensions > 0
      ? setInterval(() => {
          const i = (n * 7727) % spec.extensions;
          rows[i] = extension(i, Date.now(), STATES[(n + i) % STATES.length], Boolean(spec.stale));
          n++;
          emit(frames());
        }, 1000 / spec.deltas)
      : undefined;
  return () => clearInterval(timer);
}
