/**
 * The churn workload of the arena benchmarks: `liveBlocks` blocks stay live, and every timed call
 * replays a batch of alloc+free pairs from pre-generated traces, keeping the live count constant.
 * One op = one alloc+free pair. Three free orders:
 *
 * - `'random'`: each step frees the live block in a random slot (from a victim trace) and
 *   allocates the next trace size into that slot.
 * - `'fifo'`: each step frees the oldest live block (a ring over the slots) and allocates into
 *   its slot.
 * - `'lifo'`: each call allocates `batch` blocks on top of the resident ones, then frees them
 *   newest-first (a stack), so the live count is back to `liveBlocks` after every call.
 *
 * Each case gets its own copy of the replay loop ({@link freshCopy}), so V8's type feedback at
 * the `alloc`/`free` call sites sees one allocator class, as in an application that uses one
 * arena, instead of going megamorphic over every allocator the suite has run. The batch per timed
 * call is calibrated per case (the O(n) peers take milliseconds per op where our arenas take
 * nanoseconds), and the calibration doubles as warm-up and as a churn to steady state. Cases
 * that ask for it also count garbage collections over a replay after timing (with
 * `bench/lib/gc.ts`, over the public `GcTracker`), outside tinybench.
 *
 * @module
 */
import { runCases, type BenchOptions, type CaseResult } from '../lib/harness.ts';
import { countGc } from '../lib/gc.ts';
import type { ChurnTarget } from './peers.ts';

/** Free orders of the churn workload. */
export type FreeOrder = 'random' | 'fifo' | 'lifo';

/** Largest LIFO batch: the live-slot array holds `liveBlocks + MAX_LIFO_BATCH` handles. */
export const MAX_LIFO_BATCH = 1024;

/** Slots of live handles: an Int32Array for offsets, a plain array for typed-array objects. */
type Slots = Int32Array | unknown[];

// The replay loops. Written without closures or imports (only their parameters), so that
// `freshCopy` can compile an independent copy of each from its source text. `any` keeps the
// transpiled text identical to what is written here.

/** Random order: free the victim slot, allocate the next size into it. `st[0]` = trace cursor. */
function replayRandom(
  // biome-ignore lint/suspicious/noExplicitAny: see above (the source text is compiled again)
  t: any,
  // biome-ignore lint/suspicious/noExplicitAny: as t
  live: any,
  sizes: Int32Array,
  victims: Int32Array,
  st: Int32Array,
  mask: number,
  _residents: number,
  batch: number,
): void {
  let k = st[0];
  for (let i = 0; i < batch; i++) {
    const v = victims[k];
    t.free(live[v]);
    live[v] = t.alloc(sizes[k]);
    k = (k + 1) & mask;
  }
  st[0] = k;
}

/** FIFO order: free the oldest block (ring position `st[1]`), allocate into its slot. */
function replayFifo(
  // biome-ignore lint/suspicious/noExplicitAny: see above (the source text is compiled again)
  t: any,
  // biome-ignore lint/suspicious/noExplicitAny: as t
  live: any,
  sizes: Int32Array,
  _victims: Int32Array,
  st: Int32Array,
  mask: number,
  residents: number,
  batch: number,
): void {
  let k = st[0];
  let r = st[1];
  for (let i = 0; i < batch; i++) {
    t.free(live[r]);
    live[r] = t.alloc(sizes[k]);
    k = (k + 1) & mask;
    r = r + 1 === residents ? 0 : r + 1;
  }
  st[0] = k;
  st[1] = r;
}

/** LIFO order: allocate `batch` blocks above the residents, free them newest-first. */
function replayLifo(
  // biome-ignore lint/suspicious/noExplicitAny: see above (the source text is compiled again)
  t: any,
  // biome-ignore lint/suspicious/noExplicitAny: as t
  live: any,
  sizes: Int32Array,
  _victims: Int32Array,
  st: Int32Array,
  mask: number,
  residents: number,
  batch: number,
): void {
  let k = st[0];
  for (let i = 0; i < batch; i++) {
    live[residents + i] = t.alloc(sizes[k]);
    k = (k + 1) & mask;
  }
  for (let i = batch - 1; i >= 0; i--) t.free(live[residents + i]);
  st[0] = k;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

type Replay = typeof replayRandom;
const REPLAYS: Record<FreeOrder, Replay> = { random: replayRandom, fifo: replayFifo, lifo: replayLifo };

/**
 * Compiles a new, independent copy of a self-contained function from its source text: same code,
 * its own type feedback (the technique Benchmark.js used to isolate test cases).
 *
 * @param fn - a function that uses only its parameters and globals.
 */
export function freshCopy<F extends (...args: never[]) => unknown>(fn: F): F {
  return new Function(`"use strict"; return (${fn.toString()});`)() as F;
}

/** One churn case. */
export interface ChurnSpec {
  /** Case name, unique in the suite. */
  name: string;
  /** Builds the allocator (called once, just before the case runs). */
  make: () => ChurnTarget<never>;
  /** `'offset'` stores handles in an Int32Array, `'object'` in a plain array. */
  handles: 'offset' | 'object';
  order: FreeOrder;
  liveBlocks: number;
  /** Request sizes in bytes; length a power of two (the replay wraps with a mask). */
  sizes: Int32Array;
  /** Victim slots in `[0, liveBlocks)`, same length as `sizes` (random order only). */
  victims?: Int32Array;
  /** Called after timing with the allocator (run `check()` here). */
  after?: (target: never) => void;
  /** Also count garbage collections over a replay of up to {@link GC_COUNT_PAIRS} pairs. */
  countGc?: boolean;
}

/** Alloc+free pairs replayed while counting collections: at most 100 timed-size calls, and no more calls than this many pairs need (at least one). */
export const GC_COUNT_PAIRS = 200_000;

/** Collections seen while replaying `pairs` alloc+free pairs after timing (`countGc` cases). */
export interface ChurnGc {
  pairs: number;
  /** Collections that started during the replay. */
  collections: number;
  /** Their summed duration, ms. */
  gcMs: number;
}

/** A measured case plus the batch the calibration chose. */
export interface ChurnResult extends CaseResult {
  /** Alloc+free pairs per timed call. */
  batch: number;
  /** Present when the spec asked for `countGc`. */
  gc?: ChurnGc;
}

/**
 * Builds the allocator, fills it with `liveBlocks` blocks, calibrates the batch so one timed call
 * lasts about `callMs` (1 ms quick, 2 ms full), then times the case with the shared harness.
 *
 * @param suite - suite name for the harness.
 * @returns the case's median ns per alloc+free pair and the batch used.
 * @throws whatever the allocator throws (an out-of-memory means the arena was sized too small).
 */
export async function measureChurn(suite: string, spec: ChurnSpec, options: BenchOptions): Promise<ChurnResult> {
  const mask = spec.sizes.length - 1;
  if ((spec.sizes.length & mask) !== 0) throw new RangeError(`${spec.name}: trace length must be a power of two`);
  const residents = spec.liveBlocks;
  const slotCount = residents + MAX_LIFO_BATCH;
  const live: Slots = spec.handles === 'offset' ? new Int32Array(slotCount) : new Array<unknown>(slotCount).fill(null);
  const victims = spec.victims ?? new Int32Array(spec.sizes.length);
  const st = new Int32Array(2);
  let target: ChurnTarget<unknown> | null = spec.make();
  const fillAt = spec.sizes.length >>> 1; // fill from the second half, replay from the start
  for (let i = 0; i < residents; i++) (live as unknown[])[i] = target.alloc(spec.sizes[(fillAt + i) & mask]);

  const replay = freshCopy(REPLAYS[spec.order]);
  const maxBatch = spec.order === 'lifo' ? MAX_LIFO_BATCH : 1 << 20;
  const step = (batch: number) => replay(target, live, spec.sizes, victims, st, mask, residents, batch);

  // Warm up and calibrate: for `warmMs`, run calls, doubling the batch while a call takes less than
  // a quarter of `callMs` (an early call slowed by compilation only pauses the growth). Then take
  // the fastest of a few calls (the least disturbed by other processes) as the per-op cost and
  // scale the batch to `callMs`.
  const callMs = options.quick ? 1 : 2;
  const warmMs = options.quick ? 30 : 100;
  let batch = 1;
  const warmStart = performance.now();
  for (;;) {
    const t0 = performance.now();
    step(batch);
    const t1 = performance.now();
    if (t1 - t0 < callMs / 4 && batch < maxBatch) batch = Math.min(maxBatch, batch * 2);
    else if (t1 - warmStart >= warmMs) break;
  }
  let bestMs = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    step(batch);
    bestMs = Math.min(bestMs, performance.now() - t0);
  }
  batch = Math.max(1, Math.min(maxBatch, Math.round((batch * callMs) / Math.max(bestMs, 1e-3))));

  const [result] = (await runCases(suite, [{ name: spec.name, opsPerCall: batch, fn: () => step(batch) }], [], options))
    .cases;
  let gc: ChurnGc | undefined;
  if (spec.countGc) {
    // Outside tinybench, whose own sampling allocates; the loop is warm by now.
    const calls = Math.max(1, Math.min(100, Math.floor(GC_COUNT_PAIRS / batch)));
    const counted = await countGc(
      () => {
        for (let i = 0; i < calls; i++) step(batch);
      },
      options.quick ? 30 : 100,
    );
    gc = { pairs: calls * batch, collections: counted.count, gcMs: counted.totalMs };
  }
  spec.after?.(target as never);
  target = null;
  return gc ? { ...result, batch, gc } : { ...result, batch };
}
