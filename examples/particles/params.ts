/**
 * The particle demo's URL parameters, parsed and checked, and the defaults by renderer. Runs in
 * Node (the tests) and in the browser. A bad value never stops the demo: it is reported (the
 * overlay shows it and the console warns) and its default is used instead.
 *
 * | parameter  | meaning                                                  | default          | range           |
 * |------------|----------------------------------------------------------|------------------|-----------------|
 * | `mode`     | `naive`, `pooled`, `instanced` or `zero-garbage`         | naive            |                 |
 * | `preset`   | `auto` (by renderer), `software` or `hardware`           | auto             |                 |
 * | `capacity` | most particles alive (the pool's fixed capacity)         | by preset        | 1 .. 1,000,000  |
 * | `spawn`    | particles spawned per frame                              | by preset        | 0 .. 100,000    |
 * | `lifeMin`  | shortest particle life, ms                               | by preset        | 50 .. 59,999    |
 * | `lifeMax`  | longest particle life, ms (exclusive)                    | by preset        | 51 .. 60,000    |
 * | `comet`    | every `comet`-th spawn leaves a trail (0: none)          | by preset        | 0 .. 1,000,000  |
 * | `arena`    | the trails' arena: `buddy`, `free-list` or `tree`        | buddy            |                 |
 * | `seed`     | seed of the random source                                | 1                | 0 .. 2^32 - 1   |
 * | `frames`   | ring size of the frame profiler, frames                  | 3600             | 2 .. 2^20       |
 * | `overlay`  | `0` hides the overlay, `1` shows it                      | 1                |                 |
 * | `cpu`      | `0` skips timing the page's work per frame               | 1                |                 |
 * | `workers`  | step workers for the pooled modes (0: the main thread)   | 0                | 0 .. 16         |
 *
 * `mode=zero-object` (the name of an earlier version) is read as `instanced`, with a note.
 *
 * @module
 */
import { MAX_PROFILER_CAPACITY } from 'steadyheap';
import { TRAIL_ARENA_KINDS, type TrailArenaKind } from './arena-trails.ts';
import { checkInteger } from './checks.ts';
import { DEMO_MODES, type DemoMode, LEGACY_MODE_NAMES, isDemoMode } from './modes.ts';
import { LIFE_LIMIT_MS, MAX_CAPACITY, MAX_SPAWN_PER_FRAME, MAX_STEP_MS } from './physics.ts';

/** Which defaults apply: the renderer decides (`auto`), or the user does. */
export type PresetChoice = 'auto' | RendererPreset;
/** A set of defaults: for software WebGL, or for a hardware GPU. */
export type RendererPreset = 'software' | 'hardware';

/** The settings a preset gives (and the URL can override one by one). */
export interface PresetSettings {
  /** Pool capacity, particles. */
  capacity: number;
  /** Spawns per frame, particles. */
  spawnPerFrame: number;
  /** Particle lives, ms: `[lifeMinMs, lifeMaxMs)`. */
  lifeMinMs: number;
  lifeMaxMs: number;
  /** Every `cometEvery`-th spawn leaves a trail. */
  cometEvery: number;
}

/**
 * The defaults by renderer, chosen by measurement (`bench/README.md`, "Particle demo defaults"):
 *
 * - `software` (SwiftShader, llvmpipe: the headless tests and `npm run profile`): counts that
 *   hold the frame rate in every mode on 2 shared cores. Chromium's GPU process spends about
 *   17 ms of CPU per frame on an empty 960 x 600 page there, plus a few µs per drawn quad, so
 *   6,000 particles (lives 0.5-1.5 s, 100 spawns a frame: the pool runs nearly full at 60 fps)
 *   and a comet every 16 spawns.
 * - `hardware` (a real GPU): a stress that makes the naive mode collect visibly. 100,000
 *   particles living 0.5-3 s, 1,000 spawns a frame: the naive mode's objects live long enough to
 *   survive scavenges and be promoted, so it pays for old-generation collections too, and
 *   `npm start` on a laptop shows the difference within seconds.
 */
export const PRESETS: Readonly<Record<RendererPreset, Readonly<PresetSettings>>> = {
  software: { capacity: 6_000, spawnPerFrame: 100, lifeMinMs: 500, lifeMaxMs: 1_500, cometEvery: 16 },
  hardware: { capacity: 100_000, spawnPerFrame: 1_000, lifeMinMs: 500, lifeMaxMs: 3_000, cometEvery: 64 },
};

/** The demo's settings, after parsing: `null` for "the preset's value". */
export interface DemoParams {
  mode: DemoMode;
  preset: PresetChoice;
  capacity: number | null;
  spawnPerFrame: number | null;
  lifeMinMs: number | null;
  lifeMaxMs: number | null;
  cometEvery: number | null;
  arena: TrailArenaKind;
  /** Random seed. */
  seed: number;
  /** Frame profiler ring size, frames. */
  profilerFrames: number;
  /** Whether the overlay is shown. */
  overlay: boolean;
  /**
   * Whether the page's work per frame (step + sync + render submission) is timed, with two
   * `performance.now()` calls. Each call returns a fresh 12-byte heap number (the browser boxes
   * the double), so the `zero-garbage` mode times one frame in 16, and `cpu=0` none.
   */
  cpuTiming: boolean;
  /**
   * Web Workers that step the particles in the pooled modes (`worker-steps.ts`); 0 steps them
   * on the main thread. Needs a cross-origin-isolated page (`SharedArrayBuffer`): without one the
   * demo says so and steps on the main thread.
   */
  workers: number;
}

/** Most step workers `?workers=` accepts. */
export const MAX_STEP_WORKERS = 16;

/** Defaults of everything the URL can set (`null`: by preset). */
export const DEFAULT_PARAMS: Readonly<DemoParams> = {
  mode: 'naive',
  preset: 'auto',
  capacity: null,
  spawnPerFrame: null,
  lifeMinMs: null,
  lifeMaxMs: null,
  cometEvery: null,
  arena: 'buddy',
  seed: 1,
  profilerFrames: 3600,
  overlay: true,
  cpuTiming: true,
  workers: 0,
};

/** Parsed parameters plus one message per rejected value and one per renamed value. */
export interface ParsedParams {
  params: DemoParams;
  /** Human-readable problems (for example `capacity must be an integer in [1, 1000000], got 0`). */
  problems: string[];
  /** Values read under a new name (`mode=zero-object is now mode=instanced`). */
  notes: string[];
}

/** Parses an integer parameter; on failure records the RangeError's message and returns `fallback`. */
function integerParam<F extends number | null>(
  query: URLSearchParams,
  key: string,
  fallback: F,
  min: number,
  max: number,
  problems: string[],
): number | F {
  const raw = query.get(key);
  if (raw === null || raw === '') return fallback;
  const using = fallback === null ? 'using the preset' : `using ${fallback}`;
  // Number('') is 0 and Number('1e3') is 1000: only plain decimal integers are accepted.
  if (!/^\s*-?\d+\s*$/.test(raw)) {
    problems.push(`${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(raw)}; ${using}`);
    return fallback;
  }
  try {
    return checkInteger(key, Number(raw), min, max);
  } catch (e) {
    problems.push(`${(e as Error).message}; ${using}`);
    return fallback;
  }
}

/** Parses a parameter that takes one of `allowed`. */
function choiceParam<T extends string>(
  query: URLSearchParams,
  key: string,
  fallback: T,
  allowed: readonly T[],
  problems: string[],
): T {
  const raw = query.get(key);
  if (raw === null) return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(
    `${key} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(raw)}; using ${fallback}`,
  );
  return fallback;
}

/** Parses a `0`/`1` switch. */
function switchParam(
  query: URLSearchParams,
  key: string,
  fallback: boolean,
  problems: string[],
  keeping: string,
): boolean {
  const raw = query.get(key);
  if (raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  if (raw !== null) problems.push(`${key} must be 0 or 1, got ${JSON.stringify(raw)}; ${keeping}`);
  return fallback;
}

/**
 * Parses the demo's query string (`location.search`, with or without the leading `?`).
 * O(length of the query). Unknown parameters are ignored.
 *
 * @returns the settings, the rejected values and the renamed ones; never throws.
 */
export function parseDemoParams(search: string): ParsedParams {
  const query = new URLSearchParams(search);
  const problems: string[] = [];
  const notes: string[] = [];
  let mode = DEFAULT_PARAMS.mode;
  const rawMode = query.get('mode');
  if (isDemoMode(rawMode)) mode = rawMode;
  else if (rawMode !== null && Object.hasOwn(LEGACY_MODE_NAMES, rawMode)) {
    mode = LEGACY_MODE_NAMES[rawMode];
    notes.push(`mode=${rawMode} is now called mode=${mode}`);
  } else if (rawMode !== null) {
    const allowed = DEMO_MODES.map((m) => `'${m}'`).join(', ');
    problems.push(`mode must be one of ${allowed}, got ${JSON.stringify(rawMode)}; using ${mode}`);
  }
  const preset = choiceParam<PresetChoice>(
    query,
    'preset',
    DEFAULT_PARAMS.preset,
    ['auto', 'software', 'hardware'],
    problems,
  );
  const arena = choiceParam(query, 'arena', DEFAULT_PARAMS.arena, TRAIL_ARENA_KINDS, problems);
  const overlay = switchParam(query, 'overlay', DEFAULT_PARAMS.overlay, problems, 'showing it');
  const cpuTiming = switchParam(query, 'cpu', DEFAULT_PARAMS.cpuTiming, problems, 'timing the work');
  let lifeMinMs = integerParam(query, 'lifeMin', null, MAX_STEP_MS, LIFE_LIMIT_MS - 1, problems);
  let lifeMaxMs = integerParam(query, 'lifeMax', null, MAX_STEP_MS + 1, LIFE_LIMIT_MS, problems);
  if (lifeMinMs !== null && lifeMaxMs !== null && lifeMaxMs <= lifeMinMs) {
    problems.push(`lifeMax must be above lifeMin, got lifeMin ${lifeMinMs} and lifeMax ${lifeMaxMs}; using the preset`);
    lifeMinMs = null;
    lifeMaxMs = null;
  }
  return {
    params: {
      mode,
      preset,
      capacity: integerParam(query, 'capacity', null, 1, MAX_CAPACITY, problems),
      spawnPerFrame: integerParam(query, 'spawn', null, 0, MAX_SPAWN_PER_FRAME, problems),
      lifeMinMs,
      lifeMaxMs,
      cometEvery: integerParam(query, 'comet', null, 0, 1_000_000, problems),
      arena,
      seed: integerParam(query, 'seed', DEFAULT_PARAMS.seed, 0, 2 ** 32 - 1, problems),
      profilerFrames: integerParam(query, 'frames', DEFAULT_PARAMS.profilerFrames, 2, MAX_PROFILER_CAPACITY, problems),
      overlay,
      cpuTiming,
      workers: integerParam(query, 'workers', DEFAULT_PARAMS.workers, 0, MAX_STEP_WORKERS, problems),
    },
    problems,
    notes,
  };
}

/**
 * The settings the demo runs with: the preset's values (`params.preset`, or `detected` for
 * `auto`) overridden by every value the URL gave. When only one life bound is given and it
 * does not fit the preset's other bound, the other is moved to keep a 1 ms span. O(1).
 */
export function resolveSettings(
  params: DemoParams,
  detected: RendererPreset,
): PresetSettings & { preset: RendererPreset } {
  const preset = params.preset === 'auto' ? detected : params.preset;
  const base = PRESETS[preset];
  let lifeMinMs = params.lifeMinMs ?? base.lifeMinMs;
  let lifeMaxMs = params.lifeMaxMs ?? base.lifeMaxMs;
  if (lifeMaxMs <= lifeMinMs) {
    if (params.lifeMaxMs === null) lifeMaxMs = lifeMinMs + 1;
    else lifeMinMs = Math.max(MAX_STEP_MS, lifeMaxMs - 1);
  }
  return {
    preset,
    capacity: params.capacity ?? base.capacity,
    spawnPerFrame: params.spawnPerFrame ?? base.spawnPerFrame,
    lifeMinMs,
    lifeMaxMs,
    cometEvery: params.cometEvery ?? base.cometEvery,
  };
}

/**
 * True when a WebGL renderer string names a software rasterizer (SwiftShader, llvmpipe,
 * softpipe, Microsoft Basic Render Driver). O(length).
 */
export function isSoftwareRenderer(rendererName: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(rendererName);
}

/**
 * The query string that reproduces `params` (only values that differ from the defaults), for the
 * address bar after a mode switch. O(1).
 */
export function formatDemoParams(params: DemoParams): string {
  const query = new URLSearchParams();
  query.set('mode', params.mode);
  if (params.preset !== DEFAULT_PARAMS.preset) query.set('preset', params.preset);
  if (params.capacity !== null) query.set('capacity', String(params.capacity));
  if (params.spawnPerFrame !== null) query.set('spawn', String(params.spawnPerFrame));
  if (params.lifeMinMs !== null) query.set('lifeMin', String(params.lifeMinMs));
  if (params.lifeMaxMs !== null) query.set('lifeMax', String(params.lifeMaxMs));
  if (params.cometEvery !== null) query.set('comet', String(params.cometEvery));
  if (params.arena !== DEFAULT_PARAMS.arena) query.set('arena', params.arena);
  if (params.seed !== DEFAULT_PARAMS.seed) query.set('seed', String(params.seed));
  if (params.profilerFrames !== DEFAULT_PARAMS.profilerFrames) query.set('frames', String(params.profilerFrames));
  if (!params.overlay) query.set('overlay', '0');
  if (!params.cpuTiming) query.set('cpu', '0');
  if (params.workers !== DEFAULT_PARAMS.workers) query.set('workers', String(params.workers));
  return `?${query.toString()}`;
}
