import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RETAINED, InvalidFreeError, ObjectPool, OutOfMemoryError } from '../../src/index.ts';
import { countGc } from '../support/gc.ts';

interface Item {
  id: number;
  value: number;
}

function makePool(options: { capacity?: number; maxRetained?: number } = {}) {
  let next = 0;
  return new ObjectPool<Item>({
    create: () => ({ id: next++, value: 0 }),
    reset: (item) => {
      item.value = 0;
    },
    ...options,
  });
}

/** `used + free === size`, and check() passes. */
function expectHonest(pool: ObjectPool<Item>) {
  expect(pool.used + pool.free).toBe(pool.size);
  pool.check();
}

/**
 * "Unchanged after throw": the pool that saw the failing call and a twin that did not agree on
 * stats(), and the next acquires hand out the same items (by id) in the same order.
 */
function expectUnchangedAfterThrow(fail: (pool: ObjectPool<Item>, held: Item[]) => void) {
  const build = () => {
    const pool = makePool({ capacity: 6 });
    const held = [pool.acquire(), pool.acquire(), pool.acquire()];
    pool.release(held[1]);
    return { pool, held };
  };
  const a = build();
  const b = build();
  expect(() => fail(a.pool, a.held)).toThrow();
  a.pool.check();
  expect(a.pool.stats()).toEqual(b.pool.stats());
  for (let i = 0; i < 4; i++) expect(a.pool.acquire().id).toBe(b.pool.acquire().id);
}

describe('ObjectPool: cases', () => {
  it('C17 foreign release: {}, undefined and an item of another pool all throw; counters hold', () => {
    const pool = makePool({ capacity: 2 });
    const other = makePool({ capacity: 2 });
    const a = pool.acquire();
    const foreign = other.acquire();
    expect(() => pool.release({ id: 0, value: 0 })).toThrow(
      expect.objectContaining({ name: 'InvalidFreeError', reason: 'foreign' }),
    );
    expect(() => pool.release(undefined as unknown as Item)).toThrow(TypeError);
    expect(() => pool.release(foreign)).toThrow(
      expect.objectContaining({ name: 'InvalidFreeError', reason: 'foreign' }),
    );
    expectHonest(pool);
    expect(pool.size).toBe(1);
    const b = pool.acquire();
    expect(b).not.toBe(a);
    expect(pool.tryAcquire()).toBeUndefined();
    expect(pool.stats().createdCount).toBe(2); // never more than it may create
    pool.release(a);
    pool.release(b);
    expectHonest(pool);
    expect(other.owns(foreign)).toBe(true);
  });

  it('E9 double release: the second release throws; then two acquires give different objects', () => {
    const pool = makePool({ capacity: 2 });
    const a = pool.acquire();
    pool.release(a);
    let error: unknown;
    try {
      pool.release(a);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFreeError);
    expect((error as InvalidFreeError).reason).toBe('double-free');
    expectHonest(pool);
    const b = pool.acquire();
    const c = pool.acquire();
    expect(b).not.toBe(c);
    expectHonest(pool);
  });

  it('E10 two cleanup paths: the second return throws and no two owners ever share an object', () => {
    const pool = makePool();
    const bullet = pool.acquire();
    const cleanupOnHit = () => pool.release(bullet);
    const cleanupOnTimeout = () => pool.release(bullet);
    cleanupOnHit();
    expect(cleanupOnTimeout).toThrow(expect.objectContaining({ reason: 'double-free' }));
    const owner1 = pool.acquire();
    const owner2 = pool.acquire();
    expect(owner1).not.toBe(owner2);
    expect(pool.free).toBe(0);
    expectHonest(pool);
  });

  it('E10 a second cleanup path reached from inside reset() throws and corrupts nothing', () => {
    type Bullet = { hit: boolean };
    let nested: unknown;
    const pool: ObjectPool<Bullet> = new ObjectPool<Bullet>({
      create: () => ({ hit: false }),
      capacity: 4,
      reset: (b) => {
        if (!b.hit) {
          b.hit = true; // e.g. a "destroyed" event whose listener releases the bullet again
          try {
            pool.release(b);
          } catch (e) {
            nested = e;
          }
        }
      },
    });
    const a = pool.acquire();
    pool.release(a);
    expect(nested).toMatchObject({ name: 'InvalidFreeError', reason: 'double-free' });
    expect(pool.stats()).toMatchObject({ used: 0, free: 1, size: 1, releaseCount: 1 });
    pool.check();
    const x = pool.acquire();
    const y = pool.acquire();
    expect(x).not.toBe(y);
    expect(pool.used + pool.free).toBe(pool.size);
  });

  it('a reset() that throws leaves the item acquired and the pool unchanged', () => {
    const pool = new ObjectPool({
      create: () => ({ n: 0 }),
      reset: () => {
        throw new Error('reset failed');
      },
    });
    const a = pool.acquire();
    const before = pool.stats();
    expect(() => pool.release(a)).toThrow('reset failed');
    expect(pool.stats()).toEqual(before);
    expect(pool.owns(a)).toBe(true);
    pool.check();
  });

  it('E11 acquire never returns a live object; at the cap acquire throws and tryAcquire is undefined', () => {
    const pool = makePool({ capacity: 3 });
    const got = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(new Set(got).size).toBe(3);
    let error: unknown;
    try {
      pool.acquire();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect((error as Error).message).toContain('capacity');
    expect(pool.tryAcquire()).toBeUndefined();
    expect(pool.stats().failedAcquireCount).toBe(2);
    pool.release(got[1]);
    expect(pool.acquire()).toBe(got[1]);
    expectHonest(pool);
  });

  it('E12 honest counters: acquire -> 1/1/0, release -> 1/0/1, identity after every call', () => {
    const pool = makePool();
    expect([pool.size, pool.used, pool.free]).toEqual([0, 0, 0]);
    const a = pool.acquire();
    expect([pool.size, pool.used, pool.free]).toEqual([1, 1, 0]);
    expectHonest(pool);
    pool.release(a);
    expect([pool.size, pool.used, pool.free]).toEqual([1, 0, 1]);
    expectHonest(pool);
  });

  it('stats(into) fills and returns into, equal to stats(), allocating nothing', async () => {
    const pool = makePool({ capacity: 8 });
    pool.release(pool.acquire());
    pool.acquire();
    const into = pool.stats();
    const other = { note: 'kept' } as unknown as typeof into;
    expect(pool.stats(other)).toBe(other);
    expect(other).toEqual({ ...pool.stats(), note: 'kept' });
    expect(() => pool.stats(7 as unknown as typeof into)).toThrow(TypeError);
    const read = () => {
      let sum = 0;
      for (let i = 0; i < 200_000; i++) sum += pool.stats(into).liveItems;
      return sum;
    };
    for (let k = 0; k < 5; k++) read();
    const gc = await countGc(read);
    expect(gc, JSON.stringify(gc)).toMatchObject({ count: 0 });
  });

  it('the pools share one vocabulary: liveItems / freeItems / capacity, the old names deprecated aliases', () => {
    const pool = makePool({ capacity: 8, maxRetained: 2 });
    const agree = () => {
      const st = pool.stats();
      expect([st.liveItems, st.freeItems, st.capacity]).toEqual([pool.liveItems, pool.freeItems, pool.capacity]);
      // Deprecated: size (live plus free), used (live), free (retained), in the object and in stats().
      expect([pool.size, pool.used, pool.free]).toEqual([
        pool.liveItems + pool.freeItems,
        pool.liveItems,
        pool.freeItems,
      ]);
      expect([st.size, st.used, st.free]).toEqual([pool.size, pool.used, pool.free]);
    };
    const items = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect([pool.liveItems, pool.freeItems]).toEqual([3, 0]);
    agree();
    for (const item of items) pool.release(item); // the third is dropped (maxRetained 2)
    expect([pool.liveItems, pool.freeItems]).toEqual([0, 2]);
    agree();
    pool.acquire();
    expect([pool.liveItems, pool.freeItems]).toEqual([1, 1]);
    agree();
  });
});

describe('ObjectPool: behaviour', () => {
  it('reset runs on release, and the released object is reused first', () => {
    const pool = makePool();
    const a = pool.acquire();
    a.value = 42;
    pool.release(a);
    expect(a.value).toBe(0);
    expect(pool.acquire()).toBe(a);
  });

  it('maxRetained: releases beyond it drop the item, which is foreign afterwards', () => {
    const pool = makePool({ capacity: 10, maxRetained: 1 });
    const [a, b, c] = [pool.acquire(), pool.acquire(), pool.acquire()];
    pool.release(a);
    pool.release(b); // free is already 1: b is dropped
    expect([pool.size, pool.used, pool.free]).toEqual([2, 1, 1]);
    expect(pool.stats().droppedCount).toBe(1);
    expect(() => pool.release(b)).toThrow(expect.objectContaining({ reason: 'foreign' }));
    expectHonest(pool);
    pool.release(c);
    expect(pool.acquire()).toBe(a);
    const d = pool.acquire(); // created anew into a vacant index
    expect(d).not.toBe(b);
    expectHonest(pool);
  });

  it('maxRetained 0 retains nothing', () => {
    const pool = makePool({ maxRetained: 0 });
    const a = pool.acquire();
    pool.release(a);
    expect([pool.size, pool.used, pool.free]).toEqual([0, 0, 0]);
    expect(pool.acquire()).not.toBe(a);
    expectHonest(pool);
  });

  it('prefill creates free items so later acquires create nothing', () => {
    const pool = makePool({ capacity: 100, maxRetained: 50 });
    pool.prefill(40);
    expect([pool.size, pool.used, pool.free]).toEqual([40, 0, 40]);
    for (let i = 0; i < 40; i++) pool.acquire();
    expect(pool.stats().createdCount).toBe(40);
    expect(() => pool.prefill(51)).toThrow(RangeError);
    expectHonest(pool);
  });

  it('grows its tables past the initial size and owns() tracks acquired items', () => {
    const pool = makePool();
    const items: Item[] = [];
    for (let i = 0; i < 1000; i++) items.push(pool.acquire());
    expect(new Set(items).size).toBe(1000);
    expect(items.every((x) => pool.owns(x))).toBe(true);
    for (const x of items.slice(0, 500)) pool.release(x);
    expect(pool.owns(items[0])).toBe(false);
    expect(pool.owns(items[999])).toBe(true);
    expect(pool.owns(null)).toBe(false);
    expect(pool.owns(3)).toBe(false);
    expectHonest(pool);
  });
});

describe('ObjectPool: error policy', () => {
  it.each([
    ['undefined', undefined, TypeError],
    ['null', null, TypeError],
    ['no create', {}, TypeError],
    ['create not a function', { create: 3 }, TypeError],
    ['reset not a function', { create: () => ({}), reset: 'no' }, TypeError],
    ['unknown option', { create: () => ({}), capacty: 3 }, TypeError],
    ['capacity 0', { create: () => ({}), capacity: 0 }, RangeError],
    ['capacity NaN', { create: () => ({}), capacity: NaN }, RangeError],
    ['capacity 2^32', { create: () => ({}), capacity: 2 ** 32 }, RangeError],
    ['capacity as a string', { create: () => ({}), capacity: '3' }, TypeError],
    ['maxRetained above capacity', { create: () => ({}), capacity: 3, maxRetained: 4 }, RangeError],
    ['maxRetained -1', { create: () => ({}), maxRetained: -1 }, RangeError],
  ])('bad options (%s) throw', (_name, options, type) => {
    expect(() => new ObjectPool(options as never)).toThrow(type);
  });

  it.each([
    ['undefined', undefined, TypeError],
    ['null', null, TypeError],
    ['a number', 3, TypeError],
    ['a string', 'item', TypeError],
    ['a foreign object', { id: 0, value: 0 }, InvalidFreeError],
  ])('release(%s) throws and leaves the pool unchanged', (_name, value, type) => {
    expectUnchangedAfterThrow((pool) => pool.release(value as Item));
    expect(() => makePool().release(value as Item)).toThrow(type);
  });

  it('double release and a throwing reset leave the pool unchanged', () => {
    expectUnchangedAfterThrow((pool, held) => pool.release(held[1]));
    let throwing = false;
    const pool = new ObjectPool<Item>({
      create: () => ({ id: 0, value: 0 }),
      reset: () => {
        if (throwing) throw new Error('reset failed');
      },
    });
    const a = pool.acquire();
    throwing = true;
    const before = pool.stats();
    expect(() => pool.release(a)).toThrow('reset failed');
    expect(pool.stats()).toEqual(before);
    expect(pool.owns(a)).toBe(true);
    pool.check();
  });

  it('a throwing or misbehaving create leaves the pool unchanged', () => {
    let mode: 'ok' | 'throw' | 'number' | 'same' = 'ok';
    const shared = { id: 1, value: 0 };
    const pool = new ObjectPool<Item>({
      create: () => {
        if (mode === 'throw') throw new Error('create failed');
        if (mode === 'number') return 5 as unknown as Item;
        return mode === 'same' ? shared : { id: 2, value: 0 };
      },
    });
    mode = 'same';
    pool.acquire();
    for (const m of ['throw', 'number', 'same'] as const) {
      mode = m;
      const before = pool.stats();
      expect(() => pool.acquire()).toThrow();
      expect(() => pool.prefill(1)).toThrow();
      expect(pool.stats()).toEqual(before);
      pool.check();
    }
  });
});

describe('ObjectPool: memory held after a spike', () => {
  it('by default keeps at most DEFAULT_MAX_RETAINED (10,000) free items after a spike of 30,000', () => {
    const pool = makePool();
    expect(pool.maxRetained).toBe(DEFAULT_MAX_RETAINED);
    expect(DEFAULT_MAX_RETAINED).toBe(10_000);
    const spike: Item[] = [];
    for (let i = 0; i < 30_000; i++) spike.push(pool.acquire());
    for (const item of spike) pool.release(item);
    expect(pool.stats()).toMatchObject({ liveItems: 0, freeItems: 10_000, droppedCount: 20_000 });
    expect(makePool({ capacity: 50 }).maxRetained).toBe(50); // capped at capacity
    pool.check();
  });

  it('trim(keep) forgets free items down to keep; they become foreign', () => {
    const pool = makePool({ maxRetained: 100 });
    const items: Item[] = [];
    for (let i = 0; i < 60; i++) items.push(pool.acquire());
    for (const item of items) pool.release(item);
    expect(pool.trim(10)).toBe(50);
    expect(pool.stats()).toMatchObject({ liveItems: 0, freeItems: 10, droppedCount: 50 });
    const kept = new Set<Item>();
    for (let i = 0; i < 10; i++) kept.add(pool.acquire());
    const forgotten = items.filter((item) => !kept.has(item));
    expect(forgotten).toHaveLength(50);
    for (const item of forgotten)
      expect(() => pool.release(item)).toThrow(expect.objectContaining({ reason: 'foreign' }));
    for (const item of kept) pool.release(item);
    expect(pool.trim()).toBe(10);
    expect(pool.freeItems).toBe(0);
    expect(pool.trim()).toBe(0);
    pool.check();
    for (const bad of [-1, 1.5, Number.NaN, 101, 2 ** 24 + 1]) {
      expectUnchangedAfterThrow((p) => p.trim(bad));
    }
    expect(() => pool.trim('1' as unknown as number)).toThrow(TypeError);
  });

  it('setMaxRetained lowers (or raises) the cap later and trims to it', () => {
    const pool = makePool({ capacity: 1000 });
    const items: Item[] = [];
    for (let i = 0; i < 300; i++) items.push(pool.acquire());
    for (const item of items) pool.release(item);
    expect(pool.setMaxRetained(100)).toBe(200);
    expect(pool.stats()).toMatchObject({ freeItems: 100, maxRetained: 100 });
    const again: Item[] = [];
    for (let i = 0; i < 300; i++) again.push(pool.acquire());
    for (const item of again) pool.release(item);
    expect(pool.freeItems).toBe(100); // the new cap holds for later releases
    expect(pool.setMaxRetained(500)).toBe(0);
    expect(pool.maxRetained).toBe(500);
    pool.check();
    expect(() => pool.setMaxRetained(1001)).toThrow(RangeError);
    expect(() => pool.setMaxRetained(-1)).toThrow(RangeError);
    expect(pool.maxRetained).toBe(500);
  });
});

describe('ObjectPool: callbacks that re-enter', () => {
  it('a create that acquires from its own pool throws at once; the pool never passes its capacity', () => {
    let pool: ObjectPool<{ n: number }>;
    let nested: unknown;
    pool = new ObjectPool({
      capacity: 2,
      create: () => {
        try {
          pool.acquire();
        } catch (e) {
          nested = e;
        }
        return { n: 0 };
      },
    });
    pool.acquire();
    pool.acquire();
    expect(nested).toBeInstanceOf(Error);
    expect((nested as Error).message).toMatch(/inside options\.create/);
    expect(pool.stats()).toMatchObject({ liveItems: 2, freeItems: 0, createdCount: 2 });
    expect(pool.tryAcquire()).toBeUndefined();
    pool.check();
  });

  it('a create whose nested acquire escapes leaves the pool unchanged; prefill from create throws too', () => {
    let pool: ObjectPool<{ n: number }>;
    let mode: 'acquire' | 'tryAcquire' | 'prefill' = 'acquire';
    pool = new ObjectPool({
      capacity: 4,
      create: () => {
        if (mode === 'acquire') pool.acquire();
        else if (mode === 'tryAcquire') pool.tryAcquire();
        else pool.prefill(1);
        return { n: 0 };
      },
    });
    for (const m of ['acquire', 'tryAcquire', 'prefill'] as const) {
      mode = m;
      expect(() => pool.acquire()).toThrow(/inside options\.create/);
      expect(pool.stats()).toMatchObject({ liveItems: 0, freeItems: 0, createdCount: 0, acquireCount: 0 });
      pool.check();
    }
  });

  it('a reset that acquires, releases other items and trims works; counters stay honest', () => {
    let pool: ObjectPool<Item>;
    let next = 0;
    const others: Item[] = [];
    pool = new ObjectPool<Item>({
      capacity: 8,
      maxRetained: 8,
      create: () => ({ id: next++, value: 0 }),
      reset: (item) => {
        item.value = 0;
        if (item.id === 0) {
          others.push(pool.acquire());
          pool.release(others.shift() as Item);
          pool.trim(1);
        }
      },
    });
    const a = pool.acquire();
    const b = pool.acquire();
    pool.release(b);
    pool.release(a); // reset(a) acquires b again, releases it, trims
    expect(pool.liveItems).toBe(0);
    expect(pool.freeItems).toBeLessThanOrEqual(2);
    expectHonest(pool);
  });
});
