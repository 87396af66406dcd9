/**
 * What the overlay measures inside the page, without making garbage of its own in steady state:
 *
 * - **The page's own work per frame** (simulation step, view sync and render submission), in
 *   whole microseconds, from two `performance.now()` calls around it. Each call returns a new
 *   12-byte heap number (the browser boxes the double), so in the `zero-garbage` mode the work
 *   is timed on one frame in {@link ZERO_GARBAGE_WORK_EVERY} only.
 * - **GCs seen**: a sentinel object registered with a `FinalizationRegistry` and re-armed each
 *   time it is collected; a minor or major GC that runs while it is unreachable collects it. An
 *   estimate: two GCs before the callback runs count as one. It allocates only after a GC.
 * - **JS heap in use** and, between GCs, **bytes allocated per frame** from its growth, read
 *   from Chromium's `performance.memory` at each text refresh (the read itself makes a ~30-byte
 *   `MemoryInfo` object). Without `--enable-precise-memory-info` Chromium rounds that figure to
 *   coarse buckets and refreshes it every 20 minutes, so the overlay marks it coarse and shows
 *   no allocation rate.
 *
 * Browser only.
 *
 * @module
 */

/** Frames between work measurements in the `zero-garbage` mode (1 in 16: about 1.5 B/frame of timer garbage). */
export const ZERO_GARBAGE_WORK_EVERY = 16;
/** Work samples kept for the percentiles. */
export const WORK_WINDOW = 240;

/** `performance.memory`, where Chromium has it. */
interface MemoryInfo {
  usedJSHeapSize: number;
}
function memoryInfo(): MemoryInfo | undefined {
  return (performance as Performance & { memory?: MemoryInfo }).memory;
}

/** Indices of {@link PageMeters.figures}. */
export const FIG_WORK_P50_US = 0;
export const FIG_WORK_P99_US = 1;
export const FIG_WORK_SAMPLES = 2;
export const FIG_HEAP_BYTES = 3;
export const FIG_ALLOC_BYTES_PER_FRAME = 4;
export const FIG_GCS = 5;
export const FIG_HEAP_PRECISE = 6;
const FIG_LENGTH = 7;

/** The page-level meters of the overlay. See the module docs. */
export class PageMeters {
  /**
   * The figures of the latest {@link PageMeters.refresh}, read by the overlay: work p50 / p99 (µs,
   * -1 when unknown), work samples held, heap bytes (-1 when the browser has no
   * `performance.memory`), allocated bytes per frame (-1 when not measurable), GCs seen since
   * `reset`, and 1 when the heap figure is precise.
   */
  readonly figures = new Float64Array(FIG_LENGTH);
  private readonly workUs = new Int32Array(WORK_WINDOW);
  private readonly sorted = new Int32Array(WORK_WINDOW);
  private workCount = 0;
  private workNext = 0;
  /** Collections seen by the sentinel since construction. */
  private collected = 0;
  private collectedAtReset = 0;
  private readonly registry: FinalizationRegistry<number>;
  /** Heap and frame count at the previous refresh; GCs seen then (to skip intervals with a GC). */
  private readonly last = new Float64Array(3);
  private precise = false;

  constructor() {
    this.registry = new FinalizationRegistry(() => {
      this.collected++;
      this.arm();
    });
    this.arm();
    this.figures.fill(-1);
    this.figures[FIG_GCS] = 0;
    this.figures[FIG_HEAP_PRECISE] = 0;
    this.last[0] = -1;
  }

  /**
   * Finds out whether `performance.memory` is precise: allocates about 4 MB and checks that the
   * heap figure grows by most of it after the browser's 50 ms cache has expired. Call once, at
   * start-up. Resolves `true` when precise.
   */
  async probePrecision(): Promise<boolean> {
    const info = memoryInfo();
    if (!info) return false;
    const before = info.usedJSHeapSize;
    const ballast = new Array<number[]>(512);
    for (let i = 0; i < ballast.length; i++) ballast[i] = new Array<number>(1024).fill(i + 0.5);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const after = (memoryInfo() as MemoryInfo).usedJSHeapSize;
    this.precise = after - before > 2_000_000 && ballast.length === 512;
    this.figures[FIG_HEAP_PRECISE] = this.precise ? 1 : 0;
    return this.precise;
  }

  /** Records one frame's work, whole µs. O(1), allocation-free. */
  recordWorkUs(us: number): void {
    this.workUs[this.workNext] = us;
    this.workNext = (this.workNext + 1) % WORK_WINDOW;
    if (this.workCount < WORK_WINDOW) this.workCount++;
  }

  /** Forgets the work samples and restarts the GC count (a mode switch). O(1). */
  reset(): void {
    this.workCount = 0;
    this.workNext = 0;
    this.collectedAtReset = this.collected;
    this.last[0] = -1;
    this.figures[FIG_ALLOC_BYTES_PER_FRAME] = -1;
  }

  /**
   * Updates {@link PageMeters.figures}; call at each text refresh with the frames drawn so far.
   * O(WORK_WINDOW log WORK_WINDOW); allocation-free apart from the `MemoryInfo` object the
   * browser makes for `performance.memory`.
   */
  refresh(frame: number): void {
    const fig = this.figures;
    const n = this.workCount;
    if (n > 0) {
      const sorted = this.sorted;
      for (let i = 0; i < n; i++) sorted[i] = this.workUs[i];
      // Sort the whole array (a subarray would be a new view): unused entries sort last.
      for (let i = n; i < WORK_WINDOW; i++) sorted[i] = 0x7fffffff;
      sorted.sort();
      fig[FIG_WORK_P50_US] = sorted[Math.min(n - 1, Math.floor(n * 0.5))];
      fig[FIG_WORK_P99_US] = sorted[Math.min(n - 1, Math.ceil(n * 0.99) - 1)];
    } else {
      fig[FIG_WORK_P50_US] = -1;
      fig[FIG_WORK_P99_US] = -1;
    }
    fig[FIG_WORK_SAMPLES] = n;
    const gcs = this.collected - this.collectedAtReset;
    fig[FIG_GCS] = gcs;
    const info = memoryInfo();
    if (!info) return;
    const heap = info.usedJSHeapSize;
    fig[FIG_HEAP_BYTES] = heap;
    const last = this.last;
    if (this.precise && last[0] >= 0 && frame > last[1] && gcs === last[2] && heap >= last[0]) {
      fig[FIG_ALLOC_BYTES_PER_FRAME] = (heap - last[0]) / (frame - last[1]);
    }
    last[0] = heap;
    last[1] = frame;
    last[2] = gcs;
  }

  /** Registers a new sentinel: an object only the registry knows, so the next GC collects it. */
  private arm(): void {
    this.registry.register({ sentinel: true }, 0);
  }
}
