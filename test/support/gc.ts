/**
 * Test support: counts garbage collections while a function runs, from Node's `perf_hooks`
 * `gc` performance entries. Kinds are compared with `perf_hooks.constants`, never literals.
 *
 * GC entries arrive late (after the collection, from a separate task), so the counter forces a
 * full collection first (needs `--expose-gc`, set in vite.config.ts), lets its entry drain, then
 * observes, runs `fn`, and waits `settleMs` before reading. Only collections that *started while
 * `fn` ran* are counted (entry `startTime` inside `[before, after]` on the `performance.now()`
 * clock), so the test runner's own work between tests (RPC, reporters) is not blamed on `fn`.
 * Keep `fn` synchronous where possible: then nothing but `fn` runs in that window.
 *
 * Warm up first: until V8 optimizes a function, the interpreter boxes doubles into heap numbers,
 * so even a typed-array loop allocates on its first few thousand iterations, and a loop optimized
 * by on-stack replacement in one call starts interpreted again in the next. Run the measured code
 * several times (or for some warm-up frames) before calling `countGc`.
 */
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks';

export interface GcCount {
  /** All collections observed. */
  count: number;
  /** Scavenges (young generation). */
  minor: number;
  /** Mark-sweep-compact (old generation). */
  major: number;
  /** Incremental marking steps and weak-callback processing. */
  other: number;
  /** Sum of GC entry durations, ms. */
  totalMs: number;
  /** Collections seen during the settle periods, outside `fn` (not counted above). */
  outside: number;
}

/** Resolves after `ms` milliseconds (GC entries arrive on a later turn of the event loop). */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Forces a full collection when `--expose-gc` is on; throws otherwise (a GC test needs it). */
export function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('GC tests need node --expose-gc');
  gc();
}

/**
 * Runs `fn` and counts the collections that happened meanwhile.
 *
 * @param fn - the work; may be async.
 * @param settleMs - how long to wait for late entries after `fn` (default 100 ms).
 */
export async function countGc(fn: () => unknown, settleMs = 100): Promise<GcCount> {
  forceGc();
  await sleep(settleMs);
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) entries.push(e);
  });
  observer.observe({ entryTypes: ['gc'] });
  const before = performance.now();
  await fn();
  const after = performance.now();
  await sleep(settleMs);
  observer.disconnect();
  const result: GcCount = { count: 0, minor: 0, major: 0, other: 0, totalMs: 0, outside: 0 };
  for (const e of entries) {
    if (e.startTime < before || e.startTime > after) {
      result.outside++;
      continue;
    }
    const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    result.count++;
    result.totalMs += e.duration;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) result.minor++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) result.major++;
    else result.other++;
  }
  return result;
}
