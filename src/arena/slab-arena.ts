/**
 * SlabArena: fixed-size blocks in one buffer (a memory pool measured in bytes), O(1) alloc and
 * free.
 *
 * The managed bytes are cut into `blockCount = floor(sizeBytes / blockBytes)` blocks of
 * `blockBytes` each, `blockBytes` being the option rounded up to a multiple of `alignBytes` (so
 * every block start is aligned); the tail `sizeBytes % blockBytes` is reserved. Any request of
 * 1 to `blockBytes` bytes gets one whole block; a larger one fails with `OutOfMemoryError` (it can
 * never fit), and so does a `realloc` above `blockBytes`, while a `realloc` within it stays in
 * place.
 *
 * Free blocks are kept on a LIFO stack of block indices in an `Int32Array` rather than an
 * intrusive free list threaded through the free blocks themselves: the stack costs the same O(1)
 * push and pop, but keeps every byte of the buffer the caller's (a freed block keeps its contents
 * until reused, which helps debugging; a `SharedArrayBuffer` reader never sees link words; and
 * blocks smaller than a link are possible), and it cannot be corrupted by a write through a stale
 * offset. One `Int32Array` word per block holds its state: the requested bytes (>= 1) while
 * live, {@link NEVER} (0) when never handed out since creation or `reset()`, {@link FREED} (-1)
 * once freed; so double-free and foreign-offset detection is O(1) and one store per operation
 * keeps both the state and the requested size. Metadata: 8 bytes per block (stack entry and
 * state word), outside the buffer.
 *
 * Fast paths: `tryAlloc` and `free` test their argument with a few comparisons that accept
 * exactly the valid cases (an integer request in `[1, blockBytes]`; an offset that is the start
 * of a live block) and hand everything else to the full validation, which throws the exact
 * error or reason. So validation stays complete and costs nothing extra when the call is valid.
 * `allocCount` is not stored: it is `freeCount + liveBlocks`.
 *
 * Costs: `alloc`, `tryAlloc`, `free`, `realloc`, `sizeOf`: O(1), allocation-free; `reset`,
 * `check`, `walk`: O(blockCount).
 *
 * Source: the fixed-size memory pool (Knuth, TAOCP vol. 1, §2.2.3 "available space" stack;
 * J. Bonwick, "The Slab Allocator: An Object-Caching Kernel Memory Allocator", USENIX 1994, for
 * the name and the one-size-per-cache idea).
 *
 * @module
 */
import {
  MAX_REQUEST_BYTES,
  resolveArenaOptions,
  type AllocatorStats,
  type ArenaOptions,
  type BlockVisitor,
} from './allocator.js';
import * as errors from '../errors.js';
import { Violations, checkInteger } from '../errors.js';
import { ArenaChassis } from './chassis.js';
import { slabStateParts } from '../snapshot/arena-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import type { StateParts } from '../snapshot/state-record.js';

/** Options of {@link SlabArena}. */
export interface SlabArenaOptions extends ArenaOptions {
  /**
   * Usable bytes of every block, an integer in [1, 2^30]; rounded up to a multiple of
   * `alignBytes`. Default 64. Must not exceed `sizeBytes` after rounding.
   */
  blockBytes?: number;
}

/** Block state word: never handed out since creation or `reset()`. A live block's word is its requested bytes (>= 1). */
const NEVER = 0;
/** Block state word: freed (a second free is a double free). */
const FREED = -1;

/**
 * Module-local copies of imported constants for the hot paths: reading the imports there measured
 * 20% slower (bench/README.md, section Pools, "Things that moved these figures").
 */
const { NULL_OFFSET } = errors;

/** Options of SlabArena beyond the common {@link ArenaOptions}. */
const EXTRA_OPTION_KEYS = ['blockBytes'] as const;
const DEFAULT_BLOCK_BYTES = 64;
/** Largest `blockBytes` option: 2^30. */
const MAX_BLOCK_BYTES = 2 ** 30;

/**
 * A fixed-size block arena over one `ArrayBuffer` / `SharedArrayBuffer` (see the module doc):
 * every request of 1 to `blockBytes` bytes takes one whole block.
 *
 * Costs: `alloc`, `tryAlloc`, `free`, `realloc`, `sizeOf` O(1) and allocation-free; `reset`,
 * `check`, `walk` O(blockCount).
 *
 * ```ts
 * const arena = new SlabArena({ sizeBytes: 1 << 16, blockBytes: 48 });
 * const p = arena.alloc(40);           // byte offset, a multiple of blockBytes
 * arena.f32[p >> 2] = 1.5;
 * arena.free(p);
 * ```
 * Errors: TypeError / RangeError for bad arguments; OutOfMemoryError from `alloc`/`realloc` when
 * no block is free or the request exceeds `blockBytes` (-1 from `tryAlloc`); InvalidFreeError
 * with reason `'out-of-range' | 'misaligned' | 'interior' | 'double-free' | 'not-allocated'`.
 */
export class SlabArena extends ArenaChassis {
  /** Bytes of every block (the option rounded up to `alignBytes`). */
  readonly blockBytes: number;
  /** Number of blocks. */
  readonly blockCount: number;

  /** Free block indices; `freeStack[0 .. freeTop)` are free, the top one is handed out next. */
  private readonly freeStack: Int32Array;
  /** Per block: requested bytes (>= 1) when live, else {@link NEVER} or {@link FREED}. */
  private readonly state: Int32Array;
  /** End of the blocks: `blockCount * blockBytes`. */
  private readonly blocksEnd: number;
  declare private freeTop: number;
  declare private requestedBytes: number;
  /** Lowest `freeTop` since the last reset: the peak live count is `blockCount - minFreeTop`. */
  declare private minFreeTop: number;
  declare private freeCount: number;
  declare private failedAllocCount: number;

  /**
   * @param options - `sizeBytes` (default: the buffer's length, else 1 MiB; at most 2^31, at
   *   least one block), `buffer`, `alignBytes` (power of two in [8, 65536], default 8), `blockBytes`
   *   (integer in [1, 2^30], default 64, rounded up to `alignBytes`).
   * @throws TypeError for a non-object, an unknown option, a non-number or a buffer of the wrong type.
   * @throws RangeError for a number out of its domain or `sizeBytes` beyond the buffer.
   * Complexity O(blockCount).
   */
  constructor(options?: SlabArenaOptions) {
    let blockBytes = 0;
    const parts = resolveArenaOptions('SlabArena', options, EXTRA_OPTION_KEYS, (align, o) => {
      const asked = checkInteger('blockBytes', o.blockBytes ?? DEFAULT_BLOCK_BYTES, 1, MAX_BLOCK_BYTES);
      blockBytes = Math.ceil(asked / align) * align;
      return blockBytes; // at least one block
    });
    const blockCount = Math.floor(parts.sizeBytes / blockBytes);
    // Bytes past the last whole block: `sizeBytes % blockBytes`.
    super('SlabArena', parts, parts.sizeBytes - blockCount * blockBytes);
    this.blockBytes = blockBytes;
    this.blockCount = blockCount;
    this.blocksEnd = blockCount * blockBytes;
    this.freeStack = new Int32Array(blockCount);
    this.state = new Int32Array(blockCount);
    this.reset();
  }

  /**
   * Takes one block for a request of `bytes` (1 to `blockBytes`), or returns `NULL_OFFSET` (-1)
   * when no block is free or `bytes > blockBytes` (`alloc`, from the chassis, throws
   * `OutOfMemoryError` instead). O(1). Lowest offsets first on a fresh arena, then the most
   * recently freed block first (LIFO, cache-warm).
   * @throws TypeError / RangeError for a `bytes` that is not an integer in [1, 2^31]
   *   ({@link MAX_REQUEST_BYTES}).
   */
  tryAlloc(bytes: number): number {
    const top = this.freeTop;
    // Fast path: exactly the valid, satisfiable requests (blockBytes <= 2^30, so `| 0` is exact).
    if (typeof bytes === 'number' && (bytes | 0) === bytes && bytes >= 1 && bytes <= this.blockBytes && top !== 0) {
      const index = this.freeStack[top - 1];
      this.freeTop = top - 1;
      if (top - 1 < this.minFreeTop) this.minFreeTop = top - 1;
      this.state[index] = bytes;
      this.requestedBytes += bytes;
      return index * this.blockBytes;
    }
    checkInteger('bytes', bytes, 1, MAX_REQUEST_BYTES);
    this.failedAllocCount++; // a valid request got here only because it cannot be served
    return NULL_OFFSET;
  }

  /**
   * Returns the block at `offset` to the free stack. O(1).
   * @throws TypeError for a non-number; RangeError for NaN / fractional; InvalidFreeError with
   *   reason `'out-of-range'` (outside the blocks), `'misaligned'` (not a multiple of
   *   `alignBytes`), `'interior'` (inside a live block), `'double-free'` (a block already freed),
   *   `'not-allocated'` (never handed out since creation or reset). Nothing changes when it throws.
   */
  free(offset: number): void {
    // Fast path: the start of a live block. `offset < blocksEnd <= 2^31` makes `| 0` an exact
    // floor, and `index * blockBytes === offset` rejects fractions and interior offsets (every
    // block start is a multiple of alignBytes). Anything else goes to the full check.
    let index = 0;
    let requested = 0;
    if (
      typeof offset === 'number' &&
      offset >= 0 &&
      offset < this.blocksEnd &&
      // biome-ignore lint/suspicious/noAssignInExpressions: one load shared by the test and the free (hot path)
      (requested = this.state[(index = (offset / this.blockBytes) | 0)]) > 0 &&
      index * this.blockBytes === offset
    ) {
      this.state[index] = FREED;
      this.freeStack[this.freeTop++] = index;
      this.requestedBytes -= requested;
      this.freeCount++;
      return;
    }
    this.findLive(offset, 'free'); // throws the exact error
    throw new Error('SlabArena.free: unreachable'); // findLive accepted what the fast path refused
  }

  /**
   * Resizes in place when `bytes <= blockBytes` (only the requested size changes); the contents
   * never move. O(1).
   * @throws as {@link SlabArena.free} for `offset`; TypeError / RangeError for a bad `bytes`;
   *   OutOfMemoryError when `bytes > blockBytes` (the block stays live and untouched).
   */
  realloc(offset: number, bytes: number): number {
    const index = this.findLive(offset, 'realloc');
    checkInteger('bytes', bytes, 1, MAX_REQUEST_BYTES);
    if (bytes > this.blockBytes) {
      this.failedAllocCount++;
      throw this.outOfMemory('realloc', bytes);
    }
    this.requestedBytes += bytes - this.state[index];
    this.state[index] = bytes;
    return offset;
  }

  /** Usable bytes of the live block at `offset`: always `blockBytes`. O(1). @throws as free. */
  sizeOf(offset: number): number {
    this.findLive(offset, 'sizeOf');
    return this.blockBytes;
  }

  /** Frees everything and zeroes the counters. O(blockCount). */
  reset(): void {
    const n = this.blockCount;
    for (let i = 0; i < n; i++) this.freeStack[i] = n - 1 - i; // block 0 on top
    this.freeTop = n;
    this.state.fill(NEVER);
    this.requestedBytes = 0;
    this.minFreeTop = n;
    this.freeCount = 0;
    this.failedAllocCount = 0;
  }

  /**
   * The counters for `stats()` (the chassis'). O(1). `externalFragmentation` follows the
   * contract's formula (`1 - blockBytes / freeBytes`), which for a slab only says how many blocks
   * are free: any free block serves any request, so a slab never fails for fragmentation.
   */
  protected fillCounters(s: AllocatorStats): void {
    const live = this.blockCount - this.freeTop;
    const usedBytes = live * this.blockBytes;
    const freeBytes = this.freeTop * this.blockBytes;
    const largestFreeBytes = this.freeTop > 0 ? this.blockBytes : 0;
    s.capacityBytes = this.capacityBytes;
    s.usedBytes = usedBytes;
    s.freeBytes = freeBytes;
    s.reservedBytes = this.reservedBytes;
    s.liveBlocks = live;
    s.freeBlocks = this.freeTop;
    s.largestFreeBytes = largestFreeBytes;
    s.requestedBytes = this.requestedBytes;
    s.grantedBytes = usedBytes;
    s.peakUsedBytes = (this.blockCount - this.minFreeTop) * this.blockBytes;
    s.allocCount = this.freeCount + live;
    s.freeCount = this.freeCount;
    s.failedAllocCount = this.failedAllocCount;
  }

  /**
   * Validates in O(blockCount): the free stack holds each non-live block exactly once and no
   * live one (so it is acyclic and in range), every block's state word is a requested size in
   * [1, blockBytes] (live), NEVER or FREED, and the counters match (requested bytes, live count,
   * peak not below live).
   * @throws CorruptionError listing every violation found.
   */
  check(): void {
    const v = new Violations(this.className);
    if (this.bufferIntact(v.report)) this.checkBlocks(v.report);
    v.throwIfAny();
  }

  /** The body of {@link SlabArena.check}. */
  private checkBlocks(fail: (violation: string) => void): void {
    const n = this.blockCount;
    const seen = new Uint8Array(n);
    for (let i = 0; i < this.freeTop; i++) {
      const index = this.freeStack[i];
      if (!(index >= 0 && index < n)) {
        fail(`free stack entry ${i} = ${index} out of range`);
        continue;
      }
      if (seen[index]) fail(`block ${index} twice on the free stack`);
      if (this.state[index] > 0) fail(`live block ${index} on the free stack`);
      seen[index] = 1;
    }
    let live = 0;
    let requested = 0;
    for (let i = 0; i < n; i++) {
      const s = this.state[i];
      if (s > 0) {
        if (s > this.blockBytes) fail(`block ${i} requested ${s} bytes`);
        live++;
        requested += s;
      } else if (s !== NEVER && s !== FREED) fail(`block ${i} state ${s}`);
      else if (!seen[i]) fail(`free block ${i} missing from the free stack`);
    }
    if (live + this.freeTop !== n) fail(`${live} live + ${this.freeTop} free != ${n}`);
    if (requested !== this.requestedBytes) fail(`requestedBytes ${this.requestedBytes} but blocks say ${requested}`);
    if (!(this.freeCount >= 0 && this.failedAllocCount >= 0)) fail('negative counter');
    if (!(this.minFreeTop >= 0 && this.minFreeTop <= this.freeTop))
      fail(`peak live ${n - this.minFreeTop} below live ${live}`);
  }

  /** Visits every block in address order (live and free). O(blockCount). */
  walk(visit: BlockVisitor): void {
    for (let i = 0; i < this.blockCount; i++) visit(i * this.blockBytes, this.blockBytes, this.state[i] > 0);
  }

  /** Index of the live block at `offset`; throws as {@link SlabArena.free} documents. */
  private findLive(offset: number, what: string): number {
    this.checkOffset(offset, what, this.blocksEnd);
    const index = Math.floor(offset / this.blockBytes);
    const s = this.state[index];
    if (s <= 0) {
      const twice = s === FREED && offset === index * this.blockBytes;
      throw this.invalidFree(
        twice ? 'double-free' : 'not-allocated',
        offset,
        what,
        twice ? `block ${index} was already freed` : `block ${index} is not live`,
      );
    }
    if (offset !== index * this.blockBytes) {
      throw this.invalidFree('interior', offset, what, `inside the live block at ${index * this.blockBytes}`);
    }
    return index;
  }

  /** @internal The arena's state layout (`src/snapshot/arena-state.ts`). */
  [STATE_PARTS](): StateParts {
    return slabStateParts(this);
  }

  protected shortfall(bytes: number): string {
    return bytes > this.blockBytes
      ? `${bytes} bytes is more than blockBytes ${this.blockBytes} (raise blockBytes)`
      : `all ${this.blockCount} blocks are live (raise sizeBytes)`;
  }
}
