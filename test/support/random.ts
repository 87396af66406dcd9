/**
 * Seeded randomness for tests and benchmarks: the same seed gives the same run, so a failing
 * random run can be replayed from the seed it prints.
 */

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): a tiny seeded PRNG.
 *
 * @param seed - any number; only its low 32 bits are used.
 * @returns a function returning the next float in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seeded source of whole numbers: `next(n)` is uniform in `[0, n)`, built on
 * {@link mulberry32}. (A `seed * 1103515245 + 12345` generator in plain JS numbers is not one:
 * the product passes 2^53, its low bits round to zero and `s % n` is then almost always even.)
 *
 * @param seed - any number; only its low 32 bits are used.
 */
export function randomInts(seed: number): (n: number) => number {
  const next = mulberry32(seed);
  return (n) => Math.floor(next() * n);
}
