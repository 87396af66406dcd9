/**
 * The particle demo's step worker in Node (`worker_threads`, started through
 * `scripts/ts-worker.mjs` by `node-workers.ts` and the tests): reads `{ pool, team }` from its
 * `workerData` and serves the team's steps (`particle-step.ts`) until the owner closes it.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveParticleSteps } from './particle-step.ts';

parentPort?.postMessage({ type: 'started' });
serveParticleSteps(workerData.pool, workerData.team);
