import React, { useMemo } from 'react';
import { cx } from '@emotion/css';
import type { TimeZone } from '@grafana/schema';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { ActiveCallRow } from '../model/calls';
import { BOARD, bannerHeight, chromeScale, planCallBoard, SIZE_SCALE, summaryHeight } from '../model/layout';
import type { Palette } from '../model/palette';
import type { StaleNotice } from '../model/staleness';
import type { WallOptions } from '../types';
import { getCallBoardStyles } from './callBoardStyles';
import { CallRow } from './CallRow';
import { minScaleOf } from './ExtensionWall';
import { bannerLines, StaleBanner } from './StaleBanner';
import type { WallStyles } from './styles';
import { testIds } from './testIds';

interface Props {
  calls: ActiveCallRow[];
  options: WallOptions;
  filter: string;
  width: number;
  height: number;
  styles: WallStyles;
  palette: Palette;
  notices: StaleNotice[];
  timeZone?: TimeZone;
}

/**
 * The live call board: one row per active call, unanswered first, then the longest, with a ticking duration. It
 * fits by width and by height; what does not fit at the readable minimum is counted on a "+N more" line.
 */
export function CallBoard({
  calls,
  options,
  filter,
  width,
  height,
  styles: wallStyles,
  palette,
  notices,
  timeZone,
}: Props) {
  const styles = useStyles2(getCallBoardStyles);
  const theme = useTheme2();
  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (!needle) {
      return calls;
    }
    return calls.filter((c) =>
      [c.from, c.fromName, c.to, c.toName, c.answeredBy, c.answeredByName, c.queue].some((v) =>
        v?.toLowerCase().includes(needle)
      )
    );
  }, [calls, filter]);
  const lines = bannerLines(notices);
  const plan = useMemo(() => {
    const chrome = (s: number) => (options.showSummary ? summaryHeight(s) : 0) + bannerHeight(lines, s);
    const minScale = minScaleOf(options);
    if (options.cardSize !== 'fit') {
      const scale = Math.max(minScale, SIZE_SCALE[options.cardSize as keyof typeof SIZE_SCALE] ?? 1);
      return { scale, shown: visible.length, hidden: 0, queueColumn: true };
    }
    return planCallBoard({ calls: visible.length, width, height, chrome, minScale });
  }, [options, visible.length, width, height, lines]);
  const { scale } = plan;
  const unanswered = visible.filter((c) => c.phase === 'ringing' || c.phase === 'waiting').length;
  const hiddenCalls = visible.slice(plan.shown);
  const hiddenUnanswered = hiddenCalls.filter((c) => c.phase === 'ringing' || c.phase === 'waiting').length;

  const c = BOARD.columns;
  const fr = plan.queueColumn ? [3, 3, 1.4] : [3, 3];
  const fixed = (c.dir + c.status + c.duration) * scale + (fr.length + 4) * BOARD.gap * scale;
  const partyWidth = Math.max(0, ((width - fixed) * 3) / fr.reduce((a, b) => a + b, 0));
  const template = [
    `${c.dir * scale}px`,
    ...fr.map((f) => `minmax(0, ${f}fr)`),
    `${c.status * scale}px`,
    `${c.duration * scale}px`,
  ].join(' ');
  const rowOpts = useMemo(
    () => ({ options, palette, scale, partyWidth, queueColumn: plan.queueColumn }),
    [options, palette, scale, partyWidth, plan.queueColumn]
  );

  return (
    <div
      className={styles.board}
      data-testid={testIds.callboard}
      data-scale={scale.toFixed(3)}
      data-hidden={plan.hidden}
      style={{ ['--sb-scale' as string]: String(scale), ['--sb-chrome' as string]: String(chromeScale(scale)) }}
    >
      <StaleBanner notices={notices} styles={wallStyles} scale={scale} timeZone={timeZone} />
      {options.showSummary && (
        <div className={wallStyles.summary} role="status" style={{ height: summaryHeight(scale) }}>
          <span className={wallStyles.chip}>
            <span className={wallStyles.chipCount} data-number="count">
              {visible.length}
            </span>
            active call{visible.length === 1 ? '' : 's'}
          </span>
          {unanswered > 0 && (
            <span className={wallStyles.chip}>
              <span className={wallStyles.chipDot} style={{ background: palette.ringing.accent }} />
              <span className={wallStyles.chipCount} data-number="count">
                {unanswered}
              </span>
              not answered
            </span>
          )}
        </div>
      )}
      {visible.length === 0 ? (
        <div className={styles.empty} data-testid={testIds.empty}>
          No active calls.
        </div>
      ) : (
        <div
          className={styles.table}
          role="table"
          aria-label="Active calls"
          style={{ ['--sb-cols' as string]: template }}
        >
          <div className={cx(styles.row, styles.head)} role="row">
            <span role="columnheader" />
            <span role="columnheader">Caller</span>
            <span role="columnheader">Called</span>
            {plan.queueColumn && <span role="columnheader">Queue</span>}
            <span role="columnheader">Status</span>
            <span role="columnheader" className={styles.right}>
              Duration
            </span>
          </div>
          {visible.slice(0, plan.shown).map((call) => (
            <CallRow key={call.key} call={call} opts={rowOpts} styles={styles} theme={theme} />
          ))}
          {plan.hidden > 0 && (
            <div
              className={styles.more}
              data-testid={testIds.more}
              data-count={plan.hidden}
              role="row"
              aria-label={`${plan.hidden} more calls not shown`}
            >
              {`+${plan.hidden} more call${plan.hidden === 1 ? '' : 's'}`}
              {hiddenUnanswered > 0 && (
                <span className={styles.moreDetail}>{` · ${hiddenUnanswered} not answered`}</span>
              )}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
