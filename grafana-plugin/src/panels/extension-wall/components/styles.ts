import { css, keyframes } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { CARD_BASE } from '../model/layout';
import { STATES, type ExtensionState } from '../model/states';
import type { ColorMode } from '../types';

/** Sizes scale with `--sb-scale`, set once on the wall; one class per state and colour mode, built once per theme. */
const px = (n: number) => `calc(${n}px * var(--sb-scale, 1))`;

// A lamp blinking, as on a desk phone's busy-lamp field. Visibility in two steps: repainted twice a second,
// no compositing layer per ringing card (an opacity pulse made every ringing card a layer).
const blink = keyframes({
  '0%': { visibility: 'visible' },
  '50%': { visibility: 'hidden' },
});

export function stateColors(theme: GrafanaTheme2, state: ExtensionState): { bg: string; fg: string; accent: string } {
  const info = STATES[state];
  if (info.color === 'gray') {
    return {
      bg: theme.colors.background.secondary,
      fg: theme.colors.text.secondary,
      accent: theme.colors.text.disabled,
    };
  }
  const accent = theme.visualization.getColorByName(info.color);
  return { bg: accent, fg: theme.colors.getContrastText(accent), accent };
}

export function getWallStyles(theme: GrafanaTheme2) {
  const stateClass = (mode: ColorMode) =>
    Object.fromEntries(
      (Object.keys(STATES) as ExtensionState[]).map((s) => {
        const c = stateColors(theme, s);
        const base =
          mode === 'background'
            ? css({
                // solid, like the stat panel's background colour mode; gradients cost a paint chunk per card
                background: c.bg,
                color: c.fg,
                borderColor: 'transparent',
              })
            : css({
                background: theme.colors.background.primary,
                color: theme.colors.text.primary,
                borderColor: theme.colors.border.weak,
                borderLeft: `${px(8)} solid ${c.accent}`,
                '& [data-role="state"]': { color: theme.colors.text.primary },
                '& [data-role="state-icon"]': { color: c.accent },
              });
        return [s, base];
      })
    ) as Record<ExtensionState, string>;

  return {
    root: css({
      display: 'flex',
      flexDirection: 'column',
      width: '100%',
      height: '100%',
      overflow: 'hidden',
      fontFamily: theme.typography.fontFamily,
    }),
    scroll: css({
      flex: 1,
      minHeight: 0,
      overflowY: 'auto',
      overflowX: 'hidden',
    }),
    summary: css({
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      paddingBottom: theme.spacing(1),
      flexShrink: 0,
    }),
    chip: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
      padding: theme.spacing(0.25, 1),
      borderRadius: theme.shape.radius.pill,
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.primary,
      whiteSpace: 'nowrap',
    }),
    chipDot: css({ width: 10, height: 10, borderRadius: '50%', display: 'inline-block' }),
    chipCount: css({ fontWeight: theme.typography.fontWeightBold, fontVariantNumeric: 'tabular-nums' }),
    group: css({ marginBottom: theme.spacing(1) }),
    groupHeader: css({
      display: 'flex',
      alignItems: 'baseline',
      gap: theme.spacing(1),
      height: CARD_BASE.groupHeader,
      fontSize: px(16),
      fontWeight: theme.typography.fontWeightMedium,
      color: theme.colors.text.primary,
      overflow: 'hidden',
      whiteSpace: 'nowrap',
    }),
    groupMeta: css({
      color: theme.colors.text.secondary,
      fontSize: px(13),
      fontWeight: theme.typography.fontWeightRegular,
    }),
    grid: css({
      display: 'grid',
      gap: CARD_BASE.gap,
      alignContent: 'start',
    }),
    card: css({
      position: 'relative',
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'flex-start',
      padding: px(CARD_BASE.padding),
      borderRadius: theme.shape.radius.default,
      border: `1px solid transparent`,
      minWidth: 0,
      lineHeight: 1.25,
      // Each card lays out and paints on its own (a ticking duration never relayouts the wall), and cards scrolled
      // out of view are not painted at all: a 1,000-extension wall costs what its visible part costs.
      contentVisibility: 'auto',
      containIntrinsicSize: 'auto 100px',
      // Cards change colour on every state change; a short fade reads better on a wall than a flash.
      [theme.transitions.handleMotion('no-preference')]: { transition: 'background 300ms ease-out' },
    }),
    ringing: css({
      '& [data-role="state-icon"]': {
        [theme.transitions.handleMotion('no-preference')]: { animation: `${blink} 1s step-end infinite` },
      },
    }),
    // On a coloured card the outline takes the text colour, so it shows on orange and red alike.
    longCall: {
      background: css({ boxShadow: `inset 0 0 0 ${px(3)} currentColor` }),
      border: css({ boxShadow: `inset 0 0 0 ${px(3)} ${theme.colors.warning.main}` }),
    },
    topRow: css({
      display: 'flex',
      alignItems: 'center',
      gap: px(6),
      height: px(CARD_BASE.numberRow),
    }),
    number: css({
      fontSize: px(22),
      fontWeight: theme.typography.fontWeightBold,
      fontVariantNumeric: 'tabular-nums',
      letterSpacing: '0.01em',
      flex: 1,
      minWidth: 0,
      whiteSpace: 'nowrap',
    }),
    badge: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(3),
      fontSize: px(13),
      fontWeight: theme.typography.fontWeightMedium,
      '& [data-icon]': { width: px(14), height: px(14) },
    }),
    row: css({
      display: 'flex',
      alignItems: 'center',
      gap: px(6),
      height: px(CARD_BASE.row),
      fontSize: px(14),
      minWidth: 0,
      whiteSpace: 'nowrap',
    }),
    ellipsis: css({ overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }),
    // The name keeps its room; the number beside it gives way first (and vanishes rather than show "+1 30…").
    partyName: css({ flex: '0 1 auto' }),
    partyNumber: css({ flex: '1 1 0', textOverflow: 'clip' }),
    name: css({ fontSize: px(15) }),
    stateLabel: css({
      fontSize: px(13),
      fontWeight: theme.typography.fontWeightBold,
      textTransform: 'uppercase',
      letterSpacing: '0.04em',
      flex: 1,
      minWidth: 0,
      whiteSpace: 'nowrap',
    }),
    stateIcon: css({ display: 'inline-flex', '& [data-icon]': { width: px(16), height: px(16) } }),
    timer: css({
      fontFamily: theme.typography.fontFamilyMonospace,
      fontSize: px(17),
      fontWeight: theme.typography.fontWeightMedium,
      fontVariantNumeric: 'tabular-nums',
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(3),
      '& [data-icon]': { width: px(14), height: px(14) },
    }),
    longIdle: css({ fontWeight: theme.typography.fontWeightBold, textDecoration: 'underline dotted' }),
    // a colour, not opacity: opacity gives every card its own compositing effect
    secondary: css({ color: 'color-mix(in srgb, currentColor 75%, transparent)', fontSize: px(12) }),
    queues: css({
      display: 'flex',
      gap: px(4),
      height: px(CARD_BASE.badgeRow),
      alignItems: 'center',
      flexWrap: 'nowrap',
    }),
    queue: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(2),
      padding: `0 ${px(5)}`,
      borderRadius: theme.shape.radius.default,
      fontSize: px(11),
      lineHeight: px(17),
      background: 'rgba(0, 0, 0, 0.18)',
      whiteSpace: 'nowrap',
      '& [data-icon]': { width: px(11), height: px(11) },
    }),
    queuePaused: css({ background: 'transparent', border: '1px dashed currentColor', textDecoration: 'line-through' }),
    stateClass: { background: stateClass('background'), border: stateClass('border') },
    empty: css({
      display: 'flex',
      flexDirection: 'column',
      alignItems: 'center',
      justifyContent: 'center',
      height: '100%',
      color: theme.colors.text.secondary,
      textAlign: 'center',
      gap: theme.spacing(1),
    }),
  };
}

export type WallStyles = ReturnType<typeof getWallStyles>;
