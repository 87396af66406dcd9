/**
 * The particle demo's simulation contract and factory. Two implementations share the physics of
 * `physics.ts` and differ only in how they hold particles:
 *
 * - `'pooled'` ({@link PooledSimulation}): state in a steadyheap `StructPool` (typed-array
 *   columns), O(1) alloc/free through its free list, iteration over its dense array of live
 *   slots. After warm-up a step allocates nothing.
 * - `'naive'` ({@link NaiveSimulation}): what a typical game does: one new JS object per spawned
 *   particle and `particles = particles.filter(...)` every frame, so every step makes garbage.
 *
 * With the same options and the same step lengths the two spawn the same particles and report
 * the same counts; only their garbage differs. Runs in Node (no DOM, no PixiJS), so the GC test
 * can drive it with `perf_hooks` watching.
 *
 * @module
 */
import { NaiveSimulation } from './naive-simulation.ts';
import { PooledSimulation } from './pooled-simulation.ts';
import { describeValue } from '../../src/errors.ts';
import type { SimulationOptions } from './physics.ts';

/** How the demo holds its particles. */
export type DemoMode = 'pooled' | 'naive';

/** Every {@link DemoMode}, in the order the demo's button cycles through them. */
export const DEMO_MODES: readonly DemoMode[] = ['pooled', 'naive'];

/** What both simulations offer to the renderer, the overlay and the tests. */
export interface ParticleSimulation {
  /** Which implementation this is. */
  readonly mode: DemoMode;
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
  /**
   * Advances the world by `dtMs` milliseconds (clamped to `MAX_STEP_MS`): ages every particle,
   * frees those whose life ended, moves the rest (gravity, floor bounce), then spawns up to
   * `spawnPerFrame` new ones while there is room. O(live + spawnPerFrame).
   *
   * @throws TypeError / RangeError for a `dtMs` that is not a finite number >= 0; nothing changes then.
   */
  step(dtMs: number): void;
  /** Frees every particle and restarts the random sequence (from `seed` when given). O(capacity). */
  reset(seed?: number): void;
  /** Changes the world size (window resize). O(1). */
  resize(widthPx: number, heightPx: number): void;
  /** Validates the invariants (counts, lives, capacity); throws Error on a violation. O(live). */
  check(): void;
}

/**
 * Creates the simulation for `mode`.
 *
 * @param mode - `'pooled'` or `'naive'`.
 * @param options - see `SimulationOptions` in `physics.ts`.
 * @throws TypeError for an unknown mode or bad option types; RangeError for options out of range.
 */
export function createSimulation(mode: DemoMode, options: SimulationOptions): ParticleSimulation {
  if (mode === 'pooled') return new PooledSimulation(options);
  if (mode === 'naive') return new NaiveSimulation(options);
  throw new TypeError(`mode must be one of 'pooled', 'naive', got ${describeValue(mode)}`);
}

export { NaiveSimulation, PooledSimulation };
