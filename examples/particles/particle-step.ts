/**
 * The particle step shared by the owner and the step workers (`?workers=N`): the motion of one
 * particle (`moveParticle`, used by `PooledSimulation`'s own loop too), and the workers' kernel,
 * which steps the particles without a trail in a chunk of `dense` and queues the dead ones'
 * frees for the owner. Comets (particles with a trail) stay with the owner: their trails live in
 * an arena that only the owner may `realloc`.
 *
 * The ownership model (README, section Workers): the owner allocates and frees; a worker writes
 * only the slots of its chunk, and frees through its view's queue; the owner drains the queue
 * at the start of its next step. Runs in Node and in the browser; allocation-free per step.
 *
 * @module
 */
import { ParallelForWorker, StructPool, type ParallelForDescriptor, type SharedStructPoolDescriptor } from 'steadyheap';
import { FLOOR_RESTITUTION, GRAVITY_PX_PER_S2, MAX_STEP_MS, fadeOf, sizeFactorOf } from './physics.ts';

// Module-private copies for the loops: a read of an exported binding goes through its export
// cell every time, even in its own module (bench/README.md, section Pools).
const PARAM_US = 0;
const PARAM_FLOOR_PX = 1;
const DT_S = 0;
const FLOOR_PX = 1;
const FADE = 2;

/** `ParallelFor.params` of the demo's team: the step's length in whole µs (the worker clamps it). */
export const STEP_PARAM_US = PARAM_US;
/** `ParallelFor.params` of the demo's team: the floor's height, px. */
export const STEP_PARAM_FLOOR_PX = PARAM_FLOOR_PX;
/** Doubles in the team's params. */
export const STEP_PARAM_COUNT = 2;

/** The particle columns a step reads and writes (`PARTICLE_SCHEMA` in `pooled-simulation.ts`). */
export interface StepColumns {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly vel: Float32Array;
  readonly lifeMs: Float32Array;
  readonly maxLifeMs: Float32Array;
  readonly scale: Float32Array;
  readonly size: Float32Array;
  readonly alpha: Float32Array;
  readonly trailAt: Int32Array;
}

/** Frees a particle: the owner's pool, or a worker's view of it (which queues the free). */
export interface ParticleFreer {
  handleOf(slot: number): number;
  free(handle: number): void;
}

/**
 * Indices of a step's motion record (a `Float64Array`): seconds of the step and the floor's
 * height in px (inputs), and the fade of the particle moved last (an output, in [0, 1]).
 */
export const MOTION_DT_S = DT_S;
export const MOTION_FLOOR_PX = FLOOR_PX;
export const MOTION_FADE = FADE;
/** Doubles in a motion record. */
export const MOTION_RECORD_LENGTH = 3;

/**
 * Moves the live particle in `slot`, whose remaining life (> 0) is already stored in `lifeMs`:
 * the fade's size and 8-bit alpha, then semi-implicit Euler (velocity first, then position with
 * the new velocity) with a bounce on the floor. The step's length and the floor come in `motion`
 * (`MOTION_*`), and the fade goes back there (a comet's trail follows it): only objects and small
 * integers cross this call, so nothing is boxed even where V8 does not inline it. O(1),
 * allocation-free.
 */
export function moveParticle(f: StepColumns, slot: number, motion: Float64Array): void {
  const s = slot;
  const dtS = motion[DT_S];
  const floorPx = motion[FLOOR_PX];
  const fade = fadeOf(f.lifeMs[s], f.maxLifeMs[s]);
  motion[FADE] = fade;
  f.size[s] = f.scale[s] * sizeFactorOf(fade);
  f.alpha[s] = Math.floor(fade * 255) / 255; // 8-bit, as a Pixi particle colour holds it
  const vel = f.vel;
  let vy = vel[s * 2 + 1] + GRAVITY_PX_PER_S2 * dtS;
  f.x[s] += vel[s * 2] * dtS;
  let py = f.y[s] + vy * dtS;
  if (py > floorPx) {
    py = floorPx;
    vy = -vy * FLOOR_RESTITUTION;
  }
  f.y[s] = py;
  vel[s * 2 + 1] = vy;
}

/**
 * A worker's chunk: steps the particles without a trail at `dense[start..end)` by the team's
 * `params` (`STEP_PARAM_*`: the step in µs, clamped to `MAX_STEP_MS`, and the floor), through the
 * worker's own `motion` record; a particle whose life runs out gets life 0 (free slots read as
 * dead) and its free is queued through `freer`. O(end - start), allocation-free.
 */
export function stepPlainParticles(
  f: StepColumns,
  dense: Int32Array,
  start: number,
  end: number,
  params: Float64Array,
  motion: Float64Array,
  freer: ParticleFreer,
): void {
  const stepMs = Math.min(params[PARAM_US] / 1000, MAX_STEP_MS);
  motion[DT_S] = stepMs / 1000;
  motion[FLOOR_PX] = params[PARAM_FLOOR_PX];
  const lifeMs = f.lifeMs;
  const trailAt = f.trailAt;
  for (let i = start; i < end; i++) {
    const s = dense[i];
    if (trailAt[s] >= 0) continue; // a comet: the owner steps it
    const life = lifeMs[s] - stepMs;
    if (life <= 0) {
      lifeMs[s] = 0;
      freer.free(freer.handleOf(s));
      continue;
    }
    lifeMs[s] = life;
    moveParticle(f, s, motion);
  }
}

/**
 * A step worker's whole life: attaches the particle pool and the team, then steps its chunk of
 * every step until the owner closes the team, publishing the chunk's frees before reporting it
 * done. Returns when the team is closed.
 */
export function serveParticleSteps(
  poolDescriptor: SharedStructPoolDescriptor<StepColumns>,
  teamDescriptor: ParallelForDescriptor,
): void {
  const pool = StructPool.attach(poolDescriptor);
  const worker = ParallelForWorker.attach(teamDescriptor);
  const f = pool.fields;
  const dense = pool.dense;
  const motion = new Float64Array(MOTION_RECORD_LENGTH);
  worker.serve((start, end, w) => {
    stepPlainParticles(f, dense, start, end, w.params, motion, pool);
    pool.flush();
  });
  pool.detach();
}
