/**
 * Test worker: attaches a remote-free lane and sends `values` (an Int32Array), then flushes and
 * reports; a QueueFullError is caught and reported with what it carried.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { QueueFullError, RemoteFreeSender, type RemoteFreeLaneDescriptor } from '../../../src/index.ts';

const { lane, values } = workerData as { lane: RemoteFreeLaneDescriptor; values: Int32Array };
const sender = RemoteFreeSender.attach(lane);
let sent = 0;
try {
  for (; sent < values.length; sent++) sender.send(values[sent]);
  sender.flush();
  parentPort!.postMessage({ type: 'done', sent });
} catch (error) {
  const e = error as QueueFullError;
  parentPort!.postMessage({
    type: 'failed',
    sent,
    name: e.name,
    message: e.message,
    waitedMs: e instanceof QueueFullError ? e.waitedMs : -1,
    pending: sender.pending,
  });
}
