/**
 * The particle demo's simulation contract, its modes and the factory. Two implementations share
 * the physics of `physics.ts` and differ only in how they hold particles:
 *
 * - `'pooled'` ({@link PooledSimulation}): state in a steadyheap `StructPool` (typed-array
 *   columns), O(1) alloc/free through its free list, iteration over its dense array of live
 *   slots. After warm-up a step allocates nothing.
 * - `'naive'` ({@link NaiveSimulation}): what a typical game does: one new JS object per spawned
 *   particle and `particles = particles.filter(...)` every frame, so every step makes garbage.
 *
 * The demo has three modes ({@link DemoMode}) over these two simulations: `'zero-object'` runs
 * the very same {@link PooledSimulation} as `'pooled'` and differs only in how it is drawn (the
 * pool's columns go to the GPU as instance attributes, with no per-particle JS object: see
 * `zero-object-view.ts`).
 *
 * With the same options and the same step lengths the two spawn the same particles and report
 * the same counts; only their garbage differs. Runs in Node (no DOM, no PixiJS), so the GC test
 * can drive it with `perf_hooks` watching.
 *
 * @module
 */
import { NaiveSimulation } from './naive-simulation.ts';
import { PooledSimulation } from './pooled-simulation.ts';
import { describeValue } from './checks.ts';
import type { SimulationOptions } from './physics.ts';

/**
 * How the demo holds and draws its particles:
 * - `'pooled'`: a {@link PooledSimulation}, drawn through preallocated Pixi `Particle`s;
 * - `'naive'`: a {@link NaiveSimulation}, new objects and arrays every frame;
 * - `'zero-object'`: the same {@link PooledSimulation}, its typed-array columns uploaded as
 *   GPU instance attributes: no per-particle JS object anywhere.
 */
export type DemoMode = 'pooled' | 'naive' | 'zero-object';

/** Which simulation a mode runs (`'zero-object'` runs the pooled one). */
export type SimulationKind = 'pooled' | 'naive';

/** Every {@link DemoMode}, in the order the demo's button and `M` key cycle through them. */
export const DEMO_MODES: readonly DemoMode[] = ['pooled', 'naive', 'zero-object'];

/**
 * The simulation `mode` runs: `'naive'` for `'naive'`, `'pooled'` for the other two. O(1).
 *
 * @throws TypeError for anything but a {@link DemoMode}.
 */
export function simulationKindOf(mode: DemoMode): SimulationKind {
  if (mode === 'pooled' || mode === 'zero-object') return 'pooled';
  if (mode === 'naive') return 'naive';
  throw new TypeError(badModeMessage(mode));
}

/** True when `value` is one of {@link DEMO_MODES}. O(1); never throws. */
export function isDemoMode(value: unknown): value is DemoMode {
  return value === 'pooled' || value === 'naive' || value === 'zero-object';
}

/** The text of the TypeError thrown for a value that is not a {@link DemoMode}. */
export function badModeMessage(value: unknown): string {
  return `mode must be one of ${DEMO_MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(value)}`;
}

/**
 * The mode after `mode` in {@link DEMO_MODES}, wrapping around (the demo's button and `M` key).
 * O(1).
 *
 * @throws TypeError for anything but a {@link DemoMode}.
 */
export function nextDemoMode(mode: DemoMode): DemoMode {
  if (!isDemoMode(mode)) throw new TypeError(badModeMessage(mode));
  const i = DEMO_MODES.indexOf(mode);
  return DEMO_MODES[(i + 1) % DEMO_MODES.length];
}

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
 * Creates the simulation `mode` runs (see {@link simulationKindOf}).
 *
 * @param mode - a {@link DemoMode}; `'zero-object'` gives a {@link PooledSimulation}.
 * @param options - see `SimulationOptions` in `physics.ts`.
 * @throws TypeError for an unknown mode or bad option types; RangeError for options out of range.
 */
export function createSimulation(mode: DemoMode, options: SimulationOptions): ParticleSimulation {
  return simulationKindOf(mode) === 'pooled' ? new PooledSimulation(options) : new NaiveSimulation(options);
}

export { NaiveSimulation, PooledSimulation };
