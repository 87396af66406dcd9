/**
 * The boundary-tag block layer (src/arena/boundary-tags.ts), through both arenas built on it:
 * block layout and reserved bytes, split with a minimum remainder, the four coalescing cases,
 * realloc in place / into the next block / by moving, the live map's guarantee that user data
 * mimicking a header never makes an interior pointer freeable, and corruption detection.
 */
import { describe, expect, it } from 'vitest';
import type { Allocator } from '../../src/arena/allocator.ts';
import { TAG_USED } from '../../src/arena/boundary-tags.ts';
import { FreeListArena } from '../../src/arena/free-list-arena.ts';
import { TreeArena } from '../../src/arena/tree-arena.ts';
import { InvalidFreeError, OutOfMemoryError } from '../../src/errors.ts';
import { walkList } from './conformance.ts';

type Make = (o?: { sizeBytes?: number; alignBytes?: number; buffer?: ArrayBuffer | SharedArrayBuffer }) => Allocator;

const arenas: Array<[string, Make]> = [
  ['FreeListArena', (o) => new FreeListArena({ sizeBytes: 4096, ...o })],
  ['TreeArena', (o) => new TreeArena({ sizeBytes: 4096, ...o })],
];

/** Runs `f`, expects an InvalidFreeError with `reason`, and that stats and walk are unchanged. */
function expectRefused(a: Allocator, f: () => unknown, reason: string): void {
  const stats = a.stats();
  const walk = walkList(a);
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InvalidFreeError);
  expect((err as InvalidFreeError).reason).toBe(reason);
  expect(a.stats()).toEqual(stats);
  expect(walkList(a)).toEqual(walk);
  a.check();
}

describe.each(arenas)('%s block layer', (_name, make) => {
  it('a fresh arena is one free block; tags cost 16 bytes; minimum block 24 bytes', () => {
    const a = make();
    expect(walkList(a)).toEqual([[0, 4096, false]]);
    const s = a.stats();
    expect(s.reservedBytes).toBe(0);
    expect(s.largestFreeBytes).toBe(4096);
    const p = a.alloc(1);
    expect(p).toBe(8); // the payload follows the 8-byte header
    expect(a.sizeOf(p)).toBe(8); // 24-byte minimum block
    expect(walkList(a)).toEqual([
      [0, 24, true],
      [24, 4072, false],
    ]);
    expect(a.stats().grantedBytes).toBe(8);
    expect(a.stats().requestedBytes).toBe(1);
    expect(a.stats().internalFragmentation).toBeCloseTo(7 / 8, 12);
    a.check();
  });

  it('alignment: payloads aligned to alignBytes; the head and tail are reserved', () => {
    const a = make({ sizeBytes: 4100, alignBytes: 64 });
    // First block starts at 64 - 8 = 56; blocks are multiples of 64: 56 + 4032 = 4088, tail 12.
    expect(walkList(a)).toEqual([[56, 4032, false]]);
    expect(a.stats().reservedBytes).toBe(4100 - 4032);
    for (const n of [1, 50, 100, 200]) {
      const p = a.alloc(n);
      expect(p % 64).toBe(0);
      expect(a.sizeOf(p) + 16).toBe(Math.max(64, Math.ceil((n + 16) / 64) * 64));
    }
    a.check();
  });

  it('a SharedArrayBuffer longer than sizeBytes: only sizeBytes is managed', () => {
    const sab = new SharedArrayBuffer(8192);
    const a = make({ buffer: sab, sizeBytes: 1000 });
    expect(a.buffer).toBe(sab);
    expect(a.stats().capacityBytes).toBe(1000);
    expect(walkList(a)).toEqual([[0, 1000, false]]);
    expect(a.tryAlloc(985)).toBe(-1);
    expect(a.alloc(984)).toBe(8);
    expect(() => make({ buffer: sab, sizeBytes: 16 })).toThrow(RangeError);
  });

  it('split keeps a remainder only when it is a whole minimum block', () => {
    const a = make();
    const p = a.alloc(100); // 120-byte block
    a.alloc(1);
    a.free(p);
    // 120 - (80 + 16 = 96) = 24: split. 120 - (96 + 16 = 112) = 8: the whole block is granted.
    const q = a.alloc(80);
    expect(q).toBe(p);
    expect(a.sizeOf(q)).toBe(80);
    a.free(q);
    const r = a.alloc(96);
    expect(r).toBe(p);
    expect(a.sizeOf(r)).toBe(104);
    a.check();
  });

  it('coalescing: neither, before, after and both neighbours, each in one step', () => {
    const a = make();
    const b = [0, 1, 2, 3, 4, 5].map(() => a.alloc(40)); // 56-byte blocks at 0, 56, ...
    const freeBlocks = () => a.stats().freeBlocks;
    expect(freeBlocks()).toBe(1); // the tail
    a.free(b[1]); // neither neighbour free
    expect(freeBlocks()).toBe(2);
    a.free(b[2]); // the one before is free
    expect(freeBlocks()).toBe(2);
    expect(walkList(a)[1]).toEqual([56, 112, false]);
    a.free(b[5]); // the one after (the tail) is free
    expect(freeBlocks()).toBe(2);
    a.free(b[4]); // after is free
    a.free(b[3]); // both are free: everything from 56 to the end is one block
    expect(freeBlocks()).toBe(1);
    expect(walkList(a)).toEqual([
      [0, 56, true],
      [56, 4040, false],
    ]);
    a.free(b[0]);
    expect(walkList(a)).toEqual([[0, 4096, false]]);
    a.check();
  });

  it('realloc: shrinks in place, the freed tail coalescing with a free block after it', () => {
    const a = make();
    const p = a.alloc(200); // 216
    const q = a.alloc(8);
    a.free(q); // p is followed by the free tail
    a.u8.fill(7, p, p + 200);
    expect(a.realloc(p, 50)).toBe(p);
    expect(a.sizeOf(p)).toBe(56);
    expect(walkList(a)).toEqual([
      [0, 72, true],
      [72, 4024, false],
    ]);
    expect(a.u8.subarray(p, p + 50).every((v) => v === 7)).toBe(true);
    expect(a.stats().requestedBytes).toBe(50);
    // A shrink that leaves less than a minimum block keeps the block and only records the request.
    expect(a.realloc(p, 45)).toBe(p);
    expect(a.sizeOf(p)).toBe(56);
    expect(a.stats().requestedBytes).toBe(45);
    a.check();
  });

  it('realloc: grows in place into the free block after it (split or whole), else moves', () => {
    const a = make();
    const p = a.alloc(8); // [0, 24)
    const q = a.alloc(40); // [24, 80)
    const r = a.alloc(8); // [80, 104)
    a.free(q);
    a.u8.fill(9, p, p + 8);
    expect(a.realloc(p, 24)).toBe(p); // 40-byte block: 16 taken from q's 56, 40 left -> split
    expect(walkList(a).slice(0, 3)).toEqual([
      [0, 40, true],
      [40, 40, false],
      [80, 24, true],
    ]);
    expect(a.realloc(p, 56)).toBe(p); // 72: 32 more of the 40 leaves 8 < 24 -> whole (80 bytes)
    expect(a.sizeOf(p)).toBe(64);
    expect(walkList(a).slice(0, 2)).toEqual([
      [0, 80, true],
      [80, 24, true],
    ]);
    const stats = a.stats();
    const moved = a.realloc(p, 100); // r is live: must move
    expect(moved).not.toBe(p);
    expect(a.u8.subarray(moved, moved + 8).every((v) => v === 9)).toBe(true);
    expect(a.stats().allocCount).toBe(stats.allocCount + 1);
    expect(a.stats().freeCount).toBe(stats.freeCount + 1);
    expectRefused(a, () => a.free(p), 'not-allocated');
    expect(a.sizeOf(r)).toBe(8);
    a.check();
  });

  it('realloc that cannot move throws OutOfMemoryError and leaves the block as it was', () => {
    const a = make({ sizeBytes: 256 });
    const p = a.alloc(100);
    a.alloc(8);
    a.u8.fill(3, p, p + 104);
    const before = a.stats();
    expect(() => a.realloc(p, 200)).toThrow(OutOfMemoryError);
    expect(a.stats()).toEqual({ ...before, failedAllocCount: before.failedAllocCount + 1 });
    expect(a.sizeOf(p)).toBe(104);
    expect(a.u8.subarray(p, p + 104).every((v) => v === 3)).toBe(true);
    a.check();
  });

  it('invalid frees have exact reasons, and headers are inside their block', () => {
    const a = make();
    const p = a.alloc(64); // block [0, 80)
    const q = a.alloc(64); // block [80, 160)
    expectRefused(a, () => a.free(q - 8), 'interior'); // q's header
    expectRefused(a, () => a.free(p + 72), 'interior'); // p's footer
    expectRefused(a, () => a.free(q + 64), 'interior');
    expectRefused(a, () => a.free(168), 'not-allocated'); // free space
    expectRefused(a, () => a.free(4088), 'not-allocated');
    expectRefused(a, () => a.free(p + 4), 'misaligned');
    expectRefused(a, () => a.free(4096), 'out-of-range');
    expectRefused(a, () => a.free(-8), 'out-of-range');
    expect(() => a.free('8' as unknown as number)).toThrow(TypeError);
    expect(() => a.free(8.5)).toThrow(RangeError);
  });

  it('user data that mimics a live header never makes an interior pointer freeable', () => {
    const a = make();
    const p = a.alloc(200); // block [0, 216)
    const after = a.alloc(8);
    // Forge a 48-byte "live block" at p + 16: header, and footer with a requested count.
    const fake = p + 16;
    a.u32[fake >> 2] = 48;
    a.u32[(fake >> 2) + 1] = TAG_USED;
    a.u32[(fake + 40) >> 2] = 48;
    a.u32[(fake + 44) >> 2] = 8;
    expectRefused(a, () => a.free(fake + 8), 'interior');
    expectRefused(a, () => a.sizeOf(fake + 8), 'interior');
    expectRefused(a, () => a.realloc(fake + 8, 8), 'interior');
    a.free(p);
    // The forged tags now sit inside a free block: still refused.
    expectRefused(a, () => a.free(fake + 8), 'not-allocated');
    a.free(after);
    expect(walkList(a)).toEqual([[0, 4096, false]]);
  });

  it('a write past the end of a block is reported as corruption, not silently freed', () => {
    const a = make();
    const p = a.alloc(16); // block [0, 32)
    const q = a.alloc(16); // block [32, 64)
    a.u32[(p + 24) >> 2] = 12345; // overwrites q's header size (a buffer overrun from p)
    expect(() => a.free(q)).toThrow(/corruption/);
    expect(() => a.check()).toThrow(/bad size|header size/);
    a.u32[(p + 24) >> 2] = 32; // repaired
    a.free(q);
    a.check();
  });

  it('reset() restores a fresh arena, including the live map', () => {
    const a = make();
    const p = a.alloc(64);
    a.alloc(200);
    a.reset();
    expect(walkList(a)).toEqual([[0, 4096, false]]);
    expectRefused(a, () => a.free(p), 'not-allocated');
    expect(a.alloc(64)).toBe(p);
    a.check();
  });
});
