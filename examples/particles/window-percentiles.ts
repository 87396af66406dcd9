/**
 * Percentiles of the last `window` values (frame times, work times) in whole tenths of a
 * millisecond, kept as a histogram: each `add` counts the new value's bin and uncounts the one
 * that leaves the window, and a percentile is a walk over the bins. Everything is small-integer
 * arithmetic, so it allocates nothing even in code V8 has not optimized: code run a few times a
 * second stays in V8's interpreter, where every fractional intermediate becomes a new heap
 * number, and where `TypedArray.prototype.sort` would copy its elements (about 2 KB for 240
 * floats, measured).
 *
 * @module
 */

/** A sliding window of values in bins of `binUs` µs, and its percentiles. See the module docs. */
export class WindowHistogram {
  private readonly ring: Int32Array;
  private readonly counts: Int32Array;
  private next = 0;
  private held = 0;

  /**
   * @param window - values kept (the oldest leaves when a new one comes).
   * @param maxBin - the last bin; larger values are counted in it.
   */
  constructor(
    readonly window: number,
    readonly maxBin: number,
  ) {
    this.ring = new Int32Array(window);
    this.counts = new Int32Array(maxBin + 1);
  }

  /** Values in the window. */
  get count(): number {
    return this.held;
  }

  /** Adds a value already in bins (an integer; clamped to `[0, maxBin]`). O(1), allocation-free. */
  add(bin: number): void {
    const b = bin < 0 ? 0 : bin > this.maxBin ? this.maxBin : bin;
    if (this.held === this.window) this.counts[this.ring[this.next]]--;
    else this.held++;
    this.ring[this.next] = b;
    this.counts[b]++;
    this.next = this.next + 1 === this.window ? 0 : this.next + 1;
  }

  /**
   * The bin of the `percent`-th percentile (nearest rank: the smallest bin with at least
   * `percent` of the values at or below it), or -1 when empty. `percent` an integer in
   * [1, 100]. O(maxBin), allocation-free.
   */
  percentileBin(percent: number): number {
    const n = this.held;
    if (n === 0) return -1;
    // The first bin where seen / n >= percent / 100, in integers (no division).
    const want = n * percent;
    let seen = 0;
    for (let b = 0; b <= this.maxBin; b++) {
      seen += this.counts[b];
      if (seen > 0 && seen * 100 >= want) return b;
    }
    return this.maxBin;
  }

  /** The highest bin holding a value, or -1 when empty. O(maxBin), allocation-free. */
  maxValueBin(): number {
    for (let b = this.maxBin; b >= 0; b--) if (this.counts[b] > 0) return b;
    return -1;
  }

  /** Empties the window. O(maxBin). */
  reset(): void {
    this.counts.fill(0);
    this.next = 0;
    this.held = 0;
  }
}
