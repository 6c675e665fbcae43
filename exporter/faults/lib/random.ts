/** A seeded PRNG (mulberry32): the same points on every run, so a FAIL can be run again as it was. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` distinct sorted points in (0, length), at least `minGap` apart where the length allows. */
export function randomPoints(random: () => number, n: number, length: number, minGap = 20): number[] {
  const points = new Set<number>();
  while (points.size < n) {
    const p = 1 + Math.floor(random() * (length - 2));
    if ([...points].every((q) => Math.abs(q - p) >= Math.min(minGap, Math.floor(length / (n * 2))))) points.add(p);
  }
  return [...points].sort((a, b) => a - b);
}
