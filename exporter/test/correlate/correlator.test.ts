import type { Call, QueueCallResult } from '../../src/domain';
import type { LegEvent, LegStarted } from '../../src/domain/leg-events';
import { Correlator } from '../../src/correlate/correlator';

/** Correlation on canonical leg events, without AMI: what NFON- or 3CX-style sources rely on. */

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const at = (s: number): number => T0 + s * 1000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function setup() {
  const calls: Call[] = [];
  const ended: Call[] = [];
  const queue: QueueCallResult[] = [];
  const c = new Correlator({
    pbx: 'x',
    graceMs: 20,
    publish: 'sync',
    onCall: (call) => calls.push(call),
    onCallEnded: (call) => ended.push(call),
    onQueueCall: (r) => queue.push(r),
  });
  const feed = (...evs: LegEvent[]): void => evs.forEach((e) => c.handle(e));
  return { c, calls, ended, queue, feed };
}

const start = (leg: string, call: string, s: number, kind: LegStarted['kind'], number: string, extra: Partial<LegStarted> = {}): LegStarted => ({
  type: 'legStarted',
  at: at(s),
  leg,
  call,
  kind,
  party: { number },
  phase: 'ringing',
  ...extra,
});

describe('Correlator', () => {
  it('NFON-style ring → answer → hangup on one uuid is one answered inbound call', async () => {
    const { ended, feed } = setup();
    feed(
      start('u1:caller', 'u1', 0, 'trunk', '+4930123456', { dialled: '5551001' }),
      start('u1:callee', 'u1', 0, 'extension', '1001'),
      { type: 'dialStarted', at: at(0), leg: 'u1:caller', target: 'u1:callee' },
      { type: 'joined', at: at(4), leg: 'u1:callee', bridge: 'u1' },
      { type: 'joined', at: at(4), leg: 'u1:caller', bridge: 'u1' },
      { type: 'legEnded', at: at(34), leg: 'u1:caller' },
      { type: 'legEnded', at: at(34), leg: 'u1:callee' },
    );
    await sleep(60);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({
      id: 'x-u1',
      direction: 'inbound',
      status: 'answered',
      ringMs: 4000,
      talkMs: 30000,
      from: { number: '+4930123456' },
      to: { number: '5551001' },
      answeredBy: { number: '1001' },
      startedAt: at(0),
      answeredAt: at(4),
      endedAt: at(34),
    });
  });

  it('a hangup without answer is missed; ring time runs to the end of ringing', async () => {
    const { ended, feed } = setup();
    feed(
      start('a', 'k', 0, 'trunk', '+4930123456'),
      start('b', 'k', 0, 'extension', '1002'),
      { type: 'dialStarted', at: at(0), leg: 'a', target: 'b' },
      { type: 'legEnded', at: at(12), leg: 'a' },
      { type: 'legEnded', at: at(12), leg: 'b' },
    );
    await sleep(60);
    expect(ended[0]).toMatchObject({ status: 'missed', ringMs: 12000, talkMs: 0 });
    expect(ended[0].answeredBy).toBeUndefined();
  });

  it('a finished record from a CDR-only source passes straight through', () => {
    const { ended, feed } = setup();
    feed({
      type: 'callRecorded',
      at: at(60),
      record: { id: '3cx-288831', direction: 'outbound', status: 'answered', open: false, startedAt: at(0), answeredAt: at(9), endedAt: at(34), ringMs: 9000, talkMs: 25000, holdMs: 0, from: { number: '10016' }, to: { number: '+46700000000' }, legs: [], transfers: [], holds: [] },
    });
    expect(ended).toEqual([expect.objectContaining({ id: '3cx-288831', pbx: 'x', status: 'answered' })]);
  });

  it('a phone going off-hook is no call until it dials; a feature code never becomes one', async () => {
    const { calls, ended, feed } = setup();
    feed(start('p', 'p', 0, 'extension', '1006', { dialled: '*78', phase: 'ringing' }), { type: 'legPhase', at: at(0), leg: 'p', phase: 'up' }, { type: 'legEnded', at: at(2), leg: 'p' });
    await sleep(60);
    expect(calls).toEqual([]);
    expect(ended).toEqual([]);
  });

  it('a pickup merges the picking phone into the ringing call: one record, answered by the picker', async () => {
    const { ended, feed } = setup();
    feed(
      start('t', 'T', 0, 'trunk', '+4930999', { dialled: '5551001' }),
      start('a', 'T', 0, 'extension', '1001'),
      { type: 'dialStarted', at: at(0), leg: 't', target: 'a' },
      // Carol dials the pickup code: her own channel, her own key, not a call yet
      start('c', 'C', 5, 'extension', '1003', { dialled: '*8' }),
      { type: 'dialEnded', at: at(6), leg: 't', target: 'a', outcome: 'cancel' },
      { type: 'legEnded', at: at(6), leg: 'a', cause: 26 },
      // the pickup bridges Carol to the caller: her channel adopts the caller's Linkedid
      { type: 'joined', at: at(6), leg: 'c', call: 'T', bridge: 'b1' },
      { type: 'joined', at: at(6), leg: 't', call: 'T', bridge: 'b1' },
      { type: 'legEnded', at: at(20), leg: 't' },
      { type: 'legEnded', at: at(20), leg: 'c', call: 'T' },
    );
    await sleep(60);
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ id: 'x-T', status: 'answered', answeredBy: { number: '1003' }, ringMs: 6000, talkMs: 14000 });
    expect(ended[0].legs.map((l) => [l.party.number, l.outcome])).toEqual([
      ['+4930999', undefined],
      ['1001', 'cancelled'],
      ['1003', 'answered'],
    ]);
  });

  it('waits out the grace period: a leg that appears in time keeps the call open', async () => {
    const { ended, feed } = setup();
    feed(start('a', 'K', 0, 'extension', '1001', { dialled: '1002' }), start('b', 'K', 0, 'extension', '1002'), { type: 'dialStarted', at: at(0), leg: 'a', target: 'b' }, { type: 'legEnded', at: at(3), leg: 'a' }, { type: 'legEnded', at: at(3), leg: 'b' });
    // within the grace period, another leg of the same call turns up (a late Local teardown, a transfer leg)
    feed(start('c', 'K', 3, 'extension', '1003'));
    await sleep(60);
    expect(ended).toEqual([]);
    feed({ type: 'legEnded', at: at(4), leg: 'c' });
    await sleep(60);
    expect(ended).toHaveLength(1);
    expect(ended[0].endedAt).toBe(at(4));
  });

  it('reports queue exits: answered, abandoned, timeout', () => {
    const { queue, feed } = setup();
    const caller = (k: string): LegEvent[] => [start(`${k}t`, k, 0, 'trunk', '+1'), { type: 'queueJoined', at: at(0), leg: `${k}t`, queue: 'q', position: 1 }];
    feed(...caller('A'), start('Am', 'A', 0, 'extension', '1001'), { type: 'dialStarted', at: at(0), leg: 'At', target: 'Am' }, { type: 'dialEnded', at: at(5), leg: 'At', target: 'Am', outcome: 'answer' }, { type: 'queueLeft', at: at(5), leg: 'At', queue: 'q', abandoned: false });
    feed(...caller('B'), { type: 'queueLeft', at: at(7), leg: 'Bt', queue: 'q', abandoned: true }, { type: 'queueLeft', at: at(7), leg: 'Bt', queue: 'q', abandoned: false });
    feed(...caller('C'), { type: 'queueLeft', at: at(60), leg: 'Ct', queue: 'q', abandoned: false });
    expect(queue.map((q) => [q.outcome, q.waitMs])).toEqual([
      ['answered', 5000],
      ['abandoned', 7000],
      ['timeout', 60000],
    ]);
  });

  it('after a reconnect, closes open calls with no channel left as incomplete at the moment they were lost', () => {
    const { c, ended, feed } = setup();
    feed(start('t', 'K', 0, 'trunk', '+1', { dialled: '5551001' }), start('a', 'K', 0, 'extension', '1001'), { type: 'dialStarted', at: at(0), leg: 't', target: 'a' }, { type: 'joined', at: at(3), leg: 'a', bridge: 'b' }, { type: 'joined', at: at(3), leg: 't', bridge: 'b' });
    feed(start('t2', 'L', 1, 'trunk', '+2'), start('b2', 'L', 1, 'extension', '1002'), { type: 'dialStarted', at: at(1), leg: 't2', target: 'b2' });
    const before = c.openIds();
    const closed = c.reconcile(new Set(['t2', 'b2']), before, at(10));
    expect(closed).toEqual([expect.objectContaining({ id: 'x-K', status: 'incomplete', open: false, endedAt: at(10), answeredBy: { number: '1001' }, talkMs: 7000 })]);
    expect(ended.map((e) => e.id)).toEqual(['x-K']);
    expect(c.openCalls().map((o) => o.id)).toEqual(['x-L']);
  });

  it('settles calls a previous run left open: gone → incomplete at the last evidence, alive → carried on', async () => {
    const { c, ended, feed } = setup();
    const stored = (id: string, legIds: string[]): Call => ({
      id,
      pbx: 'x',
      direction: 'inbound',
      status: 'answered',
      open: true,
      startedAt: at(0),
      answeredAt: at(2),
      ringMs: 2000,
      talkMs: 5000,
      holdMs: 0,
      from: { number: '+1' },
      to: { number: '5551001' },
      answeredBy: { number: '1001' },
      legs: [
        { id: legIds[0], party: { number: '+1' }, role: 'trunk', startedAt: at(0) },
        { id: legIds[1], party: { number: '1001' }, role: 'extension', startedAt: at(0), answeredAt: at(2) },
      ],
      transfers: [],
      holds: [],
    });
    expect(c.restore(stored('x-gone', ['g1', 'g2']), new Set())).toMatchObject({ status: 'incomplete', open: false, endedAt: at(2) });
    expect(c.restore(stored('x-alive', ['a1', 'a2']), new Set(['a1', 'a2']))).toBeUndefined();
    feed({ type: 'legEnded', at: at(30), leg: 'a1', call: 'alive' }, { type: 'legEnded', at: at(30), leg: 'a2', call: 'alive' });
    await sleep(60);
    expect(ended.map((e) => [e.id, e.status])).toEqual([
      ['x-gone', 'incomplete'],
      ['x-alive', 'answered'],
    ]);
    expect(ended[1]).toMatchObject({ from: { number: '+1' }, answeredBy: { number: '1001' }, endedAt: at(30) });
  });

  it('an attended transfer done by merging bridges (BridgeMerge, no per-channel moves) keeps the caller talking', async () => {
    const { ended, feed } = setup();
    feed(
      start('t', 'T', 0, 'trunk', '+1', { dialled: '5551001' }),
      start('a', 'T', 0, 'extension', '1001'),
      { type: 'dialStarted', at: at(0), leg: 't', target: 'a' },
      { type: 'joined', at: at(2), leg: 'a', bridge: 'b1' },
      { type: 'joined', at: at(2), leg: 't', bridge: 'b1' },
      { type: 'hold', at: at(5), leg: 'a', held: true },
      start('a2', 'C', 6, 'extension', '1001', { dialled: '1002' }),
      start('b', 'C', 6, 'extension', '1002'),
      { type: 'dialStarted', at: at(6), leg: 'a2', target: 'b' },
      { type: 'joined', at: at(8), leg: 'b', bridge: 'b2' },
      { type: 'joined', at: at(8), leg: 'a2', bridge: 'b2' },
      { type: 'hold', at: at(12), leg: 'a', held: false },
      { type: 'transfer', kind: 'attended', at: at(12), by: ['a', 'a2'], parties: ['t', 'b'], calls: ['T', 'C'] },
      { type: 'bridgesMerged', at: at(12), from: 'b2', into: 'b1' },
      { type: 'legEnded', at: at(12), leg: 'a', call: 'T' },
      { type: 'legEnded', at: at(12), leg: 'a2', call: 'C' },
      { type: 'legEnded', at: at(40), leg: 't', call: 'T' },
      { type: 'legEnded', at: at(40), leg: 'b', call: 'T' },
    );
    await sleep(60);
    const [consult, main] = [...ended].sort((x, y) => y.startedAt - x.startedAt);
    expect(consult).toMatchObject({ id: 'x-C', direction: 'internal', status: 'answered', talkMs: 4000, endedAt: at(12) });
    expect(main).toMatchObject({
      id: 'x-T',
      status: 'answered',
      answeredBy: { number: '1001' },
      holdMs: 7000,
      talkMs: 38000,
      transfers: [{ kind: 'attended', by: { number: '1001' }, from: { number: '+1' }, to: { number: '1002' } }],
    });
  });
});
