/**
 * StructPool with `shared: true` on one thread: the view a worker would get (attached here, on
 * the owner's thread, which the model allows: it is about who changes what), what it reads and
 * writes, its handle checks, its queued frees and the owner's drain. Across threads:
 * `shared-pool-threads.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidFreeError,
  InvalidHandleError,
  OwnershipError,
  RemoteFreeSender,
  StructPool,
  type InvalidFreeReason,
  type SharedStructPoolDescriptor,
} from '../../src/index.ts';

const SCHEMA = { x: 'f32', vel: ['f32', 2], tag: 'u16' } as const;

describe('StructPool shared: true', () => {
  it('a view reads and writes the same columns, dense and live count', () => {
    const pool = new StructPool(SCHEMA, { capacity: 64, shared: true });
    expect(pool.shared).toBe(true);
    const handles = Array.from({ length: 10 }, () => pool.alloc());
    const view = StructPool.attach(structuredClone(pool.share()));
    expect(view.size).toBe(10);
    expect(view.capacity).toBe(64);
    for (const h of handles) {
      expect(view.isAlive(h)).toBe(true);
      expect(view.slotOf(h)).toBe(pool.slotOf(h));
    }
    for (let i = 0; i < view.size; i++) {
      const s = view.dense[i];
      expect(s).toBe(pool.dense[i]);
      expect(view.handleOf(s)).toBe(pool.handleOf(s));
      view.fields.x[s] = s * 1.5;
      view.fields.vel[s * 2 + 1] = -s;
      view.fields.tag[s] = 7;
    }
    for (const h of handles) {
      const s = pool.slotOf(h);
      expect(pool.fields.x[s]).toBe(s * 1.5);
      expect(pool.fields.vel[s * 2 + 1]).toBe(-s);
      expect(pool.fields.tag[s]).toBe(7);
    }
    pool.free(handles[0]); // the owner's own free shows at once
    expect(view.size).toBe(9);
    expect(view.isAlive(handles[0])).toBe(false);
    pool.alloc();
    expect(view.size).toBe(10);
    pool.check();
  });

  it("a view's free is applied by the owner's drain, and only then", () => {
    const pool = new StructPool(SCHEMA, { capacity: 64, shared: true });
    const handles = Array.from({ length: 20 }, () => pool.alloc());
    const view = StructPool.attach(pool.share({ batchSize: 4 }));
    for (const h of handles.slice(0, 6)) view.free(h);
    expect(view.pendingFrees).toBe(2); // one batch of 4 published, 2 held
    expect(pool.size).toBe(20); // nothing applied before the drain
    expect(pool.drainRemoteFrees()).toBe(4);
    expect(pool.size).toBe(16);
    view.flush();
    expect(pool.drainRemoteFrees()).toBe(2);
    expect(pool.size).toBe(14);
    for (const h of handles.slice(0, 6)) {
      expect(pool.isAlive(h)).toBe(false);
      expect(view.isAlive(h)).toBe(false);
    }
    expect(pool.stats().freeCount).toBe(6);
    expect(pool.remoteFreeStats()).toEqual({ lanes: 1, received: 6, applied: 6, rejected: 0, drains: 2 });
    pool.check();
  });

  it('stale handles are caught on the view; double frees across views are refused by the owner', () => {
    const pool = new StructPool(SCHEMA, { capacity: 16, shared: true });
    const a = pool.alloc();
    const b = pool.alloc();
    const v1 = StructPool.attach(pool.share({ batchSize: 1 }));
    const v2 = StructPool.attach(pool.share({ batchSize: 1 }));
    pool.free(a);
    const a2 = pool.alloc(); // a's slot, next generation
    expect(v1.isAlive(a)).toBe(false);
    expect(() => v1.slotOf(a)).toThrow(InvalidHandleError);
    const error = (() => {
      try {
        v1.free(a);
      } catch (e) {
        return e as InvalidFreeError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidFreeError);
    expect(['stale-handle', 'double-free']).toContain(error?.reason);
    expect(v1.pendingFrees).toBe(0);
    // Both views free b in the same step: both pass their local check, the owner applies one.
    v1.free(b);
    v2.free(b);
    const refused: Array<[number, InvalidFreeReason]> = [];
    expect(pool.drainRemoteFrees((h, reason) => refused.push([h, reason]))).toBe(1);
    expect(refused).toEqual([[b, 'double-free']]);
    expect(pool.isAlive(b)).toBe(false);
    expect(pool.isAlive(a2)).toBe(true);
    expect(pool.remoteFreeStats()).toMatchObject({ received: 2, applied: 1, rejected: 1 });
    pool.check();
  });

  it('handles queued before clear() are refused as stale after it', () => {
    const pool = new StructPool(SCHEMA, { capacity: 16, shared: true });
    const handles = [pool.alloc(), pool.alloc()];
    const view = StructPool.attach(pool.share());
    for (const h of handles) view.free(h);
    view.flush();
    pool.clear();
    const refused: InvalidFreeReason[] = [];
    expect(pool.drainRemoteFrees((_, r) => refused.push(r))).toBe(0);
    expect(refused).toEqual(['double-free', 'double-free']);
    expect(pool.size).toBe(0);
    pool.check();
  });

  it('a view refuses what only the owner may do, naming the rule', () => {
    const pool = new StructPool(SCHEMA, { capacity: 8, shared: true });
    const view = StructPool.attach(pool.share());
    expect(() => view.alloc()).toThrow(OwnershipError);
    expect(() => view.alloc()).toThrow(/only the owner thread allocates and frees/);
    expect(() => view.tryAlloc()).toThrow(OwnershipError);
    expect(() => view.clear()).toThrow(OwnershipError);
    expect(() => view.reserve(8)).toThrow(OwnershipError);
    expect(pool.size).toBe(0);
  });

  it('validates the option, the descriptor and the calls', () => {
    expect(() => new StructPool(SCHEMA, { capacity: 8, maxCapacity: 16, shared: true })).toThrow(
      /a shared pool has a fixed capacity/,
    );
    expect(() => new StructPool(SCHEMA, { capacity: 8, shared: 1 as unknown as boolean })).toThrow(TypeError);
    const plain = new StructPool(SCHEMA, { capacity: 8 });
    expect(plain.shared).toBe(false);
    expect(() => plain.share()).toThrow(/create it with \{ shared: true \}/);
    expect(plain.drainRemoteFrees()).toBe(0);
    expect(plain.remoteFreeStats()).toEqual({ lanes: 0, received: 0, applied: 0, rejected: 0, drains: 0 });
    const pool = new StructPool(SCHEMA, { capacity: 8, shared: true });
    const d = pool.share();
    expect(() => StructPool.attach({} as SharedStructPoolDescriptor)).toThrow(TypeError);
    expect(() => StructPool.attach({ ...d, capacity: 9 })).toThrow(/do not match its schema and capacity/);
    expect(() => pool.drainRemoteFrees(5 as never)).toThrow(TypeError);
    expect(() => pool.unshare({} as SharedStructPoolDescriptor)).toThrow(TypeError);
    expect(() => plain.unshare(d)).toThrow(/never shared/);
    const view = StructPool.attach(d);
    expect(() => StructPool.attach(d)).toThrow(OwnershipError);
    expect(() => view.free(-1)).toThrow(RangeError);
    expect(() => view.handleOf(3)).toThrow(/which is free/);
  });

  it('unshare retires a lane; a view detached publishes first', () => {
    const pool = new StructPool(SCHEMA, { capacity: 8, shared: true });
    const [a, b] = [pool.alloc(), pool.alloc()];
    const d1 = pool.share();
    const v1 = StructPool.attach(d1);
    const v2 = StructPool.attach(pool.share());
    v1.free(a); // held
    pool.unshare(d1);
    v2.free(b);
    v2.detach();
    expect(pool.drainRemoteFrees()).toBe(1);
    expect(pool.isAlive(a)).toBe(true); // never published: lost with its share
    expect(pool.isAlive(b)).toBe(false);
    expect(pool.remoteFreeStats().lanes).toBe(0);
    expect(() => v1.flush()).toThrow(OwnershipError);
  });

  it("a view judges every value as the owner does and throws the owner's errors", () => {
    const pool = new StructPool(SCHEMA, { capacity: 16, shared: true });
    const view = StructPool.attach(pool.share());
    const live = [pool.alloc(), pool.alloc(), pool.alloc()];
    const freed = pool.alloc();
    pool.free(freed);
    const reused = Array.from({ length: 16 - 3 }, () => pool.alloc()); // FIFO: freed's slot comes last
    pool.free(reused[reused.length - 1]);
    const slot0 = pool.slotOf(live[0]);
    // Stale (freed), double-free shape, slot index (generation 0), out of range, garbage.
    const values: unknown[] = [...live, freed, reused[reused.length - 1], slot0, 1 << 30, 2 ** 31, -1, 1.5, NaN, 'x'];
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch (e) {
        const err = e as Error & { reason?: string };
        return { error: err.constructor.name, reason: err.reason, message: err.message };
      }
    };
    expect(view.size).toBe(pool.size);
    for (const v of values) {
      expect(view.isAlive(v), String(v)).toBe(pool.isAlive(v));
      expect(
        outcome(() => view.slotOf(v as number)),
        String(v),
      ).toEqual(outcome(() => pool.slotOf(v as number)));
    }
    expect(view.isAlive(slot0)).toBe(false); // a handle never equals its slot index
    expect(() => view.slotOf(freed)).toThrow(InvalidHandleError);
    // free: the view throws what the owner's free would, and queues nothing.
    for (const v of [freed, slot0, 1 << 30, -1]) {
      expect(outcome(() => view.free(v)).error, String(v)).toBe(outcome(() => pool.free(v)).error);
    }
    expect(view.pendingFrees).toBe(0);
    pool.check();
  });

  it('garbage that reaches the queue is counted and reported, never applied', () => {
    const pool = new StructPool(SCHEMA, { capacity: 12, shared: true }); // slots 12..15 out of range
    const handles = Array.from({ length: 8 }, () => pool.alloc());
    const stale = handles[7];
    pool.free(stale);
    // A raw sender skips the view's checks, as a buggy or hostile worker could.
    const sender = RemoteFreeSender.attach(pool.share({ batchSize: 1 }).lane);
    const garbage = [stale, pool.dense[0], 29, 2 ** 31 - 1, handles[0]]; // 29: slot 13; the last one valid
    for (const g of garbage) sender.send(g);
    sender.flush();
    const before = Array.from(pool.dense.subarray(0, pool.size));
    const freedSlot = pool.slotOf(handles[0]);
    const refused: Array<[number, InvalidFreeReason]> = [];
    expect(pool.drainRemoteFrees((h, reason) => refused.push([h, reason]))).toBe(1);
    expect(refused.map(([h]) => h)).toEqual(garbage.slice(0, 4));
    expect(refused.map(([, r]) => r)).toEqual(['double-free', 'stale-handle', 'out-of-range', 'out-of-range']);
    expect(pool.remoteFreeStats()).toMatchObject({ received: 5, applied: 1, rejected: 4 });
    expect(pool.size).toBe(6);
    expect(Array.from(pool.dense.subarray(0, pool.size)).sort()).toEqual(before.filter((s) => s !== freedSlot).sort());
    expect(pool.isAlive(handles[0])).toBe(false);
    for (const h of handles.slice(1, 7)) expect(pool.isAlive(h)).toBe(true);
    pool.check();
  });

  it("a view's size and liveness agree with the owner's through every alloc, free and clear", () => {
    // The view keeps no copy of the live count: it finds the end of the live slots in dense.
    const pool = new StructPool(SCHEMA, { capacity: 37, shared: true });
    const view = StructPool.attach(pool.share());
    const handles: number[] = [];
    const dead: number[] = [];
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let step = 0; step < 4000; step++) {
      const r = random();
      if (r < 0.01) {
        dead.push(...handles.splice(0));
        pool.clear();
      } else if ((r < 0.55 && pool.freeSlots > 0) || handles.length === 0) {
        handles.push(pool.alloc());
      } else {
        const [h] = handles.splice(Math.floor(random() * handles.length), 1);
        pool.free(h);
        dead.push(h);
      }
      expect(view.size).toBe(pool.size);
      if (step % 97 === 0) {
        for (const h of handles) expect(view.isAlive(h)).toBe(true);
        for (const h of dead.slice(-50)) expect(view.isAlive(h)).toBe(false);
      }
    }
    expect(view.size).toBe(pool.size);
    pool.check();
  });

  it('a snapshot loads in place: an attached view sees the restored columns, size and handles', () => {
    const pool = new StructPool(SCHEMA, { capacity: 16, shared: true });
    const view = StructPool.attach(pool.share());
    const kept = Array.from({ length: 5 }, (_, i) => {
      const h = pool.alloc();
      pool.fields.x[pool.slotOf(h)] = i + 0.5;
      return h;
    });
    const state = new Uint8Array(pool.stateBytes);
    pool.saveState(state);
    pool.clear();
    const later = [pool.alloc(), pool.alloc()];
    expect(view.size).toBe(2);
    pool.loadState(state);
    expect(view.size).toBe(5);
    kept.forEach((h, i) => {
      expect(view.isAlive(h)).toBe(true);
      expect(view.fields.x[view.slotOf(h)]).toBe(i + 0.5);
    });
    for (const h of later) expect(view.isAlive(h)).toBe(false);
    pool.check();
  });
});
