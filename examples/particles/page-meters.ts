/**
 * What the overlay measures inside the page, without making garbage of its own in steady state:
 *
 * - **The page's own work per frame** (simulation step, view sync and render submission), from
 *   two `performance.now()` calls around it. Each call returns a new 12-byte heap number (the
 *   browser boxes the double), so in the `zero-garbage` mode the work is timed on one frame in
 *   {@link ZERO_GARBAGE_WORK_EVERY} only. Kept as a histogram of the last {@link WORK_WINDOW}
 *   samples in tenths of a millisecond (`window-percentiles.ts`).
 * - **GCs seen**: a sentinel object registered with a `FinalizationRegistry` and re-armed each
 *   time it is collected; a minor or major GC that runs while it is unreachable collects it
 *   (measured: one callback per scavenge in Chromium). An estimate: two GCs before the
 *   callback runs count as one. It allocates only after a GC.
 * - **JS heap in use** and, between GCs, **bytes allocated per frame** from its growth, read
 *   from Chromium's `performance.memory` when the overlay's text refreshes (the read makes a
 *   ~30-byte `MemoryInfo` object). Without `--enable-precise-memory-info` Chromium rounds that
 *   figure to coarse buckets and refreshes it every 20 minutes, so the overlay then marks it
 *   coarse and shows no allocation rate.
 *
 * The sampling (`sampleHeap`) runs a few times a second; the arithmetic on the samples runs in
 * `update`, every frame, where V8 optimizes it (run a few times a second, it would stay in the
 * interpreter, which boxes every fractional result).
 *
 * Browser only.
 *
 * @module
 */
import { WindowHistogram } from './window-percentiles.ts';

/** Frames between work measurements in the `zero-garbage` mode (1 in 16: about 1.5 B/frame of timer garbage). */
export const ZERO_GARBAGE_WORK_EVERY = 16;
/** Work samples kept for the percentiles. */
export const WORK_WINDOW = 240;
/** Largest work time the histogram tells apart, in tenths of a ms (100 ms). */
const WORK_MAX_TENTHS = 1000;

/** `performance.memory`, where Chromium has it. */
interface MemoryInfo {
  usedJSHeapSize: number;
}
function memoryInfo(): MemoryInfo | undefined {
  return (performance as Performance & { memory?: MemoryInfo }).memory;
}

/** Indices of {@link PageMeters.figures}. */
export const FIG_WORK_P50_TENTHS = 0;
export const FIG_WORK_P99_TENTHS = 1;
export const FIG_HEAP_BYTES = 2;
export const FIG_ALLOC_BYTES_PER_FRAME = 3;
export const FIG_GCS = 4;
export const FIG_HEAP_PRECISE = 5;
const FIG_LENGTH = 6;

/** Indices of the heap samples: the latest and the one before, each heap bytes, frame, GCs seen. */
const HEAP_NOW = 0;
const FRAME_NOW = 1;
const GCS_NOW = 2;
const HEAP_BEFORE = 3;
const FRAME_BEFORE = 4;
const GCS_BEFORE = 5;

/** The page-level meters of the overlay. See the module docs. */
export class PageMeters {
  /**
   * The figures of the latest {@link PageMeters.update}, read by the overlay, all whole numbers:
   * work p50 / p99 in tenths of a ms (-1 when unknown), heap bytes (-1 when the browser has no
   * `performance.memory`), allocated bytes per frame (-1 when not measurable), GCs seen since
   * `reset`, and 1 when the heap figure is precise.
   */
  readonly figures = new Float64Array(FIG_LENGTH);
  private readonly work = new WindowHistogram(WORK_WINDOW, WORK_MAX_TENTHS);
  private readonly heap = new Float64Array(6);
  /** Collections seen by the sentinel since construction, and at the latest `reset`. */
  private collected = 0;
  private collectedAtReset = 0;
  private readonly registry: FinalizationRegistry<number>;
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
    this.heap.fill(-1);
  }

  /**
   * Finds out whether `performance.memory` is precise: without the flag Chromium caches the figure
   * for 20 minutes, so it cannot change from one read to the next; with it the figure moves as
   * the page allocates (cached for 50 ms). Allocates about 1 MB, waits, reads again (up to five
   * times). Call once, at start-up. Resolves `true` when precise.
   */
  async probePrecision(): Promise<boolean> {
    const info = memoryInfo();
    if (!info) return false;
    const first = info.usedJSHeapSize;
    const ballast: number[][] = [];
    for (let attempt = 0; attempt < 5 && !this.precise; attempt++) {
      for (let i = 0; i < 128; i++) ballast.push(new Array<number>(1024).fill(i + 0.5));
      await new Promise((resolve) => setTimeout(resolve, 80));
      this.precise = (memoryInfo() as MemoryInfo).usedJSHeapSize !== first;
    }
    ballast.length = 0;
    this.figures[FIG_HEAP_PRECISE] = this.precise ? 1 : 0;
    return this.precise;
  }

  /** Records one frame's work, whole µs. O(1), allocation-free once optimized (called every timed frame). */
  recordWorkUs(us: number): void {
    this.work.add(Math.round(us / 100));
  }

  /** Forgets the work samples and the heap samples, and restarts the GC count (a mode switch). */
  reset(): void {
    this.work.reset();
    this.collectedAtReset = this.collected;
    this.heap.fill(-1);
  }

  /**
   * Reads the heap figure (makes the browser's `MemoryInfo` object) with the frame count and the
   * GCs seen so far. Call when the text refreshes.
   */
  sampleHeap(frame: number): void {
    const info = memoryInfo();
    if (!info) return;
    const h = this.heap;
    h[HEAP_BEFORE] = h[HEAP_NOW];
    h[FRAME_BEFORE] = h[FRAME_NOW];
    h[GCS_BEFORE] = h[GCS_NOW];
    h[HEAP_NOW] = info.usedJSHeapSize;
    h[FRAME_NOW] = frame;
    h[GCS_NOW] = this.collected;
  }

  /** Updates {@link PageMeters.figures} from the samples. Call every frame: O(histogram bins), allocation-free once optimized. */
  update(): void {
    const fig = this.figures;
    fig[FIG_WORK_P50_TENTHS] = this.work.percentileBin(50);
    fig[FIG_WORK_P99_TENTHS] = this.work.percentileBin(99);
    fig[FIG_GCS] = this.collected - this.collectedAtReset;
    const h = this.heap;
    fig[FIG_HEAP_BYTES] = h[HEAP_NOW];
    // Bytes per frame between the last two samples, when no GC fell between them.
    fig[FIG_ALLOC_BYTES_PER_FRAME] =
      this.precise &&
      h[HEAP_BEFORE] >= 0 &&
      h[FRAME_NOW] > h[FRAME_BEFORE] &&
      h[GCS_NOW] === h[GCS_BEFORE] &&
      h[HEAP_NOW] >= h[HEAP_BEFORE]
        ? Math.round((h[HEAP_NOW] - h[HEAP_BEFORE]) / (h[FRAME_NOW] - h[FRAME_BEFORE]))
        : -1;
  }

  /** Registers a new sentinel: an object only the registry knows, so the next GC collects it. */
  private arm(): void {
    this.registry.register({ sentinel: true }, 0);
  }
}
