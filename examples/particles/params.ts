/**
 * The particle demo's URL parameters, parsed and checked. Runs in Node (the tests) and in the
 * browser. A bad value never stops the demo: it is reported (the overlay shows it and the console
 * warns) and its default is used instead.
 *
 * | parameter  | meaning                                           | default | range            |
 * |------------|---------------------------------------------------|---------|------------------|
 * | `mode`     | `pooled`, `naive` or `zero-object`                | pooled  |                  |
 * | `capacity` | most particles alive (the pool's fixed capacity)  | 6000    | 1 .. 1,000,000   |
 * | `spawn`    | particles spawned per frame                       | 100     | 0 .. 100,000     |
 * | `seed`     | seed of the random source                         | 1       | 0 .. 2^32 - 1    |
 * | `frames`   | ring size of the frame profiler, frames           | 3600    | 2 .. 2^20        |
 * | `overlay`  | `0` hides the overlay, `1` shows it               | 1       |                  |
 * | `cpu`      | `0` skips timing each frame's CPU work            | 1       |                  |
 *
 * @module
 */
import { MAX_PROFILER_CAPACITY } from 'steadyheap';
import { checkInteger } from './checks.ts';
import { MAX_CAPACITY, MAX_SPAWN_PER_FRAME } from './physics.ts';
import { DEMO_MODES, isDemoMode, type DemoMode } from './simulation.ts';

/** The demo's settings, after parsing. */
export interface DemoParams {
  mode: DemoMode;
  /** Pool capacity, particles. */
  capacity: number;
  /** Spawns per frame, particles. */
  spawnPerFrame: number;
  /** Random seed. */
  seed: number;
  /** Frame profiler ring size, frames. */
  profilerFrames: number;
  /** Whether the overlay is shown. */
  overlay: boolean;
  /**
   * Whether each frame's CPU time (step + sync + render submission) is measured, with two
   * `performance.now()` calls. Each call returns a fresh heap number (16 bytes: the browser's
   * binding boxes the double), so `cpu=0` is how to see the frame loop allocate nothing.
   */
  cpuTiming: boolean;
}

/**
 * Defaults: 6,000 particles and 100 spawns per frame (lives average 1 s, so the pool runs nearly
 * full at 60 fps). Chosen by measurement in headless Chromium with software WebGL (SwiftShader)
 * on 2 shared cores: Chromium's GPU process costs about 17 ms of CPU per frame for an empty
 * 960x600 page plus about 2 us per drawn particle, and the page about 2.5 ms, so 6,000 particles
 * come to about 31 ms of CPU per frame over 2 cores, while 20,000 / 300 (about 18,000 live)
 * would need about 56 ms. On a real GPU, raise them with `?capacity=&spawn=`.
 */
export const DEFAULT_PARAMS: Readonly<DemoParams> = {
  mode: 'pooled',
  capacity: 6_000,
  spawnPerFrame: 100,
  seed: 1,
  profilerFrames: 3600,
  overlay: true,
  cpuTiming: true,
};

/** Parsed parameters plus one message per rejected value. */
export interface ParsedParams {
  params: DemoParams;
  /** Human-readable problems (for example `capacity must be an integer in [1, 1000000], got 0`). */
  problems: string[];
}

/** Parses an integer parameter; on failure records the RangeError's message and returns `fallback`. */
function integerParam(
  query: URLSearchParams,
  key: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = query.get(key);
  if (raw === null || raw === '') return fallback;
  // Number('') is 0 and Number('1e3') is 1000: only plain decimal integers are accepted.
  if (!/^\s*-?\d+\s*$/.test(raw)) {
    problems.push(`${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}; using ${fallback}`);
    return fallback;
  }
  try {
    return checkInteger(key, Number(raw), min, max);
  } catch (e) {
    problems.push(`${(e as Error).message}; using ${fallback}`);
    return fallback;
  }
}

/**
 * Parses the demo's query string (`location.search`, with or without the leading `?`).
 * O(length of the query). Unknown parameters are ignored.
 *
 * @returns the settings and the list of rejected values; never throws.
 */
export function parseDemoParams(search: string): ParsedParams {
  const query = new URLSearchParams(search);
  const problems: string[] = [];
  let mode = DEFAULT_PARAMS.mode;
  const rawMode = query.get('mode');
  if (isDemoMode(rawMode)) mode = rawMode;
  else if (rawMode !== null) {
    const allowed = DEMO_MODES.map((m) => `'${m}'`).join(', ');
    problems.push(`mode must be one of ${allowed}, got ${JSON.stringify(rawMode)}; using ${mode}`);
  }
  let overlay = DEFAULT_PARAMS.overlay;
  const rawOverlay = query.get('overlay');
  if (rawOverlay === '0' || rawOverlay === 'false') overlay = false;
  else if (rawOverlay !== null && rawOverlay !== '1' && rawOverlay !== 'true') {
    problems.push(`overlay must be 0 or 1, got ${JSON.stringify(rawOverlay)}; showing it`);
  }
  let cpuTiming = DEFAULT_PARAMS.cpuTiming;
  const rawCpu = query.get('cpu');
  if (rawCpu === '0' || rawCpu === 'false') cpuTiming = false;
  else if (rawCpu !== null && rawCpu !== '1' && rawCpu !== 'true') {
    problems.push(`cpu must be 0 or 1, got ${JSON.stringify(rawCpu)}; timing CPU work`);
  }
  return {
    params: {
      mode,
      capacity: integerParam(query, 'capacity', DEFAULT_PARAMS.capacity, 1, MAX_CAPACITY, problems),
      spawnPerFrame: integerParam(query, 'spawn', DEFAULT_PARAMS.spawnPerFrame, 0, MAX_SPAWN_PER_FRAME, problems),
      seed: integerParam(query, 'seed', DEFAULT_PARAMS.seed, 0, 2 ** 32 - 1, problems),
      profilerFrames: integerParam(query, 'frames', DEFAULT_PARAMS.profilerFrames, 2, MAX_PROFILER_CAPACITY, problems),
      overlay,
      cpuTiming,
    },
    problems,
  };
}

/**
 * The query string that reproduces `params` (only non-default values), for the address bar after
 * a mode switch. O(1).
 */
export function formatDemoParams(params: DemoParams): string {
  const query = new URLSearchParams();
  query.set('mode', params.mode);
  if (params.capacity !== DEFAULT_PARAMS.capacity) query.set('capacity', String(params.capacity));
  if (params.spawnPerFrame !== DEFAULT_PARAMS.spawnPerFrame) query.set('spawn', String(params.spawnPerFrame));
  if (params.seed !== DEFAULT_PARAMS.seed) query.set('seed', String(params.seed));
  if (params.profilerFrames !== DEFAULT_PARAMS.profilerFrames) query.set('frames', String(params.profilerFrames));
  if (!params.overlay) query.set('overlay', '0');
  if (!params.cpuTiming) query.set('cpu', '0');
  return `?${query.toString()}`;
}
