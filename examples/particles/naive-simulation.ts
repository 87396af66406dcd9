/**
 * The naive particle simulation: the code a typical game writes, kept as the demo's baseline.
 * Each spawn creates a new JS object, dead particles are dropped with
 * `particles = particles.filter(...)` (a new array every frame), and the renderer gives each new
 * particle a new sprite. Same physics and same random draws as {@link PooledSimulation}, so the
 * only difference between the two modes is the garbage this one makes: about
 * `spawnPerFrame` objects plus one array of `live` references per frame, which the collector
 * must trace and reclaim, in pauses the frame-time graph shows.
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
  resolveSimulationOptions,
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
  /** Tint, `0xBBGGRR`. */
  tint: number;
  /** Sprite scale. */
  scale: number;
  /** The renderer's sprite for this particle, created on first draw (`null` until then). */
  view: unknown;
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
  private readonly emitter: Emitter;
  private readonly spawnRecord = new Float64Array(SPAWN_RECORD_LENGTH);
  private seed: number;

  /** @throws TypeError / RangeError for bad options (see `resolveSimulationOptions`). */
  constructor(options: SimulationOptions) {
    const o = resolveSimulationOptions(options);
    this.capacity = o.capacity;
    this.spawnPerFrame = o.spawnPerFrame;
    this.seed = o.seed;
    this.emitter = new Emitter({ seed: o.seed, widthPx: o.widthPx, heightPx: o.heightPx });
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
    }
    const before = this.particles.length;
    this.particles = this.particles.filter((p) => p.lifeMs > 0);
    const freed = before - this.particles.length;

    this.emitter.advance(stepMs);
    const rec = this.spawnRecord;
    let spawned = 0;
    while (spawned < this.spawnPerFrame && this.particles.length < this.capacity) {
      this.emitter.emit(rec);
      this.particles.push({
        x: rec[SPAWN_X],
        y: rec[SPAWN_Y],
        vx: rec[SPAWN_VX],
        vy: rec[SPAWN_VY],
        lifeMs: rec[SPAWN_LIFE_MS],
        maxLifeMs: rec[SPAWN_LIFE_MS],
        tint: rec[SPAWN_TINT],
        scale: rec[SPAWN_SCALE],
        view: null,
      });
      spawned++;
    }
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
