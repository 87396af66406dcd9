/**
 * The packed upload of `PoolParticles` without a GPU: the gather copies each live slot's values
 * in ascending slot order, bit for bit, for every column width and shape, and again after more
 * churn (the bitmap it sorts with is left clear); `auto` keeps the range
 * upload only while the span is dense; and gathering a FIFO-spread pool's live slots every frame
 * allocates nothing (GC count).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedInstances, rangeIsDense } from '../../src/pixi/packed-instances.ts';
import { StructPool } from '../../src/pool/struct-pool.ts';
import { countGc } from '../support/gc.ts';

const SCHEMA = {
  x: 'f32',
  tint: 'u32',
  pos: ['i16', 2],
  alpha: 'u8',
  frame: 'i8',
  scale: ['f32', 2],
  id: 'i32',
} as const;

/** A pool whose live slots FIFO reuse has spread: `churn` frees and allocs after filling to `live`. */
function spreadPool(capacity: number, live: number, churn: number, seed: number) {
  const pool = new StructPool(SCHEMA, { capacity });
  let s = seed >>> 0 || 1;
  const random = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < live; i++) pool.alloc();
  for (let i = 0; i < churn && live > 0; i++) {
    pool.free(pool.handleOf(pool.dense[Math.floor(random() * pool.size)]));
    pool.alloc();
  }
  const f = pool.fields;
  for (let slot = 0; slot < capacity; slot++) {
    f.x[slot] = random() * 1000 - 500;
    f.tint[slot] = Math.floor(random() * 2 ** 32);
    f.pos[slot * 2] = Math.floor(random() * 65536) - 32768;
    f.pos[slot * 2 + 1] = Math.floor(random() * 65536) - 32768;
    f.alpha[slot] = Math.floor(random() * 256);
    f.frame[slot] = Math.floor(random() * 256) - 128;
    f.scale[slot * 2] = random();
    f.scale[slot * 2 + 1] = -random();
    f.id[slot] = slot;
  }
  return pool;
}

function packedFor(pool: ReturnType<typeof spreadPool>) {
  const f = pool.fields;
  const columns = [f.x, f.tint, f.pos, f.alpha, f.frame, f.scale, f.id];
  return { columns, packed: new PackedInstances(columns, [1, 1, 2, 1, 1, 2, 1], pool.capacity) };
}

/** The span `[lo, hi)` of the live slots (`[0, 0)` when none). */
function spanOf(pool: { dense: Int32Array; size: number }): [number, number] {
  if (pool.size === 0) return [0, 0];
  let lo = pool.dense[0];
  let hi = lo;
  for (let i = 1; i < pool.size; i++) {
    lo = Math.min(lo, pool.dense[i]);
    hi = Math.max(hi, pool.dense[i]);
  }
  return [lo, hi + 1];
}

/** Gathers the pool's live slots and checks every packed element against the slot-order model. */
function gatherAndCheck(pool: ReturnType<typeof spreadPool>, { columns, packed }: ReturnType<typeof packedFor>): void {
  const live = pool.size;
  // Values past the live count must be left alone.
  for (const a of packed.arrays) a.fill(7);
  const [lo, hi] = spanOf(pool);
  packed.gather(pool.dense, live, lo, hi);
  const ascending = Array.from(pool.dense.subarray(0, live)).sort((a, b) => a - b);
  expect(Array.from(packed.order.subarray(0, live))).toEqual(ascending);
  const components = [1, 1, 2, 1, 1, 2, 1];
  columns.forEach((column, c) => {
    const out = packed.arrays[c];
    expect(out.constructor).toBe(column.constructor);
    expect(out.length).toBe(column.length);
    const k = components[c];
    for (let i = 0; i < live; i++) {
      for (let j = 0; j < k; j++) expect(out[i * k + j]).toBe(column[ascending[i] * k + j]);
    }
    for (let i = live * k; i < out.length; i++) expect(out[i]).toBe(7);
  });
}

describe('PackedInstances', () => {
  it('copies each live slot of every column, in slot order, for every element width and shape, frame after frame', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer(),
        (capacity, fill, churn, seed) => {
          const pool = spreadPool(capacity, Math.floor(capacity * fill), churn, seed);
          const packed = packedFor(pool);
          gatherAndCheck(pool, packed);
          // Next frame: some die, some are born (FIFO reuse), the same PackedInstances gathers.
          for (let i = 0; i < Math.min(pool.size, 5); i++) pool.free(pool.handleOf(pool.dense[(i * 7) % pool.size]));
          for (let i = 0; i < 3 && pool.size < pool.capacity; i++) pool.alloc();
          gatherAndCheck(pool, packed);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a float NaN payload bit for bit (an integer copy, not a float one)', () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 4 });
    const slot = pool.slotOf(pool.alloc());
    new Uint32Array(pool.fields.x.buffer, pool.fields.x.byteOffset, 4)[slot] = 0x7fc01234;
    const packed = new PackedInstances([pool.fields.x], [1], 4);
    packed.gather(pool.dense, 1, slot, slot + 1);
    const out = packed.arrays[0] as Float32Array;
    expect(new Uint32Array(out.buffer, out.byteOffset, 1)[0]).toBe(0x7fc01234);
  });

  it('FIFO reuse spreads the live slots: the span grows past the live count', () => {
    const pool = spreadPool(10_000, 3_000, 20_000, 5);
    const [lo, hi] = spanOf(pool);
    // The range upload would send more than three times the live slots' column bytes.
    expect(hi - lo).toBeGreaterThan(3 * pool.size);
    expect(rangeIsDense(pool.size, lo, hi)).toBe(false);
  });

  it('gathering a spread pool every frame allocates nothing (1,000 frames of 10,000 live slots, 0 GCs)', async () => {
    const pool = spreadPool(30_000, 10_000, 40_000, 9);
    const { packed } = packedFor(pool);
    const [lo, hi] = spanOf(pool);
    const frame = () => packed.gather(pool.dense, pool.size, lo, hi);
    for (let i = 0; i < 200; i++) frame(); // warm-up: optimized code
    const gc = await countGc(() => {
      for (let i = 0; i < 1000; i++) frame();
    });
    expect(gc.count).toBe(0);
    // The check can fail: the same loop with one short-lived heap array a frame is seen.
    const leaky = await countGc(() => {
      for (let i = 0; i < 1000; i++) {
        frame();
        (globalThis as { sink?: unknown }).sink = new Array(8192).fill(i + 0.5); // 64 KB on the JS heap
      }
    });
    expect(leaky.count).toBeGreaterThan(0);
  });
});

describe('rangeIsDense', () => {
  it('keeps the range while at most one slot in nine of the span is free', () => {
    expect(rangeIsDense(8, 0, 8)).toBe(true);
    expect(rangeIsDense(8, 100, 109)).toBe(true); // 9 slots, 8 live
    expect(rangeIsDense(8, 100, 110)).toBe(false); // 10 slots, 8 live
    expect(rangeIsDense(1_000_000, 0, 1_125_000)).toBe(true);
    expect(rangeIsDense(1_000_000, 0, 1_125_001)).toBe(false);
    expect(rangeIsDense(1, 0, 2)).toBe(false);
  });
});
