/**
 * GcTracker: garbage collections in Node, from `perf_hooks` `gc` performance entries.
 *
 * Browser-safe by construction: this module has no `import` of `node:perf_hooks`. It reaches the
 * module at run time through `process.getBuiltinModule` (Node >= 20.16), so bundlers never see a
 * Node built-in and the library's single entry point can export it. Constructing a tracker
 * outside Node throws a clear Error.
 *
 * GC kinds are compared with `perf_hooks.constants.NODE_PERFORMANCE_GC_*`, never with literals.
 * Entries arrive asynchronously, shortly after each collection (Node queues them on the event
 * loop), so figures for synchronous work show up after the next turn of the loop.
 *
 * @module
 */
import type * as PerfHooks from 'node:perf_hooks';
import { checkOptions, describeValue } from '../errors.js';

/** The GC kinds a tracker tells apart. */
export type GcKind = 'minor' | 'major' | 'incremental' | 'weakcb' | 'other';

/** Totals kept by a {@link GcTracker}. Times in ms. */
export interface GcStats {
  /** Collections of every kind. */
  count: number;
  minor: number;
  major: number;
  incremental: number;
  weakcb: number;
  other: number;
  /** Sum of pause durations, ms. */
  totalMs: number;
  /** Longest pause, ms (0 before any). */
  maxMs: number;
}

/** Something that takes GC pauses per frame, such as a `FrameProfiler`. */
export interface GcSink {
  noteGc(count: number, pauseMs: number): void;
}

/** Options of {@link GcTracker}. */
export interface GcTrackerOptions {
  /** Receives `noteGc(1, durationMs)` for every collection (e.g. a `FrameProfiler`). */
  sink?: GcSink;
  /** Called for every collection with its kind, start time (`performance.now()` clock, ms) and duration (ms). */
  onGc?: (kind: GcKind, startMs: number, durationMs: number) => void;
}

type PerfHooksModule = typeof PerfHooks;

function loadPerfHooks(): PerfHooksModule {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const perfHooks = proc?.getBuiltinModule?.('node:perf_hooks') as PerfHooksModule | undefined;
  if (!perfHooks) {
    throw new Error(
      'GcTracker needs Node >= 20.16 (process.getBuiltinModule("node:perf_hooks")); in a browser, trace GC with the DevTools protocol instead',
    );
  }
  return perfHooks;
}

/**
 * Counts Node garbage collections and their pauses while started.
 *
 * ```ts
 * const tracker = new GcTracker({ sink: profiler });   // pauses land in the profiler's gc columns
 * tracker.start(); runGame(); await tick(); tracker.stop();
 * tracker.stats(); // { count, minor, major, ..., totalMs, maxMs }
 * ```
 *
 * Each collection costs O(1) bookkeeping; Node allocates the entry objects it delivers (this is
 * measurement, not a hot path of the game).
 */
export class GcTracker {
  private readonly perfHooks: PerfHooksModule;
  private readonly sink: GcSink | undefined;
  private readonly onGc: GcTrackerOptions['onGc'];
  private observer: PerfHooks.PerformanceObserver | undefined;
  private readonly totals: GcStats = emptyStats();

  /**
   * @throws TypeError for a bad options bag, a sink without `noteGc` or a non-function `onGc`.
   * @throws Error outside Node.
   */
  constructor(options?: GcTrackerOptions) {
    const o = checkOptions('GcTracker options', options, ['sink', 'onGc']);
    if (o.sink !== undefined && typeof (o.sink as GcSink)?.noteGc !== 'function') {
      throw new TypeError(`sink must have a noteGc(count, pauseMs) method, got ${describeValue(o.sink)}`);
    }
    if (o.onGc !== undefined && typeof o.onGc !== 'function') {
      throw new TypeError(`onGc must be a function, got ${describeValue(o.onGc)}`);
    }
    this.sink = o.sink;
    this.onGc = o.onGc;
    this.perfHooks = loadPerfHooks();
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.observer !== undefined;
  }

  /** Starts observing `gc` entries (idempotent). */
  start(): void {
    if (this.observer) return;
    this.observer = new this.perfHooks.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.take(entry);
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /**
   * Stops observing (idempotent). Entries of collections that Node has not delivered yet are
   * lost: await a short timeout before `stop()` to include the last ones.
   */
  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** A copy of the totals. O(1). */
  stats(): GcStats {
    return { ...this.totals };
  }

  /** Zeroes the totals (keeps observing if started). */
  reset(): void {
    Object.assign(this.totals, emptyStats());
  }

  /** Classifies one entry by `perf_hooks.constants` and adds it up. */
  private take(entry: PerfHooks.PerformanceEntry): void {
    const c = this.perfHooks.constants;
    const kindCode = (entry as { detail?: { kind?: number } }).detail?.kind;
    const kind: GcKind =
      kindCode === c.NODE_PERFORMANCE_GC_MINOR
        ? 'minor'
        : kindCode === c.NODE_PERFORMANCE_GC_MAJOR
          ? 'major'
          : kindCode === c.NODE_PERFORMANCE_GC_INCREMENTAL
            ? 'incremental'
            : kindCode === c.NODE_PERFORMANCE_GC_WEAKCB
              ? 'weakcb'
              : 'other';
    const t = this.totals;
    t.count++;
    t[kind]++;
    t.totalMs += entry.duration;
    if (entry.duration > t.maxMs) t.maxMs = entry.duration;
    this.sink?.noteGc(1, entry.duration);
    this.onGc?.(kind, entry.startTime, entry.duration);
  }
}

function emptyStats(): GcStats {
  return { count: 0, minor: 0, major: 0, incremental: 0, weakcb: 0, other: 0, totalMs: 0, maxMs: 0 };
}
