import { Correlator } from '../../src/correlate/correlator';
import type { Call } from '../../src/domain';
import { UnusableEvent, WebhookTranslator } from '../../src/sources/webhook/translate';
import type { IngestEventJson } from '../../src/wire/call-events';
import { callEvent } from '../../src/wire/call-events';
import { sign, verify } from '../../src/wire/signature';
import { at } from './harness';

/** Feeds the events through translation and the real correlator; resolves with the calls once they closed. */
async function feed(...events: IngestEventJson[]): Promise<Call[]> {
  const ended: Call[] = [];
  const c = new Correlator({
    pbx: 'hooks',
    graceMs: 0,
    publish: 'sync',
    onCall: () => undefined,
    onCallEnded: (x) => ended.push(x),
  });
  const t = new WebhookTranslator('hooks');
  for (const ev of events) {
    const out = t.translate(ev);
    if ('legs' in out) out.legs.forEach((le) => c.handle(le));
  }
  // a call closes after its grace period (0 here, still a timer)
  await new Promise((r) => setTimeout(r, 5));
  return ended;
}

const anna = { number: '+4930111001', name: 'Anna' };

describe('canonical call events → records', () => {
  it('a blind transfer: answered by the first person, handed to the second, talk covers both', async () => {
    const [call] = await feed(
      { type: 'ring', call: 't1', at: at(0), direction: 'inbound', from: anna, to: { number: '101' } },
      { type: 'answer', call: 't1', at: at(4) },
      { type: 'transfer', call: 't1', at: at(34), to: { number: '102', name: 'Bob' } },
      { type: 'answer', call: 't1', at: at(40) },
      { type: 'hangup', call: 't1', at: at(100) },
    );
    expect(call).toMatchObject({
      status: 'answered',
      answeredBy: { number: '101' },
      ringMs: 4000,
      talkMs: 30_000 + 60_000,
      transfers: [{ kind: 'blind', by: { number: '101' }, from: anna, to: { number: '102', name: 'Bob' } }],
    });
  });

  it('busy, outbound and a pickup by someone else', async () => {
    const [busy] = await feed(
      { type: 'ring', call: 'b1', at: at(0), direction: 'internal', from: { number: '101' }, to: { number: '102' } },
      { type: 'hangup', call: 'b1', at: at(1), reason: 'busy' },
    );
    expect(busy).toMatchObject({ direction: 'internal', status: 'busy', ringMs: 1000 });
    const [out] = await feed(
      {
        type: 'ring',
        call: 'o1',
        at: at(0),
        direction: 'outbound',
        from: { number: '101', name: 'Alice' },
        to: { number: '+4930444555' },
      },
      { type: 'answer', call: 'o1', at: at(7) },
      { type: 'hangup', call: 'o1', at: at(67) },
    );
    expect(out).toMatchObject({
      direction: 'outbound',
      status: 'answered',
      from: { number: '101', name: 'Alice' },
      to: { number: '+4930444555' },
      talkMs: 60_000,
    });
    const [picked] = await feed(
      { type: 'ring', call: 'p1', at: at(0), direction: 'inbound', from: anna, to: { number: '101' } },
      { type: 'answer', call: 'p1', at: at(6), by: { number: '105', name: 'Eve' } },
      { type: 'hangup', call: 'p1', at: at(16) },
    );
    expect(picked).toMatchObject({
      status: 'answered',
      answeredBy: { number: '105', name: 'Eve' },
      ringMs: 6000,
      talkMs: 10_000,
    });
    expect(picked.legs.find((l) => l.party.number === '101')?.outcome).toBe('cancelled');
  });

  it('a finished record round-trips: what a sink sends, an ingest stores alike', async () => {
    const [first] = await feed(
      { type: 'ring', call: 'r1', at: at(0), direction: 'inbound', from: anna, to: { number: '101', name: 'Alice' } },
      { type: 'answer', call: 'r1', at: at(3) },
      { type: 'hangup', call: 'r1', at: at(33) },
    );
    const [again] = await feed(callEvent(first));
    expect(again).toMatchObject({
      id: `hooks-${first.id}`,
      direction: first.direction,
      status: first.status,
      startedAt: first.startedAt,
      answeredAt: first.answeredAt,
      endedAt: first.endedAt,
      ringMs: first.ringMs,
      talkMs: first.talkMs,
      from: first.from,
      to: first.to,
      answeredBy: first.answeredBy,
    });
  });

  it('refuses events it cannot place, naming why', async () => {
    const reasons = [
      async () => feed({ type: 'transfer', call: 'x', at: at(0), to: { number: '1' } }),
      async () =>
        feed(
          { type: 'ring', call: 'y', at: at(0), direction: 'inbound', from: anna, to: { number: '1' } },
          { type: 'transfer', call: 'y', at: at(1), to: { number: '2' } },
        ),
      async () =>
        feed({
          type: 'call',
          id: 'z',
          direction: 'inbound',
          status: 'answered',
          startedAt: at(10),
          endedAt: at(5),
          from: anna,
          to: { number: '1' },
        }),
      async () =>
        feed(
          { type: 'extension', at: at(5), extension: '1', state: 'idle' },
          { type: 'extension', at: at(4), extension: '1', state: 'in_call' },
        ),
    ].map((f) =>
      f().then(
        () => 'accepted',
        (err: UnusableEvent) => err.reason,
      ),
    );
    expect(await Promise.all(reasons)).toEqual(['unknown call', 'not answered', 'bad time', 'stale']);
  });
});

describe('webhook signature', () => {
  const body = Buffer.from('{"events":[]}');
  it('accepts any of the current secrets and any of several offered signatures (rotation)', () => {
    const now = Date.now();
    const ts = Math.floor(now / 1000);
    const old = sign('old-secret', ts, body);
    const fresh = sign('new-secret', ts, body);
    expect(verify({ timestamp: String(ts), signature: fresh, body }, ['old-secret', 'new-secret'], now).ok).toBe(true);
    expect(
      verify({ timestamp: String(ts), signature: `${sign('x', ts, body)}, ${old}`, body }, ['old-secret'], now).ok,
    ).toBe(true);
    expect(verify({ timestamp: String(ts), signature: old, body }, ['new-secret'], now)).toEqual({
      ok: false,
      problem: 'signature does not match',
    });
    // the timestamp is signed too: the same signature under another timestamp does not hold
    expect(verify({ timestamp: String(ts + 1), signature: old, body }, ['old-secret'], now).ok).toBe(false);
  });
});
