/**
 * Functional tests of the particle demo's simulations (Node, no browser): lifetimes against a
 * reference model, conservation and `check()` after every step of seeded random runs (the
 * pooled `check()` also ties every live trail to a live arena block), the live count range,
 * pooled and naive agreeing step for step (comet trails included), floor and error handling.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_LIFE_MS,
  MAX_STEP_MS,
  MIN_LIFE_MS,
  SeededRandom,
  expectedLiveRange,
} from '../../../examples/particles/physics.ts';
import { PRESETS } from '../../../examples/particles/params.ts';
import {
  DEMO_MODES,
  NaiveSimulation,
  PooledSimulation,
  createSimulation,
  isDemoMode,
  nextDemoMode,
  simulationKindOf,
} from '../../../examples/particles/simulation.ts';

describe('PooledSimulation against a reference model of lifetimes', () => {
  it('frees a particle exactly when its elapsed steps reach its life; conserves counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 30, maxLength: 120 }),
        (seed, capacity, spawnPerFrame, stepsMs) => {
          const sim = new PooledSimulation({ capacity, spawnPerFrame, seed });
          const pool = sim.pool;
          // Model: handle -> [lifeMs, ageMs]. Integer step lengths keep f32 and f64 exact.
          const model = new Map<number, [number, number]>();
          for (const dtMs of stepsMs) {
            sim.step(dtMs);
            sim.check();
            const stepMs = Math.min(dtMs, MAX_STEP_MS);
            let expectedFreed = 0;
            for (const [h, entry] of model) {
              entry[1] += stepMs;
              const alive = entry[1] < entry[0];
              expect(pool.isAlive(h)).toBe(alive);
              if (!alive) {
                model.delete(h);
                expectedFreed++;
              }
            }
            expect(sim.freedLastStep).toBe(expectedFreed);
            let spawned = 0;
            for (let i = 0; i < pool.size; i++) {
              const slot = pool.dense[i];
              const h = pool.handleOf(slot);
              if (model.has(h)) continue;
              const lifeMs = pool.fields.maxLifeMs[slot];
              expect(lifeMs).toBeGreaterThanOrEqual(MIN_LIFE_MS);
              expect(lifeMs).toBeLessThan(MAX_LIFE_MS);
              expect(pool.fields.lifeMs[slot]).toBe(lifeMs);
              model.set(h, [lifeMs, 0]);
              spawned++;
            }
            expect(sim.spawnedLastStep).toBe(spawned);
            expect(spawned).toBe(Math.min(spawnPerFrame, capacity - (pool.size - spawned)));
            expect(model.size).toBe(sim.live);
            expect(sim.spawnedTotal - sim.freedTotal).toBe(sim.live);
          }
        },
      ),
      { seed: 20261129, numRuns: 40 },
    );
  });
});

describe('pooled and naive simulations', () => {
  it('agree step for step on every count, with check() after each step', () => {
    const rng = new SeededRandom(99);
    const options = { capacity: 3000, spawnPerFrame: 120, seed: 42, widthPx: 800, heightPx: 600 };
    const pooled = new PooledSimulation(options);
    const naive = new NaiveSimulation(options);
    for (let i = 0; i < 400; i++) {
      const dtMs = Math.floor(rng.next() * 40);
      pooled.step(dtMs);
      naive.step(dtMs);
      pooled.check();
      naive.check();
      expect([
        pooled.live,
        pooled.spawnedLastStep,
        pooled.freedLastStep,
        pooled.spawnedTotal,
        pooled.freedTotal,
      ]).toEqual([naive.live, naive.spawnedLastStep, naive.freedLastStep, naive.spawnedTotal, naive.freedTotal]);
    }
    // Same particles, too: the sorted lives match (positions differ only by f32 rounding).
    const pooledLives = Array.from({ length: pooled.live }, (_, i) => pooled.pool.fields.lifeMs[pooled.pool.dense[i]]);
    const naiveLives = naive.particles.map((p) => p.lifeMs);
    expect(pooledLives.sort((a, b) => a - b)).toEqual(naiveLives.sort((a, b) => a - b));
  });

  it('keep the same comet trails: the arena blocks and the Float32Arrays hold the same points', () => {
    const options = { capacity: 1500, spawnPerFrame: 60, seed: 9, cometEvery: 4, lifeMinMs: 300, lifeMaxMs: 2500 };
    const pooled = new PooledSimulation(options);
    const naive = new NaiveSimulation(options);
    let grew = 0;
    for (let i = 0; i < 300; i++) {
      // Whole-ms steps keep f32 and f64 lives exact, so both free the same particles.
      pooled.step(16 + (i % 2));
      naive.step(16 + (i % 2));
      expect(pooled.comets).toBe(naive.comets);
      // Trail lengths follow the fade, computed from an f32 life (pooled) or an f64 one (naive):
      // at a rounding boundary a trail can be one point longer in one of them.
      expect(Math.abs(pooled.trailPoints - naive.trailPoints)).toBeLessThanOrEqual(Math.ceil(naive.comets / 50));
      grew = Math.max(grew, pooled.trailPoints);
    }
    pooled.check();
    expect(pooled.comets).toBeGreaterThan(50);
    expect(grew).toBeGreaterThan(pooled.comets * 5); // trails do lengthen
    // Each comet's newest point matches, comets keyed by life left, full life and scale (keys
    // that are not unique in either simulation are skipped).
    const f = pooled.pool.fields;
    const f32 = pooled.arena.f32;
    const newest = (points: ArrayLike<number>, head: number, length: number, full: number, base: number) => {
      const at = base + ((head + length - 1) % full) * 2;
      return [points[at], points[at + 1]];
    };
    const keyed = <T>(entries: [string, T][]) => {
      const map = new Map<string, T | null>();
      for (const [k, v] of entries) map.set(k, map.has(k) ? null : v);
      return map;
    };
    const pooledHeads = keyed(
      Array.from({ length: pooled.live }, (_, i) => pooled.pool.dense[i])
        .filter((s) => f.trailAt[s] >= 0)
        .map((s) => [
          `${f.lifeMs[s]}/${f.maxLifeMs[s]}/${f.scale[s]}`,
          newest(f32, f.trailHead[s], f.trailLength[s], f.trailFull[s], f.trailAt[s] >> 2),
        ]),
    );
    const naiveHeads = keyed(
      naive.particles
        .filter((p) => p.trail)
        .map((p) => [
          `${Math.fround(p.lifeMs)}/${p.maxLifeMs}/${Math.fround(p.scale)}`,
          newest(p.trail as Float32Array, p.trailHead, p.trailLength, p.trailFull, 0),
        ]),
    );
    let matched = 0;
    for (const [key, mine] of pooledHeads) {
      const theirs = naiveHeads.get(key);
      if (!mine || !theirs) continue;
      expect(mine[0]).toBeCloseTo(theirs[0], 1);
      expect(mine[1]).toBeCloseTo(theirs[1], 1);
      matched++;
    }
    expect(matched).toBeGreaterThan(pooled.comets / 2);
  });

  it('keep every particle at or above the floor and leave none with a NaN position', () => {
    for (const mode of DEMO_MODES) {
      const sim = createSimulation(mode, { capacity: 2000, spawnPerFrame: 100, seed: 5, widthPx: 640, heightPx: 360 });
      for (let i = 0; i < 240; i++) sim.step(1000 / 60);
      const ys =
        sim instanceof PooledSimulation
          ? Array.from({ length: sim.live }, (_, i) => sim.pool.fields.y[sim.pool.dense[i]])
          : (sim as NaiveSimulation).particles.map((p) => p.y);
      expect(ys.length).toBe(sim.live);
      for (const y of ys) {
        expect(Number.isFinite(y)).toBe(true);
        expect(y).toBeLessThanOrEqual(360);
      }
    }
  });
});

describe('live count', () => {
  it('stays in expectedLiveRange at 20,000 capacity and 2,000 spawns per frame (pool full)', () => {
    const sim = new PooledSimulation({ capacity: 20_000, spawnPerFrame: 2000, seed: 11 });
    const range = expectedLiveRange(20_000, 2000);
    expect(range).toEqual({ min: 10_000, max: 20_000 });
    for (let i = 0; i < 700; i++) {
      sim.step(1000 / 60);
      if (i >= 60) {
        expect(sim.live).toBeGreaterThanOrEqual(range.min);
        expect(sim.live).toBeLessThanOrEqual(range.max);
      }
    }
    // 2,000 spawns of ~1 s lives want ~120,000 slots: the pool is full after every step.
    expect(sim.live).toBe(20_000);
    sim.check();
  });

  it('stays in expectedLiveRange for the software preset at 60, 30 and 10 fps', () => {
    const { capacity, spawnPerFrame, lifeMinMs, lifeMaxMs } = PRESETS.software;
    for (const frameMs of [1000 / 60, 1000 / 30, 100]) {
      const sim = new PooledSimulation({ capacity, spawnPerFrame, seed: 3, lifeMinMs, lifeMaxMs });
      const range = expectedLiveRange(capacity, spawnPerFrame, lifeMinMs);
      for (let i = 0; i < 300; i++) {
        sim.step(frameMs);
        if (i >= 100) {
          expect(sim.live).toBeGreaterThanOrEqual(range.min);
          expect(sim.live).toBeLessThanOrEqual(range.max);
        }
      }
    }
  });
});

describe('reset, spawn rate and errors', () => {
  it('reset() empties the simulation and replays the same sequence', () => {
    for (const mode of DEMO_MODES) {
      const sim = createSimulation(mode, { capacity: 1000, spawnPerFrame: 50, seed: 8 });
      const trace = (): number[] => {
        const out: number[] = [];
        for (let i = 0; i < 50; i++) {
          sim.step(20);
          out.push(sim.live, sim.freedLastStep);
        }
        return out;
      };
      const first = trace();
      sim.reset();
      expect([sim.live, sim.spawnedTotal, sim.freedTotal, sim.steps]).toEqual([0, 0, 0, 0]);
      sim.check();
      expect(trace()).toEqual(first);
    }
  });

  it('spawnPerFrame 0 drains the simulation; clamps long steps to MAX_STEP_MS', () => {
    const sim = new PooledSimulation({ capacity: 500, spawnPerFrame: 100, seed: 1 });
    sim.step(16);
    expect(sim.live).toBe(100);
    sim.spawnPerFrame = 0;
    // A 10 s step is simulated as MAX_STEP_MS: nobody dies (lives >= MIN_LIFE_MS > MAX_STEP_MS).
    sim.step(10_000);
    expect(sim.live).toBe(100);
    for (let i = 0; i < Math.ceil(MAX_LIFE_MS / MAX_STEP_MS); i++) sim.step(MAX_STEP_MS);
    expect(sim.live).toBe(0);
    expect(sim.freedTotal).toBe(100);
    sim.check();
  });

  it('rejects bad options and steps with TypeError / RangeError, leaving the state unchanged', () => {
    for (const mode of DEMO_MODES) {
      expect(() => createSimulation(mode, { capacity: 0, spawnPerFrame: 1 })).toThrow(RangeError);
      expect(() => createSimulation(mode, { capacity: 1.5, spawnPerFrame: 1 })).toThrow(/capacity/);
      expect(() => createSimulation(mode, { capacity: '10' as never, spawnPerFrame: 1 })).toThrow(TypeError);
      expect(() => createSimulation(mode, { capacity: 10, spawnPerFrame: -1 })).toThrow(RangeError);
      expect(() => createSimulation(mode, { capacity: 10, spawnPerFrame: 1, widthPx: NaN })).toThrow(RangeError);
      expect(() => createSimulation(mode, { capacity: 10, spawnPerFrame: 1, seed: 2 ** 32 })).toThrow(/seed/);
      expect(() => createSimulation(mode, null as never)).toThrow(TypeError);
      expect(() => createSimulation(mode, { capacity: 10, spawnPerFrame: 1, lifeMinMs: 10 })).toThrow(/lifeMinMs/);
      expect(() => createSimulation(mode, { capacity: 10, spawnPerFrame: 1, lifeMinMs: 900, lifeMaxMs: 900 })).toThrow(
        /lifeMaxMs must be an integer in \[901, 60000\]/,
      );
      expect(() => createSimulation(mode, { capacity: 10, spawnPerFrame: 1, cometEvery: -1 })).toThrow(RangeError);

      const sim = createSimulation(mode, { capacity: 100, spawnPerFrame: 10, seed: 2 });
      sim.step(16);
      const before = [sim.live, sim.spawnedTotal, sim.freedTotal, sim.steps];
      expect(() => sim.step(NaN)).toThrow(RangeError);
      expect(() => sim.step(-1)).toThrow(/dtMs/);
      expect(() => sim.step(Infinity)).toThrow(RangeError);
      expect(() => sim.step('16' as never)).toThrow(TypeError);
      expect([sim.live, sim.spawnedTotal, sim.freedTotal, sim.steps]).toEqual(before);
      sim.check();
    }
    expect(() => createSimulation('fast' as never, { capacity: 10, spawnPerFrame: 1 })).toThrow(TypeError);
  });
});

describe('stepUs (whole microseconds)', () => {
  it('takes the same steps as step(dtUs / 1000), clamped alike, in both simulations', () => {
    for (const mode of ['pooled', 'naive'] as const) {
      const options = { capacity: 800, spawnPerFrame: 40, seed: 12 };
      const a = createSimulation(mode, options);
      const b = createSimulation(mode, options);
      const rng = new SeededRandom(5);
      for (let i = 0; i < 200; i++) {
        const dtUs = Math.floor(rng.next() * 80_000); // up to 80 ms: clamped above MAX_STEP_MS
        a.stepUs(dtUs);
        b.step(dtUs / 1000);
        a.check();
        expect([a.live, a.freedLastStep, a.spawnedTotal, a.steps]).toEqual([
          b.live,
          b.freedLastStep,
          b.spawnedTotal,
          b.steps,
        ]);
      }
      if (a instanceof PooledSimulation && b instanceof PooledSimulation) {
        expect(a.pool.fields.y).toEqual(b.pool.fields.y);
        expect(a.pool.fields.lifeMs).toEqual(b.pool.fields.lifeMs);
      }
    }
  });

  it('rejects a dtUs that is not an integer >= 0, leaving the state unchanged', () => {
    for (const mode of DEMO_MODES) {
      const sim = createSimulation(mode, { capacity: 100, spawnPerFrame: 10, seed: 2 });
      sim.stepUs(16_000);
      const before = [sim.live, sim.spawnedTotal, sim.freedTotal, sim.steps];
      expect(() => sim.stepUs(16.5)).toThrow(RangeError);
      expect(() => sim.stepUs(-1)).toThrow(/dtUs must be an integer in \[0, 9007199254740991\], got -1/);
      expect(() => sim.stepUs(NaN)).toThrow(RangeError);
      expect(() => sim.stepUs('16000' as never)).toThrow(TypeError);
      expect(() => sim.stepUs(2 ** 53)).toThrow(
        /dtUs must be an integer in \[0, 9007199254740991\], got 9007199254740992/,
      );
      expect(() => sim.stepUs(Infinity)).toThrow(RangeError);
      expect(() => sim.stepUs(null as never)).toThrow(TypeError);
      expect([sim.live, sim.spawnedTotal, sim.freedTotal, sim.steps]).toEqual(before);
      sim.stepUs(Number.MAX_SAFE_INTEGER); // the largest accepted step (clamped to MAX_STEP_MS)
      expect(sim.steps).toBe(before[3] + 1);
      sim.check();
    }
  });
});

describe('demo modes', () => {
  it('all but naive run the pooled simulation; the button cycles through all four', () => {
    expect(DEMO_MODES).toEqual(['naive', 'pooled', 'instanced', 'zero-garbage']);
    expect(DEMO_MODES.map(simulationKindOf)).toEqual(['naive', 'pooled', 'pooled', 'pooled']);
    expect(createSimulation('zero-garbage', { capacity: 10, spawnPerFrame: 1 })).toBeInstanceOf(PooledSimulation);
    expect(createSimulation('instanced', { capacity: 10, spawnPerFrame: 1 })).toBeInstanceOf(PooledSimulation);
    expect(createSimulation('naive', { capacity: 10, spawnPerFrame: 1 })).toBeInstanceOf(NaiveSimulation);
    expect(DEMO_MODES.map(nextDemoMode)).toEqual(['pooled', 'instanced', 'zero-garbage', 'naive']);
    for (const mode of DEMO_MODES) expect(isDemoMode(mode)).toBe(true);
    for (const bad of ['fast', 'Pooled', 'zero-object', '', null, undefined, 0, {}])
      expect(isDemoMode(bad)).toBe(false);
  });

  it('rejects an unknown mode with a TypeError that lists the modes', () => {
    expect(() => simulationKindOf('gpu' as never)).toThrow(TypeError);
    expect(() => nextDemoMode('gpu' as never)).toThrow(
      /one of 'naive', 'pooled', 'instanced', 'zero-garbage', got "gpu"/,
    );
    expect(() => createSimulation(null as never, { capacity: 10, spawnPerFrame: 1 })).toThrow(TypeError);
  });
});

describe('SeededRandom', () => {
  it('is reproducible, in [0, 1), and roughly uniform', () => {
    const a = new SeededRandom(123);
    const b = new SeededRandom(123);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = a.next();
      expect(b.next()).toBe(x);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]++;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(800);
    expect(new SeededRandom(124).next()).not.toBe(new SeededRandom(123).next());
  });
});
