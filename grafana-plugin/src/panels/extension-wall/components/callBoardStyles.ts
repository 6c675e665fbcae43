import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { BOARD } from '../model/layout';
import { px } from './styles';

export type CallBoardStyles = ReturnType<typeof getCallBoardStyles>;

/** The call board's table: a grid of rows whose columns come from `--sb-cols`, sized by the board's scale. */
export function getCallBoardStyles(theme: GrafanaTheme2) {
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
