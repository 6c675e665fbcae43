import { MappingType, type ValueMapping } from '@grafana/data';
import { EXTENSION_STATE_DEFAULTS, extensionStateMappings } from '../../shared/extensionStates';

type Entry = [value: string, text: string, color: string];

function mapping(entries: Entry[]): ValueMapping[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  entries.forEach(([value, text, color], index) => {
    options[value] = { text, color, index };
  });
  return [{ type: MappingType.ValueToText, options }];
}

/** Extension states with the wall's colours, so table and state-timeline panels show the same language. */
export const EXTENSION_STATE_MAPPINGS = extensionStateMappings();

/** Open statuses (a call in progress) first, then the final ones a call gets once, when it ends. */
export const CALL_STATUS_MAPPINGS = mapping([
  ['ringing', 'Ringing', 'orange'],
  ['active', 'Active', 'blue'],
  ['on_hold', 'On hold', 'yellow'],
  ['waiting', 'Waiting in queue', 'light-orange'],
  ['answered', 'Answered', 'green'],
  ['missed', 'Missed', 'red'],
  ['abandoned', 'Abandoned', 'orange'],
  ['busy', 'Busy', 'dark-orange'],
  ['failed', 'Failed', 'dark-red'],
  ['voicemail', 'Voicemail', 'purple'],
  ['incomplete', 'Incomplete', 'text'],
]);

export const DIRECTION_MAPPINGS = mapping([
  ['inbound', 'Inbound', 'blue'],
  ['outbound', 'Outbound', 'purple'],
  ['internal', 'Internal', 'text'],
]);

export const BOOLEAN_YES_NO = mapping([
  ['true', 'Yes', 'green'],
  ['false', 'No', 'red'],
]);

export const QUEUE_MEMBER_STATE_MAPPINGS = mapping([
  ['available', 'Available', 'green'],
  ['ringing', 'Ringing', EXTENSION_STATE_DEFAULTS.ringing.color],
  ['in_call', 'In call', EXTENSION_STATE_DEFAULTS.in_call.color],
  ['on_hold', 'On hold', EXTENSION_STATE_DEFAULTS.on_hold.color],
  ['busy', 'Busy', EXTENSION_STATE_DEFAULTS.busy.color],
  ['unavailable', 'Unavailable', EXTENSION_STATE_DEFAULTS.unavailable.color],
  ['unknown', 'Unknown', EXTENSION_STATE_DEFAULTS.unknown.color],
]);
