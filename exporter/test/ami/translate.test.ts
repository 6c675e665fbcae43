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
});
