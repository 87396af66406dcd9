/**
 * Bootstrap of a TypeScript module run as a Node worker thread, for the tests, the benchmarks and
 * the Node particle demo: registers tsx in this thread (it reads tsconfig.json, so `steadyheap`
 * resolves to src/ as everywhere in this repository), then imports `workerData.entry`. Node 20
 * does not pass the parent's `--import tsx` hooks to worker threads.
 *
 * `new Worker(new URL('../scripts/ts-worker.mjs', import.meta.url), { workerData: { entry, ... } })`
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
