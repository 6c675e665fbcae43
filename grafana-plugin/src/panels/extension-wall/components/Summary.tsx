import React from 'react';
import { useTheme2 } from '@grafana/ui';
import type { Palette } from '../model/palette';
import { STATES, type ExtensionState } from '../model/states';
import { summary, summaryMode } from '../model/wall';
import { CHROME, chromeScale, summaryHeight } from '../model/layout';
import type { WallStyles } from './styles';
import { testIds } from './testIds';
import { WallIcon } from './WallIcon';

/**
 * Counts per state at the top of the wall: the number a supervisor reads first. Scales with the cards; on a
 * narrow panel the words give way to the state icons (the word stays in the tooltip).
 */
export function Summary({
  counts,
  styles,
  palette,
  scale,
  width,
}: {
  counts: Partial<Record<ExtensionState, number>>;
  styles: WallStyles;
  palette: Palette;
  scale: number;
  width: number;
}) {
  const ink = useTheme2().colors.text.primary;
  const items = summary(counts);
  const mode = summaryMode(
    items.map(([state, n]) => [palette[state].label, n]),
    width,
    CHROME.chipFont * chromeScale(scale)
  );
  return (
    <div
      className={styles.summary}
      data-testid={testIds.summary}
      role="status"
      style={{ height: summaryHeight(scale) }}
    >
      {items.map(([state, n]) => (
        <span key={state} className={styles.chip} data-state={state} title={`${n} ${palette[state].label}`}>
          <span className={styles.chipDot} style={{ background: palette[state].accent }} />
          <span className={styles.chipCount} data-number="count">
            {n}
          </span>
          {mode === 'full' ? (
            palette[state].label
          ) : (
            <span className={styles.chipIcon} aria-label={palette[state].label}>
              <WallIcon name={STATES[state].icon} color={ink} />
            </span>
          )}
        </span>
      ))}
    </div>
  );
}
