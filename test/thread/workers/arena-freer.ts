/**
 * Test worker: attaches a shared arena and works through `offsets` (an Int32Array):
 * - `mode: 'free'`: frees each (offsets the view refuses at once are counted), flushes, reports;
 * - `mode: 'slow-free'`: frees each after a short spin and never flushes (so the owner sees
 *   whole batches only), posting `started` first; the test terminates it mid-way;
 * - `mode: 'write'`: writes `pattern ^ offset` into the first u32 of each block, then reports.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BuddyArena, type SharedArenaDescriptor } from '../../../src/index.ts';

const { arena, offsets, mode, pattern } = workerData as {
  arena: SharedArenaDescriptor;
  offsets: Int32Array;
  mode: 'free' | 'slow-free' | 'write';
  pattern: number;
};
const view = BuddyArena.attach(arena);

if (mode === 'write') {
  for (let i = 0; i < offsets.length; i++) view.u32[offsets[i] >> 2] = (pattern ^ offsets[i]) >>> 0;
  parentPort!.postMessage({ type: 'done' });
} else if (mode === 'free') {
  const refusedHere: string[] = [];
  for (let i = 0; i < offsets.length; i++) {
    try {
      view.free(offsets[i]);
    } catch (error) {
      refusedHere.push(String(error));
    }
  }
  view.flush();
  parentPort!.postMessage({ type: 'done', refusedHere });
} else {
  parentPort!.postMessage({ type: 'started' });
  let sink = 0;
  for (let i = 0; i < offsets.length; i++) {
    for (let k = 0; k < 2000; k++) sink += k & 1; // about a microsecond: the test stops this loop mid-way
    view.free(offsets[i]);
  }
  parentPort!.postMessage({ type: 'finished-too-early', sink });
}
