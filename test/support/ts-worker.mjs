/**
 * Bootstrap of a TypeScript worker thread in the tests: registers tsx (which reads tsconfig.json,
 * so `steadyheap` resolves to src/) in this thread, then imports the worker module named by
 * `workerData.entry`. Node 20 does not pass the parent's `--import tsx` hooks to worker threads.
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
