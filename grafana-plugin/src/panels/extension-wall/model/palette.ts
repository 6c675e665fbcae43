import {
  MappingType,
  stringToJsRegex,
  type DataFrame,
  type GrafanaTheme2,
  type ValueMapping,
  type ValueMappingResult,
} from '@grafana/data';
import { EXTENSION_FIELDS, lookup } from './fields';
import { STATE_ORDER, STATES, type ExtensionState } from './states';

/** How one state looks on the wall. */
export interface StateLook {
  label: string;
  /** Card background (colour mode "background"). */
  bg: string;
  /** Text on that background. */
  fg: string;
  /** The state's colour as an accent (border, chip dot, icon on a plain card). */
  accent: string;
}

export type Palette = Record<ExtensionState, StateLook>;

/**
 * The value mappings that colour the states: the `state` field's own (what Grafana made of the data source's
 * mappings, the panel's defaults and its overrides), else the panel's defaults, else none (the built-in palette).
 */
export function stateMappings(frames: DataFrame[], defaults?: ValueMapping[]): ValueMapping[] | undefined {
  for (const frame of frames) {
    const state = lookup(frame, EXTENSION_FIELDS).state;
    if (state?.config.mappings?.length) {
      return state.config.mappings;
    }
  }
  return defaults?.length ? defaults : undefined;
}

/**
 * Each state's words and colours from value mappings over the canonical state names, falling back to the
 * built-in palette. A state mapped to `text` or `transparent` is drawn neutral (a grey card), as an unplugged
 * phone is by default.
 */
export function statePalette(mappings: ValueMapping[] | undefined, theme: GrafanaTheme2): Palette {
  const out = {} as Palette;
  for (const state of STATE_ORDER) {
    const mapped = mappings ? mapState(mappings, state) : null;
    const color = mapped?.color || STATES[state].color;
    const label = mapped?.text || STATES[state].label;
    if (color === 'text' || color === 'transparent') {
      out[state] = {
        label,
        bg: theme.colors.background.secondary,
        fg: theme.colors.text.secondary,
        accent: theme.colors.text.disabled,
      };
    } else {
      const accent = theme.visualization.getColorByName(color);
      out[state] = { label, bg: accent, fg: theme.colors.getContrastText(accent), accent };
    }
  }
  return out;
}

/**
 * The first mapping matching a state name, as Grafana's display processor applies them to strings: value-to-text
 * by exact value, regex-to-text by pattern. (Grafana does not export its own matcher.)
 */
export function mapState(mappings: ValueMapping[], value: string): ValueMappingResult | null {
  for (const m of mappings) {
    if (m.type === MappingType.ValueToText) {
      const hit = m.options[value];
      if (hit) {
        return hit;
      }
    } else if (m.type === MappingType.RegexToText && m.options.pattern) {
      try {
        if (stringToJsRegex(m.options.pattern).test(value)) {
          return m.options.result;
        }
      } catch {
        // an invalid pattern maps nothing, as in Grafana
      }
    }
  }
  return null;
}
