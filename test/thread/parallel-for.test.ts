/**
 * ParallelFor across real threads: every item of every step covered exactly once by contiguous,
 * aligned chunks; per-step params; close; a throwing body; a dead worker found, released and
 * replaced; and no garbage collection per step on the owner or on any worker.
 */
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ParallelFor, ParallelForWorker, chunkStart, type ParallelForDescriptor } from '../../src/index.ts';
import { countGc } from '../support/gc.ts';
import { nextMessage, startWorker } from '../support/workers.ts';

const PARALLEL_WORKER = new URL('./workers/parallel-worker.ts', import.meta.url);
const MAX_ITEMS = 20_000;

const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.terminate()));
});

/** Shared result arrays the test workers write. */
function sharedArrays(workers: number) {
  return {
    hits: new Int32Array(new SharedArrayBuffer(4 * MAX_ITEMS)),
    seen: new Float64Array(new SharedArrayBuffer(8 * MAX_ITEMS)),
    bounds: new Int32Array(new SharedArrayBuffer(8 * workers)),
  };
}

async function team(
  workers: number,
  extra: Record<string, unknown> = {},
  options: { alignItems?: number } = {},
  resourceLimits?: ResourceLimits,
): Promise<{ pf: ParallelFor; arrays: ReturnType<typeof sharedArrays>; threads: Worker[] }> {
  const pf = new ParallelFor({ workers, ...options });
  const arrays = sharedArrays(workers);
  const threads: Worker[] = [];
  for (let i = 0; i < workers; i++) {
    const w = startWorker(PARALLEL_WORKER, { team: pf.share(), ...arrays, ...extra }, resourceLimits);
    running.push(w);
    threads.push(w);
  }
  const indices = await Promise.all(threads.map((w) => nextMessage<{ index: number }>(w, 'attached')));
  // threads[i] is the worker that took index i.
  const byIndex = indices.map((m, k) => [m.index, threads[k]] as const).sort((a, b) => a[0] - b[0]);
  return { pf, arrays, threads: byIndex.map(([, w]) => w) };
}

describe('ParallelFor', () => {
  it('covers each item of each step exactly once, in contiguous aligned chunks, with the step params', async () => {
    const { pf, arrays, threads } = await team(3);
    expect(pf.attached).toBe(3);
    const counts = [0, 1, 63, 64, 65, 1000, 12_345, MAX_ITEMS];
    for (const [step, count] of counts.entries()) {
      arrays.hits.fill(0);
      pf.params[0] = step + 0.5;
      pf.run(count);
      expect(pf.isDone).toBe(true);
      for (let i = 0; i < count; i++) {
        if (arrays.hits[i] !== 1)
          throw new Error(`step ${step}, count ${count}: item ${i} hit ${arrays.hits[i]} times`);
        if (arrays.seen[i] !== step + 0.5) throw new Error(`item ${i} saw params[0] = ${arrays.seen[i]}`);
      }
      expect(arrays.hits[count] ?? 0).toBe(0);
      // Chunks: contiguous, in index order, starts multiples of 64, the last ends at count.
      const chunks = [0, 1, 2].map((i) => [arrays.bounds[2 * i], arrays.bounds[2 * i + 1]]);
      expect(chunks).toEqual([0, 1, 2].map((i) => [chunkStart(count, 3, i, 64), chunkStart(count, 3, i + 1, 64)]));
      expect(chunks[0][0]).toBe(0);
      expect(chunks[2][1]).toBe(count);
      for (const [start] of chunks) expect(start === count || start % 64 === 0).toBe(true);
    }
    expect(pf.steps).toBe(counts.length);
    pf.close();
    const closed = await Promise.all(threads.map((w) => nextMessage<{ steps: number }>(w, 'closed')));
    expect(closed.map((c) => c.steps)).toEqual([counts.length, counts.length, counts.length]);
    expect(pf.attached).toBe(0);
    expect(() => pf.start(1)).toThrow(/closed/);
  });

  it('chunkStart splits evenly in aligned units', () => {
    expect([0, 1, 2, 3, 4].map((i) => chunkStart(1000, 4, i, 1))).toEqual([0, 250, 500, 750, 1000]);
    expect([0, 1, 2, 3].map((i) => chunkStart(1001, 3, i, 1))).toEqual([0, 334, 668, 1001]);
    expect([0, 1, 2, 3].map((i) => chunkStart(200, 3, i, 64))).toEqual([0, 128, 192, 200]);
    expect([0, 1, 2, 3].map((i) => chunkStart(10, 3, i, 64))).toEqual([0, 10, 10, 10]);
    expect([0, 1, 2].map((i) => chunkStart(0, 2, i, 64))).toEqual([0, 0, 0]);
    // 5 units of 64 over 2 workers: 3 and 2 units.
    expect([0, 1, 2].map((i) => chunkStart(300, 2, i, 64))).toEqual([0, 192, 300]);
  });

  it('a throwing body fails the step on the owner and the worker', async () => {
    const { pf, threads } = await team(2, { throwAtStep: 2 });
    pf.run(100);
    const errors = threads.map((w) => new Promise<Error>((resolve) => w.once('error', resolve)));
    expect(() => pf.run(100)).toThrow(/2 workers' body threw in step 2/);
    const [e0, e1] = await Promise.all(errors);
    expect(e0.message).toMatch(/throws on step 2/);
    expect(e1.message).toMatch(/throws on step 2/);
  });

  it('a dead worker is named after the timeout; a replacement on its released index finishes the step', async () => {
    const { pf, arrays, threads } = await team(2);
    pf.run(5000);
    await threads[1].terminate();
    arrays.hits.fill(0);
    pf.start(5000);
    // The live worker finishes its chunk (on a loaded machine that may take more than one
    // timeout); the dead one never does, so wait() gives up after 200 ms without progress.
    let stalled = false;
    for (let k = 0; k < 300 && !stalled; k++) stalled = !pf.wait(200) && pf.unfinished().length === 1;
    expect(stalled).toBe(true);
    expect(pf.unfinished()).toEqual([1]);
    expect(() => pf.start(5000)).toThrow(/still running/);
    pf.release(1);
    const replacement = startWorker(PARALLEL_WORKER, { team: pf.share(), ...arrays });
    running.push(replacement);
    expect((await nextMessage<{ index: number }>(replacement, 'attached')).index).toBe(1);
    expect(pf.wait(60_000)).toBe(true);
    for (let i = 0; i < 5000; i++) if (arrays.hits[i] !== 1) throw new Error(`item ${i} hit ${arrays.hits[i]} times`);
    expect(() => pf.run(10, 50)).not.toThrow();
  });

  it('waitAsync resolves when the workers finish, and false after a timeout without them', async () => {
    const { pf, arrays } = await team(1);
    arrays.hits.fill(0);
    pf.start(3000);
    expect(await pf.waitAsync(60_000)).toBe(true);
    for (let i = 0; i < 3000; i++) if (arrays.hits[i] !== 1) throw new Error(`item ${i} hit ${arrays.hits[i]} times`);
    const lonely = new ParallelFor({ workers: 1 }); // nobody attaches
    lonely.start(10);
    expect(lonely.isDone).toBe(false);
    expect(await lonely.waitAsync(100)).toBe(false);
    expect(lonely.unfinished()).toEqual([0]);
  });

  it('validates options and arguments, and refuses a third attach of two indices', async () => {
    expect(() => new ParallelFor({ workers: 0 })).toThrow(/workers must be an integer in \[1, 256\]/);
    expect(() => new ParallelFor({ workers: 2, paramCount: -1 })).toThrow(RangeError);
    expect(() => new ParallelFor({ workers: 2, extra: 1 } as never)).toThrow(/unknown option "extra"/);
    expect(() => new ParallelFor(undefined as never)).toThrow(TypeError);
    const pf = new ParallelFor({ workers: 2, paramCount: 3 });
    expect(pf.params.length).toBe(3);
    expect(() => pf.start(-1)).toThrow(RangeError);
    expect(() => pf.start(1.5)).toThrow(RangeError);
    expect(() => pf.start(2 ** 30 + 1)).toThrow(RangeError);
    expect(() => pf.wait(-1)).toThrow(RangeError);
    expect(() => pf.release(2)).toThrow(RangeError);
    const d: ParallelForDescriptor = structuredClone(pf.share());
    ParallelForWorker.attach(d);
    ParallelForWorker.attach(d);
    expect(() => ParallelForWorker.attach(d)).toThrow(/all 2 worker indices are taken/);
    expect(() => ParallelForWorker.attach({ ...d, version: 2 } as never)).toThrow(/version 2/);
    expect(() => ParallelForWorker.attach({} as never)).toThrow(TypeError);
  });

  it('starts no garbage collection over thousands of steps, on the owner or any worker', async () => {
    // A 0.5 MiB young generation on the workers (V8's default is 16 MiB and more), so that one
    // 16-byte object per step, 1 MiB over these steps, starts collections there (checked by
    // adding one to the worker's body: this test then fails).
    const { pf, threads } = await team(2, { countGc: true }, {}, { maxYoungGenerationSizeMb: 0.5 });
    const STEPS = 64_000;
    // The test's own loop must allocate nothing either: integer params (a fractional one is
    // boxed by the interpreter), warmed up by whole calls, so V8 optimizes all of it.
    const steps = (n: number, measuring: number) => {
      pf.params[1] = measuring;
      for (let s = 0; s < n; s++) {
        pf.params[0] = s;
        pf.run(256);
      }
    };
    for (let k = 0; k < 10; k++) steps(1000, 0);
    steps(1, 2); // each worker collects the warm-up's garbage
    let from = 0;
    let to = 0;
    const owner = await countGc(() => {
      from = performance.timeOrigin + performance.now();
      steps(STEPS, 1);
      to = performance.timeOrigin + performance.now();
    });
    pf.close();
    const closed = await Promise.all(
      threads.map((w) => nextMessage<{ steps: number; gcStarts: number[]; measuredSteps: number }>(w, 'closed')),
    );
    expect(owner.count).toBe(0);
    for (const c of closed) {
      expect(c.measuredSteps).toBe(STEPS);
      // Absolute start times of the worker's collections (ms since the epoch) within the steps.
      expect(c.gcStarts.filter((t) => t >= from && t <= to)).toEqual([]);
    }
  });
});
