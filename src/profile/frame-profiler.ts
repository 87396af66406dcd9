/**
 * FrameProfiler: frame times, CPU times and entity counts per frame in preallocated typed-array
 * ring buffers, with the summary a game developer expects from CapFrameX or PresentMon
 * (percentiles, 1% / 0.1% lows under named definitions, hitches under named rules, stutter time).
 *
 * Recording (`record`, `recordUs`, `beginFrame`/`endFrame`, `noteGc`) and the live queries used
 * by an overlay (`windowPercentile`, `windowMax`, `copyRecentFrameMs`) allocate nothing. The
 * reports (`summary`, `histogram`, `toCSV`, `toJSON`) allocate and are meant for the end of a run.
 *
 * "Allocates nothing" holds for V8's optimized code, which keeps doubles unboxed; until a function
 * is optimized, V8's interpreter boxes every fractional double it computes (true of any JS). A
 * function called once per frame can take many seconds of frames to be optimized: measure
 * steady-state garbage after a long warm-up (`npm run profile` waits 30 s before sampling).
 * Even optimized, the *caller* boxes a fractional double it passes to a call V8 does not inline
 * (16 bytes per argument per call): `record(frameMs, cpuMs, ...)` once per frame from a frame loop
 * too large to inline into can cost 16-32 B/frame at the call site. `recordUs` takes whole
 * microseconds instead: small integers (below 2^30) are tagged in place and never boxed, and the
 * division to ms happens inside, into the typed-array ring. Internally no double crosses a call
 * either: the frame and CPU times go from `record`/`recordUs`/`endFrame` to the shared ring write
 * through a typed-array cell.
 *
 * Browser-safe: no Node imports. Node GC pauses can be fed in with `noteGc` (see `GcTracker`).
 *
 * @module
 */
import { checkInteger, checkOptions, describeValue } from '../errors.js';
import {
  LOW_FPS_PERCENTILE_DEFINITION,
  LOW_FPS_TIME_WEIGHTED_DEFINITION,
  PERCENTILE_DEFINITION,
  lowFpsTimeWeighted,
  percentileSorted,
  percentileUnsorted,
  sortPrefix,
} from './statistics.js';
import { HITCH_RULES, countHitches, type HitchCounts } from './hitches.js';

/** Largest ring the profiler accepts, in frames (about 4.6 hours at 60 fps). */
export const MAX_PROFILER_CAPACITY = 1 << 20;

/**
 * Longest frame, CPU time or GC pause the profiler accepts, ms (one hour). A longer value is a
 * unit mistake or a suspended process; rejecting it keeps every sum (`seconds`, `meanMs`) finite:
 * even 2^53 frames of one hour sum to about 3e22 ms.
 */
export const MAX_FRAME_MS = 3_600_000;

/**
 * Longest frame or CPU time {@link FrameProfiler.recordUs} accepts, µs: {@link MAX_FRAME_MS} in
 * microseconds (3.6e9). Frame times in practice are far below 2^30 µs (18 minutes), the range of
 * V8's small integers.
 */
export const MAX_FRAME_US = MAX_FRAME_MS * 1000;

/** The `cpuUs` of {@link FrameProfiler.recordUs} that means "CPU time unknown" (recorded as NaN ms). */
export const UNKNOWN_CPU_US = -1;

/** Largest count a `live` / `spawned` / `freed` / GC-count column can hold (Uint32). */
const MAX_COUNT = 0xffff_ffff;

/** Options of {@link FrameProfiler}. */
export interface FrameProfilerOptions {
  /** Ring size in frames, integer in [2, 2^20]. Default 3600 (one minute at 60 fps). */
  capacity?: number;
  /** Millisecond clock read by `beginFrame` / `endFrame`. Default `() => performance.now()`. */
  clock?: () => number;
  /** Frame budget in ms used by the "jump over budget" hitch rule. Default 1000 / 60. */
  budgetMs?: number;
  /** Frames in the rolling median of the "twice the rolling median" hitch rule, [1, 10000]. Default 60. */
  rollingWindowFrames?: number;
}

/** What {@link FrameProfiler.summary} returns. Times in ms, rates in frames per second. */
export interface FrameSummary {
  /** Frames held in the ring (the summary covers these only). */
  frames: number;
  /** Sum of their frame times, in seconds. */
  seconds: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  minMs: number;
  maxMs: number;
  /** Population standard deviation of frame times. */
  stdDevMs: number;
  /** frames / seconds. */
  avgFps: number;
  /** 1% low, time-weighted (CapFrameX / MSI Afterburner definition, see `statistics.ts`). */
  low1PctFps: number;
  /** 0.1% low, time-weighted (CapFrameX / MSI Afterburner definition). */
  low01PctFps: number;
  /** 1% low as 1000 / p99Ms. */
  low1PctFpsFromP99: number;
  /** 0.1% low as 1000 / p999Ms. */
  low01PctFpsFromP999: number;
  hitches: HitchCounts;
  /** Share in [0, 1] of the total time spent in frames flagged by any hitch rule. */
  stutterTimeShare: number;
  /** Mean and p99 of the CPU time per frame (NaN when no CPU times were recorded). */
  cpuMeanMs: number;
  cpuP99Ms: number;
  /** GC collections and pause time noted with `noteGc` over the held frames. */
  gcCount: number;
  gcMs: number;
  /** Smallest and largest `live` count recorded. */
  liveMin: number;
  liveMax: number;
  /** Budget and rolling window used by the hitch rules. */
  budgetMs: number;
  rollingWindowFrames: number;
  /** The definitions behind the figures above. */
  definitions: {
    percentile: string;
    lowFps: string;
    lowFpsFromPercentile: string;
    hitches: typeof HITCH_RULES;
    stutterTimeShare: string;
  };
}

/** What {@link FrameProfiler.histogram} returns. */
export interface FrameHistogram {
  /** Lower edge of the first bin, ms. */
  minMs: number;
  /** Width of every bin, ms. */
  binMs: number;
  /** Frames per bin; bin i covers [minMs + i*binMs, minMs + (i+1)*binMs), the last bin is closed. */
  counts: number[];
}

/** Per-frame GC figures supplied from outside (for example from a Chromium trace), oldest held frame first. */
export interface PerFrameGc {
  count: ArrayLike<number>;
  ms: ArrayLike<number>;
}

/** The CSV header written by {@link FrameProfiler.toCSV}. */
export const FRAME_CSV_COLUMNS = [
  'frame',
  't_ms',
  'frame_ms',
  'cpu_ms',
  'live',
  'spawned',
  'freed',
  'gc_count',
  'gc_ms',
] as const;

const defaultClock = () => performance.now();

/** Slot of `clocks`: sum of all recorded frame times since the last reset, ms. */
const ELAPSED_MS = 0;
/** Slot of `clocks`: clock reading at the latest `beginFrame`, ms (NaN before any). */
const BEGIN_MS = 1;
/** Slot of `clocks`: clock reading at the `beginFrame` before it, ms (NaN before any). */
const PREV_BEGIN_MS = 2;
/** Slot of `clocks`: GC pause noted with `noteGc` for the frame in progress, ms. */
const PENDING_GC_MS = 3;
/** Slot of `clocks`: frame time of the validated frame being written to the ring, ms. */
const WRITE_FRAME_MS = 4;
/** Slot of `clocks`: CPU time (or NaN) of the validated frame being written to the ring, ms. */
const WRITE_CPU_MS = 5;

function checkMs(name: string, value: number, allowNaN: boolean): void {
  // Hot path: a single comparison chain on success, the message only on failure.
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  if (value >= 0 && value <= MAX_FRAME_MS) return;
  if (allowNaN && value !== value) return;
  throw new RangeError(
    `${name} must be a number of ms in [0, ${MAX_FRAME_MS}] (MAX_FRAME_MS, one hour)${allowNaN ? ' or NaN' : ''}, got ${describeValue(value)}`,
  );
}

/** Throws the error owed for a clock reading that is not a finite number (failure path only). */
function rejectClock(value: unknown): never {
  if (typeof value !== 'number') {
    throw new TypeError(`FrameProfiler: options.clock() must return a number of ms, got ${describeValue(value)}`);
  }
  throw new RangeError(`FrameProfiler: options.clock() must return a finite number of ms, got ${describeValue(value)}`);
}

function isCount(value: number): boolean {
  return typeof value === 'number' && value >= 0 && value <= MAX_COUNT && Number.isInteger(value);
}

/** True for a whole number of µs in [0, MAX_FRAME_US]. */
function isUs(value: number): boolean {
  return typeof value === 'number' && value >= 0 && value <= MAX_FRAME_US && Number.isInteger(value);
}

/** Throws the error owed for a µs argument of `recordUs` (failure path only). */
function checkUs(name: string, value: number, allowUnknown: boolean): void {
  if (isUs(value) || (allowUnknown && value === UNKNOWN_CPU_US)) return;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of µs, got ${describeValue(value)}`);
  throw new RangeError(
    `${name} must be an integer number of µs in [0, ${MAX_FRAME_US}] (MAX_FRAME_US, one hour)` +
      `${allowUnknown ? ' or -1 (UNKNOWN_CPU_US)' : ''}, got ${describeValue(value)}`,
  );
}

/** Throws the error that `recordUs` owes for its arguments (failure path only). */
function rejectFrameUs(frameUs: number, cpuUs: number, live: number, spawned: number, freed: number): never {
  checkUs('frameUs', frameUs, false);
  checkUs('cpuUs', cpuUs, true);
  checkCount('live', live);
  checkCount('spawned', spawned);
  checkCount('freed', freed);
  throw new RangeError('frame rejected'); // unreachable: one of the checks above throws
}

/** Throws the error that `record` owes for its arguments (failure path only). */
function rejectFrame(frameMs: number, cpuMs: number, live: number, spawned: number, freed: number): never {
  checkMs('frameMs', frameMs, false);
  checkMs('cpuMs', cpuMs, true);
  checkCount('live', live);
  checkCount('spawned', spawned);
  checkCount('freed', freed);
  throw new RangeError('frame rejected'); // unreachable: one of the checks above throws
}

function checkCount(name: string, value: number): void {
  if (isCount(value)) return;
  checkInteger(name, value, 0, MAX_COUNT);
}

/**
 * Frame-time profiler over fixed-size ring buffers.
 *
 * ```ts
 * const prof = new FrameProfiler({ capacity: 3600, budgetMs: 1000 / 60 });
 * function tick() { prof.beginFrame(); update(); render(); prof.endFrame(live, spawned, freed); }
 * prof.windowPercentile(99, 120);   // p99 of the last 120 frames, allocation-free
 * console.table(prof.summary());
 * ```
 *
 * Memory: 56 bytes per frame of capacity (five Float64 columns, the scratch column included, and
 * four Uint32 columns): about 202 KB for the default 3600 frames, allocated once in the
 * constructor.
 */
export class FrameProfiler {
  /** Ring size in frames. */
  readonly capacity: number;
  /** Frame budget, ms. */
  readonly budgetMs: number;
  /** Window of the rolling-median hitch rule, frames. */
  readonly rollingWindowFrames: number;
  private readonly clock: () => number;

  // Ring columns, indexed by ring slot.
  private readonly frameMsRing: Float64Array;
  private readonly cpuMsRing: Float64Array;
  private readonly tMsRing: Float64Array; // end of the frame, ms since the first recorded frame began
  private readonly liveRing: Uint32Array;
  private readonly spawnedRing: Uint32Array;
  private readonly freedRing: Uint32Array;
  private readonly gcCountRing: Uint32Array;
  private readonly gcMsRing: Float64Array;
  private readonly scratch: Float64Array;

  private head = 0; // ring slot the next frame goes to
  private held = 0; // frames in the ring
  private recorded = 0; // frames recorded since construction or reset
  /**
   * The profiler's running doubles, in a typed array rather than object fields: a typed-array
   * store never boxes a double, whatever representation V8 picked for a field. Slots:
   * {@link ELAPSED_MS}, {@link BEGIN_MS}, {@link PREV_BEGIN_MS}, {@link PENDING_GC_MS},
   * {@link WRITE_FRAME_MS}, {@link WRITE_CPU_MS}.
   */
  private readonly clocks = Float64Array.of(0, NaN, NaN, 0, 0, NaN);
  private inFrame = false;
  private pendingGcCount = 0;

  /**
   * @throws TypeError for a non-object options bag, an unknown option, or a non-function clock.
   * @throws RangeError for a capacity, budget or window outside its range.
   */
  constructor(options?: FrameProfilerOptions) {
    const o = checkOptions('FrameProfiler options', options, ['capacity', 'clock', 'budgetMs', 'rollingWindowFrames']);
    this.capacity = checkInteger('capacity', o.capacity ?? 3600, 2, MAX_PROFILER_CAPACITY);
    const budgetMs = o.budgetMs ?? 1000 / 60;
    if (typeof budgetMs !== 'number') throw new TypeError(`budgetMs must be a number, got ${describeValue(budgetMs)}`);
    if (!(budgetMs > 0 && budgetMs < Infinity)) {
      throw new RangeError(`budgetMs must be a finite number > 0, got ${describeValue(budgetMs)}`);
    }
    this.budgetMs = budgetMs;
    this.rollingWindowFrames = checkInteger('rollingWindowFrames', o.rollingWindowFrames ?? 60, 1, 10_000);
    const clock = o.clock ?? defaultClock;
    if (typeof clock !== 'function') throw new TypeError(`clock must be a function, got ${describeValue(clock)}`);
    this.clock = clock;
    const n = this.capacity;
    this.frameMsRing = new Float64Array(n);
    this.cpuMsRing = new Float64Array(n);
    this.tMsRing = new Float64Array(n);
    this.liveRing = new Uint32Array(n);
    this.spawnedRing = new Uint32Array(n);
    this.freedRing = new Uint32Array(n);
    this.gcCountRing = new Uint32Array(n);
    this.gcMsRing = new Float64Array(n);
    this.scratch = new Float64Array(n);
  }

  /** Frames currently held (at most `capacity`). */
  get frames(): number {
    return this.held;
  }

  /** Frames recorded since construction or the last `reset()` (keeps counting past `capacity`). */
  get totalFrames(): number {
    return this.recorded;
  }

  /**
   * Records one frame. O(1), allocates nothing. GC figures noted with `noteGc` since the previous
   * frame are attached to this one.
   *
   * @param frameMs - time since the previous frame began, ms, in `[0, MAX_FRAME_MS]` (one hour).
   * @param cpuMs - work time of the frame, ms, in `[0, MAX_FRAME_MS]`, or NaN for unknown (default).
   * @param live - live entities (particles) at the end of the frame, integer in [0, 2^32).
   * @param spawned - entities created this frame.
   * @param freed - entities destroyed this frame.
   * @throws TypeError / RangeError for an argument out of its domain; nothing is recorded then.
   * @see recordUs - the same in whole µs, for a frame loop that must allocate nothing even where
   *   V8 does not inline this call (a fractional `frameMs` argument is boxed at such a call site).
   */
  record(frameMs: number, cpuMs = NaN, live = 0, spawned = 0, freed = 0): void {
    // One branch on the success path keeps this small enough for V8 to inline at call sites
    // (a double argument crossing a call that is not inlined is boxed: 16 bytes of garbage).
    if (
      !(
        typeof frameMs === 'number' &&
        frameMs >= 0 &&
        frameMs <= MAX_FRAME_MS &&
        typeof cpuMs === 'number' &&
        ((cpuMs >= 0 && cpuMs <= MAX_FRAME_MS) || cpuMs !== cpuMs) &&
        isCount(live) &&
        isCount(spawned) &&
        isCount(freed)
      )
    ) {
      rejectFrame(frameMs, cpuMs, live, spawned, freed);
    }
    const clocks = this.clocks;
    clocks[WRITE_FRAME_MS] = frameMs;
    clocks[WRITE_CPU_MS] = cpuMs;
    this.write(live, spawned, freed);
  }

  /**
   * Records one frame given in whole microseconds: the same frame as
   * `record(frameUs / 1000, cpuUs === -1 ? NaN : cpuUs / 1000, live, spawned, freed)`. O(1),
   * allocates nothing, and neither does the call to it: every argument is an integer, which V8
   * passes as a small integer (below 2^30) without boxing, while a fractional `frameMs` passed to
   * a `record` call V8 does not inline is boxed into a new 16-byte heap number at the call site.
   * Use it from a frame loop that must allocate nothing (the particle demo does:
   * `Math.round(frameMs * 1000)` inside the loop stays an unboxed double until it is an integer).
   * Rounding to 1 µs changes no percentile by more than 0.5 µs.
   *
   * @param frameUs - time since the previous frame began, µs, integer in
   *   `[0, MAX_FRAME_MS * 1000]` (one hour; `MAX_FRAME_US` in this module).
   * @param cpuUs - work time of the frame, µs, integer in the same range, or -1 (the default,
   *   `UNKNOWN_CPU_US` in this module) when unknown; recorded as NaN ms then.
   * @param live - live entities (particles) at the end of the frame, integer in [0, 2^32).
   * @param spawned - entities created this frame.
   * @param freed - entities destroyed this frame.
   * @throws TypeError for a non-number argument (no coercion); RangeError for a fractional,
   *   negative or too-large one, naming it, its value and its range. Nothing is recorded then.
   */
  recordUs(frameUs: number, cpuUs = UNKNOWN_CPU_US, live = 0, spawned = 0, freed = 0): void {
    if (
      !(
        isUs(frameUs) &&
        (isUs(cpuUs) || cpuUs === UNKNOWN_CPU_US) &&
        isCount(live) &&
        isCount(spawned) &&
        isCount(freed)
      )
    ) {
      rejectFrameUs(frameUs, cpuUs, live, spawned, freed);
    }
    const clocks = this.clocks;
    clocks[WRITE_FRAME_MS] = frameUs / 1000;
    clocks[WRITE_CPU_MS] = cpuUs === UNKNOWN_CPU_US ? NaN : cpuUs / 1000;
    this.write(live, spawned, freed);
  }

  /**
   * Appends a validated frame to the ring: frame and CPU time (ms) from the `clocks` cells
   * {@link WRITE_FRAME_MS} and {@link WRITE_CPU_MS} (so no double crosses this call), the counts
   * from the arguments. O(1).
   */
  private write(live: number, spawned: number, freed: number): void {
    const i = this.head;
    const clocks = this.clocks;
    clocks[ELAPSED_MS] += clocks[WRITE_FRAME_MS];
    this.frameMsRing[i] = clocks[WRITE_FRAME_MS];
    this.cpuMsRing[i] = clocks[WRITE_CPU_MS];
    this.tMsRing[i] = clocks[ELAPSED_MS];
    this.liveRing[i] = live;
    this.spawnedRing[i] = spawned;
    this.freedRing[i] = freed;
    this.gcCountRing[i] = Math.min(this.pendingGcCount, MAX_COUNT);
    this.gcMsRing[i] = this.clocks[PENDING_GC_MS];
    this.pendingGcCount = 0;
    this.clocks[PENDING_GC_MS] = 0;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.held < this.capacity) this.held++;
    this.recorded++;
  }

  /**
   * Marks the start of a frame by reading the clock. O(1), allocates nothing. The frame time
   * recorded by the matching `endFrame` is the interval between this call and the previous
   * `beginFrame` (the delta a game loop sees, like Pixi's `Ticker.deltaMS`); the first
   * `beginFrame` after construction or `reset()` only starts the clock.
   *
   * @throws TypeError when `options.clock()` returns a non-number; RangeError when it returns NaN
   *   or an infinity. Nothing changes then.
   */
  beginFrame(): void {
    const nowMs = this.clock();
    if (!(typeof nowMs === 'number' && nowMs > -Infinity && nowMs < Infinity)) rejectClock(nowMs);
    this.clocks[PREV_BEGIN_MS] = this.clocks[BEGIN_MS];
    this.clocks[BEGIN_MS] = nowMs;
    this.inFrame = true;
  }

  /**
   * Ends the frame begun by `beginFrame` and records it (see `beginFrame` for which interval),
   * with `cpuMs = clock() - begin`. Records nothing after the very first `beginFrame` (no interval
   * yet). O(1), allocates nothing.
   *
   * @returns true when a frame was recorded.
   * @throws Error when no `beginFrame` is open; TypeError / RangeError when `options.clock()`
   *   returns a non-number or a non-finite number; RangeError for bad counts, a clock running
   *   backwards, or a frame or CPU time above `MAX_FRAME_MS`. Nothing is recorded then.
   */
  endFrame(live = 0, spawned = 0, freed = 0): boolean {
    if (!this.inFrame) throw new Error('FrameProfiler.endFrame() without a matching beginFrame()');
    const nowMs = this.clock();
    if (!(typeof nowMs === 'number' && nowMs > -Infinity && nowMs < Infinity)) rejectClock(nowMs);
    const beginMs = this.clocks[BEGIN_MS];
    const prevBeginMs = this.clocks[PREV_BEGIN_MS];
    if (prevBeginMs !== prevBeginMs) {
      this.inFrame = false;
      return false;
    }
    const frameMs = beginMs - prevBeginMs;
    const cpuMs = nowMs - beginMs;
    if (
      !(
        frameMs >= 0 &&
        frameMs <= MAX_FRAME_MS &&
        cpuMs >= 0 &&
        cpuMs <= MAX_FRAME_MS &&
        isCount(live) &&
        isCount(spawned) &&
        isCount(freed)
      )
    ) {
      rejectFrame(frameMs, cpuMs, live, spawned, freed);
    }
    this.clocks[WRITE_FRAME_MS] = frameMs;
    this.clocks[WRITE_CPU_MS] = cpuMs;
    this.write(live, spawned, freed);
    this.inFrame = false;
    return true;
  }

  /**
   * Adds garbage collections to the frame in progress (they are written with the next recorded
   * frame). O(1), allocates nothing. `GcTracker` calls this for Node; in a browser, per-frame GC
   * comes from a trace instead (see `toCSV(gc)`).
   *
   * @param count - collections, integer in [0, 2^32).
   * @param pauseMs - their total pause, ms, in `[0, MAX_FRAME_MS]`.
   * @throws TypeError for a non-number; RangeError for a value out of its range. Nothing changes then.
   */
  noteGc(count: number, pauseMs: number): void {
    checkCount('count', count);
    checkMs('pauseMs', pauseMs, false);
    this.pendingGcCount += count;
    this.clocks[PENDING_GC_MS] += pauseMs;
  }

  /** Ring slot of the `k`-th held frame, oldest first. */
  private slotOf(k: number): number {
    const s = this.head - this.held + k;
    return s < 0 ? s + this.capacity : s;
  }

  /** Copies the frame times of the newest `n` held frames into scratch[0..n); returns n. */
  private loadRecent(lastFrames: number): number {
    const n = Math.min(lastFrames, this.held);
    const first = this.held - n;
    for (let k = 0; k < n; k++) this.scratch[k] = this.frameMsRing[this.slotOf(first + k)];
    return n;
  }

  /**
   * The `p`-th percentile (definition: linear interpolation between closest ranks, see
   * `statistics.ts`) of the newest `lastFrames` frame times, ms. O(lastFrames) expected
   * (quickselect on preallocated scratch), allocates nothing. NaN when no frame is held.
   *
   * @param p - percentile in [0, 100].
   * @param lastFrames - window, integer in [0, 2^32) (clamped to the frames held; 0 gives NaN).
   *   Default: all held frames.
   * @throws TypeError for a non-number `p` or window (strings, `null`, arrays, booleans are not
   *   coerced); RangeError for `p` outside [0, 100] (or NaN) or a fractional/negative window.
   */
  windowPercentile(p: number, lastFrames: number = this.capacity): number {
    checkCount('lastFrames', lastFrames);
    // `p` is checked by percentileUnsorted; a bad one wastes only the copy into scratch (no state).
    const n = this.loadRecent(lastFrames);
    return percentileUnsorted(this.scratch, n, p);
  }

  /**
   * The longest of the newest `lastFrames` frame times, ms (NaN when no frame is held). O(window),
   * allocates nothing.
   *
   * @throws TypeError for a non-number window; RangeError for a fractional or negative one.
   */
  windowMax(lastFrames: number = this.capacity): number {
    checkCount('lastFrames', lastFrames);
    const n = Math.min(lastFrames, this.held);
    let max = n === 0 ? NaN : -Infinity;
    for (let k = this.held - n; k < this.held; k++) {
      const v = this.frameMsRing[this.slotOf(k)];
      if (v > max) max = v;
    }
    return max;
  }

  /**
   * Copies the newest `min(out.length, frames)` frame times (ms) into `out`, oldest first, from
   * `out[0]`. O(out.length), allocates nothing; for drawing a frame-time graph.
   *
   * @returns how many values were written.
   * @throws TypeError when `out` is not a `Float32Array` or `Float64Array`.
   */
  copyRecentFrameMs(out: Float32Array | Float64Array): number {
    if (!(out instanceof Float64Array || out instanceof Float32Array)) {
      throw new TypeError(`out must be a Float32Array or Float64Array, got ${describeValue(out)}`);
    }
    const n = Math.min(out.length, this.held);
    const first = this.held - n;
    for (let k = 0; k < n; k++) out[k] = this.frameMsRing[this.slotOf(first + k)];
    return n;
  }

  /** Empties the ring and restarts the clock pairing and the frame counter. O(1). */
  reset(): void {
    this.head = 0;
    this.held = 0;
    this.recorded = 0;
    this.clocks[ELAPSED_MS] = 0;
    this.clocks[BEGIN_MS] = NaN;
    this.clocks[PREV_BEGIN_MS] = NaN;
    this.inFrame = false;
    this.pendingGcCount = 0;
    this.clocks[PENDING_GC_MS] = 0;
  }

  /**
   * Statistics over the held frames (see {@link FrameSummary}; every definition is named in its
   * `definitions` field). O(n log n + n·W) for n held frames and the rolling window W;
   * allocates the result and O(n) temporaries. With no frames, times are NaN and counts 0.
   */
  summary(): FrameSummary {
    const n = this.held;
    const ordered = new Float64Array(n);
    let totalMs = 0;
    let cpuSum = 0;
    let cpuN = 0;
    let gcCount = 0;
    let gcMs = 0;
    let liveMin = n === 0 ? NaN : Infinity;
    let liveMax = n === 0 ? NaN : -Infinity;
    const cpu = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const s = this.slotOf(k);
      const v = this.frameMsRing[s];
      ordered[k] = v;
      totalMs += v;
      const c = this.cpuMsRing[s];
      if (c === c) {
        cpu[cpuN++] = c;
        cpuSum += c;
      }
      gcCount += this.gcCountRing[s];
      gcMs += this.gcMsRing[s];
      const live = this.liveRing[s];
      if (live < liveMin) liveMin = live;
      if (live > liveMax) liveMax = live;
    }
    const meanMs = n === 0 ? NaN : totalMs / n;
    let sq = 0;
    for (let k = 0; k < n; k++) sq += (ordered[k] - meanMs) ** 2;
    const hitches = countHitches(ordered, n, this.budgetMs, this.rollingWindowFrames);
    const sorted = Float64Array.from(ordered);
    sortPrefix(sorted, n);
    sortPrefix(cpu, cpuN);
    const pct = (p: number) => percentileSorted(sorted, n, p);
    const p99Ms = pct(99);
    const p999Ms = pct(99.9);
    return {
      frames: n,
      seconds: totalMs / 1000,
      meanMs,
      p50Ms: pct(50),
      p90Ms: pct(90),
      p95Ms: pct(95),
      p99Ms,
      p999Ms,
      minMs: n === 0 ? NaN : sorted[0],
      maxMs: n === 0 ? NaN : sorted[n - 1],
      stdDevMs: n === 0 ? NaN : Math.sqrt(sq / n),
      avgFps: totalMs > 0 ? (n * 1000) / totalMs : NaN,
      low1PctFps: lowFpsTimeWeighted(sorted, n, totalMs, 1),
      low01PctFps: lowFpsTimeWeighted(sorted, n, totalMs, 0.1),
      low1PctFpsFromP99: 1000 / p99Ms,
      low01PctFpsFromP999: 1000 / p999Ms,
      hitches: hitches.counts,
      stutterTimeShare: totalMs > 0 ? hitches.hitchMs / totalMs : 0,
      cpuMeanMs: cpuN === 0 ? NaN : cpuSum / cpuN,
      cpuP99Ms: percentileSorted(cpu, cpuN, 99),
      gcCount,
      gcMs,
      liveMin,
      liveMax,
      budgetMs: this.budgetMs,
      rollingWindowFrames: this.rollingWindowFrames,
      definitions: {
        percentile: PERCENTILE_DEFINITION,
        lowFps: LOW_FPS_TIME_WEIGHTED_DEFINITION,
        lowFpsFromPercentile: LOW_FPS_PERCENTILE_DEFINITION,
        hitches: HITCH_RULES,
        stutterTimeShare: 'time in frames flagged by any hitch rule / total time',
      },
    };
  }

  /**
   * Histogram of the held frame times: `binCount` equal bins over [minMs, maxMs] (defaults: 0 and
   * the longest frame). Frames outside the range are clamped into the first or last bin.
   * O(n + binCount); allocates the result.
   *
   * @throws TypeError for a non-number `binCount`, `minMs` or `maxMs` (`maxMs` may be undefined).
   * @throws RangeError for `binCount` outside [1, 10000], a negative or non-finite `minMs`, or
   *   `maxMs <= minMs` / non-finite.
   */
  histogram(binCount = 50, minMs = 0, maxMs?: number): FrameHistogram {
    checkInteger('binCount', binCount, 1, 10_000);
    if (typeof minMs !== 'number') throw new TypeError(`minMs must be a number, got ${describeValue(minMs)}`);
    if (maxMs !== undefined && typeof maxMs !== 'number') {
      throw new TypeError(`maxMs must be a number or undefined, got ${describeValue(maxMs)}`);
    }
    const top = maxMs ?? Math.max(this.held === 0 ? 0 : this.windowMax(), minMs + 1);
    if (!(top > minMs && top < Infinity && minMs >= 0)) {
      throw new RangeError(`histogram range must satisfy 0 <= minMs < maxMs < Infinity, got [${minMs}, ${top}]`);
    }
    const binMs = (top - minMs) / binCount;
    const counts = new Array<number>(binCount).fill(0);
    for (let k = 0; k < this.held; k++) {
      const v = this.frameMsRing[this.slotOf(k)];
      const b = Math.min(binCount - 1, Math.max(0, Math.floor((v - minMs) / binMs)));
      counts[b]++;
    }
    return { minMs, binMs, counts };
  }

  /**
   * Per-frame CSV of the held frames, oldest first, with the header {@link FRAME_CSV_COLUMNS}
   * (`frame` is the index since the last reset, `t_ms` the end of the frame since the first
   * recorded frame began). `cpu_ms` is empty when unknown. O(n); allocates the string.
   *
   * @param gc - optional per-frame GC figures (oldest held frame first, length >= frames) that
   *   replace the ones noted with `noteGc`, e.g. from a browser trace aligned to frames.
   * @throws TypeError when `gc` is given but is not an object with array-like `count` and `ms` of
   *   numbers; RangeError when they are shorter than the frames held, or hold a negative,
   *   fractional (count) or non-finite value.
   */
  toCSV(gc?: PerFrameGc): string {
    const n = this.held;
    if (gc !== undefined) checkPerFrameGc(gc, n);
    const lines: string[] = [FRAME_CSV_COLUMNS.join(',')];
    const firstFrame = this.recorded - n;
    for (let k = 0; k < n; k++) {
      const s = this.slotOf(k);
      const cpu = this.cpuMsRing[s];
      const gcCount = gc ? gc.count[k] : this.gcCountRing[s];
      const gcMs = gc ? gc.ms[k] : this.gcMsRing[s];
      lines.push(
        `${firstFrame + k},${round3(this.tMsRing[s])},${round3(this.frameMsRing[s])},${cpu === cpu ? round3(cpu) : ''},` +
          `${this.liveRing[s]},${this.spawnedRing[s]},${this.freedRing[s]},${gcCount},${round3(gcMs)}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }

  /** Summary JSON (called by `JSON.stringify(profiler)`): `{ capacity, totalFrames, summary, histogram }`. */
  toJSON(): { capacity: number; totalFrames: number; summary: FrameSummary; histogram: FrameHistogram } {
    return {
      capacity: this.capacity,
      totalFrames: this.recorded,
      summary: this.summary(),
      histogram: this.histogram(),
    };
  }

  /**
   * Validates the ring: held <= capacity, head in range, held frame times and CPU times in
   * `[0, MAX_FRAME_MS]` (CPU may be NaN), end times finite and increasing, the running sum finite.
   * O(n). Throws Error naming the first violation.
   */
  check(): void {
    if (this.held > this.capacity || this.held > this.recorded) throw new Error(`held ${this.held} out of range`);
    if (!(this.head >= 0 && this.head < this.capacity)) throw new Error(`head ${this.head} out of range`);
    let prevT = -Infinity;
    for (let k = 0; k < this.held; k++) {
      const s = this.slotOf(k);
      const v = this.frameMsRing[s];
      if (!(v >= 0 && v <= MAX_FRAME_MS)) throw new Error(`frame ${k}: frame_ms ${v} invalid`);
      const cpu = this.cpuMsRing[s];
      if (!((cpu >= 0 && cpu <= MAX_FRAME_MS) || cpu !== cpu)) throw new Error(`frame ${k}: cpu_ms ${cpu} invalid`);
      if (!(this.tMsRing[s] < Infinity)) throw new Error(`frame ${k}: t_ms ${this.tMsRing[s]} not finite`);
      if (!(this.tMsRing[s] >= prevT)) throw new Error(`frame ${k}: t_ms ${this.tMsRing[s]} before ${prevT}`);
      prevT = this.tMsRing[s];
    }
  }
}

/** Validates the `gc` argument of `toCSV` (O(n)); throws TypeError / RangeError naming the entry. */
function checkPerFrameGc(gc: unknown, n: number): void {
  if (gc === null || typeof gc !== 'object')
    throw new TypeError(`gc must be an object { count, ms }, got ${describeValue(gc)}`);
  const { count, ms } = gc as { count?: unknown; ms?: unknown };
  for (const [name, column] of [
    ['gc.count', count],
    ['gc.ms', ms],
  ] as const) {
    if (column === null || typeof column !== 'object' || typeof (column as { length?: unknown }).length !== 'number') {
      throw new TypeError(`${name} must be an array or typed array of numbers, got ${describeValue(column)}`);
    }
  }
  const counts = count as ArrayLike<unknown>;
  const pauses = ms as ArrayLike<unknown>;
  if (counts.length < n || pauses.length < n) {
    throw new RangeError(`toCSV: gc.count and gc.ms need ${n} entries, got ${counts.length} and ${pauses.length}`);
  }
  for (let k = 0; k < n; k++) checkInteger(`gc.count[${k}]`, counts[k], 0, MAX_COUNT);
  for (let k = 0; k < n; k++) checkMs(`gc.ms[${k}]`, pauses[k] as number, false);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
