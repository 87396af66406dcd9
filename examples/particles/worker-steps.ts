/**
 * `?workers=N` in the browser: N module Web Workers (`step-worker.ts`) step the pooled
 * simulation's particles, through a `ParallelFor` team and the pool shared with them
 * (`particle-step.ts` has the kernel, `PooledSimulation.stepWith` the owner's side).
 *
 * The main thread cannot sleep in `Atomics.wait`, so it never waits for the workers: each frame
 * it steps only if they finished the previous step (`team.isDone`), and skips the simulation
 * otherwise (the page still renders). Needs `SharedArrayBuffer`, so a cross-origin-isolated
 * page: {@link isolationProblem} says what is missing when it is not.
 *
 * @module
 */
import { ParallelFor, isSharedMemoryAvailable } from 'steadyheap';
import { STEP_PARAM_COUNT } from './particle-step.ts';
import type { PooledSimulation } from './pooled-simulation.ts';

/** The running step workers. */
export interface StepWorkers {
  /** Workers started. */
  readonly count: number;
  /** Stops them: the simulation steps on the main thread again. */
  close(): void;
}

/**
 * Why `?workers=N` cannot run on this page, or null when it can: the message the overlay and
 * the console show. O(1).
 */
export function isolationProblem(requested: number): string | null {
  if (requested === 0 || isSharedMemoryAvailable()) return null;
  return [
    `workers=${requested}: this page is not cross-origin isolated, so it has no SharedArrayBuffer:`,
    'the particles step on the main thread. To isolate it, the server must send',
    'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp',
    '(README, section Workers).',
  ].join('\n');
}

/**
 * Starts `count` step workers for `sim` (created with `shared: true`), each with its own share
 * of the pool, and hands the team to the simulation. The workers attach when their module has
 * loaded; until then the simulation skips its frames.
 */
export function startStepWorkers(sim: PooledSimulation, count: number): StepWorkers {
  const team = new ParallelFor({ workers: count, paramCount: STEP_PARAM_COUNT });
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./step-worker.ts', import.meta.url), { type: 'module', name: `step-${i}` });
    worker.onerror = (event) => console.error(`steadyheap demo: step worker ${i} failed:`, event.message);
    worker.postMessage({ pool: sim.pool.share(), team: team.share() });
    workers.push(worker);
  }
  sim.stepWith(team);
  return {
    count,
    close() {
      sim.stepWith(null);
      team.close();
    },
  };
}
