/**
 * Order statistics and frame-time metrics used by {@link FrameProfiler} and the profile report.
 *
 * Every function works on a prefix `[0, n)` of a `Float64Array` (no `subarray`, which would
 * allocate a view object), so the profiler can call the selection routines every frame on
 * preallocated scratch memory.
 *
 * Definitions (stated once here and named in every summary):
 * - **Percentile**: linear interpolation between closest ranks, Hyndman & Fan (1996) type 7, the
 *   default of NumPy `percentile` and Excel `PERCENTILE.INC`: for sorted `x[0..n)`,
 *   `h = (n - 1) * p / 100`, `P(p) = x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])`.
 *   P(0) is the minimum and P(100) the maximum.
 * - **x% low FPS, time-weighted** (CapFrameX's "1% low" / "0.1% low", computed by
 *   `FrametimeStatisticProvider.GetPercentageHighSequence`, which CapFrameX documents as MSI
 *   Afterburner's definition): sort frame times from slowest to fastest and add them up until the
 *   running sum reaches x% of the total time; the frame time reached at that point, as FPS
 *   (`1000 / ms`), is the x% low. It weighs a long frame by the time it was on screen, not by its
 *   count.
 * - **x% low FPS, percentile**: `1000 / P(100 - x)` of the frame times (PresentMon-style reports).
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';

/** Name of the percentile definition, as printed in summaries. */
export const PERCENTILE_DEFINITION =
  'linear interpolation between closest ranks (Hyndman & Fan type 7, NumPy default): h = (n-1)p/100';

/** Name of the time-weighted low-FPS definition, as printed in summaries. */
export const LOW_FPS_TIME_WEIGHTED_DEFINITION =
  'time-weighted (CapFrameX / MSI Afterburner x% low): slowest frames first, summed until x% of total time; 1000 / the frame time reached';

/** Name of the percentile-based low-FPS definition, as printed in summaries. */
export const LOW_FPS_PERCENTILE_DEFINITION = '1000 / P(100 - x) of frame times';

/**
 * Sorts `a[0..n)` ascending in place. Insertion sort below 24 elements, otherwise quicksort with
 * median-of-three pivots (Sedgewick, "Algorithms", 4th ed., §2.3). O(n log n) expected, no
 * allocation, recursion depth O(log n) (recurse into the smaller side).
 */
export function sortPrefix(a: Float64Array, n: number): void {
  checkPrefix('a', a, n);
  quicksort(a, 0, n - 1);
}

/**
 * Checks that `a` is a `Float64Array` and `n` an integer in `[0, a.length]`. Allocates nothing
 * on success (the messages are built on the failure path only).
 *
 * @throws TypeError when `a` is not a `Float64Array` or `n` not a number; RangeError when `n` is
 *   not an integer in `[0, a.length]`.
 */
function checkPrefix(name: string, a: Float64Array, n: number): void {
  if (!(a instanceof Float64Array)) throw new TypeError(`${name} must be a Float64Array, got ${describeValue(a)}`);
  if (!(typeof n === 'number' && n >= 0 && n <= a.length && Number.isInteger(n))) checkInteger('n', n, 0, a.length);
}

/** Checks a percentile argument: TypeError for a non-number, RangeError outside [0, 100] or NaN. */
function checkPercent(name: string, p: number): void {
  if (typeof p === 'number' && p >= 0 && p <= 100) return;
  if (typeof p !== 'number') throw new TypeError(`${name} must be a number, got ${describeValue(p)}`);
  throw new RangeError(`${name} must be a number in [0, 100], got ${describeValue(p)}`);
}

function quicksort(a: Float64Array, lo: number, hi: number): void {
  while (hi - lo >= 24) {
    const p = partition(a, lo, hi);
    if (p - lo < hi - p) {
      quicksort(a, lo, p - 1);
      lo = p + 1;
    } else {
      quicksort(a, p + 1, hi);
      hi = p - 1;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Lomuto partition of `a[lo..hi]` around a median-of-three pivot; returns the pivot's index. */
function partition(a: Float64Array, lo: number, hi: number): number {
  const mid = lo + Math.floor((hi - lo) / 2);
  if (a[mid] < a[lo]) swap(a, mid, lo);
  if (a[hi] < a[lo]) swap(a, hi, lo);
  if (a[hi] < a[mid]) swap(a, hi, mid);
  swap(a, mid, hi); // pivot (the median of three) to the end
  const pivot = a[hi];
  let store = lo;
  for (let i = lo; i < hi; i++) {
    if (a[i] < pivot) swap(a, i, store++);
  }
  swap(a, store, hi);
  return store;
}

/**
 * Rearranges `a[0..n)` so that `a[k]` holds the k-th smallest value (0-based), smaller or equal
 * values before it and larger or equal after it. Hoare's selection ("quickselect", CACM 1961,
 * Algorithm 65 FIND) with median-of-three pivots: O(n) expected, no allocation.
 *
 * @throws TypeError / RangeError when `a` is not a Float64Array, `n` not an integer in
 *   `[1, a.length]` or `k` not an integer in `[0, n)`.
 */
export function selectKth(a: Float64Array, n: number, k: number): number {
  checkPrefix('a', a, n);
  if (!(typeof k === 'number' && k >= 0 && k < n && Number.isInteger(k))) checkInteger('k', k, 0, n - 1);
  return select(a, n, k);
}

/** {@link selectKth} without the argument checks. */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    if (hi - lo < 16) {
      quicksort(a, lo, hi);
      return a[k];
    }
    const p = partition(a, lo, hi);
    if (p === k) return a[k];
    if (k < p) hi = p - 1;
    else lo = p + 1;
  }
  return a[k];
}

/**
 * The `p`-th percentile of `a[0..n)` (definition: {@link PERCENTILE_DEFINITION}), found by
 * selection; reorders the prefix. O(n) expected, no allocation. NaN when `n` is 0.
 *
 * @param p - percentile in [0, 100].
 * @throws TypeError / RangeError for a non-Float64Array `a`, `n` outside `[0, a.length]` or `p`
 *   outside [0, 100]. Checked without allocating.
 */
export function percentileUnsorted(a: Float64Array, n: number, p: number): number {
  checkPrefix('a', a, n);
  checkPercent('p', p);
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const low = select(a, n, lo);
  if (lo >= n - 1 || h === lo) return low;
  // After selection every element right of `lo` is >= a[lo]: the next order statistic is their min.
  let next = Infinity;
  for (let i = lo + 1; i < n; i++) if (a[i] < next) next = a[i];
  return low + (h - lo) * (next - low);
}

/**
 * The `p`-th percentile of an ascending-sorted prefix `sorted[0..n)` (definition:
 * {@link PERCENTILE_DEFINITION}). O(1). NaN when `n` is 0.
 *
 * @throws TypeError / RangeError for a non-Float64Array, `n` outside `[0, sorted.length]` or `p`
 *   outside [0, 100].
 */
export function percentileSorted(sorted: Float64Array, n: number, p: number): number {
  checkPrefix('sorted', sorted, n);
  checkPercent('p', p);
  if (n === 0) return NaN;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/**
 * The time-weighted x% low FPS of an ascending-sorted prefix of frame times (definition:
 * {@link LOW_FPS_TIME_WEIGHTED_DEFINITION}). O(n). NaN when `n` is 0 or the total is 0.
 *
 * @param sortedMs - frame times in ms, ascending.
 * @param totalMs - their sum.
 * @param pct - the share, in percent (1 for "1% low", 0.1 for "0.1% low").
 * @throws TypeError / RangeError for a non-Float64Array, `n` outside `[0, sortedMs.length]`, a
 *   non-number `totalMs`, or `pct` outside [0, 100].
 */
export function lowFpsTimeWeighted(sortedMs: Float64Array, n: number, totalMs: number, pct: number): number {
  checkPrefix('sortedMs', sortedMs, n);
  checkPercent('pct', pct);
  if (typeof totalMs !== 'number') throw new TypeError(`totalMs must be a number, got ${describeValue(totalMs)}`);
  if (n === 0 || !(totalMs > 0)) return NaN;
  const targetMs = (totalMs * pct) / 100;
  let sumMs = 0;
  for (let i = n - 1; i >= 0; i--) {
    sumMs += sortedMs[i];
    if (sumMs >= targetMs) return 1000 / sortedMs[i];
  }
  return 1000 / sortedMs[0];
}

/**
 * Median of the sliding window of the `windowFrames` values before each index, kept as a sorted
 * window (insertion and deletion by binary search, O(W) shifts): O(n·W) total, allocates one
 * `Float64Array(windowFrames)`. `out[i]` is NaN for `i = 0` (no earlier frame); for `i < W` the
 * window holds the `i` frames seen so far.
 *
 * @param values - the sequence, chronological, in `values[0..n)`.
 * @param out - receives the median of `values[max(0, i - W) .. i)` at `out[i]`.
 * @throws TypeError / RangeError for non-Float64Arrays, `n` outside `[0, min(lengths)]`, or
 *   `windowFrames` not an integer in `[1, 2^24]`.
 */
export function rollingMedianBefore(values: Float64Array, n: number, windowFrames: number, out: Float64Array): void {
  checkPrefix('values', values, n);
  checkPrefix('out', out, n);
  checkInteger('windowFrames', windowFrames, 1, 2 ** 24);
  const win = new Float64Array(windowFrames);
  let size = 0;
  for (let i = 0; i < n; i++) {
    if (size === 0) out[i] = NaN;
    else {
      const m = Math.floor(size / 2);
      out[i] = size % 2 === 1 ? win[m] : (win[m - 1] + win[m]) / 2;
    }
    // Slide: drop values[i - W] once the window is full, then insert values[i].
    if (size === windowFrames) {
      const gone = values[i - windowFrames];
      const at = lowerBound(win, size, gone);
      win.copyWithin(at, at + 1, size);
      size--;
    }
    const v = values[i];
    const at = lowerBound(win, size, v);
    win.copyWithin(at + 1, at, size);
    win[at] = v;
    size++;
  }
}

/** First index in ascending `a[0..n)` whose value is >= `v` (binary search). */
function lowerBound(a: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
