/**
 * Seeded model-based tests: random operation sequences run against a pool and a simple
 * reference model side by side, with check() after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidFreeError, NULL_HANDLE, ObjectPool, StructPool, type Handle } from '../../src/index.ts';

type StructOp =
  | { op: 'alloc' | 'tryAlloc' | 'clear' }
  | { op: 'free' | 'freeDead' | 'isAlive' | 'slotOf' | 'handleOf'; pick: number }
  | { op: 'reserve'; capacity: number }
  | { op: 'garbage'; value: number };

const structOp = (maxCapacity: number): fc.Arbitrary<StructOp> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<StructOp>({ op: 'alloc' }, { op: 'tryAlloc' }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constantFrom('freeDead' as const, 'isAlive' as const, 'slotOf' as const, 'handleOf' as const),
        pick: fc.nat(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('reserve' as const), capacity: fc.integer({ min: 1, max: maxCapacity }) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('garbage' as const),
        value: fc.oneof(fc.integer({ min: -2, max: 2 ** 31 + 2 }), fc.double()),
      }),
    },
    { weight: 1, arbitrary: fc.constant<StructOp>({ op: 'clear' }) },
  );

/** Runs `ops` on a fresh pool and the model; the model is a Map of live handle -> written value. */
function runStructModel(capacity: number, maxCapacity: number, ops: StructOp[]): void {
  const pool = new StructPool({ tag: 'f64', pad: ['u8', 3] }, { capacity, maxCapacity });
  const live = new Map<Handle, number>();
  const dead: Handle[] = [];
  let nextTag = 1;
  const liveList = () => [...live.keys()];
  for (const step of ops) {
    switch (step.op) {
      case 'alloc':
      case 'tryAlloc': {
        if (live.size === maxCapacity) {
          if (step.op === 'alloc') expect(() => pool.alloc()).toThrow(RangeError);
          else expect(pool.tryAlloc()).toBe(NULL_HANDLE);
          break;
        }
        const h = step.op === 'alloc' ? pool.alloc() : pool.tryAlloc();
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThan(2 ** 31);
        expect(live.has(h)).toBe(false);
        const s = pool.slotOf(h);
        expect(pool.fields.tag[s]).toBe(0);
        for (const other of live.keys()) expect(pool.slotOf(other)).not.toBe(s);
        pool.fields.tag[s] = nextTag;
        live.set(h, nextTag++);
        break;
      }
      case 'free': {
        const list = liveList();
        if (list.length === 0) break;
        const h = list[step.pick % list.length];
        expect(pool.fields.tag[pool.slotOf(h)]).toBe(live.get(h));
        pool.free(h);
        live.delete(h);
        dead.push(h);
        break;
      }
      case 'freeDead': {
        if (dead.length === 0) break;
        const h = dead[step.pick % dead.length];
        expect(() => pool.free(h)).toThrow(InvalidFreeError);
        break;
      }
      case 'isAlive': {
        const all = [...liveList(), ...dead];
        if (all.length === 0) break;
        const h = all[step.pick % all.length];
        expect(pool.isAlive(h)).toBe(live.has(h));
        break;
      }
      case 'slotOf': {
        const all = [...liveList(), ...dead];
        if (all.length === 0) break;
        const h = all[step.pick % all.length];
        if (live.has(h)) expect(pool.fields.tag[pool.slotOf(h)]).toBe(live.get(h));
        else expect(() => pool.slotOf(h)).toThrow(InvalidFreeError);
        break;
      }
      case 'handleOf': {
        const list = liveList();
        if (list.length === 0) break;
        const h = list[step.pick % list.length];
        expect(pool.handleOf(pool.slotOf(h))).toBe(h);
        break;
      }
      case 'reserve': {
        pool.reserve(step.capacity);
        expect(pool.capacity).toBeGreaterThanOrEqual(step.capacity);
        break;
      }
      case 'garbage': {
        const v = step.value;
        const isLive = live.has(v);
        expect(pool.isAlive(v)).toBe(isLive);
        if (!isLive) expect(() => pool.free(v)).toThrow();
        break;
      }
      case 'clear': {
        pool.clear();
        for (const h of live.keys()) dead.push(h);
        live.clear();
        break;
      }
    }
    pool.check();
    expect(pool.size).toBe(live.size);
    expect(pool.capacity).toBeLessThanOrEqual(maxCapacity);
    expect(pool.capacity).toBeGreaterThanOrEqual(live.size);
    const denseLive = new Set(Array.from(pool.dense.subarray(0, pool.size)));
    expect(denseLive.size).toBe(live.size);
    for (const h of live.keys()) expect(denseLive.has(pool.slotOf(h))).toBe(true);
  }
}

describe('StructPool: seeded model-based test', () => {
  it('random alloc/free/isAlive/slotOf/clear/reserve agree with a reference model (growable)', () => {
    fc.assert(
      fc.property(fc.array(structOp(48), { minLength: 1, maxLength: 200 }), (ops) => runStructModel(2, 48, ops)),
      { seed: 0x5eed, numRuns: 150 },
    );
  });

  it('random operations agree with the model on a fixed-capacity pool that fills up', () => {
    fc.assert(
      fc.property(fc.array(structOp(8), { minLength: 1, maxLength: 200 }), (ops) => runStructModel(8, 8, ops)),
      { seed: 0xbeef, numRuns: 150 },
    );
  });
});

type ObjectOp =
  | { op: 'acquire' | 'tryAcquire' | 'stranger' }
  | { op: 'release' | 'releaseFree' | 'releaseDropped'; pick: number }
  | { op: 'prefill'; count: number };

const objectOp: fc.Arbitrary<ObjectOp> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<ObjectOp>({ op: 'acquire' }, { op: 'tryAcquire' }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constantFrom('releaseFree' as const, 'releaseDropped' as const), pick: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.constant<ObjectOp>({ op: 'stranger' }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('prefill' as const), count: fc.nat({ max: 6 }) }) },
);

function runObjectModel(capacity: number, maxRetained: number, ops: ObjectOp[]): void {
  const created: object[] = [];
  const pool = new ObjectPool<{ n: number }>({
    create: () => {
      const item = { n: 0 };
      created.push(item);
      return item;
    },
    capacity,
    maxRetained,
  });
  const used = new Set<object>();
  const free = new Set<object>();
  const dropped: object[] = [];
  for (const step of ops) {
    switch (step.op) {
      case 'acquire':
      case 'tryAcquire': {
        const full = free.size === 0 && used.size === capacity;
        if (full) {
          if (step.op === 'acquire') expect(() => pool.acquire()).toThrow(RangeError);
          else expect(pool.tryAcquire()).toBeUndefined();
          break;
        }
        const item = step.op === 'acquire' ? pool.acquire() : pool.tryAcquire()!;
        expect(used.has(item)).toBe(false);
        if (free.size > 0) expect(free.has(item)).toBe(true);
        free.delete(item);
        used.add(item);
        break;
      }
      case 'release': {
        if (used.size === 0) break;
        const item = [...used][step.pick % used.size];
        pool.release(item as { n: number });
        used.delete(item);
        if (free.size < maxRetained) free.add(item);
        else dropped.push(item);
        break;
      }
      case 'releaseFree': {
        if (free.size === 0) break;
        const item = [...free][step.pick % free.size];
        expect(() => pool.release(item as { n: number })).toThrow(expect.objectContaining({ reason: 'double-free' }));
        break;
      }
      case 'releaseDropped': {
        if (dropped.length === 0) break;
        const item = dropped[step.pick % dropped.length];
        expect(() => pool.release(item as { n: number })).toThrow(expect.objectContaining({ reason: 'foreign' }));
        break;
      }
      case 'stranger':
        expect(() => pool.release({ n: 0 })).toThrow(expect.objectContaining({ reason: 'foreign' }));
        break;
      case 'prefill': {
        const count = Math.min(step.count, maxRetained);
        const before = free.size;
        const createdBefore = created.length;
        pool.prefill(count);
        const target = Math.min(Math.max(before, count), capacity - used.size);
        expect(pool.free).toBe(target);
        for (const item of created.slice(createdBefore)) free.add(item);
        break;
      }
    }
    pool.check();
    expect(pool.used).toBe(used.size);
    expect(pool.free).toBe(free.size);
    expect(pool.size).toBe(used.size + free.size);
    expect(pool.size).toBeLessThanOrEqual(capacity);
    for (const item of used) expect(pool.owns(item)).toBe(true);
  }
}

describe('ObjectPool: seeded model-based test', () => {
  it('random acquire/release/prefill agree with a reference model', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.nat({ max: 8 }),
        fc.array(objectOp, { minLength: 1, maxLength: 150 }),
        (capacity, retained, ops) => runObjectModel(capacity, Math.min(retained, capacity), ops),
      ),
      { seed: 0xc0ffee, numRuns: 200 },
    );
  });
});
