/**
 * What every arena does with the `buffer` and `alignBytes` options and with requests above the
 * largest size, the same way in all four (found in review: they used to differ, and a transferred
 * or resizable buffer made some arenas hang or hand out offsets past the end).
 */
import { describe, expect, it } from 'vitest';
import {
  BuddyArena,
  FreeListArena,
  MAX_ALIGN_BYTES,
  MAX_REQUEST_BYTES,
  SlabArena,
  TreeArena,
  type Allocator,
  type ArenaOptions,
} from '../../src/index.ts';

const arenas: [string, (o: ArenaOptions) => Allocator][] = [
  ['BuddyArena', (o) => new BuddyArena(o)],
  ['FreeListArena', (o) => new FreeListArena(o)],
  ['TreeArena', (o) => new TreeArena(o)],
  ['SlabArena', (o) => new SlabArena(o)],
];

describe.each(arenas)('%s buffer and limit policy', (_name, make) => {
  it('rejects a resizable ArrayBuffer (views could not follow it)', () => {
    const buffer = new ArrayBuffer(4096, { maxByteLength: 8192 });
    expect(() => make({ buffer })).toThrow(TypeError);
    expect(() => make({ buffer })).toThrow(/fixed length/);
  });

  it('rejects an empty or detached buffer with a RangeError, not a nonsense range', () => {
    const detached = new ArrayBuffer(4096);
    structuredClone(detached, { transfer: [detached] });
    expect(detached.byteLength).toBe(0);
    expect(() => make({ buffer: detached })).toThrow(/detached/);
    expect(() => make({ buffer: new ArrayBuffer(0) })).toThrow(RangeError);
  });

  it('check() reports a buffer transferred after construction', () => {
    const buffer = new ArrayBuffer(4096);
    const arena = make({ buffer });
    arena.alloc(16);
    arena.check();
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => arena.check()).toThrow(/detached/);
  });

  it('accepts a SharedArrayBuffer', () => {
    const arena = make({ buffer: new SharedArrayBuffer(4096) });
    const a = arena.alloc(16);
    arena.u8[a] = 7;
    expect(arena.u8[a]).toBe(7);
    arena.check();
  });

  it('alignBytes above MAX_ALIGN_BYTES is a RangeError naming alignBytes and its range', () => {
    expect(() => make({ alignBytes: MAX_ALIGN_BYTES * 2, sizeBytes: 1 << 20 })).toThrow(
      new RangeError(`alignBytes must be an integer in [8, ${MAX_ALIGN_BYTES}], got ${MAX_ALIGN_BYTES * 2}`),
    );
    const arena = make({ alignBytes: 64, sizeBytes: 1 << 16 });
    expect(arena.alloc(8) % 64).toBe(0);
  });

  it('a request above MAX_REQUEST_BYTES is a RangeError from alloc, tryAlloc and realloc; at it, out of memory', () => {
    const arena = make({ sizeBytes: 4096 });
    const a = arena.alloc(8);
    const before = arena.stats();
    for (const bytes of [MAX_REQUEST_BYTES + 1, 2 ** 32 - 4, 2 ** 32, 2 ** 53 - 1]) {
      expect(() => arena.alloc(bytes)).toThrow(RangeError);
      expect(() => arena.alloc(bytes)).toThrow(/bytes must be an integer in \[1, 2147483648\]/);
      expect(() => arena.tryAlloc(bytes)).toThrow(RangeError);
      expect(() => arena.realloc(a, bytes)).toThrow(RangeError);
    }
    expect(arena.stats()).toEqual(before);
    expect(() => arena.alloc(MAX_REQUEST_BYTES)).toThrow(expect.objectContaining({ name: 'OutOfMemoryError' }));
    expect(arena.tryAlloc(MAX_REQUEST_BYTES)).toBe(-1);
    arena.check();
  });
});
