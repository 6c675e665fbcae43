import { CALLERS, didOf, PEOPLE, TRUNK } from './office';
import type { Channel, SimPbx } from './pbx';

/** The building blocks of the demo's call scripts (scenarios.ts): dice, the caller on the trunk, a ringing phone. */

/** What a call script needs: the PBX, a (speed-scaled, abortable) clock and dice. */
export interface Script {
  pbx: SimPbx;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const pick = <T>(s: Script, xs: T[]): T => xs[Math.floor(s.random() * xs.length)];
export const between = (s: Script, lo: number, hi: number): number => Math.round(lo + s.random() * (hi - lo));
export const nameOf = (ext: string): string => PEOPLE.find((p) => p.ext === ext)?.name ?? ext;

/** Phones that can ring now: registered, no call on them. */
export function idle(pbx: SimPbx, exts: string[] = PEOPLE.map((p) => p.ext)): string[] {
  return exts.filter((e) => pbx.registered.get(e) && ![...pbx.channels.values()].some((c) => c.endpoint === e));
}

export function inbound(s: Script, did: string): Channel {
  const caller = pick(s, CALLERS);
  return s.pbx.newChannel({ endpoint: TRUNK.endpoint, context: 'from-trunk', exten: did, callerNum: caller.number, callerName: caller.name, state: 4 });
}

export function ringPhone(s: Script, from: Channel, ext: string, dialString: string): Channel {
  const pbx = s.pbx;
  const d = pbx.newChannel({ endpoint: ext, context: 'from-internal', exten: 's', callerNum: ext, callerName: nameOf(ext), state: 0, linkedid: from.linkedid });
  pbx.connected(d, from.callerNum, from.callerName);
  pbx.dialBegin(from, d, dialString);
  d.exten = from.exten;
  pbx.setState(d, 5);
  pbx.dialState(from, d);
  return d;
}

export async function talk(s: Script, a: Channel, b: Channel, ms: number, hold = false): Promise<void> {
  if (!hold) return s.sleep(ms);
  await s.sleep(ms * 0.3);
  s.pbx.hold(a, true, b);
  await s.sleep(ms * 0.3);
  s.pbx.hold(a, false, b);
  await s.sleep(ms * 0.4);
}

export async function voicemail(s: Script, c: Channel, ext: string, flag: 'u' | 'b'): Promise<void> {
  const pbx = s.pbx;
  if (c.state !== 6) pbx.setState(c, 6);
  pbx.newexten(c, 'VoiceMail', `${ext}@default,${flag}`, 'from-internal', ext);
  await s.sleep(between(s, 6000, 20000));
  pbx.voicemailLeft(ext, c);
  pbx.hangup(c, 16);
}

/** The rung phone picks up: it answers, the dial ends ANSWER, the caller is up, and the two are bridged. */
export function pickUp(pbx: Script['pbx'], caller: Channel, phone: Channel): string {
  pbx.setState(phone, 6);
  pbx.dialEnd(caller, phone, 'ANSWER');
  pbx.setState(caller, 6);
  return pbx.bridge(phone, caller);
}

/** Either side may end a call first. */
export function hangUpEitherFirst(s: Script, a: Channel, b: Channel): void {
  const [first, second] = s.random() < 0.5 ? [a, b] : [b, a];
  s.pbx.hangup(first, 16);
  s.pbx.hangup(second, 16);
}

/** A caller on the trunk reaches a phone by its DID and the phone picks up: the start of both transfer scenarios. */
export async function answeredAtDesk(s: Script, ext: string): Promise<{ t: Channel; d: Channel; bridge: string }> {
  const pbx = s.pbx;
  const t = inbound(s, didOf(ext));
  await s.sleep(5);
  pbx.newexten(t, 'Dial', `PJSIP/${ext},15,t`, 'from-internal', ext);
  const d = ringPhone(s, t, ext, ext);
  await s.sleep(between(s, 2000, 5000));
  return { t, d, bridge: pickUp(pbx, t, d) };
}

/** The transferer sends the caller elsewhere (REFER): Asterisk's BlindTransfer event for the pair's bridge. */
export function blindTransferEvent(
  pbx: SimPbx,
  transferer: Channel,
  transferee: Channel,
  bridge: string | undefined,
  exten: string,
  context = 'from-internal',
): void {
  pbx.event('BlindTransfer', 'call', {
    Result: 'Success',
    ...pbx.channelFields(transferer, 'Transferer'),
    ...pbx.channelFields(transferee, 'Transferee'),
    BridgeUniqueid: bridge,
    BridgeType: 'basic',
    BridgeNumChannels: 2,
    IsExternal: 'Yes',
    Context: context,
    Extension: exten,
  });
}

/** The channels of an attended transfer: the held caller's call and the consultation call. */
export interface AttendedLegs {
  /** the caller, held in `main` */
  caller: Channel;
  /** the transferer's phone on the main call */
  desk: Channel;
  /** the transferer's consultation channel and the colleague it reached, bridged in `second` */
  consult: Channel;
  target: Channel;
  main: string;
  second: string;
}

/** The transferer joins caller and colleague: both unheld, the colleague moved into the caller's bridge, the event, the transferer's two channels gone. */
export function completeAttendedTransfer(pbx: SimPbx, x: AttendedLegs): void {
  pbx.hold(x.consult, false);
  pbx.hold(x.desk, false, x.caller);
  pbx.bridgeLeave(x.target);
  pbx.bridgeLeave(x.desk);
  pbx.bridgeEnter(x.main, x.target);
  pbx.event('AttendedTransfer', 'call', {
    Result: 'Success',
    ...pbx.channelFields(x.consult, 'OrigTransferer'),
    OrigBridgeUniqueid: x.second,
    OrigBridgeType: 'basic',
    OrigBridgeNumChannels: 1,
    ...pbx.channelFields(x.desk, 'SecondTransferer'),
    SecondBridgeUniqueid: x.main,
    SecondBridgeType: 'basic',
    SecondBridgeNumChannels: 2,
    ...pbx.channelFields(x.caller, 'Transferee'),
    ...pbx.channelFields(x.target, 'TransferTarget'),
    IsExternal: 'No',
    DestType: 'Bridge',
    DestBridgeUniqueid: x.main,
  });
  pbx.hangup(x.consult, 16);
  pbx.hangup(x.desk, 16);
}
