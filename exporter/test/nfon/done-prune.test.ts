import { CallTranslator, type TenantBook } from '../../src/sources/nfon/calls';
import type { NfonCall } from '../../src/sources/nfon/events';

const book: TenantBook = {
  account: 'K1234',
  nameOf: () => undefined,
  isExtension: (n) => n.length <= 3,
  headline: () => undefined,
  agentCode: () => undefined,
};

const event = (uuid: string, state: NfonCall['state']): NfonCall => ({
  uuid,
  state,
  caller: '+4930123456',
  caller_context: 'global',
  callee: '100',
  callee_context: 'K1234',
  direction: 'inbound',
  extension: '100',
});

const MIN = 60_000;

/** One inbound call rung and hung up at `at`; the legs the translator made of it. */
function call(t: CallTranslator, uuid: string, at: number): number {
  return t.translate(event(uuid, 'ring'), at).legs.length + t.translate(event(uuid, 'hangup'), at + 1000).legs.length;
}

describe('NFON finished calls remembered', () => {
  it('ignores late events of a call finished within the hour, however many calls came since', () => {
    const t = new CallTranslator('cloud', book);
    expect(call(t, 'first', 0)).toBeGreaterThan(0);
    // 5,000 calls in 50 minutes: more than the 1,000 at which pruning starts, all younger than an hour
    for (let i = 0; i < 5000; i++) call(t, `busy-${i}`, MIN + i * 600);
    expect(t.translate(event('first', 'hangup'), 55 * MIN).legs).toEqual([]);
  });

  it('forgets calls finished more than an hour ago, and stays bounded over a long busy day', () => {
    const t = new CallTranslator('cloud', book);
    // a call every 2 s for 12 hours: 21,600 calls, about 1,800 in any hour
    for (let i = 0; i < 21_600; i++) call(t, `day-${i}`, i * 2000);
    const remembered = (t as unknown as { done: Map<string, number> }).done.size;
    expect(remembered).toBeLessThanOrEqual(2 * 1800 + 10);
    // a straggler of a call long gone is read again, as a new call
    expect(t.translate(event('day-0', 'ring'), 12 * 60 * MIN).legs.length).toBeGreaterThan(0);
  });
});
