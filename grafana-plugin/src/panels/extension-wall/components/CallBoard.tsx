import React, { memo, useMemo } from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { ActiveCallRow } from '../model/calls';
import { partyLabel } from '../model/format';
import { SIZE_SCALE } from '../model/layout';
import type { WallOptions } from '../types';
import type { WallIconName } from './icons';
import { WallIcon } from './WallIcon';
import { testIds } from './testIds';
import { Elapsed, useOver } from './Ticking';

const ROW_HEIGHT = 44;
const DIRECTION: Record<string, { icon: WallIconName; label: string }> = {
  inbound: { icon: 'arrow-down', label: 'Inbound' },
  outbound: { icon: 'arrow-up', label: 'Outbound' },
  internal: { icon: 'exchange-alt', label: 'Internal' },
};

interface Props {
  calls: ActiveCallRow[];
  options: WallOptions;
  filter: string;
  height: number;
}

/** The live call board: one row per active call, longest first, with a ticking duration. */
export function CallBoard({ calls, options, filter, height }: Props) {
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
  const ringing = visible.filter((c) => c.phase === 'ringing').length;
  const scale =
    options.cardSize === 'fit'
      ? Math.min(2.2, Math.max(0.8, (height - 40) / ((visible.length + 1) * ROW_HEIGHT)))
      : SIZE_SCALE[options.cardSize];

  return (
    <div className={styles.board} data-testid={testIds.callboard} style={{ ['--sb-scale' as string]: String(scale) }}>
      {options.showSummary && (
        <div className={styles.summary} role="status">
          <span className={styles.chip}>
            <b>{visible.length}</b> active call{visible.length === 1 ? '' : 's'}
          </span>
          {ringing > 0 && (
            <span className={styles.chip}>
              <WallIcon name="bell" color={theme.colors.text.primary} /> <b>{ringing}</b> ringing
            </span>
          )}
        </div>
      )}
      {visible.length === 0 ? (
        <div className={styles.empty} data-testid={testIds.empty}>
          No active calls.
        </div>
      ) : (
        <div className={styles.table} role="table" aria-label="Active calls">
          <div className={cx(styles.row, styles.head)} role="row">
            <span role="columnheader" />
            <span role="columnheader">Caller</span>
            <span role="columnheader">Called / answered by</span>
            <span role="columnheader">Queue</span>
            <span role="columnheader">Status</span>
            <span role="columnheader" className={styles.right}>
              Duration
            </span>
          </div>
          {visible.map((c) => (
            <CallRow key={c.key} call={c} options={options} styles={styles} />
          ))}
        </div>
      )}
    </div>
  );
}

const CallRow = memo(function CallRow({
  call,
  options,
  styles,
}: {
  call: ActiveCallRow;
  options: WallOptions;
  styles: ReturnType<typeof getStyles>;
}) {
  const theme = useTheme2();
  const long = useOver(call.startedAt, options.longCallSeconds);
  const phaseInk = theme.visualization.getColorByName(call.phase === 'ringing' ? 'orange' : 'red');
  const from = partyLabel(call.from, call.fromName, options.numberFormat, options.defaultCountry);
  const to = call.answeredBy
    ? partyLabel(call.answeredBy, call.answeredByName, options.numberFormat, options.defaultCountry)
    : partyLabel(call.to, call.toName, options.numberFormat, options.defaultCountry);
  const dir = DIRECTION[call.direction ?? ''] ?? { icon: 'exchange-alt' as WallIconName, label: call.direction ?? '' };
  return (
    <div
      className={cx(styles.row, styles.body, long && styles.long)}
      role="row"
      data-testid={testIds.callRow}
      data-phase={call.phase}
      data-long-call={long || undefined}
    >
      <span role="cell" className={styles.dir} title={dir.label}>
        <WallIcon name={dir.icon} color={theme.colors.text.secondary} title={dir.label} />
      </span>
      <span role="cell" className={styles.party}>
        <span className={styles.primary}>{from.primary}</span>
        {from.secondary && <span className={styles.secondary}>{from.secondary}</span>}
      </span>
      <span role="cell" className={styles.party}>
        <span className={styles.primary}>{to.primary}</span>
        {to.secondary && <span className={styles.secondary}>{to.secondary}</span>}
      </span>
      <span role="cell" className={styles.secondaryCell}>
        {call.queue ?? ''}
      </span>
      <span role="cell" className={cx(styles.phase, call.phase === 'ringing' ? styles.ringing : styles.talking)}>
        <WallIcon name={call.phase === 'ringing' ? 'bell' : 'phone'} color={phaseInk} />
        {call.phase === 'ringing' ? 'Ringing' : 'Talking'}
      </span>
      <span role="cell" className={cx(styles.duration, styles.right)}>
        {long && <WallIcon name="clock-nine" color={theme.colors.warning.text} title="Long call" />}
        <Elapsed since={call.startedAt} kind="duration" />
      </span>
    </div>
  );
});

const px = (n: number) => `calc(${n}px * var(--sb-scale, 1))`;

function getStyles(theme: GrafanaTheme2) {
  return {
    board: css({ display: 'flex', flexDirection: 'column', height: '100%', overflow: 'hidden' }),
    summary: css({ display: 'flex', gap: theme.spacing(1), paddingBottom: theme.spacing(1), flexShrink: 0 }),
    chip: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      padding: theme.spacing(0.25, 1),
      borderRadius: theme.shape.radius.pill,
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      fontSize: theme.typography.bodySmall.fontSize,
    }),
    table: css({ flex: 1, minHeight: 0, overflowY: 'auto' }),
    row: css({
      display: 'grid',
      gridTemplateColumns: `${px(32)} minmax(0, 3fr) minmax(0, 3fr) minmax(0, 1.4fr) minmax(0, 1.4fr) ${px(110)}`,
      alignItems: 'center',
      gap: theme.spacing(1),
      padding: `0 ${theme.spacing(1)}`,
      minHeight: px(ROW_HEIGHT),
      fontSize: px(16),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    }),
    head: css({
      minHeight: px(28),
      fontSize: px(12),
      color: theme.colors.text.secondary,
      textTransform: 'uppercase',
      letterSpacing: '0.04em',
      position: 'sticky',
      top: 0,
      background: theme.colors.background.primary,
    }),
    body: css({ '&:nth-of-type(odd)': { background: theme.colors.background.secondary } }),
    long: css({ boxShadow: `inset ${px(4)} 0 0 ${theme.colors.warning.main}` }),
    dir: css({
      color: theme.colors.text.secondary,
      display: 'inline-flex',
      '& [data-icon]': { width: px(18), height: px(18) },
    }),
    party: css({ display: 'flex', flexDirection: 'column', minWidth: 0, lineHeight: 1.2 }),
    primary: css({
      fontWeight: theme.typography.fontWeightMedium,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    }),
    secondary: css({
      fontSize: px(12),
      color: theme.colors.text.secondary,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    }),
    secondaryCell: css({ color: theme.colors.text.secondary, overflow: 'hidden', textOverflow: 'ellipsis' }),
    phase: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(6),
      fontWeight: theme.typography.fontWeightBold,
      fontSize: px(13),
      textTransform: 'uppercase',
      '& [data-icon]': { width: px(16), height: px(16) },
    }),
    ringing: css({ color: theme.visualization.getColorByName('orange') }),
    talking: css({ color: theme.visualization.getColorByName('red') }),
    duration: css({
      fontFamily: theme.typography.fontFamilyMonospace,
      fontVariantNumeric: 'tabular-nums',
      fontSize: px(20),
      display: 'inline-flex',
      alignItems: 'center',
      justifyContent: 'flex-end',
      gap: px(4),
      '& [data-icon]': { width: px(16), height: px(16), color: theme.colors.warning.text },
    }),
    right: css({ textAlign: 'right', justifySelf: 'end' }),
    empty: css({
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      flex: 1,
      color: theme.colors.text.secondary,
      fontSize: theme.typography.h4.fontSize,
    }),
  };
}
