import type { Frame } from './ami-server';
import type { Channel } from './pbx';
import { answeredAtDesk, between, blindTransferEvent, idle, inbound, nameOf, pick, type Script } from './script';

/**
 * Conference and parking scenes for the demo, shaped like the real captures confbridge_internal_first and
 * park_timeout_return: a ConfBridge room's bridge is `softmix` made by ConfBridge and never re-links its members'
 * calls; a parked caller waits alone in a `parking` holding bridge.
 */

const ROOM = '800';
const ROOM_DID = '5551800';
const PARK_EXTEN = '70';

let bridgeSeq = 0;
const bridgeId = (kind: string): string => `${kind}-${(bridgeSeq++).toString(16).padStart(8, '0')}-4e0a-9d1c-5c0bf0c0ffee`;

function roomBridge(id: string, members: number): Frame {
  return { BridgeUniqueid: id, BridgeType: 'base', BridgeTechnology: 'softmix', BridgeCreator: 'ConfBridge', BridgeName: ROOM, BridgeNumChannels: members, BridgeVideoSourceMode: 'none' };
}

function parkingBridge(id: string, members: number): Frame {
  return { BridgeUniqueid: id, BridgeType: 'parking', BridgeTechnology: 'holding_bridge', BridgeCreator: 'Parking', BridgeName: 'default', BridgeNumChannels: members, BridgeVideoSourceMode: 'none' };
}

/** Room 800: two or three colleagues dial in (sometimes an outside partner too), talk, and leave one by one. */
export async function conference(s: Script): Promise<void> {
  const pbx = s.pbx;
  const people = idle(pbx);
  if (people.length < 2) return;
  const count = Math.min(people.length, s.random() < 0.5 ? 2 : 3);
  const chosen: string[] = [];
  while (chosen.length < count) {
    const e = pick(s, people.filter((p) => !chosen.includes(p)));
    chosen.push(e);
  }
  const id = bridgeId('conf');
  const inRoom: Channel[] = [];
  const join = (c: Channel): void => {
    pbx.newexten(c, 'Answer', '', 'from-internal', ROOM);
    pbx.setState(c, 6);
    pbx.newexten(c, 'ConfBridge', ROOM, 'from-internal', ROOM);
    if (inRoom.length === 0) {
      pbx.event('BridgeCreate', 'call', roomBridge(id, 0));
      pbx.event('ConfbridgeStart', 'call', { Conference: ROOM, ...roomBridge(id, 0) });
    }
    inRoom.push(c);
    pbx.event('BridgeEnter', 'call', { ...roomBridge(id, inRoom.length), ...pbx.channelFields(c) });
    pbx.event('ConfbridgeJoin', 'call', { Conference: ROOM, ...roomBridge(id, inRoom.length), ...pbx.channelFields(c), Admin: 'No', Muted: 'No' });
  };
  for (const ext of chosen) {
    join(pbx.newChannel({ endpoint: ext, context: 'from-internal', exten: ROOM, callerNum: ext, callerName: nameOf(ext), state: 4 }));
    await s.sleep(between(s, 2000, 8000));
  }
  if (s.random() < 0.5) {
    const t = inbound(s, ROOM_DID);
    pbx.newexten(t, 'Goto', `from-internal,${ROOM},1`);
    join(t);
  }
  await s.sleep(between(s, 20000, 60000));
  while (inRoom.length) {
    const c = inRoom.splice(Math.floor(s.random() * inRoom.length), 1)[0];
    pbx.event('ConfbridgeLeave', 'call', { Conference: ROOM, ...roomBridge(id, inRoom.length), ...pbx.channelFields(c), Admin: 'No' });
    pbx.event('BridgeLeave', 'call', { ...roomBridge(id, inRoom.length), ...pbx.channelFields(c) });
    if (inRoom.length === 0) {
      pbx.event('ConfbridgeEnd', 'call', { Conference: ROOM, ...roomBridge(id, 0) });
      pbx.event('BridgeDestroy', 'call', roomBridge(id, 0));
    }
    pbx.hangup(c, 16);
    if (inRoom.length) await s.sleep(between(s, 2000, 10000));
  }
}

/** A caller is parked by the colleague who answered (REFER to 70), waits on music, and another colleague picks it up from its space. */
export async function park(s: Script, ext: string, retriever: string): Promise<void> {
  const pbx = s.pbx;
  const { t, d, bridge } = await answeredAtDesk(s, ext);
  await s.sleep(between(s, 4000, 15000));
  pbx.hold(d, false);
  blindTransferEvent(pbx, d, t, bridge, PARK_EXTEN);
  const slot = String(71 + Math.floor(s.random() * 9));
  const lot = bridgeId('park');
  const parked = (event: string, extra: Frame): void =>
    pbx.event(event, 'call', { ...pbx.channelFields(t, 'Parkee'), ParkerDialString: `PJSIP/${ext}`, Parkinglot: 'default', ParkingSpace: slot, ...extra });
  const timeout = 60;
  parked('ParkedCall', { ParkingTimeout: timeout, ParkingDuration: 0 });
  pbx.bridgeLeave(t);
  pbx.event('BridgeCreate', 'call', parkingBridge(lot, 0));
  pbx.event('BridgeEnter', 'call', { ...parkingBridge(lot, 1), ...pbx.channelFields(t) });
  pbx.event('MusicOnHoldStart', 'call', { ...pbx.channelFields(t), Class: 'default' });
  await s.sleep(1700); // the space is read out to the parker
  pbx.hangup(d, 16);
  const waited = between(s, 8000, 40000);
  await s.sleep(waited);
  // a colleague dials the space and gets the caller
  const r = pbx.newChannel({ endpoint: retriever, context: 'from-internal', exten: slot, callerNum: retriever, callerName: nameOf(retriever), state: 4 });
  pbx.newexten(r, 'ParkedCall', `default,${slot}`);
  pbx.setState(r, 6);
  pbx.event('MusicOnHoldStop', 'call', pbx.channelFields(t));
  parked('UnParkedCall', { ...pbx.channelFields(r, 'Retriever'), ParkingTimeout: Math.max(0, timeout - Math.round(waited / 1000)), ParkingDuration: Math.round(waited / 1000) });
  pbx.event('BridgeLeave', 'call', { ...parkingBridge(lot, 0), ...pbx.channelFields(t) });
  pbx.event('BridgeDestroy', 'call', parkingBridge(lot, 0));
  pbx.bridge(r, t);
  await s.sleep(between(s, 10000, 60000));
  pbx.hangup(t, 16);
  pbx.hangup(r, 16);
}
