/**
 * Hitch rules: which frames a player sees as a stutter. Three named rules, each a plain test on a
 * chronological sequence of frame times, so a summary can count them separately:
 *
 * - `twiceRollingMedian`: longer than twice the median of the preceding frames (a spike against the
 *   recent norm; the rolling median ignores the spikes themselves, unlike a rolling mean);
 * - `jumpOverBudget`: at least 1.5x the previous frame and over the frame budget (a visible step
 *   in pacing, as in PresentMon-style "frame time delta" checks);
 * - `over50Ms`: longer than 50 ms (an absolute limit: under 20 fps for that frame).
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import { rollingMedianBefore } from './statistics.js';

/** Hitch counts, one per named rule (see {@link HITCH_RULES}). */
export interface HitchCounts {
  /** Frames longer than 2x the median of the preceding `rollingWindowFrames` frames. */
  twiceRollingMedian: number;
  /** Frames >= 1.5x the previous frame and over `budgetMs`. */
  jumpOverBudget: number;
  /** Frames longer than 50 ms. */
  over50Ms: number;
  /** Frames flagged by at least one rule. */
  any: number;
}

/** The hitch rules, by the key used in {@link HitchCounts}. */
export const HITCH_RULES = {
  twiceRollingMedian: 'frame_ms > 2 x median of the previous rollingWindowFrames frames',
  jumpOverBudget: 'frame_ms >= 1.5 x previous frame_ms and frame_ms > budgetMs',
  over50Ms: 'frame_ms > 50',
  any: 'flagged by at least one rule above',
} as const;

/**
 * Applies the hitch rules ({@link HITCH_RULES}) to a chronological sequence of frame times.
 * The first frame has no predecessor, so only the 50 ms rule can flag it; the rolling median of
 * frame i covers frames max(0, i - W) .. i - 1. All comparisons are strict except the 1.5x step.
 * O(n·W) time, O(n + W) temporary memory.
 *
 * @param frameMs - frame times in ms, chronological, in `frameMs[0..n)`.
 * @param n - how many frames to examine.
 * @param budgetMs - frame budget for `jumpOverBudget`, ms.
 * @param rollingWindowFrames - W, frames in the rolling median of `twiceRollingMedian`.
 * @returns counts per rule and the total time of flagged frames, ms.
 * @throws TypeError / RangeError for a non-Float64Array `frameMs`, `n` outside
 *   `[0, frameMs.length]`, a non-finite or negative `budgetMs`, or a bad window (see
 *   `rollingMedianBefore`).
 */
export function countHitches(
  frameMs: Float64Array,
  n: number,
  budgetMs: number,
  rollingWindowFrames: number,
): { counts: HitchCounts; hitchMs: number } {
  if (!(frameMs instanceof Float64Array))
    throw new TypeError(`frameMs must be a Float64Array, got ${describeValue(frameMs)}`);
  checkInteger('n', n, 0, frameMs.length);
  if (typeof budgetMs !== 'number') throw new TypeError(`budgetMs must be a number, got ${describeValue(budgetMs)}`);
  if (!(budgetMs >= 0 && budgetMs < Infinity))
    throw new RangeError(`budgetMs must be a finite number >= 0, got ${budgetMs}`);
  const median = new Float64Array(n);
  rollingMedianBefore(frameMs, n, rollingWindowFrames, median);
  const counts: HitchCounts = { twiceRollingMedian: 0, jumpOverBudget: 0, over50Ms: 0, any: 0 };
  let hitchMs = 0;
  for (let i = 0; i < n; i++) {
    const v = frameMs[i];
    const spike = i > 0 && v > 2 * median[i];
    const jump = i > 0 && v >= 1.5 * frameMs[i - 1] && v > budgetMs;
    const long = v > 50;
    if (spike) counts.twiceRollingMedian++;
    if (jump) counts.jumpOverBudget++;
    if (long) counts.over50Ms++;
    if (spike || jump || long) {
      counts.any++;
      hitchMs += v;
    }
  }
  return { counts, hitchMs };
}
