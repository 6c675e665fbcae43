import type { PanelModel } from '@grafana/data';
import { defaultOptions } from './options';
import { ALL_SHOW_FIELDS, type CardSize, type WallOptions } from './types';

/**
 * Options saved by an older version of the panel, made valid for this one (clock-panel's pattern: Grafana calls
 * the handler when the saved pluginVersion differs from the running one).
 *
 * 0.2.0: fixed card sizes start at the smallest readable card (every text at least 12 px), so the old "medium"
 * (scale 1) is the new "small"; small, large and extra large keep their names (the nearest new sizes). Values this
 * version does not know fall back to the defaults instead of breaking the panel.
 */
export function wallMigrationHandler(panel: PanelModel<Partial<WallOptions>>): Partial<WallOptions> {
  return migrateOptions(panel.options ?? {}, panel.pluginVersion);
}

const ENUMS: Partial<Record<keyof WallOptions, readonly string[]>> = {
  mode: ['wall', 'callboard'],
  layout: ['auto', 'columns'],
  cardSize: ['fit', 'small', 'medium', 'large', 'xlarge'],
  sortBy: ['number', 'name', 'state', 'idle', 'attention'],
  groupBy: ['none', 'queue', 'pbx', 'prefix'],
  colorMode: ['background', 'border'],
  numberFormat: ['international', 'national', 'raw'],
};

const before = (version: string | undefined, than: [number, number]) => {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) {
    return true; // no version saved: older than any release with migrations
  }
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < than[0] || (major === than[0] && minor < than[1]);
};

const list = (v: unknown): string[] | undefined =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string'
      ? v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : undefined;

const clamp = (v: unknown, min: number, max: number, fallback: number) => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;
};

export function migrateOptions(saved: Partial<WallOptions>, fromVersion?: string): Partial<WallOptions> {
  const out: Record<string, unknown> = { ...saved };
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const v = out[key];
    if (v !== undefined && !allowed!.includes(String(v))) {
      out[key] = defaultOptions[key as keyof WallOptions];
    }
  }
  if (before(fromVersion, [0, 2]) && out.cardSize === 'medium') {
    out.cardSize = 'small' satisfies CardSize;
  }
  const show = list(out.show);
  if (show) {
    out.show = show.filter((f) => (ALL_SHOW_FIELDS as string[]).includes(f));
  }
  const states = list(out.states);
  if (states) {
    out.states = states;
  }
  if (out.columns !== undefined) {
    out.columns = clamp(out.columns, 1, 24, defaultOptions.columns);
  }
  if (out.prefixLength !== undefined) {
    out.prefixLength = clamp(out.prefixLength, 1, 8, defaultOptions.prefixLength);
  }
  if (out.minFontSize !== undefined) {
    out.minFontSize = clamp(out.minFontSize, 12, 48, defaultOptions.minFontSize);
  }
  return out as Partial<WallOptions>;
}
