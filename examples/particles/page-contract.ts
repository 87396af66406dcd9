/**
 * The particle demo's page contract: the object the page publishes as `window.steadyheapDemo`,
 * read by the browser tests (`test/e2e/particles.test.ts`) and by the headless profile runner
 * (`npm run profile`). Keep these names: other code is written against them.
 *
 * The page sets `window.steadyheapDemo` once PixiJS is initialised and the first frame rendered
 * (`ready` is then `true`), and updates the counts at the end of every frame.
 *
 * @module
 */
import type { FrameProfiler } from 'steadyheap';
import type { TrailArenaKind } from './arena-trails.ts';
import type { DemoMode } from './modes.ts';
import type { RendererPreset } from './params.ts';

/** `window.steadyheapDemo`. Counts are particles; totals restart on a mode switch. */
export interface SteadyheapDemo {
  /** True once PixiJS is initialised and the first frame rendered. */
  ready: boolean;
  /** The mode running now: `'naive'`, `'pooled'`, `'instanced'` or `'zero-garbage'` (see `DemoMode`). */
  mode: DemoMode;
  /** Frames rendered since the page loaded (keeps counting across mode switches). */
  frame: number;
  /** Particles alive at the end of the latest frame. */
  live: number;
  /** Particles spawned since the page loaded or the latest mode switch. */
  spawnedTotal: number;
  /** Particles freed since the page loaded or the latest mode switch. */
  freedTotal: number;
  /** Particles spawned in the latest frame (beyond the required contract). */
  spawnedLastFrame: number;
  /** Particles freed in the latest frame (beyond the required contract). */
  freedLastFrame: number;
  /** Most particles alive at once (`?capacity=`). */
  capacity: number;
  /** Spawns per frame (`?spawn=`). */
  spawnPerFrame: number;
  /** PixiJS renderer name, for example `'webgl'`. */
  renderer: string;
  /** The defaults in use: `'software'` (software WebGL detected or asked for) or `'hardware'`. */
  preset: RendererPreset;
  /** The arena the comet trails live in (`?arena=`). */
  arena: TrailArenaKind;
  /** Comets with a trail at the end of the latest frame (beyond the required contract). */
  comets: number;
  /** Trail dots drawn in the latest frame (beyond the required contract). */
  dots: number;
  /**
   * Frames of the current mode drawn directly, without Pixi's scene machinery (the
   * `zero-garbage` mode's `CachedStageRenderer`; 0 in the other modes).
   */
  directFrames: number;
  /**
   * Bytes the `PoolParticles` layers (sparks and trail dots) uploaded in the latest frame; 0 in
   * the `naive` and `pooled` modes (beyond the required contract).
   */
  uploadedBytes: number;
  /**
   * The sparks layer's latest upload: slots spanned by the live sparks (`rangeEnd -
   * rangeStart` of its `lastFrame`) and whether the live values were packed instead of the
   * span uploaded; 0 and false in the `naive` and `pooled` modes (beyond the required contract).
   */
  sparksSpan: number;
  sparksPacked: boolean;
  /**
   * Records every frame (through `recordUs`, in whole µs, read back in ms): `frameMs` (between
   * `requestAnimationFrame` timestamps, to 1 µs), `cpuMs` (step + sync + render submission; NaN
   * with `?cpu=0`, and on the frames the `zero-garbage` mode does not time: it times 1 in 16),
   * `live`, `spawned`, `freed`. Ring of `?frames=` frames (default
   * 3600). Reset on a mode switch, so it only ever holds frames of the current mode.
   */
  profiler: FrameProfiler;
  /**
   * Web Workers stepping the particles in the pooled modes (`?workers=N`); 0 when the main thread
   * steps them (no `?workers`, or the page is not cross-origin isolated).
   */
  workers: number;
  /** `crossOriginIsolated`: whether the page has `SharedArrayBuffer` (needed by `?workers`). */
  isolated: boolean;
  /** Frames the pooled simulation skipped because its workers were still on the previous step. */
  waitedFrames: number;
  /** Particles the step workers freed through the pool's remote-free queue (since the page loaded). */
  remoteFrees: number;
  /**
   * Switches mode: frees every particle, restarts the simulation from the same seed and resets
   * the profiler. Same mode: no-op.
   *
   * @throws TypeError for anything but `'naive'`, `'pooled'`, `'instanced'` or `'zero-garbage'`.
   */
  setMode(mode: DemoMode): void;
}

declare global {
  interface Window {
    /** Set by the particle demo; see {@link SteadyheapDemo}. */
    steadyheapDemo?: SteadyheapDemo;
  }
}
