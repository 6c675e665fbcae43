import type { Call } from '../../src/domain';
import type { AmiServer } from '../../src/demo/ami/ami-server';
import { amiConfig, cdrRows, queueLog, replayPbx, Rig, sleep, until, type CdrRow } from './harness';

/**
 * Every real capture in test/fixtures/ami-rig, replayed byte for byte over TCP to the AMI source, must give the
 * scenario's truth (its README) and agree with Asterisk's own CDR on ring and talk time within 1 s per CDR row.
 *
 * CDR conventions used below: ring = answer − start (end − start for unanswered rows); talk = billsec. A queue
 * answers its caller first, so a Queue row's billsec is the caller's wait plus the talk, and the wait comes from
 * queue_log (CONNECT holdtime).
 */

const sec = (ms: number): number => ms / 1000;

function near(actualMs: number, expectedSec: number, tolSec = 1): void {
  const diff = Math.abs(sec(actualMs) - expectedSec);
  if (diff > tolSec) throw new Error(`expected ${sec(actualMs)} s to be within ${tolSec} s of ${expectedSec} s`);
}

const ring = (r: CdrRow): number => ((r.answer ?? r.end) - r.start) / 1000;
const row = (rows: CdrRow[], pred: (r: CdrRow) => boolean): CdrRow => {
  const r = rows.find(pred);
  if (!r) throw new Error('CDR row not found');
  return r;
};

async function replay(name: string, calls: number): Promise<{ rig: Rig; ended: Call[]; server: AmiServer }> {
  const server = await replayPbx(name);
  const rig = new Rig();
  await rig.start(amiConfig(server.port));
  if (calls > 0) await until(() => rig.ended.length >= calls || undefined, `${calls} finished call(s) from ${name}`);
  // nothing more may come: no stray records
  await sleep(400);
  rig.store.flush();
  return { rig, ended: [...rig.ended].sort((a, b) => a.startedAt - b.startedAt), server };
}

describe('real Asterisk 22 captures replayed over TCP', () => {
  let rig: Rig | undefined;
  let server: AmiServer | undefined;
  afterEach(async () => {
    await rig?.stop();
    await server?.close();
    rig = undefined;
    server = undefined;
  });

  async function run(name: string, calls: number): Promise<Call[]> {
    const r = await replay(name, calls);
    rig = r.rig;
    server = r.server;
    expect(r.ended).toHaveLength(calls);
    // every final record is in the store, closed, exactly as published
    for (const c of r.ended) expect(rig.store.getCall(c.id)).toMatchObject({ id: c.id, open: false, status: c.status });
    expect(rig.rejected).toEqual([]);
    return r.ended;
  }

  it('inbound_answered: Alice answers a carrier call', async () => {
    const [c] = await run('inbound_answered', 1);
    const cdr = cdrRows('inbound_answered')[0];
    expect(c).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550101', name: 'NYC Customer' },
      to: { number: '5551001' },
      answeredBy: { number: '1001', name: 'Alice Anders' },
    });
    near(c.ringMs, ring(cdr));
    near(c.talkMs, cdr.billsec);
    expect(c.legs.map((l) => [l.party.number, l.role, l.outcome])).toEqual([
      ['+12125550101', 'trunk', undefined],
      ['1001', 'extension', 'answered'],
    ]);
  });

  it('inbound_missed_voicemail: nobody answers, the caller leaves a message', async () => {
    const [c] = await run('inbound_missed_voicemail', 1);
    const dial = row(cdrRows('inbound_missed_voicemail'), (r) => r.lastapp === 'Dial');
    expect(c).toMatchObject({ direction: 'inbound', status: 'voicemail', from: { number: '+12125550102' }, to: { number: '5551006' } });
    expect(c.answeredBy).toBeUndefined();
    near(c.ringMs, ring(dial));
    near(c.talkMs, dial.billsec);
    expect(c.legs.find((l) => l.party.number === '1006')?.outcome).toBe('noanswer');
    expect(rig!.lastExtension('1006')?.voicemail).toEqual({ new: 1, old: 0 });
  });

  it('inbound_busy: the phone answers 486, the caller goes to voicemail', async () => {
    const [c] = await run('inbound_busy', 1);
    const dial = row(cdrRows('inbound_busy'), (r) => r.lastapp === 'Dial');
    expect(dial.disposition).toBe('BUSY');
    expect(c).toMatchObject({ direction: 'inbound', status: 'busy', from: { number: '+12125550104' }, to: { number: '5551005' } });
    near(c.ringMs, ring(dial));
    near(c.talkMs, dial.billsec);
    expect(c.legs.find((l) => l.party.number === '1005')?.outcome).toBe('busy');
  });

  it('ringgroup_answered: one record, Bob answers, Alice was rung', async () => {
    const [c] = await run('ringgroup_answered', 1);
    const rows = cdrRows('ringgroup_answered');
    const won = row(rows, (r) => r.disposition === 'ANSWERED');
    expect(c).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550105' },
      to: { number: '5551600' },
      answeredBy: { number: '1002', name: 'Bob Brown' },
      group: { type: 'ringgroup', id: '600', answeredBy: { number: '1002' } },
    });
    expect(c.group!.membersRung.map((p) => p.number).sort()).toEqual(['1001', '1002']);
    near(c.ringMs, ring(won));
    near(c.talkMs, won.billsec);
    expect(c.legs.find((l) => l.party.number === '1001')?.outcome).toBe('cancelled');
  });

  it('queue_answered_ringall: one record, Carol answers, Dave was rung', async () => {
    const [c] = await run('queue_answered_ringall', 1);
    const won = row(cdrRows('queue_answered_ringall'), (r) => r.disposition === 'ANSWERED');
    const log = queueLog('queue_answered_ringall');
    const connect = log.find((l) => l.event === 'CONNECT')!;
    const complete = log.find((l) => l.event === 'COMPLETEAGENT')!;
    expect(c).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550106' },
      to: { number: '5551700' },
      queue: 'support',
      answeredBy: { number: '1003', name: 'Carol Chen' },
      group: { type: 'queue', id: 'support' },
    });
    expect(c.group!.membersRung.map((p) => p.number).sort()).toEqual(['1003', '1004']);
    near(c.ringMs, Number(connect.data[0]));
    near(c.waitMs!, Number(connect.data[0]));
    near(c.talkMs, Number(complete.data[1]));
    near(c.ringMs + c.talkMs, won.billsec);
    expect(rig!.queueCalls).toEqual([expect.objectContaining({ queue: 'support', outcome: 'answered' })]);
  });

  it('queue_abandon: the caller hangs up while both agents ring', async () => {
    const [c] = await run('queue_abandon', 1);
    const rows = cdrRows('queue_abandon');
    const abandon = queueLog('queue_abandon').find((l) => l.event === 'ABANDON')!;
    expect(c).toMatchObject({ direction: 'inbound', status: 'abandoned', from: { number: '+12125550108' }, queue: 'support' });
    expect(c.answeredBy).toBeUndefined();
    expect(c.group!.membersRung.map((p) => p.number).sort()).toEqual(['1003', '1004']);
    near(c.ringMs, rows[0].billsec);
    near(c.waitMs!, Number(abandon.data[2]));
    near(c.talkMs, 0);
    expect(rig!.queueCalls).toEqual([expect.objectContaining({ queue: 'support', outcome: 'abandoned' })]);
  });

  it('outbound: Bob calls out through the trunk', async () => {
    const [c] = await run('outbound', 1);
    const cdr = cdrRows('outbound')[0];
    expect(c).toMatchObject({
      direction: 'outbound',
      status: 'answered',
      from: { number: '1002', name: 'Bob Brown' },
      to: { number: '5559876' },
      answeredBy: { number: '5559876' },
    });
    near(c.ringMs, ring(cdr));
    near(c.talkMs, cdr.billsec);
  });

  it('internal: Alice calls Dave, Dave hangs up', async () => {
    const [c] = await run('internal', 1);
    const cdr = cdrRows('internal')[0];
    expect(c).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1001' }, to: { number: '1004' }, answeredBy: { number: '1004', name: 'Dave Diaz' } });
    near(c.ringMs, ring(cdr));
    near(c.talkMs, cdr.billsec);
  });

  it('snapshot_actions: a queue caller abandons while Alice talks to Bob', async () => {
    const [queue, internal] = await run('snapshot_actions', 2);
    const rows = cdrRows('snapshot_actions');
    const q = row(rows, (r) => r.lastapp === 'Queue');
    const i = row(rows, (r) => r.lastapp === 'Dial');
    expect(queue).toMatchObject({ direction: 'inbound', status: 'abandoned', queue: 'support', from: { number: '+12125550109' } });
    near(queue.ringMs, q.billsec);
    expect(internal).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1001' }, to: { number: '1002' }, answeredBy: { number: '1002' } });
    near(internal.ringMs, ring(i));
    near(internal.talkMs, i.billsec);
  });

  it('register: six phones register, no calls', async () => {
    await run('register', 0);
    for (const ext of ['1001', '1002', '1003', '1004', '1005', '1006']) {
      expect(rig!.lastExtension(ext)).toMatchObject({ registered: true, state: 'idle' });
    }
    expect(rig!.calls).toEqual([]);
  });

  it('blind_transfer: Alice answers and transfers the caller to Carol (REFER)', async () => {
    const [c] = await run('blind_transfer', 1);
    const [first, second] = cdrRows('blind_transfer');
    expect(c).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550121' },
      to: { number: '5551001' },
      answeredBy: { number: '1001' },
      transfers: [{ kind: 'blind', by: { number: '1001' }, from: { number: '+12125550121' }, to: { number: '1003' } }],
    });
    near(c.ringMs, ring(first));
    // the second row's billsec includes Carol's 3 s of ringing (README): the caller was already answered
    near(c.talkMs, first.billsec + second.billsec - 3, 2);
    const carol = c.legs.find((l) => l.party.number === '1003');
    expect(carol?.outcome).toBe('answered');
    near(carol!.endedAt! - carol!.answeredAt!, second.billsec - 3);
  });

  it('attended_transfer_consult_refer: the consultation is its own call, the caller ends up with Bob', async () => {
    const [main, consult] = await run('attended_transfer_consult_refer', 2);
    const rows = cdrRows('attended_transfer_consult_refer');
    const toAlice = row(rows, (r) => r.channel.startsWith('PJSIP/trunk') && r.dstchannel.startsWith('PJSIP/1001'));
    const toBob = row(rows, (r) => r.channel.startsWith('PJSIP/trunk') && r.dstchannel.startsWith('PJSIP/1002'));
    const consultRow = row(rows, (r) => r.channel.startsWith('PJSIP/1001'));
    expect(main).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550122' },
      to: { number: '5551001' },
      answeredBy: { number: '1001' },
      transfers: [{ kind: 'attended', by: { number: '1001' }, from: { number: '+12125550122' }, to: { number: '1002' } }],
    });
    near(main.ringMs, ring(toAlice));
    near(main.talkMs, toAlice.billsec + toBob.billsec, 2);
    expect(main.holds).toHaveLength(1);
    expect(main.holds[0].party.number).toBe('1001');
    expect(main.holdMs).toBeGreaterThan(5000);
    expect(main.legs.map((l) => l.party.number)).toEqual(expect.arrayContaining(['+12125550122', '1001', '1002']));
    expect(consult).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1001' }, to: { number: '1002' }, answeredBy: { number: '1002' } });
    near(consult.ringMs, ring(consultRow));
    near(consult.talkMs, consultRow.billsec);
  });

  it('hold_unhold: hold time is counted and stays inside talk time', async () => {
    const [c] = await run('hold_unhold', 1);
    const cdr = cdrRows('hold_unhold')[0];
    expect(c).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1001' }, to: { number: '1002' }, answeredBy: { number: '1002' } });
    near(c.ringMs, ring(cdr));
    near(c.talkMs, cdr.billsec);
    // README: 5 s on hold
    near(c.holdMs, 5);
    expect(c.holds).toEqual([expect.objectContaining({ party: expect.objectContaining({ number: '1001' }) })]);
  });

  it('queue_local_members: FreePBX Local-channel members, Erin answers', async () => {
    const [c] = await run('queue_local_members', 1);
    const rows = cdrRows('queue_local_members');
    const erin = row(rows, (r) => r.dstchannel.startsWith('PJSIP/1005'));
    expect(c).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550124' },
      to: { number: '5551702' },
      queue: 'helpdesk',
      answeredBy: { number: '1005', name: 'Erin Evans' },
      group: { type: 'queue', id: 'helpdesk' },
    });
    expect(c.group!.membersRung).toEqual(
      expect.arrayContaining([
        { number: '1005', name: 'Erin Evans' },
        { number: '1006', name: 'Frank Fox' },
      ]),
    );
    near(c.ringMs, ring(erin));
    near(c.talkMs, erin.billsec);
    // Local channels are never participants
    expect(c.legs.every((l) => !l.channel?.startsWith('Local/'))).toBe(true);
    expect(c.legs.map((l) => l.party.number).sort()).toEqual(['+12125550124', '1005', '1006']);
  });

  it('agent_pause: a paused agent is not rung; pause reasons reach the queue state', async () => {
    const [c] = await run('agent_pause', 1);
    const cdr = cdrRows('agent_pause')[0];
    const connect = queueLog('agent_pause').find((l) => l.event === 'CONNECT')!;
    expect(c).toMatchObject({ direction: 'inbound', status: 'answered', queue: 'support', answeredBy: { number: '1004' } });
    expect(c.group!.membersRung.map((p) => p.number)).toEqual(['1004']);
    near(c.ringMs, Number(connect.data[0]));
    near(c.ringMs + c.talkMs, cdr.billsec);
    const paused = rig!.queues.find((q) => q.members.some((m) => m.interface === 'PJSIP/1003' && m.paused));
    expect(paused?.members.find((m) => m.interface === 'PJSIP/1003')).toMatchObject({ paused: true, pausedReason: 'lunch' });
    const last = rig!.lastQueue('support')!;
    expect(last.members.find((m) => m.interface === 'PJSIP/1003')).toMatchObject({ paused: false });
    expect(last.members.some((m) => m.interface === 'PJSIP/1005')).toBe(false); // added, then removed
    expect(rig!.extensions.some((e) => e.extension === '1003' && e.queues.some((q) => q.queue === 'support' && q.paused && q.pausedReason === 'lunch'))).toBe(true);
  });

  it('dnd_and_unregister: feature codes are no calls; a DND call goes to voicemail; a phone unregisters', async () => {
    const [c] = await run('dnd_and_unregister', 1);
    const vm = row(cdrRows('dnd_and_unregister'), (r) => r.lastapp === 'VoiceMail');
    expect(c).toMatchObject({ direction: 'inbound', status: 'voicemail', from: { number: '+12125550127' }, to: { number: '5551006' } });
    near(c.ringMs, 0);
    expect(vm.billsec).toBeGreaterThan(10);
    expect(rig!.extensions.some((e) => e.extension === '1006' && e.dnd && e.state === 'dnd')).toBe(true);
    expect(rig!.lastExtension('1006')).toMatchObject({ dnd: false });
    expect(rig!.extensions.some((e) => e.extension === '1005' && !e.registered && e.state === 'unavailable')).toBe(true);
    expect(rig!.lastExtension('1005')).toMatchObject({ registered: true });
  });

  it('outbound_busy_and_failed: busy and congestion are two outbound calls', async () => {
    const [busy, failed] = await run('outbound_busy_and_failed', 2);
    const rows = cdrRows('outbound_busy_and_failed').filter((r) => r.lastapp === 'Dial');
    expect(busy).toMatchObject({ direction: 'outbound', status: 'busy', from: { number: '1002' }, to: { number: '5550486' } });
    expect(failed).toMatchObject({ direction: 'outbound', status: 'failed', from: { number: '1002' }, to: { number: '5550503' } });
    near(busy.ringMs, ring(rows[0]));
    near(failed.ringMs, ring(rows[1]));
    expect(busy.talkMs + failed.talkMs).toBe(0);
  });

  it('confbridge_internal_first: three callers into room 800 are three calls, each answered by the room', async () => {
    const [carol, caller, dave] = await run('confbridge_internal_first', 3);
    const room = { number: '800', name: 'Conference 800' };
    // README truth: ring 0 (Answer() before ConfBridge), talk = time in the room
    expect(carol).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1003', name: 'Carol Chen' }, to: { number: '800' }, answeredBy: room });
    expect(caller).toMatchObject({ direction: 'inbound', status: 'answered', from: { number: '+12125550161', name: 'Partner Lead' }, to: { number: '5551800' }, answeredBy: room });
    expect(dave).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1004', name: 'Dave Diaz' }, to: { number: '800' }, answeredBy: room });
    for (const c of [carol, caller, dave]) {
      near(c.ringMs, 0);
      // one leg each: the room's bridge never made the members legs of one another's calls
      expect(c.legs).toHaveLength(1);
      expect(c.transfers).toEqual([]);
    }
    near(carol.talkMs, 10);
    near(caller.talkMs, 12);
    near(dave.talkMs, 7);
    // every CDR row is the room (a pairwise artefact of its bridge), each answered at once
    const rows = cdrRows('confbridge_internal_first');
    expect(rows.every((r) => r.lastapp === 'ConfBridge' && r.disposition === 'ANSWERED' && ring(r) === 0)).toBe(true);
    // the caller's and Carol's first rows start when their talk did; Dave's row starts when he joined
    near(caller.answeredAt! - row(rows, (r) => r.src === '+12125550161').start, 0);
    near(carol.answeredAt! - row(rows, (r) => r.src === '1003').start, 0);
    near(dave.answeredAt! - row(rows, (r) => r.src === '1004').start, 0);
  });

  it('confbridge_transfer_in: a caller Bob transfers into the room stays one call; Bob joining is another', async () => {
    const [caller, bob] = await run('confbridge_transfer_in', 2);
    const rows = cdrRows('confbridge_transfer_in');
    const dial = row(rows, (r) => r.lastapp === 'Dial');
    const inRoom = row(rows, (r) => r.lastapp === 'ConfBridge' && r.src === '+12125550162');
    expect(caller).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550162', name: 'Conf Xfer Caller' },
      to: { number: '5551002' },
      answeredBy: { number: '1002', name: 'Bob Brown' },
      transfers: [{ kind: 'blind', by: { number: '1002' }, from: { number: '+12125550162' }, to: { number: '800', name: 'Conference 800' } }],
    });
    near(caller.ringMs, ring(dial));
    // README: 14 s (4 s with Bob, then 10 s in the room) = the two CDR rows of the caller's uniqueid
    near(caller.talkMs, 14);
    near(caller.talkMs, dial.billsec + inRoom.billsec);
    expect(caller.legs.map((l) => l.party.number)).toEqual(['+12125550162', '1002']);
    expect(bob).toMatchObject({ direction: 'internal', status: 'answered', from: { number: '1002' }, to: { number: '800' }, answeredBy: { number: '800', name: 'Conference 800' } });
    near(bob.ringMs, 0);
    near(bob.talkMs, 7);
    expect(bob.legs).toHaveLength(1);
  });

  it('park_timeout_return: a parked call nobody retrieves rings the parker again and stays one call', async () => {
    const [c] = await run('park_timeout_return', 1);
    const rows = cdrRows('park_timeout_return');
    const first = row(rows, (r) => r.dstchannel.startsWith('PJSIP/1004-00000001'));
    const back = row(rows, (r) => r.dstchannel.startsWith('PJSIP/1004-00000002'));
    expect(c).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      from: { number: '+12125550163', name: 'Park Timeout Caller' },
      to: { number: '5551004' },
      answeredBy: { number: '1004', name: 'Dave Diaz' },
      transfers: [{ kind: 'blind', by: { number: '1004' }, from: { number: '+12125550163' }, to: { number: '70' } }],
    });
    near(c.ringMs, ring(first));
    // README: 6 s of conversation (3.0 + 3.2) is fair; the re-ring's 2 s sit inside the park-dial row's billsec
    near(c.talkMs, first.billsec + back.billsec - 2);
    // the park-dial leg is the parker answering again, not a missed call or another call
    expect(c.legs.filter((l) => l.party.number === '1004').map((l) => l.outcome)).toEqual(['answered', 'answered']);
  });
});
