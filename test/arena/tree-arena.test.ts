/**
 * TreeArena: the shared conformance suite, best fit through the red-black tree (smallest block
 * that fits, ties by lowest offset) on crafted layouts, agreement with FreeListArena best fit on
 * a random trace, model runs, and the GC test.
 */
import { describe, expect, it } from 'vitest';
import { FreeListArena } from '../../src/arena/free-list-arena.ts';
import { TreeArena } from '../../src/arena/tree-arena.ts';
import { expectNoGcInChurn, runModelChurn } from './boundary-tag-churn.ts';
import { describeArenaConformance } from './conformance.ts';
import { mulberry32 } from './interval-model.ts';

describeArenaConformance((o) => new TreeArena(o as never), {
  name: 'TreeArena',
  reallocGrows: true,
  boundaryTags: true,
  minArenaBytes: 24,
  largestRequestBytes: (sizeBytes) => sizeBytes - 16,
  randomRuns: [
    { sizeBytes: 1 << 20, maxRequestBytes: 65536, steps: 6000, seeds: [1] },
    { sizeBytes: 65536, maxRequestBytes: 256, steps: 6000, seeds: [3] },
  ],
});

describe('TreeArena best fit', () => {
  it('takes the smallest free block that fits, ties by lowest offset', () => {
    const arena = new TreeArena({ sizeBytes: 4096 });
    // Holes (usable bytes, address order) 200, 64, 120, 64, separated by 1-byte fences.
    const holes = [200, 64, 120, 64].map((n) => {
      const h = arena.alloc(n);
      arena.alloc(1);
      return h;
    });
    arena.alloc(arena.stats().largestFreeBytes - 16);
    for (const h of [holes[3], holes[0], holes[2], holes[1]]) arena.free(h);
    arena.check();
    expect(arena.alloc(60)).toBe(holes[1]); // two 80 B blocks: the lower offset
    expect(arena.alloc(60)).toBe(holes[3]);
    expect(arena.alloc(100)).toBe(holes[2]); // 136 B beats 216 B
    // 136 - 120 = 16 B is below the 24 B minimum block: hole 2 went whole; only hole 0 is left.
    expect(arena.alloc(8)).toBe(holes[0]);
    arena.check();
  });

  it('chooses exactly what FreeListArena best fit chooses on a random trace', () => {
    const tree = new TreeArena({ sizeBytes: 1 << 18 });
    const list = new FreeListArena({ sizeBytes: 1 << 18, fit: 'best' });
    const rng = mulberry32(21);
    const live: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      if (rng() < 0.55 || live.length === 0) {
        const n = 1 + Math.floor(rng() * rng() * 3000);
        const a = tree.tryAlloc(n);
        expect(list.tryAlloc(n), `step ${step}`).toBe(a);
        if (a !== -1) live.push(a);
      } else {
        const i = Math.floor(rng() * live.length);
        const o = live[i];
        live[i] = live[live.length - 1];
        live.pop();
        tree.free(o);
        list.free(o);
      }
      if (step % 100 === 0) {
        tree.check();
        expect(tree.stats()).toEqual(list.stats());
      }
    }
  });

  it('big free blocks (>= 16 MiB) stay whole and are found by size', () => {
    const arena = new TreeArena({ sizeBytes: 64 * 2 ** 20 });
    const big = arena.alloc(2 ** 25);
    const fence = arena.alloc(16);
    const mid = arena.alloc(2 ** 24 + 8);
    arena.alloc(16);
    arena.free(big);
    arena.free(mid);
    arena.check();
    expect(arena.alloc(2 ** 24)).toBe(mid); // smallest that fits: the 16 MiB + 24 B block
    expect(arena.alloc(2 ** 24 + 8)).toBe(big);
    expect(fence).toBeGreaterThan(big);
    arena.check();
  });
});

describe('TreeArena model runs and GC', () => {
  for (const alignBytes of [8, 16, 64]) {
    it(`alignBytes ${alignBytes}: seeded alloc/free/realloc against the interval model, check() every step`, () => {
      runModelChurn(() => new TreeArena({ sizeBytes: 1 << 18, alignBytes }), { seed: 40 + alignBytes, steps: 3000, maxBytes: 4096 });
    });
  }

  it('steady-state alloc/free churn allocates nothing', async () => {
    await expectNoGcInChurn(new TreeArena({ sizeBytes: 1 << 20 }));
  });
});
