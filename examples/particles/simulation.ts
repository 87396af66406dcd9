/**
 * The particle demo's simulation contract and factory. Two implementations share the physics of
 * `physics.ts` and differ only in how they hold particles:
 *
 * - `'pooled'` ({@link PooledSimulation}): state in a steadyheap `StructPool` (typed-array
 *   columns), O(1) alloc/free through its free list, iteration over its dense array of live
 *   slots, comet trails in arena blocks. After warm-up a step allocates nothing.
 * - `'naive'` ({@link NaiveSimulation}): what a typical game does: one new JS object per spawned
 *   particle, `particles = particles.filter(...)` every frame, trails in `new Float32Array(n)`s,
 *   so every step makes garbage.
 *
 * Three of the demo's four modes (`modes.ts`) run the pooled simulation and differ only in how
 * it is drawn. With the same options and the same step lengths the two spawn the same particles
 * and report the same counts; only their garbage differs. Runs in Node (no DOM, no PixiJS), so
 * the GC test can drive it with `perf_hooks` watching.
 *
 * @module
 */
import { NaiveSimulation } from './naive-simulation.ts';
import { PooledSimulation, type PooledSimulationOptions } from './pooled-simulation.ts';
import { type DemoMode, type SimulationKind, simulationKindOf } from './modes.ts';

/** What both simulations offer to the renderer, the overlay and the tests. */
export interface ParticleSimulation {
  /** Which implementation this is. */
  readonly mode: SimulationKind;
  /** Most particles alive at once. */
  readonly capacity: number;
  /** Particles spawned per step while there is room (may be changed between steps). */
  spawnPerFrame: number;
  /** Particles alive now. */
  readonly live: number;
  /** Particles spawned since construction or the last `reset`. */
  readonly spawnedTotal: number;
  /** Particles freed since construction or the last `reset`. */
  readonly freedTotal: number;
  /** Particles spawned by the latest `step`. */
  readonly spawnedLastStep: number;
  /** Particles freed by the latest `step`. */
  readonly freedLastStep: number;
  /** Steps taken since construction or the last `reset`. */
  readonly steps: number;
  /** Live comets with a trail. */
  readonly comets: number;
  /** Points in all live trails (the dots drawn). */
  readonly trailPoints: number;
  /**
   * Advances the world by `dtMs` milliseconds (clamped to `MAX_STEP_MS`): ages every particle,
   * frees those whose life ended, moves the rest (gravity, floor bounce), then spawns up to
   * `spawnPerFrame` new ones while there is room. O(live + spawnPerFrame).
   *
   * @throws TypeError / RangeError for a `dtMs` that is not a finite number >= 0; nothing changes then.
   */
  step(dtMs: number): void;
  /**
   * As {@link ParticleSimulation.step}, with the step in whole microseconds (`dtUs / 1000` ms).
   * For frame loops: a small integer crosses a function call as is, while a fractional `dtMs`
   * passed to a call V8 does not inline is boxed into a new 16-byte heap number on every call
   * (measured in the browser demo: 16 B/frame). O(live + spawnPerFrame).
   *
   * @throws TypeError / RangeError for a `dtUs` that is not an integer >= 0; nothing changes then.
   */
  stepUs(dtUs: number): void;
  /** Frees every particle and restarts the random sequence (from `seed` when given). O(capacity). */
  reset(seed?: number): void;
  /** Changes the world size (window resize). O(1). */
  resize(widthPx: number, heightPx: number): void;
  /** Validates the invariants (counts, lives, capacity); throws Error on a violation. O(live). */
  check(): void;
}

/**
 * Creates the simulation `mode` runs (see `simulationKindOf`).
 *
 * @param mode - a {@link DemoMode}; all but `'naive'` give a {@link PooledSimulation}.
 * @param options - see `SimulationOptions` in `physics.ts` (`arena` is read by the pooled one).
 * @throws TypeError for an unknown mode or bad option types; RangeError for options out of range.
 */
export function createSimulation(mode: DemoMode, options: PooledSimulationOptions): ParticleSimulation {
  return simulationKindOf(mode) === 'pooled' ? new PooledSimulation(options) : new NaiveSimulation(options);
}

export { NaiveSimulation, PooledSimulation };

// The mode names, for code that imported them from here before `modes.ts` existed.
export {
  DEMO_MODES,
  badModeMessage,
  isDemoMode,
  nextDemoMode,
  simulationKindOf,
  type DemoMode,
  type SimulationKind,
} from './modes.ts';
