/**
 * The ring buffer behind `FrameProfiler`: one typed-array column per recorded quantity,
 * preallocated for `capacity` frames, the newest frame overwriting the oldest. The profiler
 * writes a frame at `head` and calls {@link FrameRing.advance}; the reports (`frame-summary.ts`,
 * `frame-export.ts`) and the window queries read the held frames oldest first through
 * {@link FrameRing.slotOf}. Nothing here allocates after the constructor.
 *
 * Memory: 56 bytes per frame of capacity (five Float64 columns, the scratch column included,
 * and four Uint32 columns).
 *
 * @module
 */

/** Preallocated per-frame columns, indexed by ring slot. */
export class FrameRing {
  /** Slots, in frames. */
  readonly capacity: number;
  /** Frame time, ms. */
  readonly frameMs: Float64Array;
  /** CPU time, ms, or NaN when unknown. */
  readonly cpuMs: Float64Array;
  /** End of the frame, ms since the first recorded frame began. */
  readonly tMs: Float64Array;
  /** Live entities at the end of the frame. */
  readonly live: Uint32Array;
  /** Entities created in the frame. */
  readonly spawned: Uint32Array;
  /** Entities destroyed in the frame. */
  readonly freed: Uint32Array;
  /** Garbage collections noted during the frame. */
  readonly gcCount: Uint32Array;
  /** Their pause, ms. */
  readonly gcMs: Float64Array;
  /** Work space for the window queries (quickselect permutes it). */
  readonly scratch: Float64Array;
  /** Slot the next frame goes to. */
  head = 0;
  /** Frames held (at most `capacity`). */
  held = 0;
  /** Frames recorded since construction or `clear()` (keeps counting past `capacity`). */
  recorded = 0;

  /** @param capacity - slots, an integer >= 2 (validated by the caller). */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.frameMs = new Float64Array(capacity);
    this.cpuMs = new Float64Array(capacity);
    this.tMs = new Float64Array(capacity);
    this.live = new Uint32Array(capacity);
    this.spawned = new Uint32Array(capacity);
    this.freed = new Uint32Array(capacity);
    this.gcCount = new Uint32Array(capacity);
    this.gcMs = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
  }

  /** Ring slot of the `k`-th held frame, oldest first (`k` in `[0, held)`). O(1). */
  slotOf(k: number): number {
    const s = this.head - this.held + k;
    return s < 0 ? s + this.capacity : s;
  }

  /** Counts the frame just written at `head` and moves `head` on. O(1). */
  advance(): void {
    const next = this.head + 1;
    this.head = next === this.capacity ? 0 : next;
    if (this.held < this.capacity) this.held++;
    this.recorded++;
  }

  /** Forgets every frame. O(1). */
  clear(): void {
    this.head = 0;
    this.held = 0;
    this.recorded = 0;
  }

  /**
   * Copies the frame times of the newest `min(lastFrames, held)` frames into `scratch`, oldest
   * first from 0; returns how many. O(that many).
   */
  loadRecent(lastFrames: number): number {
    const n = Math.min(lastFrames, this.held);
    const first = this.held - n;
    for (let k = 0; k < n; k++) this.scratch[k] = this.frameMs[this.slotOf(first + k)];
    return n;
  }

  /**
   * Copies the newest `min(out.length, held)` frame times into `out`, oldest first from 0;
   * returns how many. O(that many).
   */
  copyRecent(out: Float32Array | Float64Array): number {
    const n = Math.min(out.length, this.held);
    const first = this.held - n;
    for (let k = 0; k < n; k++) out[k] = this.frameMs[this.slotOf(first + k)];
    return n;
  }
}
