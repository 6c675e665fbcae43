/**
 * Text that must fit a known width, decided before it is drawn: a number is shown whole, or shortened with a visible
 * ellipsis at a digit group, never clipped mid-digit. Widths are estimates from Inter's bold advance widths (the
 * widest face the wall uses; digits as tabular figures), on the generous side, so an estimate that fits really fits.
 */

/** Advance widths (em) of ASCII 32–126 in Inter Bold, measured in Chromium, rounded up. */
const ASCII_EM = [
  0.24, 0.34, 0.56, 0.65, 0.66, 1.02, 0.68, 0.34, 0.38, 0.38, 0.56, 0.64, 0.34, 0.43, 0.34, 0.39, 0.68, 0.68, 0.68,
  0.68, 0.68, 0.68, 0.68, 0.68, 0.68, 0.68, 0.34, 0.35, 0.68, 0.62, 0.68, 0.56, 1.02, 0.75, 0.67, 0.74, 0.73, 0.61,
  0.59, 0.76, 0.75, 0.29, 0.59, 0.72, 0.57, 0.94, 0.77, 0.78, 0.65, 0.78, 0.66, 0.66, 0.61, 0.74, 0.75, 1.04, 0.74,
  0.74, 0.67, 0.38, 0.39, 0.38, 0.49, 0.48, 0.37, 0.58, 0.62, 0.55, 0.62, 0.56, 0.42, 0.62, 0.63, 0.28, 0.28, 0.59,
  0.28, 0.92, 0.63, 0.58, 0.62, 0.62, 0.43, 0.57, 0.39, 0.63, 0.6, 0.86, 0.59, 0.61, 0.58, 0.47, 0.38, 0.47, 0.64,
];
/** Anything outside ASCII (accents, other scripts): a wide letter. */
const OTHER_EM = 0.8;
const ELLIPSIS = '\u2026';
const ELLIPSIS_EM = 1.0;
/** Slack for rendering differences (hinting, a fallback font): estimates err on the wide side. */
const SAFETY = 1.06;

export interface Font {
  /** px */
  size: number;
  /** Every character as wide as the widest (monospace timers): 0.6 em. */
  mono?: boolean;
  /** Letter spacing in em (uppercase labels). */
  spacing?: number;
}

export function textWidth(text: string, font: Font): number {
  let em = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    em += font.mono ? 0.6 : ch === ELLIPSIS ? ELLIPSIS_EM : code >= 32 && code < 127 ? ASCII_EM[code - 32] : OTHER_EM;
    em += font.spacing ?? 0;
  }
  return em * font.size * SAFETY;
}

export const fits = (text: string, widthPx: number, font: Font) => textWidth(text, font) <= widthPx;

/**
 * A phone or extension number within `widthPx`: whole if it fits; else its head and its tail around an ellipsis,
 * cut between digit groups where it has them (`+1 617…0101`), so what is shown is never a wrong number; else
 * nothing (`''`), for the caller to drop it.
 */
export function fitNumber(text: string, widthPx: number, font: Font): string {
  if (fits(text, widthPx, font)) {
    return text;
  }
  const groups = text.split(/(?<=\s)/);
  // keep the last group (the line) and as many leading groups as fit
  if (groups.length > 1) {
    const tail = groups[groups.length - 1].trim();
    for (let n = groups.length - 2; n >= 1; n--) {
      const candidate = `${groups.slice(0, n).join('').trimEnd()}${ELLIPSIS}${tail}`;
      if (fits(candidate, widthPx, font)) {
        return candidate;
      }
    }
    if (fits(ELLIPSIS + tail, widthPx, font)) {
      return ELLIPSIS + tail;
    }
  }
  // one long run of digits: keep its end (extensions and lines differ at the end)
  for (let keep = text.length - 1; keep >= 2; keep--) {
    const candidate = ELLIPSIS + text.slice(text.length - keep);
    if (fits(candidate, widthPx, font)) {
      return candidate;
    }
  }
  return '';
}

/** A name within `widthPx`, ellipsised at the end; `''` when not even two letters fit. */
export function fitName(text: string, widthPx: number, font: Font): string {
  if (fits(text, widthPx, font)) {
    return text;
  }
  const chars = Array.from(text);
  for (let n = chars.length - 1; n >= 2; n--) {
    const candidate = chars.slice(0, n).join('').trimEnd() + ELLIPSIS;
    if (fits(candidate, widthPx, font)) {
      return candidate;
    }
  }
  return '';
}

export interface PartyFit {
  name?: string;
  number?: string;
}

/**
 * The other party on one line of `widthPx`: name and number when both fit; else the number whole and the name in
 * what is left (or dropped); the number is shortened only when it alone does not fit. The number comes before the
 * name because a cut name is still a hint, a cut number is a wrong number.
 */
export function fitParty(
  name: string | undefined,
  number: string | undefined,
  widthPx: number,
  fonts: { name: Font; number: Font; gap: number }
): PartyFit {
  if (!number) {
    const n = name ? fitName(name, widthPx, fonts.name) : '';
    return n ? { name: n } : {};
  }
  if (!name) {
    const n = fitNumber(number, widthPx, fonts.number);
    return n ? { number: n } : {};
  }
  const numberWidth = textWidth(number, fonts.number);
  if (numberWidth > widthPx) {
    const n = fitNumber(number, widthPx, fonts.number);
    return n ? { number: n } : {};
  }
  const room = widthPx - numberWidth - fonts.gap;
  const shortName = room > 0 ? fitName(name, room, fonts.name) : '';
  return shortName ? { name: shortName, number } : { number };
}
