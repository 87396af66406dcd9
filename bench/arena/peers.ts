/**
 * Peer adapters for the arena benchmarks: each peer behind the same two-method shape
 * ({@link ChurnTarget}: `alloc(bytes)` returns a handle, `free(handle)`), so the one replay loop
 * in `churn.ts` drives our arenas and the peers alike. The adapters are thin (V8 inlines them
 * into the loop) and check every result, so a peer that fails is noticed rather than timed.
 *
 * - {@link MemPoolPeer}: `@thi.ng/malloc` `MemPool`, the TypeScript peer: first fit over an
 *   address-ordered free list, `free` walks the used list (newest first) then compacts the free
 *   list, so it is O(live + free) per free.
 * - {@link TypedArrayPoolPeer}: `typedarray-pool` (`mallocFloat32` / `free`): buckets of
 *   power-of-two `ArrayBuffer`s, a new `Float32Array` view per allocation.
 * - {@link NewFloat32ArrayPeer}: `new Float32Array(n)` per allocation and dropping it to free:
 *   the garbage-collected baseline.
 * - {@link Int32FreeStack}: the hand-written floor for fixed-size blocks (no checks, no state
 *   bytes): a stack of free block offsets in an `Int32Array`.
 *
 * @module
 */
import { MemPool } from '@thi.ng/malloc';
import typedArrayPool from 'typedarray-pool';

/** What the replay loops call. Handles are offsets for arenas, objects for the GC peers. */
export interface ChurnTarget<H> {
  alloc(bytes: number): H;
  free(handle: H): void;
}

/**
 * `@thi.ng/malloc` `MemPool` behind {@link ChurnTarget}. `malloc` returns 0 when full and `free`
 * returns false for an unknown address: both throw here. The pool's buffer is `sizeBytes` long
 * (its 28-byte state and first header included).
 */
export class MemPoolPeer implements ChurnTarget<number> {
  readonly pool: MemPool;
  constructor(sizeBytes: number) {
    this.pool = new MemPool({ size: sizeBytes });
  }
  alloc(bytes: number): number {
    const addr = this.pool.malloc(bytes);
    if (addr === 0) throw new RangeError(`MemPool: out of memory for ${bytes} bytes`);
    return addr;
  }
  /** As {@link alloc} but returns -1 when full (for the memory bisection). */
  tryAlloc(bytes: number): number {
    const addr = this.pool.malloc(bytes);
    return addr === 0 ? -1 : addr;
  }
  free(addr: number): void {
    if (!this.pool.free(addr)) throw new Error(`MemPool: free of unknown address ${addr}`);
  }
}

/**
 * `typedarray-pool` behind {@link ChurnTarget}: `bytes` rounds up to whole floats. The library
 * keeps its buckets in a process-wide global; {@link clearTypedArrayPool} empties them between
 * cases.
 */
export class TypedArrayPoolPeer implements ChurnTarget<Float32Array> {
  alloc(bytes: number): Float32Array {
    return typedArrayPool.mallocFloat32(Math.ceil(bytes / 4));
  }
  free(array: Float32Array): void {
    typedArrayPool.free(array);
  }
}

/** Drops every buffer `typedarray-pool` holds (its global cache). */
export function clearTypedArrayPool(): void {
  typedArrayPool.clearCache();
}

/** `new Float32Array(n)` per allocation; "free" only drops the reference (the loop overwrites it). */
export class NewFloat32ArrayPeer implements ChurnTarget<Float32Array> {
  alloc(bytes: number): Float32Array {
    return new Float32Array(Math.ceil(bytes / 4));
  }
  free(_array: Float32Array): void {}
}

/**
 * The floor for fixed-size blocks: a stack of free block offsets in an `Int32Array`, no argument
 * checks, no double-free detection, no statistics. Reached through an object, like an arena.
 * O(1) push and pop (Knuth, TAOCP vol. 1, 2.2.3, the "available space" stack).
 */
export class Int32FreeStack implements ChurnTarget<number> {
  readonly stack: Int32Array;
  top: number;
  /**
   * @param blockCount - number of blocks.
   * @param blockBytes - bytes per block (offsets are `index * blockBytes`).
   */
  constructor(blockCount: number, blockBytes: number) {
    this.stack = new Int32Array(blockCount);
    for (let i = 0; i < blockCount; i++) this.stack[i] = (blockCount - 1 - i) * blockBytes;
    this.top = blockCount;
  }
  alloc(_bytes: number): number {
    if (this.top === 0) throw new RangeError('Int32FreeStack: empty');
    return this.stack[--this.top];
  }
  free(offset: number): void {
    this.stack[this.top++] = offset;
  }
}

/**
 * The memory floor of the scaling series: {@link Int32FreeStack} that also writes one word into
 * each block it hands out and reads one from each block it takes back, like an allocator writing
 * a header, over a buffer as large as the arenas'. With random frees over `L` live blocks its cost
 * grows only with the cache misses of touching `L * blockBytes` bytes at random: the part of
 * the arenas' growth from 1k to 1M live blocks that no algorithm can avoid. O(1).
 */
export class TouchingFreeStack implements ChurnTarget<number> {
  readonly stack: Int32Array;
  readonly words: Int32Array;
  top: number;
  /** Sum of the words read, so the reads cannot be optimized away. */
  sink = 0;
  /**
   * @param sizeBytes - buffer bytes (a multiple of `blockBytes`).
   * @param blockBytes - bytes per block, a multiple of 4.
   */
  constructor(sizeBytes: number, blockBytes: number) {
    const blockCount = Math.floor(sizeBytes / blockBytes);
    this.words = new Int32Array(sizeBytes / 4);
    this.stack = new Int32Array(blockCount);
    for (let i = 0; i < blockCount; i++) this.stack[i] = (blockCount - 1 - i) * blockBytes;
    this.top = blockCount;
  }
  alloc(bytes: number): number {
    if (this.top === 0) throw new RangeError('TouchingFreeStack: empty');
    const offset = this.stack[--this.top];
    this.words[offset >> 2] = bytes;
    return offset;
  }
  free(offset: number): void {
    this.sink = (this.sink + this.words[offset >> 2]) | 0;
    this.stack[this.top++] = offset;
  }
}
