/**
 * The workers benchmark's particle update: one kernel run by the owner alone (the one-thread
 * baseline, freeing locally) and by each worker on its chunk (freeing through its pool view's
 * remote-free queue), so both configurations do the same arithmetic per particle.
 *
 * A particle: position and velocity (px, px/s) and remaining life (ms), five `f32` columns. A
 * step: gravity, semi-implicit Euler, a bounce on the floor, life minus the step; a particle whose
 * life runs out gets life 0 (free slots read 0, so a walk over slots skips them) and is freed.
 * The owner then drains the frees and spawns new particles until the pool is full again, so the
 * live count stays at the capacity and about 1% of the particles die and respawn per 60 Hz step.
 *
 * Two orders of a chunk (`ParallelFor`'s module doc): `dense` walks positions of `dense` (every
 * chunk the same live count, scattered column access), `slots` walks slot indices in memory order
 * and skips free slots.
 *
 * @module
 */
import type { Handle, StructPool } from 'steadyheap';

/** The columns: position and velocity in px and px/s, life in ms. */
export const PARTICLE_SCHEMA = { x: 'f32', y: 'f32', vx: 'f32', vy: 'f32', lifeMs: 'f32' } as const;

/** Columns of a particle pool, owner's or view's. */
export interface ParticleColumns {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly vx: Float32Array;
  readonly vy: Float32Array;
  readonly lifeMs: Float32Array;
}

/** What the kernel frees through: the owner's pool, or a worker's view of it. */
export interface Freer {
  handleOf(slot: number): Handle;
  free(handle: Handle): void;
}

/** Gravity, px/s². */
const GRAVITY = 420;
/** Floor height, px. */
const FLOOR_PX = 720;
/** Fraction of vertical speed kept by a bounce. */
const RESTITUTION = 0.45;

/** `ParallelFor.params` indices: step length (ms), order (0 dense, 1 slots). */
export const PARAM_STEP_MS = 0;
export const PARAM_ORDER = 1;
export const ORDER_DENSE = 0;
export const ORDER_SLOTS = 1;

/**
 * Steps the particles of a chunk: with `order` {@link ORDER_DENSE}, the slots at
 * `dense[start..end)`; with {@link ORDER_SLOTS}, the slots `start..end - 1` themselves, skipping
 * free ones (life 0). Walks backward, so the owner's local frees, which swap-remove from `dense`,
 * skip none. Returns how many died. Allocation-free.
 */
export function stepChunk(
  f: ParticleColumns,
  dense: Int32Array,
  order: number,
  start: number,
  end: number,
  stepMs: number,
  freer: Freer,
): number {
  const { x, y, vx, vy, lifeMs } = f;
  const dtS = stepMs / 1000;
  const byDense = order === ORDER_DENSE;
  let died = 0;
  for (let i = end - 1; i >= start; i--) {
    const s = byDense ? dense[i] : i;
    const before = lifeMs[s];
    if (before <= 0) continue; // a free slot (slots order)
    const life = before - stepMs;
    if (life <= 0) {
      lifeMs[s] = 0;
      freer.free(freer.handleOf(s));
      died++;
      continue;
    }
    lifeMs[s] = life;
    let v = vy[s] + GRAVITY * dtS;
    x[s] += vx[s] * dtS;
    let py = y[s] + v * dtS;
    if (py > FLOOR_PX) {
      py = FLOOR_PX;
      v = -v * RESTITUTION;
    }
    y[s] = py;
    vy[s] = v;
  }
  return died;
}

/**
 * Fills the pool with new particles until it is full (the owner, after draining). A 32-bit LCG
 * in `seed[0]` (Numerical Recipes' constants) keeps it allocation-free. Returns how many.
 */
export function spawnUntilFull(pool: StructPool<typeof PARTICLE_SCHEMA>, seed: Uint32Array): number {
  const { x, y, vx, vy, lifeMs } = pool.fields;
  let n = 0;
  for (;;) {
    const h = pool.tryAlloc();
    if (h < 0) return n;
    const s = pool.slotOf(h);
    let r = seed[0];
    r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
    x[s] = r & 1023;
    r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
    y[s] = 100 + (r & 511);
    r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
    vx[s] = (r & 255) - 128;
    r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
    vy[s] = -((r & 511) + 100);
    r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
    lifeMs[s] = 1000 + (r % 2000); // 1-3 s: about 0.8% die per 16.7 ms step
    seed[0] = r;
    n++;
  }
}
