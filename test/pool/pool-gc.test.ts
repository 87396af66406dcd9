/**
 * Steady-state churn allocates nothing: no garbage collection starts while millions of
 * alloc/free (acquire/release) operations run, after warm-up.
 */
import { describe, expect, it } from 'vitest';
import { ObjectPool, StructPool, type Handle } from '../../src/index.ts';
import { countGc } from '../support/gc.ts';

const OPS = 2_000_000;

/**
 * One "frame" of particle-like churn: spawn `spawn` records, touch every live one through its
 * handle, free the oldest `spawn`. 4 pool operations per spawned record (alloc, slotOf, isAlive,
 * free) plus field writes.
 *
 * The field writes store small integers only. This function serves the fixed pool (fixed views)
 * and the growable one (length-tracking views, another V8 map), so its element stores go
 * polymorphic, and V8 11.3 then boxes every stored *double* into a heap number for the store IC:
 * garbage from the test's own writes, not from the pool, which made the growable case fail
 * about one run in three (measured: the same churn on a growable pool alone, or with integer
 * stores, starts no GC).
 */
function churn(
  pool: StructPool<{ x: 'f32'; v: ['f32', 2]; life: 'u16' }>,
  ring: Int32Array,
  frames: number,
  spawn: number,
): number {
  let ops = 0;
  let head = 0;
  const { x, v, life } = pool.fields;
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < spawn; i++) {
      const old = ring[head];
      if (old >= 0 && pool.isAlive(old)) {
        pool.free(old);
        ops += 2;
      }
      const h: Handle = pool.alloc();
      const s = pool.slotOf(h);
      x[s] = i;
      v[s * 2] = 1;
      v[s * 2 + 1] = -1;
      life[s] = 60;
      ring[head] = h;
      head = head + 1 === ring.length ? 0 : head + 1;
      ops += 2;
    }
    for (let i = pool.size - 1; i >= 0; i--) {
      const s = pool.dense[i];
      life[s] -= 1;
    }
  }
  return ops;
}

/**
 * The particle demo's spawn path on a fixed pool: `tryAlloc` while there is room, age every live
 * record walking `dense` backward, and free the expired ones through `handleOf(slot)`.
 * A function of its own: sharing `churn` with the growable pool would make its field writes
 * polymorphic over fixed and length-tracking views (V8 then boxes the stored doubles).
 * Counts 3 pool operations per spawn (tryAlloc, slotOf, handleOf) and 2 per expiry.
 */
function spawnChurn(pool: StructPool<{ life: 'f32' }>, frames: number, spawn: number): number {
  let ops = 0;
  const life = pool.fields.life;
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < spawn; i++) {
      const h = pool.tryAlloc();
      if (h === -1) break;
      const s = pool.slotOf(h);
      if (pool.handleOf(s) !== h) throw new Error('handleOf disagrees with slotOf');
      life[s] = 1 + (i % 7);
      ops += 3;
    }
    const dense = pool.dense;
    for (let i = pool.size - 1; i >= 0; i--) {
      const s = dense[i];
      life[s] -= 1;
      if (life[s] <= 0) {
        pool.free(pool.handleOf(s));
        ops += 2;
      }
    }
  }
  return ops;
}

function objectChurn(
  pool: ObjectPool<{ x: number; y: number }>,
  held: ({ x: number; y: number } | undefined)[],
  rounds: number,
): number {
  let ops = 0;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < held.length; i++) {
      const item = held[i];
      if (item !== undefined) {
        pool.release(item);
        ops++;
      }
      const next = pool.acquire();
      next.x = i;
      held[i] = next;
      ops++;
    }
  }
  return ops;
}

describe('pools: no garbage in steady state', () => {
  it.each([
    ['fixed capacity (plain buffers)', 4096, 4096],
    ['growable (length-tracking views)', 256, 4096],
  ])('StructPool %s: >= 2M alloc/free/isAlive/slotOf ops start no GC', async (_name, capacity, maxCapacity) => {
    const pool = new StructPool({ x: 'f32', v: ['f32', 2], life: 'u16' }, { capacity, maxCapacity });
    const ring = new Int32Array(3000).fill(-1);
    // Warm-up: grows to its working set and lets V8 optimise churn().
    for (let w = 0; w < 20; w++) churn(pool, ring, 10, 500);
    const capacityBefore = pool.capacity;
    let ops = 0;
    const gc = await countGc(() => {
      ops = churn(pool, ring, 1000, 500);
    });
    expect(ops).toBeGreaterThanOrEqual(OPS);
    expect(pool.capacity).toBe(capacityBefore);
    expect(gc.count).toBe(0);
    pool.check();
  });

  it('StructPool spawn path (tryAlloc, handleOf, free while iterating dense): >= 2M ops start no GC', async () => {
    const pool = new StructPool({ life: 'f32' }, { capacity: 2048 });
    for (let w = 0; w < 20; w++) spawnChurn(pool, 20, 500);
    let ops = 0;
    const gc = await countGc(() => {
      ops = spawnChurn(pool, 1000, 500);
    });
    expect(ops).toBeGreaterThanOrEqual(OPS);
    expect(gc.count).toBe(0);
    pool.check();
  });

  it('ObjectPool: >= 2M acquire/release ops start no GC', async () => {
    const pool = new ObjectPool({
      create: () => ({ x: 0, y: 0 }),
      reset: (p) => {
        p.x = 0;
      },
    });
    const held = new Array<{ x: number; y: number } | undefined>(1000).fill(undefined);
    for (let w = 0; w < 20; w++) objectChurn(pool, held, 20);
    let ops = 0;
    const gc = await countGc(() => {
      ops = objectChurn(pool, held, 1000);
    });
    expect(ops).toBeGreaterThanOrEqual(OPS);
    expect(gc.count).toBe(0);
    pool.check();
  });

  it('the GC counter sees garbage when there is some (the test above can fail)', async () => {
    const held: { x: number }[] = [];
    const gc = await countGc(() => {
      for (let i = 0; i < OPS; i++) held[i & 1023] = { x: i };
    });
    expect(gc.count).toBeGreaterThan(0);
  });
});
