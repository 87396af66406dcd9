/**
 * Seeded randomness for tests: the same seed gives the same run, so a failing random run can be
 * replayed from the seed it prints; {@link assertShrinkableRun} also shrinks it with fast-check.
 */
import fc from 'fast-check';

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

/**
 * Runs `run` against a source of random numbers that fast-check generates and can shrink: the
 * numbers are an array of `draws / 2` to `draws` integers, consumed in order by `rng()` (a float in `[0, 1)`);
 * when they run out, `rng.exhausted` turns true and `rng()` returns 0, and the run should stop.
 * A failure then shrinks as fast-check shrinks arrays (a shorter prefix is a shorter run;
 * smaller numbers pick the first choices), and the report names the seed. Deterministic per
 * `seed`. `numRuns` runs are made (default 1).
 */
export function assertShrinkableRun(
  seed: number,
  draws: number,
  run: (rng: ShrinkableRandom) => void,
  numRuns = 1,
): void {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), {
        minLength: Math.ceil(draws / 2),
        maxLength: draws,
        size: 'max',
      }),
      (values) => {
        let i = 0;
        const rng = (() => {
          if (i >= values.length) {
            rng.exhausted = true;
            return 0;
          }
          return values[i++] / 2 ** 32;
        }) as ShrinkableRandom;
        rng.exhausted = false;
        run(rng);
      },
    ),
    { seed, numRuns },
  );
}

/** The random source of {@link assertShrinkableRun}: a float in `[0, 1)` per call. */
export type ShrinkableRandom = (() => number) & { exhausted: boolean };
