/**
 * Test worker: joins a ParallelFor and serves it until the owner closes it. Each step it adds 1
 * to `hits[i]` for every item of its chunk, writes `params[0]` into `seen[i]`, and records its
 * chunk in `bounds[2 * index]`, `bounds[2 * index + 1]`. With `throwAtStep`, its body throws on
 * that step. With `countGc`, it reports the start times (absolute ms) of the collections it
 * observed while serving, and how many steps it ran with `params[1] === 1` (the owner's
 * measured window); a step with `params[1] === 2` runs a full collection first.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ParallelForWorker, type ParallelForDescriptor } from '../../../src/index.ts';

const { team, hits, seen, bounds, throwAtStep, countGc } = workerData as {
  team: ParallelForDescriptor;
  hits: Int32Array;
  seen: Float64Array;
  bounds: Int32Array;
  throwAtStep?: number;
  countGc?: boolean;
};

const gcStarts: number[] = [];
const observer = countGc
  ? new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcStarts.push(performance.timeOrigin + e.startTime);
    })
  : null;
observer?.observe({ entryTypes: ['gc'] });

const worker = ParallelForWorker.attach(team);
parentPort!.postMessage({ type: 'attached', index: worker.index });
// Counters in a typed array, not module-level lets: a closure that stores numbers into module
// variables can allocate (the stored number is boxed), which would spoil the GC measurement.
const STEP = 0;
const MEASURED_STEPS = 1;
const state = new Float64Array(2);
const throwAt = throwAtStep ?? -1;
worker.serve((start, end, w) => {
  const step = state[STEP] + 1;
  state[STEP] = step;
  if (w.params[1] === 1) state[MEASURED_STEPS] += 1;
  // params[1] === 2: empty the young generation before the owner's measured window (the warm-up
  // left garbage in it), with the gc() that --expose-gc gives this thread too.
  if (w.params[1] === 2) (globalThis as { gc?: () => void }).gc?.();
  if (step === throwAt) throw new Error(`body of worker ${w.index} throws on step ${step}`);
  bounds[2 * w.index] = start;
  bounds[2 * w.index + 1] = end;
  const p = w.params[0];
  // Nothing after the loop: V8 compiles the loop on-stack (OSR) during the first long chunk,
  // before any code after it has run, and that code would then deoptimize at every step.
  for (let i = start; i < end; i++) {
    hits[i] += 1;
    seen[i] = p;
  }
});
// GC entries are delivered on this thread's event loop, which serve() kept blocked.
setTimeout(() => {
  observer?.disconnect();
  parentPort!.postMessage({
    type: 'closed',
    steps: state[STEP],
    gcStarts,
    measuredSteps: state[MEASURED_STEPS],
  });
}, 100);
