import React, { useMemo } from 'react';
import type { ExtensionRow } from '../model/extensions';
import { CARD_BASE, cardHeight, fitCards, SIZE_SCALE } from '../model/layout';
import { buildWall, countStates } from '../model/wall';
import type { WallOptions } from '../types';
import { ExtensionCard, type CardOptions } from './ExtensionCard';
import type { WallStyles } from './styles';
import { Summary } from './Summary';
import { testIds } from './testIds';

interface Props {
  rows: ExtensionRow[];
  options: WallOptions;
  filter: string;
  width: number;
  height: number;
  styles: WallStyles;
}

const SUMMARY_HEIGHT = 34;

export function ExtensionWall({ rows, options, filter, width, height, styles }: Props) {
  const groups = useMemo(
    () =>
      buildWall(rows, {
        filter,
        states: options.states,
        hideUnregistered: options.hideUnregistered,
        sortBy: options.sortBy,
        groupBy: options.groupBy,
        prefixLength: options.prefixLength,
      }),
    [rows, filter, options.states, options.hideUnregistered, options.sortBy, options.groupBy, options.prefixLength]
  );
  const show = useMemo(() => new Set(options.show), [options.show]);
  const cardOpts: CardOptions = useMemo(
    () => ({
      show,
      colorMode: options.colorMode,
      longCallSeconds: options.longCallSeconds,
      longIdleSeconds: options.longIdleSeconds,
      numberFormat: options.numberFormat,
      defaultCountry: options.defaultCountry,
    }),
    [
      show,
      options.colorMode,
      options.longCallSeconds,
      options.longIdleSeconds,
      options.numberFormat,
      options.defaultCountry,
    ]
  );

  const grouped = options.groupBy !== 'none';
  const available = height - (options.showSummary ? SUMMARY_HEIGHT : 0);
  const columnsFixed = options.layout === 'columns' ? Math.max(1, options.columns) : 0;
  const baseHeight = cardHeight({
    name: show.has('name'),
    counterpart: show.has('counterpart'),
    queues: show.has('queues'),
  });
  const { scale, columns } = useMemo(() => {
    if (options.cardSize === 'fit') {
      return fitCards({
        groups: groups.map((g) => g.items.length),
        width,
        height: available,
        cardWidth: CARD_BASE.width,
        cardHeight: baseHeight,
        gap: CARD_BASE.gap,
        groupHeader: grouped ? CARD_BASE.groupHeader + 8 : 0,
        columns: columnsFixed,
      });
    }
    const s = SIZE_SCALE[options.cardSize] ?? 1;
    return { scale: s, columns: columnsFixed };
  }, [options.cardSize, groups, width, available, baseHeight, grouped, columnsFixed]);

  const template =
    columns > 0
      ? `repeat(${columns}, minmax(0, 1fr))`
      : `repeat(auto-fill, minmax(${Math.round(CARD_BASE.width * scale)}px, 1fr))`;
  const total = groups.reduce((n, g) => n + g.items.length, 0);
  const counts = useMemo(
    () => countStates(groups.length === 1 ? groups[0].items : dedupe(groups.flatMap((g) => g.items))),
    [groups]
  );

  return (
    <>
      {options.showSummary && <Summary counts={counts} styles={styles} />}
      <div className={styles.scroll} style={{ ['--sb-scale' as string]: String(scale) }}>
        {total === 0 ? (
          <div className={styles.empty} data-testid={testIds.empty}>
            {rows.length === 0 ? 'No extensions in the data.' : 'No extension matches the filter.'}
          </div>
        ) : (
          groups.map((group) => (
            <section
              key={group.key}
              className={styles.group}
              data-testid={testIds.group}
              aria-label={group.title || 'Extensions'}
            >
              {grouped && (
                <div className={styles.groupHeader}>
                  <span>{group.title}</span>
                  <span className={styles.groupMeta}>{`${group.counts.idle ?? 0} idle of ${group.items.length}`}</span>
                </div>
              )}
              <div
                className={styles.grid}
                style={{ gridTemplateColumns: template, gridAutoRows: `${Math.round(baseHeight * scale)}px` }}
                role="list"
              >
                {group.items.map((row) => (
                  <ExtensionCard key={row.key} row={row} styles={styles} opts={cardOpts} />
                ))}
              </div>
            </section>
          ))
        )}
      </div>
    </>
  );
}

function dedupe(rows: ExtensionRow[]): ExtensionRow[] {
  const seen = new Map<string, ExtensionRow>();
  rows.forEach((r) => seen.set(r.key, r));
  return Array.from(seen.values());
}
