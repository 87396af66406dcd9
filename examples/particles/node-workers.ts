/**
 * The particle simulation stepped by worker threads in Node, without a browser: the same
 * `PooledSimulation` as the demo's pooled modes, its pool shared (`shared: true`), and a
 * `ParallelFor` team of `worker_threads` running the demo's step worker (`step-worker-node.ts`).
 *
 * ```sh
 * node --import tsx examples/particles/node-workers.ts --workers 2 --capacity 200000 --spawn 4000 --frames 600
 * ```
 *
 * Each frame waits for the workers (a Node thread may sleep in `Atomics.wait`), then steps: the
 * owner drains the workers' frees, steps the comets, spawns, and starts the workers on the next
 * step. Prints the frame times and the counts, and checks the simulation at the end.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ParallelFor } from 'steadyheap';
import { STEP_PARAM_COUNT } from './particle-step.ts';
import { PooledSimulation } from './pooled-simulation.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '2' },
    capacity: { type: 'string', default: '200000' },
    spawn: { type: 'string', default: '4000' },
    frames: { type: 'string', default: '600' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'node --import tsx examples/particles/node-workers.ts [--workers N] [--capacity N] [--spawn N] [--frames N]',
  );
  process.exit(0);
}
const count = (name: string, text: string, min: number, max: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer in [${min}, ${max}], got ${text}`);
    process.exit(2);
  }
  return n;
};
const workers = count('workers', values.workers, 1, 64);
const capacity = count('capacity', values.capacity, 1, 1_000_000);
const spawnPerFrame = count('spawn', values.spawn, 0, 100_000);
const frames = count('frames', values.frames, 1, 1_000_000);

const sim = new PooledSimulation({ capacity, spawnPerFrame, cometEvery: 16, seed: 1, shared: true });
const team = new ParallelFor({ workers, paramCount: STEP_PARAM_COUNT });
const threads = Array.from(
  { length: workers },
  () =>
    new Worker(new URL('../../scripts/ts-worker.mjs', import.meta.url), {
      workerData: {
        entry: new URL('./step-worker-node.ts', import.meta.url).href,
        pool: sim.pool.share(),
        team: team.share(),
      },
    }),
);
sim.stepWith(team);

const FRAME_US = 16_667; // 60 Hz
const frameMs = new Float64Array(frames);
for (let i = 0; i < frames; i++) {
  const t0 = performance.now();
  team.wait();
  sim.stepUs(FRAME_US);
  frameMs[i] = performance.now() - t0;
}
team.wait();
sim.check();
const sorted = [...frameMs.subarray(Math.floor(frames / 2))].sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
console.log(
  `${workers} workers, ${capacity} particles, ${spawnPerFrame} spawns/frame, ${frames} frames: ` +
    `live ${sim.live}, comets ${sim.comets}, spawned ${sim.spawnedTotal}, freed ${sim.freedTotal}, ` +
    `remote frees ${sim.pool.remoteFreeStats().applied}`,
);
console.log(`owner's time per frame (wait + step), second half: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
team.close();
await Promise.all(threads.map((t) => new Promise((resolve) => t.once('exit', resolve))));
