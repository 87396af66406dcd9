import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BuddyArena } from '../../src/arena/buddy-arena.ts';
import { InvalidFreeError, OutOfMemoryError } from '../../src/errors.ts';
import { countGc } from '../support/gc.ts';
import { assertShrinkableRun } from '../support/random.ts';
import { describeArenaConformance, expectStatsConsistent, walkList } from './conformance.ts';

const isPow2 = (n: number) => Number.isInteger(Math.log2(n));

// Minimum block 16 bytes (or alignBytes), except for arenas above 1 MiB (only C12's random
// sizes), where the minimum block grows so the tree keeps at most 2^16 leaves and C12's
// "minimum blocks until failure" stays fast.
describeArenaConformance(
  (o) => {
    const align = typeof o.alignBytes === 'number' && o.alignBytes > 16 ? o.alignBytes : 16;
    const size = typeof o.sizeBytes === 'number' ? o.sizeBytes : 0;
    const minBlockBytes = size > 2 ** 20 ? Math.max(align, 2 ** Math.ceil(Math.log2(size / 65536))) : align;
    return new BuddyArena({ minBlockBytes, ...o });
  },
  {
    name: 'BuddyArena',
    reallocGrows: true,
    minArenaBytes: 16,
    largestRequestBytes: (sizeBytes) => 2 ** Math.floor(Math.log2(sizeBytes)),
    checkBlock: (offset, granted) =>
      isPow2(granted) && offset % granted === 0 ? undefined : `block ${offset}:${granted} is not a buddy block`,
    randomRuns: [
      { sizeBytes: 1 << 20, maxRequestBytes: 65536, steps: 6000, seeds: [1, 2] },
      { sizeBytes: 65536, maxRequestBytes: 256, steps: 8000, seeds: [3, 4] },
    ],
  },
);

describe('BuddyArena: orders, shapes and edges', () => {
  it('names the largest order and the order count apart, and both edges hold', () => {
    const a = new BuddyArena({ sizeBytes: 1 << 20, minBlockBytes: 16 });
    expect(a.maxOrder).toBe(16);
    expect(a.orderCount).toBe(17);
    expect(a.maxBlockBytes).toBe(1 << 20);
    expect(a.blockBytesOf(0)).toBe(16);
    expect(a.blockBytesOf(a.maxOrder)).toBe(1 << 20);
    expect(() => a.blockBytesOf(a.orderCount)).toThrow(RangeError);
    expect(() => a.blockBytesOf(-1)).toThrow(RangeError);
    expect([a.orderOf(1), a.orderOf(16), a.orderOf(17), a.orderOf(32), a.orderOf(33)]).toEqual([0, 0, 1, 1, 2]);
    expect(a.orderOf(1 << 20)).toBe(a.maxOrder);
    expect(a.orderOf((1 << 20) + 1)).toBe(-1);
    expect(() => a.orderOf(2 ** 40)).toThrow(RangeError); // above MAX_REQUEST_BYTES: no arena could serve it
    expect(a.alloc(a.blockBytesOf(a.maxOrder))).toBe(0);
    expect(a.tryAlloc(16)).toBe(-1);
    // A one-block arena: maxOrder 0, orderCount 1.
    const one = new BuddyArena({ sizeBytes: 16, minBlockBytes: 16 });
    expect([one.maxOrder, one.orderCount]).toEqual([0, 1]);
    expect(one.alloc(16)).toBe(0);
    expect(one.tryAlloc(1)).toBe(-1);
    one.free(0);
    expect(one.dump()).toBe('(0:16)');
    one.check();
  });

  it('splits on the way down and coalesces on the way up (dump shapes)', () => {
    const a = new BuddyArena({ sizeBytes: 256, minBlockBytes: 16 });
    expect(a.dump()).toBe('(0:256)');
    const x = a.alloc(16);
    expect(a.dump()).toBe('[0:16](16:16)(32:32)(64:64)(128:128)');
    const y = a.alloc(32);
    expect(a.dump()).toBe('[0:16](16:16)[32:32](64:64)(128:128)');
    const z = a.alloc(10);
    expect([x, y, z]).toEqual([0, 32, 16]);
    expect(a.dump()).toBe('[0:16][16:16][32:32](64:64)(128:128)');
    a.free(x);
    expect(a.dump()).toBe('(0:16)[16:16][32:32](64:64)(128:128)');
    a.free(z);
    expect(a.dump()).toBe('(0:32)[32:32](64:64)(128:128)');
    a.free(y);
    expect(a.dump()).toBe('(0:256)');
    a.check();
  });

  it('picks the tightest free block: a small request does not break up a big free block', () => {
    const a = new BuddyArena({ sizeBytes: 256, minBlockBytes: 16 });
    const big = a.alloc(128); // [0:128]
    const s = a.alloc(16); // splits the upper half
    a.free(big); // (0:128) free again, (144:16) (160:32) (192:64) free
    expect(a.dump()).toBe('(0:128)[128:16](144:16)(160:32)(192:64)');
    expect(a.alloc(16)).toBe(144);
    expect(a.alloc(128)).toBe(0);
    a.free(s);
    a.check();
  });

  it('C4: 1 MiB arena, two halves freed in either order coalesce into one 1 MiB block', () => {
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      const a = new BuddyArena({ sizeBytes: 1 << 20, minBlockBytes: 16 });
      const halves = [a.alloc(1 << 19), a.alloc(1 << 19)];
      expect(halves).toEqual([0, 1 << 19]);
      expect(a.tryAlloc(1)).toBe(-1);
      for (const i of order) a.free(halves[i]);
      expect(walkList(a)).toEqual([[0, 1 << 20, false]]);
      expect(a.alloc(1 << 20)).toBe(0);
      a.check();
    }
  });

  it('C5: alloc(1) until failure gives exactly sizeBytes / minBlockBytes blocks', () => {
    for (const [size, min] of [
      [4096, 16],
      [65536, 64],
      [3 * 4096, 32],
    ]) {
      const a = new BuddyArena({ sizeBytes: size, minBlockBytes: min });
      let n = 0;
      while (a.tryAlloc(1) !== -1) n++;
      expect(n).toBe(size / min);
      expect(a.stats().freeBytes).toBe(0);
      a.check();
    }
  });

  it('C7: huge or negative requests on a 16-block tree are rejected before the tree is touched', () => {
    const a = new BuddyArena({ sizeBytes: 256, minBlockBytes: 16 });
    a.alloc(16);
    a.alloc(48);
    const before = a.dump();
    const stats = a.stats();
    expect(() => a.alloc(-1)).toThrow(RangeError);
    expect(() => a.alloc(-1)).not.toThrow(OutOfMemoryError);
    expect(a.dump()).toBe(before);
    expect(() => a.alloc(0x40000001)).toThrow(OutOfMemoryError);
    expect(a.tryAlloc(0x40000001)).toBe(-1);
    expect(() => a.tryAlloc(2 ** 32 + 16)).toThrow(RangeError); // above MAX_REQUEST_BYTES
    expect(a.dump()).toBe(before);
    expect({ ...a.stats(), failedAllocCount: 0 }).toEqual({ ...stats, failedAllocCount: 0 });
    expect(a.stats().failedAllocCount).toBe(2);
  });

  it('C8: the exact sequence on a 1024-byte arena with 16-byte blocks', () => {
    const a = new BuddyArena({ sizeBytes: 1024, minBlockBytes: 16 });
    const reason = (f: () => void) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidFreeError);
        return (e as InvalidFreeError).reason;
      }
      return 'no throw';
    };
    expect(reason(() => a.free(48))).toBe('not-allocated');
    const p = a.alloc(64);
    const dump = a.dump();
    expect(reason(() => a.free(p + 16))).toBe('interior');
    expect(reason(() => a.free(p + 3))).toBe('misaligned');
    expect(reason(() => a.free(p + 8))).toBe('interior');
    expect(reason(() => a.free(4096))).toBe('out-of-range');
    expect(reason(() => a.free(-16))).toBe('out-of-range');
    expect(a.dump()).toBe(dump);
    a.free(p);
    expect(reason(() => a.free(p))).toBe('not-allocated');
    expect(a.dump()).toBe('(0:1024)');
  });

  it('sizes that are not a power of two: the tail is masked and reported as reserved', () => {
    const a = new BuddyArena({ sizeBytes: 49152 + 8, minBlockBytes: 16 });
    expect(a.maxOrder).toBe(12);
    expect(a.dump()).toBe('(0:32768)(32768:16384){49152:16384}');
    const s = a.stats();
    expect([s.capacityBytes, s.freeBytes, s.reservedBytes, s.freeBlocks, s.largestFreeBytes]).toEqual([
      49160, 49152, 8, 2, 32768,
    ]);
    expect(a.alloc(32768)).toBe(0);
    expect(a.alloc(16384)).toBe(32768);
    expect(a.tryAlloc(16)).toBe(-1);
    expect(() => a.free(49152)).toThrow(InvalidFreeError);
    a.check();
    expectStatsConsistent(a.stats());
    expect(() => new BuddyArena({ sizeBytes: 8, minBlockBytes: 16 })).toThrow(RangeError);
  });

  it('internal fragmentation: requested vs granted bytes', () => {
    const a = new BuddyArena({ sizeBytes: 4096, minBlockBytes: 16 });
    a.alloc(100);
    a.alloc(16);
    const s = a.stats();
    expect(s.requestedBytes).toBe(116);
    expect(s.grantedBytes).toBe(144);
    expect(s.internalFragmentation).toBeCloseTo(1 - 116 / 144, 12);
  });

  it('realloc: shrink splits in place, grow merges free buddies in place, otherwise moves', () => {
    const a = new BuddyArena({ sizeBytes: 1024, minBlockBytes: 16 });
    const p = a.alloc(256);
    a.u8.fill(7, p, p + 256);
    expect(a.realloc(p, 40)).toBe(p);
    expect(a.dump()).toBe('[0:64](64:64)(128:128)(256:256)(512:512)');
    expect(a.realloc(p, 256)).toBe(p);
    expect(a.dump()).toBe('[0:256](256:256)(512:512)');
    expect(a.u8[p + 39]).toBe(7);
    const q = a.alloc(256); // 256: now p cannot grow in place past 256
    const allocs = a.stats().allocCount;
    const r = a.realloc(p, 300);
    expect(r).toBe(512);
    expect(a.u8[r]).toBe(7);
    expect(a.u8[r + 255]).toBe(7);
    expect(a.stats().allocCount).toBe(allocs + 1);
    expect(a.dump()).toBe('(0:256)[256:256][512:512]');
    a.free(q);
    a.free(r);
    a.check();
  });

  it('realloc that only fits once the old block is counted free moves down with memmove', () => {
    const a = new BuddyArena({ sizeBytes: 64, minBlockBytes: 16 });
    const x = a.alloc(16);
    const b = a.alloc(16);
    const c = a.alloc(32);
    expect([x, b, c]).toEqual([0, 16, 32]);
    for (let i = 0; i < 16; i++) a.u8[b + i] = i + 1;
    a.free(x);
    const moved = a.realloc(b, 32); // b is an upper half: cannot grow in place
    expect(moved).toBe(0);
    for (let i = 0; i < 16; i++) expect(a.u8[moved + i]).toBe(i + 1);
    expect(a.dump()).toBe('[0:32][32:32]');
    a.check();
  });

  it('realloc that fails even with the old block counted free puts it back exactly', () => {
    const a = new BuddyArena({ sizeBytes: 64, minBlockBytes: 16 });
    a.alloc(16);
    const b = a.alloc(16);
    a.alloc(16);
    const before = a.dump();
    const stats = a.stats();
    expect(() => a.realloc(b, 64)).toThrow(OutOfMemoryError);
    expect(a.dump()).toBe(before);
    expect({ ...a.stats(), failedAllocCount: 0 }).toEqual({ ...stats, failedAllocCount: 0 });
    expect(a.sizeOf(b)).toBe(16);
    a.check();
  });

  it('rejects bad options with the documented errors', () => {
    expect(() => new BuddyArena({ sizeBytes: 4096, minBlockBytes: 24 })).toThrow(RangeError);
    expect(() => new BuddyArena({ sizeBytes: 4096, minBlockBytes: 8, alignBytes: 16 })).toThrow(RangeError);
    expect(() => new BuddyArena({ sizeBytes: 2 ** 20, minBlockBytes: 2 ** 17 })).toThrow(RangeError);
    expect(new BuddyArena({ sizeBytes: 2 ** 20, minBlockBytes: 2 ** 16 }).orderCount).toBe(5);
    expect(() => new BuddyArena({ sizeBytes: 4096, buffer: new Uint8Array(4096) as unknown as ArrayBuffer })).toThrow(
      TypeError,
    );
    expect(() => new BuddyArena(null as unknown as undefined)).toThrow(TypeError);
    const d = new BuddyArena();
    expect(d.stats().capacityBytes).toBe(1 << 20);
    expect(d.minBlockBytes).toBe(16);
    expect(new BuddyArena({ buffer: new ArrayBuffer(4096) }).stats().capacityBytes).toBe(4096);
  });
});

describe('BuddyArena: order marks and requested sizes per smallest block', () => {
  /** The reason `free(offset)` gives, or 'no throw'. */
  const reasonOf = (a: BuddyArena, offset: number) => {
    try {
      a.free(offset);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidFreeError);
      return (e as InvalidFreeError).reason;
    }
    return 'no throw';
  };

  // Narrow (1 byte per smallest block: 8-bit, 16-bit and 32-bit requested slots) and wide
  // (2 bytes: 16-bit and 32-bit) layouts; requests span order 0 to far above order 2.
  for (const [minBlockBytes, sizeBytes, seed] of [
    [16, 1 << 16, 11],
    [256, 1 << 18, 12],
    [512, 1 << 19, 13],
  ]) {
    it(`seeded run against a map model, minBlockBytes ${minBlockBytes}: alloc / free / realloc / stale and interior offsets`, () => {
      assertShrinkableRun(seed, 2500 * 5, (next) => {
        const a = new BuddyArena({ sizeBytes, minBlockBytes });
        const model = new Map<number, number>(); // live offset -> requested bytes
        const rand = (n: number) => Math.floor(next() * n);
        const randomSize = () => 1 + rand(minBlockBytes * 2 ** rand(7));
        const live = () => [...model.keys()];
        /** The reason the model expects for freeing `offset`, which is not a live block's start. */
        const expectedReason = (offset: number) => {
          for (const [o] of model) if (offset > o && offset < o + a.sizeOf(o)) return 'interior';
          return 'not-allocated';
        };
        for (let step = 0; step < 2500 && !next.exhausted; step++) {
          const op = rand(10);
          const offsets = live();
          if (op < 4 || offsets.length === 0) {
            const bytes = randomSize();
            const x = a.tryAlloc(bytes);
            if (x !== -1) {
              expect(model.has(x)).toBe(false);
              const granted = a.sizeOf(x);
              expect(granted >= bytes && granted / 2 < Math.max(bytes, minBlockBytes) && x % granted === 0).toBe(true);
              model.set(x, bytes);
            }
          } else if (op < 7) {
            const x = offsets[rand(offsets.length)];
            const granted = a.sizeOf(x);
            if (granted > minBlockBytes) {
              const inside = x + minBlockBytes * (1 + rand(granted / minBlockBytes - 1));
              expect(reasonOf(a, inside)).toBe('interior');
            }
            a.free(x);
            model.delete(x);
            expect(reasonOf(a, x)).toBe(expectedReason(x));
          } else {
            const x = offsets[rand(offsets.length)];
            const bytes = randomSize();
            let y = -1;
            try {
              y = a.realloc(x, bytes);
            } catch (e) {
              expect(e).toBeInstanceOf(OutOfMemoryError);
            }
            if (y !== -1) {
              model.delete(x);
              model.set(y, bytes);
              expect(a.sizeOf(y)).toBe(a.blockBytesOf(a.orderOf(Math.max(bytes, 1))));
              if (y !== x) expect(reasonOf(a, x)).toBe(expectedReason(x));
            }
          }
          a.check();
          const st = a.stats();
          expect(st.liveBlocks).toBe(model.size);
          expect(st.requestedBytes).toBe([...model.values()].reduce((t, v) => t + v, 0));
        }
        for (const x of live()) a.free(x);
        expect(a.dump()).toBe(`(0:${sizeBytes})`);
        a.check();
      });
    });
  }
});

describe('BuddyArena: garbage', () => {
  it('steady-state alloc/free churn allocates nothing (GC count 0 after warm-up)', async () => {
    const a = new BuddyArena({ sizeBytes: 1 << 22, minBlockBytes: 16 });
    const live = new Int32Array(2048).fill(-1);
    // Seeded (slot, size) pairs from fast-check, drawn before the measured loop (which must not
    // allocate); an LCG's low bits, used here before, repeat every 2048 steps.
    const steps = 200_000;
    const slots = Int32Array.from(fc.sample(fc.integer({ min: 0, max: 2047 }), { seed: 12345, numRuns: steps }));
    const sizes = Int32Array.from(fc.sample(fc.integer({ min: 1, max: 2048 }), { seed: 54321, numRuns: steps }));
    const churn = () => {
      for (let i = 0; i < steps; i++) {
        const slot = slots[i];
        if (live[slot] !== -1) a.free(live[slot]);
        live[slot] = a.tryAlloc(sizes[i]);
      }
    };
    for (let k = 0; k < 5; k++) churn();
    const gc = await countGc(churn);
    a.check();
    expect(a.stats().liveBlocks).toBeGreaterThan(1000);
    expect(gc, JSON.stringify(gc)).toMatchObject({ count: 0 });
  });
});
