import { until } from '../ami/harness';
import { eventually } from '../helpers/cli';
import { getJson } from '../http/harness';
import { events, inboundTo, ms, nfonRig, outboundFrom, type NfonRig } from './harness';
import type { FakeCallEvent } from '../../src/demo/nfon/server';

/** Every scenario of issue #10 over real HTTP + SSE: the fake NFON server's events → call records in the store. */
describe('NFON source: calls from the CTI call stream', () => {
  let rig: NfonRig;
  beforeAll(async () => {
    rig = await nfonRig();
    await until(() => rig.fake.streams('calls') === 1, 'the call stream');
  });
  afterAll(async () => {
    await rig.close();
  });

  const send = (evs: FakeCallEvent[]): void => evs.forEach((e) => rig.fake.call(e));
  const ended = (uuid: string) => until(() => rig.ended.find((c) => c.id === `cloud-${uuid}`), `call ${uuid} ended`);
  const stored = async (uuid: string) => {
    const r = await getJson(`${rig.http.url}/api/v1/calls/cloud-${uuid}`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('answered inbound: ring → answer → hangup is one answered call to the named headline number', async () => {
    send(events(inboundTo('in-1', '100'), [['ring', 0], ['answer', 5], ['hangup', 65]]));
    const c = await ended('in-1');
    expect(c).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '4989123456' },
      to: { number: '4930555789', name: 'Berlin' },
      answeredBy: { number: '100', name: 'Anna Office' },
      startedAt: ms(0),
      answeredAt: ms(5),
      endedAt: ms(65),
      ringMs: 5000,
      talkMs: 60000,
    });
    const row = await eventually(async () => ((await getJson(`${rig.http.url}/api/v1/calls/cloud-in-1`)).status === 200 ? stored('in-1') : undefined));
    expect(row).toMatchObject({ id: 'cloud-in-1', pbx: 'cloud', status: 'answered', to: { number: '4930555789', name: 'Berlin' } });
  });

  it('missed inbound: ring → hangup, nobody answered', async () => {
    send(events(inboundTo('in-2', '101'), [['ring', 100], ['hangup', 120]]));
    const c = await ended('in-2');
    expect(c).toMatchObject({ direction: 'inbound', status: 'missed', ringMs: 20000, talkMs: 0 });
    expect(c.answeredBy).toBeUndefined();
  });

  it('a call rung at two extensions and answered by one is one answered record, not missed', async () => {
    send([
      ...events(inboundTo('grp-1', '100'), [['ring', 200]]),
      ...events(inboundTo('grp-1', '101'), [['ring', 200]]),
      ...events(inboundTo('grp-1', '101'), [['answer', 208]]),
      // NFON tells the loser its ringing stopped
      ...events(inboundTo('grp-1', '100'), [['hangup', 208]]),
      ...events(inboundTo('grp-1', '101'), [['hangup', 260]]),
    ]);
    const c = await ended('grp-1');
    expect(c).toMatchObject({ status: 'answered', answeredBy: { number: '101' }, ringMs: 8000, talkMs: 52000 });
    expect(c.legs.filter((l) => l.role === 'extension').map((l) => [l.party.number, l.outcome]).sort()).toEqual([
      ['100', 'cancelled'],
      ['101', 'answered'],
    ]);
    expect(rig.ended.filter((x) => x.id === 'cloud-grp-1')).toHaveLength(1);
  });

  it('rung at two, answered by none: one missed record', async () => {
    send([
      ...events(inboundTo('grp-2', '100'), [['ring', 300]]),
      ...events(inboundTo('grp-2', '102'), [['ring', 300]]),
      ...events(inboundTo('grp-2', '100'), [['hangup', 320]]),
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.ended.find((x) => x.id === 'cloud-grp-2')).toBeUndefined(); // 102 still rings
    send(events(inboundTo('grp-2', '102'), [['hangup', 321]]));
    expect(await ended('grp-2')).toMatchObject({ status: 'missed', ringMs: 21000 });
  });

  it('outbound: dial → ring → answer → hangup to an outside number', async () => {
    send(events(outboundFrom('out-1', '102', '4989777000'), [['dial', 400], ['ring', 401], ['answer', 410], ['hangup', 470]]));
    const c = await ended('out-1');
    expect(c).toMatchObject({
      direction: 'outbound',
      status: 'answered',
      from: { number: '102', name: 'Cleo Support' },
      to: { number: '4989777000' },
      ringMs: 10000,
      talkMs: 60000,
    });
  });

  it('internal: both extensions report the call; one record, internal, answered by the callee', async () => {
    const a = outboundFrom('int-1', '100', '101', true);
    const b = { ...a, direction: 'inbound' as const, extension: '101' };
    send([
      ...events(a, [['dial', 500]]),
      ...events(a, [['ring', 500]]),
      ...events(b, [['ring', 500]]),
      ...events(b, [['answer', 504]]),
      ...events(a, [['answer', 504]]),
      ...events(b, [['hangup', 530]]),
      ...events(a, [['hangup', 530]]),
    ]);
    const c = await ended('int-1');
    expect(c).toMatchObject({
      direction: 'internal',
      status: 'answered',
      from: { number: '100', name: 'Anna Office' },
      to: { number: '101', name: 'Ben Sales' },
      answeredBy: { number: '101' },
      talkMs: 26000,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.ended.filter((x) => x.id === 'cloud-int-1')).toHaveLength(1);
  });

  it('busy: a caller reaching an extension that talks in another call (hangup, no ring) is busy', async () => {
    send(events(inboundTo('talk-1', '101', '4940111222'), [['ring', 600], ['answer', 602]]));
    await until(() => rig.calls.find((c) => c.id === 'cloud-talk-1' && c.status === 'active'), 'talking');
    send(events(inboundTo('busy-1', '101', '4940333444'), [['hangup', 610]]));
    expect(await ended('busy-1')).toMatchObject({ direction: 'inbound', status: 'busy', from: { number: '4940333444' }, to: { number: '4930555789', name: 'Berlin' } });
    // an internal call to it: dialled, never rang
    send(events(outboundFrom('busy-2', '102', '101', true), [['dial', 612], ['hangup', 615]]));
    expect(await ended('busy-2')).toMatchObject({ direction: 'internal', status: 'busy' });
    send(events(inboundTo('talk-1', '101', '4940111222'), [['hangup', 660]]));
    expect(await ended('talk-1')).toMatchObject({ status: 'answered', talkMs: 58000 });
  });

  it("NFON's own example, an outside caller shown in the K-Account's context, is inbound: the extension list decides", async () => {
    const ev = { ...inboundTo('spec-1', '100', '0891234567', '089453000'), caller_context: 'K9999', callee_context: 'K9999' };
    send(events(ev, [['ring', 650], ['answer', 652], ['hangup', 655]]));
    expect(await ended('spec-1')).toMatchObject({ direction: 'inbound', status: 'answered', from: { number: '0891234567' }, to: { number: '089453000' } });
  });

  it('hangup without ring or answer (a call from before we connected): recorded incomplete, nothing guessed', async () => {
    send(events(inboundTo('early-1', '102'), [['hangup', 700]]));
    const c = await ended('early-1');
    expect(c).toMatchObject({ direction: 'inbound', status: 'incomplete', open: false, ringMs: 0, talkMs: 0, startedAt: ms(700) });
  });

  it('agent login / logout codes update queue agents and are not calls', async () => {
    const before = rig.ended.length;
    send(events(outboundFrom('code-1', '102', '*87'), [['dial', 800], ['hangup', 801]]));
    const q = await until(() => rig.queues.find((x) => x.queue === 'agents' && x.members.some((m) => m.extension === '102')), 'agent logged in');
    expect(q.members.map((m) => m.extension)).toEqual(['102']);
    send(events(outboundFrom('code-2', '102', '**87'), [['dial', 802], ['hangup', 803]]));
    await until(() => rig.queues.find((x) => x.queue === 'agents' && x.members.length === 0), 'agent logged out');
    await new Promise((r) => setTimeout(r, 100));
    expect(rig.ended.length).toBe(before);
  });
});
