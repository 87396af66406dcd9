/**
 * The end-of-run reports of {@link FrameProfiler} over its ring: the summary a game developer
 * expects from CapFrameX or PresentMon (percentiles, 1% / 0.1% lows under named definitions,
 * hitches under named rules, stutter time) and the frame-time histogram. Both allocate.
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import type { FrameRing } from './frame-ring.js';
import { HITCH_RULES, countHitches, type HitchCounts } from './hitches.js';
import {
  LOW_FPS_PERCENTILE_DEFINITION,
  LOW_FPS_TIME_WEIGHTED_DEFINITION,
  PERCENTILE_DEFINITION,
  lowFpsTimeWeighted,
  percentileSorted,
  sortPrefix,
} from './statistics.js';
// Referenced from the docs ({@link}) only.
import type { FrameProfiler } from './frame-profiler.js';

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

/**
 * Statistics over the held frames of `ring` (see {@link FrameSummary}; every definition is named
 * in its `definitions` field). O(n log n + n·W) for n held frames and the rolling window W;
 * allocates the result and O(n) temporaries. With no frames, times are NaN and counts 0.
 */
export function summarizeFrames(ring: FrameRing, budgetMs: number, rollingWindowFrames: number): FrameSummary {
  const n = ring.held;
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
    const s = ring.slotOf(k);
    const v = ring.frameMs[s];
    ordered[k] = v;
    totalMs += v;
    const c = ring.cpuMs[s];
    if (c === c) {
      cpu[cpuN++] = c;
      cpuSum += c;
    }
    gcCount += ring.gcCount[s];
    gcMs += ring.gcMs[s];
    const live = ring.live[s];
    if (live < liveMin) liveMin = live;
    if (live > liveMax) liveMax = live;
  }
  const meanMs = n === 0 ? NaN : totalMs / n;
  let sq = 0;
  for (let k = 0; k < n; k++) sq += (ordered[k] - meanMs) ** 2;
  const hitches = countHitches(ordered, n, budgetMs, rollingWindowFrames);
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
    budgetMs: budgetMs,
    rollingWindowFrames: rollingWindowFrames,
    definitions: {
      percentile: PERCENTILE_DEFINITION,
      lowFps: LOW_FPS_TIME_WEIGHTED_DEFINITION,
      lowFpsFromPercentile: LOW_FPS_PERCENTILE_DEFINITION,
      hitches: HITCH_RULES,
      stutterTimeShare: 'time in frames flagged by any hitch rule / total time',
    },
  };
}

/** The longest held frame time, ms (`-Infinity` when none). O(held). */
export function longestFrameMs(ring: FrameRing): number {
  let max = -Infinity;
  for (let k = 0; k < ring.held; k++) {
    const v = ring.frameMs[ring.slotOf(k)];
    if (v > max) max = v;
  }
  return max;
}

/**
 * Histogram of the held frame times: `binCount` equal bins over [minMs, maxMs] (`maxMs`
 * undefined: the longest frame). Frames outside the range are clamped into the first or last
 * bin. O(n + binCount); allocates the result.
 *
 * @throws as {@link FrameProfiler.histogram}.
 */
export function frameHistogram(
  ring: FrameRing,
  binCount: number,
  minMs: number,
  maxMs: number | undefined,
): FrameHistogram {
  checkInteger('binCount', binCount, 1, 10_000);
  if (typeof minMs !== 'number') throw new TypeError(`minMs must be a number, got ${describeValue(minMs)}`);
  if (maxMs !== undefined && typeof maxMs !== 'number') {
    throw new TypeError(`maxMs must be a number or undefined, got ${describeValue(maxMs)}`);
  }
  const top = maxMs ?? Math.max(ring.held === 0 ? 0 : longestFrameMs(ring), minMs + 1);
  if (!(top > minMs && top < Infinity && minMs >= 0)) {
    throw new RangeError(`histogram range must satisfy 0 <= minMs < maxMs < Infinity, got [${minMs}, ${top}]`);
  }
  const binMs = (top - minMs) / binCount;
  const counts = new Array<number>(binCount).fill(0);
  for (let k = 0; k < ring.held; k++) {
    const v = ring.frameMs[ring.slotOf(k)];
    // Compared, not Math.min/max: with a range so small that binMs underflows to 0, the quotient
    // is NaN (v === minMs) or Infinity, and every frame must still land in a bin (clamped).
    const q = Math.floor((v - minMs) / binMs);
    counts[q >= binCount - 1 ? binCount - 1 : q > 0 ? q : 0]++;
  }
  return { minMs, binMs, counts };
}
