/**
 * One measured window, frame by frame: the probe's animation-frame timestamps joined with the
 * trace's GC pauses and animation-frame callback slices, and the figures a game developer reads
 * first. Frame statistics (percentiles, lows, hitch rules) come from {@link FrameProfiler}.
 *
 * Frame k spans from the moment its animation-frame callbacks start to the moment the next
 * frame's start (Blink's `ExecuteFrameCallbacks` trace slices, matched to the probe's frames in
 * order), so a frame that ran long has the work that made it long (a slow callback, a GC, another
 * task) inside its span. The animation-frame timestamps the page receives are not used for that:
 * they are the display refresh a frame was scheduled for, and after a long task the browser may
 * run the next frame with the stale timestamp of a refresh that went by during the task (measured:
 * a 60 ms callback in frame k showed as a 16.6 ms frame k and a 50 ms frame k + 1 in about one
 * long frame of ten). They are kept per frame (`timestampMs`) and used for the frames when the
 * trace could not be aligned.
 *
 * A frame is **missed** when it is longer than 1.5 × the frame budget: at least one display
 * refresh went by without a new frame. The budget is the page's own cadence unless given: the
 * median frame time of the window (16.7 ms for a game that holds 60 fps, 33.3 ms for one that
 * holds 30 fps).
 *
 * @module
 */
import { FrameProfiler, type FrameSummary } from '../frame-profiler.js';
import { percentileSorted } from '../statistics.js';
import type { LongAnimationFrame } from './probe.js';
import { slicesPerFrame, type MainThreadTimeline } from './trace.js';

/** The keys of {@link SummaryFigures}, in the order profile.json lists them. */
const SUMMARY_FIGURES = [
  'seconds',
  'meanMs',
  'p50Ms',
  'p90Ms',
  'p95Ms',
  'p99Ms',
  'p999Ms',
  'minMs',
  'maxMs',
  'stdDevMs',
  'avgFps',
  'low1PctFps',
  'low01PctFps',
  'low1PctFpsFromP99',
  'low01PctFpsFromP999',
  'hitches',
  'stutterTimeShare',
] as const satisfies readonly (keyof SummaryFigures)[];

/** A frame is missed when longer than this many frame budgets. */
export const MISSED_FRAME_FACTOR = 1.5;

/** How a missed frame is defined, as printed in reports. */
export const MISSED_FRAME_DEFINITION = `frame time > ${MISSED_FRAME_FACTOR} x the frame budget (a display refresh went by without a frame); the budget is the median frame time of the window unless given`;

/** One frame of a measured window. */
export interface FrameRow {
  /** Frame begin (its callbacks' start), ms after the window's start. */
  beginMs: number;
  /** Frame time: to the next frame's begin, ms. */
  frameMs: number;
  /** The animation-frame timestamp the page received, ms after the window's start. */
  timestampMs: number;
  /** Time inside the page's animation-frame callbacks, ms (NaN when the trace was not aligned). */
  rafMs: number;
  /** Page callbacks run. */
  callbacks: number;
  /** Collections that started in the frame, and their pause total, ms. */
  gcCount: number;
  gcMs: number;
  missed: boolean;
  /** Duration of the Long Animation Frame entry that started in this frame, ms (0 for none). */
  longAnimationFrameMs: number;
}

/** Time inside animation-frame callbacks per frame (the page's own work at each frame's start). */
export interface RafFigures {
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** The {@link FrameSummary} figures a profile keeps (same names, same definitions). */
export type SummaryFigures = Pick<
  FrameSummary,
  | 'seconds'
  | 'meanMs'
  | 'p50Ms'
  | 'p90Ms'
  | 'p95Ms'
  | 'p99Ms'
  | 'p999Ms'
  | 'minMs'
  | 'maxMs'
  | 'stdDevMs'
  | 'avgFps'
  | 'low1PctFps'
  | 'low01PctFps'
  | 'low1PctFpsFromP99'
  | 'low01PctFpsFromP999'
  | 'hitches'
  | 'stutterTimeShare'
  | 'budgetMs'
>;

/** Frame figures of a window: {@link FrameSummary}'s figures plus missed frames and callback time. */
export interface FrameFigures extends SummaryFigures {
  /** Frames measured. */
  count: number;
  /** Frames longer than {@link MISSED_FRAME_FACTOR} × `budgetMs`. */
  missed: number;
  raf: RafFigures;
  longAnimationFrames: {
    /** Whether the browser has the Long Animation Frames API (else the other fields are 0). */
    supported: boolean;
    count: number;
    totalMs: number;
    maxMs: number;
    /** Sum of their blocking durations, ms. */
    blockingMs: number;
  };
}

/** One collection, placed on its frame. */
export interface GcEvent {
  kind: 'minor' | 'major';
  /** ms after the window's start. */
  startMs: number;
  durationMs: number;
  /** Index of the frame it started in (-1: outside the measured frames). */
  frame: number;
}

/** GC figures of a window (collections that started inside the measured frames). */
export interface GcFigures {
  /** Whether the trace could be placed on the page clock (else every figure is NaN). */
  traced: boolean;
  count: number;
  minor: number;
  major: number;
  /** Pause total and longest pause, ms. */
  totalMs: number;
  maxMs: number;
  /** Frames with at least one collection. */
  framesWithGc: number;
  /** Missed frames with at least one collection inside. */
  missedFramesWithGc: number;
  /** GC pause inside missed frames, ms. */
  gcMsInMissedFrames: number;
  events: GcEvent[];
}

/** Inputs of {@link analyzeFrames}. */
export interface WindowInput {
  /** The probe's animation-frame timestamps of the window, page clock, ms. */
  tMs: ArrayLike<number>;
  /** Page callbacks per frame (same length as `tMs`). */
  callbacks: ArrayLike<number>;
  /** Page-clock time of the window's start, ms. */
  windowStartMs: number;
  /** Main-thread timeline from the trace. */
  timeline: MainThreadTimeline;
  /** Long Animation Frame entries of the window and whether the browser supports them. */
  longFrames: readonly LongAnimationFrame[];
  longFramesSupported: boolean;
  /** Frame budget, ms; default the median frame time. */
  budgetMs?: number;
}

/** What {@link analyzeFrames} returns. */
export interface WindowFrames {
  rows: FrameRow[];
  frames: FrameFigures;
  gc: GcFigures;
  /** The {@link FrameProfiler} summary behind `frames` (with its definitions). */
  summary: FrameSummary;
}

function sortedOf(values: readonly number[]): Float64Array {
  return Float64Array.from(values.filter((v) => v === v)).sort();
}

/**
 * Joins a window's timestamps, trace and Long Animation Frames into frames and figures.
 * O(n log n) for n frames.
 *
 * @throws TypeError when `tMs` and `callbacks` differ in length; RangeError for a budget that is
 *   not a finite number > 0, or timestamps that go backwards.
 */
export function analyzeFrames(input: WindowInput): WindowFrames {
  const { tMs, callbacks, timeline } = input;
  if (tMs.length !== callbacks.length) {
    throw new TypeError(`tMs and callbacks must have one entry per frame, got ${tMs.length} and ${callbacks.length}`);
  }
  for (let k = 1; k < tMs.length; k++) {
    if (!(tMs[k] >= tMs[k - 1]))
      throw new RangeError(`timestamps go backwards at frame ${k}: ${tMs[k - 1]} then ${tMs[k]}`);
  }
  // Each probe frame is one native animation-frame callback, so one ExecuteFrameCallbacks slice
  // at or after its timestamp (1 ms of slack for the coarsened page clock).
  const traced = timeline.aligned;
  const matched: number[] = [];
  if (traced) {
    let j = 0;
    for (let k = 0; k < tMs.length; k++) {
      while (j < timeline.raf.length && timeline.raf[j].startMs < tMs[k] - 1) j++;
      if (j >= timeline.raf.length || timeline.raf[j].startMs > tMs[k] + 1000) break;
      matched.push(j++);
    }
  }
  // Frames after the trace's end have no slice: left out. A frame in the middle without one means
  // the trace lost events: then the timestamps are the frames' begins.
  const useSlices =
    traced && matched.length >= 2 && (matched.length === tMs.length || tMs[matched.length] > timeline.endMs - 1000);
  const count = useSlices ? matched.length : tMs.length;
  const begins: number[] = new Array(count);
  for (let k = 0; k < count; k++) begins[k] = useSlices ? timeline.raf[matched[k]].startMs : tMs[k];
  const n = Math.max(0, count - 1);
  const frameMs: number[] = new Array(n);
  for (let k = 0; k < n; k++) frameMs[k] = Math.max(0, begins[k + 1] - begins[k]);
  const sorted = sortedOf(frameMs);
  const budgetMs = input.budgetMs ?? (n > 0 ? percentileSorted(sorted, n, 50) : 1000 / 60);
  if (!(budgetMs > 0 && budgetMs < Infinity))
    throw new RangeError(`budgetMs must be a finite number > 0, got ${budgetMs}`);
  const rafOf = (k: number) => (k < matched.length ? timeline.raf[matched[k]].durationMs : NaN);
  const gc = slicesPerFrame(timeline.gc, begins);
  const loafMs = new Array<number>(n).fill(0);
  // A Long Animation Frame is placed by its rendering start, when the frame's callbacks run (its
  // startTime is that of the frame's first task, which may belong to the frame before).
  const loafStarts = input.longFrames.map((l) => ({
    startMs: l.renderStartMs > 0 ? l.renderStartMs : l.startMs,
    durationMs: l.durationMs,
  }));
  const loafPerFrame = slicesPerFrame(loafStarts, begins);
  for (let i = 0; i < loafStarts.length; i++) {
    const f = loafPerFrame.frameOf[i];
    if (f >= 0) loafMs[f] = Math.max(loafMs[f], loafStarts[i].durationMs);
  }
  const t0 = input.windowStartMs;
  const rows: FrameRow[] = new Array(n);
  const profiler = new FrameProfiler({ capacity: Math.max(2, n), budgetMs });
  let missed = 0;
  let framesWithGc = 0;
  let missedWithGc = 0;
  let gcInMissed = 0;
  for (let k = 0; k < n; k++) {
    const isMissed = frameMs[k] > MISSED_FRAME_FACTOR * budgetMs;
    const rafMs = rafOf(k);
    rows[k] = {
      beginMs: begins[k] - t0,
      frameMs: frameMs[k],
      timestampMs: tMs[k] - t0,
      rafMs,
      callbacks: callbacks[k],
      gcCount: gc.count[k],
      gcMs: gc.ms[k],
      missed: isMissed,
      longAnimationFrameMs: loafMs[k],
    };
    profiler.record(frameMs[k], rafMs);
    if (isMissed) missed++;
    if (gc.count[k] > 0) {
      framesWithGc++;
      if (isMissed) {
        missedWithGc++;
        gcInMissed += gc.ms[k];
      }
    }
  }
  const summary = profiler.summary();
  const rafSorted = sortedOf(rows.map((r) => r.rafMs));
  const rafN = rafSorted.length;
  let rafSum = 0;
  for (let i = 0; i < rafN; i++) rafSum += rafSorted[i];
  const events: GcEvent[] = timeline.gc.map((s, i) => ({
    kind: s.kind,
    startMs: s.startMs - t0,
    durationMs: s.durationMs,
    frame: gc.frameOf[i],
  }));
  const inFrames = events.filter((e) => e.frame >= 0);
  const nan = traced ? 0 : NaN;
  const longFrames = input.longFrames.filter((_, i) => loafPerFrame.frameOf[i] >= 0);
  return {
    rows,
    summary,
    frames: {
      count: n,
      ...(Object.fromEntries(SUMMARY_FIGURES.map((k) => [k, summary[k]])) as SummaryFigures),
      budgetMs,
      missed,
      raf: {
        meanMs: rafN > 0 ? rafSum / rafN : NaN,
        p50Ms: percentileSorted(rafSorted, rafN, 50),
        p99Ms: percentileSorted(rafSorted, rafN, 99),
        maxMs: rafN > 0 ? rafSorted[rafN - 1] : NaN,
      },
      longAnimationFrames: {
        supported: input.longFramesSupported,
        count: longFrames.length,
        totalMs: longFrames.reduce((s, l) => s + l.durationMs, 0),
        maxMs: longFrames.reduce((s, l) => Math.max(s, l.durationMs), 0),
        blockingMs: longFrames.reduce((s, l) => s + l.blockingMs, 0),
      },
    },
    gc: {
      traced,
      count: traced ? inFrames.length : NaN,
      minor: traced ? inFrames.filter((e) => e.kind === 'minor').length : NaN,
      major: traced ? inFrames.filter((e) => e.kind === 'major').length : NaN,
      totalMs: traced ? inFrames.reduce((s, e) => s + e.durationMs, 0) : NaN,
      maxMs: traced ? inFrames.reduce((s, e) => Math.max(s, e.durationMs), 0) : NaN,
      framesWithGc: framesWithGc + nan,
      missedFramesWithGc: missedWithGc + nan,
      gcMsInMissedFrames: gcInMissed + nan,
      events,
    },
  };
}

/** The per-frame CSV header written by {@link framesCsv}. */
export const FRAMES_CSV_COLUMNS = [
  'run',
  'frame',
  'begin_ms',
  'frame_ms',
  'timestamp_ms',
  'raf_ms',
  'callbacks',
  'gc_count',
  'gc_ms',
  'missed',
  'long_animation_frame_ms',
] as const;

const r3 = (v: number) => (v === v ? String(Math.round(v * 1000) / 1000) : '');

/** Per-frame CSV of one or more runs' frames (`runs[i]` is run i + 1). O(frames). */
export function framesCsv(runs: readonly (readonly FrameRow[])[]): string {
  const lines: string[] = [FRAMES_CSV_COLUMNS.join(',')];
  runs.forEach((rows, i) => {
    rows.forEach((r, k) => {
      lines.push(
        `${i + 1},${k},${r3(r.beginMs)},${r3(r.frameMs)},${r3(r.timestampMs)},${r3(r.rafMs)},${r.callbacks},${r.gcCount},${r3(r.gcMs)},${r.missed ? 1 : 0},${r3(r.longAnimationFrameMs)}`,
      );
    });
  });
  return `${lines.join('\n')}\n`;
}
