/**
 * Typed panel builders. Options and custom field config are checked against @grafana/schema's generated panel types
 * (and the wall panel's own option type), so a renamed or mistyped option fails `tsc`, not a dashboard in Grafana.
 */
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  FieldColorModeId,
  GraphDrawStyle,
  LegendDisplayMode,
  PercentChangeColorMode,
  SortOrder,
  StackingMode,
  TableCellDisplayMode,
  TableCellHeight,
  ThresholdsMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizOrientation,
  type DataTransformerConfig,
  type FieldConfig,
  type FieldConfigSource,
  type GraphFieldConfig,
  type Panel,
  type RowPanel,
  type TableFieldOptions,
  type ThresholdsConfig,
  type ValueMapping,
} from '@grafana/schema';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as StateTimelineOptions } from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';
import type { Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import {
  TextMode,
  type Options as TextOptions,
} from '@grafana/schema/dist/esm/raw/composable/text/panelcfg/x/TextPanelCfg_types.gen';
import type { Options as TimeSeriesOptions } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type { WallOptions } from '../../../grafana-plugin/src/panels/extension-wall/types';
import type { PrometheusTarget, SwitchboardTarget } from './queries';

export type Target = SwitchboardTarget | PrometheusTarget;

/** Panel options are typed where they are written; Grafana's Panel keeps them as a plain record. */
const record = <T extends object>(o: T): Record<string, unknown> => o as unknown as Record<string, unknown>;

export interface Common {
  title: string;
  description?: string;
  targets: Target[];
  /** grid size; the position comes from `flow()` */
  w: number;
  h: number;
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  noValue?: string;
  thresholds?: ThresholdsConfig;
  mappings?: ValueMapping[];
  color?: FieldConfig['color'];
  overrides?: FieldConfigSource['overrides'];
  transformations?: DataTransformerConfig[];
  links?: Panel['links'];
  /** field data links (per value), e.g. from a table row to another dashboard */
  dataLinks?: Array<{ title: string; url: string; targetBlank?: boolean }>;
  repeat?: string;
  maxPerRow?: number;
  interval?: string;
  maxDataPoints?: number;
}

/** green below the first step, then the given colours from their values up */
export function steps(...from: Array<[number, string]>): ThresholdsConfig {
  return {
    mode: ThresholdsMode.Absolute,
    steps: [{ color: 'green', value: null }, ...from.map(([value, color]) => ({ color, value }))],
  };
}

/** the reverse: red below the first value (e.g. service level), then amber, then green */
export function stepsUp(first: string, ...from: Array<[number, string]>): ThresholdsConfig {
  return {
    mode: ThresholdsMode.Absolute,
    steps: [{ color: first, value: null }, ...from.map(([value, color]) => ({ color, value }))],
  };
}

/** A panel link (title bar), e.g. to another dashboard; `${__url_time_range}` keeps the time range. */
export function link(title: string, url: string, tooltip = ''): NonNullable<Panel['links']>[number] {
  return {
    title,
    url,
    tooltip,
    type: 'link',
    asDropdown: false,
    icon: 'external link',
    includeVars: false,
    keepTime: false,
    tags: [],
    targetBlank: false,
  };
}

export const FIXED = (color: string): FieldConfig['color'] => ({ mode: FieldColorModeId.Fixed, fixedColor: color });

function base(type: string, c: Common, options: Record<string, unknown>, custom: Record<string, unknown> = {}): Panel {
  const defaults: FieldConfig = { custom };
  if (c.unit !== undefined) defaults.unit = c.unit;
  if (c.decimals !== undefined) defaults.decimals = c.decimals;
  if (c.min !== undefined) defaults.min = c.min;
  if (c.max !== undefined) defaults.max = c.max;
  if (c.noValue !== undefined) defaults.noValue = c.noValue;
  if (c.thresholds) defaults.thresholds = c.thresholds;
  if (c.mappings) defaults.mappings = c.mappings;
  if (c.color) defaults.color = c.color;
  if (c.dataLinks) defaults.links = c.dataLinks.map((l) => ({ targetBlank: false, ...l }));
  const panel: Panel = {
    type,
    title: c.title,
    gridPos: { x: 0, y: 0, w: c.w, h: c.h },
    targets: c.targets.map((t) => record(t)),
    fieldConfig: { defaults, overrides: c.overrides ?? [] },
    options,
  };
  if (c.description) panel.description = c.description;
  if (c.transformations) panel.transformations = c.transformations;
  if (c.links) panel.links = c.links;
  if (c.repeat) {
    panel.repeat = c.repeat;
    panel.repeatDirection = 'h';
    panel.maxPerRow = c.maxPerRow ?? 6;
  }
  if (c.interval) panel.interval = c.interval;
  if (c.maxDataPoints) panel.maxDataPoints = c.maxDataPoints;
  // a panel's data source is the one of its queries (a single one per panel here)
  const sources = new Set(c.targets.map((t) => t.datasource.uid));
  if (sources.size === 1) panel.datasource = c.targets[0].datasource;
  else if (sources.size > 1) panel.datasource = { type: 'datasource', uid: '-- Mixed --' };
  return panel;
}

export interface StatSpec extends Common {
  calcs?: string[];
  /** one tile per row (true) instead of one per field */
  values?: boolean;
  /** regex or name of the fields to show */
  fields?: string;
  colorMode?: BigValueColorMode;
  graphMode?: BigValueGraphMode;
  textMode?: BigValueTextMode;
  orientation?: VizOrientation;
}

export function stat(s: StatSpec): Panel {
  const options: StatOptions = {
    reduceOptions: { calcs: s.calcs ?? ['lastNotNull'], fields: s.fields ?? '', values: s.values ?? false },
    orientation: s.orientation ?? VizOrientation.Auto,
    textMode: s.textMode ?? BigValueTextMode.Auto,
    colorMode: s.colorMode ?? BigValueColorMode.Background,
    graphMode: s.graphMode ?? BigValueGraphMode.None,
    justifyMode: BigValueJustifyMode.Auto,
    wideLayout: true,
    showPercentChange: false,
    percentChangeColorMode: PercentChangeColorMode.Standard,
  };
  return base('stat', s, record(options));
}

export interface TimeSeriesSpec extends Common {
  style?: 'line' | 'bars';
  stack?: boolean;
  fill?: number;
  legendCalcs?: string[];
  legendAsTable?: boolean;
}

export function timeseries(s: TimeSeriesSpec): Panel {
  const options: TimeSeriesOptions = {
    legend: {
      showLegend: true,
      displayMode: s.legendAsTable ? LegendDisplayMode.Table : LegendDisplayMode.List,
      placement: s.legendAsTable ? 'right' : 'bottom',
      calcs: s.legendCalcs ?? [],
    },
    tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
  };
  const custom: GraphFieldConfig = {
    drawStyle: s.style === 'bars' ? GraphDrawStyle.Bars : GraphDrawStyle.Line,
    lineWidth: 1,
    fillOpacity: s.fill ?? (s.style === 'bars' ? 80 : 10),
    showPoints: VisibilityMode.Never,
    spanNulls: false,
    stacking: { mode: s.stack ? StackingMode.Normal : StackingMode.None, group: 'A' },
  };
  return base(
    'timeseries',
    { color: { mode: FieldColorModeId.PaletteClassic }, ...s },
    record(options),
    record(custom),
  );
}

export interface TableSpec extends Common {
  sortBy?: Array<{ displayName: string; desc?: boolean }>;
  /** hide these fields (by name) */
  hide?: string[];
  /** per-field cell display, e.g. status as a coloured text */
  colorText?: string[];
  colorBackground?: string[];
}

export function table(s: TableSpec): Panel {
  const options: TableOptions = {
    showHeader: true,
    cellHeight: TableCellHeight.Sm,
    frameIndex: 0,
    enablePagination: true,
    sortBy: s.sortBy,
  };
  const custom: TableFieldOptions = {
    align: 'auto',
    cellOptions: { type: TableCellDisplayMode.Auto },
    inspect: false,
    filterable: true,
  };
  const overrides: FieldConfigSource['overrides'] = [...(s.overrides ?? [])];
  for (const name of s.hide ?? []) {
    overrides.push({ matcher: { id: 'byName', options: name }, properties: [{ id: 'custom.hidden', value: true }] });
  }
  for (const name of s.colorText ?? []) {
    overrides.push({
      matcher: { id: 'byName', options: name },
      properties: [{ id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorText } }],
    });
  }
  for (const name of s.colorBackground ?? []) {
    overrides.push({
      matcher: { id: 'byName', options: name },
      properties: [{ id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorBackground } }],
    });
  }
  return base('table', { ...s, overrides }, record(options), record(custom));
}

export function stateTimeline(s: Common & { rowHeight?: number }): Panel {
  const options: StateTimelineOptions = {
    rowHeight: s.rowHeight ?? 0.9,
    showValue: VisibilityMode.Auto,
    mergeValues: true,
    alignValue: 'left',
    legend: { showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] },
    tooltip: { mode: TooltipDisplayMode.Single, sort: SortOrder.None },
  };
  return base('state-timeline', { color: { mode: FieldColorModeId.Thresholds }, ...s }, record(options), {
    fillOpacity: 80,
    lineWidth: 0,
  });
}

export function text(s: Omit<Common, 'targets'> & { content: string }): Panel {
  const options: TextOptions = { mode: TextMode.Markdown, content: s.content };
  const panel = base('text', { ...s, targets: [] }, record(options));
  delete panel.targets;
  return panel;
}

/** The Switchboard extension wall / call board (grafana-plugin/src/panels/extension-wall). */
export function wall(s: Common & { options: WallOptions }): Panel {
  return base('switchboard-wall-panel', s, record(s.options));
}

export function row(title: string, collapsed = false): RowPanel {
  return { type: 'row', title, collapsed, id: 0, panels: [], gridPos: { x: 0, y: 0, w: 24, h: 1 } };
}

/**
 * Lays panels out left to right, wrapping at Grafana's 24 columns; a row or a repeated panel takes a line of its
 * own. Ids follow the order.
 */
export function flow(items: Array<Panel | RowPanel>): Array<Panel | RowPanel> {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  return items.map((item, i) => {
    const pos = { ...item.gridPos! };
    // Grafana spreads a horizontal repeat over the whole line: it starts a line and ends it
    const fullLine = item.type === 'row' || ('repeat' in item && item.repeat !== undefined);
    if (fullLine || x + pos.w > 24) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    const placed = { ...item, id: i + 1, gridPos: { ...pos, x, y } };
    x += pos.w;
    lineHeight = Math.max(lineHeight, pos.h);
    if (fullLine) {
      y += pos.h;
      x = 0;
      lineHeight = 0;
    }
    return placed;
  });
}
