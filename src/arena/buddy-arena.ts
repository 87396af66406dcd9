/**
 * BuddyArena: the binary buddy system over one buffer, with its tree in a typed array.
 *
 * The arena is split into power-of-two blocks: order `k` is `minBlockBytes * 2^k` bytes, from
 * order 0 up to {@link BuddyArena.maxOrder}, so there are {@link BuddyArena.orderCount}
 * `= maxOrder + 1` orders. A request takes the smallest order that holds it; a larger free block
 * is split in halves (buddies) on the way down, and a freed block coalesces with its buddy as long
 * as the buddy is free, all the way up.
 *
 * Structure: a complete binary tree stored as one byte per node in a `Uint8Array`, heap-ordered
 * (root at 1, children of `n` at `2n` and `2n + 1`), with no per-node objects. Each node's byte
 * says what its block is: {@link RESERVED} (masked tail), `USED + k` (a live block of order `k`),
 * {@link FULL} (split, nothing free below) or `FREE_BASE + j`: split or whole, with the largest free
 * block below of order `j`, the node itself being one free block exactly when `j` is its own
 * order. That "longest free block below" byte is the idea of cloudwu/buddy `buddy.c` and of the
 * `buddy2` allocator by wuwenbin (coolshell.cn, "buddy2.c"): a request fails at the root in O(1),
 * and the descent reads one byte per level. The tree state is canonical (a function of the live
 * blocks alone), which `check()` verifies node by node.
 *
 * Order of a live block per smallest block: the leaf (order-0 node) of a live block's first
 * smallest block holds `USED + k` too. Below a live block of order >= 1 that leaf is otherwise
 * stale (never read by the tree walks), so the byte is free for this; it is rewritten on every
 * alloc, free and realloc, so a leaf holds a `USED` code exactly when its smallest block starts a
 * live block. `free(offset)` therefore reads its block's order at its own leaf in O(1), starts at
 * its own node and climbs once; only an invalid offset descends from the root (to name the
 * exact reason).
 *
 * Metadata lives outside the buffer: 1 byte per tree node (2 per smallest block) plus each live
 * block's requested size (for `requestedBytes`, internal fragmentation and `realloc`), stored in
 * the slots of the smallest blocks the block covers. With `minBlockBytes <= 256` (the default 16)
 * that is 1 byte per smallest block: an order-0 block keeps `requested - 1` (< 256) in its byte,
 * an order-1 block its size (<= 512) in one 16-bit word over its two bytes, a larger block its
 * size in one 32-bit word over its first four; so 3 bytes per smallest block in all (3/16 of the
 * arena by default). With `minBlockBytes > 256`, 2 bytes per smallest block (`requested - 1` in
 * 16 bits for order 0, one 32-bit word for larger blocks): 4 bytes per smallest block, under 1%.
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
  checkBufferIntact,
  fragmentation,
  resolveArenaOptions,
  type Allocator,
  type AllocatorStats,
  type ArenaOptions,
  type BlockVisitor,
} from './allocator.js';
import {
  InvalidFreeError,
  NULL_OFFSET,
  OutOfMemoryError,
  checkInteger,
  checkPowerOfTwo,
  describeValue,
  type ArenaFreeReason,
} from '../errors.js';

/** Options of {@link BuddyArena}. */
export interface BuddyArenaOptions extends ArenaOptions {
  /**
   * Bytes of the smallest block (order 0): a power of two in [alignBytes, 65536]. Default
   * `max(16, alignBytes)`. Every block, and so every offset, is a multiple of it.
   */
  minBlockBytes?: number;
}

/** Node code: wholly beyond the managed bytes (masked tail). Never allocated, never walked. */
const RESERVED = 0;
/**
 * Node code base: `USED + k` is a live block of order `k`, at its node and at the leaf of its
 * first smallest block. Its other descendants are stale and never read. All used codes are
 * below {@link FULL}, so the largest-free-block maximum ignores them.
 */
const USED = 1;
/** Largest possible order (2^31 bytes / 8-byte blocks is 2^28 leaves; 31 leaves room). */
const ORDER_LIMIT = 31;
/** Node code: split, with no free block anywhere below. */
const FULL = USED + ORDER_LIMIT + 1;
/** Node code base: `FREE_BASE + j` means the largest free block at or below the node has order `j`. */
const FREE_BASE = FULL + 1;
/** Added to a child's code in the alloc descent when it cannot fit: above every code. */
const NO_FIT = 256;
/** `minBlockBytes` up to which requested sizes take 1 byte per smallest block (else 2). */
const NARROW_MAX_BLOCK_BYTES = 256;
/** Largest `minBlockBytes`: 2^16 (64 KiB). */
const MAX_MIN_BLOCK_BYTES = 2 ** 16;

/**
 * Which child the alloc descent takes: 1 for the right one, 0 for the left, given the children's
 * codes `left`, `right` and the code `need` a fitting child reaches (at least one does). The child
 * whose largest free block fits most tightly wins, the left one on ties. Branch-free (the choice
 * is data-dependent, so a branch would be mispredicted about half the time): a child that cannot
 * fit gets a key above every code, and the sign of the key difference picks. Codes are bytes.
 */
function fitsRightOf(left: number, right: number, need: number): number {
  const keyLeft = left + (((left - need) >> 31) & NO_FIT);
  const keyRight = right + (((right - need) >> 31) & NO_FIT);
  return (keyRight - keyLeft) >>> 31;
}

/** Number of 1-bits of `value`, an integer in [0, 2^31) (so 32-bit ops are exact). */
function bitCount(value: number): number {
  let count = 0;
  for (let v = value; v !== 0; v &= v - 1) count++;
  return count;
}

/** Whether a node code is a live block's (`USED + k`). */
function isUsed(code: number): boolean {
  return code >= USED && code < FULL;
}

/** Options of BuddyArena beyond the common {@link ArenaOptions}. */
const EXTRA_OPTION_KEYS = ['minBlockBytes'] as const;

/** Left child of a tree node (node indices stay below 2^29, so no wrap). */
function leftChildOf(node: number): number {
  return node * 2;
}

/** Parent of a tree node. */
function parentOf(node: number): number {
  return node >>> 1;
}

/** The other half of a node's parent: `node ^ 1`. */
function buddyOf(node: number): number {
  return node ^ 1;
}

/**
 * The code a split node must hold given its children's codes (both of order `childOrder`):
 * whole free when both children are whole free blocks (coalescing), else the larger child code,
 * at least {@link FULL}.
 */
function combine(left: number, right: number, childOrder: number): number {
  const whole = FREE_BASE + childOrder;
  if (left === whole && right === whole) return whole + 1;
  const best = left > right ? left : right;
  return best > FULL ? best : FULL;
}

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
export class BuddyArena implements Allocator {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly alignBytes: number;
  /** Bytes of an order-0 block. */
  readonly minBlockBytes: number;
  /** Largest order: the root's. Order `maxOrder` blocks are `minBlockBytes * 2^maxOrder` bytes. */
  readonly maxOrder: number;
  /** Number of orders, `maxOrder + 1` (orders are `0 .. maxOrder`). */
  readonly orderCount: number;
  /** Bytes of the root block, `minBlockBytes * 2^maxOrder` (>= sizeBytes when a tail is masked). */
  readonly maxBlockBytes: number;
  /** Bytes managed (`sizeBytes`). */
  readonly capacityBytes: number;
  /** Bytes that can never be allocated: `sizeBytes % minBlockBytes`. */
  readonly reservedBytes: number;

  /** One byte per node, heap-ordered; index 0 unused. */
  private readonly tree: Uint8Array;
  /**
   * Requested sizes: views of one buffer of 1 (narrow) or 2 bytes per smallest block. Narrow:
   * order 0 `requested8[leaf] = requested - 1`, order 1 `requested16[leaf / 2]`, larger
   * `requested32[leaf / 4]`. Wide: order 0 `requested16[leaf] = requested - 1`, larger
   * `requested32[leaf / 2]`.
   */
  private readonly requested8: Uint8Array;
  private readonly requested16: Uint16Array;
  private readonly requested32: Uint32Array;
  /** `minBlockBytes <= 256`: requested sizes in 1 byte per smallest block. */
  private readonly narrow: boolean;
  /** `orderBytes[k]`: bytes of an order-k block. */
  private readonly orderBytes: Float64Array;
  /** `firstNode[k]`: index of the leftmost node of order k (`2^(maxOrder - k)`). */
  private readonly firstNode: Float64Array;
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
    const { buffer, views, alignBytes, sizeBytes } = resolveArenaOptions(
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
    this.alignBytes = alignBytes;
    this.minBlockBytes = minBlockBytes;
    this.capacityBytes = sizeBytes;
    this.minBlockShift = Math.log2(this.minBlockBytes);
    const usableLeaves = Math.floor(sizeBytes / this.minBlockBytes);
    this.usableBytes = usableLeaves * this.minBlockBytes;
    this.reservedBytes = sizeBytes - this.usableBytes;
    let maxOrder = 0;
    while (2 ** maxOrder < usableLeaves) maxOrder++;
    this.maxOrder = maxOrder;
    this.orderCount = maxOrder + 1;
    this.leafCount = 2 ** maxOrder;
    this.maxBlockBytes = this.leafCount * this.minBlockBytes;
    this.orderBytes = new Float64Array(this.orderCount);
    this.firstNode = new Float64Array(this.orderCount);
    for (let k = 0; k <= maxOrder; k++) {
      this.orderBytes[k] = this.minBlockBytes * 2 ** k;
      this.firstNode[k] = 2 ** (maxOrder - k);
    }
    this.tree = new Uint8Array(2 * this.leafCount);
    this.narrow = this.minBlockBytes <= NARROW_MAX_BLOCK_BYTES;
    const requestedBytesPerLeaf = this.narrow ? 1 : 2;
    const requested = new ArrayBuffer(Math.ceil((this.leafCount * requestedBytesPerLeaf) / 4) * 4);
    this.requested8 = new Uint8Array(requested);
    this.requested16 = new Uint16Array(requested);
    this.requested32 = new Uint32Array(requested);

    this.buffer = buffer;
    this.u8 = views.u8;
    this.i32 = views.i32;
    this.u32 = views.u32;
    this.f32 = views.f32;
    this.f64 = views.f64;
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
   * Allocates the smallest power-of-two block holding `bytes`. O(log N): one descent from the
   * root to the tightest free block, one climb above it; O(1) when it fails.
   * @returns the block's offset, a multiple of its size.
   * @throws TypeError / RangeError for a `bytes` that is not an integer in [1, 2^31]
   *   ({@link MAX_REQUEST_BYTES}).
   * @throws OutOfMemoryError when no free block of that order exists (the arena is unchanged
   *   except `failedAllocCount`).
   */
  alloc(bytes: number): number {
    const offset = this.tryAlloc(bytes);
    if (offset === NULL_OFFSET) throw this.outOfMemory('alloc', bytes);
    return offset;
  }

  /** As {@link BuddyArena.alloc}, but returns `NULL_OFFSET` (-1) when no block fits. */
  tryAlloc(bytes: number): number {
    // The usual request (an integer in [1, maxBlockBytes]) skips orderOf's checks, which would
    // only find it valid.
    const order =
      typeof bytes === 'number' && bytes >= 1 && bytes <= this.maxBlockBytes && Number.isInteger(bytes)
        ? this.fittingOrder(bytes)
        : this.orderOf(bytes);
    if (order < 0 || this.tree[1] < FREE_BASE + order) {
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
      this.requestedBytes += bytes - this.requestedAt(leaf, order);
      this.setRequested(leaf, order, bytes);
      return offset;
    }
    if (newOrder >= 0 && newOrder < order) {
      // Shrink: keep the lowest descendant of the new order, free the upper halves.
      let n = node;
      for (let k = order; k > newOrder; k--) {
        n = leftChildOf(n);
        tree[n + 1] = FREE_BASE + k - 1;
      }
      tree[n] = USED + newOrder;
      tree[leafNode] = USED + newOrder;
      this.updateAncestors(n, newOrder, order - newOrder);
      const freed = this.orderBytes[order] - this.orderBytes[newOrder];
      this.usedBytes -= freed;
      this.freeBytes += freed;
      this.freeBlocks += order - newOrder;
      this.requestedBytes += bytes - this.requestedAt(leaf, order);
      this.setRequested(leaf, newOrder, bytes);
      return offset;
    }
    if (newOrder > order) {
      // Grow in place: climb while this block is a lower half whose buddy is one free block.
      let n = node;
      let k = order;
      while (k < newOrder && (n & 1) === 0 && tree[buddyOf(n)] === FREE_BASE + k) {
        n = parentOf(n);
        k++;
      }
      if (k === newOrder) {
        tree[n] = USED + newOrder;
        tree[leafNode] = USED + newOrder;
        this.updateAncestors(n, newOrder);
        const grown = this.orderBytes[newOrder] - this.orderBytes[order];
        this.usedBytes += grown;
        this.freeBytes -= grown;
        this.freeBlocks -= newOrder - order;
        if (this.usedBytes > this.peakUsedBytes) this.peakUsedBytes = this.usedBytes;
        this.requestedBytes += bytes - this.requestedAt(leaf, order);
        this.setRequested(leaf, newOrder, bytes);
        return offset;
      }
      // Move: free first (the buffer is untouched, metadata lives outside), then allocate.
      const oldRequested = this.requestedAt(leaf, order);
      const freeBlocksBefore = this.freeBlocks;
      this.release(node, order, leaf);
      if (tree[1] >= FREE_BASE + newOrder) {
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
    const tree = this.tree;
    const leaves = this.leafCount;
    const usableLeaves = this.usableBytes / this.minBlockBytes;
    for (let i = 0; i < leaves; i++) tree[leaves + i] = i < usableLeaves ? FREE_BASE : RESERVED;
    let order = 0;
    for (let first = leaves / 2; first >= 1; first /= 2) {
      order++;
      for (let n = first; n < first * 2; n++) {
        const l = tree[leftChildOf(n)];
        const r = tree[leftChildOf(n) + 1];
        tree[n] = l === RESERVED && r === RESERVED ? RESERVED : combine(l, r, order - 1);
      }
    }
    this.usedBytes = 0;
    this.freeBytes = this.usableBytes;
    this.liveBlocks = 0;
    this.requestedBytes = 0;
    this.peakUsedBytes = 0;
    this.allocCount = 0;
    this.freeCount = 0;
    this.failedAllocCount = 0;
    // The free blocks of a fresh arena are the binary decomposition of its usable leaves.
    this.freeBlocks = bitCount(this.usableBytes / this.minBlockBytes);
  }

  /** A snapshot of the counters. O(1). Allocates the returned object. */
  stats(): AllocatorStats {
    const root = this.tree[1];
    const largestFreeBytes = root >= FREE_BASE ? this.orderBytes[root - FREE_BASE] : 0;
    return {
      capacityBytes: this.capacityBytes,
      usedBytes: this.usedBytes,
      freeBytes: this.freeBytes,
      reservedBytes: this.reservedBytes,
      liveBlocks: this.liveBlocks,
      freeBlocks: this.freeBlocks,
      largestFreeBytes,
      requestedBytes: this.requestedBytes,
      grantedBytes: this.usedBytes,
      peakUsedBytes: this.peakUsedBytes,
      allocCount: this.allocCount,
      freeCount: this.freeCount,
      failedAllocCount: this.failedAllocCount,
      ...fragmentation(this.freeBytes, largestFreeBytes, this.requestedBytes, this.usedBytes),
    };
  }

  /**
   * Validates the tree and the counters in O(N): every reachable node's code is the one its
   * children imply (so coalescing is complete and the tree canonical), masked nodes are exactly
   * those beyond the managed bytes, each live block's requested size needs its order, each live
   * block's code is `USED + order` at its node and at its first leaf and no other leaf holds a
   * used code (the order marks free relies on), and the counters equal a full walk.
   * @throws Error naming the first violation.
   */
  check(): void {
    checkBufferIntact('BuddyArena', this.u8, this.capacityBytes);
    const totals = { used: 0, free: 0, nUsed: 0, nFree: 0, requested: 0 };
    this.checkNode(1, this.maxOrder, totals);
    const fail = (what: string, counter: number, walked: number) => {
      if (counter !== walked)
        throw new Error(`BuddyArena.check: ${what} counter ${counter} but the tree says ${walked}`);
    };
    fail('usedBytes', this.usedBytes, totals.used);
    fail('freeBytes', this.freeBytes, totals.free);
    fail('liveBlocks', this.liveBlocks, totals.nUsed);
    fail('freeBlocks', this.freeBlocks, totals.nFree);
    fail('requestedBytes', this.requestedBytes, totals.requested);
    fail('capacity', this.capacityBytes, this.usedBytes + this.freeBytes + this.reservedBytes);
    // Each live block's first leaf holds its used code (checked per block): no other leaf may.
    let marks = 0;
    for (let n = this.leafCount; n < 2 * this.leafCount; n++) if (isUsed(this.tree[n])) marks++;
    fail('liveBlocks (leaf order marks)', this.liveBlocks, marks);
    if (this.peakUsedBytes < this.usedBytes) throw new Error('BuddyArena.check: peakUsedBytes below usedBytes');
    if (this.allocCount - this.freeCount !== this.liveBlocks) {
      throw new Error(
        `BuddyArena.check: ${this.allocCount} allocs - ${this.freeCount} frees != ${this.liveBlocks} live`,
      );
    }
  }

  /** Visits every block (live and free) in address order; masked nodes are skipped. O(N). */
  walk(visit: BlockVisitor): void {
    this.walkNode(1, this.maxOrder, (offset, bytes, code) => {
      if (code !== RESERVED) visit(offset, bytes, isUsed(code));
    });
  }

  /**
   * One-line picture of the tree in address order: live blocks `[offset:bytes]`, free blocks
   * `(offset:bytes)`, masked nodes beyond the managed bytes `{offset:bytes}`. For tests and
   * debugging (allocates a string). O(N).
   */
  dump(): string {
    let out = '';
    this.walkNode(1, this.maxOrder, (o, b, code) => {
      out += code === RESERVED ? `{${o}:${b}}` : isUsed(code) ? `[${o}:${b}]` : `(${o}:${b})`;
    });
    return out;
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
    const tree = this.tree;
    const need = FREE_BASE + order;
    let node = 1;
    let k = this.maxOrder;
    let code = tree[1];
    while (code !== FREE_BASE + k) {
      const left = leftChildOf(node);
      node = left + fitsRightOf(tree[left], tree[left + 1], need);
      code = tree[node];
      k--;
    }
    const top = node;
    const topOrder = k;
    while (k > order) {
      k--;
      tree[node] = FREE_BASE + k;
      node = leftChildOf(node);
      tree[node + 1] = FREE_BASE + k;
    }
    tree[node] = USED + order;
    const leafNode = node << order; // < 2^29: node indices, not sizes
    tree[leafNode] = USED + order;
    this.raiseLargestFree(top);
    const leaf = leafNode - this.leafCount;
    const blockBytes = this.orderBytes[order];
    this.setRequested(leaf, order, bytes);
    this.usedBytes += blockBytes;
    this.freeBytes -= blockBytes;
    this.liveBlocks++;
    this.freeBlocks += topOrder - order - 1;
    this.requestedBytes += bytes;
    this.allocCount++;
    if (this.usedBytes > this.peakUsedBytes) this.peakUsedBytes = this.usedBytes;
    return leaf * this.minBlockBytes;
  }

  /** Requested bytes of the live block of `order` starting at smallest block `leaf`. */
  private requestedAt(leaf: number, order: number): number {
    if (this.narrow) {
      return order === 0
        ? this.requested8[leaf] + 1
        : order === 1
          ? this.requested16[leaf >>> 1]
          : this.requested32[leaf >>> 2];
    }
    return order === 0 ? this.requested16[leaf] + 1 : this.requested32[leaf >>> 1];
  }

  /** Records the requested bytes of the live block of `order` starting at smallest block `leaf`. */
  private setRequested(leaf: number, order: number, bytes: number): void {
    if (this.narrow) {
      if (order === 0) this.requested8[leaf] = bytes - 1;
      else if (order === 1) this.requested16[leaf >>> 1] = bytes;
      else this.requested32[leaf >>> 2] = bytes;
    } else if (order === 0) this.requested16[leaf] = bytes - 1;
    else this.requested32[leaf >>> 1] = bytes;
  }

  /**
   * Marks the used `node` (of `order`, first smallest block `leaf`) free, clears its order mark at
   * the leaf and coalesces upwards; updates every counter but freeCount.
   */
  private release(node: number, order: number, leaf: number): void {
    const tree = this.tree;
    tree[node] = FREE_BASE + order;
    if (order > 0) tree[this.leafCount + leaf] = FREE_BASE; // stale below a free node: any non-used code
    // Coalesce: while the buddy is one whole free block of the same order, the parent becomes one
    // (the merged halves go stale: only the last node's code is written).
    let n = node;
    let k = order;
    while (n > 1 && tree[buddyOf(n)] === FREE_BASE + k) {
      n = parentOf(n);
      k++;
    }
    const merges = k - order;
    if (merges > 0) tree[n] = FREE_BASE + k;
    this.raiseLargestFree(n);
    const blockBytes = this.orderBytes[order];
    this.usedBytes -= blockBytes;
    this.freeBytes += blockBytes;
    this.liveBlocks--;
    this.freeBlocks += 1 - merges;
    this.requestedBytes -= this.requestedAt(leaf, order);
  }

  /** Undoes {@link BuddyArena.release}: splits down the path to `node` and marks it used again. */
  private reoccupy(node: number, order: number, leaf: number, requestedBytes: number): void {
    const tree = this.tree;
    for (let k = this.maxOrder; k > order; k--) {
      const ancestor = Math.floor(node / 2 ** (k - order));
      if (tree[ancestor] === FREE_BASE + k) {
        const left = leftChildOf(ancestor);
        tree[left] = FREE_BASE + k - 1;
        tree[left + 1] = FREE_BASE + k - 1;
      }
    }
    tree[node] = USED + order;
    tree[this.leafCount + leaf] = USED + order;
    this.updateAncestors(node, order);
    const blockBytes = this.orderBytes[order];
    this.usedBytes += blockBytes;
    this.freeBytes -= blockBytes;
    this.liveBlocks++;
    this.setRequested(leaf, order, requestedBytes);
    this.requestedBytes += requestedBytes;
  }

  /**
   * Recomputes the codes of the ancestors of `node`, whose code just changed and whose buddy is
   * not a whole free block of the same order while it is not one either (so no ancestor merges):
   * each ancestor's code is the larger of its children's, at least {@link FULL}. Stops at the
   * first ancestor whose code does not change (the ones above cannot change either).
   * O(levels climbed); branch-free per level but for the stop test.
   */
  private raiseLargestFree(node: number): void {
    const tree = this.tree;
    let n = node;
    while (n > 1) {
      const parent = parentOf(n);
      const code = Math.max(tree[n], tree[buddyOf(n)], FULL);
      if (tree[parent] === code) return;
      tree[parent] = code;
      n = parent;
    }
  }

  /**
   * Recomputes the codes of `node`'s ancestors (node has order `order`), stopping early once a
   * code is unchanged, but not within the first `forcedLevels` levels (whose codes may be stale,
   * as below a block being split in place).
   */
  private updateAncestors(node: number, order: number, forcedLevels = 0): void {
    const tree = this.tree;
    let k = order;
    while (node > 1) {
      node = parentOf(node);
      k++;
      const left = leftChildOf(node);
      const code = combine(tree[left], tree[left + 1], k - 1);
      if (tree[node] === code && k - order > forcedLevels) break;
      tree[node] = code;
    }
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
        const code = this.tree[leafNode];
        if (isUsed(code)) {
          const order = code - USED;
          this.foundOrder = order;
          this.foundLeaf = leafNode - this.leafCount;
          return leafNode >>> order;
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
    if (typeof offset !== 'number') {
      throw new TypeError(`${what}: offset must be a number, got ${describeValue(offset)}`);
    }
    if (!Number.isInteger(offset)) {
      throw new RangeError(`${what}: offset must be an integer, got ${describeValue(offset)}`);
    }
    if (offset < 0 || offset >= this.usableBytes) {
      throw this.invalidFree('out-of-range', offset, what, `outside [0, ${this.usableBytes})`);
    }
    if (offset % this.alignBytes !== 0) {
      throw this.invalidFree('misaligned', offset, what, `not a multiple of alignBytes ${this.alignBytes}`);
    }
    const tree = this.tree;
    const leaf = Math.floor(offset / this.minBlockBytes);
    let node = 1;
    for (let k = this.maxOrder; ; k--) {
      const code = tree[node];
      if (isUsed(code)) {
        const start = (node - this.firstNode[k]) * this.orderBytes[k];
        if (start !== offset) {
          throw this.invalidFree('interior', offset, what, `inside the live block [${start}:${this.orderBytes[k]}]`);
        }
        this.foundOrder = k;
        this.foundLeaf = start / this.minBlockBytes;
        return node;
      }
      if (code === FREE_BASE + k || code === RESERVED || k === 0) {
        throw this.invalidFree('not-allocated', offset, what, 'inside a free block');
      }
      node = leftChildOf(node) + ((leaf >>> (k - 1)) & 1);
    }
  }

  private invalidFree(reason: ArenaFreeReason, offset: number, what: string, detail: string): InvalidFreeError {
    return new InvalidFreeError(reason, offset, `BuddyArena.${what}(${offset}): ${reason}, ${detail}`);
  }

  private outOfMemory(what: string, bytes: number): OutOfMemoryError {
    const s = this.stats();
    const order = this.orderOf(bytes);
    const need =
      order < 0
        ? `more than the root block of ${this.maxBlockBytes} bytes`
        : `a free block of ${this.orderBytes[order]} bytes (order ${order})`;
    return new OutOfMemoryError(
      `BuddyArena.${what}(${bytes}): needs ${need}; largest free block is ${s.largestFreeBytes} bytes ` +
        `of ${s.freeBytes} free (raise sizeBytes)`,
      bytes,
      'bytes',
      s,
    );
  }

  /**
   * In-order traversal of the tree's blocks: masked, used and whole free nodes are reported with
   * their code (`RESERVED`, `USED`, `FREE_BASE + k`); split nodes are descended.
   */
  private walkNode(node: number, k: number, visit: (offset: number, bytes: number, code: number) => void): void {
    const code = this.tree[node];
    if (code === RESERVED || isUsed(code) || code === FREE_BASE + k) {
      visit((node - this.firstNode[k]) * this.orderBytes[k], this.orderBytes[k], code);
    } else {
      this.walkNode(leftChildOf(node), k - 1, visit);
      this.walkNode(leftChildOf(node) + 1, k - 1, visit);
    }
  }

  /** Validates the subtree at `node` (order `k`), adding its blocks to `totals`. */
  private checkNode(
    node: number,
    k: number,
    totals: { used: number; free: number; nUsed: number; nFree: number; requested: number },
  ): void {
    const code = this.tree[node];
    const bytes = this.orderBytes[k];
    const start = (node - this.firstNode[k]) * bytes;
    const where = `node ${node} [${start}:${bytes}] code ${code}`;
    const beyond = start >= this.usableBytes;
    const partial = !beyond && start + bytes > this.usableBytes;
    if (beyond !== (code === RESERVED)) {
      throw new Error(`BuddyArena.check: ${where}: masked exactly when beyond ${this.usableBytes}`);
    }
    if (code === RESERVED) return;
    if (isUsed(code) || code === FREE_BASE + k) {
      if (partial) throw new Error(`BuddyArena.check: ${where} runs past the managed bytes`);
      if (isUsed(code)) {
        const leaf = start / this.minBlockBytes;
        if (code !== USED + k || this.tree[this.leafCount + leaf] !== code) {
          throw new Error(
            `BuddyArena.check: ${where}: a live block of order ${k} must hold code ${USED + k} at its node and its first leaf`,
          );
        }
        const r = this.requestedAt(leaf, k);
        if (r < 1 || r > bytes || (k > 0 && r <= bytes / 2)) {
          throw new Error(`BuddyArena.check: ${where}: requested ${r} bytes does not need order ${k}`);
        }
        totals.used += bytes;
        totals.nUsed++;
        totals.requested += r;
      } else {
        totals.free += bytes;
        totals.nFree++;
      }
      return;
    }
    if (code > FREE_BASE + k || k === 0) throw new Error(`BuddyArena.check: ${where}: invalid code`);
    const left = leftChildOf(node);
    this.checkNode(left, k - 1, totals);
    this.checkNode(left + 1, k - 1, totals);
    const expected = combine(this.tree[left], this.tree[left + 1], k - 1);
    if (code !== expected) {
      throw new Error(`BuddyArena.check: ${where}: children imply code ${expected} (coalescing or largest-free wrong)`);
    }
  }
}
