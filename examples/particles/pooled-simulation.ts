/**
 * The pooled particle simulation: every particle's state lives in one steadyheap
 * {@link StructPool} (structure-of-arrays typed-array columns), spawned with `tryAlloc` and freed
 * with `free`, both O(1) through the pool's free list. Iteration walks the pool's `dense` array of
 * live slots. After warm-up, {@link PooledSimulation.step} allocates nothing: no objects, arrays,
 * closures or strings, and no boxed doubles (all state is in typed arrays; the GC test in
 * `test/examples/particles/` proves it over 600 frames).
 *
 * The pool is created once at `capacity` with `maxCapacity = capacity`: it never grows, so the
 * column views taken at the start of a step stay valid, and a renderer can preallocate one
 * sprite per slot (see `pixi-view.ts`) or hand the columns themselves to the GPU
 * (`zero-object-view.ts`).
 *
 * **Free slots have `lifeMs` 0.** `step` writes 0 into a particle's `lifeMs` as it frees it, and
 * `reset` zeroes the column, so `lifeMs[slot] > 0` exactly when `slot` is live (`check()`
 * verifies it). A renderer that draws every slot of the columns, without reading `dense`, tells
 * live particles from free slots by that alone.
 *
 * @module
 */
import { StructPool } from 'steadyheap';
import {
  Emitter,
  FLOOR_RESTITUTION,
  GRAVITY_PX_PER_S2,
  MAX_STEP_MS,
  SPAWN_LIFE_MS,
  SPAWN_RECORD_LENGTH,
  SPAWN_SCALE,
  SPAWN_TINT,
  SPAWN_VX,
  SPAWN_VY,
  SPAWN_X,
  SPAWN_Y,
  checkStepMs,
  checkStepUs,
  resolveSimulationOptions,
  type SimulationOptions,
} from './physics.ts';
import type { ParticleSimulation } from './simulation.ts';

/**
 * Column layout of a particle, one typed-array column per field:
 * position (px), velocity (px/s, a 2-vector: `vel[slot * 2]` is x, `vel[slot * 2 + 1]` is y),
 * remaining and initial life (ms), tint (`0xBBGGRR`) and sprite scale.
 */
export const PARTICLE_SCHEMA = {
  x: 'f32',
  y: 'f32',
  vel: ['f32', 2],
  lifeMs: 'f32',
  maxLifeMs: 'f32',
  tint: 'u32',
  scale: 'f32',
} as const;

/** Integer counters of a simulation, kept in one typed array (indices below). */
const COUNT_SPAWNED_TOTAL = 0;
const COUNT_FREED_TOTAL = 1;
const COUNT_SPAWNED_LAST = 2;
const COUNT_FREED_LAST = 3;
const COUNT_STEPS = 4;
const COUNT_LENGTH = 5;

/** Indices of the step-length record (see `PooledSimulation.stepLength`). */
const STEP_LENGTH = 0;
const STEP_IN_US = 1;
const STEP_CLAMPED_MS = 2;

/** A particle simulation whose state lives in a {@link StructPool}. See the module docs. */
export class PooledSimulation implements ParticleSimulation {
  readonly mode = 'pooled' as const;
  /** Most particles alive at once (the pool's fixed capacity). */
  readonly capacity: number;
  /** Particles spawned per step while there is room. */
  spawnPerFrame: number;
  /** The particles: read the columns in `pool.fields` at the slots in `pool.dense[0, live)`. */
  readonly pool: StructPool<typeof PARTICLE_SCHEMA>;
  private readonly emitter: Emitter;
  private readonly spawnRecord = new Float64Array(SPAWN_RECORD_LENGTH);
  private readonly counts = new Float64Array(COUNT_LENGTH);
  /**
   * The length of the step being taken: `[STEP_LENGTH, STEP_IN_US, STEP_CLAMPED_MS]` (the
   * length as given, 1 when it is in microseconds and 0 in milliseconds, and the clamped length
   * in ms that `advance` hands on to the emitter, again through this array). `step` and `stepUs` hand it to `advance`
   * through this typed array and do no arithmetic themselves: they run once per frame, so V8
   * optimizes them late, and until then every fractional intermediate is a new heap number.
   * The conversion and the clamp happen in `advance`, whose loop gets it optimized early.
   */
  private readonly stepLength = new Float64Array(3);
  private seed: number;

  /**
   * Allocates the pool: `capacity` slots of 32 bytes of columns each (plus the pool's index arrays).
   *
   * @throws TypeError / RangeError for bad options (see `resolveSimulationOptions`).
   */
  constructor(options: SimulationOptions) {
    const o = resolveSimulationOptions(options);
    this.capacity = o.capacity;
    this.spawnPerFrame = o.spawnPerFrame;
    this.seed = o.seed;
    this.pool = new StructPool(PARTICLE_SCHEMA, { capacity: o.capacity, maxCapacity: o.capacity });
    this.emitter = new Emitter({ seed: o.seed, widthPx: o.widthPx, heightPx: o.heightPx });
  }

  get live(): number {
    return this.pool.size;
  }
  get spawnedTotal(): number {
    return this.counts[COUNT_SPAWNED_TOTAL];
  }
  get freedTotal(): number {
    return this.counts[COUNT_FREED_TOTAL];
  }
  get spawnedLastStep(): number {
    return this.counts[COUNT_SPAWNED_LAST];
  }
  get freedLastStep(): number {
    return this.counts[COUNT_FREED_LAST];
  }
  get steps(): number {
    return this.counts[COUNT_STEPS];
  }

  /** One step of `dtMs` ms; see `ParticleSimulation.step`. O(live + spawnPerFrame), allocation-free. */
  step(dtMs: number): void {
    const length = this.stepLength;
    length[STEP_LENGTH] = checkStepMs(dtMs);
    length[STEP_IN_US] = 0;
    this.advance();
  }

  /** One step of `dtUs` µs; see `ParticleSimulation.stepUs`. O(live + spawnPerFrame), allocation-free. */
  stepUs(dtUs: number): void {
    const length = this.stepLength;
    length[STEP_LENGTH] = checkStepUs(dtUs);
    length[STEP_IN_US] = 1;
    this.advance();
  }

  /**
   * The step itself, `stepLength` long, clamped to `MAX_STEP_MS`. Live slots are visited from
   * the back of `pool.dense`: `free` swap-removes, moving the last live slot (already visited)
   * into the hole, so none is skipped or visited twice.
   */
  private advance(): void {
    const length = this.stepLength;
    const givenMs = length[STEP_IN_US] === 1 ? length[STEP_LENGTH] / 1000 : length[STEP_LENGTH];
    const stepMs = Math.min(givenMs, MAX_STEP_MS);
    const dtS = stepMs / 1000;
    const pool = this.pool;
    const f = pool.fields;
    const x = f.x;
    const y = f.y;
    const vel = f.vel;
    const lifeMs = f.lifeMs;
    const dense = pool.dense;
    const floorPx = this.emitter.heightPx;

    let freed = 0;
    for (let i = pool.size - 1; i >= 0; i--) {
      const s = dense[i];
      const life = lifeMs[s] - stepMs;
      if (life <= 0) {
        lifeMs[s] = 0; // free slots read as dead (see the module docs)
        pool.free(pool.handleOf(s));
        freed++;
        continue;
      }
      lifeMs[s] = life;
      // Semi-implicit Euler: velocity first, then position with the new velocity.
      let vy = vel[s * 2 + 1] + GRAVITY_PX_PER_S2 * dtS;
      x[s] += vel[s * 2] * dtS;
      let py = y[s] + vy * dtS;
      if (py > floorPx) {
        py = floorPx;
        vy = -vy * FLOOR_RESTITUTION;
      }
      y[s] = py;
      vel[s * 2 + 1] = vy;
    }

    length[STEP_CLAMPED_MS] = stepMs;
    this.emitter.advanceFrom(length, STEP_CLAMPED_MS);
    const spawned = this.spawn(this.spawnPerFrame);
    const counts = this.counts;
    counts[COUNT_SPAWNED_TOTAL] += spawned;
    counts[COUNT_FREED_TOTAL] += freed;
    counts[COUNT_SPAWNED_LAST] = spawned;
    counts[COUNT_FREED_LAST] = freed;
    counts[COUNT_STEPS] += 1;
  }

  /** Spawns up to `n` particles while the pool has room; returns how many. O(n). */
  private spawn(n: number): number {
    const pool = this.pool;
    const f = pool.fields;
    const rec = this.spawnRecord;
    let spawned = 0;
    while (spawned < n) {
      const h = pool.tryAlloc();
      if (h < 0) break;
      const s = pool.slotOf(h);
      this.emitter.emit(rec);
      f.x[s] = rec[SPAWN_X];
      f.y[s] = rec[SPAWN_Y];
      f.vel[s * 2] = rec[SPAWN_VX];
      f.vel[s * 2 + 1] = rec[SPAWN_VY];
      f.lifeMs[s] = rec[SPAWN_LIFE_MS];
      f.maxLifeMs[s] = rec[SPAWN_LIFE_MS];
      f.tint[s] = rec[SPAWN_TINT];
      f.scale[s] = rec[SPAWN_SCALE];
      spawned++;
    }
    return spawned;
  }

  /**
   * Frees every particle, zeroes the counters and the `lifeMs` column (free slots read as dead)
   * and restarts the emitter. O(capacity).
   */
  reset(seed: number = this.seed): void {
    this.seed = seed;
    this.pool.clear();
    this.pool.fields.lifeMs.fill(0);
    this.counts.fill(0);
    this.emitter.reset(seed);
  }

  /** Changes the world size. O(1). */
  resize(widthPx: number, heightPx: number): void {
    this.emitter.resize(widthPx, heightPx);
  }

  /**
   * Runs `pool.check()` and checks conservation (`spawnedTotal - freedTotal == live`), the
   * capacity, that every live particle has life left and that every free slot has `lifeMs` 0.
   * O(capacity).
   *
   * @throws Error naming the first violated invariant.
   */
  check(): void {
    this.pool.check();
    const live = this.pool.size;
    if (this.spawnedTotal - this.freedTotal !== live) {
      throw new Error(`spawnedTotal ${this.spawnedTotal} - freedTotal ${this.freedTotal} != live ${live}`);
    }
    if (live > this.capacity) throw new Error(`live ${live} > capacity ${this.capacity}`);
    const lifeMs = this.pool.fields.lifeMs;
    const maxLifeMs = this.pool.fields.maxLifeMs;
    for (let i = 0; i < live; i++) {
      const s = this.pool.dense[i];
      if (!(lifeMs[s] > 0 && lifeMs[s] <= maxLifeMs[s])) {
        throw new Error(`slot ${s}: lifeMs ${lifeMs[s]} outside (0, ${maxLifeMs[s]}]`);
      }
    }
    // dense[live, capacity) is the pool's free list: those slots must read as dead.
    for (let i = live; i < this.pool.capacity; i++) {
      const s = this.pool.dense[i];
      if (lifeMs[s] !== 0) throw new Error(`free slot ${s}: lifeMs ${lifeMs[s]}, expected 0`);
    }
  }
}
