/**
 * `profilePage`: the browser profiler's entry point. Launches Chromium (or uses the caller's),
 * runs a page `runs` times ({@link profileRun}) and returns one {@link PageProfile}: the
 * document written as `profile.json` (its schema is documented in the README, section "Profile
 * any game").
 *
 * Over several runs, `frames` and `gc` hold the median of each figure over the runs and `spread`
 * its minimum and maximum; `allocation` pools the runs' samples (more samples, a smaller error);
 * `heap` is the range over all runs; `runs[]` keeps every run's own figures.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, arch } from 'node:os';
import type { Browser } from 'playwright-core';
import { HITCH_RULES } from '../hitches.js';
import {
  LOW_FPS_PERCENTILE_DEFINITION,
  LOW_FPS_TIME_WEIGHTED_DEFINITION,
  PERCENTILE_DEFINITION,
} from '../statistics.js';
import {
  aggregateAllocations,
  DEFAULT_SAMPLING_INTERVAL_BYTES,
  MERGED_HEAD_NAME,
  type AllocationFigures,
  type SamplingNode,
  type SamplingProfile,
} from './allocation.js';
import { launchBrowser } from './chromium.js';
import { MISSED_FRAME_DEFINITION, type FrameFigures, type FrameRow, type GcEvent, type GcFigures } from './frames.js';
import type { LongAnimationFrame } from './probe.js';
import {
  profileRun,
  type HeapFigures,
  type ProfileProgress,
  type ProfileScript,
  type RunOptions,
  type RunProfile,
} from './run.js';
import { TRACE_CATEGORIES } from './trace.js';

/** Identifies the profile.json format. */
export const PROFILE_SCHEMA = 'steadyheap-profile/1';

/** Options of {@link profilePage}. Durations in ms. */
export interface ProfilePageOptions {
  /** Page to profile (http, https or file URL). */
  url: string;
  /** Name of this profile in reports (two labels compare side by side). Default `'profile'`. */
  label?: string;
  /** Measured window per run, ms. Default 10,000. */
  durationMs?: number;
  /** Time after load (and the script's setup) before measuring, ms. Default 5,000. */
  warmupMs?: number;
  /** Runs, each in a fresh browser context. Default 1. */
  runs?: number;
  /** Page size, CSS pixels. Default 1280 x 720. */
  viewport?: { width: number; height: number };
  /** Show the browser window. Default false. */
  headed?: boolean;
  /** Drives the page (see {@link ProfileScript}). */
  script?: ProfileScript;
  /** Mean bytes between allocation samples. Default {@link DEFAULT_SAMPLING_INTERVAL_BYTES}. */
  samplingIntervalBytes?: number;
  /** Frame budget for missed frames and the hitch rules, ms. Default: each run's median frame time. */
  budgetMs?: number;
  /** Navigation timeout, ms. Default 30,000. */
  navigationTimeoutMs?: number;
  /** Stop with an error when the page throws an uncaught exception. Default true. */
  failOnPageError?: boolean;
  /** Allocation sites kept, heaviest first. Default 50. */
  maxSites?: number;
  /** A browser to use (not closed); default: launch one and close it at the end. */
  browser?: Browser;
  /** Called while it runs (about 4 times a second). */
  onProgress?: (p: ProfileProgress) => void;
}

/** Run metadata of a profile. */
export interface ProfileMeta {
  url: string;
  label: string;
  /** Start of the profile, ISO 8601. */
  date: string;
  /** `steadyheap <version>`. */
  tool: string;
  browser: string;
  v8: string;
  userAgent: string;
  /** WebGL as the page sees it ("none" without WebGL) and whether it is a software renderer. */
  renderer: { api: string; vendor: string; renderer: string; software: boolean };
  viewport: { width: number; height: number };
  headed: boolean;
  durationS: number;
  warmupS: number;
  runs: number;
  samplingIntervalBytes: number;
  traceCategories: readonly string[];
  machine: {
    platform: string;
    arch: string;
    cpus: number;
    cpuModel: string;
    /** 1-minute load average at the start and the end of the profile (0 on Windows). */
    loadAverage1m: { start: number; end: number };
    node: string;
  };
}

/** Minimum and maximum of a figure over the runs. */
export interface Spread {
  min: number;
  max: number;
}

/** One run in profile.json. */
export interface RunFigures {
  run: number;
  frames: FrameFigures;
  gc: GcFigures;
  allocation: Pick<
    AllocationFigures,
    'frames' | 'bytesPerFrame' | 'error95BytesPerFrame' | 'samples' | 'upperBound95BytesPerFrame'
  >;
  heap: HeapFigures;
  longAnimationFrames: LongAnimationFrame[];
  pageErrors: string[];
}

/** The profile of one page (the content of profile.json). */
export interface PageProfile {
  schema: typeof PROFILE_SCHEMA;
  label: string;
  meta: ProfileMeta;
  frames: FrameFigures;
  gc: Omit<GcFigures, 'events'> & { events: (GcEvent & { run: number })[] };
  allocation: AllocationFigures;
  heap: HeapFigures;
  /** Minimum and maximum over the runs of the headline figures, by dotted path (`frames.p99Ms`). */
  spread: Record<string, Spread>;
  runs: RunFigures[];
  definitions: Record<string, unknown>;
  /** Per-frame rows of each run (written as CSV, not into profile.json). */
  rows?: FrameRow[][];
}

/** The headline figures whose spread over runs is reported, by dotted path. */
export const SPREAD_FIGURES: readonly string[] = [
  'frames.p50Ms',
  'frames.p99Ms',
  'frames.maxMs',
  'frames.missed',
  'frames.raf.p50Ms',
  'frames.raf.p99Ms',
  'gc.count',
  'gc.totalMs',
  'gc.maxMs',
  'gc.missedFramesWithGc',
  'gc.gcMsInMissedFrames',
  'allocation.bytesPerFrame',
  'heap.maxBytes',
];

/** Reads a dotted path (`frames.raf.p50Ms`) of an object; undefined when absent. */
export function figureAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * Median, over objects of the same shape, of every numeric leaf (NaN ignored; NaN when none is
 * finite); other leaves are taken from the first object. O(leaves × n log n).
 */
export function medianOfShapes<T>(items: readonly T[]): T {
  const first = items[0] as unknown;
  if (items.length <= 1 || first === null || typeof first !== 'object') return first as T;
  if (Array.isArray(first)) return first as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first as object)) {
    const values = items.map((i) => (i as Record<string, unknown>)[key]);
    const v0 = values[0];
    if (typeof v0 === 'number') {
      const finite = (values as number[]).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
      const n = finite.length;
      out[key] = n === 0 ? NaN : n % 2 ? finite[(n - 1) / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
    } else if (v0 !== null && typeof v0 === 'object' && !Array.isArray(v0)) {
      out[key] = medianOfShapes(values);
    } else out[key] = v0;
  }
  return out as T;
}

/** One sampling profile of several runs' (node ids renumbered), for pooled allocation figures. */
export function mergeSamplingProfiles(profiles: readonly SamplingProfile[]): SamplingProfile {
  if (profiles.length === 1) return profiles[0];
  let offset = 0;
  // Ordinals renumbered so that each run's follow the previous run's with a gap: consecutive
  // ordinals stay within one run (see `AllocationSite.moments`).
  let ordinalOffset = 0;
  const heads: SamplingNode[] = [];
  const samples: NonNullable<SamplingProfile['samples']> = [];
  for (const p of profiles) {
    let maxId = 0;
    const renumber = (n: SamplingNode): SamplingNode => {
      maxId = Math.max(maxId, n.id);
      return { ...n, id: n.id + offset, children: n.children.map(renumber) };
    };
    heads.push(renumber(p.head));
    let maxOrdinal = 0;
    for (const s of p.samples ?? []) {
      samples.push({ ...s, nodeId: s.nodeId + offset, ordinal: s.ordinal + ordinalOffset });
      maxOrdinal = Math.max(maxOrdinal, s.ordinal);
    }
    offset += maxId + 1;
    ordinalOffset += maxOrdinal + 2;
  }
  return {
    head: {
      callFrame: { functionName: MERGED_HEAD_NAME, url: '', lineNumber: -1, columnNumber: -1 },
      selfSize: 0,
      id: offset,
      children: heads,
    },
    samples,
  };
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '?';
  } catch {
    return '?';
  }
}

/** The browser's version and the WebGL renderer a page of it sees (opens and closes a blank context). */
export async function browserMetadata(browser: Browser): Promise<BrowserMetadata> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const version = (await cdp.send('Browser.getVersion')) as { product: string; userAgent: string; jsVersion: string };
    const webgl = (await page.evaluate(`(() => {
      const c = document.createElement('canvas');
      const gl = c.getContext('webgl2') || c.getContext('webgl');
      if (!gl) return { api: 'none', vendor: '', renderer: '' };
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      return {
        api: (typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext) ? 'webgl2' : 'webgl',
        vendor: String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR)),
        renderer: String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)),
      };
    })()`)) as { api: string; vendor: string; renderer: string };
    return {
      browser: version.product,
      v8: version.jsVersion,
      userAgent: version.userAgent,
      renderer: {
        ...webgl,
        software: /swiftshader|llvmpipe|software|softpipe/i.test(`${webgl.vendor} ${webgl.renderer}`),
      },
    };
  } finally {
    await context.close().catch(() => {});
  }
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Definitions behind the figures, written into profile.json and the report. */
export const PROFILE_DEFINITIONS: Record<string, unknown> = {
  frame:
    'from one requestAnimationFrame timestamp to the next (the probe wraps requestAnimationFrame before any page script runs)',
  missed: MISSED_FRAME_DEFINITION,
  rafMs: "time inside the page's requestAnimationFrame callbacks (Blink's ExecuteFrameCallbacks trace slices)",
  gc: 'MinorGC / MajorGC pauses on the page main thread (Chrome trace), each placed on the frame it started in',
  allocation:
    'V8 sampling heap profiler, objects collected by minor and major GC included; bytes per frame = sampled bytes / animation frames while sampling; error95 = 1.96 x sqrt(sum of squared sample weights) / frames',
  heap: 'JS heap in use (CDP Runtime.getHeapUsage), polled every 250 ms in the window',
  percentile: PERCENTILE_DEFINITION,
  lowFps: LOW_FPS_TIME_WEIGHTED_DEFINITION,
  lowFpsFromPercentile: LOW_FPS_PERCENTILE_DEFINITION,
  hitches: HITCH_RULES,
  runs: 'frames and gc: median of each figure over the runs (spread: min and max); allocation: all runs pooled; heap: range over all runs',
};

/** What {@link browserMetadata} returns: the browser and the WebGL renderer a page sees. */
export type BrowserMetadata = Pick<ProfileMeta, 'browser' | 'v8' | 'userAgent' | 'renderer'>;

/** The options of run `run` of a profile (what {@link profileRun} takes). */
export function runOptionsOf(o: ResolvedProfileOptions, run: number): RunOptions {
  return {
    url: o.url,
    label: o.label,
    run,
    runs: o.runs,
    durationMs: o.durationMs,
    warmupMs: o.warmupMs,
    viewport: o.viewport,
    samplingIntervalBytes: o.samplingIntervalBytes,
    budgetMs: o.budgetMs,
    navigationTimeoutMs: o.navigationTimeoutMs,
    failOnPageError: o.failOnPageError,
    script: o.script,
    maxSites: o.maxSites,
    onProgress: o.onProgress,
  };
}

/**
 * Profiles a page: `runs` fresh loads, each warmed up and measured (see {@link profileRun}).
 *
 * @returns the profile (profile.json's content, plus the per-frame rows in `rows`).
 * @throws TypeError / RangeError for bad options; ProfilerSetupError when playwright-core or a
 *   browser is missing; PageNotProfilableError when the page cannot be profiled.
 */
export async function profilePage(options: ProfilePageOptions): Promise<PageProfile> {
  const o = resolveOptions(options);
  const started = new Date();
  const loadStart = loadavg()[0];
  const launched = options.browser ? undefined : await launchBrowser({ headed: o.headed });
  const browser = options.browser ?? (launched?.browser as Browser);
  try {
    const bmeta = await browserMetadata(browser);
    const runs: RunProfile[] = [];
    for (let run = 1; run <= o.runs; run++) runs.push(await profileRun(browser, runOptionsOf(o, run)));
    return aggregateRuns(o, runs, bmeta, started, loadStart);
  } finally {
    if (launched) await launched.browser.close().catch(() => {});
  }
}

/**
 * One profile from runs measured separately (`profilePage` does this; a caller that interleaves
 * several pages' runs calls {@link profileRun} itself and then this). `frames` and `gc` are the
 * medians over the runs, `spread` their range, `allocation` the runs' samples pooled.
 *
 * @param o - the profile's options (`resolveOptions`), `o.runs` being `runs.length`.
 * @param startedAt - when the first run started; `loadStart` the 1-minute load average then.
 * @throws RangeError when `runs` is empty.
 */
export function aggregateRuns(
  o: ResolvedProfileOptions,
  runs: readonly RunProfile[],
  bmeta: BrowserMetadata,
  startedAt: Date,
  loadStart: number,
): PageProfile {
  if (runs.length === 0) throw new RangeError('aggregateRuns needs at least one run');
  const cpu = cpus();
  const meta: ProfileMeta = {
    url: o.url,
    label: o.label,
    date: startedAt.toISOString(),
    tool: `steadyheap ${packageVersion()}`,
    ...bmeta,
    viewport: o.viewport,
    headed: o.headed,
    durationS: o.durationMs / 1000,
    warmupS: o.warmupMs / 1000,
    runs: runs.length,
    samplingIntervalBytes: o.samplingIntervalBytes,
    traceCategories: TRACE_CATEGORIES,
    machine: {
      platform: platform(),
      arch: arch(),
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? '?',
      loadAverage1m: { start: round2(loadStart), end: round2(loadavg()[0]) },
      node: process.version,
    },
  };
  const frames = medianOfShapes(runs.map((r) => r.frames));
  const gcMedian = medianOfShapes(runs.map((r) => ({ ...r.gc, events: [] as GcEvent[] })));
  const totalFrames = runs.reduce((s, r) => s + r.allocation.frames, 0);
  const allocation = aggregateAllocations(
    mergeSamplingProfiles(runs.map((r) => r.samplingProfile)),
    totalFrames,
    o.samplingIntervalBytes,
    new URL(o.url).origin,
    o.maxSites,
    new Map(runs.flatMap((r) => [...r.scriptOwners])),
  );
  const heap: HeapFigures = {
    minBytes: Math.min(...runs.map((r) => r.heap.minBytes)),
    maxBytes: Math.max(...runs.map((r) => r.heap.maxBytes)),
    startBytes: runs[0].heap.startBytes,
    endBytes: runs[runs.length - 1].heap.endBytes,
  };
  const runFigures: RunFigures[] = runs.map((r) => ({
    run: r.run,
    frames: r.frames,
    gc: r.gc,
    allocation: {
      frames: r.allocation.frames,
      bytesPerFrame: r.allocation.bytesPerFrame,
      error95BytesPerFrame: r.allocation.error95BytesPerFrame,
      samples: r.allocation.samples,
      upperBound95BytesPerFrame: r.allocation.upperBound95BytesPerFrame,
    },
    heap: r.heap,
    longAnimationFrames: r.longAnimationFrames,
    pageErrors: r.pageErrors,
  }));
  const spread: Record<string, Spread> = {};
  for (const path of SPREAD_FIGURES) {
    const values = runFigures.map((r) => figureAt(r, path)).filter((v): v is number => typeof v === 'number');
    const finite = values.filter(Number.isFinite);
    spread[path] = finite.length
      ? { min: Math.min(...finite), max: Math.max(...finite) }
      : { min: Number.NaN, max: Number.NaN };
  }
  return {
    schema: PROFILE_SCHEMA,
    label: o.label,
    meta,
    frames,
    gc: { ...gcMedian, events: runs.flatMap((r) => r.gc.events.map((e) => ({ ...e, run: r.run }))) },
    allocation,
    heap,
    spread,
    runs: runFigures,
    definitions: PROFILE_DEFINITIONS,
    rows: runs.map((r) => r.rows),
  };
}

/** {@link ProfilePageOptions} with every default filled in (what {@link resolveOptions} returns). */
export type ResolvedProfileOptions = Required<
  Omit<ProfilePageOptions, 'browser' | 'script' | 'budgetMs' | 'onProgress' | 'label'>
> &
  Pick<ProfilePageOptions, 'script' | 'budgetMs' | 'onProgress'> & { label: string };
type Resolved = ResolvedProfileOptions;

function checkNumber(name: string, value: unknown, min: number, max: number, integer = false): void {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (!(value >= min && value <= max) || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${value}`);
  }
}

/** Fills in defaults and checks every option. */
export function resolveOptions(options: ProfilePageOptions): Resolved {
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const o = {
    label: 'profile',
    durationMs: 10_000,
    warmupMs: 5_000,
    runs: 1,
    viewport: { width: 1280, height: 720 },
    headed: false,
    samplingIntervalBytes: DEFAULT_SAMPLING_INTERVAL_BYTES,
    navigationTimeoutMs: 30_000,
    failOnPageError: true,
    maxSites: 50,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as Resolved;
  if (typeof o.url !== 'string') throw new TypeError(`url must be a string, got ${typeof o.url}`);
  let parsed: URL;
  try {
    parsed = new URL(o.url);
  } catch {
    throw new RangeError(`url must be an absolute http, https or file URL, got ${o.url}`);
  }
  if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) {
    throw new RangeError(`url must be an http, https or file URL, got ${o.url}`);
  }
  if (typeof o.label !== 'string' || !/^[\w.-]{1,64}$/.test(o.label)) {
    throw new RangeError(`label must be 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(o.label)}`);
  }
  checkNumber('durationMs', o.durationMs, 500, 3_600_000);
  checkNumber('warmupMs', o.warmupMs, 0, 3_600_000);
  checkNumber('runs', o.runs, 1, 100, true);
  checkNumber('viewport.width', o.viewport?.width, 1, 16384, true);
  checkNumber('viewport.height', o.viewport?.height, 1, 16384, true);
  checkNumber('samplingIntervalBytes', o.samplingIntervalBytes, 16, 1 << 24, true);
  checkNumber('navigationTimeoutMs', o.navigationTimeoutMs, 1, 3_600_000);
  checkNumber('maxSites', o.maxSites, 1, 100_000, true);
  if (o.budgetMs !== undefined) checkNumber('budgetMs', o.budgetMs, 0.1, 10_000);
  return o;
}
