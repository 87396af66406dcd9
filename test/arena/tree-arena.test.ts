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
import { assertShrinkableRun } from '../support/random.ts';

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

  // Requests up to 3000 B cross the 2 KiB limit of the exact-size bins (SMALL_BIN_COUNT granules
  // at 8 B); the second trace stays around the limit at 16-byte alignment (bins end at 4 KiB).
  for (const { alignBytes, minBytes, maxBytes, seed } of [
    { alignBytes: 8, minBytes: 1, maxBytes: 3000, seed: 21 },
    { alignBytes: 16, minBytes: 3800, maxBytes: 4400, seed: 22 },
  ])
    it(`chooses exactly what FreeListArena best fit chooses on a random trace (alignBytes ${alignBytes}, ${minBytes}..${maxBytes} B)`, () => {
      assertShrinkableRun(seed, 20_000 * 3, (rng) => {
        const tree = new TreeArena({ sizeBytes: 1 << 18, alignBytes });
        const list = new FreeListArena({ sizeBytes: 1 << 18, fit: 'best', alignBytes });
        const live: number[] = [];
        for (let step = 0; step < 20_000 && !rng.exhausted; step++) {
          if (rng() < 0.55 || live.length === 0) {
            const n = minBytes + Math.floor(rng() * rng() * (maxBytes - minBytes + 1));
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
        tree.check();
        expect(tree.stats()).toEqual(list.stats());
      });
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

describe('TreeArena index validation', () => {
  it('check() catches a bin whose bitmap bit disagrees with its tree', () => {
    const arena = new TreeArena({ sizeBytes: 4096 });
    const a = arena.alloc(40);
    arena.alloc(8);
    arena.free(a); // a 56 B block: bin 7 at 8-byte alignment
    arena.check();
    const inner = arena as unknown as { binMap: Int32Array };
    inner.binMap[0] ^= 1 << 7;
    expect(() => arena.check()).toThrow(/bin 7: bitmap bit clear, 1 nodes/);
    inner.binMap[0] ^= 1 << 7;
    inner.binMap[0] ^= 1 << 9;
    expect(() => arena.check()).toThrow(/bin 9: bitmap bit set, 0 nodes/);
  });
});

describe('TreeArena model runs and GC', () => {
  for (const alignBytes of [8, 16, 64]) {
    it(`alignBytes ${alignBytes}: seeded alloc/free/realloc against the interval model, check() every step`, () => {
      runModelChurn(() => new TreeArena({ sizeBytes: 1 << 18, alignBytes }), {
        seed: 40 + alignBytes,
        steps: 3000,
        maxBytes: 4096,
      });
    });
  }

  it('steady-state alloc/free churn allocates nothing', async () => {
    await expectNoGcInChurn(new TreeArena({ sizeBytes: 1 << 20 }));
  });
});
