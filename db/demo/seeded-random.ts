/** mulberry32: a tiny seeded PRNG, so the demo county and the benchmark data are the same every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Random {
  next(): number
  /** uniform in [lo, hi) */
  range(lo: number, hi: number): number
  int(lo: number, hiInclusive: number): number
  pick<T>(items: readonly T[]): T
}

export function seededRandom(seed: number): Random {
  const next = mulberry32(seed)
  return {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  }
}
