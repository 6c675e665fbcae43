import { Value } from '@sinclair/typebox/value';
import { Classifier } from '../../src/sources/ami/classify';
import { TrunkRulesSchema, type TrunkRules } from '../../src/sources/ami/config';
import { Translator } from '../../src/sources/ami/translate';

describe('Translator', () => {
  it('names a phone leg by its endpoint even when an outbound route already rewrote its caller ID', () => {
    // what CoreShowChannels reports for Bob's channel during the `outbound` capture: CALLERID(num)=5551000 was set
    const events = new Translator(new Classifier(Value.Default(TrunkRulesSchema, {}) as TrunkRules)).existing(
      {
        Event: 'CoreShowChannel',
        Channel: 'PJSIP/1002-00000014',
        Uniqueid: '1795462165.20',
        Linkedid: '1795462165.20',
        ChannelState: '6',
        Context: 'from-internal',
        Exten: '95559876',
        CallerIDNum: '5551000',
        CallerIDName: 'Bob Brown',
        Application: 'Dial',
        Duration: '00:00:04',
      } as never,
      Date.UTC(2026, 10, 23),
    );
    const started = events.find((e) => e.type === 'legStarted');
    expect(started).toMatchObject({ kind: 'extension', party: { number: '1002', name: 'Bob Brown' } });
  });

  describe('conference rooms', () => {
    const translator = (): Translator => new Translator(new Classifier(Value.Default(TrunkRulesSchema, {}) as TrunkRules));
    const chan = (n: string, uid: string) => ({ Channel: `PJSIP/${n}-0000000${uid}`, Uniqueid: `17.${uid}`, Linkedid: `17.${uid}`, ChannelState: '6' });

    it('keeps a ConfBridge bridge out of the topology even when the PBX names no bridge creator (before Asterisk 13.13)', () => {
      const t = translator();
      expect(t.translate({ Event: 'Newexten', ...chan('1003', '1'), Application: 'ConfBridge', AppData: '800,default_bridge' }, 1)).toEqual([
        { type: 'conferenceJoined', at: 1, leg: '17.1', call: '17.1', room: '800' },
      ]);
      // the bridge a channel running ConfBridge enters is the room's; a second member entering it is no bridge join
      expect(t.translate({ Event: 'BridgeEnter', ...chan('1003', '1'), BridgeUniqueid: 'b1' }, 2)).toEqual([
        { type: 'conferenceJoined', at: 2, leg: '17.1', call: '17.1', room: '800' },
      ]);
      expect(t.translate({ Event: 'BridgeEnter', ...chan('1004', '2'), BridgeUniqueid: 'b1' }, 3)).toEqual([
        { type: 'conferenceJoined', at: 3, leg: '17.2', call: '17.2', room: '800' },
      ]);
      expect(t.translate({ Event: 'BridgeLeave', ...chan('1004', '2'), BridgeUniqueid: 'b1' }, 4)).toEqual([
        { type: 'conferenceLeft', at: 4, leg: '17.2', call: '17.2', room: '800' },
      ]);
      // an ordinary bridge is still a bridge, and a destroyed room's id means nothing afterwards
      expect(t.translate({ Event: 'BridgeEnter', ...chan('1005', '3'), BridgeUniqueid: 'b2' }, 5)).toEqual([
        { type: 'joined', at: 5, leg: '17.3', call: '17.3', bridge: 'b2' },
      ]);
      t.translate({ Event: 'BridgeDestroy', BridgeUniqueid: 'b1' }, 6);
      expect(t.translate({ Event: 'BridgeEnter', ...chan('1005', '3'), BridgeUniqueid: 'b1' }, 7)).toEqual([
        { type: 'joined', at: 7, leg: '17.3', call: '17.3', bridge: 'b1' },
      ]);
    });

    it('a channel found in a room at a resync is in the room, not in a bridge with the other members', () => {
      const events = translator().existing({ Event: 'CoreShowChannel', ...chan('1003', '1'), Context: 'from-internal', Exten: '800', CallerIDNum: '1003', CallerIDName: 'Carol', Application: 'ConfBridge', ApplicationData: '800', BridgeId: 'b1' } as never, 10);
      expect(events.map((e) => e.type)).toEqual(['legStarted', 'conferenceJoined']);
    });

    it('MeetMe rooms too: the application starts the stay, MeetmeLeave ends it', () => {
      const t = translator();
      expect(t.translate({ Event: 'Newexten', ...chan('1003', '1'), Application: 'MeetMe', AppData: '900,dM' }, 1)).toMatchObject([{ type: 'conferenceJoined', room: '900' }]);
      expect(t.translate({ Event: 'MeetmeLeave', ...chan('1003', '1'), Meetme: '900' }, 2)).toMatchObject([{ type: 'conferenceLeft', room: '900' }]);
    });
  });
});
