import type { ApiCall, ApiExtension, ApiQueue, ApiTrunk } from '../datasource/api/types';

/** A fixed instant for every fixture, so times in assertions are literal. */
export const T0 = Date.parse('2026-11-23T19:30:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export function extension(patch: Partial<ApiExtension> & { extension: string }): ApiExtension {
  return {
    pbx: 'demo',
    name: `Ext ${patch.extension}`,
    registered: true,
    state: 'idle',
    dnd: false,
    rttSeconds: 0.012,
    callId: null,
    counterpart: null,
    callStartedAt: null,
    idleSince: iso(T0 - 600_000),
    queues: [],
    voicemailNew: 0,
    voicemailOld: 0,
    updatedAt: iso(T0),
    ...patch,
  };
}

export function call(patch: Partial<ApiCall> & { id: string }): ApiCall {
  return {
    pbx: 'demo',
    direction: 'inbound',
    status: 'answered',
    open: false,
    startedAt: iso(T0 - 120_000),
    answeredAt: iso(T0 - 110_000),
    endedAt: iso(T0 - 20_000),
    ringSeconds: 10,
    talkSeconds: 90,
    holdSeconds: 0,
    waitSeconds: null,
    from: { number: '+12125550101', name: 'Acme Corp' },
    to: { number: '1001', name: 'Alice' },
    answeredBy: { number: '1001', name: 'Alice' },
    queue: null,
    group: null,
    trulyMissed: false,
    returnedAt: null,
    ...patch,
  };
}

export function queue(patch: Partial<ApiQueue> & { queue: string }): ApiQueue {
  return {
    pbx: 'demo',
    strategy: 'ringall',
    callers: 2,
    longestWaitSeconds: 42,
    oldestCallerSince: iso(T0 - 42_000),
    membersLoggedIn: 3,
    membersAvailable: 1,
    membersPaused: 1,
    membersInCall: 1,
    members: [],
    updatedAt: iso(T0),
    ...patch,
  };
}

export function trunk(patch: Partial<ApiTrunk> & { trunk: string }): ApiTrunk {
  return {
    pbx: 'demo',
    registered: true,
    status: 'Registered',
    rttSeconds: 0.021,
    activeCalls: 1,
    updatedAt: iso(T0),
    ...patch,
  };
}
