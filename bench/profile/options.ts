/**
 * Options of `npm run profile` and their command-line parsing.
 *
 * Defaults hold 60 fps on software WebGL (SwiftShader) on a two-core machine; raise `--spawn`
 * and `--capacity` on a real GPU.
 */

import { DEMO_MODES } from '../../examples/particles/simulation.ts';

/** The demo modes the runner knows: the particle demo's `DEMO_MODES`. */
export const KNOWN_MODES: readonly string[] = DEMO_MODES;

/** Everything a profile run needs. Durations in ms. */
export interface ProfileOptions {
  /** Modes to compare, in column order. */
  modes: string[];
  /** Runs per mode (each in a fresh page load). */
  runs: number;
  /** Particles spawned per frame. */
  spawn: number;
  /** Pool capacity (maximum live particles). */
  capacity: number;
  /** Length of each measured window, ms. */
  durationMs: number;
  /**
   * Warm-up after the page is ready and the forced full GC, before measuring, ms. Default 10 s:
   * longer than the 8 s after which V8's memory reducer follows a full GC with another one on a
   * page that allocates little (see `runner.ts`).
   */
  warmupMs: number;
  /** Seed of the demo's random generator. */
  seed: number;
  /** Also run a traced window (CDP tracing for GC slices) after the untraced one. */
  trace: boolean;
  /** Length of the allocation-sampling window per mode, ms (0 = skip). */
  samplingMs: number;
  /**
   * Warm-up before sampling, ms. Long on purpose: a function that runs once per frame stays in
   * V8's unoptimized tiers for many seconds, and those box every double (garbage that optimized
   * code does not make). Sampling the steady state needs the optimized code.
   */
  samplingWarmupMs: number;
  /** Where the report files go. */
  outDir: string;
  /** Serve this already-running demo server instead of building and serving (ends in `/`). */
  baseUrl?: string;
  /** Path of the demo page below the base URL. */
  pagePath: string;
  /** Take a PNG of the HTML report. */
  screenshot: boolean;
  /** Print a line per run. */
  log: (line: string) => void;
}

export const DEFAULT_OPTIONS: ProfileOptions = {
  modes: [...KNOWN_MODES],
  runs: 3,
  spawn: 50,
  capacity: 5000,
  durationMs: 8000,
  warmupMs: 10000,
  seed: 1,
  trace: true,
  samplingMs: 4000,
  samplingWarmupMs: 30000,
  outDir: 'reports',
  pagePath: 'examples/particles/index.html',
  screenshot: true,
  log: (line) => console.log(line),
};

export const USAGE = `npm run profile -- [options]

  --modes a,b,...        modes to compare, in column order (default ${KNOWN_MODES.join(',')})
  --runs N               runs per mode, fresh page each (default ${DEFAULT_OPTIONS.runs})
  --spawn N              particles spawned per frame (default ${DEFAULT_OPTIONS.spawn})
  --capacity N           pool capacity, maximum live particles (default ${DEFAULT_OPTIONS.capacity})
  --duration S           measured seconds per window (default ${DEFAULT_OPTIONS.durationMs / 1000})
  --warmup S             warm-up seconds before measuring (default ${DEFAULT_OPTIONS.warmupMs / 1000})
  --seed N               demo random seed (default ${DEFAULT_OPTIONS.seed})
  --no-trace             skip the traced window (no GC figures)
  --sampling S           allocation-sampling seconds per mode, 0 to skip (default ${DEFAULT_OPTIONS.samplingMs / 1000})
  --sampling-warmup S    warm-up seconds before sampling (default ${DEFAULT_OPTIONS.samplingWarmupMs / 1000})
  --out DIR              report folder (default ${DEFAULT_OPTIONS.outDir})
  --url URL              profile an already-served demo at URL instead of building one
  --no-screenshot        skip the PNG of the report
  --quick                1 run per mode, 3 s windows (a smoke test, not a measurement)
`;

function num(flag: string, value: string | undefined, min: number, max: number): number {
  const v = Number(value);
  if (value === undefined || !Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`${flag} must be a number in [${min}, ${max}], got ${value}`);
  }
  return v;
}

/**
 * Parses command-line arguments into options (unknown flags throw, `--help` returns null).
 *
 * @throws RangeError for an out-of-range value; Error for an unknown flag.
 */
export function parseArgs(argv: readonly string[]): ProfileOptions | null {
  const o: ProfileOptions = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return null;
      case '--modes':
        o.modes = (next() ?? '').split(',').filter(Boolean);
        for (const m of o.modes) {
          if (!KNOWN_MODES.includes(m)) throw new RangeError(`--modes: unknown mode ${m}`);
        }
        if (o.modes.length === 0) throw new RangeError('--modes needs at least one mode');
        break;
      case '--runs':
        o.runs = Math.round(num(flag, next(), 1, 100));
        break;
      case '--spawn':
        o.spawn = Math.round(num(flag, next(), 0, 1e6));
        break;
      case '--capacity':
        o.capacity = Math.round(num(flag, next(), 1, 1e7));
        break;
      case '--duration':
        o.durationMs = num(flag, next(), 0.5, 3600) * 1000;
        break;
      case '--warmup':
        o.warmupMs = num(flag, next(), 0, 3600) * 1000;
        break;
      case '--seed':
        o.seed = Math.round(num(flag, next(), 0, 2 ** 31 - 1));
        break;
      case '--no-trace':
        o.trace = false;
        break;
      case '--sampling':
        o.samplingMs = num(flag, next(), 0, 3600) * 1000;
        break;
      case '--sampling-warmup':
        o.samplingWarmupMs = num(flag, next(), 0, 3600) * 1000;
        break;
      case '--out':
        o.outDir = next() ?? o.outDir;
        break;
      case '--url':
        o.baseUrl = next();
        if (o.baseUrl && !o.baseUrl.endsWith('/')) o.baseUrl += '/';
        break;
      case '--no-screenshot':
        o.screenshot = false;
        break;
      case '--quick':
        o.runs = 1;
        o.durationMs = 3000;
        o.warmupMs = 1000;
        o.samplingMs = 2000;
        o.samplingWarmupMs = 3000;
        break;
      default:
        throw new Error(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  return o;
}
