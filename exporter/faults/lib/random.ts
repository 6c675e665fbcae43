/** `n` distinct sorted points in (0, length), at least `minGap` apart where the length allows. */
export function randomPoints(random: () => number, n: number, length: number, minGap = 20): number[] {
  const points = new Set<number>();
  while (points.size < n) {
    const p = 1 + Math.floor(random() * (length - 2));
    if ([...points].every((q) => Math.abs(q - p) >= Math.min(minGap, Math.floor(length / (n * 2))))) points.add(p);
  }
  return [...points].sort((a, b) => a - b);
}
