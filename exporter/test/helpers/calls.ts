import type { Call } from '../../src/domain';

let seq = 0;

/** A finished, answered inbound call; override what the test is about. */
export function makeCall(over: Partial<Call> = {}): Call {
  seq += 1;
  const startedAt = over.startedAt ?? Date.UTC(2026, 10, 23, 10, 0, 0) + seq * 1000;
  return {
    id: `call-${seq}`,
    pbx: 'pbx1',
    direction: 'inbound',
    status: 'answered',
    open: false,
    startedAt,
    answeredAt: startedAt + 3000,
    endedAt: startedAt + 9000,
    ringMs: 3000,
    talkMs: 6000,
    holdMs: 0,
    from: { number: '+12125550101', name: 'NYC Customer' },
    to: { number: '5551001' },
    answeredBy: { number: '1001', name: 'Alice Anders' },
    legs: [
      { id: 'l1', party: { number: '+12125550101' }, role: 'trunk', startedAt, endedAt: startedAt + 9000 },
      {
        id: 'l2',
        party: { number: '1001', name: 'Alice Anders' },
        role: 'extension',
        startedAt: startedAt + 100,
        answeredAt: startedAt + 3000,
        endedAt: startedAt + 9000,
        outcome: 'answered',
      },
    ],
    transfers: [],
    holds: [],
    ...over,
  };
}
