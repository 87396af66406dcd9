/**
 * The one `check()` semantic: every structure validates all it can reach and throws a single
 * `CorruptionError` naming the structure, listing every violation and counting them (after
 * tlsf's `tlsf_check`). For each structure, two independent corruptions are made at once through
 * its typed arrays or buffer, and both must be listed.
 */
import { createWorld } from 'bitecs';
import { describe, expect, it } from 'vitest';
import { RedBlackTree } from '../src/arena/rb-tree.ts';
import { EntityPool, definePoolComponent, definePoolQuery } from '../src/ecs/index.ts';
import {
  BuddyArena,
  CorruptionError,
  FrameProfiler,
  FreeListArena,
  MAX_LISTED_VIOLATIONS,
  ObjectPool,
  SlabArena,
  StructPool,
  TreeArena,
} from '../src/index.ts';

/** Runs `check`, expects a CorruptionError of `structure`, and returns it. */
function corruption(structure: string, check: () => void): CorruptionError {
  let caught: unknown;
  try {
    check();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CorruptionError);
  const error = caught as CorruptionError;
  expect(error.structure).toBe(structure);
  expect(error.count).toBeGreaterThanOrEqual(error.violations.length);
  expect(error.message.startsWith(`${structure}.check: ${error.count} violation`)).toBe(true);
  for (const v of error.violations) expect(error.message).toContain(v);
  return error;
}

/** Expects one listed violation to match each pattern. */
function expectListed(error: CorruptionError, ...patterns: RegExp[]): void {
  for (const pattern of patterns) {
    expect(
      error.violations.some((v) => pattern.test(v)),
      `${pattern} in ${JSON.stringify(error.violations)}`,
    ).toBe(true);
  }
}

describe('CorruptionError', () => {
  it('carries the structure, the listed violations and the full count', () => {
    const e = new CorruptionError('StructPool', ['a', 'b'], 5);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CorruptionError');
    expect([e.structure, e.count]).toEqual(['StructPool', 5]);
    expect(e.violations).toEqual(['a', 'b']);
    expect(e.message).toBe('StructPool.check: 5 violations: a; b; and 3 more');
    expect(Object.isFrozen(e.violations)).toBe(true);
  });

  it(`lists at most ${MAX_LISTED_VIOLATIONS} violations but counts them all`, () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 200 });
    const slots = (pool as unknown as { slots: Int32Array }).slots;
    for (let s = 0; s < 200; s++) slots[s * 2 + 1] = -1; // every stored handle: not a handle
    const e = corruption('StructPool', () => pool.check());
    expect(e.count).toBe(200);
    expect(e.violations.length).toBe(MAX_LISTED_VIOLATIONS);
    expect(e.message).toContain(`and ${200 - MAX_LISTED_VIOLATIONS} more`);
  });
});

describe('check() lists every violation, two corruptions at once', () => {
  it('StructPool: a dense entry out of range and a stored handle of the wrong slot', () => {
    const pool = new StructPool({ x: 'f32' }, { capacity: 8 });
    pool.alloc();
    pool.alloc();
    pool.check();
    pool.dense[1] = 99; // a live entry (dense[0, size) are the live slots)
    (pool as unknown as { slots: Int32Array }).slots[3 * 2 + 1] = 6;
    const e = corruption('StructPool', () => pool.check());
    expectListed(e, /dense\[1\] = 99 outside \[0, 8\)/, /handle of slot 3 = 6, not a handle of slot 3/);
  });

  it('ObjectPool: a free-stack entry out of range and an item state flipped to used', () => {
    const pool = new ObjectPool({ create: () => ({}) });
    const a = pool.acquire();
    pool.acquire();
    pool.release(a);
    pool.check();
    const inner = pool as unknown as { freeStack: Int32Array; state: Uint8Array };
    inner.freeStack[0] = 77;
    inner.state[1] = 1; // the second item (used) now reads free
    const e = corruption('ObjectPool', () => pool.check());
    expectListed(e, /freeStack\[0\] = 77 out of range/, /liveItems: counted 0, recorded 1/);
  });

  it('BuddyArena: an invalid node code and a requested size its order cannot hold', () => {
    const arena = new BuddyArena({ sizeBytes: 256, minBlockBytes: 16 });
    const p = arena.alloc(40); // an order-2 block (64 bytes) at 0
    arena.alloc(16);
    arena.check();
    const inner = arena as unknown as { tree: Uint8Array; requested: { set(l: number, o: number, b: number): void } };
    inner.requested.set(p / 16, 2, 20); // 20 bytes would fit order 1
    inner.tree[3] = 250; // the root's right child (128 bytes at 128): no such code
    const e = corruption('BuddyArena', () => arena.check());
    expectListed(e, /node 3 \[128:128\] code 250: invalid code/, /requested 20 bytes does not need order 2/);
  });

  it('FreeListArena: a free block tag and a live block footer overwritten through the buffer', () => {
    const arena = new FreeListArena({ sizeBytes: 4096 });
    const p = arena.alloc(40); // block at p - 8, 56 bytes
    const q = arena.alloc(40);
    arena.free(p);
    arena.check();
    arena.u32[(p - 8 + 4) >> 2] = 0x12345678; // HDR_TAG of the free block
    arena.u32[(q - 8 + 56 - 4) >> 2] = 9999; // FTR_REQUESTED of the live block
    const e = corruption('FreeListArena', () => arena.check());
    expectListed(e, /free block at 0 has tag 12345678/, /live block at 56 records 9999 requested bytes in 56/);
  });

  it('FreeListArena: free() of a block whose tags were overwritten throws the same CorruptionError, unchanged', () => {
    const arena = new FreeListArena({ sizeBytes: 4096 });
    const p = arena.alloc(16); // block [0, 32)
    const q = arena.alloc(16); // block [32, 64)
    arena.u32[(p + 24) >> 2] = 12345; // a write past p's end overwrites q's header size
    let caught: unknown;
    try {
      arena.free(q);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CorruptionError);
    const e = caught as CorruptionError;
    expect([e.structure, e.count]).toEqual(['FreeListArena', 1]);
    expect(e.message).toMatch(
      /^FreeListArena\.free\(40\): 1 violation: heap corruption: the tags of the live block at 32/,
    );
    expect(arena.stats().liveBlocks).toBe(2);
  });

  it('TreeArena: a free block tag through the buffer and a bin bitmap bit', () => {
    const arena = new TreeArena({ sizeBytes: 4096 });
    const p = arena.alloc(40);
    arena.alloc(8);
    arena.free(p); // a 56-byte free block: bin 7
    arena.check();
    arena.u32[(p - 8 + 4) >> 2] = 0x0badf00d;
    (arena as unknown as { binMap: Int32Array }).binMap[0] ^= 1 << 9;
    const e = corruption('TreeArena', () => arena.check());
    expectListed(e, /free block at 0 has tag badf00d/, /bin 9: bitmap bit set, 0 nodes/);
  });

  it('SlabArena: a block twice on the free stack and a state word that is no state', () => {
    const arena = new SlabArena({ sizeBytes: 1024, blockBytes: 64 });
    arena.alloc(10);
    arena.check();
    const inner = arena as unknown as { freeStack: Int32Array; state: Int32Array; freeTop: number };
    inner.freeStack[0] = inner.freeStack[1];
    inner.state[0] = 500; // block 0 is live with 10 requested bytes; now 500 > blockBytes
    const e = corruption('SlabArena', () => arena.check());
    expectListed(e, /block \d+ twice on the free stack/, /block 0 requested 500 bytes/);
  });

  it('RedBlackTree: a red root and a key out of order', () => {
    const t = new RedBlackTree(8);
    for (let i = 0; i < 7; i++) t.insert(i, 0);
    t.check();
    const inner = t as unknown as { links: Int32Array; keys: Uint32Array; root: number };
    inner.links[inner.root * 8 + 3] = 0; // colour: red
    inner.keys[t.max() * 8 + 4] = 0; // the largest key's size: now below its predecessors
    const e = corruption('RedBlackTree', () => t.check());
    expectListed(e, /root is red/, /key \(0, 0\) out of order after \(5, 0\)/);
  });

  it('PoolComponent: a column index out of range and the StructPool under it', () => {
    const world = createWorld();
    const C = definePoolComponent(world, { v: 'f32' }, { layout: 'slot', membership: 'pool', capacity: 4 });
    const pool = new EntityPool(world, { components: [C] });
    pool.spawn();
    pool.spawn();
    C.check();
    C.indices[1] = 1000;
    (C.pool as StructPool<{ v: 'f32' }>).dense[1] = -2; // a live entry
    const e = corruption('PoolComponent', () => C.check());
    expectListed(e, /column index 1000 out of range/, /^pool: dense\[1\] = -2 outside \[0, 4\)/);
  });

  it('EntityPool: a slot bound to a dead entity and its slot pool', () => {
    const world = createWorld();
    const pool = new EntityPool(world, { capacity: 4 });
    pool.spawn();
    pool.spawn();
    pool.check();
    pool.entityOfSlot[0] = 5000; // an entity that was never created
    pool.slots.dense[1] = 42; // a live entry
    const e = corruption('EntityPool', () => pool.check());
    expectListed(e, /entity 5000 of slot 0 is not alive/, /^slots: dense\[1\] = 42 outside \[0, 4\)/);
  });

  it('PoolQuery: an entity listed twice and a column index that is not the component one', () => {
    const world = createWorld();
    const A = definePoolComponent(world, { v: 'f32' }, { layout: 'slot', membership: 'pool' });
    const B = definePoolComponent(world, { v: 'f32' }, { layout: 'slot', membership: 'pool' });
    const pool = new EntityPool(world, { components: [A, B] });
    for (let i = 0; i < 3; i++) pool.spawn();
    const q = definePoolQuery([A, B]);
    q.update();
    q.check();
    q.entities[2] = q.entities[0];
    q.indices[1][1] = 77;
    const e = corruption('PoolQuery', () => q.check());
    expectListed(e, /entity \d+ listed twice/, /column index of \d+ in components\[1\] is \d+, listed 77/);
  });

  it('FrameProfiler: a negative frame time and an infinite CPU time', () => {
    const prof = new FrameProfiler({ capacity: 8 });
    for (let i = 0; i < 5; i++) prof.record(16, 4);
    prof.check();
    const ring = (prof as unknown as { ring: { frameMs: Float64Array; cpuMs: Float64Array } }).ring;
    ring.frameMs[1] = -3;
    ring.cpuMs[3] = Infinity;
    const e = corruption('FrameProfiler', () => prof.check());
    expectListed(e, /frame 1: frame_ms -3 invalid/, /frame 3: cpu_ms Infinity invalid/);
  });
});
