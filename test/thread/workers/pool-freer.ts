/**
 * Test worker: attaches a shared StructPool, writes `tag` into the `tag` column of every handle
 * of `write`, then frees every handle of `free` through the view (a refused one is counted), and
 * flushes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { StructPool, type SharedStructPoolDescriptor } from '../../../src/index.ts';

const { pool, write, free, tag } = workerData as {
  pool: SharedStructPoolDescriptor<{ tag: Uint16Array; x: Float32Array }>;
  write: Int32Array;
  free: Int32Array;
  tag: number;
};
const view = StructPool.attach(pool);
for (let i = 0; i < write.length; i++) view.fields.tag[view.slotOf(write[i])] = tag;
const refusedHere: string[] = [];
for (let i = 0; i < free.length; i++) {
  try {
    view.free(free[i]);
  } catch (error) {
    refusedHere.push((error as { reason?: string }).reason ?? String(error));
  }
}
view.flush();
parentPort!.postMessage({ type: 'done', refusedHere });
