// Long on purpose (about 320 lines): the wall's style table, one entry per class, read and diffed like a stylesheet;
// the code is the small state-class builder at the top.

import { css, keyframes } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { CARD, CHROME, GROUP, TILE } from '../model/layout';
import type { Palette } from '../model/palette';
import { STATE_ORDER, type ExtensionState } from '../model/states';
import type { ColorMode } from '../types';

/** Sizes scale with `--sb-scale`, set once on the wall; chips and the banner with `--sb-chrome` (capped). */
export const px = (n: number) => `calc(${n}px * var(--sb-scale, 1))`;
const cpx = (n: number) => `calc(${n}px * var(--sb-chrome, 1))`;

// A lamp blinking, as on a desk phone's busy-lamp field. Visibility in two steps: repainted twice a second,
// no compositing layer per ringing card (an opacity pulse made every ringing card a layer).
const blink = keyframes({
  '0%': { visibility: 'visible' },
  '50%': { visibility: 'hidden' },
});

/** Diagonal hatching over a card whose data stopped: reads as "not live" without colour, from across a room. */
const HATCH = 'repeating-linear-gradient(135deg, rgba(0, 0, 0, 0.2) 0 5px, transparent 5px 13px)';

/** One class per state and colour mode from the palette (value mappings): built once per palette and theme. */
export function stateClasses(
  palette: Palette,
  theme: GrafanaTheme2
): Record<ColorMode, Record<ExtensionState, string>> {
  const build = (mode: ColorMode) =>
    Object.fromEntries(
      STATE_ORDER.map((s) => {
        const c = palette[s];
        return [
          s,
          mode === 'background'
            ? // solid, like the stat panel's background colour mode; gradients cost a paint chunk per card
              css({ background: c.bg, color: c.fg, borderColor: 'transparent' })
            : css({
                background: theme.colors.background.primary,
                color: theme.colors.text.primary,
                borderColor: theme.colors.border.weak,
                borderLeft: `${px(8)} solid ${c.accent}`,
              }),
        ];
      })
    ) as Record<ExtensionState, string>;
  return { background: build('background'), border: build('border') };
}

export function getWallStyles(theme: GrafanaTheme2) {
  const ellipsis = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 } as const;
  return {
    root: css({
      display: 'flex',
      flexDirection: 'column',
      width: '100%',
      height: '100%',
      overflow: 'hidden',
      fontFamily: theme.typography.fontFamily,
    }),
    scroll: css({ flex: 1, minHeight: 0, overflowY: 'auto', overflowX: 'hidden' }),
    // fit: the plan puts everything on screen, so nothing scrolls (a scrollbar would steal width from the plan)
    fitted: css({ flex: 1, minHeight: 0, overflow: 'hidden' }),
    summary: css({
      display: 'flex',
      flexWrap: 'nowrap',
      alignItems: 'flex-start',
      gap: cpx(8),
      flexShrink: 0,
      overflow: 'hidden',
    }),
    chip: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: cpx(5),
      padding: `${cpx(CHROME.chipPadY)} ${cpx(9)}`,
      borderRadius: theme.shape.radius.pill,
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      fontSize: cpx(CHROME.chipFont),
      lineHeight: 1.25,
      color: theme.colors.text.primary,
      whiteSpace: 'nowrap',
      flexShrink: 0,
    }),
    chipDot: css({ width: cpx(10), height: cpx(10), borderRadius: '50%', display: 'inline-block', flexShrink: 0 }),
    chipCount: css({ fontWeight: theme.typography.fontWeightBold, fontVariantNumeric: 'tabular-nums' }),
    chipIcon: css({ display: 'inline-flex', '& [data-icon]': { width: cpx(13), height: cpx(13) } }),
    banner: css({
      flexShrink: 0,
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'center',
      padding: `${cpx(CHROME.bannerPadY)} ${cpx(12)}`,
      borderRadius: theme.shape.radius.default,
      background: theme.colors.warning.main,
      color: theme.colors.warning.contrastText,
      border: `1px solid ${theme.colors.warning.border}`,
      fontSize: cpx(CHROME.bannerFont),
      lineHeight: 1.4,
      overflow: 'hidden',
    }),
    bannerInfo: css({
      background: theme.colors.background.secondary,
      color: theme.colors.text.primary,
      border: `1px solid ${theme.colors.border.medium}`,
    }),
    bannerLine: css({ ...ellipsis, display: 'flex', alignItems: 'center', gap: cpx(6) }),
    bannerIcon: css({ display: 'inline-flex', flexShrink: 0, '& [data-icon]': { width: cpx(16), height: cpx(16) } }),
    bannerStrong: css({ fontWeight: theme.typography.fontWeightBold, flexShrink: 0 }),
    bannerRest: css(ellipsis),
    group: css({ marginBottom: GROUP.gap }),
    groupHeader: css({
      display: 'flex',
      alignItems: 'center',
      gap: px(8),
      height: px(GROUP.header),
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
    grid: css({ display: 'grid', alignContent: 'start' }),
    // the grid and its section take the panel's height; cards centre their content in the taller cell
    stretched: css({
      height: '100%',
      alignContent: 'stretch',
      '& > [data-kind="card"]': { justifyContent: 'center' },
    }),
    card: css({
      position: 'relative',
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'flex-start',
      padding: px(CARD.padding),
      borderRadius: theme.shape.radius.default,
      border: `1px solid transparent`,
      minWidth: 0,
      overflow: 'hidden',
      lineHeight: 1.25,
      // Each card lays out and paints on its own (a ticking duration never relayouts the wall), and cards scrolled
      // out of view are not painted at all: a 1,000-extension wall costs what its visible part costs.
      contentVisibility: 'auto',
      containIntrinsicSize: 'auto 100px',
      // Cards change colour on every state change; a short fade reads better on a wall than a flash.
      [theme.transitions.handleMotion('no-preference')]: { transition: 'background-color 300ms ease-out' },
    }),
    tile: css({
      position: 'relative',
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      justifyContent: 'space-between',
      padding: `${px(TILE.padding - 2)} ${px(TILE.padding)}`,
      borderRadius: theme.shape.radius.default,
      border: `1px solid transparent`,
      minWidth: 0,
      overflow: 'hidden',
      lineHeight: 1.2,
      contentVisibility: 'auto',
      containIntrinsicSize: 'auto 54px',
    }),
    tileTop: css({ display: 'flex', alignItems: 'center', gap: px(4), minWidth: 0 }),
    tileNumber: css({
      fontSize: px(TILE.numberFont),
      fontWeight: theme.typography.fontWeightBold,
      fontVariantNumeric: 'tabular-nums',
      flex: 1,
      ...ellipsis,
    }),
    tileLine: css({
      fontSize: px(TILE.lineFont),
      fontFamily: theme.typography.fontFamilyMonospace,
      fontVariantNumeric: 'tabular-nums',
      ...ellipsis,
    }),
    tileLabel: css({
      fontSize: px(12),
      fontWeight: theme.typography.fontWeightBold,
      letterSpacing: '0.04em',
      ...ellipsis,
    }),
    more: css({
      boxSizing: 'border-box',
      display: 'flex',
      flexDirection: 'column',
      alignItems: 'center',
      justifyContent: 'center',
      borderRadius: theme.shape.radius.default,
      border: `2px dashed ${theme.colors.border.strong}`,
      color: theme.colors.text.primary,
      background: theme.colors.background.secondary,
      overflow: 'hidden',
      minWidth: 0,
      padding: px(4),
      textAlign: 'center',
    }),
    moreCount: css({ fontSize: px(18), fontWeight: theme.typography.fontWeightBold, whiteSpace: 'nowrap' }),
    moreDetail: css({ fontSize: px(12), color: theme.colors.text.secondary, ...ellipsis, maxWidth: '100%' }),
    ringing: css({
      '& [data-role="state-icon"]': {
        [theme.transitions.handleMotion('no-preference')]: { animation: `${blink} 1s step-end infinite` },
      },
    }),
    // On a coloured card the outline takes the text colour, so it shows on every state colour alike.
    longCall: {
      background: css({ boxShadow: `inset 0 0 0 ${px(3)} currentColor` }),
      border: css({ boxShadow: `inset 0 0 0 ${px(3)} ${theme.colors.warning.main}` }),
    },
    stale: css({
      backgroundImage: HATCH,
      filter: 'saturate(0.35)',
      '& [data-role="state-icon"]': { animation: 'none' },
    }),
    topRow: css({
      display: 'flex',
      alignItems: 'center',
      gap: px(6),
      height: px(CARD.numberRow),
      minWidth: 0,
    }),
    number: css({
      fontSize: px(22),
      fontWeight: theme.typography.fontWeightBold,
      fontVariantNumeric: 'tabular-nums',
      letterSpacing: '0.01em',
      flex: 1,
      ...ellipsis,
    }),
    badge: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(3),
      fontSize: px(13),
      fontWeight: theme.typography.fontWeightMedium,
      flexShrink: 0,
      '& [data-icon]': { width: px(14), height: px(14) },
    }),
    row: css({
      display: 'flex',
      alignItems: 'center',
      gap: px(6),
      height: px(CARD.row),
      fontSize: px(14),
      minWidth: 0,
      whiteSpace: 'nowrap',
    }),
    ellipsis: css(ellipsis),
    partyName: css({ ...ellipsis, flex: '0 1 auto' }),
    partyNumber: css({ ...ellipsis, flex: '0 0 auto', fontVariantNumeric: 'tabular-nums' }),
    name: css({ fontSize: px(15) }),
    stateLabel: css({
      fontSize: px(13),
      fontWeight: theme.typography.fontWeightBold,
      textTransform: 'uppercase',
      letterSpacing: '0.04em',
      flex: 1,
      ...ellipsis,
    }),
    stateIcon: css({ display: 'inline-flex', flexShrink: 0, '& [data-icon]': { width: px(16), height: px(16) } }),
    tileIcon: css({ display: 'inline-flex', flexShrink: 0, '& [data-icon]': { width: px(15), height: px(15) } }),
    timer: css({
      fontFamily: theme.typography.fontFamilyMonospace,
      fontSize: px(17),
      fontWeight: theme.typography.fontWeightMedium,
      fontVariantNumeric: 'tabular-nums',
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(3),
      flexShrink: 0,
      whiteSpace: 'nowrap',
      '& [data-icon]': { width: px(14), height: px(14) },
    }),
    longIdle: css({ fontWeight: theme.typography.fontWeightBold, textDecoration: 'underline dotted' }),
    // a colour, not opacity: opacity gives every card its own compositing effect
    secondary: css({ color: 'color-mix(in srgb, currentColor 78%, transparent)', fontSize: px(12) }),
    queues: css({
      display: 'flex',
      gap: px(4),
      height: px(CARD.badgeRow),
      alignItems: 'center',
      flexWrap: 'nowrap',
      overflow: 'hidden',
      minWidth: 0,
    }),
    queue: css({
      display: 'inline-flex',
      alignItems: 'center',
      gap: px(2),
      padding: `0 ${px(5)}`,
      borderRadius: theme.shape.radius.default,
      fontSize: px(12),
      lineHeight: px(17),
      background: 'rgba(0, 0, 0, 0.18)',
      whiteSpace: 'nowrap',
      minWidth: 0,
      flexShrink: 1,
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      '& [data-icon]': { width: px(12), height: px(12) },
    }),
    queuePaused: css({ background: 'transparent', border: '1px dashed currentColor', textDecoration: 'line-through' }),
    empty: css({
      display: 'flex',
      flexDirection: 'column',
      alignItems: 'center',
      justifyContent: 'center',
      height: '100%',
      color: theme.colors.text.secondary,
      fontSize: theme.typography.h4.fontSize,
      textAlign: 'center',
      gap: theme.spacing(1),
    }),
  };
}

export type WallStyles = ReturnType<typeof getWallStyles>;
