/**
 * The naive particle simulation: the code a typical game writes, kept as the demo's baseline.
 * Each spawn creates a new JS object, dead particles are dropped with
 * `particles = particles.filter(...)` (a new array every frame), a comet's trail is a
 * `new Float32Array(n)` replaced by a bigger or smaller copy as it grows and retracts, and the
 * renderer gives each new particle a new sprite. Same physics, same random draws and the same
 * trail lengths as {@link PooledSimulation}, so the only difference between the two is the
 * garbage this one makes: about `spawnPerFrame` objects, one array of `live` references and the
 * replaced trail arrays per frame, which the collector must trace and reclaim, in pauses the
 * frame-time graph shows.
 *
 * Runs in Node and in the browser: no DOM, no PixiJS.
 *
 * @module
 */
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
  fadeOf,
  resolveSimulationOptions,
  trailPointsFor,
  trailTargetPoints,
  type SimulationOptions,
} from './physics.ts';
import type { ParticleSimulation } from './simulation.ts';

/** One particle of the naive simulation: a plain object, as most games write it. */
export interface NaiveParticle {
  /** Position, px. */
  x: number;
  y: number;
  /** Velocity, px/s. */
  vx: number;
  vy: number;
  /** Remaining and initial life, ms. */
  lifeMs: number;
  maxLifeMs: number;
  /** Tint, `0xRRGGBB`. */
  tint: number;
  /** Sprite scale. */
  scale: number;
  /**
   * A comet's trail: x, y pairs, a ring of `trailFull` points (see `arena-trails.ts`, whose logic
   * this mirrors with new arrays); `null` for a particle that is not a comet.
   */
  trail: Float32Array | null;
  trailLength: number;
  trailHead: number;
  trailFull: number;
  /** The renderer's sprite for this particle, created on first draw (`null` until then). */
  view: unknown;
  /** The renderer's sprites for the trail's dots (created as the trail grows). */
  dotViews: unknown[] | null;
}

/** Points of a new trail's array. */
const INITIAL_TRAIL_POINTS = 4;

/** Appends (x, y) to `p`'s trail and trims it to `target` points, with new arrays when it grows or shrinks. */
function pushTrail(p: NaiveParticle, x: number, y: number, target: number): void {
  let trail = p.trail as Float32Array;
  const capacity = trail.length / 2;
  if (p.trailLength < p.trailFull && p.trailLength === capacity) {
    const bigger = new Float32Array(Math.min(capacity * 2, 2 ** Math.ceil(Math.log2(p.trailFull))) * 2);
    bigger.set(trail);
    trail = bigger;
    p.trail = bigger;
  }
  if (p.trailLength < p.trailFull) {
    const i = ((p.trailHead + p.trailLength) % p.trailFull) * 2;
    trail[i] = x;
    trail[i + 1] = y;
    p.trailLength++;
  } else {
    trail[p.trailHead * 2] = x;
    trail[p.trailHead * 2 + 1] = y;
    p.trailHead = (p.trailHead + 1) % p.trailFull;
  }
  const capacityNow = trail.length / 2;
  if (p.trailLength > target && p.trailLength > 1 && p.trailFull > capacityNow) p.trailFull = capacityNow;
  while (p.trailLength > target && p.trailLength > 1) {
    p.trailHead = (p.trailHead + 1) % p.trailFull;
    p.trailLength--;
  }
  const cap = trail.length / 2;
  if (p.trailLength * 4 <= cap && cap > INITIAL_TRAIL_POINTS) {
    const smaller = new Float32Array(cap);
    for (let k = 0; k < p.trailLength; k++) {
      const from = ((p.trailHead + k) % p.trailFull) * 2;
      smaller[k * 2] = trail[from];
      smaller[k * 2 + 1] = trail[from + 1];
    }
    p.trail = smaller;
    p.trailHead = 0;
    p.trailFull = p.trailLength;
  }
}

/** A particle simulation over an array of fresh objects. See the module docs. */
export class NaiveSimulation implements ParticleSimulation {
  readonly mode = 'naive' as const;
  /** Most particles alive at once. */
  readonly capacity: number;
  /** Particles spawned per step while there is room. */
  spawnPerFrame: number;
  /** The live particles (a new array after every step). */
  particles: NaiveParticle[] = [];
  spawnedTotal = 0;
  freedTotal = 0;
  spawnedLastStep = 0;
  freedLastStep = 0;
  steps = 0;
  comets = 0;
  trailPoints = 0;
  /** Every `cometEvery`-th spawn is a comet (0: none). */
  readonly cometEvery: number;
  private readonly emitter: Emitter;
  private readonly spawnRecord = new Float64Array(SPAWN_RECORD_LENGTH);
  private seed: number;

  /** @throws TypeError / RangeError for bad options (see `resolveSimulationOptions`). */
  constructor(options: SimulationOptions) {
    const o = resolveSimulationOptions(options);
    this.capacity = o.capacity;
    this.spawnPerFrame = o.spawnPerFrame;
    this.seed = o.seed;
    this.cometEvery = o.cometEvery;
    this.emitter = new Emitter({
      seed: o.seed,
      widthPx: o.widthPx,
      heightPx: o.heightPx,
      lifeMinMs: o.lifeMinMs,
      lifeMaxMs: o.lifeMaxMs,
    });
  }

  get live(): number {
    return this.particles.length;
  }

  /** One step of `dtUs` µs; see `ParticleSimulation.stepUs`. Allocates, as `step` does. */
  stepUs(dtUs: number): void {
    this.step(checkStepUs(dtUs) / 1000);
  }

  /** One step; see `ParticleSimulation.step`. O(live + spawnPerFrame); allocates every time. */
  step(dtMs: number): void {
    const stepMs = Math.min(checkStepMs(dtMs), MAX_STEP_MS);
    const dtS = stepMs / 1000;
    const floorPx = this.emitter.heightPx;
    for (const p of this.particles) {
      p.lifeMs -= stepMs;
      if (p.lifeMs <= 0) continue;
      p.vy += GRAVITY_PX_PER_S2 * dtS;
      p.x += p.vx * dtS;
      p.y += p.vy * dtS;
      if (p.y > floorPx) {
        p.y = floorPx;
        p.vy = -p.vy * FLOOR_RESTITUTION;
      }
      if (p.trail) pushTrail(p, p.x, p.y, trailTargetPoints(p.trailFull, fadeOf(p.lifeMs, p.maxLifeMs)));
    }
    const before = this.particles.length;
    this.particles = this.particles.filter((p) => p.lifeMs > 0);
    const freed = before - this.particles.length;
    let comets = 0;
    let trailPoints = 0;
    for (const p of this.particles) {
      if (p.trail) {
        comets++;
        trailPoints += p.trailLength;
      }
    }

    this.emitter.advance(stepMs);
    const rec = this.spawnRecord;
    let spawned = 0;
    let spawnedComets = 0;
    while (spawned < this.spawnPerFrame && this.particles.length < this.capacity) {
      this.emitter.emit(rec);
      const comet = this.cometEvery > 0 && (this.spawnedTotal + spawned) % this.cometEvery === 0;
      const trail = comet ? new Float32Array(INITIAL_TRAIL_POINTS * 2) : null;
      if (trail) {
        spawnedComets++;
        trail[0] = rec[SPAWN_X];
        trail[1] = rec[SPAWN_Y];
      }
      this.particles.push({
        x: rec[SPAWN_X],
        y: rec[SPAWN_Y],
        vx: rec[SPAWN_VX],
        vy: rec[SPAWN_VY],
        lifeMs: rec[SPAWN_LIFE_MS],
        maxLifeMs: rec[SPAWN_LIFE_MS],
        tint: rec[SPAWN_TINT],
        scale: rec[SPAWN_SCALE],
        trail,
        trailLength: comet ? 1 : 0,
        trailHead: 0,
        trailFull: comet ? trailPointsFor(rec[SPAWN_SCALE]) : 0,
        view: null,
        dotViews: null,
      });
      spawned++;
    }
    this.comets = comets + spawnedComets;
    this.trailPoints = trailPoints + spawnedComets;
    this.spawnedTotal += spawned;
    this.freedTotal += freed;
    this.spawnedLastStep = spawned;
    this.freedLastStep = freed;
    this.steps++;
  }

  /** Drops every particle, zeroes the counters and restarts the emitter. O(1) (the GC does the rest). */
  reset(seed: number = this.seed): void {
    this.seed = seed;
    this.particles = [];
    this.spawnedTotal = 0;
    this.freedTotal = 0;
    this.spawnedLastStep = 0;
    this.freedLastStep = 0;
    this.steps = 0;
    this.comets = 0;
    this.trailPoints = 0;
    this.emitter.reset(seed);
  }

  /** Changes the world size. O(1). */
  resize(widthPx: number, heightPx: number): void {
    this.emitter.resize(widthPx, heightPx);
  }

  /**
   * Checks conservation (`spawnedTotal - freedTotal == live`), the capacity, and that every
   * particle has life left. O(live).
   *
   * @throws Error naming the first violated invariant.
   */
  check(): void {
    const live = this.particles.length;
    if (this.spawnedTotal - this.freedTotal !== live) {
      throw new Error(`spawnedTotal ${this.spawnedTotal} - freedTotal ${this.freedTotal} != live ${live}`);
    }
    if (live > this.capacity) throw new Error(`live ${live} > capacity ${this.capacity}`);
    for (const p of this.particles) {
      if (!(p.lifeMs > 0 && p.lifeMs <= p.maxLifeMs)) {
        throw new Error(`particle lifeMs ${p.lifeMs} outside (0, ${p.maxLifeMs}]`);
      }
    }
  }
}
