import React, { useContext, useMemo } from 'react';
import { cx } from '@emotion/css';
import type { TimeZone } from '@grafana/schema';
import { useTheme2 } from '@grafana/ui';
import { ClockContext, useClock } from '../clock';
import type { ExtensionRow } from '../model/extensions';
import {
  BASE_MIN_FONT,
  bannerHeight,
  CARD,
  cardHeight,
  chromeScale,
  GROUP,
  planWall,
  SIZE_SCALE,
  summaryHeight,
  TILE,
  type WallPlan,
} from '../model/layout';
import type { Palette } from '../model/palette';
import type { StaleNotice } from '../model/staleness';
import { buildWall, countStates, longCallCount } from '../model/wall';
import type { WallOptions } from '../types';
import { ExtensionCard, type CardOptions } from './ExtensionCard';
import { ExtensionTile } from './ExtensionTile';
import { MoreCell } from './MoreCell';
import { bannerLines, StaleBanner } from './StaleBanner';
import { stateClasses, type WallStyles } from './styles';
import { Summary } from './Summary';
import { testIds } from './testIds';

interface Props {
  rows: ExtensionRow[];
  options: WallOptions;
  filter: string;
  width: number;
  height: number;
  styles: WallStyles;
  palette: Palette;
  notices: StaleNotice[];
  timeZone?: TimeZone;
}

export function minScaleOf(options: Pick<WallOptions, 'minFontSize'>): number {
  return Math.max(1, (options.minFontSize || BASE_MIN_FONT) / BASE_MIN_FONT);
}

export function ExtensionWall({ rows, options, filter, width, height, styles, palette, notices, timeZone }: Props) {
  const theme = useTheme2();
  const clock = useContext(ClockContext)!;
  const attention = options.sortBy === 'attention';
  // the attention order changes when a call turns long, not every second: re-sort only then
  const longCalls = useClock((now) => (attention ? longCallCount(rows, now, options.longCallSeconds) : 0));
  const groups = useMemo(
    () =>
      buildWall(rows, {
        filter,
        states: options.states,
        hideUnregistered: options.hideUnregistered,
        sortBy: options.sortBy,
        groupBy: options.groupBy,
        prefixLength: options.prefixLength,
        now: clock.now(),
        longCallSeconds: options.longCallSeconds,
      }),
    // longCalls is the reason to sort again, though not read
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [
      rows,
      filter,
      options.states,
      options.hideUnregistered,
      options.sortBy,
      options.groupBy,
      options.prefixLength,
      options.longCallSeconds,
      longCalls,
      clock,
    ]
  );
  const show = useMemo(() => new Set(options.show), [options.show]);
  const grouped = options.groupBy !== 'none';
  const fit = options.cardSize === 'fit';
  const lines = bannerLines(notices);
  const baseHeight = cardHeight({
    name: show.has('name'),
    counterpart: show.has('counterpart'),
    queues: show.has('queues'),
  });
  const columnsFixed = options.layout === 'columns' ? Math.max(1, options.columns) : 0;

  const plan: WallPlan = useMemo(() => {
    const counts = groups.map((g) => g.items.length);
    if (!fit) {
      const scale = SIZE_SCALE[options.cardSize as keyof typeof SIZE_SCALE] ?? 1;
      return { kind: 'card', scale, columns: columnsFixed, shown: counts, hidden: 0 };
    }
    return planWall({
      groups: counts,
      width,
      height,
      card: { width: CARD.width, height: baseHeight, gap: CARD.gap },
      tile: { width: TILE.width, height: TILE.height, gap: TILE.gap },
      groupHeader: grouped ? GROUP.header : 0,
      chrome: (s) => (options.showSummary ? summaryHeight(s) : 0) + bannerHeight(lines, s),
      minScale: minScaleOf(options),
      columns: columnsFixed,
    });
  }, [groups, fit, options, columnsFixed, width, height, baseHeight, grouped, lines]);

  const { scale, kind } = plan;
  const box = kind === 'tile' ? TILE : { width: CARD.width, height: baseHeight, gap: CARD.gap };
  const cellWidth = plan.columns > 0 ? (width - (plan.columns - 1) * box.gap) / plan.columns : box.width * scale;
  const classes = useMemo(() => stateClasses(palette, theme), [palette, theme]);
  const cardOpts: CardOptions = useMemo(
    () => ({
      show,
      colorMode: options.colorMode,
      longCallSeconds: options.longCallSeconds,
      longIdleSeconds: options.longIdleSeconds,
      numberFormat: options.numberFormat,
      defaultCountry: options.defaultCountry,
      palette,
      stateClass: classes[options.colorMode],
      cellWidth,
      scale,
    }),
    [
      show,
      options.colorMode,
      options.longCallSeconds,
      options.longIdleSeconds,
      options.numberFormat,
      options.defaultCountry,
      palette,
      classes,
      cellWidth,
      scale,
    ]
  );

  const template =
    plan.columns > 0
      ? `repeat(${plan.columns}, minmax(0, 1fr))`
      : `repeat(auto-fill, minmax(${Math.round(box.width * scale)}px, 1fr))`;
  const total = groups.reduce((n, g) => n + g.items.length, 0);
  const counts = useMemo(
    () => countStates(groups.length === 1 ? groups[0].items : dedupe(groups.flatMap((g) => g.items))),
    [groups]
  );
  // the last group on the wall speaks for groups that did not make it
  const lastShown = plan.shown.reduce((last, n, g) => (n > 0 ? g : last), 0);
  const Item = kind === 'tile' ? ExtensionTile : ExtensionCard;
  // a fitted wall of one group fills the panel: its rows share the height left over, so no band of it stays empty
  const stretch = fit && !grouped && plan.hidden === 0;

  return (
    <div
      className={styles.root}
      style={{ ['--sb-scale' as string]: String(scale), ['--sb-chrome' as string]: String(chromeScale(scale)) }}
      data-layout={kind}
      data-scale={scale.toFixed(3)}
      data-hidden={plan.hidden}
    >
      <StaleBanner notices={notices} styles={styles} scale={scale} timeZone={timeZone} />
      {options.showSummary && <Summary counts={counts} styles={styles} palette={palette} scale={scale} width={width} />}
      <div className={fit ? styles.fitted : styles.scroll}>
        {total === 0 ? (
          <div className={styles.empty} data-testid={testIds.empty}>
            No extension matches the filter.
          </div>
        ) : (
          groups.map((group, g) => {
            const shown = plan.shown[g] ?? group.items.length;
            if (shown === 0 && g !== lastShown) {
              return null;
            }
            const hidden =
              g === lastShown
                ? [...group.items.slice(shown), ...groups.slice(g + 1).flatMap((x) => x.items)]
                : group.items.slice(shown);
            return (
              <section
                key={group.key}
                className={grouped ? styles.group : stretch ? styles.stretched : undefined}
                data-testid={testIds.group}
                aria-label={group.title || 'Extensions'}
              >
                {grouped && (
                  <div className={styles.groupHeader}>
                    <span>{group.title}</span>
                    <span
                      className={styles.groupMeta}
                    >{`${group.counts.idle ?? 0} idle of ${group.items.length}`}</span>
                  </div>
                )}
                <div
                  className={cx(styles.grid, stretch && styles.stretched)}
                  style={{
                    gridTemplateColumns: template,
                    gridAutoRows: stretch ? `minmax(${box.height * scale}px, 1fr)` : `${box.height * scale}px`,
                    gap: box.gap,
                  }}
                  role="list"
                >
                  {group.items.slice(0, shown).map((row) => (
                    <Item key={row.key} row={row} styles={styles} opts={cardOpts} />
                  ))}
                  {hidden.length > 0 && <MoreCell hidden={hidden} styles={styles} palette={palette} />}
                </div>
              </section>
            );
          })
        )}
      </div>
    </div>
  );
}

function dedupe(rows: ExtensionRow[]): ExtensionRow[] {
  const seen = new Map<string, ExtensionRow>();
  rows.forEach((r) => seen.set(r.key, r));
  return Array.from(seen.values());
}
