import React from 'react';
import { useTheme2 } from '@grafana/ui';
import { summary } from '../model/wall';
import { STATES, type ExtensionState } from '../model/states';
import { stateColors, type WallStyles } from './styles';
import { testIds } from './testIds';

/** Counts per state at the top of the wall: the number a supervisor reads first. */
export function Summary({ counts, styles }: { counts: Partial<Record<ExtensionState, number>>; styles: WallStyles }) {
  const theme = useTheme2();
  return (
    <div className={styles.summary} data-testid={testIds.summary} role="status">
      {summary(counts).map(([state, n]) => (
        <span key={state} className={styles.chip} data-state={state}>
          <span className={styles.chipDot} style={{ background: stateColors(theme, state).accent }} />
          <span className={styles.chipCount}>{n}</span>
          {STATES[state].label}
        </span>
      ))}
    </div>
  );
}
