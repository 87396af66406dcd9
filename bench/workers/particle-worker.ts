/**
 * A worker of the workers benchmark: attaches the particle pool and the ParallelFor, and steps
 * its chunk of every step with the shared kernel (`particles.ts`), freeing through its view, then
 * publishing the chunk's frees. It records the start times of its own garbage collections
 * (absolute ms) and posts them when the owner closes the team.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { ParallelForWorker, StructPool, type ParallelForDescriptor, type SharedStructPoolDescriptor } from 'steadyheap';
import { PARAM_ORDER, PARAM_STEP_MS, type ParticleColumns, stepChunk } from './particles.ts';

const { team, pool } = workerData as {
  team: ParallelForDescriptor;
  pool: SharedStructPoolDescriptor<ParticleColumns>;
};
const gcStarts: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcStarts.push(performance.timeOrigin + e.startTime);
});
observer.observe({ entryTypes: ['gc'] });

const view = StructPool.attach(pool);
const worker = ParallelForWorker.attach(team);
parentPort!.postMessage({ type: 'attached', index: worker.index });
const fields = view.fields;
const dense = view.dense;
worker.serve((start, end, w) => {
  stepChunk(fields, dense, w.params[PARAM_ORDER], start, end, w.params[PARAM_STEP_MS], view);
  view.flush();
});
// GC entries arrive on this thread's event loop, which serve() kept blocked.
setTimeout(() => {
  observer.disconnect();
  parentPort!.postMessage({ type: 'closed', gcStarts });
}, 200);
