/**
 * Counts garbage collections while a function runs, for the benchmarks' GC figures, with the
 * library's own public `GcTracker` (Node `perf_hooks` `gc` entries) as a user would count them.
 *
 * GC entries arrive late (after the collection, from a separate task), so the counter forces a
 * full collection first (needs `node --expose-gc`, which `npm run bench` passes), lets its entry
 * drain, then observes, runs `fn`, and waits `settleMs` before reading. Only collections that
 * _started while `fn` ran_ are counted (entry start inside `[before, after]` on the
 * `performance.now()` clock). Warm the measured code up first: V8's interpreter boxes doubles.
 *
 * @module
 */
import { GcTracker } from 'steadyheap';

/** Collections that started while `fn` ran. */
export interface GcCount {
  /** All collections observed. */
  count: number;
  /** Scavenges (young generation). */
  minor: number;
  /** Mark-sweep-compact (old generation). */
  major: number;
  /** Incremental marking steps, weak-callback processing and other kinds. */
  other: number;
  /** Sum of GC pause durations, ms. */
  totalMs: number;
  /** Collections seen during the settle periods, outside `fn` (not counted above). */
  outside: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs `fn` and counts the collections that started meanwhile.
 *
 * @param fn - the work; may be async.
 * @param settleMs - how long to wait for late entries before and after `fn`, ms (default 100).
 * @throws Error when the process was not started with `--expose-gc`.
 */
export async function countGc(fn: () => unknown, settleMs = 100): Promise<GcCount> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') throw new Error('GC figures need node --expose-gc (npm run bench passes it)');
  gc();
  await sleep(settleMs);
  const result: GcCount = { count: 0, minor: 0, major: 0, other: 0, totalMs: 0, outside: 0 };
  let before = Number.POSITIVE_INFINITY;
  let after = Number.POSITIVE_INFINITY;
  const tracker = new GcTracker({
    onGc: (kind, startMs, durationMs) => {
      if (startMs < before || startMs > after) {
        result.outside++;
        return;
      }
      result.count++;
      result.totalMs += durationMs;
      if (kind === 'minor') result.minor++;
      else if (kind === 'major') result.major++;
      else result.other++;
    },
  });
  tracker.start();
  before = performance.now();
  await fn();
  after = performance.now();
  await sleep(settleMs);
  tracker.stop();
  return result;
}
