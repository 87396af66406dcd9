/**
 * The remote-free queue on one thread: the sender and the owner's drain are ordinary calls here,
 * so every interleaving a test needs can be written out. Cross-thread behaviour (many senders at
 * once, a sender terminated mid-batch, a sender waiting for room) is in `remote-free-threads.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BATCH_SIZE,
  OwnershipError,
  QueueFullError,
  RemoteFreeQueue,
  RemoteFreeSender,
  type InvalidFreeReason,
  type RemoteFreeTarget,
} from '../../src/index.ts';
import { LANE_HEAD, LANE_TAIL } from '../../src/thread/remote-free-queue.ts';

/** A target that records what it was given and accepts values below `limit`. */
function recorder(limit = Number.POSITIVE_INFINITY): RemoteFreeTarget & { applied: number[]; refused: number[] } {
  const applied: number[] = [];
  const refused: number[] = [];
  return {
    applied,
    refused,
    applyRemoteFree(value: number): InvalidFreeReason | null {
      if (value < limit) {
        applied.push(value);
        return null;
      }
      refused.push(value);
      return 'stale-handle';
    },
  };
}

describe('RemoteFreeQueue and RemoteFreeSender', () => {
  it('delivers values in order, only once published, one batch at a time', () => {
    const queue = new RemoteFreeQueue();
    const sender = RemoteFreeSender.attach(queue.share({ batchSize: 4 }));
    const target = recorder();
    for (let v = 0; v < 3; v++) sender.send(v);
    expect(sender.pending).toBe(3);
    expect(queue.drain(target)).toBe(0); // nothing published yet
    sender.send(3); // the fourth completes a batch: published
    expect(sender.pending).toBe(0);
    sender.send(4);
    expect(queue.drain(target)).toBe(4);
    expect(target.applied).toEqual([0, 1, 2, 3]);
    sender.flush();
    expect(queue.drain(target)).toBe(1);
    expect(target.applied).toEqual([0, 1, 2, 3, 4]);
    expect(queue.stats()).toEqual({ lanes: 1, received: 5, applied: 5, rejected: 0, drains: 3 });
  });

  it('counts and reports refused values without applying them', () => {
    const queue = new RemoteFreeQueue();
    const sender = RemoteFreeSender.attach(queue.share({ batchSize: 1 }));
    const target = recorder(10);
    for (const v of [1, 50, 2, 60]) sender.send(v);
    const rejected: Array<[number, string]> = [];
    expect(queue.drain(target, (value, reason) => rejected.push([value, reason]))).toBe(2);
    expect(target.applied).toEqual([1, 2]);
    expect(rejected).toEqual([
      [50, 'stale-handle'],
      [60, 'stale-handle'],
    ]);
    expect(queue.stats()).toMatchObject({ received: 4, applied: 2, rejected: 2 });
  });

  it('a full lane throws QueueFullError, never overwrites, and publishes what it held', () => {
    const queue = new RemoteFreeQueue();
    const sender = RemoteFreeSender.attach(queue.share({ queueCapacity: 16, batchSize: 5 }));
    for (let v = 0; v < 16; v++) sender.send(100 + v);
    expect(sender.pending).toBe(1); // 15 published in three batches, one held
    const error = (() => {
      try {
        sender.send(999);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(QueueFullError);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as QueueFullError).queueCapacity).toBe(16);
    expect((error as Error).message).toMatch(/drainRemoteFrees\(\)/);
    expect(sender.pending).toBe(0); // the held one was published before throwing
    const target = recorder();
    expect(queue.drain(target)).toBe(16);
    expect(target.applied).toEqual(Array.from({ length: 16 }, (_, i) => 100 + i)); // 999 never queued
    sender.send(999); // room again after the drain
    sender.flush();
    queue.drain(target);
    expect(target.applied.at(-1)).toBe(999);
  });

  it('positions wrap at 2^30 without losing or repeating entries', () => {
    const queue = new RemoteFreeQueue();
    const lane = queue.share({ queueCapacity: 16, batchSize: 3 });
    const words = new Int32Array(lane.buffer);
    // Start both ends 7 entries before the wrap (as after 2^30 - 7 frees).
    words[LANE_HEAD] = 2 ** 30 - 7;
    words[LANE_TAIL] = 2 ** 30 - 7;
    const sender = RemoteFreeSender.attach(lane);
    const target = recorder();
    const sent: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 11; i++) {
        const v = round * 100 + i;
        sender.send(v);
        sent.push(v);
      }
      sender.flush();
      queue.drain(target);
    }
    expect(target.applied).toEqual(sent);
    expect(words[LANE_HEAD]).toBe((2 ** 30 - 7 + 55) % 2 ** 30);
  });

  it('one descriptor attaches once; a detached lane is retired after its last drain', () => {
    const queue = new RemoteFreeQueue();
    const lane = queue.share();
    const sender = RemoteFreeSender.attach(lane);
    expect(() => RemoteFreeSender.attach(lane)).toThrow(OwnershipError);
    expect(() => RemoteFreeSender.attach(lane)).toThrow(/call share\(\) once per worker/);
    sender.send(7);
    sender.detach();
    expect(sender.isClosed).toBe(true);
    expect(() => sender.send(8)).toThrow(OwnershipError);
    expect(queue.laneCount).toBe(1);
    const target = recorder();
    expect(queue.drain(target)).toBe(1); // detach published the held value
    expect(target.applied).toEqual([7]);
    expect(queue.laneCount).toBe(0);
    expect(() => RemoteFreeSender.attach(lane)).toThrow(OwnershipError);
  });

  it('unshare: published values are still applied, later publishes throw, the lane is retired', () => {
    const queue = new RemoteFreeQueue();
    const lane = queue.share({ batchSize: 2 });
    const sender = RemoteFreeSender.attach(lane);
    sender.send(1);
    sender.send(2); // published
    sender.send(3); // held
    queue.unshare(lane);
    queue.unshare(lane); // twice: nothing more
    const target = recorder();
    expect(queue.drain(target)).toBe(2);
    expect(target.applied).toEqual([1, 2]);
    expect(queue.laneCount).toBe(0);
    expect(() => sender.flush()).toThrow(/the owner called unshare/);
    expect(sender.isClosed).toBe(true);
    expect(() => RemoteFreeSender.attach(lane)).toThrow(OwnershipError);
    expect(queue.drain(target)).toBe(0);
    expect(target.applied).toEqual([1, 2]); // 3 was never received
  });

  it('a drain stopped by a throwing target keeps the rest queued and consumes the failed entry once', () => {
    const queue = new RemoteFreeQueue();
    const sender = RemoteFreeSender.attach(queue.share({ batchSize: 1 }));
    for (const v of [1, 2, 3, 4]) sender.send(v);
    const seen: number[] = [];
    const target: RemoteFreeTarget = {
      applyRemoteFree(v) {
        seen.push(v);
        if (v === 2) throw new Error('boom');
        return null;
      },
    };
    expect(() => queue.drain(target)).toThrow('boom');
    expect(queue.drain(target)).toBe(2);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(queue.stats()).toMatchObject({ received: 4, applied: 3 });
  });

  it('refuses a re-entrant drain from onRejected', () => {
    const queue = new RemoteFreeQueue();
    const sender = RemoteFreeSender.attach(queue.share({ batchSize: 1 }));
    sender.send(5);
    sender.send(1);
    const target = recorder(3);
    let inner: unknown;
    queue.drain(target, () => {
      try {
        queue.drain(target);
      } catch (e) {
        inner = e;
      }
    });
    expect(String(inner)).toMatch(/called again while draining/);
    expect(target.applied).toEqual([1]);
    expect(queue.drain(target)).toBe(0);
  });

  it('validates options, values and descriptors', () => {
    const queue = new RemoteFreeQueue(64);
    expect(queue.defaultQueueCapacity).toBe(64);
    expect(() => new RemoteFreeQueue(100)).toThrow(RangeError);
    expect(() => queue.share({ queueCapacity: 8 })).toThrow(
      /queueCapacity must be an integer in \[16, 1048576\], got 8/,
    );
    expect(() => queue.share({ queueCapacity: 24 })).toThrow(/queueCapacity must be a power of two in \[16, 1048576\]/);
    expect(() => queue.share({ batchSize: 65 })).toThrow(/batchSize must be an integer in \[1, 64\]/);
    expect(() => queue.share({ whenFull: 'drop' as 'throw' })).toThrow(/whenFull must be one of throw \| wait/);
    expect(() => queue.share({ waitTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => queue.share({ batch: 3 } as object)).toThrow(/unknown option "batch"/);
    const lane = queue.share();
    expect(lane.batchSize).toBe(Math.min(DEFAULT_BATCH_SIZE, 64));
    const sender = RemoteFreeSender.attach(lane);
    expect(() => sender.send(-1)).toThrow(RangeError);
    expect(() => sender.send(1.5)).toThrow(RangeError);
    expect(() => sender.send(2 ** 31)).toThrow(RangeError);
    expect(() => sender.send('3' as unknown as number)).toThrow(TypeError);
    expect(sender.pending).toBe(0);
    expect(() => RemoteFreeSender.attach({} as never)).toThrow(TypeError);
    expect(() => RemoteFreeSender.attach({ ...lane, version: 99 } as never)).toThrow(/version 99/);
    expect(() => RemoteFreeSender.attach({ ...lane, buffer: new ArrayBuffer(8) } as never)).toThrow(
      /SharedArrayBuffer/,
    );
    expect(() => queue.unshare(12345)).toThrow(TypeError);
    expect(() => queue.unshare({} as never)).toThrow(TypeError);
  });

  it('a descriptor survives structuredClone (what postMessage does) and shares its memory', () => {
    const queue = new RemoteFreeQueue();
    const lane = queue.share({ batchSize: 1 });
    const sender = RemoteFreeSender.attach(structuredClone(lane));
    sender.send(42);
    const target = recorder();
    queue.drain(target);
    expect(target.applied).toEqual([42]);
  });
});
