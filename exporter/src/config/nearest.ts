/** Edits between two words, a swap of neighbours counting as one (optimal string alignment). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known word a mistyped one most likely meant, for a "did you mean …?": case aside, within one edit for short
 * words and two or three for longer ones; undefined when nothing is that close (no guess beats a wrong guess).
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  const allowed = t.length <= 4 ? 1 : t.length <= 8 ? 2 : 3;
  let best: { word: string; d: number } | undefined;
  for (const word of known) {
    const d = distance(t, word.toLowerCase());
    if (d <= allowed && (best === undefined || d < best.d)) best = { word, d };
  }
  return best?.word;
}
