import { didOf, OUTSIDE_NUMBERS, PEOPLE, RING_GROUP, TRUNK, type QueueDef } from './office';
import { answeredAtDesk, between, blindTransferEvent, completeAttendedTransfer, hangUpEitherFirst, idle, inbound, nameOf, pick, pickUp, ringPhone, talk, voicemail, type Script } from './script';

/** The demo's call scripts: each plays one kind of call through the simulated PBX, as Asterisk 22 would report it. */

/** A carrier call to a direct-dial number: answered, missed (voicemail or caller gives up), busy, or DND. */
export async function inboundDirect(s: Script, ext: string, outcome: 'answer' | 'noanswer' | 'giveup' | 'busy'): Promise<void> {
  const pbx = s.pbx;
  const t = inbound(s, didOf(ext));
  await s.sleep(5);
  if (pbx.dnd.has(ext) || !pbx.registered.get(ext)) {
    // FreePBX: DND or no contact → straight to voicemail, nothing rings
    await voicemail(s, t, ext, pbx.dnd.has(ext) ? 'b' : 'u');
    return;
  }
  pbx.newexten(t, 'Dial', `PJSIP/${ext},15,t`, 'from-internal', ext);
  const d = ringPhone(s, t, ext, ext);
  if (outcome === 'busy') {
    await s.sleep(between(s, 300, 1500));
    pbx.dialEnd(t, d, 'BUSY');
    pbx.hangup(d, 17);
    await voicemail(s, t, ext, 'b');
    return;
  }
  if (outcome === 'noanswer') {
    await s.sleep(15000);
    pbx.dialEnd(t, d, 'NOANSWER');
    pbx.hangup(d, 0);
    await voicemail(s, t, ext, 'u');
    return;
  }
  if (outcome === 'giveup') {
    await s.sleep(between(s, 4000, 12000));
    pbx.dialEnd(t, d, 'CANCEL');
    pbx.hangup(d, 16);
    pbx.hangup(t, 16);
    return;
  }
  await s.sleep(between(s, 2000, 7000));
  pickUp(pbx, t, d);
  await talk(s, d, t, between(s, 15000, 150000), s.random() < 0.3);
  hangUpEitherFirst(s, t, d);
}

/** Ring-all group 600: one answers, the others are cancelled; nobody → the caller gives up. */
export async function ringGroup(s: Script, answer: boolean): Promise<void> {
  const pbx = s.pbx;
  const members = idle(pbx, RING_GROUP.members);
  if (members.length === 0) return;
  const t = inbound(s, RING_GROUP.did);
  await s.sleep(5);
  pbx.newexten(t, 'Dial', `${members.map((m) => `PJSIP/${m}`).join('&')},20,t`, 'from-internal', RING_GROUP.number);
  const legs = members.map((m) => ringPhone(s, t, m, m));
  await s.sleep(answer ? between(s, 2000, 8000) : between(s, 8000, 18000));
  if (!answer) {
    for (const d of legs) pbx.dialEnd(t, d, 'CANCEL');
    for (const d of legs) pbx.hangup(d, 16);
    pbx.hangup(t, 16);
    return;
  }
  const winner = pick(s, legs);
  pbx.setState(winner, 6);
  for (const d of legs) if (d !== winner) pbx.dialEnd(t, d, 'CANCEL');
  for (const d of legs) if (d !== winner) pbx.hangup(d, 26);
  pbx.dialEnd(t, winner, 'ANSWER');
  pbx.setState(t, 6);
  pbx.bridge(winner, t);
  await talk(s, winner, t, between(s, 20000, 120000));
  pbx.hangup(t, 16);
  pbx.hangup(winner, 16);
}

/** A queue call: the queue answers, rings its free unpaused members; one answers or the caller abandons. */
export async function queueCall(s: Script, q: QueueDef, answer: boolean): Promise<void> {
  const pbx = s.pbx;
  const t = inbound(s, q.did);
  await s.sleep(5);
  pbx.setState(t, 6);
  pbx.newexten(t, 'Queue', `${q.name},t,,,120`, 'from-internal', q.number);
  pbx.event('QueueCallerJoin', 'call', { ...pbx.channelFields(t), Queue: q.name, Position: 1, Count: 1 });
  const free = idle(pbx, q.members).filter((m) => !pbx.members.find((x) => x.queue === q.name && x.ext === m)?.paused);
  const ring = q.strategy === 'ringall' ? free : free.slice(0, 1);
  const legs = ring.map((m) => {
    const d = pbx.newChannel({ endpoint: m, context: 'from-internal', exten: 's', callerNum: m, callerName: nameOf(m), state: 0, linkedid: t.linkedid });
    pbx.event('AgentCalled', 'agent', { ...pbx.channelFields(t), ...pbx.channelFields(d, 'Dest'), Queue: q.name, Interface: `PJSIP/${m}`, MemberName: nameOf(m) });
    pbx.dialBegin(t, d, m);
    d.exten = q.number;
    pbx.connected(d, t.callerNum, t.callerName);
    pbx.setState(d, 5);
    pbx.dialState(t, d);
    return d;
  });
  const start = Date.now();
  const held = (): number => Math.round((Date.now() - start) / 1000);
  if (!answer || legs.length === 0) {
    await s.sleep(between(s, 6000, 25000));
    for (const d of legs) pbx.dialEnd(t, d, 'CANCEL');
    pbx.event('QueueCallerAbandon', 'call', { ...pbx.channelFields(t), Queue: q.name, Position: 1, OriginalPosition: 1, HoldTime: held() });
    pbx.event('QueueCallerLeave', 'call', { ...pbx.channelFields(t), Queue: q.name, Count: 0, Position: 1 });
    for (const d of legs) pbx.hangup(d, 0);
    pbx.hangup(t, 0);
    return;
  }
  await s.sleep(between(s, 2000, 9000));
  const winner = pick(s, legs);
  const member = `PJSIP/${winner.endpoint}`;
  pbx.setState(winner, 6);
  pbx.dialEnd(t, winner, 'ANSWER');
  for (const d of legs) if (d !== winner) pbx.dialEnd(t, d, 'CANCEL');
  for (const d of legs) if (d !== winner) pbx.hangup(d, 26);
  pbx.event('QueueCallerLeave', 'call', { ...pbx.channelFields(t), Queue: q.name, Count: 0, Position: 1 });
  const waited = held();
  pbx.event('AgentConnect', 'agent', { ...pbx.channelFields(t), ...pbx.channelFields(winner, 'Dest'), Queue: q.name, Interface: member, MemberName: nameOf(winner.endpoint), HoldTime: waited, RingTime: waited });
  pbx.bridge(winner, t);
  const talkStart = Date.now();
  await talk(s, winner, t, between(s, 20000, 180000), s.random() < 0.25);
  const m = pbx.members.find((x) => x.queue === q.name && x.ext === winner.endpoint);
  if (m) {
    m.callsTaken++;
    m.lastCall = Math.floor(Date.now() / 1000);
  }
  const agentHangs = s.random() < 0.5;
  pbx.event('AgentComplete', 'agent', {
    ...pbx.channelFields(t),
    ...pbx.channelFields(winner, 'Dest'),
    Queue: q.name,
    Interface: member,
    MemberName: nameOf(winner.endpoint),
    HoldTime: waited,
    TalkTime: Math.round((Date.now() - talkStart) / 1000),
    Reason: agentHangs ? 'agent' : 'caller',
  });
  const [first, second] = agentHangs ? [winner, t] : [t, winner];
  pbx.hangup(first, 16);
  pbx.hangup(second, 16);
}

/** A phone calls out through the trunk (answered, busy, congestion, or the caller gives up). */
export async function outbound(s: Script, ext: string, outcome: 'answer' | 'busy' | 'failed' | 'giveup'): Promise<void> {
  const pbx = s.pbx;
  const number = pick(s, OUTSIDE_NUMBERS);
  const c = pbx.newChannel({ endpoint: ext, context: 'from-internal', exten: `9${number}`, callerNum: ext, callerName: nameOf(ext), state: 4 });
  await s.sleep(20);
  pbx.newexten(c, 'Dial', `PJSIP/${number}@${TRUNK.endpoint},30`);
  c.callerNum = TRUNK.companyNumber;
  const tr = pbx.newChannel({ endpoint: TRUNK.endpoint, context: 'from-trunk', exten: 's', callerNum: '', callerName: '', state: 0, linkedid: c.linkedid });
  tr.callerNum = `9${number}`;
  pbx.dialBegin(c, tr, `${number}@${TRUNK.endpoint}`);
  if (outcome === 'busy' || outcome === 'failed') {
    await s.sleep(between(s, 600, 1500));
    const busy = outcome === 'busy';
    pbx.dialEnd(c, tr, busy ? 'BUSY' : 'CONGESTION');
    pbx.hangup(tr, busy ? 17 : 34);
    pbx.hangup(c, busy ? 17 : 34);
    return;
  }
  pbx.setState(tr, 5);
  pbx.dialState(c, tr);
  await s.sleep(between(s, 2000, 9000));
  if (outcome === 'giveup') {
    pbx.dialEnd(c, tr, 'CANCEL');
    pbx.hangup(tr, 16);
    pbx.hangup(c, 16);
    return;
  }
  pbx.setState(tr, 6);
  pbx.dialEnd(c, tr, 'ANSWER');
  pbx.setState(c, 6);
  pbx.bridge(tr, c);
  await talk(s, c, tr, between(s, 10000, 200000));
  pbx.hangup(c, 16);
  pbx.hangup(tr, 16);
}

/** Colleague to colleague, sometimes with a hold (`hold` decides, else the dice). */
export async function internal(s: Script, a: string, b: string, answer: boolean, hold?: boolean): Promise<void> {
  const pbx = s.pbx;
  const c = pbx.newChannel({ endpoint: a, context: 'from-internal', exten: b, callerNum: a, callerName: nameOf(a), state: 4 });
  await s.sleep(10);
  pbx.newexten(c, 'Dial', `PJSIP/${b},20,t`);
  const d = ringPhone(s, c, b, b);
  if (!answer) {
    await s.sleep(20000);
    pbx.dialEnd(c, d, 'NOANSWER');
    pbx.hangup(d, 0);
    await voicemail(s, c, b, 'u');
    return;
  }
  await s.sleep(between(s, 1500, 6000));
  pickUp(pbx, c, d);
  await talk(s, c, d, between(s, 10000, 90000), hold ?? s.random() < 0.4);
  hangUpEitherFirst(s, c, d);
}

/** The receptionist answers and transfers the caller blind (REFER) to a colleague. */
export async function blindTransfer(s: Script, a: string, b: string): Promise<void> {
  const pbx = s.pbx;
  const { t, d, bridge } = await answeredAtDesk(s, a);
  await s.sleep(between(s, 5000, 20000));
  blindTransferEvent(pbx, d, t, bridge, b);
  pbx.bridgeLeave(d);
  pbx.bridgeLeave(t);
  pbx.hangup(d, 16);
  if (!pbx.registered.get(b)) {
    await voicemail(s, t, b, 'u');
    return;
  }
  t.exten = b;
  const e = ringPhone(s, t, b, b);
  await s.sleep(between(s, 2000, 6000));
  pbx.setState(e, 6);
  pbx.dialEnd(t, e, 'ANSWER');
  pbx.bridge(e, t);
  await s.sleep(between(s, 15000, 90000));
  pbx.hangup(t, 16);
  pbx.hangup(e, 16);
}

/** The receptionist holds the caller, consults a colleague on a second line, then joins them (attended transfer). */
export async function attendedTransfer(s: Script, a: string, b: string): Promise<void> {
  const pbx = s.pbx;
  const { t, d, bridge: main } = await answeredAtDesk(s, a);
  await s.sleep(between(s, 4000, 12000));
  pbx.hold(d, true, t);
  await s.sleep(1500);
  const consult = pbx.newChannel({ endpoint: a, context: 'from-internal', exten: b, callerNum: a, callerName: nameOf(a), state: 4 });
  pbx.newexten(consult, 'Dial', `PJSIP/${b},20,t`);
  const e = ringPhone(s, consult, b, b);
  await s.sleep(between(s, 2000, 5000));
  const second = pickUp(pbx, consult, e);
  await s.sleep(between(s, 4000, 10000));
  completeAttendedTransfer(pbx, { caller: t, desk: d, consult, target: e, main, second });
  await s.sleep(between(s, 15000, 90000));
  pbx.hangup(t, 16);
  pbx.hangup(e, 16);
}

/** Everything else an office does: phones drop off Wi-Fi, people toggle DND, listen to voicemail. */
export async function housekeeping(s: Script): Promise<void> {
  const pbx = s.pbx;
  const roll = s.random();
  const person = pick(s, PEOPLE).ext;
  if (roll < 0.4) {
    if (!idle(pbx, [person]).length) return;
    pbx.setRegistered(person, false);
    await s.sleep(between(s, 20000, 90000));
    pbx.setRegistered(person, true);
  } else if (roll < 0.7) {
    pbx.setDnd(person, true);
    await s.sleep(between(s, 30000, 120000));
    pbx.setDnd(person, false);
  } else if (roll < 0.9) pbx.voicemailRead(person);
  else {
    // the carrier refuses one re-registration, the next one works
    pbx.setTrunkRegistered(false);
    await s.sleep(between(s, 10000, 30000));
    pbx.setTrunkRegistered(true);
  }
}
