/**
 * Seeded randomness for the benchmarks' traces: the same seed gives the same trace, so every run
 * times the same work.
 *
 * @module
 */

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): a tiny seeded PRNG. The tests
 * keep their own copy (`test/support/random.ts`); the bench does not import from `test/`.
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
