/**
 * The handle promise of StructPool: once freed, a handle is never alive again (slots whose
 * generation would wrap retire; reuse is FIFO so retirement is rare), a handle never equals its
 * slot index, and lookups of a dead handle throw their own error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidFreeError, InvalidHandleError, MAX_POOL_CAPACITY, StructPool, type Handle } from '../../src/index.ts';

describe('StructPool: a freed handle never validates again', () => {
  it('one slot cycled far past its generation range never reissues a handle (LIFO reuse wrapped after 128)', () => {
    // maxCapacity 2^24: 7 generation bits, the fewest any pool has.
    const pool = new StructPool({ x: 'u8' }, { capacity: 1, maxCapacity: MAX_POOL_CAPACITY });
    const issued = new Set<Handle>();
    const first = pool.alloc();
    issued.add(first);
    pool.free(first);
    for (let i = 0; i < 2000; i++) {
      const h = pool.alloc();
      expect(issued.has(h)).toBe(false);
      issued.add(h);
      pool.free(h);
      expect(pool.isAlive(first)).toBe(false);
    }
    expect(() => pool.slotOf(first)).toThrow(InvalidHandleError);
    expect(() => pool.free(first)).toThrow(InvalidFreeError);
    // 127 generations a slot, FIFO over every free slot: slots 0 and 1 retire after 127 frees
    // each, slots 2-3 after 254 more, 4-7 after 508 more (1016 in all); the pool doubled to 16
    // each time, and the 985 frees left spread over slots 8-15 retire none of them.
    expect(pool.stats()).toMatchObject({ retiredSlots: 8, liveSlots: 0, capacity: 16 });
    pool.check();
  });

  it('no handle is ever issued twice, over any sequence of alloc / free / clear (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('alloc'), fc.constant('free'), fc.constant('clear')), {
          minLength: 1,
          maxLength: 600,
        }),
        fc.integer({ min: 1, max: 6 }),
        (ops, capacity) => {
          const pool = new StructPool({ x: 'u8' }, { capacity, maxCapacity: MAX_POOL_CAPACITY });
          const issued = new Set<Handle>();
          const live: Handle[] = [];
          const dead: Handle[] = [];
          // Repeat the sequence so slots run through their 127 generations many times.
          for (let round = 0; round < 8; round++) {
            for (const op of ops) {
              if (op === 'alloc') {
                const h = pool.alloc();
                expect(issued.has(h)).toBe(false);
                issued.add(h);
                live.push(h);
              } else if (op === 'free' && live.length > 0) {
                const h = live.shift() as Handle;
                pool.free(h);
                dead.push(h);
              } else if (op === 'clear') {
                pool.clear();
                dead.push(...live.splice(0));
              }
            }
          }
          for (const h of dead) expect(pool.isAlive(h)).toBe(false);
          for (const h of live) expect(pool.isAlive(h)).toBe(true);
          pool.check();
        },
      ),
      { seed: 0x9a7d, numRuns: 60 },
    );
  });

  it('FIFO reuse over N free slots: no slot retires before (2^generationBits - 1) x N frees', () => {
    const n = 8;
    const pool = new StructPool({ x: 'u8' }, { capacity: n, maxCapacity: MAX_POOL_CAPACITY });
    const generations = 2 ** pool.generationBits - 1; // 127
    // Slot 0 is freed every n-th free; its 127th free is free number 126 * n + 1.
    const firstRetirement = (generations - 1) * n + 1;
    for (let i = 1; i < firstRetirement; i++) pool.free(pool.alloc());
    expect(pool.stats().retiredSlots).toBe(0);
    expect(pool.stats().freeCount).toBe(firstRetirement - 1);
    pool.free(pool.alloc());
    expect(pool.stats()).toMatchObject({ retiredSlots: 1, freeSlots: n - 1, capacity: n });
    // After that the pool loses one slot per `generations` frees on average.
    for (let i = 0; i < generations * n; i++) pool.free(pool.alloc());
    expect(pool.stats().retiredSlots).toBe(n + 1);
    pool.check();
  });

  it("generationWrap 'reuse' requeues a wrapped slot at generation 1 (no retirement, no promise)", () => {
    const pool = new StructPool({ x: 'u8' }, { capacity: 1, maxCapacity: MAX_POOL_CAPACITY, generationWrap: 'reuse' });
    const first = pool.alloc();
    pool.free(first);
    for (let i = 0; i < 126; i++) pool.free(pool.alloc());
    expect(pool.alloc()).toBe(first); // generation 1 again after 127 frees
    expect(pool.stats()).toMatchObject({ retiredSlots: 0, capacity: 1, generationWrap: 'reuse' });
    pool.check();
    expect(() => new StructPool({ x: 'u8' }, { generationWrap: 'wrap' as never })).toThrow(RangeError);
    expect(() => new StructPool({ x: 'u8' }, { generationWrap: 1 as never })).toThrow(TypeError);
  });
});

describe('StructPool: a handle is never its slot index', () => {
  it('every handle is at least 2^indexBits, so fields.x[h] (instead of fields.x[slotOf(h)]) reads undefined', () => {
    for (const capacity of [1, 2, 3, 64, 1000]) {
      const pool = new StructPool({ x: 'f32', v: ['f32', 2] }, { capacity });
      for (let i = 0; i < capacity; i++) {
        const h = pool.alloc();
        expect(h).toBeGreaterThanOrEqual(2 ** pool.indexBits);
        expect(h).toBeGreaterThanOrEqual(pool.capacity);
        pool.fields.x[pool.slotOf(h)] = 1;
        expect(pool.fields.x[h]).toBeUndefined();
        expect(pool.fields.v[h * 2]).toBeUndefined();
      }
    }
  });
});

describe('StructPool: lookups throw InvalidHandleError, frees InvalidFreeError', () => {
  it('slotOf of a stale or out-of-range handle throws InvalidHandleError (still an InvalidFreeError), free throws InvalidFreeError', () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 3 }); // indexBits 2: slot 3 is out of range
    const h = pool.alloc();
    pool.free(h);
    for (const [value, reason] of [
      [h, 'stale-handle'],
      [2 ** pool.indexBits * 5 + 3, 'out-of-range'],
    ] as const) {
      let lookup: unknown;
      try {
        pool.slotOf(value);
      } catch (e) {
        lookup = e;
      }
      expect(lookup).toBeInstanceOf(InvalidHandleError);
      expect(lookup).toBeInstanceOf(InvalidFreeError); // instanceof checks written before keep working
      expect(lookup).toMatchObject({ name: 'InvalidHandleError', reason, target: value });
      let freeing: unknown;
      try {
        pool.free(value);
      } catch (e) {
        freeing = e;
      }
      expect(freeing).toBeInstanceOf(InvalidFreeError);
      expect(freeing).not.toBeInstanceOf(InvalidHandleError);
      expect((freeing as InvalidFreeError).name).toBe('InvalidFreeError');
    }
    pool.check();
  });
});
