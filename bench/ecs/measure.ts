/**
 * Measures a run of frames from outside: wall time, bytes allocated and garbage collections.
 *
 * Bytes: V8's used heap size after the window minus before it, plus what every collection inside
 * the window freed (`used before - used after`, per collection, from `v8.GCProfiler`, which
 * records heap statistics around each GC in native code and hands them over at `stop()`). A
 * heap delta alone misses whatever a collection freed meanwhile; this adds it back. Checked by
 * the control cells (`control.ts`), whose frame allocates a known size.
 *
 * GC counts and pauses: Node's `perf_hooks` `gc` entries whose start lies inside the window
 * (delivered after the window, so the observer adds nothing to it for synchronous frames).
 */
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';

export interface WindowResult {
  frames: number;
  seconds: number;
  /** Bytes allocated in the window (heap delta plus bytes freed by the collections inside it). */
  bytes: number;
  gcCount: number;
  gcPauseMs: number;
  /** Collections GCProfiler saw (cross-check of `gcCount`). */
  gcProfilerCount: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Forces a full collection (needs `--expose-gc`). */
export function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('the ECS table needs node --expose-gc');
  gc();
}

/**
 * Runs `frames` synchronous frames. Kept separate so V8 compiles one tight loop per cell; the
 * cell's calibration calls it first ({@link runFrames}), so it is optimized before the window.
 */
function runSync(frame: () => unknown, frames: number): void {
  for (let i = 0; i < frames; i++) frame();
}

async function runAsync(frame: () => unknown, frames: number): Promise<void> {
  for (let i = 0; i < frames; i++) await frame();
}

/** Runs `frames` frames, unmeasured (warm-up and calibration go through the measured loop). */
export async function runFrames(frame: () => unknown, frames: number, isAsync: boolean): Promise<void> {
  if (isAsync) await runAsync(frame, frames);
  else runSync(frame, frames);
}

/** Runs `frames` frames inside a measured window. */
export async function measureWindow(frame: () => unknown, frames: number, isAsync: boolean): Promise<WindowResult> {
  fullGc();
  await sleep(20); // let the forced GC's entry drain before observing
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) entries.push(e);
  });
  observer.observe({ entryTypes: ['gc'] });
  const profiler = new v8.GCProfiler();
  profiler.start();
  const heapBefore = v8.getHeapStatistics().used_heap_size;
  const t0 = performance.now();
  if (isAsync) await runAsync(frame, frames);
  else runSync(frame, frames);
  const t1 = performance.now();
  const heapAfter = v8.getHeapStatistics().used_heap_size;
  const profile = profiler.stop();
  await sleep(20); // late gc entries
  observer.disconnect();
  let freed = 0;
  for (const s of profile?.statistics ?? []) {
    freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
  }
  let gcCount = 0;
  let gcPauseMs = 0;
  for (const e of entries) {
    if (e.startTime >= t0 && e.startTime <= t1) {
      gcCount++;
      gcPauseMs += e.duration;
    }
  }
  return {
    frames,
    seconds: (t1 - t0) / 1000,
    bytes: heapAfter - heapBefore + freed,
    gcCount,
    gcPauseMs,
    gcProfilerCount: profile?.statistics.length ?? 0,
  };
}
