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
import { Violations, checkInteger, checkOptions, describeValue } from '../errors.js';
import { framesToCsv, type PerFrameGc } from './frame-export.js';
import {
  MAX_COUNT,
  MAX_FRAME_MS,
  MAX_PROFILER_CAPACITY,
  UNKNOWN_CPU_US,
  checkCount,
  checkMs,
  isCount,
  isUs,
  rejectClock,
  rejectFrame,
  rejectFrameUs,
} from './frame-limits.js';
import { FrameRing } from './frame-ring.js';
import { frameHistogram, summarizeFrames, type FrameHistogram, type FrameSummary } from './frame-summary.js';
import { percentileUnsorted } from './statistics.js';

export { FRAME_CSV_COLUMNS, type PerFrameGc } from './frame-export.js';
export { MAX_FRAME_MS, MAX_FRAME_US, MAX_PROFILER_CAPACITY, UNKNOWN_CPU_US } from './frame-limits.js';
export type { FrameHistogram, FrameSummary } from './frame-summary.js';

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

  /** The frames held, oldest overwritten first (`frame-ring.ts`). */
  private readonly ring: FrameRing;
  /**
   * The profiler's running doubles, in a typed array rather than object fields, so no store boxes
   * one (bench/README.md, section Frame-time profile, on per-frame allocation). Slots:
   * {@link ELAPSED_MS}, {@link BEGIN_MS}, {@link PREV_BEGIN_MS}, {@link PENDING_GC_MS},
   * {@link WRITE_FRAME_MS}, {@link WRITE_CPU_MS}.
   */
  private readonly clocks = Float64Array.of(0, NaN, NaN, 0, 0, NaN);
  private inFrame = false;
  /** True while `options.clock()` runs: a clock that calls beginFrame/endFrame is refused. */
  private inClock = false;
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
    this.ring = new FrameRing(this.capacity);
  }

  /** Frames currently held (at most `capacity`). */
  get frames(): number {
    return this.ring.held;
  }

  /** Frames recorded since construction or the last `reset()` (keeps counting past `capacity`). */
  get totalFrames(): number {
    return this.ring.recorded;
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
    // One branch on the success path keeps this small enough to inline at call sites (why:
    // bench/README.md, section Frame-time profile, on per-frame allocation).
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
    const ring = this.ring;
    const i = ring.head;
    const clocks = this.clocks;
    clocks[ELAPSED_MS] += clocks[WRITE_FRAME_MS];
    ring.frameMs[i] = clocks[WRITE_FRAME_MS];
    ring.cpuMs[i] = clocks[WRITE_CPU_MS];
    ring.tMs[i] = clocks[ELAPSED_MS];
    ring.live[i] = live;
    ring.spawned[i] = spawned;
    ring.freed[i] = freed;
    ring.gcCount[i] = Math.min(this.pendingGcCount, MAX_COUNT);
    ring.gcMs[i] = clocks[PENDING_GC_MS];
    this.pendingGcCount = 0;
    clocks[PENDING_GC_MS] = 0;
    ring.advance();
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
    const nowMs = this.readClock();
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
    // The counts are checked on every path, the first frame's too (which records nothing).
    if (!(isCount(live) && isCount(spawned) && isCount(freed))) rejectFrame(0, 0, live, spawned, freed);
    const nowMs = this.readClock();
    if (!(typeof nowMs === 'number' && nowMs > -Infinity && nowMs < Infinity)) rejectClock(nowMs);
    const beginMs = this.clocks[BEGIN_MS];
    const prevBeginMs = this.clocks[PREV_BEGIN_MS];
    if (prevBeginMs !== prevBeginMs) {
      this.inFrame = false;
      return false;
    }
    const frameMs = beginMs - prevBeginMs;
    const cpuMs = nowMs - beginMs;
    if (!(frameMs >= 0 && frameMs <= MAX_FRAME_MS && cpuMs >= 0 && cpuMs <= MAX_FRAME_MS)) {
      rejectFrame(frameMs, cpuMs, live, spawned, freed);
    }
    this.clocks[WRITE_FRAME_MS] = frameMs;
    this.clocks[WRITE_CPU_MS] = cpuMs;
    this.write(live, spawned, freed);
    this.inFrame = false;
    return true;
  }

  /**
   * Reads `options.clock()`, refusing a clock that calls back into `beginFrame` / `endFrame` of
   * this profiler (the outer call would then overwrite what the nested one did).
   */
  private readClock(): number {
    if (this.inClock) {
      throw new Error('FrameProfiler: options.clock() called beginFrame() or endFrame() of its own profiler');
    }
    this.inClock = true;
    try {
      return this.clock();
    } finally {
      this.inClock = false;
    }
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
    const n = this.ring.loadRecent(lastFrames);
    return percentileUnsorted(this.ring.scratch, n, p);
  }

  /**
   * The longest of the newest `lastFrames` frame times, ms (NaN when no frame is held). O(window),
   * allocates nothing.
   *
   * @throws TypeError for a non-number window; RangeError for a fractional or negative one.
   */
  windowMax(lastFrames: number = this.capacity): number {
    checkCount('lastFrames', lastFrames);
    const ring = this.ring;
    const n = Math.min(lastFrames, ring.held);
    let max = n === 0 ? NaN : -Infinity;
    for (let k = ring.held - n; k < ring.held; k++) {
      const v = ring.frameMs[ring.slotOf(k)];
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
    return this.ring.copyRecent(out);
  }

  /** Empties the ring and restarts the clock pairing and the frame counter. O(1). */
  reset(): void {
    this.ring.clear();
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
    return summarizeFrames(this.ring, this.budgetMs, this.rollingWindowFrames);
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
    return frameHistogram(this.ring, binCount, minMs, maxMs);
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
    return framesToCsv(this.ring, gc);
  }

  /** Summary JSON (called by `JSON.stringify(profiler)`): `{ capacity, totalFrames, summary, histogram }`. */
  toJSON(): { capacity: number; totalFrames: number; summary: FrameSummary; histogram: FrameHistogram } {
    return {
      capacity: this.capacity,
      totalFrames: this.ring.recorded,
      summary: this.summary(),
      histogram: this.histogram(),
    };
  }

  /**
   * Validates the ring: held <= capacity, head in range, held frame times and CPU times in
   * `[0, MAX_FRAME_MS]` (CPU may be NaN), end times finite and increasing, the running sum finite.
   * O(n).
   * @throws CorruptionError listing every violation found.
   */
  check(): void {
    const v = new Violations('FrameProfiler');
    const fail = v.report;
    const ring = this.ring;
    if (ring.held > ring.capacity || ring.held > ring.recorded) fail(`held ${ring.held} out of range`);
    if (!(ring.head >= 0 && ring.head < ring.capacity)) fail(`head ${ring.head} out of range`);
    if (v.count > 0) v.throwIfAny(); // the frames cannot be found
    let prevT = -Infinity;
    for (let k = 0; k < ring.held; k++) {
      const s = ring.slotOf(k);
      const frameMs = ring.frameMs[s];
      if (!(frameMs >= 0 && frameMs <= MAX_FRAME_MS)) fail(`frame ${k}: frame_ms ${frameMs} invalid`);
      const cpu = ring.cpuMs[s];
      if (!((cpu >= 0 && cpu <= MAX_FRAME_MS) || cpu !== cpu)) fail(`frame ${k}: cpu_ms ${cpu} invalid`);
      const t = ring.tMs[s];
      if (!(t < Infinity)) fail(`frame ${k}: t_ms ${t} not finite`);
      if (!(t >= prevT)) fail(`frame ${k}: t_ms ${t} before ${prevT}`);
      if (t === t) prevT = t;
    }
    const elapsedMs = this.clocks[ELAPSED_MS];
    if (!(elapsedMs >= 0 && elapsedMs < Infinity)) fail(`running sum of frame times ${elapsedMs} not finite`);
    v.throwIfAny();
  }
}
