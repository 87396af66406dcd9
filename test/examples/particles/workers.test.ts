/**
 * The particle simulation stepped by worker threads (Node `worker_threads`, the demo's
 * `step-worker-node.ts`): the particles without a trail move on two workers, which queue the
 * dead ones' frees; the owner drains them, steps the comets and spawns. Checked against the
 * simulation's own invariants every few frames (conservation, every live particle has life
 * left, every free slot reads dead, trails tied to live arena blocks), the live-count range, the
 * workers' frees really arriving through the queue, frames skipped while the workers are busy,
 * and a step on one thread afterwards.
 */
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ParallelFor } from '../../../src/index.ts';
import { STEP_PARAM_COUNT } from '../../../examples/particles/particle-step.ts';
import { expectedLiveRange } from '../../../examples/particles/physics.ts';
import { PooledSimulation } from '../../../examples/particles/pooled-simulation.ts';
import { countGc } from '../../support/gc.ts';
import { nextMessage, startWorker } from '../../support/workers.ts';

const STEP_WORKER = new URL('../../../examples/particles/step-worker-node.ts', import.meta.url);
const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.terminate()));
});

async function withWorkers(sim: PooledSimulation, workers: number): Promise<ParallelFor> {
  const team = new ParallelFor({ workers, paramCount: STEP_PARAM_COUNT });
  for (let i = 0; i < workers; i++) {
    const w = startWorker(STEP_WORKER, { pool: sim.pool.share(), team: team.share() });
    running.push(w);
    await nextMessage(w, 'started');
  }
  sim.stepWith(team);
  return team;
}

describe('PooledSimulation stepped by workers', () => {
  it('keeps every invariant, frees through the queue, and steps on one thread again after', async () => {
    const capacity = 20_000;
    const spawnPerFrame = 800;
    const sim = new PooledSimulation({ capacity, spawnPerFrame, seed: 5, cometEvery: 16, shared: true });
    const team = await withWorkers(sim, 2);
    expect(sim.workers).toBe(2);
    for (let frame = 1; frame <= 240; frame++) {
      expect(team.wait(60_000)).toBe(true);
      sim.stepUs(16_667);
      if (frame % 40 === 0) sim.check();
    }
    expect(sim.steps).toBe(240);
    expect(sim.waitedFrames).toBe(0); // every frame waited for the workers first
    sim.check(); // waits for the running step, applies its frees
    const { min, max } = expectedLiveRange(capacity, spawnPerFrame);
    expect(sim.live).toBeGreaterThanOrEqual(min);
    expect(sim.live).toBeLessThanOrEqual(max);
    expect(sim.comets).toBeGreaterThan(0);
    const remote = sim.pool.remoteFreeStats();
    expect(remote.rejected).toBe(0);
    // Most deaths are particles without a trail, freed by the workers through the queue.
    expect(remote.applied).toBeGreaterThan(sim.freedTotal * 0.8);
    expect(remote.applied).toBeLessThan(sim.freedTotal);

    sim.stepWith(null);
    team.close();
    for (let frame = 0; frame < 30; frame++) sim.stepUs(16_667);
    sim.check();
    expect(sim.workers).toBe(0);
  });

  it("the owner's step allocates nothing with workers", async () => {
    const sim = new PooledSimulation({ capacity: 20_000, spawnPerFrame: 800, seed: 9, cometEvery: 16, shared: true });
    const team = await withWorkers(sim, 2);
    const frames = (n: number) => {
      for (let i = 0; i < n; i++) {
        team.wait();
        sim.stepUs(16_667);
      }
    };
    for (let k = 0; k < 6; k++) frames(100);
    const gc = await countGc(() => frames(600));
    expect(gc.count, JSON.stringify(gc)).toBe(0);
    sim.check();
    team.close();
  });

  it('skips the frames that find the workers still busy, changing nothing', () => {
    const sim = new PooledSimulation({ capacity: 1000, spawnPerFrame: 50, seed: 2, shared: true });
    const team = new ParallelFor({ workers: 1 }); // no worker ever attaches: a step never ends
    sim.stepWith(team);
    sim.stepUs(16_667); // no step running yet: steps, then starts the workers
    expect(sim.steps).toBe(1);
    const live = sim.live;
    for (let i = 0; i < 5; i++) sim.stepUs(16_667);
    expect(sim.steps).toBe(1);
    expect(sim.live).toBe(live);
    expect(sim.waitedFrames).toBe(5);
    expect(sim.spawnedLastStep).toBe(0);
    expect(() => sim.check()).toThrow(/did not finish within 5 s/);
  });

  it('refuses workers for a pool that is not shared', () => {
    const sim = new PooledSimulation({ capacity: 100, spawnPerFrame: 10 });
    expect(() => sim.stepWith(new ParallelFor({ workers: 1 }))).toThrow(
      /create the simulation with \{ shared: true \}/,
    );
  });
});
