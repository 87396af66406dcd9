/**
 * A shared StructPool across real threads (Node `worker_threads`): workers write the slots they
 * were handed and free records through the queue at once, against a model: every handle freed
 * exactly once, none lost, none duplicated, stale ones refused (by the worker's own check against
 * the shared slot table, and by the owner when two workers free one handle); the owner reads back
 * what the workers wrote.
 */
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { StructPool, type InvalidFreeReason } from '../../src/index.ts';
import { mulberry32 } from '../support/random.ts';
import { nextMessage, startWorker } from '../support/workers.ts';

const POOL_FREER = new URL('./workers/pool-freer.ts', import.meta.url);
const running: Worker[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.terminate()));
});

describe('a shared StructPool and four workers', () => {
  it('frees each handle exactly once, refuses stale and duplicate ones, keeps what workers wrote', async () => {
    const random = mulberry32(2024);
    const pool = new StructPool({ tag: 'u16', x: 'f32' }, { capacity: 4096, shared: true });
    const all = Array.from({ length: 3000 }, () => pool.alloc());
    // 300 handles the owner frees first: stale everywhere from now on.
    const stale = all.splice(0, 300);
    for (const h of stale) pool.free(h);
    const WORKERS = 4;
    const writes: number[][] = Array.from({ length: WORKERS }, () => []);
    const frees: number[][] = Array.from({ length: WORKERS }, () => []);
    const freed = new Set<number>();
    let duplicates = 0;
    for (const h of all) {
      const w = Math.floor(random() * WORKERS);
      if (random() < 0.5) {
        writes[w].push(h); // kept: the worker writes its tag
        continue;
      }
      frees[w].push(h);
      freed.add(h);
      if (random() < 0.1) {
        frees[(w + 1) % WORKERS].push(h); // a second worker frees it too
        duplicates++;
      }
    }
    const staleSent = [0, 0, 0, 0];
    for (const h of stale) {
      const w = Math.floor(random() * WORKERS);
      frees[w].splice(Math.floor(random() * (frees[w].length + 1)), 0, h);
      staleSent[w]++;
    }
    const workers = frees.map((list, w) => {
      const worker = startWorker(POOL_FREER, {
        pool: pool.share(),
        write: Int32Array.from(writes[w]),
        free: Int32Array.from(list),
        tag: 100 + w,
      });
      running.push(worker);
      return worker;
    });
    const reports = await Promise.all(workers.map((w) => nextMessage<{ refusedHere: string[] }>(w, 'done')));
    reports.forEach((r, w) => {
      expect(r.refusedHere.length).toBe(staleSent[w]); // the worker's own check caught every stale handle
      for (const reason of r.refusedHere) expect(['stale-handle', 'double-free']).toContain(reason);
    });
    expect(pool.size).toBe(all.length); // nothing applied yet: only the owner applies

    const refused: Array<[number, InvalidFreeReason]> = [];
    expect(pool.drainRemoteFrees((h, reason) => refused.push([h, reason]))).toBe(freed.size);
    expect(refused.length).toBe(duplicates);
    for (const [h, reason] of refused) {
      expect(freed.has(h)).toBe(true);
      expect(reason).toBe('double-free');
    }
    expect(pool.size).toBe(all.length - freed.size);
    for (const h of all) expect(pool.isAlive(h)).toBe(!freed.has(h));
    writes.forEach((list, w) => {
      for (const h of list) expect(pool.fields.tag[pool.slotOf(h)]).toBe(100 + w);
    });
    expect(pool.stats().freeCount).toBe(stale.length + freed.size);
    expect(pool.remoteFreeStats()).toMatchObject({
      received: freed.size + duplicates,
      applied: freed.size,
      rejected: duplicates,
    });
    pool.check();
  });
});
