import type { ActionHandler } from './ami-server';
import { PEOPLE, TRUNK } from './office';
import type { Channel, SimPbx } from './pbx';
import { between, blindTransferEvent, completeAttendedTransfer, nameOf, pickUp, ringPhone, talk, voicemail, type Script } from './script';

/** Runs a call script on the demo's clock, beside its own traffic. */
export type Play = (script: (s: Script) => Promise<void>) => void;

const isPerson = (n: string): boolean => PEOPLE.some((p) => p.ext === n);
/** Talk time of a call that call control started or moved, unless somebody ends it sooner. */
const TALK_MS: [number, number] = [30000, 120000];

/**
 * The call-control actions, executed like Asterisk 22 does: Originate rings the phone, and once it answers runs the
 * dialplan to the target; Hangup ends a channel and, as Dial does, the rest of its call; BlindTransfer hands the
 * transferer's bridge peer to the target; Atxfer consults the target and completes when the transferer hangs up.
 * The events are the ones the demo's own call scripts send, in the same shapes as the captures.
 */
export function controlActions(pbx: SimPbx, play: Play): Record<string, ActionHandler> {
  return {
    originate: (a, s) => {
      const ext = /^PJSIP\/([A-Za-z0-9_.]+)$/i.exec(a.channel ?? '')?.[1];
      if (!a.channel) return s.respond(a, { Message: 'Channel not specified' }, 'Error');
      if (!a.exten || !a.context) return s.respond(a, { Message: 'Exten and Context are required' }, 'Error');
      s.respond(a, { Message: 'Originate successfully queued' });
      const o = { actionId: a.actionid, channel: a.channel, ext, exten: a.exten, context: a.context, channelId: a.channelid, ringMs: Number(a.timeout) || 30000 };
      play((sc) => originate(sc, o));
    },
    hangup: (a, s) => {
      const c = pbx.channelNamed(a.channel ?? '');
      if (!c) return s.respond(a, { Message: 'No such channel' }, 'Error');
      s.respond(a, { Message: 'Channel Hungup' });
      hangUpCall(pbx, c, Number(a.cause) || 16);
    },
    blindtransfer: (a, s) => {
      const d = pbx.channelNamed(a.channel ?? '');
      const t = d && peerOf(pbx, d);
      if (!d) return s.respond(a, { Message: 'No such channel' }, 'Error');
      if (!t || !a.exten) return s.respond(a, { Message: 'Transfer failed: the channel is not talking to one other party' }, 'Error');
      s.respond(a, { Message: 'Transfer succeeded' });
      blindTransferEvent(pbx, d, t, d.bridge, a.exten, a.context);
      pbx.bridgeLeave(d);
      pbx.bridgeLeave(t);
      pbx.hangup(d, 16);
      const target = a.exten;
      play((sc) => deliver(sc, t, target));
    },
    atxfer: (a, s) => {
      const d = pbx.channelNamed(a.channel ?? '');
      const t = d && peerOf(pbx, d);
      if (!d) return s.respond(a, { Message: 'No such channel' }, 'Error');
      if (!t || !a.exten) return s.respond(a, { Message: 'Atxfer failed: the channel is not talking to one other party' }, 'Error');
      // this demo office consults its own people only; an outside target would need a second trunk call
      if (!isPerson(a.exten) || !pbx.registered.get(a.exten)) return s.respond(a, { Message: `Atxfer failed: ${a.exten} cannot be reached` }, 'Error');
      s.respond(a, { Message: 'Atxfer successfully queued' });
      const target = a.exten;
      play((sc) => consultAndTransfer(sc, d, t, target));
    },
  };
}

/** The one other channel in `c`'s bridge. */
function peerOf(pbx: SimPbx, c: Channel): Channel | undefined {
  const ids = c.bridge ? [...(pbx.bridges.get(c.bridge) ?? [])].filter((u) => u !== c.uniqueid) : [];
  return ids.length === 1 ? pbx.channels.get(ids[0]) : undefined;
}

/** A channel hung up by an action takes its call with it: the peer's Dial returns, phones still ringing stop. */
function hangUpCall(pbx: SimPbx, c: Channel, cause: number): void {
  const rest = [...pbx.channels.values()].filter((x) => x !== c && x.linkedid === c.linkedid);
  pbx.hangup(c, cause);
  for (const x of rest) pbx.hangup(x, x.state === 6 ? 16 : 0);
}

interface Originate {
  actionId?: string;
  channel: string;
  ext?: string;
  exten: string;
  context: string;
  channelId?: string;
  ringMs: number;
}

function originateResponse(pbx: SimPbx, o: Originate, ok: boolean, reason: number, c?: Channel): void {
  pbx.event('OriginateResponse', 'call', {
    ActionID: o.actionId,
    Response: ok ? 'Success' : 'Failure',
    Channel: c?.name ?? o.channel,
    Context: o.context,
    Exten: o.exten,
    Reason: reason,
    Uniqueid: c?.uniqueid ?? '<null>',
    CallerIDNum: o.ext ?? '<unknown>',
    CallerIDName: '<unknown>',
  });
}

/** Click-to-dial: the extension's phone rings; answered, the dialplan dials the target from it. */
async function originate(s: Script, o: Originate): Promise<void> {
  const pbx = s.pbx;
  const ext = o.ext;
  // Reason: 0 no such channel, 1 hung up, 3 no answer, 4 answered, 5 busy
  if (!ext || !isPerson(ext) || !pbx.registered.get(ext)) return originateResponse(pbx, o, false, 0);
  if (pbx.dnd.has(ext)) return originateResponse(pbx, o, false, 5);
  const c = pbx.newChannel({ endpoint: ext, context: o.context, exten: 's', callerNum: ext, callerName: nameOf(ext), state: 0, uniqueid: o.channelId });
  pbx.connected(c, o.exten, '');
  pbx.setState(c, 5);
  const answerAfter = between(s, 1500, 4000);
  await s.sleep(Math.min(answerAfter, o.ringMs));
  if (!pbx.alive(c)) return originateResponse(pbx, o, false, 1);
  if (answerAfter > o.ringMs) {
    pbx.hangup(c, 19);
    return originateResponse(pbx, o, false, 3);
  }
  pbx.setState(c, 6);
  originateResponse(pbx, o, true, 4, c);
  if (isPerson(o.exten)) {
    pbx.newexten(c, 'Dial', `PJSIP/${o.exten},20,t`, o.context, o.exten);
    const d = ringPhone(s, c, o.exten, o.exten);
    await s.sleep(between(s, 1500, 4000));
    if (!pbx.alive(c, d)) return;
    pickUp(pbx, c, d);
    await talk(s, c, d, between(s, ...TALK_MS));
    hangUpCall(pbx, c, 16);
    return;
  }
  pbx.newexten(c, 'Dial', `PJSIP/${o.exten}@${TRUNK.endpoint},30`, o.context, o.exten);
  c.callerNum = TRUNK.companyNumber;
  await outsideAnswers(s, c, o.exten);
}

/** A blind-transferred caller rings the target: a person (voicemail when away) or an outside number. */
async function deliver(s: Script, t: Channel, target: string): Promise<void> {
  const pbx = s.pbx;
  if (isPerson(target)) {
    if (!pbx.registered.get(target)) return voicemail(s, t, target, 'u');
    t.exten = target;
    const e = ringPhone(s, t, target, target);
    await s.sleep(between(s, 2000, 5000));
    if (!pbx.alive(t, e)) return;
    pbx.setState(e, 6);
    pbx.dialEnd(t, e, 'ANSWER');
    pbx.bridge(e, t);
    await talk(s, t, e, between(s, ...TALK_MS));
    hangUpCall(pbx, t, 16);
    return;
  }
  await outsideAnswers(s, t, target);
}

/** `from` dials `number` through the trunk; the far end answers, they talk, and the call is hung up. */
async function outsideAnswers(s: Script, from: Channel, number: string): Promise<void> {
  const pbx = s.pbx;
  const tr = pbx.newChannel({ endpoint: TRUNK.endpoint, context: 'from-trunk', exten: 's', callerNum: '', callerName: '', state: 0, linkedid: from.linkedid });
  tr.callerNum = number;
  pbx.dialBegin(from, tr, `${number}@${TRUNK.endpoint}`);
  pbx.setState(tr, 5);
  pbx.dialState(from, tr);
  await s.sleep(between(s, 2000, 5000));
  if (!pbx.alive(from, tr)) return;
  pbx.setState(tr, 6);
  pbx.dialEnd(from, tr, 'ANSWER');
  pbx.bridge(tr, from);
  await talk(s, from, tr, between(s, ...TALK_MS));
  hangUpCall(pbx, from, 16);
}

/** Atxfer: the caller is held, the transferer consults the target on a second channel, then hangs up to hand over. */
async function consultAndTransfer(s: Script, d: Channel, t: Channel, target: string): Promise<void> {
  const pbx = s.pbx;
  const main = d.bridge!;
  pbx.hold(d, true, t);
  const consult = pbx.newChannel({ endpoint: d.endpoint, context: 'from-internal', exten: target, callerNum: d.endpoint, callerName: nameOf(d.endpoint), state: 4 });
  pbx.newexten(consult, 'Dial', `PJSIP/${target},20,t`);
  const e = ringPhone(s, consult, target, target);
  await s.sleep(between(s, 2000, 4000));
  if (!pbx.alive(consult, e)) return;
  const second = pickUp(pbx, consult, e);
  await s.sleep(between(s, 3000, 6000));
  if (!pbx.alive(d, t, consult, e)) return;
  completeAttendedTransfer(pbx, { caller: t, desk: d, consult, target: e, main, second });
  await talk(s, t, e, between(s, ...TALK_MS));
  hangUpCall(pbx, t, 16);
}
