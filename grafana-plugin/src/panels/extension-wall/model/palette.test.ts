import { createTheme, MappingType, type ValueMapping } from '@grafana/data';
import { extensionStateMappings } from '../../../shared/extensionStates';
import { extensionFrame } from '../test/factory';
import { mapState, stateMappings, statePalette } from './palette';
import { STATE_ORDER } from './states';

describe('state palette', () => {
  const dark = createTheme({ colors: { mode: 'dark' } });
  const light = createTheme({ colors: { mode: 'light' } });

  it('by default every state that means something different has its own colour, in both themes', () => {
    for (const theme of [dark, light]) {
      const p = statePalette(undefined, theme);
      const colours = STATE_ORDER.map((s) => p[s].bg);
      expect(new Set(colours).size).toBe(STATE_ORDER.length);
      // being in a call is normal work: not the alarm red
      expect(p.in_call.bg).not.toBe(theme.visualization.getColorByName('red'));
      expect(p.in_call.bg).toBe(theme.visualization.getColorByName('blue'));
      expect(p.ringing.bg).toBe(theme.visualization.getColorByName('orange'));
    }
  });

  it("the panel's default mappings are the built-in palette", () => {
    expect(statePalette(extensionStateMappings(), dark)).toEqual(statePalette(undefined, dark));
  });

  it('value mappings override colours and words; unmapped states keep theirs; text means a neutral card', () => {
    const mappings: ValueMapping[] = [
      {
        type: MappingType.ValueToText,
        options: { in_call: { color: 'red', text: 'Talking' }, idle: { color: 'text' } },
      },
    ];
    const p = statePalette(mappings, dark);
    expect(p.in_call).toMatchObject({ bg: dark.visualization.getColorByName('red'), label: 'Talking' });
    expect(p.idle).toMatchObject({ bg: dark.colors.background.secondary, label: 'Idle' });
    expect(p.ringing.bg).toBe(dark.visualization.getColorByName('orange'));
  });

  it('regex mappings match too; an invalid pattern maps nothing', () => {
    const mappings: ValueMapping[] = [
      { type: MappingType.RegexToText, options: { pattern: '[', result: { color: 'red' } } },
      { type: MappingType.RegexToText, options: { pattern: '/^(in_call|on_hold)$/', result: { color: 'purple' } } },
    ];
    expect(mapState(mappings, 'on_hold')).toEqual({ color: 'purple' });
    expect(mapState(mappings, 'idle')).toBeNull();
  });

  it("reads the state field's mappings (Grafana's merge of data source, defaults and overrides) before the defaults", () => {
    const frame = extensionFrame([{ extension: '1' }]);
    const own: ValueMapping[] = [{ type: MappingType.ValueToText, options: { idle: { color: 'red' } } }];
    const defaults = extensionStateMappings();
    expect(stateMappings([frame], defaults)).toBe(defaults);
    frame.fields.find((f) => f.name === 'state')!.config.mappings = own;
    expect(stateMappings([frame], defaults)).toBe(own);
    expect(stateMappings([], [])).toBeUndefined();
  });
});
