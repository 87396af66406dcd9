/**
 * Test helpers shared by the FreeListArena and TreeArena tests (not a test file itself):
 * - {@link runModelChurn}: a fast-check (shrinkable, seeded) alloc / free / realloc run against the interval-set model of
 *   `interval-model.ts`, writing a pattern into every live block and verifying it, with
 *   `check()` after every step. Unlike the conformance runs it mixes alignments and leans on
 *   `realloc` (shrink, grow in place, move).
 * - {@link expectNoGcInChurn}: steady-state alloc/free churn, counted with `countGc` after warm-up.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Allocator } from '../../src/arena/allocator.ts';
import { OutOfMemoryError } from '../../src/errors.ts';
import { countGc } from '../support/gc.ts';
import { assertShrinkableRun, type ShrinkableRandom } from '../support/random.ts';
import { IntervalModel, findPatternMismatch, writePattern } from './interval-model.ts';

/** Options of {@link runModelChurn}. */
export interface ChurnOptions {
  seed: number;
  steps: number;
  /** Largest request, bytes; sizes are log-uniform in [1, maxBytes]. */
  maxBytes: number;
}

/**
 * Runs a seeded model-based churn on `make()`'s arena; the seed is in every failure message.
 * Checks: offsets aligned and inside the arena, no overlap (the model), contents kept across
 * realloc, stats equal to the model, `check()` after every step, everything free at the end.
 */
export function runModelChurn(make: () => Allocator, options: ChurnOptions): void {
  // About 3 draws a step: fast-check generates them and shrinks a failing run.
  assertShrinkableRun(options.seed, options.steps * 3, (rng) => churnRun(make, options, rng));
}

/** One {@link runModelChurn} run over the random source `rng` (stops when it runs out). */
function churnRun(make: () => Allocator, { seed, steps, maxBytes }: ChurnOptions, rng: ShrinkableRandom): void {
  const arena = make();
  const model = new IntervalModel();
  const live: number[] = [];
  const seeds = new Map<number, number>();
  let step = 0;
  let op = '';
  const size = () => Math.max(1, Math.min(maxBytes, Math.floor(Math.exp(rng() * Math.log(maxBytes + 1)))));
  const capacity = arena.stats().capacityBytes;
  const place = (offset: number, requested: number, patternSeed: number) => {
    const granted = arena.sizeOf(offset);
    expect(offset % arena.alignBytes).toBe(0);
    expect(granted).toBeGreaterThanOrEqual(requested);
    expect(offset + granted).toBeLessThanOrEqual(capacity);
    model.add({ offset, requestedBytes: requested, grantedBytes: granted, seed: patternSeed });
    seeds.set(offset, patternSeed);
    writePattern(arena.u8, offset, granted, patternSeed);
  };
  try {
    for (step = 0; step < steps && !rng.exhausted; step++) {
      const r = rng();
      if (r < 0.45 || live.length === 0) {
        const n = size();
        op = `alloc(${n})`;
        const o = arena.tryAlloc(n);
        if (o !== -1) {
          place(o, n, step + 1);
          live.push(o);
        }
      } else if (r < 0.7) {
        const i = Math.floor(rng() * live.length);
        const o = live[i];
        const old = model.get(o)!;
        // Shrink, grow a little (often in place), or grow a lot (often a move).
        const k = rng();
        const n =
          k < 0.3 ? Math.max(1, Math.floor(old.requestedBytes / 2)) : k < 0.7 ? old.requestedBytes + 8 : size() * 4;
        op = `realloc(${o}, ${n})`;
        let moved = -1;
        try {
          moved = arena.realloc(o, n);
        } catch (e) {
          if (!(e instanceof OutOfMemoryError)) throw e;
          expect(arena.sizeOf(o)).toBe(old.grantedBytes);
          expect(findPatternMismatch(arena.u8, o, old.grantedBytes, old.seed)).toBe(-1);
        }
        if (moved !== -1) {
          const kept = Math.min(old.grantedBytes, n);
          expect(findPatternMismatch(arena.u8, moved, kept, old.seed), 'contents lost').toBe(-1);
          model.remove(o);
          place(moved, n, step + 1);
          live[i] = moved;
        }
      } else {
        const i = Math.floor(rng() * live.length);
        const o = live[i];
        live[i] = live[live.length - 1];
        live.pop();
        op = `free(${o})`;
        const b = model.remove(o);
        expect(findPatternMismatch(arena.u8, o, b.grantedBytes, b.seed), 'contents lost').toBe(-1);
        arena.free(o);
      }
      arena.check();
      const s = arena.stats();
      expect(s.liveBlocks).toBe(model.size);
      expect(s.requestedBytes).toBe(model.requestedBytes);
      expect(s.grantedBytes).toBe(model.grantedBytes);
    }
    for (const b of model.list()) {
      expect(findPatternMismatch(arena.u8, b.offset, b.grantedBytes, b.seed)).toBe(-1);
      arena.free(b.offset);
    }
    arena.check();
    const fresh = make().stats();
    expect(arena.stats().freeBytes).toBe(fresh.freeBytes);
    expect(arena.stats().freeBlocks).toBe(1);
  } catch (e) {
    (e as Error).message = `[churn seed=${seed} step=${step} op=${op}] ${(e as Error).message}`;
    throw e;
  }
}

/**
 * Asserts that steady-state churn allocates nothing: a ring of live blocks where each step frees
 * the oldest and allocates a new one of a size from a precomputed table. Warms up first (so V8
 * optimizes the loop and the tree's node arrays reach their size), then counts collections.
 */
export async function expectNoGcInChurn(arena: Allocator): Promise<void> {
  const RING = 512;
  const ring = new Int32Array(RING);
  // Sizes from fast-check, drawn before the measured loop (which must not allocate).
  const sizes = Int32Array.from(fc.sample(fc.integer({ min: 1, max: 600 }), { seed: 5, numRuns: 4096 }));
  for (let i = 0; i < RING; i++) ring[i] = arena.alloc(sizes[i]);
  let cursor = 0;
  const churn = (ops: number) => {
    for (let i = 0; i < ops; i++) {
      const slot = cursor % RING;
      arena.free(ring[slot]);
      ring[slot] = arena.alloc(sizes[cursor % sizes.length]);
      cursor++;
    }
  };
  for (let i = 0; i < 8; i++) churn(20_000);
  const gc = await countGc(() => churn(200_000));
  expect(gc.count, `${gc.count} collections during 200k alloc+free pairs`).toBe(0);
  arena.check();
}
