import { MappingType, type ValueMapping, type ValueMappingResult } from '@grafana/data';

/**
 * The extension states every part of the plugin speaks, with their default words and colours (Grafana palette
 * names). One list, so the wall, the data source's value mappings (tables, state timelines) and the dashboards agree.
 *
 * Each state that means something different has its own colour: being in a call is normal work (blue, like busy in
 * a darker shade), not an alarm; ringing asks for attention (orange); a caller on hold waits (yellow). `text` is the
 * neutral grey of a phone that is unplugged; an unknown state has a colour of its own.
 */
export const EXTENSION_STATE_DEFAULTS = {
  idle: { label: 'Idle', color: 'green' },
  ringing: { label: 'Ringing', color: 'orange' },
  in_call: { label: 'In call', color: 'blue' },
  on_hold: { label: 'On hold', color: 'yellow' },
  busy: { label: 'Busy', color: 'dark-blue' },
  dnd: { label: 'Do not disturb', color: 'purple' },
  unavailable: { label: 'Unavailable', color: 'text' },
  unknown: { label: 'Unknown', color: 'slategray' },
} as const;

export type ExtensionState = keyof typeof EXTENSION_STATE_DEFAULTS;

/** The defaults as Grafana value mappings (text and colour per state), in the order above. */
export function extensionStateMappings(): ValueMapping[] {
  const options: Record<string, ValueMappingResult> = {};
  Object.entries(EXTENSION_STATE_DEFAULTS).forEach(([state, d], index) => {
    options[state] = { text: d.label, color: d.color, index };
  });
  return [{ type: MappingType.ValueToText, options }];
}
