import { describe, expect, it } from 'vitest';
import {
  InvalidFreeError,
  NULL_HANDLE,
  OutOfMemoryError,
  StructPool,
  MAX_POOL_CAPACITY,
  type Handle,
  type Schema,
} from '../../src/index.ts';
import { countGc } from '../support/gc.ts';

const SCHEMA = { x: 'f32', y: 'f64', vel: ['f32', 2], color: 'u32', flags: 'u8', hp: ['i16', 3] } as const;

/** Builds a pool and drives it through a fixed history (allocs, frees, a growth). */
function pooled(): { pool: StructPool<typeof SCHEMA>; live: Handle[]; dead: Handle[] } {
  const pool = new StructPool(SCHEMA, { capacity: 4, maxCapacity: 64 });
  const live: Handle[] = [];
  const dead: Handle[] = [];
  for (let i = 0; i < 6; i++) live.push(pool.alloc());
  for (const i of [4, 1]) {
    pool.free(live[i]);
    dead.push(live[i]);
  }
  const remaining = live.filter((h) => !dead.includes(h));
  pool.fields.x[pool.slotOf(remaining[0])] = 3.5;
  return { pool, live: remaining, dead };
}

/**
 * "Unchanged after throw": a pool that saw the failing call and a twin that did not agree on
 * stats(), check() passes, and their next allocations return the same handles and slots.
 */
function expectUnchangedAfterThrow(fail: (pool: StructPool<typeof SCHEMA>, state: ReturnType<typeof pooled>) => void) {
  const a = pooled();
  const b = pooled();
  expect(() => fail(a.pool, a)).toThrow();
  a.pool.check();
  expect(a.pool.stats()).toEqual(b.pool.stats());
  expect(Array.from(a.pool.dense.subarray(0, a.pool.size))).toEqual(Array.from(b.pool.dense.subarray(0, b.pool.size)));
  for (let i = 0; i < 10; i++) {
    const ha = a.pool.alloc();
    const hb = b.pool.alloc();
    expect(ha).toBe(hb);
    expect(a.pool.slotOf(ha)).toBe(b.pool.slotOf(hb));
  }
  expect(a.pool.fields.x[a.pool.slotOf(a.live[0])]).toBe(3.5);
}

/**
 * Allocates until a handle lands on `slot` (FIFO reuse takes every other free slot first), frees
 * the others again, and returns that handle.
 */
function allocOnSlot<S extends Schema>(pool: StructPool<S>, slot: number): Handle {
  const others: Handle[] = [];
  for (let i = 0; i <= pool.capacity; i++) {
    const h = pool.alloc();
    if (pool.slotOf(h) === slot) {
      for (const o of others) pool.free(o);
      return h;
    }
    others.push(h);
  }
  throw new Error(`slot ${slot} never came back`);
}

const GARBAGE: [string, unknown, 'TypeError' | 'RangeError'][] = [
  ['NaN', NaN, 'RangeError'],
  ['-1 (NULL_HANDLE)', -1, 'RangeError'],
  ['2**31', 2 ** 31, 'RangeError'],
  ['1.5', 1.5, 'RangeError'],
  ['Infinity', Infinity, 'RangeError'],
  ["'3'", '3', 'TypeError'],
  ['null', null, 'TypeError'],
  ['undefined', undefined, 'TypeError'],
  ['3n', 3n, 'TypeError'],
  ['{ valueOf: () => 0 }', { valueOf: () => 0 }, 'TypeError'],
];

describe('StructPool: allocator cases', () => {
  it('C16 double free: the second free throws, then two allocs give different handles and slots', () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 4 });
    const h = pool.alloc();
    pool.free(h);
    let error: unknown;
    try {
      pool.free(h);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFreeError);
    expect((error as InvalidFreeError).reason).toBe('double-free');
    pool.check();
    expect(pool.size).toBe(0);
    const a = pool.alloc();
    const b = pool.alloc();
    expect(a).not.toBe(b);
    expect(pool.slotOf(a)).not.toBe(pool.slotOf(b));
    pool.check();
  });

  it('C18 stale handle: a reused slot reads the new value and the old handle is dead', () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 4 });
    const h = pool.alloc();
    pool.fields.x[pool.slotOf(h)] = 1;
    const slot = pool.slotOf(h);
    pool.free(h);
    const g = allocOnSlot(pool, slot); // same slot (after the other free slots: FIFO reuse)
    expect(g).not.toBe(h);
    expect(pool.fields.x[pool.slotOf(g)]).toBe(0); // zeroed on alloc
    pool.fields.x[pool.slotOf(g)] = 2;
    expect(pool.isAlive(h)).toBe(false);
    expect(pool.isAlive(g)).toBe(true);
    expect(() => pool.slotOf(h)).toThrow(
      expect.objectContaining({ name: 'InvalidHandleError', reason: 'stale-handle' }),
    );
    expect(() => pool.slotOf(h)).toThrow(InvalidFreeError); // code written against the old error still catches it
    expect(() => pool.free(h)).toThrow(expect.objectContaining({ name: 'InvalidFreeError', reason: 'stale-handle' }));
    expect(pool.fields.x[pool.slotOf(g)]).toBe(2);
    pool.check();
  });

  it('C19 views across growth: a column held before growth sees writes after it, values intact', () => {
    const pool = new StructPool({ x: 'f32', v: ['f64', 2] }, { capacity: 4, maxCapacity: 64 });
    const xs = pool.fields.x;
    const vs = pool.fields.v;
    const dense = pool.dense;
    const handles: Handle[] = [];
    for (let i = 0; i < 4; i++) {
      const h = pool.alloc();
      handles.push(h);
      xs[pool.slotOf(h)] = Math.fround(0.1 * (i + 1));
      vs[pool.slotOf(h) * 2 + 1] = -(i + 1) / 3;
    }
    expect(pool.capacity).toBe(4);
    const fifth = pool.alloc(); // grows
    expect(pool.capacity).toBe(8);
    expect(pool.stats().growCount).toBe(1);
    xs[pool.slotOf(fifth)] = 7;
    vs[pool.slotOf(fifth) * 2] = 8;
    expect(pool.fields.x).toBe(xs);
    expect(pool.fields.x[pool.slotOf(fifth)]).toBe(7);
    expect(pool.fields.v[pool.slotOf(fifth) * 2]).toBe(8);
    expect(xs.length).toBe(8);
    expect(dense.length).toBe(8);
    expect(pool.dense).toBe(dense);
    handles.forEach((h, i) => {
      expect(pool.isAlive(h)).toBe(true);
      expect(xs[pool.slotOf(h)]).toBe(Math.fround(0.1 * (i + 1)));
      expect(vs[pool.slotOf(h) * 2 + 1]).toBe(-(i + 1) / 3);
    });
    pool.check();
  });

  it('C20 the capacity boundary: the 2^k-th alloc succeeds, the next throws naming maxCapacity', () => {
    for (const k of [0, 1, 4, 10]) {
      const max = 2 ** k;
      const pool = new StructPool({ x: 'u8' }, { capacity: 1, maxCapacity: max });
      const handles = new Set<Handle>();
      const slots = new Set<number>();
      for (let i = 0; i < max; i++) {
        const h = pool.alloc();
        handles.add(h);
        slots.add(pool.slotOf(h));
        expect(pool.slotOf(h)).toBeLessThan(max);
      }
      expect(handles.size).toBe(max);
      expect(slots.size).toBe(max);
      let error: unknown;
      try {
        pool.alloc();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(OutOfMemoryError);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toContain('maxCapacity');
      expect((error as OutOfMemoryError).unit).toBe('slots');
      expect(pool.tryAlloc()).toBe(NULL_HANDLE);
      expect(pool.size).toBe(max);
      expect(pool.stats().failedAllocCount).toBe(2);
      pool.check();
    }
  });

  it('C20 slot bits never spill into generation bits, across generation wrap-around', () => {
    const pool = new StructPool({ x: 'u8' }, { capacity: 16 });
    expect(pool.indexBits).toBe(4);
    expect(pool.generationBits).toBe(27);
    const max = new StructPool({ x: 'u8' }, { capacity: 1, maxCapacity: MAX_POOL_CAPACITY });
    expect(max.indexBits).toBe(24);
    expect(max.generationBits).toBe(7);
    // Cycle one slot past its generation range: slot bits stay the same, handles stay < 2^31.
    const tiny = new StructPool({ x: 'u8' }, { capacity: 1, maxCapacity: MAX_POOL_CAPACITY });
    const first = tiny.alloc();
    expect(first).toBe(2 ** 24); // slot 0, generation 1: never the bare slot index
    const seen = new Set<Handle>([first]);
    tiny.free(first);
    for (let i = 2; i < 2 ** 7; i++) {
      const h = tiny.alloc();
      expect(h & (2 ** 24 - 1)).toBe(0);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 31);
      expect(seen.has(h)).toBe(false);
      seen.add(h);
      tiny.free(h);
    }
    expect(seen.size).toBe(127); // generations 1..127
    // The 127th free would wrap the generation to 0: the slot retires instead of reissuing `first`.
    expect(tiny.stats()).toMatchObject({ retiredSlots: 1, liveSlots: 0, freeSlots: 0, capacity: 1 });
    const next = tiny.alloc(); // the pool grows past the retired slot
    expect(tiny.slotOf(next)).toBe(1);
    expect(next).toBe(2 ** 24 + 1);
    expect(tiny.isAlive(first)).toBe(false);
    expect(tiny.stats()).toMatchObject({ retiredSlots: 1, liveSlots: 1, capacity: 2, growCount: 1 });
    tiny.check();
  });
});

describe('StructPool: behaviour', () => {
  it('zeroes every field of a slot on alloc, scalars and vectors', () => {
    const pool = new StructPool(SCHEMA, { capacity: 2 });
    const h = pool.alloc();
    const s = pool.slotOf(h);
    const f = pool.fields;
    f.x[s] = 1;
    f.y[s] = 2;
    f.vel[s * 2] = 3;
    f.vel[s * 2 + 1] = 4;
    f.color[s] = 0xffffffff;
    f.flags[s] = 255;
    f.hp.fill(-7, s * 3, s * 3 + 3);
    pool.free(h);
    const g = allocOnSlot(pool, s);
    expect(pool.slotOf(g)).toBe(s);
    for (const name of Object.keys(SCHEMA) as (keyof typeof SCHEMA)[]) {
      const n = Array.isArray(SCHEMA[name]) ? (SCHEMA[name] as readonly [string, number])[1] : 1;
      expect(Array.from(f[name].subarray(s * n, s * n + n))).toEqual(new Array(n).fill(0));
    }
  });

  it('zeroOnAlloc false keeps the previous occupant values (documented), true is the default', () => {
    const raw = new StructPool({ x: 'f32', v: ['u8', 3] }, { capacity: 2, zeroOnAlloc: false });
    const h = raw.alloc();
    const s = raw.slotOf(h);
    raw.fields.x[s] = 5;
    raw.fields.v[s * 3 + 2] = 9;
    raw.free(h);
    const g = allocOnSlot(raw, s);
    expect(raw.slotOf(g)).toBe(s);
    expect(raw.fields.x[s]).toBe(5);
    expect(raw.fields.v[s * 3 + 2]).toBe(9);
    expect(raw.stats().zeroOnAlloc).toBe(false);
    expect(new StructPool({ x: 'f32' }).zeroOnAlloc).toBe(true);
    expect(() => new StructPool({ x: 'f32' }, { zeroOnAlloc: 1 as unknown as boolean })).toThrow(TypeError);
  });

  it('a growable pool zeroes slots it reaches by growth and by reuse', () => {
    const pool = new StructPool({ x: 'f64', b: 'u8' }, { capacity: 1, maxCapacity: 8 });
    const hs: Handle[] = [];
    for (let i = 0; i < 8; i++) {
      const h = pool.alloc();
      expect(pool.fields.x[pool.slotOf(h)]).toBe(0);
      expect(pool.fields.b[pool.slotOf(h)]).toBe(0);
      pool.fields.x[pool.slotOf(h)] = -1;
      pool.fields.b[pool.slotOf(h)] = 200;
      hs.push(h);
    }
    for (const h of hs) pool.free(h);
    for (let i = 0; i < 8; i++) {
      const h = pool.alloc();
      expect(pool.fields.x[pool.slotOf(h)]).toBe(0);
      expect(pool.fields.b[pool.slotOf(h)]).toBe(0);
    }
    expect(pool.stats()).toMatchObject({ capacity: 8, growCount: 3, lengthTracking: true });
    pool.check();
  });

  it('types columns by kind and exposes a frozen fields object', () => {
    const pool = new StructPool(SCHEMA, { capacity: 8 });
    expect(pool.fields.x).toBeInstanceOf(Float32Array);
    expect(pool.fields.y).toBeInstanceOf(Float64Array);
    expect(pool.fields.vel).toBeInstanceOf(Float32Array);
    expect(pool.fields.vel.length).toBe(16);
    expect(pool.fields.color).toBeInstanceOf(Uint32Array);
    expect(pool.fields.flags).toBeInstanceOf(Uint8Array);
    expect(pool.fields.hp).toBeInstanceOf(Int16Array);
    expect(pool.fields.hp.length).toBe(24);
    expect(Object.isFrozen(pool.fields)).toBe(true);
    expect(pool.bytesPerSlot).toBe(4 + 8 + 8 + 4 + 1 + 6);
    expect(pool.stats().lengthTracking).toBe(false); // capacity === maxCapacity: plain buffers
  });

  it('handleOf(slotOf(h)) === h for live handles; handleOf of a free slot throws RangeError', () => {
    const { pool, live, dead } = pooled();
    for (const h of live) expect(pool.handleOf(pool.slotOf(h))).toBe(h);
    for (let i = 0; i < pool.size; i++) expect(pool.isAlive(pool.handleOf(pool.dense[i]))).toBe(true);
    const freeSlot = dead[0] & 63;
    expect(pool.isAlive(dead[0])).toBe(false);
    expect(() => pool.handleOf(freeSlot)).toThrow(RangeError);
    expect(() => pool.handleOf(pool.capacity)).toThrow(RangeError);
    expect(() => pool.handleOf('1' as unknown as number)).toThrow(TypeError);
  });

  it('E4-style removal during backward iteration over dense visits each live item once', () => {
    const pool = new StructPool({ health: 'i32' }, { capacity: 16 });
    const hs = [1, 100, 100, 1, 100, 1].map((hp) => {
      const h = pool.alloc();
      pool.fields.health[pool.slotOf(h)] = hp;
      return h;
    });
    const visits = new Map<number, number>();
    for (let i = pool.size - 1; i >= 0; i--) {
      const s = pool.dense[i];
      visits.set(s, (visits.get(s) ?? 0) + 1);
      if (--pool.fields.health[s] === 0) pool.free(pool.handleOf(s));
      pool.check();
    }
    expect(visits.size).toBe(6);
    expect([...visits.values()].every((v) => v === 1)).toBe(true);
    expect(pool.size).toBe(3);
    expect(hs.filter((h) => pool.isAlive(h)).length).toBe(3);
  });

  it('clear() frees everything and kills every earlier handle, even once slots are reused', () => {
    const { pool, live, dead } = pooled();
    pool.clear();
    pool.check();
    expect(pool.size).toBe(0);
    const fresh: Handle[] = [];
    for (let i = 0; i < pool.capacity; i++) fresh.push(pool.alloc());
    for (const h of [...live, ...dead]) {
      expect(pool.isAlive(h)).toBe(false);
      expect(() => pool.free(h)).toThrow(InvalidFreeError);
    }
    for (const h of fresh) expect(pool.isAlive(h)).toBe(true);
    pool.check();
  });

  it('reserve() grows ahead of time, keeping views and handles', () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 4, maxCapacity: 100 });
    const xs = pool.fields.x;
    const h = pool.alloc();
    xs[pool.slotOf(h)] = 9;
    pool.reserve(20);
    expect(pool.capacity).toBe(32);
    pool.reserve(100);
    expect(pool.capacity).toBe(100);
    expect(xs.length).toBe(100);
    expect(xs[pool.slotOf(h)]).toBe(9);
    expect(() => pool.reserve(101)).toThrow(RangeError);
    expect(() => pool.reserve(0)).toThrow(RangeError);
    pool.check();
  });

  it('liveSlots / freeSlots / capacity, the same words as ObjectPool; size and stats size/free agree', () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 4, maxCapacity: 16 });
    const hs = [pool.alloc(), pool.alloc(), pool.alloc()];
    expect([pool.liveSlots, pool.freeSlots, pool.capacity, pool.size]).toEqual([3, 1, 4, 3]);
    pool.alloc();
    pool.alloc(); // grows to 8
    expect([pool.liveSlots, pool.freeSlots, pool.capacity]).toEqual([5, 3, 8]);
    pool.free(hs[0]);
    const st = pool.stats();
    expect([st.liveSlots, st.freeSlots, st.capacity]).toEqual([4, 4, 8]);
    expect([st.size, st.free]).toEqual([st.liveSlots, st.freeSlots]); // deprecated names
    expect(st.freeCount).toBe(1); // free() calls, as AllocatorStats.freeCount
  });

  it('stats(into) fills and returns into, equal to stats(), allocating nothing', async () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 64 });
    for (let i = 0; i < 10; i++) pool.alloc();
    const into = pool.stats();
    const other = { note: 'kept' } as unknown as ReturnType<typeof pool.stats>;
    expect(pool.stats(other)).toBe(other);
    expect(other).toEqual({ ...pool.stats(), note: 'kept' });
    expect(() => pool.stats(null as unknown as typeof into)).toThrow(TypeError);
    const read = () => {
      let sum = 0;
      for (let i = 0; i < 200_000; i++) sum += pool.stats(into).liveSlots;
      return sum;
    };
    for (let k = 0; k < 5; k++) read();
    const gc = await countGc(read);
    expect(gc, JSON.stringify(gc)).toMatchObject({ count: 0 });
  });

  it('stats() counts allocs, frees and peaks', () => {
    const { pool } = pooled();
    expect(pool.stats()).toMatchObject({
      size: 4,
      capacity: 8,
      maxCapacity: 64,
      free: 4,
      peakSize: 6,
      allocCount: 6,
      freeCount: 2,
      growCount: 1,
    });
  });
});

describe('StructPool: error policy', () => {
  it.each([
    ['null', null, TypeError],
    ['an array', [['x', 'f32']], TypeError],
    ['a string', 'f32', TypeError],
    ['no fields', {}, RangeError],
    ['unknown kind', { x: 'f16' }, RangeError],
    ['kind of wrong type', { x: 32 }, TypeError],
    ['vector of length 0', { x: ['f32', 0] }, RangeError],
    ['vector of length 1.5', { x: ['f32', 1.5] }, RangeError],
    ['vector of length NaN', { x: ['f32', NaN] }, RangeError],
    ['vector length as a string', { x: ['f32', '2'] }, TypeError],
    ['vector with three entries', { x: ['f32', 2, 3] }, TypeError],
    ['vector with a bad kind', { x: ['float', 2] }, RangeError],
    ['symbol key', { [Symbol('x')]: 'f32' }, TypeError],
  ])('bad schema (%s) throws', (_name, schema, type) => {
    expect(() => new StructPool(schema as never)).toThrow(type);
  });

  it.each([
    ['not an object', 4, TypeError],
    ['unknown option', { capacty: 4 }, TypeError],
    ['capacity 0', { capacity: 0 }, RangeError],
    ['capacity NaN', { capacity: NaN }, RangeError],
    ['capacity 1.5', { capacity: 1.5 }, RangeError],
    ['capacity as a string', { capacity: '4' }, TypeError],
    ['capacity above maxCapacity', { capacity: 8, maxCapacity: 4 }, RangeError],
    ['maxCapacity above 2^24', { maxCapacity: 2 ** 24 + 1 }, RangeError],
    ['maxCapacity 2^32', { capacity: 1, maxCapacity: 2 ** 32 }, RangeError],
    ['maxCapacity -1', { maxCapacity: -1 }, RangeError],
    ['column above 2^32 bytes', { capacity: 1, maxCapacity: 2 ** 24 }, RangeError, { v: ['f64', 33] }],
  ] as [string, unknown, ErrorConstructor, unknown?][])(
    'bad options (%s) throw',
    (_name, options, type, schema = { x: 'f32' }) => {
      expect(() => new StructPool(schema as never, options as never)).toThrow(type);
    },
  );

  it('messages name the argument, the value and the range', () => {
    expect(() => new StructPool({ x: 'f32' }, { capacity: 0 })).toThrow(/options\.capacity.*\[1, .*got 0/);
    expect(() => new StructPool({ x: 'f16' as 'f32' })).toThrow(/schema\.x.*f32.*got "f16"/);
  });

  it.each(GARBAGE)('free(%s) throws %s and leaves the pool unchanged', (_n, value, type) => {
    expectUnchangedAfterThrow((pool) => pool.free(value as Handle));
    const { pool } = pooled();
    expect(() => pool.free(value as Handle)).toThrow(type === 'TypeError' ? TypeError : RangeError);
  });

  it.each(GARBAGE)('slotOf(%s) throws %s and leaves the pool unchanged', (_n, value, type) => {
    expectUnchangedAfterThrow((pool) => pool.slotOf(value as Handle));
    const { pool } = pooled();
    expect(() => pool.slotOf(value as Handle)).toThrow(type === 'TypeError' ? TypeError : RangeError);
  });

  it.each(GARBAGE)('isAlive(%s) is false and never throws', (_n, value) => {
    const { pool } = pooled();
    expect(pool.isAlive(value)).toBe(false);
  });

  it('stale, double and out-of-range handles throw InvalidFreeError (frees) or InvalidHandleError (lookups) with their reason, unchanged', () => {
    expectUnchangedAfterThrow((pool, s) => pool.free(s.dead[0]));
    expectUnchangedAfterThrow((pool, s) => pool.slotOf(s.dead[1]));
    expectUnchangedAfterThrow((pool) => pool.free(63)); // slot 63 >= capacity 8
    expectUnchangedAfterThrow((pool) => pool.free(7)); // slot 7: never issued
    const { pool, dead } = pooled();
    expect(() => pool.free(dead[0])).toThrow(expect.objectContaining({ reason: 'double-free' }));
    expect(() => pool.free(63)).toThrow(expect.objectContaining({ reason: 'out-of-range' }));
    expect(() => pool.slotOf(63)).toThrow(expect.objectContaining({ reason: 'out-of-range' }));
    expect(() => pool.free(7)).toThrow(expect.objectContaining({ reason: 'stale-handle' }));
    expect(() => pool.slotOf(dead[0])).toThrow(expect.objectContaining({ reason: 'stale-handle' }));
    const again = allocOnSlot(pool, dead[1] & 63); // reuses dead[1]'s slot
    expect(pool.slotOf(again)).toBe(dead[1] & 63);
    expect(() => pool.free(dead[1])).toThrow(expect.objectContaining({ reason: 'stale-handle' }));
    expect(pool.isAlive(dead[1])).toBe(false);
  });

  it('garbage whose low bits name a live slot is rejected, unchanged (free validates by comparing whole handles)', () => {
    const { pool, live } = pooled();
    const h = live[0];
    const aliases = [h + 0.5, h + 2 ** 31, h + 2 ** 32, h - 2 ** 32, h - 2 ** 31, h + 2 ** 31 * 3];
    for (const value of aliases) {
      expect((value | 0) & 63).toBe(h & 63); // lands on h's slot after `& indexMask`
      expect(pool.isAlive(value)).toBe(false);
      expect(() => pool.free(value)).toThrow(RangeError);
      expect(() => pool.slotOf(value)).toThrow(RangeError);
      expectUnchangedAfterThrow((p, state) => p.free(value - h + state.live[0]));
    }
    expect(pool.isAlive(h)).toBe(true);
    pool.check();
  });

  it('a handle from another pool is rejected unless it happens to name a live slot and generation', () => {
    const a = new StructPool({ x: 'f32' }, { capacity: 4 });
    const b = new StructPool({ x: 'f32' }, { capacity: 4 });
    const h = a.alloc();
    expect(b.isAlive(h)).toBe(false);
    expect(() => b.free(h)).toThrow(InvalidFreeError);
  });

  it('handleOf and reserve reject garbage with TypeError / RangeError, unchanged', () => {
    for (const [value] of GARBAGE.map((g) => [g[1]])) {
      expectUnchangedAfterThrow((pool) => pool.handleOf(value as number));
      expectUnchangedAfterThrow((pool) => pool.reserve(value as number));
    }
    expectUnchangedAfterThrow((pool) => pool.reserve(65));
  });
});
