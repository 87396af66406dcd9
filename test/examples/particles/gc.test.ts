/**
 * The demo's main claim, measured: the pooled simulation step, comet trails in the arena and
 * the rebuilt trail-dot pool included, makes no garbage (zero GC events over 600 frames at
 * 20,000 particles and 2,000 spawns per frame, after warm-up), while the naive one, stepping the
 * very same particles and trails, makes the collector run many times. It holds for each arena
 * the demo can keep its trails in.
 */
import { describe, expect, it } from 'vitest';
import { countGc, forceGc } from '../../support/gc.ts';
import { TRAIL_ARENA_KINDS, TRAIL_GROWS, TRAIL_SHRINKS } from '../../../examples/particles/arena-trails.ts';
import { type PooledSimulation, createSimulation, type DemoMode } from '../../../examples/particles/simulation.ts';

const CAPACITY = 20_000;
const SPAWN_PER_FRAME = 2_000;
const WARMUP_FRAMES = 300;
const MEASURED_FRAMES = 600;
const FRAME_MS = 1000 / 60;

function run(mode: DemoMode, arena: (typeof TRAIL_ARENA_KINDS)[number] = 'buddy') {
  const sim = createSimulation(mode, {
    capacity: CAPACITY,
    spawnPerFrame: SPAWN_PER_FRAME,
    seed: 7,
    cometEvery: 16,
    arena,
  });
  // Warm-up: fills the pool and lets V8 optimize the step (the interpreter boxes doubles).
  for (let i = 0; i < WARMUP_FRAMES; i++) sim.step(FRAME_MS);
  return sim;
}

function stepFrames(sim: { step(dtMs: number): void }, frames: number): void {
  for (let i = 0; i < frames; i++) sim.step(FRAME_MS);
}

describe('particle simulation garbage', () => {
  it('pooled mode: zero GC events over 600 frames after warm-up', async () => {
    const sim = run('pooled');
    // A second warm-up call, so the measured loop is not the first run of stepFrames either.
    stepFrames(sim, 60);
    const gc = await countGc(() => stepFrames(sim, MEASURED_FRAMES));
    expect(sim.steps).toBe(WARMUP_FRAMES + 60 + MEASURED_FRAMES);
    expect(sim.spawnedTotal).toBeGreaterThan(MEASURED_FRAMES * 100); // it really did churn
    expect(gc.count, JSON.stringify(gc)).toBe(0);
    sim.check();
  });

  it('naive mode: many GC events over the same 600 frames', async () => {
    const sim = run('naive');
    stepFrames(sim, 60);
    const gc = await countGc(() => stepFrames(sim, MEASURED_FRAMES));
    // Measured: 14 scavenges (~190 KB of garbage per frame: ~250 new objects and a 20,000-slot
    // array). The floor leaves room for a larger young generation on another machine.
    expect(gc.count, JSON.stringify(gc)).toBeGreaterThanOrEqual(3);
    sim.check();
  });

  it('pooled mode, trails in each arena: zero GC events over 600 frames of stepUs after warm-up', async () => {
    for (const arena of TRAIL_ARENA_KINDS) {
      const sim = run('pooled', arena) as PooledSimulation;
      // As the demo's frame loop: the step in whole microseconds.
      const frameUs = Math.round(FRAME_MS * 1000);
      const frames = (n: number) => {
        for (let i = 0; i < n; i++) sim.stepUs(frameUs);
      };
      // countGc starts with a full collection, which drops the previous arenas' simulations and
      // with them the maps V8's optimized step code holds weakly: that code is thrown away and
      // rebuilt, boxing numbers meanwhile. Collect now, so that happens in this warm-up.
      forceGc();
      frames(60);
      const before = Float64Array.from(sim.trails.counters);
      const gc = await countGc(() => frames(MEASURED_FRAMES));
      expect(gc.count, `${arena}: ${JSON.stringify(gc)}`).toBe(0);
      // The arena really worked: trails grown and shrunk with realloc during the window.
      expect(sim.trails.counters[TRAIL_GROWS] - before[TRAIL_GROWS]).toBeGreaterThan(100);
      expect(sim.trails.counters[TRAIL_SHRINKS] - before[TRAIL_SHRINKS]).toBeGreaterThan(100);
      expect(sim.trailPoints).toBeGreaterThan(sim.comets);
      sim.check();
    }
  });
});
