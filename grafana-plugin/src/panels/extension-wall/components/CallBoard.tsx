import React, { memo, useMemo } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { ActiveCallRow, CallPhase } from '../model/calls';
import { formatNumber } from '../model/format';
import { BOARD, bannerHeight, chromeScale, planCallBoard, SIZE_SCALE, summaryHeight } from '../model/layout';
import type { Palette } from '../model/palette';
import type { StaleNotice } from '../model/staleness';
import type { ExtensionState } from '../model/states';
import { fitName, fitNumber } from '../model/text';
import type { WallOptions } from '../types';
import type { WallIconName } from './icons';
import { minScaleOf } from './ExtensionWall';
import { bannerLines, StaleBanner } from './StaleBanner';
import { px, type WallStyles } from './styles';
import { testIds } from './testIds';
import { Elapsed, useOver } from './Ticking';
import { WallIcon } from './WallIcon';

const DIRECTION: Record<string, { icon: WallIconName; label: string }> = {
  inbound: { icon: 'arrow-down', label: 'Inbound' },
  outbound: { icon: 'arrow-up', label: 'Outbound' },
  internal: { icon: 'exchange-alt', label: 'Internal' },
};

/** Each phase in the wall's language: its colour is the matching extension state's (value mappings included). */
const PHASE: Record<CallPhase, { label: string; icon: WallIconName; state: ExtensionState }> = {
  ringing: { label: 'Ringing', icon: 'bell', state: 'ringing' },
  waiting: { label: 'Waiting', icon: 'hourglass', state: 'on_hold' },
  on_hold: { label: 'On hold', icon: 'pause', state: 'on_hold' },
  talking: { label: 'Talking', icon: 'phone', state: 'in_call' },
};

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
  const styles = useStyles2(getStyles);
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

interface RowOpts {
  options: WallOptions;
  palette: Palette;
  scale: number;
  partyWidth: number;
  queueColumn: boolean;
}

/** A party in its column: the name (ellipsised) over the number; the number whole or shortened at a digit group. */
function Party({
  number,
  name,
  opts,
  styles,
}: {
  number?: string;
  name?: string;
  opts: RowOpts;
  styles: ReturnType<typeof getStyles>;
}) {
  const formatted = formatNumber(number, opts.options.numberFormat, opts.options.defaultCountry);
  const s = opts.scale;
  const named = name && name !== number ? name : undefined;
  const primary = named
    ? fitName(named, opts.partyWidth, { size: BOARD.font * s }) || named
    : fitNumber(formatted || 'unknown', opts.partyWidth, { size: BOARD.font * s });
  const secondary = named && formatted ? fitNumber(formatted, opts.partyWidth, { size: 12 * s }) : '';
  return (
    <span role="cell" className={styles.party} title={[named, formatted].filter(Boolean).join(' ')}>
      <span className={styles.primary} data-number={named ? undefined : 'party'}>
        {primary}
      </span>
      {secondary && (
        <span className={styles.secondary} data-number="party">
          {secondary}
        </span>
      )}
    </span>
  );
}

const CallRow = memo(function CallRow({
  call,
  opts,
  styles,
  theme,
}: {
  call: ActiveCallRow;
  opts: RowOpts;
  styles: ReturnType<typeof getStyles>;
  theme: GrafanaTheme2;
}) {
  const frozen = call.stale ? call.staleSince : undefined;
  const long = useOver(call.startedAt, opts.options.longCallSeconds, frozen);
  const phase = PHASE[call.phase];
  const ink = opts.palette[phase.state].accent;
  const dir = DIRECTION[call.direction ?? ''] ?? { icon: 'exchange-alt' as WallIconName, label: call.direction ?? '' };
  const answered = call.answeredBy !== undefined;
  return (
    <div
      className={cx(styles.row, styles.body, long && styles.long, call.stale && styles.stale)}
      role="row"
      data-testid={testIds.callRow}
      data-phase={call.phase}
      data-long-call={long || undefined}
      data-stale={call.stale || undefined}
    >
      <span role="cell" className={styles.dir} title={dir.label}>
        <WallIcon name={dir.icon} color={theme.colors.text.secondary} title={dir.label} />
      </span>
      <Party number={call.from} name={call.fromName} opts={opts} styles={styles} />
      <Party
        number={answered ? call.answeredBy : call.to}
        name={answered ? call.answeredByName : call.toName}
        opts={opts}
        styles={styles}
      />
      {opts.queueColumn && (
        <span role="cell" className={styles.secondaryCell}>
          {call.queue ?? ''}
        </span>
      )}
      <span role="cell" className={styles.phase} style={{ color: ink }}>
        <WallIcon name={phase.icon} color={ink} />
        {phase.label}
      </span>
      <span role="cell" className={cx(styles.duration, styles.right)} data-number="duration">
        {long && <WallIcon name="clock-nine" color={theme.colors.warning.text} title="Long call" />}
        {call.stale && frozen === undefined ? (
          '\u2013'
        ) : (
          <Elapsed since={call.startedAt} kind="duration" frozenAt={frozen} />
        )}
      </span>
    </div>
  );
});

function getStyles(theme: GrafanaTheme2) {
  const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 } as const;
  return {
    board: css({ display: 'flex', flexDirection: 'column', height: '100%', overflow: 'hidden' }),
    table: css({ flex: 1, minHeight: 0, overflow: 'hidden' }),
    row: css({
      display: 'grid',
      gridTemplateColumns: 'var(--sb-cols)',
      alignItems: 'center',
      gap: px(BOARD.gap),
      padding: `0 ${px(BOARD.gap)}`,
      height: px(BOARD.row),
      boxSizing: 'border-box',
      fontSize: px(BOARD.font),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    }),
    head: css({
      height: px(BOARD.head),
      fontSize: px(12),
      color: theme.colors.text.secondary,
      textTransform: 'uppercase',
      letterSpacing: '0.04em',
      background: theme.colors.background.primary,
      '& > span': ellipsis,
    }),
    body: css({ '&:nth-of-type(odd)': { background: theme.colors.background.secondary } }),
    long: css({ boxShadow: `inset ${px(4)} 0 0 ${theme.colors.warning.main}` }),
    stale: css({
      backgroundImage: 'repeating-linear-gradient(135deg, rgba(128, 128, 128, 0.22) 0 6px, transparent 6px 14px)',
      color: theme.colors.text.secondary,
    }),
    dir: css({
      color: theme.colors.text.secondary,
      display: 'inline-flex',
      '& [data-icon]': { width: px(18), height: px(18) },
    }),
    party: css({ display: 'flex', flexDirection: 'column', minWidth: 0, lineHeight: 1.2 }),
    primary: css({ ...ellipsis, fontWeight: theme.typography.fontWeightMedium, fontVariantNumeric: 'tabular-nums' }),
    secondary: css({
      ...ellipsis,
      fontSize: px(12),
      color: theme.colors.text.secondary,
      fontVariantNumeric: 'tabular-nums',
    }),
    secondaryCell: css({ ...ellipsis, color: theme.colors.text.secondary }),
    phase: css({
      ...ellipsis,
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(6),
      fontWeight: theme.typography.fontWeightBold,
      fontSize: px(13),
      textTransform: 'uppercase',
      '& [data-icon]': { width: px(16), height: px(16), flexShrink: 0 },
    }),
    duration: css({
      fontFamily: theme.typography.fontFamilyMonospace,
      fontVariantNumeric: 'tabular-nums',
      fontSize: px(20),
      display: 'inline-flex',
      alignItems: 'center',
      justifyContent: 'flex-end',
      gap: px(4),
      whiteSpace: 'nowrap',
      '& [data-icon]': { width: px(16), height: px(16), color: theme.colors.warning.text },
    }),
    right: css({ textAlign: 'right', justifySelf: 'end' }),
    more: css({
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      height: px(BOARD.more),
      fontSize: px(15),
      fontWeight: theme.typography.fontWeightBold,
      color: theme.colors.text.primary,
      gap: px(6),
      borderTop: `2px dashed ${theme.colors.border.strong}`,
      whiteSpace: 'nowrap',
    }),
    moreDetail: css({ fontWeight: theme.typography.fontWeightRegular, color: theme.colors.text.secondary }),
    empty: css({
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      flex: 1,
      color: theme.colors.text.secondary,
      fontSize: `calc(${theme.typography.h4.fontSize} * var(--sb-chrome, 1))`,
    }),
  };
}
