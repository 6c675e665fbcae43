import type { PanelOptionsEditorBuilder, SelectableValue } from '@grafana/data';
import { STATE_ORDER, STATES } from './model/states';
import { ALL_SHOW_FIELDS, type ShowField, type WallOptions } from './types';

export const defaultOptions: WallOptions = {
  mode: 'wall',
  layout: 'auto',
  columns: 6,
  cardSize: 'fit',
  sortBy: 'number',
  groupBy: 'none',
  prefixLength: 2,
  filter: '',
  states: [],
  hideUnregistered: false,
  longCallSeconds: 600,
  longIdleSeconds: 3600,
  show: ALL_SHOW_FIELDS,
  colorMode: 'background',
  showSummary: true,
  numberFormat: 'international',
  defaultCountry: '',
  minFontSize: 12,
};

const SHOW_LABELS: Record<ShowField, string> = {
  name: 'Name',
  registration: 'Registration',
  counterpart: 'Counterpart',
  duration: 'Call duration',
  idle: 'Idle time',
  queues: 'Queues',
  voicemail: 'Voicemail',
};

const isWall = (o: WallOptions) => o.mode === 'wall';

export function optionsBuilder(builder: PanelOptionsEditorBuilder<WallOptions>) {
  const d = defaultOptions;
  return builder
    .addRadio({
      path: 'mode',
      name: 'Mode',
      description: 'One card per extension, or one row per active call',
      defaultValue: d.mode,
      settings: {
        options: [
          { value: 'wall', label: 'Extension wall' },
          { value: 'callboard', label: 'Call board' },
        ],
      },
    })
    .addRadio({
      path: 'cardSize',
      name: 'Size',
      category: ['Layout'],
      description:
        'Fit fills the panel, never below the smallest text and never below the fold (wall displays, kiosk); the others scroll',
      defaultValue: d.cardSize,
      settings: {
        options: [
          { value: 'fit', label: 'Fit' },
          { value: 'small', label: 'S' },
          { value: 'medium', label: 'M' },
          { value: 'large', label: 'L' },
          { value: 'xlarge', label: 'XL' },
        ],
      },
    })
    .addNumberInput({
      path: 'minFontSize',
      name: 'Smallest text (px)',
      category: ['Layout'],
      description:
        'Fit never draws text smaller: below it the wall shows compact tiles, then what fits and "+N more". ' +
        'Raise it for a wall read from across a room',
      defaultValue: d.minFontSize,
      showIf: (o) => o.cardSize === 'fit',
      settings: { min: 12, max: 48, integer: true },
    })
    .addRadio({
      path: 'layout',
      name: 'Columns',
      category: ['Layout'],
      defaultValue: d.layout,
      showIf: isWall,
      settings: {
        options: [
          { value: 'auto', label: 'Auto-fit' },
          { value: 'columns', label: 'Fixed' },
        ],
      },
    })
    .addSliderInput({
      path: 'columns',
      name: 'Column count',
      category: ['Layout'],
      defaultValue: d.columns,
      showIf: (o) => isWall(o) && o.layout === 'columns',
      settings: { min: 1, max: 24, step: 1 },
    })
    .addRadio({
      path: 'sortBy',
      name: 'Sort by',
      category: ['Layout'],
      defaultValue: d.sortBy,
      showIf: isWall,
      settings: {
        options: [
          { value: 'number', label: 'Number' },
          { value: 'name', label: 'Name' },
          { value: 'state', label: 'State' },
          { value: 'idle', label: 'Idle', description: 'Longest idle first' },
          {
            value: 'attention',
            label: 'Attention',
            description: 'Ringing, on hold, long calls first: what a full wall keeps on screen',
          },
        ],
      },
    })
    .addRadio({
      path: 'groupBy',
      name: 'Group by',
      category: ['Layout'],
      defaultValue: d.groupBy,
      showIf: isWall,
      settings: {
        options: [
          { value: 'none', label: 'None' },
          { value: 'queue', label: 'Queue' },
          { value: 'pbx', label: 'PBX' },
          { value: 'prefix', label: 'Prefix' },
        ],
      },
    })
    .addNumberInput({
      path: 'prefixLength',
      name: 'Prefix digits',
      category: ['Layout'],
      description: '2 groups 1001 and 1042 under 10xx',
      defaultValue: d.prefixLength,
      showIf: (o) => isWall(o) && o.groupBy === 'prefix',
      settings: { min: 1, max: 8, integer: true },
    })
    .addBooleanSwitch({ path: 'showSummary', name: 'Summary', category: ['Layout'], defaultValue: d.showSummary })
    .addTextInput({
      path: 'filter',
      name: 'Filter',
      category: ['Filter'],
      description: 'Number, name or counterpart contains this; template variables allowed',
      defaultValue: d.filter,
    })
    .addMultiSelect({
      path: 'states',
      name: 'States',
      category: ['Filter'],
      description: 'Only these states; empty for all',
      defaultValue: d.states,
      showIf: isWall,
      settings: {
        // addMultiSelect types its options by the whole value (string[]); each option is one element.
        options: STATE_ORDER.map((s) => ({ value: s, label: STATES[s].label })) as unknown as Array<
          SelectableValue<string[]>
        >,
      },
    })
    .addBooleanSwitch({
      path: 'hideUnregistered',
      name: 'Hide unregistered',
      category: ['Filter'],
      defaultValue: d.hideUnregistered,
      showIf: isWall,
    })
    .addNumberInput({
      path: 'longCallSeconds',
      name: 'Long call after (s)',
      category: ['Thresholds'],
      description: 'Marks calls running longer; 0 never',
      defaultValue: d.longCallSeconds,
      settings: { min: 0, integer: true },
    })
    .addNumberInput({
      path: 'longIdleSeconds',
      name: 'Long idle after (s)',
      category: ['Thresholds'],
      description: 'Marks extensions idle longer since their last call; 0 never',
      defaultValue: d.longIdleSeconds,
      showIf: isWall,
      settings: { min: 0, integer: true },
    })
    .addMultiSelect({
      path: 'show',
      name: 'Show',
      category: ['Card'],
      defaultValue: d.show,
      showIf: isWall,
      settings: {
        options: ALL_SHOW_FIELDS.map((f) => ({ value: f, label: SHOW_LABELS[f] })) as unknown as Array<
          SelectableValue<ShowField[]>
        >,
      },
    })
    .addRadio({
      path: 'colorMode',
      name: 'Colour',
      category: ['Card'],
      defaultValue: d.colorMode,
      showIf: isWall,
      settings: {
        options: [
          { value: 'background', label: 'Background' },
          { value: 'border', label: 'Border' },
        ],
      },
    })
    .addRadio({
      path: 'numberFormat',
      name: 'Phone numbers',
      category: ['Card'],
      defaultValue: d.numberFormat,
      settings: {
        options: [
          { value: 'international', label: 'International' },
          { value: 'national', label: 'National' },
          { value: 'raw', label: 'As given' },
        ],
      },
    })
    .addTextInput({
      path: 'defaultCountry',
      name: 'Country',
      category: ['Card'],
      description: 'ISO code (US, DE…) for numbers without a + and for national format',
      defaultValue: d.defaultCountry,
      showIf: (o) => o.numberFormat !== 'raw',
    });
}
