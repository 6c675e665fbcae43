import React from 'react';
import type { ExtensionRow } from '../model/extensions';
import type { Palette } from '../model/palette';
import { countStates, summary } from '../model/wall';
import type { WallStyles } from './styles';
import { testIds } from './testIds';

/**
 * The last cell of a wall that cannot show everything: how many are not shown and in which states, so a hidden
 * phone is never mistaken for no phone. The attention sort keeps what needs eyes out of here.
 */
export function MoreCell({
  hidden,
  styles,
  palette,
}: {
  hidden: ExtensionRow[];
  styles: WallStyles;
  palette: Palette;
}) {
  const detail = summary(countStates(hidden))
    .map(([state, n]) => `${n} ${palette[state].label.toLowerCase()}`)
    .join(' · ');
  return (
    <div
      className={styles.more}
      data-testid={testIds.more}
      data-count={hidden.length}
      role="listitem"
      aria-label={`${hidden.length} more not shown: ${detail}`}
      title={`${hidden.length} more not shown: ${detail}`}
    >
      <span className={styles.moreCount}>+{hidden.length} more</span>
      <span className={styles.moreDetail}>{detail}</span>
    </div>
  );
}
