/**
 * Remote frees across real threads (Node `worker_threads`): many workers freeing one arena's
 * blocks at once against a model, a worker terminated mid-batch, a full queue that waits or
 * fails, and byte ranges written by workers read back by the owner. Every arena kind shares the
 * same chassis hooks; the model test runs on each.
 */
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BuddyArena,
  FreeListArena,
  RemoteFreeQueue,
  SlabArena,
  TreeArena,
  type Allocator,
  type InvalidFreeReason,
  type RemoteFreeTarget,
  type SharedArenaDescriptor,
  type ShareOptions,
} from '../../src/index.ts';
import { mulberry32 } from '../support/random.ts';
import { exited, nextMessage, startWorker } from '../support/workers.ts';

const ARENA_FREER = new URL('./workers/arena-freer.ts', import.meta.url);
const QUEUE_SENDER = new URL('./workers/queue-sender.ts', import.meta.url);

type SharedArena = Allocator & {
  share(options?: ShareOptions): SharedArenaDescriptor;
  drainRemoteFrees(onRejected?: (value: number, reason: InvalidFreeReason) => void): number;
  unshare(descriptor: SharedArenaDescriptor): void;
  remoteFreeStats(): { lanes: number; received: number; applied: number; rejected: number };
  stats(): { liveBlocks: number; freeCount: number };
};

const ARENAS: Array<[string, () => SharedArena]> = [
  ['SlabArena', () => new SlabArena({ sizeBytes: 64 * 2048, blockBytes: 64, shared: true })],
  ['BuddyArena', () => new BuddyArena({ sizeBytes: 1 << 17, minBlockBytes: 32, shared: true })],
  ['FreeListArena', () => new FreeListArena({ sizeBytes: 1 << 17, shared: true })],
  ['TreeArena', () => new TreeArena({ sizeBytes: 1 << 17, shared: true })],
];

const running: Worker[] = [];
function start(module: URL, data: Record<string, unknown>): Worker {
  const w = startWorker(module, data);
  running.push(w);
  return w;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.terminate()));
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('remote frees from many workers at once', () => {
  for (const [name, make] of ARENAS) {
    it(`${name}: every block freed exactly once, duplicates and foreign offsets refused`, async () => {
      const arena = make();
      const random = { next: mulberry32(name.length * 7919) };
      const live: number[] = [];
      while (live.length < 1500) {
        const p = arena.tryAlloc(8 + Math.floor(random.next() * 40));
        if (p < 0) break;
        live.push(p);
      }
      const liveSet = new Set(live);
      // Each block goes to one of four workers; one in eight also to a second worker (a double
      // free); and each worker sends a few offsets that are no live block (foreign).
      const lists: number[][] = [[], [], [], []];
      let duplicates = 0;
      for (const p of live) {
        const w = Math.floor(random.next() * 4);
        lists[w].push(p);
        if (random.next() < 0.125) {
          lists[(w + 1) % 4].push(p);
          duplicates++;
        }
      }
      let foreign = 0;
      for (const list of lists) {
        for (let k = 0; k < 10; k++) {
          const p = arena.alignBytes * Math.floor(random.next() * (arena.u8.length / arena.alignBytes));
          if (liveSet.has(p)) continue;
          list.splice(Math.floor(random.next() * list.length), 0, p);
          foreign++;
        }
      }
      const workers = lists.map((list) =>
        start(ARENA_FREER, {
          // A small lane, so senders also wait for the owner's drains.
          arena: arena.share({ queueCapacity: 64, batchSize: 16, whenFull: 'wait', waitTimeoutMs: 60_000 }),
          offsets: Int32Array.from(list),
          mode: 'free',
        }),
      );
      const refused: Array<[number, InvalidFreeReason]> = [];
      const onRejected = (value: number, reason: InvalidFreeReason) => refused.push([value, reason]);
      let finished = 0;
      const reports = workers.map((w) =>
        nextMessage<{ refusedHere: string[] }>(w, 'done').then((m) => {
          finished++;
          return m;
        }),
      );
      let applied = 0;
      while (finished < workers.length) {
        applied += arena.drainRemoteFrees(onRejected);
        await tick();
      }
      applied += arena.drainRemoteFrees(onRejected);
      for (const r of await Promise.all(reports)) expect(r.refusedHere).toEqual([]); // every offset was aligned and in range

      expect(applied).toBe(live.length);
      expect(arena.stats().liveBlocks).toBe(0);
      expect(arena.stats().freeCount).toBe(live.length);
      arena.check();
      expect(refused.length).toBe(duplicates + foreign);
      const refusedLive = refused.filter(([p]) => liveSet.has(p));
      expect(refusedLive.length).toBe(duplicates); // the second free of a block, whichever came second
      for (const [, reason] of refused)
        expect(['not-allocated', 'interior', 'double-free', 'out-of-range']).toContain(reason);
      expect(arena.remoteFreeStats()).toMatchObject({
        received: live.length + duplicates + foreign,
        applied: live.length,
        rejected: duplicates + foreign,
        lanes: 4, // attached, not detached: still drained
      });
    });
  }
});

describe('a worker that dies mid-batch', () => {
  it('loses nothing the owner received and corrupts nothing: whole batches, in order, then unshare', async () => {
    const blocks = 100_000;
    const arena = new SlabArena({ sizeBytes: 16 * blocks, blockBytes: 16, shared: true });
    const offsets = new Int32Array(blocks);
    for (let i = 0; i < blocks; i++) offsets[i] = arena.alloc(16);
    const batchSize = 64;
    const descriptor = arena.share({ queueCapacity: 1 << 17, batchSize });
    const worker = start(ARENA_FREER, { arena: descriptor, offsets, mode: 'slow-free' });
    await nextMessage(worker, 'started');
    let applied = 0;
    // Let it publish a few batches, then terminate it wherever it is.
    while (applied < 3 * batchSize) {
      applied += arena.drainRemoteFrees();
      await tick();
    }
    await worker.terminate();
    applied += arena.drainRemoteFrees();
    arena.check();
    expect(applied % batchSize).toBe(0); // only whole batches reached the owner
    expect(applied).toBeGreaterThanOrEqual(3 * batchSize);
    expect(applied).toBeLessThan(blocks);
    expect(arena.stats().liveBlocks).toBe(blocks - applied);
    // The applied frees are exactly the first `applied` offsets the worker sent.
    for (let i = 0; i < blocks; i++) {
      const live = (() => {
        try {
          arena.sizeOf(offsets[i]);
          return true;
        } catch {
          return false;
        }
      })();
      if (live !== i >= applied) throw new Error(`block ${i} (offset ${offsets[i]}) live=${live}, applied=${applied}`);
    }
    expect(arena.remoteFreeStats()).toMatchObject({ lanes: 1, rejected: 0 });
    arena.unshare(descriptor);
    expect(arena.drainRemoteFrees()).toBe(0);
    expect(arena.remoteFreeStats().lanes).toBe(0);
    // The owner goes on as before.
    const p = arena.alloc(16);
    arena.free(p);
    arena.check();
  });
});

describe('a full queue', () => {
  const values = (n: number) => Int32Array.from({ length: n }, (_, i) => 1000 + i);
  const recorder = (): RemoteFreeTarget & { got: number[] } => {
    const got: number[] = [];
    return {
      got,
      applyRemoteFree(v) {
        got.push(v);
        return null;
      },
    };
  };

  it("whenFull 'wait': the sender sleeps until the owner drains; nothing lost, duplicated or overwritten", async () => {
    const queue = new RemoteFreeQueue();
    const lane = queue.share({ queueCapacity: 16, batchSize: 4, whenFull: 'wait', waitTimeoutMs: 60_000 });
    const worker = start(QUEUE_SENDER, { lane, values: values(500) });
    const done = nextMessage<{ sent: number }>(worker, 'done');
    const target = recorder();
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    while (!finished) {
      queue.drain(target);
      await new Promise((r) => setTimeout(r, 1));
    }
    queue.drain(target);
    expect((await done).sent).toBe(500);
    expect(target.got).toEqual(Array.from(values(500)));
  });

  it("whenFull 'wait' times out with QueueFullError when the owner never drains", async () => {
    const queue = new RemoteFreeQueue();
    const lane = queue.share({ queueCapacity: 16, batchSize: 4, whenFull: 'wait', waitTimeoutMs: 150 });
    const worker = start(QUEUE_SENDER, { lane, values: values(40) });
    const failed = await nextMessage<{
      sent: number;
      name: string;
      waitedMs: number;
      pending: number;
      message: string;
    }>(worker, 'failed');
    expect(failed.name).toBe('QueueFullError');
    expect(failed.sent).toBe(16);
    expect(failed.waitedMs).toBeGreaterThanOrEqual(150);
    expect(failed.message).toMatch(/stayed full/);
    const target = recorder();
    queue.drain(target);
    expect(target.got).toEqual(Array.from(values(16)));
  });

  it("whenFull 'throw': the sender fails at once, the queued entries stay intact", async () => {
    const queue = new RemoteFreeQueue();
    const lane = queue.share({ queueCapacity: 32, batchSize: 8 });
    const worker = start(QUEUE_SENDER, { lane, values: values(33) });
    const failed = await nextMessage<{ sent: number; name: string; waitedMs: number; pending: number }>(
      worker,
      'failed',
    );
    expect(failed).toMatchObject({ name: 'QueueFullError', sent: 32, waitedMs: 0, pending: 0 });
    await exited(worker);
    const target = recorder();
    queue.drain(target);
    expect(target.got).toEqual(Array.from(values(32)));
  });
});

describe('byte ranges written by workers', () => {
  it('read back by the owner once the workers are done', async () => {
    const arena = new BuddyArena({ sizeBytes: 1 << 20, minBlockBytes: 64, shared: true });
    const lists: number[][] = [[], [], []];
    for (let i = 0; i < 3000; i++) lists[i % 3].push(arena.alloc(64 + (i % 5) * 50));
    const workers = lists.map((list, w) =>
      start(ARENA_FREER, {
        arena: arena.share(),
        offsets: Int32Array.from(list),
        mode: 'write',
        pattern: 0x5a5a0000 + w,
      }),
    );
    await Promise.all(workers.map((w) => nextMessage(w, 'done')));
    lists.forEach((list, w) => {
      for (const p of list) expect(arena.u32[p >> 2]).toBe((0x5a5a0000 + w) ^ p);
    });
    arena.check();
  });
});
