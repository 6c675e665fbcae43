/** Typed panel options; defaults in options.ts. */

export type WallMode = 'wall' | 'callboard';
export type WallLayout = 'auto' | 'columns';
/** `fit` scales the cards so the whole wall fits the panel (wall displays, kiosk mode). */
export type CardSize = 'fit' | 'small' | 'medium' | 'large' | 'xlarge';
/** `attention`: ringing, waiting on hold, long calls, then the rest; what a wall that cannot show all keeps. */
export type SortBy = 'number' | 'name' | 'state' | 'idle' | 'attention';
export type GroupBy = 'none' | 'queue' | 'pbx' | 'prefix';
export type ColorMode = 'background' | 'border';
export type NumberFormat = 'international' | 'national' | 'raw';
export type ShowField = 'name' | 'registration' | 'counterpart' | 'duration' | 'idle' | 'queues' | 'voicemail';

export const ALL_SHOW_FIELDS: ShowField[] = [
  'name',
  'registration',
  'counterpart',
  'duration',
  'idle',
  'queues',
  'voicemail',
];

export interface WallOptions {
  mode: WallMode;
  layout: WallLayout;
  columns: number;
  cardSize: CardSize;
  sortBy: SortBy;
  groupBy: GroupBy;
  /** Digits of the extension that form a group with `groupBy: prefix` (2: 1001 → 10xx). */
  prefixLength: number;
  /** Free text on number, name and counterpart; template variables allowed. */
  filter: string;
  /** Only these states; empty for all. */
  states: string[];
  hideUnregistered: boolean;
  /** A call longer than this is marked (seconds, 0 = never). */
  longCallSeconds: number;
  /** Idle longer than this is marked (seconds, 0 = never). */
  longIdleSeconds: number;
  show: ShowField[];
  colorMode: ColorMode;
  showSummary: boolean;
  numberFormat: NumberFormat;
  /** ISO country for national formatting of numbers without a `+`, e.g. US, DE. */
  defaultCountry: string;
  /**
   * The smallest text the fitted wall may draw (px, 12 or more): below it the wall switches to compact tiles, then
   * shows what fits with "+N more". Raise it for a wall read from across a room.
   */
  minFontSize: number;
}
