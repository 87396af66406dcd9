/**
 * The remote-free benchmark's worker: each step of the ParallelFor, frees the handles of its
 * chunk of the shared `handles` array through its pool view, then publishes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ParallelForWorker, StructPool, type ParallelForDescriptor, type SharedStructPoolDescriptor } from 'steadyheap';

const { team, pool, handles } = workerData as {
  team: ParallelForDescriptor;
  pool: SharedStructPoolDescriptor<{ x: Float32Array }>;
  handles: Int32Array;
};
const view = StructPool.attach(pool);
const worker = ParallelForWorker.attach(team);

/** The loop in a function of its own (see `particle-worker.ts`). */
function freeChunk(start: number, end: number): void {
  for (let i = start; i < end; i++) view.free(handles[i]);
}

parentPort!.postMessage({ type: 'attached' });
worker.serve((start, end) => {
  freeChunk(start, end);
  view.flush();
});
parentPort!.postMessage({ type: 'closed' });
