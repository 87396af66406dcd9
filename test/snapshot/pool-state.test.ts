/**
 * StructPool saveState / loadState: random operation sequences round-trip exactly (same live
 * and dead handles, same next handles, stats, values; check() passes), handles dead at the save
 * stay dead after a restore, views held across a load stay valid (also when a growable pool
 * shrinks back to the saved capacity), and refused loads change nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidFreeError, OutOfMemoryError, SnapshotError, StructPool, type Handle } from '../../src/index.ts';
import { expectSameBytes, refusedUnchanged, roundTrip, saved, type RoundTripHarness } from './round-trip.ts';

const SCHEMA = { x: 'f32', v: ['f32', 2], tag: 'u8', id: 'i32' } as const;
type Pool = StructPool<typeof SCHEMA>;

type PoolOp =
  | { op: 'alloc'; value: number }
  | { op: 'free'; pick: number }
  | { op: 'freeDead'; pick: number }
  | { op: 'clear' }
  | { op: 'reserve'; capacity: number };

const poolOp = (maxCapacity: number): fc.Arbitrary<PoolOp> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({ op: fc.constant('alloc' as const), value: fc.integer({ min: -1000, max: 1000 }) }),
    },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('freeDead' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('reserve' as const), capacity: fc.integer({ min: 1, max: maxCapacity }) }),
    },
  );

interface Ctx {
  live: Handle[];
  dead: Handle[];
}

function applyPoolOp(pool: Pool, ctx: Ctx, op: PoolOp): unknown {
  switch (op.op) {
    case 'alloc': {
      const h = pool.tryAlloc();
      if (h >= 0) {
        const s = pool.slotOf(h);
        pool.fields.x[s] = op.value / 8;
        pool.fields.v[s * 2 + 1] = -op.value;
        pool.fields.tag[s] = op.value & 255;
        pool.fields.id[s] = h;
        ctx.live.push(h);
      }
      return h;
    }
    case 'free': {
      if (ctx.live.length === 0) return 'none';
      const [h] = ctx.live.splice(op.pick % ctx.live.length, 1);
      pool.free(h);
      ctx.dead.push(h);
      return h;
    }
    case 'freeDead': {
      if (ctx.dead.length === 0) return 'none';
      try {
        pool.free(ctx.dead[op.pick % ctx.dead.length]);
        return 'freed a dead handle';
      } catch (e) {
        if (e instanceof InvalidFreeError) return e.reason;
        throw e;
      }
    }
    case 'clear':
      pool.clear();
      ctx.dead.push(...ctx.live);
      ctx.live.length = 0;
      return 'clear';
    case 'reserve':
      try {
        pool.reserve(op.capacity);
        return pool.capacity;
      } catch (e) {
        if (e instanceof OutOfMemoryError) return 'oom';
        throw e;
      }
  }
}

function observePool(pool: Pool, ctx: Ctx): unknown {
  const { x, v, tag, id } = pool.fields;
  return {
    stats: pool.stats(),
    live: ctx.live.map((h) => {
      const s = pool.slotOf(h);
      return [pool.isAlive(h), s, x[s], v[s * 2], v[s * 2 + 1], tag[s], id[s]];
    }),
    dead: ctx.dead.map((h) => pool.isAlive(h)),
    dense: Array.from(pool.dense.subarray(0, pool.size)),
  };
}

const POOLS: { name: string; make: () => Pool; maxCapacity: number }[] = [
  { name: 'fixed pool', make: () => new StructPool(SCHEMA, { capacity: 24 }), maxCapacity: 24 },
  { name: 'growable pool', make: () => new StructPool(SCHEMA, { capacity: 4, maxCapacity: 64 }), maxCapacity: 64 },
  { name: 'no zeroing', make: () => new StructPool(SCHEMA, { capacity: 16, zeroOnAlloc: false }), maxCapacity: 16 },
];

describe.each(POOLS)('StructPool state ($name)', ({ make, maxCapacity }) => {
  const harness: RoundTripHarness<Pool, PoolOp, Ctx> = {
    make,
    newContext: () => ({ live: [], dead: [] }),
    cloneContext: (c) => ({ live: [...c.live], dead: [...c.dead] }),
    apply: applyPoolOp,
    observe: observePool,
    check: (p) => p.check(),
  };
  const ops = fc.array(poolOp(maxCapacity), { maxLength: 100 });

  it('round-trips after random operations: same handles live and dead, same next handles, stats, values', () => {
    fc.assert(
      fc.property(ops, ops, ops, (a, b, c) => roundTrip(harness, a, b, c)),
      { numRuns: 40 },
    );
  });

  it('handles dead at the save stay dead after a restore, whatever ran in between', () => {
    const pool = make();
    const ctx: Ctx = { live: [], dead: [] };
    for (let i = 0; i < 12; i++) applyPoolOp(pool, ctx, { op: 'alloc', value: i });
    for (let i = 0; i < 6; i++) applyPoolOp(pool, ctx, { op: 'free', pick: i });
    const state = saved(pool);
    const deadAtSave = [...ctx.dead];
    for (let i = 0; i < 30; i++)
      applyPoolOp(pool, ctx, { op: i % 3 === 2 ? 'free' : 'alloc', value: i, pick: i } as PoolOp);
    pool.loadState(state);
    for (const h of deadAtSave) {
      expect(pool.isAlive(h)).toBe(false);
      expect(() => pool.free(h)).toThrow(InvalidFreeError);
    }
    for (const h of ctx.live.filter((h) => !deadAtSave.includes(h))) {
      // Alive after the save and so unknown to the saved state: dead now, unless the state at the
      // save had this very handle live.
      if (!pool.isAlive(h)) expect(() => pool.slotOf(h)).toThrow();
    }
    pool.check();
  });

  it('keeps the views held across a load valid', () => {
    const pool = make();
    const xs = pool.fields.x;
    const dense = pool.dense;
    const h = pool.alloc();
    xs[pool.slotOf(h)] = 2.5;
    const state = saved(pool);
    xs[pool.slotOf(h)] = 9;
    pool.free(h);
    pool.loadState(state);
    expect(pool.fields.x).toBe(xs);
    expect(pool.dense).toBe(dense);
    expect(xs[pool.slotOf(h)]).toBe(2.5);
    expect(dense[0]).toBe(pool.slotOf(h));
  });
});

describe('StructPool state across capacities and options', () => {
  it('a growable pool that grew since the save shrinks back; its views follow and stay valid', () => {
    const pool = new StructPool(SCHEMA, { capacity: 4, maxCapacity: 1024 });
    const xs = pool.fields.x;
    const hs = [pool.alloc(), pool.alloc()];
    xs[pool.slotOf(hs[1])] = 7;
    const state = saved(pool);
    for (let i = 0; i < 200; i++) pool.alloc();
    expect(pool.capacity).toBe(256);
    expect(xs.length).toBe(256);
    pool.loadState(state);
    expect(pool.capacity).toBe(4);
    expect(pool.stats().growCount).toBe(0);
    expect(xs.length).toBe(4);
    expect(xs[pool.slotOf(hs[1])]).toBe(7);
    pool.check();
    expectSameBytes(saved(pool), state);
    // And a fresh pool grows to a saved larger capacity.
    const big = saved(
      (() => {
        const p = new StructPool(SCHEMA, { capacity: 4, maxCapacity: 1024 });
        for (let i = 0; i < 300; i++) p.alloc();
        return p;
      })(),
    );
    pool.loadState(big);
    expect(pool.capacity).toBe(512);
    expect(pool.size).toBe(300);
    expect(xs.length).toBe(512);
    pool.check();
  });

  it('refuses a state of another schema or options, and changes nothing', () => {
    const pool = new StructPool(SCHEMA, { capacity: 16 });
    pool.alloc();
    const others = [
      new StructPool({ ...SCHEMA, x: 'f64' } as const, { capacity: 16 }),
      new StructPool({ x: 'f32', v: ['f32', 3], tag: 'u8', id: 'i32' } as const, { capacity: 16 }),
      new StructPool({ y: 'f32', v: ['f32', 2], tag: 'u8', id: 'i32' } as const, { capacity: 16 }),
      new StructPool(SCHEMA, { capacity: 16, maxCapacity: 32 }),
      new StructPool(SCHEMA, { capacity: 32 }),
      new StructPool(SCHEMA, { capacity: 16, zeroOnAlloc: false }),
      new StructPool(SCHEMA, { capacity: 16, generationWrap: 'reuse' }),
      // Same schema and capacity, other generationBits (maxCapacity fixes the handle layout).
      new StructPool(SCHEMA, { capacity: 16, maxCapacity: 2 ** 20 }),
    ];
    for (const other of others) {
      const e = refusedUnchanged(pool, () => pool.loadState(saved(other)));
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).reason).toBe('options');
    }
    const e = refusedUnchanged(pool, () => pool.loadState(saved(pool).subarray(0, 100)));
    expect((e as SnapshotError).reason).toBe('truncated');
  });

  it('refuses impossible counters and changes nothing', () => {
    const pool = new StructPool(SCHEMA, { capacity: 4, maxCapacity: 64 });
    pool.alloc();
    const state = saved(pool);
    const counters = 24 + 8 * state[14];
    const withCounter = (i: number, value: number) => {
      const copy = state.slice();
      new DataView(copy.buffer).setFloat64(counters + 8 * i, value, true);
      return copy;
    };
    for (const [i, value] of [
      [0, 128], // capacity above maxCapacity
      [0, 8], // capacity that does not match the sections
      [1, 5], // more live than capacity
      [2, 0], // peak below live
      [3, 5], // queue head outside the ring of capacity + 1 entries
      [4, 2], // queue tail: the queue would hold 2 slots, capacity - live - retired is 3
      [5, 1], // a retired slot the free queue still holds
    ]) {
      const e = refusedUnchanged(pool, () => pool.loadState(withCounter(i, value)));
      expect((e as SnapshotError).reason, `counter ${i} = ${value}`).toBe('corrupt');
    }
  });
});

describe('StructPool state: retirement, the FIFO free queue and generations', () => {
  /** A long alloc/free churn over few slots, so that slots retire (or wrap, under 'reuse'). */
  const churn = (n: number, seed: number): PoolOp[] => {
    const ops: PoolOp[] = [];
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      // Frees outnumber allocs (a free with nothing live does nothing): few slots, many frees each.
      const r = x % 10;
      ops.push(r < 4 ? { op: 'alloc', value: x % 1000 } : { op: r === 9 ? 'freeDead' : 'free', pick: x >>> 8 });
    }
    return ops;
  };
  // maxCapacity 2^24: 24 slot bits, 7 generation bits, so a slot retires after 127 frees of it.
  const VARIANTS = [
    { name: "'retire'", options: { capacity: 4, maxCapacity: 2 ** 24 } },
    { name: "'reuse'", options: { capacity: 4, maxCapacity: 2 ** 24, generationWrap: 'reuse' as const } },
  ];

  it.each(VARIANTS)('round-trips through retirements and wraps ($name)', ({ options }) => {
    const make = () => new StructPool(SCHEMA, options);
    const harness: RoundTripHarness<Pool, PoolOp, Ctx> = {
      make,
      newContext: () => ({ live: [], dead: [] }),
      cloneContext: (c) => ({ live: [...c.live], dead: [...c.dead] }),
      apply: applyPoolOp,
      observe: observePool,
      check: (p) => p.check(),
    };
    const a = churn(6000, 7);
    // The saved state really holds retired slots (or wrapped generations) and a queue that wrapped.
    const probe = make();
    const ctx = harness.newContext();
    for (const op of a) applyPoolOp(probe, ctx, op);
    const stats = probe.stats();
    if (options.generationWrap === 'reuse') {
      expect(stats.retiredSlots).toBe(0);
      expect(stats.freeCount).toBeGreaterThan(127 * stats.capacity); // generations wrapped, on average
    } else {
      expect(stats.retiredSlots).toBeGreaterThan(0);
    }
    roundTrip(harness, a, churn(700, 11), churn(700, 13));
  });

  it('restores the free-queue order: the next handles equal those the saved pool would have handed out', () => {
    const pool = new StructPool(SCHEMA, { capacity: 8 });
    const hs = Array.from({ length: 8 }, () => pool.alloc());
    for (const i of [5, 1, 6, 2]) pool.free(hs[i]); // FIFO: slots 5, 1, 6, 2 come back in this order
    const state = saved(pool);
    const expected = [pool.alloc(), pool.alloc(), pool.alloc(), pool.alloc()];
    expect(expected.map((h) => pool.slotOf(h))).toEqual([5, 1, 6, 2]);
    pool.clear();
    pool.loadState(state);
    const fresh = new StructPool(SCHEMA, { capacity: 8 });
    fresh.loadState(state);
    for (const p of [pool, fresh]) {
      expect([p.alloc(), p.alloc(), p.alloc(), p.alloc()]).toEqual(expected);
      // Handles never equal their slot index (generations start at 1), also after a load.
      for (const h of expected) expect(h).not.toBe(p.slotOf(h));
      for (const i of [5, 1, 6, 2]) expect(p.isAlive(hs[i])).toBe(false);
      p.check();
    }
  });
});
