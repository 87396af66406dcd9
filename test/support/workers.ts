/**
 * Test support: starting TypeScript modules as Node worker threads, and waiting for their
 * messages. Each worker gets `workerData = { entry, ...data }`; `scripts/ts-worker.mjs`
 * registers tsx in the thread and imports `entry`.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

const BOOTSTRAP = new URL('../../scripts/ts-worker.mjs', import.meta.url);

/**
 * Starts `module` (a URL of a .ts file, usually `new URL('./workers/x.ts', import.meta.url)`) in
 * a worker thread with `data` as its `workerData` (plus `entry`). Structured-cloned, so
 * SharedArrayBuffers inside `data` are shared.
 */
export function startWorker(module: URL, data: Record<string, unknown> = {}, resourceLimits?: ResourceLimits): Worker {
  return new Worker(BOOTSTRAP, { workerData: { ...data, entry: module.href }, resourceLimits });
}

/**
 * The next message from `worker` whose `type` is `type` (other messages are skipped), or a
 * rejection when the worker errs or exits first, or after `timeoutMs`.
 */
export function nextMessage<T = Record<string, unknown>>(worker: Worker, type: string, timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${type} message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { type?: string }) => {
      if (m && m.type === type) done(null, m as T);
    };
    const onError = (e: Error) => done(e);
    const onExit = (code: number) => done(new Error(`worker exited (code ${code}) before a ${type} message`));
    function done(error: Error | null, value?: T) {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (error) reject(error);
      else resolve(value as T);
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Resolves with the worker's exit code. */
export function exited(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once('exit', resolve));
}
