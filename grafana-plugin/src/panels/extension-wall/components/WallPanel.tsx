import React, { useEffect, useMemo } from 'react';
import type { PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { Clock, ClockContext } from '../clock';
import { callsFromFrames } from '../model/calls';
import { extensionsFromFrames } from '../model/extensions';
import type { WallOptions } from '../types';
import { CallBoard } from './CallBoard';
import { ExtensionWall } from './ExtensionWall';
import { getWallStyles } from './styles';
import { testIds } from './testIds';

/**
 * The panel is a pure function of its frames and options: frames → rows (model/), rows → cards. Time moves
 * through one Clock per panel, so durations tick without new data.
 */
export function WallPanel({ data, options, width, height, replaceVariables }: PanelProps<WallOptions>) {
  const styles = useStyles2(getWallStyles);
  const clock = useMemo(() => new Clock(1000), []);
  useEffect(() => () => clock.stop(), [clock]);

  const extensions = useMemo(
    () => (options.mode === 'wall' ? extensionsFromFrames(data.series) : []),
    [data.series, options.mode]
  );
  const calls = useMemo(
    () => (options.mode === 'callboard' ? callsFromFrames(data.series) : []),
    [data.series, options.mode]
  );
  const filter = replaceVariables(options.filter ?? '');

  return (
    <ClockContext.Provider value={clock}>
      <div className={styles.root} data-testid={testIds.panel} data-mode={options.mode}>
        {options.mode === 'callboard' ? (
          <CallBoard calls={calls} options={options} filter={filter} height={height} />
        ) : (
          <ExtensionWall
            rows={extensions}
            options={options}
            filter={filter}
            width={width}
            height={height}
            styles={styles}
          />
        )}
      </div>
    </ClockContext.Provider>
  );
}
