/**
 * BuddyArena: the binary buddy system over one buffer, with its tree in a typed array.
 *
 * The arena is split into power-of-two blocks: order `k` is `minBlockBytes * 2^k` bytes, from
 * order 0 up to {@link BuddyArena.maxOrder}, so there are {@link BuddyArena.orderCount}
 * `= maxOrder + 1` orders. A request takes the smallest order that holds it; a larger free block
 * is split in halves (buddies) on the way down, and a freed block coalesces with its buddy as long
 * as the buddy is free, all the way up.
 *
 * Structure: a complete binary tree stored as one byte per node in a `Uint8Array` (the encoding,
 * its named index arithmetic and its whole-tree walks are in `buddy-tree.ts`). A node's byte says
 * whether its block is masked, live (with its order), split, or free, and the order of the
 * largest free block below it, so a request fails at the root in O(1) and the descent reads one
 * byte per level. The leaf of a live block's first smallest block holds the block's order too,
 * so `free(offset)` reads its order in O(1), starts at its own node and climbs once; only an
 * invalid offset descends from the root (to name the exact reason).
 *
 * Metadata lives outside the buffer: 1 byte per tree node (2 per smallest block) plus each live
 * block's requested size, 1 or 2 bytes per smallest block (`buddy-requested.ts`).
 *
 * Arena sizes that are not a power of two are managed, not rejected: the tree covers the next
 * power of two of smallest blocks, and the nodes wholly beyond the last whole smallest block are
 * masked as reserved (never allocated, never walked); the bytes past the last whole smallest block
 * (`sizeBytes % minBlockBytes`) count in `reservedBytes`. So a 48 KiB arena offers one 32 KiB and
 * one 16 KiB block, not 32 KiB.
 *
 * Costs: `alloc`: O(log N) for N smallest blocks: one descent from the root to the tightest
 * fitting free block, splits written on the way down straight to the requested order, and one climb
 * above that block that stops at the first ancestor whose code does not change. `free`: O(1) to find
 * the block, then one climb from its own node (coalescing), stopping likewise; `sizeOf` O(1).
 * A request larger than the largest free block fails after reading the root, O(1); `realloc` in
 * place O(log N), moving O(log N + bytes copied); `reset`, `check`, `walk`, `dump`: O(N).
 * Nothing on the alloc/free path allocates JS objects.
 *
 * Source: K. C. Knowlton, "A fast storage allocator", CACM 8(10), 1965; D. E. Knuth, TAOCP vol. 1,
 * §2.5 "Dynamic storage allocation", Algorithm R/S (buddy system); the array-tree encoding after
 * cloudwu/buddy.
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
import { Violations, checkInteger, checkPowerOfTwo } from '../errors.js';
import { popCount } from './bitset.js';
import { RequestedSizes } from './buddy-requested.js';
import { ArenaChassis } from './chassis.js';
import { buddyStateParts } from '../snapshot/arena-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import type { StateParts } from '../snapshot/state-record.js';
import * as buddyTree from './buddy-tree.js';
import {
  blockNodeOf,
  blockStartOf,
  buddyGeometry,
  checkTree,
  dumpTree,
  fillTree,
  growthNodeOf,
  isLiveNode,
  markLive,
  shrinkInPlace,
  splitPathTo,
  walkBlocks,
  type BuddyGeometry,
} from './buddy-tree.js';

/**
 * Module-local copies of the tree operations the hot paths call: code that reads a module's
 * exported bindings on a hot path measured 1.5x slower than code reading private ones (the tree's
 * own loops run inside `buddy-tree.ts` for that reason; bench/README.md, section Arenas, "Module
 * bindings on hot paths").
 */
const { hasFreeBlock, largestFreeOrder, liveOrderAt, returnBlock, takeBlock } = buddyTree;
const { NULL_OFFSET } = errors;

/** Options of {@link BuddyArena}. */
export interface BuddyArenaOptions extends ArenaOptions {
  /**
   * Bytes of the smallest block (order 0): a power of two in [alignBytes, 65536]. Default
   * `max(16, alignBytes)`. Every block, and so every offset, is a multiple of it.
   */
  minBlockBytes?: number;
}

/** Largest `minBlockBytes`: 2^16 (64 KiB). */
const MAX_MIN_BLOCK_BYTES = 2 ** 16;

/** Options of BuddyArena beyond the common {@link ArenaOptions}. */
const EXTRA_OPTION_KEYS = ['minBlockBytes'] as const;

/**
 * A buddy-system arena over one `ArrayBuffer` / `SharedArrayBuffer` (see the module doc):
 * power-of-two blocks from `minBlockBytes` up, each offset a multiple of its block's size.
 *
 * Costs, for N smallest blocks: `alloc` O(log N) (O(1) when it fails), `free` O(1) to find the
 * block plus one climb O(log N), `sizeOf` O(1); `reset`, `check`, `walk` O(N). Allocation-free.
 *
 * ```ts
 * const arena = new BuddyArena({ sizeBytes: 1 << 20, minBlockBytes: 64 });
 * const p = arena.alloc(100);          // a 128-byte block, offset a multiple of 128
 * arena.free(p);
 * ```
 * Errors: TypeError / RangeError for bad arguments; OutOfMemoryError from `alloc`/`realloc` when
 * no free block of the needed order exists (-1 from `tryAlloc`); InvalidFreeError with reason
 * `'out-of-range' | 'misaligned' | 'interior' | 'not-allocated'`.
 */
export class BuddyArena extends ArenaChassis {
  /** Bytes of an order-0 block. */
  readonly minBlockBytes: number;
  /** Largest order: the root's. Order `maxOrder` blocks are `minBlockBytes * 2^maxOrder` bytes. */
  readonly maxOrder: number;
  /** Number of orders, `maxOrder + 1` (orders are `0 .. maxOrder`). */
  readonly orderCount: number;
  /** Bytes of the root block, `minBlockBytes * 2^maxOrder` (>= sizeBytes when a tail is masked). */
  readonly maxBlockBytes: number;

  /** One byte per node, heap-ordered; index 0 unused. */
  private readonly tree: Uint8Array;
  /** Requested size of each live block (`buddy-requested.ts`). */
  private readonly requested: RequestedSizes;
  /** The tree's shape (see `buddy-tree.ts`); its fields are copied below for the hot paths. */
  private readonly geometry: BuddyGeometry;
  /** `orderBytes[k]`: bytes of an order-k block. */
  private readonly orderBytes: Float64Array;
  /** Smallest blocks covered by the tree, `2^maxOrder`: also the node index of leaf 0. */
  private readonly leafCount: number;
  /** `log2(minBlockBytes)`: bytes to smallest blocks by shift, for values below 2^31 only. */
  private readonly minBlockShift: number;
  private readonly usableBytes: number;

  private usedBytes = 0;
  private freeBytes = 0;
  private liveBlocks = 0;
  private freeBlocks = 0;
  private requestedBytes = 0;
  private peakUsedBytes = 0;
  private allocCount = 0;
  private freeCount = 0;
  private failedAllocCount = 0;
  /** Order of the block found by the last {@link BuddyArena.liveNode}. */
  private foundOrder = 0;
  /** First smallest block (leaf index) of the block found by the last {@link BuddyArena.liveNode}. */
  private foundLeaf = 0;

  /**
   * @param options - `sizeBytes` (default: the buffer's length, else 1 MiB; at most 2^31, at least
   *   `minBlockBytes`, any integer: a non-power-of-two tail is masked), `buffer`, `alignBytes`
   *   (power of two in [8, 65536], default 8), `minBlockBytes` (power of two in [alignBytes, 65536], default
   *   `max(16, alignBytes)`).
   * @throws TypeError for a non-object, an unknown option, a non-number or a buffer of the wrong type.
   * @throws RangeError for a number out of its domain, or `sizeBytes` beyond the buffer.
   * Complexity O(N) for N smallest blocks (the tree is built).
   */
  constructor(options?: BuddyArenaOptions) {
    let minBlockBytes = 0;
    const parts = resolveArenaOptions(
      'BuddyArena',
      options,
      EXTRA_OPTION_KEYS,
      (align, o) =>
        (minBlockBytes = checkPowerOfTwo(
          'minBlockBytes',
          o.minBlockBytes ?? Math.max(16, align),
          align,
          MAX_MIN_BLOCK_BYTES,
        )), // at least one smallest block
    );
    const g = buddyGeometry(parts.sizeBytes, minBlockBytes);
    // Bytes that can never be allocated: `sizeBytes % minBlockBytes`.
    super('BuddyArena', parts, parts.sizeBytes - g.usableBytes);
    this.minBlockBytes = minBlockBytes;
    this.geometry = g;
    this.minBlockShift = g.minBlockShift;
    this.usableBytes = g.usableBytes;
    this.maxOrder = g.maxOrder;
    this.orderCount = g.maxOrder + 1;
    this.leafCount = g.leafCount;
    this.maxBlockBytes = g.leafCount * minBlockBytes;
    this.orderBytes = g.orderBytes;
    this.tree = new Uint8Array(2 * this.leafCount);
    this.requested = new RequestedSizes(this.leafCount, minBlockBytes);
    this.reset();
  }

  /**
   * Order a request of `bytes` needs: the smallest `k` with `minBlockBytes * 2^k >= bytes`.
   * @returns the order, or -1 when `bytes` exceeds {@link BuddyArena.maxBlockBytes}.
   * @throws TypeError / RangeError when `bytes` is not an integer in `[1, MAX_REQUEST_BYTES]`
   *   (2^31, the largest request any arena accepts). O(1).
   */
  orderOf(bytes: number): number {
    if (!(typeof bytes === 'number' && bytes >= 1 && bytes <= MAX_REQUEST_BYTES && Number.isInteger(bytes))) {
      checkInteger('bytes', bytes, 1, MAX_REQUEST_BYTES); // throws the documented error
    }
    if (bytes > this.maxBlockBytes) return -1;
    return this.fittingOrder(bytes);
  }

  /**
   * The smallest order holding `bytes`, an integer in [1, maxBlockBytes]: `ceil(log2(units))`
   * for `units = ceil(bytes / minBlockBytes)`, as `32 - clz32((bytes - 1) >> log2(minBlockBytes))`
   * (0 when `units` is 1). `bytes - 1 < 2^31`, so the unsigned shift is exact. O(1).
   */
  private fittingOrder(bytes: number): number {
    return 32 - Math.clz32((bytes - 1) >>> this.minBlockShift);
  }

  /**
   * Bytes of an order-`order` block.
   * @throws RangeError unless `order` is an integer in `[0, maxOrder]`.
   */
  blockBytesOf(order: number): number {
    checkInteger('order', order, 0, this.maxOrder);
    return this.orderBytes[order];
  }

  /**
   * Allocates the smallest power-of-two block holding `bytes` (`alloc`, from the chassis, throws
   * `OutOfMemoryError` where this returns -1). O(log N): one descent from the root to the
   * tightest free block, one climb above it; O(1) when it fails.
   * @returns the block's offset, a multiple of its size, or `NULL_OFFSET` (-1) when no free block
   *   of that order exists (the arena is unchanged except `failedAllocCount`).
   * @throws TypeError / RangeError for a `bytes` that is not an integer in [1, 2^31]
   *   ({@link MAX_REQUEST_BYTES}).
   */
  tryAlloc(bytes: number): number {
    // The usual request (an integer in [1, maxBlockBytes]) skips orderOf's checks, which would
    // only find it valid.
    const order =
      typeof bytes === 'number' && bytes >= 1 && bytes <= this.maxBlockBytes && Number.isInteger(bytes)
        ? this.fittingOrder(bytes)
        : this.orderOf(bytes);
    if (order < 0 || !hasFreeBlock(this.tree, order)) {
      this.failedAllocCount++;
      return NULL_OFFSET;
    }
    return this.allocOrder(order, bytes);
  }

  /**
   * Frees the live block at `offset` and coalesces it with its buddy, repeatedly. The block's
   * order is read at its first smallest block in O(1); one climb from its node coalesces and
   * updates the ancestors, stopping at the first unchanged one: O(log N) worst case, O(1 + merges)
   * typical. An invalid offset costs one O(log N) descent to name its reason.
   * @throws TypeError for a non-number; RangeError for NaN / fractional; InvalidFreeError with
   *   reason `'out-of-range'` (outside the managed bytes), `'misaligned'` (not a multiple of
   *   `alignBytes`), `'interior'` (inside a live block but not its start: that block stays
   *   live), `'not-allocated'` (in a free block). Nothing changes when it throws.
   */
  free(offset: number): void {
    const node = this.liveNode(offset, 'free');
    this.release(node, this.foundOrder, this.foundLeaf);
    this.freeCount++;
  }

  /**
   * Resizes the live block at `offset` to hold `bytes`, keeping `min(sizeOf(offset), bytes)`
   * bytes of contents. Same order: in place. Smaller order: split in place (the upper halves
   * freed). Larger order: in place when the block is the lower half at each level and every buddy
   * on the way up is free; otherwise the block moves (freed first, the new block found with the old
   * one counted free, contents moved with `copyWithin`), counted as one alloc and one free.
   * O(log N) plus the bytes copied.
   * @throws as {@link BuddyArena.free} for `offset`, as {@link BuddyArena.alloc} for `bytes`;
   *   OutOfMemoryError leaves the old block live and untouched.
   */
  realloc(offset: number, bytes: number): number {
    const node = this.liveNode(offset, 'realloc');
    const order = this.foundOrder;
    const leaf = this.foundLeaf;
    const newOrder = this.orderOf(bytes);
    const tree = this.tree;
    const leafNode = this.leafCount + leaf;
    if (newOrder === order) {
      this.requestedBytes += bytes - this.requested.get(leaf, order);
      this.requested.set(leaf, order, bytes);
      return offset;
    }
    if (newOrder >= 0 && newOrder < order) {
      // Shrink: keep the lowest descendant of the new order, free the upper halves.
      shrinkInPlace(tree, node, order, newOrder, leafNode);
      const freed = this.orderBytes[order] - this.orderBytes[newOrder];
      this.usedBytes -= freed;
      this.freeBytes += freed;
      this.freeBlocks += order - newOrder;
      this.requestedBytes += bytes - this.requested.get(leaf, order);
      this.requested.set(leaf, newOrder, bytes);
      return offset;
    }
    if (newOrder > order) {
      // Grow in place: climb while this block is a lower half whose buddy is one free block.
      const grownNode = growthNodeOf(tree, node, order, newOrder);
      if (grownNode !== 0) {
        markLive(tree, grownNode, newOrder, leafNode);
        const grown = this.orderBytes[newOrder] - this.orderBytes[order];
        this.usedBytes += grown;
        this.freeBytes -= grown;
        this.freeBlocks -= newOrder - order;
        if (this.usedBytes > this.peakUsedBytes) this.peakUsedBytes = this.usedBytes;
        this.requestedBytes += bytes - this.requested.get(leaf, order);
        this.requested.set(leaf, newOrder, bytes);
        return offset;
      }
      // Move: free first (the buffer is untouched, metadata lives outside), then allocate.
      const oldRequested = this.requested.get(leaf, order);
      const freeBlocksBefore = this.freeBlocks;
      this.release(node, order, leaf);
      if (hasFreeBlock(tree, newOrder)) {
        const dst = this.allocOrder(newOrder, bytes);
        this.u8.copyWithin(dst, offset, offset + this.orderBytes[order]);
        this.freeCount++;
        return dst;
      }
      // No room even so: put the old block back exactly (the tree is canonical).
      this.reoccupy(node, order, leaf, oldRequested);
      this.freeBlocks = freeBlocksBefore;
    }
    this.failedAllocCount++;
    throw this.outOfMemory('realloc', bytes);
  }

  /**
   * Usable bytes of the live block at `offset`: its whole power-of-two size. O(1) (an invalid
   * offset: O(log N) to name its reason).
   * @throws as {@link BuddyArena.free}.
   */
  sizeOf(offset: number): number {
    this.liveNode(offset, 'sizeOf');
    return this.orderBytes[this.foundOrder];
  }

  /** Frees everything and zeroes the counters: the arena is as when new. O(N). */
  reset(): void {
    fillTree(this.tree, this.geometry);
    this.usedBytes = 0;
    this.freeBytes = this.usableBytes;
    this.liveBlocks = 0;
    this.requestedBytes = 0;
    this.peakUsedBytes = 0;
    this.allocCount = 0;
    this.freeCount = 0;
    this.failedAllocCount = 0;
    // The free blocks of a fresh arena are the binary decomposition of its usable leaves.
    this.freeBlocks = popCount(this.usableBytes / this.minBlockBytes);
  }

  /** The counters for `stats()` (the chassis'). O(1). */
  protected fillCounters(s: AllocatorStats): void {
    const largest = largestFreeOrder(this.tree);
    const largestFreeBytes = largest >= 0 ? this.orderBytes[largest] : 0;
    s.capacityBytes = this.capacityBytes;
    s.usedBytes = this.usedBytes;
    s.freeBytes = this.freeBytes;
    s.reservedBytes = this.reservedBytes;
    s.liveBlocks = this.liveBlocks;
    s.freeBlocks = this.freeBlocks;
    s.largestFreeBytes = largestFreeBytes;
    s.requestedBytes = this.requestedBytes;
    s.grantedBytes = this.usedBytes;
    s.peakUsedBytes = this.peakUsedBytes;
    s.allocCount = this.allocCount;
    s.freeCount = this.freeCount;
    s.failedAllocCount = this.failedAllocCount;
  }

  /**
   * Validates the tree and the counters in O(N): every reachable node's code is the one its
   * children imply (so coalescing is complete and the tree canonical), masked nodes are exactly
   * those beyond the managed bytes, each live block's requested size needs its order, each live
   * block's code is `USED + order` at its node and at its first leaf and no other leaf holds a
   * used code (the order marks free relies on), and the counters equal a full walk.
   * @throws CorruptionError listing every violation found (and a buffer detached since).
   */
  check(): void {
    const v = new Violations(this.className);
    if (this.bufferIntact(v.report)) this.checkTreeAndCounters(v.report);
    v.throwIfAny();
  }

  /** The body of {@link BuddyArena.check}: every violation goes to `fail`. */
  private checkTreeAndCounters(fail: (violation: string) => void): void {
    let requested = 0;
    const walked = checkTree(this.tree, this.geometry, fail, (leaf, k, bytes) => {
      const r = this.requested.get(leaf, k);
      if (r < 1 || r > bytes || (k > 0 && r <= bytes / 2)) {
        fail(`live block [${leaf * this.minBlockBytes}:${bytes}]: requested ${r} bytes does not need order ${k}`);
      }
      requested += r;
    });
    const compare = (what: string, counter: number, actual: number) => {
      if (counter !== actual) fail(`${what} counter ${counter} but the tree says ${actual}`);
    };
    compare('usedBytes', this.usedBytes, walked.usedBytes);
    compare('freeBytes', this.freeBytes, walked.freeBytes);
    compare('liveBlocks', this.liveBlocks, walked.liveBlocks);
    compare('freeBlocks', this.freeBlocks, walked.freeBlocks);
    compare('requestedBytes', this.requestedBytes, requested);
    compare('capacity', this.capacityBytes, this.usedBytes + this.freeBytes + this.reservedBytes);
    if (this.peakUsedBytes < this.usedBytes) fail('peakUsedBytes below usedBytes');
    if (this.allocCount - this.freeCount !== this.liveBlocks) {
      fail(`${this.allocCount} allocs - ${this.freeCount} frees != ${this.liveBlocks} live`);
    }
  }

  /** Visits every block (live and free) in address order; masked nodes are skipped. O(N). */
  walk(visit: BlockVisitor): void {
    walkBlocks(this.tree, this.geometry, visit);
  }

  /**
   * One-line picture of the tree in address order: live blocks `[offset:bytes]`, free blocks
   * `(offset:bytes)`, masked nodes beyond the managed bytes `{offset:bytes}`. For tests and
   * debugging (allocates a string). O(N).
   */
  dump(): string {
    return dumpTree(this.tree, this.geometry);
  }

  // ---- internals -------------------------------------------------------------------------

  /**
   * Allocates a block of `order` (the root must have one, `bytes` needs exactly that order).
   * Descends from the root through split nodes into the child whose largest free block fits most
   * tightly (ties to the lower address) until it reaches one whole free block, of order `top`;
   * splits it straight down its left path to `order`, writing each right half free and each
   * split node's final code on the way (the largest free block below a split node of order
   * `j` is its right half, of order `j - 1`); then climbs once above it. O(log N).
   */
  private allocOrder(order: number, bytes: number): number {
    const top = takeBlock(this.tree, this.maxOrder, order);
    // `top` lies `31 - clz32(top)` levels below the root; the new block is its leftmost.
    const topOrder = this.maxOrder + Math.clz32(top) - 31;
    const leaf = (top << topOrder) - this.leafCount;
    const blockBytes = this.orderBytes[order];
    this.requested.set(leaf, order, bytes);
    this.usedBytes += blockBytes;
    this.freeBytes -= blockBytes;
    this.liveBlocks++;
    this.freeBlocks += topOrder - order - 1; // one free block split into `topOrder - order`
    this.requestedBytes += bytes;
    this.allocCount++;
    if (this.usedBytes > this.peakUsedBytes) this.peakUsedBytes = this.usedBytes;
    return leaf * this.minBlockBytes;
  }

  /**
   * Marks the used `node` (of `order`, first smallest block `leaf`) free, clears its order mark at
   * the leaf and coalesces upwards; updates every counter but freeCount.
   */
  private release(node: number, order: number, leaf: number): void {
    const merges = returnBlock(this.tree, node, order, this.leafCount + leaf);
    const blockBytes = this.orderBytes[order];
    this.usedBytes -= blockBytes;
    this.freeBytes += blockBytes;
    this.liveBlocks--;
    this.freeBlocks += 1 - merges;
    this.requestedBytes -= this.requested.get(leaf, order);
  }

  /** Undoes {@link BuddyArena.release}: splits down the path to `node` and marks it used again. */
  private reoccupy(node: number, order: number, leaf: number, requestedBytes: number): void {
    splitPathTo(this.tree, node, order, this.maxOrder);
    markLive(this.tree, node, order, this.leafCount + leaf);
    const blockBytes = this.orderBytes[order];
    this.usedBytes += blockBytes;
    this.freeBytes -= blockBytes;
    this.liveBlocks++;
    this.requested.set(leaf, order, requestedBytes);
    this.requestedBytes += requestedBytes;
  }

  /**
   * Finds the live block starting at `offset`: its node is returned, its order and first leaf
   * left in `foundOrder` and `foundLeaf`. O(1): an offset in range and a multiple of
   * `minBlockBytes` whose leaf holds a used code starts a live block of that order (the leaf
   * marks are exact, see the module documentation); any other offset is invalid, and
   * {@link BuddyArena.findLive} names why.
   * @throws TypeError / RangeError / InvalidFreeError as {@link BuddyArena.free} documents.
   */
  private liveNode(offset: number, what: string): number {
    // `(offset | 0) === offset` holds only for integers below 2^31, so the bitwise ops after it
    // see exact values; every other offset takes findLive's checks.
    if (typeof offset === 'number' && (offset | 0) === offset && offset >= 0 && offset < this.usableBytes) {
      if ((offset & (this.minBlockBytes - 1)) === 0) {
        const leafNode = this.leafCount + (offset >>> this.minBlockShift);
        const order = liveOrderAt(this.tree, leafNode);
        if (order >= 0) {
          this.foundOrder = order;
          this.foundLeaf = leafNode - this.leafCount;
          return leafNode >>> order; // the block's node: the leaf's ancestor `order` levels up
        }
      }
    }
    return this.findLive(offset, what);
  }

  /**
   * Finds the live block starting at `offset` by descending from the root, as
   * {@link BuddyArena.liveNode}; throws the exact reason when there is none. O(log N).
   * @throws TypeError / RangeError / InvalidFreeError as {@link BuddyArena.free} documents.
   */
  private findLive(offset: number, what: string): number {
    this.checkOffset(offset, what, this.usableBytes);
    const node = blockNodeOf(this.tree, this.maxOrder, Math.floor(offset / this.minBlockBytes));
    if (!isLiveNode(this.tree, node)) throw this.invalidFree('not-allocated', offset, what, 'inside a free block');
    const k = this.maxOrder + Math.clz32(node) - 31; // the node's order, from its depth
    const start = blockStartOf(this.geometry, node, k);
    if (start !== offset) {
      throw this.invalidFree('interior', offset, what, `inside the live block [${start}:${this.orderBytes[k]}]`);
    }
    this.foundOrder = k;
    this.foundLeaf = start / this.minBlockBytes;
    return node;
  }

  /** @internal The arena's state layout (`src/snapshot/arena-state.ts`). */
  [STATE_PARTS](): StateParts {
    return buddyStateParts(this);
  }

  protected shortfall(bytes: number, s: AllocatorStats): string {
    const order = this.orderOf(bytes);
    const need =
      order < 0
        ? `more than the root block of ${this.maxBlockBytes} bytes`
        : `a free block of ${this.orderBytes[order]} bytes (order ${order})`;
    return `needs ${need}; largest free block is ${s.largestFreeBytes} bytes of ${s.freeBytes} free (raise sizeBytes)`;
  }
}
