/**
 * The particle demo's modes: how particles are held and how they reach the screen.
 *
 * | mode           | simulation              | drawn by                                                        |
 * |----------------|-------------------------|-----------------------------------------------------------------|
 * | `naive`        | fresh objects, arrays   | new Pixi `Particle`s in a `ParticleContainer`, trails in `new Float32Array(n)` |
 * | `pooled`       | `StructPool` + arena    | reused Pixi `Particle`s in a `ParticleContainer`                |
 * | `instanced`    | `StructPool` + arena    | `PoolParticles` (steadyheap/pixi) inside Pixi's ordinary render |
 * | `zero-garbage` | `StructPool` + arena    | `PoolParticles` drawn by `CachedStageRenderer`: no garbage anywhere on the page |
 *
 * Runs in Node (no DOM, no PixiJS).
 *
 * @module
 */
import { describeValue } from './checks.ts';

/** A mode of the demo; see the module docs. */
export type DemoMode = 'naive' | 'pooled' | 'instanced' | 'zero-garbage';

/** Which simulation a mode runs. */
export type SimulationKind = 'pooled' | 'naive';

/** Every {@link DemoMode}, in the order the `M` key and the overlay's button cycle through them. */
export const DEMO_MODES: readonly DemoMode[] = ['naive', 'pooled', 'instanced', 'zero-garbage'];

/**
 * Names earlier versions of the demo used, and the mode each is now (`?mode=zero-object` keeps
 * working, with a console note).
 */
export const LEGACY_MODE_NAMES: Readonly<Record<string, DemoMode>> = { 'zero-object': 'instanced' };

/** True when `value` is one of {@link DEMO_MODES}. O(1); never throws. */
export function isDemoMode(value: unknown): value is DemoMode {
  return value === 'naive' || value === 'pooled' || value === 'instanced' || value === 'zero-garbage';
}

/** The text of the TypeError thrown for a value that is not a {@link DemoMode}. */
export function badModeMessage(value: unknown): string {
  return `mode must be one of ${DEMO_MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(value)}`;
}

/**
 * The simulation `mode` runs: `'naive'` for `'naive'`, `'pooled'` for the other three. O(1).
 *
 * @throws TypeError for anything but a {@link DemoMode}.
 */
export function simulationKindOf(mode: DemoMode): SimulationKind {
  if (!isDemoMode(mode)) throw new TypeError(badModeMessage(mode));
  return mode === 'naive' ? 'naive' : 'pooled';
}

/**
 * The mode after `mode` in {@link DEMO_MODES}, wrapping around. O(1).
 *
 * @throws TypeError for anything but a {@link DemoMode}.
 */
export function nextDemoMode(mode: DemoMode): DemoMode {
  if (!isDemoMode(mode)) throw new TypeError(badModeMessage(mode));
  return DEMO_MODES[(DEMO_MODES.indexOf(mode) + 1) % DEMO_MODES.length];
}
