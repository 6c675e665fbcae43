import type { AmiServer } from '../../src/demo/ami/ami-server';
import { amiConfig, fakePbx, Rig, until } from './harness';

/**
 * After a (re)connect the rooms in use and the parked calls are asked for again: ConfbridgeListRooms, then
 * ConfbridgeList per room, and ParkedCalls, answered here in Asterisk 22's shapes (app_confbridge's list items carry
 * the member's channel snapshot and AnsweredTime; res_parking's ParkedCall items are the ParkedCall event's fields).
 */

const carol = {
  Channel: 'PJSIP/1003-00000000',
  ChannelState: '6',
  ChannelStateDesc: 'Up',
  CallerIDNum: '1003',
  CallerIDName: 'Carol Chen',
  ConnectedLineNum: '<unknown>',
  ConnectedLineName: '<unknown>',
  Language: 'en',
  AccountCode: '',
  Context: 'from-internal',
  Exten: '800',
  Priority: '4',
  Uniqueid: '1796194001.0',
  Linkedid: '1796194001.0',
};
const caller = {
  ...carol,
  Channel: 'PJSIP/trunk-00000001',
  CallerIDNum: '+12125550161',
  CallerIDName: 'Partner Lead',
  Context: 'from-trunk',
  Exten: '5551800',
  Uniqueid: '1796194004.3',
  Linkedid: '1796194004.3',
};
const parkee = {
  ParkeeChannel: 'PJSIP/trunk-00000002',
  ParkeeChannelState: '6',
  ParkeeCallerIDNum: '+12125550163',
  ParkeeCallerIDName: 'Park Timeout Caller',
  ParkeeContext: 'from-internal',
  ParkeeExten: '1004',
  ParkeeUniqueid: '1796194053.0',
  ParkeeLinkedid: '1796194053.0',
  ParkerDialString: 'PJSIP/1004',
  Parkinglot: 'default',
  ParkingSpace: '71',
  ParkingTimeout: '40',
  ParkingDuration: '20',
};
const member = { Admin: 'No', MarkedUser: 'No', WaitMarked: 'No', EndMarked: 'No', Waiting: 'No', Muted: 'No', Talking: 'No' };

describe('resync of conference rooms and parked calls', () => {
  let server: AmiServer | undefined;
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.stop();
    await server?.close();
    rig = server = undefined;
  });

  it('rebuilds room 800 with its members, its members calls answered by the room, and the parked call', async () => {
    const asked: string[] = [];
    server = await fakePbx({
      actions: {
        coreshowchannels: (a, s) =>
          s.list(
            a,
            [
              { Event: 'CoreShowChannel', ...carol, Application: 'ConfBridge', ApplicationData: '800', BridgeId: 'room-800', Duration: '00:00:12' },
              { Event: 'CoreShowChannel', ...caller, Application: 'ConfBridge', ApplicationData: '800', BridgeId: 'room-800', Duration: '00:00:09' },
            ],
            'CoreShowChannelsComplete',
          ),
        confbridgelistrooms: (a, s) => s.list(a, [{ Event: 'ConfbridgeListRooms', Conference: '800', Parties: '2', Marked: '0', Locked: 'No', Muted: 'No' }], 'ConfbridgeListRoomsComplete'),
        confbridgelist: (a, s) => {
          asked.push(a.conference);
          s.list(
            a,
            [
              { Event: 'ConfbridgeList', Conference: '800', ...carol, ...member, AnsweredTime: '12' },
              { Event: 'ConfbridgeList', Conference: '800', ...caller, ...member, Muted: 'Yes', AnsweredTime: '9' },
            ],
            'ConfbridgeListComplete',
          );
        },
        parkedcalls: (a, s) => s.list(a, [{ Event: 'ParkedCall', ...parkee }], 'ParkedCallsComplete'),
      },
    });
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    const r = rig;
    const room = await until(() => r.conferences.find((c) => c.participants.length === 2), 'room 800 from the resync');
    expect(asked).toEqual(['800']);
    expect(room).toMatchObject({ pbx: 'rig', room: '800' });
    expect(room.participants.map((p) => [p.party.number, p.extension, p.muted])).toEqual([
      ['1003', '1003', false],
      ['+12125550161', undefined, true],
    ]);
    // joined when their channels were answered, 12 s and 9 s before the resync
    expect(room.participants[1].joinedAt - room.participants[0].joinedAt).toBe(3000);
    expect(r.lastExtension('1003')).toMatchObject({ conference: '800' });
    // the members' calls, found by CoreShowChannels: each answered by the room, never by the other member
    const calls = await until(() => (r.calls.filter((c) => c.answeredBy).length >= 2 ? r.calls : undefined), 'the two calls answered');
    for (const id of ['rig-1796194001.0', 'rig-1796194004.3']) {
      expect([...calls].reverse().find((c) => c.id === id)).toMatchObject({ open: true, status: 'active', answeredBy: { number: '800', name: 'Conference 800' } });
    }
    const parking = await until(() => r.parking.find((p) => p.calls.length === 1), 'the parked call from the resync');
    expect(parking.calls[0]).toMatchObject({ lot: 'default', slot: '71', party: { number: '+12125550163' }, parker: { number: '1004' } });
    // parked 20 s ago, back to the parker in 40 s
    expect(parking.calls[0].timeoutAt! - parking.calls[0].parkedAt).toBe(60_000);
    expect(r.rejected).toEqual([]);
  });

  it('"No active conferences" is an empty answer, not a failure: a room we knew of has ended', async () => {
    server = await fakePbx({
      actions: {
        confbridgelistrooms: (a, s) => s.respond(a, { Message: 'No active conferences.' }, 'Error'),
        parkedcalls: (a, s) => s.list(a, [], 'ParkedCallsComplete'),
      },
    });
    // the room was in use when the connection dropped: its ConfbridgeStart and a Join came before
    server.on('login', (s) => {
      s.send({ Event: 'ConfbridgeStart', Conference: '800', BridgeUniqueid: 'room-800', BridgeCreator: 'ConfBridge', BridgeName: '800' });
      s.send({ Event: 'ConfbridgeJoin', Conference: '800', BridgeUniqueid: 'room-800', ...carol, Admin: 'No', Muted: 'No' });
    });
    rig = new Rig();
    await rig.start(amiConfig(server.port));
    const r = rig;
    await until(() => r.conferences.some((c) => c.participants.length === 1), 'the live join');
    await until(() => r.status?.version || undefined, 'resync applied');
    await until(() => r.conferences[r.conferences.length - 1].participants.length === 0 || undefined, 'the room ended by the resync');
    expect(r.lastExtension('1003')?.conference).toBeUndefined();
    expect(r.parking[r.parking.length - 1]).toMatchObject({ pbx: 'rig', calls: [] });
  });
});
