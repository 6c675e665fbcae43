import type { Call, ExtensionState, QueueState, SourceStatus, TrunkState } from '../../src/domain';

export const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
export const MIN = 60_000;

let n = 0;

/** An inbound call answered by `ext`; override what the test is about. */
export function inbound(over: Partial<Call> & { at?: number; ext?: string; caller?: string } = {}): Call {
  n += 1;
  const startedAt = over.at ?? T0 + n * MIN;
  const ext = over.ext ?? '1001';
  const caller = over.caller ?? '+12125550101';
  const answered = (over.status ?? 'answered') === 'answered';
  const { at: _at, ext: _ext, caller: _caller, ...rest } = over;
  const call: Call = {
    id: `c${n}`,
    pbx: 'pbx1',
    direction: 'inbound',
    status: 'answered',
    open: false,
    startedAt,
    endedAt: startedAt + 60_000,
    ringMs: 5000,
    talkMs: answered ? 55_000 : 0,
    holdMs: 0,
    from: { number: caller, name: 'NYC Customer' },
    to: { number: '+18005550100' },
    legs: [
      { id: 'l1', party: { number: caller }, role: 'trunk', startedAt, endedAt: startedAt + 60_000 },
      {
        id: 'l2',
        party: { number: ext, name: `Agent ${ext}` },
        role: 'extension',
        startedAt: startedAt + 100,
        endedAt: startedAt + 60_000,
        outcome: answered ? 'answered' : 'noanswer',
        ...(answered ? { answeredAt: startedAt + 5000 } : {}),
      },
    ],
    transfers: [],
    holds: [],
    ...rest,
  };
  if (answered && !('answeredBy' in over)) call.answeredBy = { number: ext, name: `Agent ${ext}` };
  if (answered && !('answeredAt' in over)) call.answeredAt = startedAt + 5000;
  return call;
}

export function outbound(over: Partial<Call> & { at?: number; ext?: string; callee?: string } = {}): Call {
  n += 1;
  const startedAt = over.at ?? T0 + n * MIN;
  const ext = over.ext ?? '1002';
  const callee = over.callee ?? '+12125550101';
  const { at: _at, ext: _ext, callee: _callee, ...rest } = over;
  return {
    id: `c${n}`,
    pbx: 'pbx1',
    direction: 'outbound',
    status: 'answered',
    open: false,
    startedAt,
    answeredAt: startedAt + 8000,
    endedAt: startedAt + 100_000,
    ringMs: 8000,
    talkMs: 92_000,
    holdMs: 0,
    from: { number: ext, name: `Agent ${ext}` },
    to: { number: callee },
    answeredBy: { number: callee },
    legs: [
      { id: 'l1', party: { number: ext }, role: 'extension', startedAt, endedAt: startedAt + 100_000 },
      {
        id: 'l2',
        party: { number: callee },
        role: 'trunk',
        startedAt: startedAt + 200,
        answeredAt: startedAt + 8000,
        endedAt: startedAt + 100_000,
        outcome: 'answered',
      },
    ],
    transfers: [],
    holds: [],
    ...rest,
  };
}

export function extension(over: Partial<ExtensionState> = {}): ExtensionState {
  return {
    pbx: 'pbx1',
    extension: '1001',
    name: 'Alice Anders',
    registered: true,
    state: 'idle',
    dnd: false,
    queues: [{ queue: 'support', paused: false }],
    updatedAt: T0,
    ...over,
  };
}

export function queue(over: Partial<QueueState> = {}): QueueState {
  return {
    pbx: 'pbx1',
    queue: 'support',
    strategy: 'ringall',
    callers: [],
    members: [
      { interface: 'PJSIP/1001', extension: '1001', name: 'Alice', state: 'available', paused: false, inCall: false },
      { interface: 'PJSIP/1002', extension: '1002', name: 'Bob', state: 'in_call', paused: false, inCall: true },
      {
        interface: 'PJSIP/1003',
        extension: '1003',
        name: 'Carol',
        state: 'available',
        paused: true,
        pausedReason: 'lunch',
        inCall: false,
      },
      { interface: 'PJSIP/1004', extension: '1004', name: 'Dave', state: 'unavailable', paused: false, inCall: false },
    ],
    updatedAt: T0,
    ...over,
  };
}

export function trunk(over: Partial<TrunkState> = {}): TrunkState {
  return {
    pbx: 'pbx1',
    trunk: 'carrier-a',
    registered: true,
    status: 'Reachable',
    rttMs: 23,
    activeCalls: 2,
    updatedAt: T0,
    ...over,
  };
}

export function sourceStatus(over: Partial<SourceStatus> = {}): SourceStatus {
  return { pbx: 'pbx1', kind: 'ami', live: true, connected: true, reconnects: 0, loginFailures: 0, ...over };
}
