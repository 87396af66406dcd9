/**
 * The pooled particle simulation: every particle's state lives in one steadyheap
 * {@link StructPool} (structure-of-arrays typed-array columns), spawned with `tryAlloc` and freed
 * with `free`, both O(1) through the pool's free list, and every comet's trail in a block of an
 * arena (`arena-trails.ts`). Iteration walks the pool's `dense` array of live slots. After
 * warm-up, {@link PooledSimulation.step} allocates nothing: no objects, arrays, closures or
 * strings, and no boxed doubles (all state is in typed arrays; the GC test in
 * `test/examples/particles/` proves it over 600 frames).
 *
 * The pool is created once at `capacity` with `maxCapacity = capacity`: it never grows, so the
 * column views taken at the start of a step stay valid, and a renderer can preallocate one
 * sprite per slot (see `pixi-view.ts`) or draw the columns themselves (`PoolParticles` from
 * `steadyheap/pixi`, which reads `x`, `y`, `size`, `alpha` and `tint`: the step writes the
 * drawn size and alpha of the fade into their columns).
 *
 * **Free slots have `lifeMs` 0.** `step` writes 0 into a particle's `lifeMs` as it frees it, and
 * `reset` zeroes the column, so `lifeMs[slot] > 0` exactly when `slot` is live (`check()`
 * verifies it). A renderer that draws every slot of the columns, without reading `dense`, tells
 * live particles from free slots by that alone.
 *
 * @module
 */
import { type Allocator, type ParallelFor, StructPool } from 'steadyheap';
import {
  ArenaTrails,
  TRAIL_ALLOCS,
  TRAIL_FREES,
  type TrailArenaKind,
  createTrailArena,
  trailArenaBytes,
} from './arena-trails.ts';
import {
  Emitter,
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
  trailPointsFor,
  type SimulationOptions,
} from './physics.ts';
import * as particleStep from './particle-step.ts';
import type { ParticleSimulation } from './simulation.ts';

// Local copies: the step's loop reads no exported binding (bench/README.md, section Pools).
const { MOTION_DT_S, MOTION_FADE, MOTION_FLOOR_PX, MOTION_RECORD_LENGTH, STEP_PARAM_FLOOR_PX, STEP_PARAM_US } =
  particleStep;
const { moveParticle } = particleStep;
import { TRAIL_DOT_SCHEMA, dotAlpha, dotScale, trailDotCapacity } from './trail-dots.ts';

/**
 * Column layout of a particle, one typed-array column per field:
 * position (px), velocity (px/s, a 2-vector: `vel[slot * 2]` is x, `vel[slot * 2 + 1]` is y),
 * remaining and initial life (ms), tint (`0xRRGGBB`), sprite scale, the drawn size and alpha
 * (the fade applied; written by every step), and the comet trail's fields (`arena-trails.ts`:
 * `trailAt` is -1 for a particle without a trail).
 */
export const PARTICLE_SCHEMA = {
  x: 'f32',
  y: 'f32',
  vel: ['f32', 2],
  lifeMs: 'f32',
  maxLifeMs: 'f32',
  tint: 'u32',
  scale: 'f32',
  size: 'f32',
  alpha: 'f32',
  trailAt: 'i32',
  trailLength: 'u16',
  trailHead: 'u16',
  trailFull: 'u16',
  trailCapacity: 'u16',
} as const;

/** Options of {@link PooledSimulation}: the shared ones, and the arena the trails live in. */
export interface PooledSimulationOptions extends SimulationOptions {
  /** Which steadyheap arena holds the trails (default `'buddy'`). */
  arena?: TrailArenaKind;
  /**
   * Put the particle pool on `SharedArrayBuffer`s (`StructPool` option `shared`), so that step
   * workers can attach it ({@link PooledSimulation.stepWith}). Default false.
   */
  shared?: boolean;
}

/** Integer counters of a simulation, kept in one typed array (indices below). */
const COUNT_SPAWNED_TOTAL = 0;
const COUNT_FREED_TOTAL = 1;
const COUNT_SPAWNED_LAST = 2;
const COUNT_FREED_LAST = 3;
const COUNT_STEPS = 4;
/** Frames that found the workers still stepping, so the simulation skipped them. */
const COUNT_WAITED = 5;
const COUNT_LENGTH = 6;

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
  /** The comets' trails, in {@link PooledSimulation.arena}. */
  readonly trails: ArenaTrails;
  /** The trail dots of the latest step, rebuilt at its end (see {@link PooledSimulation.writeTrailDots}). */
  readonly dots: StructPool<typeof TRAIL_DOT_SCHEMA>;
  /** Every `cometEvery`-th spawn is a comet (0: none). */
  readonly cometEvery: number;
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
  /** The step's length in s and the floor in px, for `moveParticle` (`particle-step.ts`). */
  private readonly motion = new Float64Array(MOTION_RECORD_LENGTH);
  private seed: number;
  /** The step workers' team ({@link PooledSimulation.stepWith}), or null: one thread. */
  private team: ParallelFor | null = null;

  /**
   * Allocates the pool (`capacity` slots of 50 bytes of columns each, plus the pool's index
   * arrays), the trail arena (sized for the most comets the pool can hold) and the dot pool.
   *
   * @throws TypeError / RangeError for bad options (see `resolveSimulationOptions`).
   */
  constructor(options: PooledSimulationOptions) {
    const o = resolveSimulationOptions(options);
    this.capacity = o.capacity;
    this.spawnPerFrame = o.spawnPerFrame;
    this.seed = o.seed;
    this.cometEvery = o.cometEvery;
    this.pool = new StructPool(PARTICLE_SCHEMA, {
      capacity: o.capacity,
      maxCapacity: o.capacity,
      zeroOnAlloc: false,
      shared: options.shared === true,
    });
    const f = this.pool.fields;
    f.trailAt.fill(-1);
    const dotCapacity = trailDotCapacity(o.capacity, o.cometEvery);
    this.dots = new StructPool(TRAIL_DOT_SCHEMA, {
      capacity: dotCapacity,
      maxCapacity: dotCapacity,
      zeroOnAlloc: false,
    });
    const comets = o.cometEvery === 0 ? 1 : Math.ceil(o.capacity / o.cometEvery) * 2 + 16;
    const arena: Allocator = createTrailArena(options.arena ?? 'buddy', trailArenaBytes(comets));
    this.trails = new ArenaTrails(arena, f);
    this.emitter = new Emitter({
      seed: o.seed,
      widthPx: o.widthPx,
      heightPx: o.heightPx,
      lifeMinMs: o.lifeMinMs,
      lifeMaxMs: o.lifeMaxMs,
    });
  }

  /** The arena holding the trails. */
  get arena(): Allocator {
    return this.trails.arena;
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
  get comets(): number {
    const c = this.trails.counters;
    return c[TRAIL_ALLOCS] - c[TRAIL_FREES];
  }
  get trailPoints(): number {
    return this.dots.size;
  }
  /** Frames skipped because the step workers had not finished the previous step. */
  get waitedFrames(): number {
    return this.counts[COUNT_WAITED];
  }
  /** Workers stepping the particles (0: this thread does it all). */
  get workers(): number {
    return this.team === null ? 0 : this.team.workers;
  }

  /**
   * Steps the particles without a trail on `team`'s workers from now on (null: on this thread
   * again). Each worker attaches the pool (`pool.share()`, one per worker) and the team and runs
   * `serveParticleSteps` (`particle-step.ts`). Then each step: if the workers are still busy
   * with the previous one, the frame is skipped (`waitedFrames`); otherwise the workers' frees
   * are drained, this thread steps the comets (their trails are in an arena only the owner
   * may change) and spawns, and the workers are started on the new `dense`. The workers lag
   * this thread by one step: a particle spawned now moves in the workers' step that starts now.
   *
   * @throws TypeError when the pool was not created with `shared: true`.
   */
  stepWith(team: ParallelFor | null): void {
    if (team !== null && !this.pool.shared) {
      throw new TypeError(
        'PooledSimulation.stepWith: the pool is not shared; create the simulation with { shared: true }',
      );
    }
    this.settle();
    this.team = team;
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
    const team = this.team;
    if (team !== null && !team.isDone) {
      // The workers are still on the previous step: nothing changes this frame.
      this.counts[COUNT_WAITED] += 1;
      this.counts[COUNT_SPAWNED_LAST] = 0;
      this.counts[COUNT_FREED_LAST] = 0;
      return;
    }
    const length = this.stepLength;
    const givenMs = length[STEP_IN_US] === 1 ? length[STEP_LENGTH] / 1000 : length[STEP_LENGTH];
    const stepMs = Math.min(givenMs, MAX_STEP_MS);
    const dtS = stepMs / 1000;
    const pool = this.pool;
    const f = pool.fields;
    const lifeMs = f.lifeMs;
    const trailAt = f.trailAt;
    const trailFull = f.trailFull;
    const trails = this.trails;
    const dense = pool.dense;
    const floorPx = this.emitter.heightPx;
    const motion = this.motion;
    motion[MOTION_DT_S] = dtS;
    motion[MOTION_FLOOR_PX] = floorPx;

    // With step workers: their frees of the previous step first; then only the comets here.
    let freed = team === null ? 0 : pool.drainRemoteFrees();
    const cometsOnly = team !== null;
    for (let i = pool.size - 1; i >= 0; i--) {
      const s = dense[i];
      if (cometsOnly && trailAt[s] < 0) continue;
      const life = lifeMs[s] - stepMs;
      if (life <= 0) {
        lifeMs[s] = 0; // free slots read as dead (see the module docs)
        if (trailAt[s] >= 0) trails.end(s);
        pool.free(pool.handleOf(s));
        freed++;
        continue;
      }
      lifeMs[s] = life;
      moveParticle(f, s, motion);
      if (trailAt[s] >= 0) {
        // trailTargetPoints, inline: a fractional `fade` passed to a call would be boxed.
        const fade = motion[MOTION_FADE];
        const full = trailFull[s];
        trails.push(s, fade >= 1 ? full : Math.max(1, Math.floor(full * fade)));
      }
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
    this.writeTrailDots();
    if (team !== null) {
      // The workers' step: this step's length (µs) over the dense array as it is now.
      team.params[STEP_PARAM_US] = length[STEP_IN_US] === 1 ? length[STEP_LENGTH] : length[STEP_LENGTH] * 1000;
      team.params[STEP_PARAM_FLOOR_PX] = floorPx;
      team.start(pool.size);
    }
  }

  /**
   * Waits for the step workers' running step (if any) and applies their frees, so that this
   * thread may change the pool. Cold path (mode switches, checks): a browser's main thread
   * cannot sleep, so it spins, for at most 5 s.
   *
   * @throws Error when the workers do not finish within 5 s (one died).
   */
  private settle(): void {
    const team = this.team;
    if (team === null) return;
    const deadline = performance.now() + 5000;
    while (!team.isDone) {
      if (performance.now() > deadline) throw new Error('PooledSimulation: the step workers did not finish within 5 s');
    }
    const freed = this.pool.drainRemoteFrees();
    this.counts[COUNT_FREED_TOTAL] += freed;
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
      const x = rec[SPAWN_X];
      const y = rec[SPAWN_Y];
      const scale = rec[SPAWN_SCALE];
      f.x[s] = x;
      f.y[s] = y;
      f.vel[s * 2] = rec[SPAWN_VX];
      f.vel[s * 2 + 1] = rec[SPAWN_VY];
      f.lifeMs[s] = rec[SPAWN_LIFE_MS];
      f.maxLifeMs[s] = rec[SPAWN_LIFE_MS];
      f.tint[s] = rec[SPAWN_TINT];
      f.scale[s] = scale;
      f.size[s] = scale;
      f.alpha[s] = 1;
      f.trailAt[s] = -1;
      // Every cometEvery-th spawn overall (the naive simulation counts the same way).
      const every = this.cometEvery;
      if (every > 0 && (this.counts[COUNT_SPAWNED_TOTAL] + spawned) % every === 0) {
        this.trails.start(s, trailPointsFor(scale));
      }
      spawned++;
    }
    return spawned;
  }

  /**
   * Frees every particle, zeroes the counters and the `lifeMs` column (free slots read as dead)
   * and restarts the emitter. O(capacity).
   */
  reset(seed: number = this.seed): void {
    this.settle();
    this.seed = seed;
    this.pool.clear();
    this.pool.fields.lifeMs.fill(0);
    this.pool.fields.trailAt.fill(-1);
    this.trails.reset();
    this.dots.clear();
    this.counts.fill(0);
    this.emitter.reset(seed);
  }

  /**
   * Rebuilds {@link PooledSimulation.dots}: one dot per point of every live comet's trail, oldest
   * first, in `dense` order of the comets (`trail-dots.ts` sets their size and alpha). O(live +
   * dots); allocation-free. Stops early, silently, if the dot pool is full (it is sized for the
   * most comets the particle pool can hold).
   *
   * @returns the number of dots written.
   */
  writeTrailDots(): number {
    const dots = this.dots;
    dots.clear();
    if (this.cometEvery === 0) return 0;
    const d = dots.fields;
    const pool = this.pool;
    const f = pool.fields;
    const dense = pool.dense;
    const f32 = this.trails.arena.f32;
    for (let i = 0; i < pool.size; i++) {
      const s = dense[i];
      const at = f.trailAt[s];
      if (at < 0) continue;
      const length = f.trailLength[s];
      const head = f.trailHead[s];
      const full = f.trailFull[s];
      const base = at >> 2;
      const alpha = f.alpha[s];
      const tint = f.tint[s];
      for (let k = 0; k < length; k++) {
        const h = dots.tryAlloc();
        if (h < 0) return dots.size;
        const t = dots.slotOf(h);
        const p = base + ((head + k) % full) * 2;
        d.x[t] = f32[p];
        d.y[t] = f32[p + 1];
        d.size[t] = dotScale(k, length);
        d.alpha[t] = dotAlpha(k, length, alpha);
        d.tint[t] = tint;
      }
    }
    return dots.size;
  }

  /** Changes the world size. O(1). */
  resize(widthPx: number, heightPx: number): void {
    this.emitter.resize(widthPx, heightPx);
  }

  /**
   * Runs `pool.check()` and the arena's `check()`, and checks conservation (`spawnedTotal -
   * freedTotal == live`), the capacity, that every live particle has life left, that every free
   * slot has `lifeMs` 0, and that the live trails are exactly the arena's live blocks.
   * O(capacity + arena).
   *
   * @throws Error naming the first violated invariant.
   */
  check(): void {
    this.settle();
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
    // Every slot that is not live (not in dense[0, live)) must read as dead.
    const isLive = new Uint8Array(this.pool.capacity);
    for (let i = 0; i < live; i++) isLive[this.pool.dense[i]] = 1;
    for (let s = 0; s < this.pool.capacity; s++) {
      if (isLive[s] === 0 && lifeMs[s] !== 0) throw new Error(`free slot ${s}: lifeMs ${lifeMs[s]}, expected 0`);
    }
    // Every live trail is a live arena block of its capacity, and the arena holds nothing else.
    this.trails.arena.check();
    const f = this.pool.fields;
    let trails = 0;
    for (let i = 0; i < live; i++) {
      const s = this.pool.dense[i];
      const at = f.trailAt[s];
      if (at < 0) continue;
      trails++;
      const bytes = this.trails.arena.sizeOf(at);
      if (bytes < f.trailCapacity[s] * 8)
        throw new Error(`slot ${s}: trail block of ${bytes} B < ${f.trailCapacity[s]} points`);
      const length = f.trailLength[s];
      const full = f.trailFull[s];
      // Growing (length < full) the points fit the block; a full ring fits it too.
      if (length > full || length > f.trailCapacity[s] || (length === full && full > f.trailCapacity[s])) {
        throw new Error(
          `slot ${s}: trail length ${f.trailLength[s]}, full ${f.trailFull[s]}, capacity ${f.trailCapacity[s]}`,
        );
      }
    }
    const liveBlocks = this.trails.arena.stats().liveBlocks;
    if (liveBlocks !== trails) throw new Error(`${liveBlocks} live arena blocks for ${trails} live trails`);
  }
}
