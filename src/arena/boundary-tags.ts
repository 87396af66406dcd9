/**
 * The boundary-tag block layer shared by {@link FreeListArena} and {@link TreeArena}: blocks that
 * tile one buffer, each with a header and a footer tag inside the buffer, split with a minimum
 * remainder, and coalesced with both physical neighbours in O(1) when freed.
 *
 * Source: Knuth, *The Art of Computer Programming* vol. 1, 2.5 "Dynamic Storage Allocation"
 * (boundary-tag method, Algorithm C, and the splitting rule of Algorithm A); Wilson, Johnstone,
 * Neely and Boles, "Dynamic Storage Allocation: A Survey and Critical Review" (1995), 3.2-3.4.
 * The subclass decides how free blocks are indexed (explicit free list, red-black tree).
 *
 * ## Block layout
 * Every block has an 8-byte header (whole size, a magic tag) and an 8-byte footer (whole size,
 * requested bytes) inside the buffer; the payload between them is the caller's, or the free
 * index's links while the block is free. The layout, its constants and the walk that validates
 * it are in `block-tags.ts`.
 *
 * ## Which offsets are live: the live map
 * A bitmap outside the buffer ({@link LiveMap}, `live-map.ts`) has one bit per `alignBytes`
 * granule, set exactly at the payload offset of every live block. `free`, `realloc` and `sizeOf` accept an offset only when its bit
 * is set, so user data that mimics a header can never make an interior pointer look like a
 * block: an invalid free is always detected and never changes anything. Reasons are exact:
 * `'out-of-range'` (not in `[0, sizeBytes)`), `'misaligned'` (not a multiple of `alignBytes`),
 * `'interior'` (inside a live block, its tags included), `'not-allocated'` (anything else: free
 * space, a freed block, the reserved head). A valid free costs O(1); telling `'interior'` from
 * `'not-allocated'` scans the bitmap backwards 32 granules per word, on the error path only.
 * Memory: `sizeBytes / alignBytes / 8` bytes (1/64 of the arena at 8-byte alignment).
 *
 * Arenas are not thread-safe: with a `SharedArrayBuffer`, allocate and free from one thread (or
 * behind your own lock); other threads may read and write the blocks they are handed.
 *
 * @module
 */
import * as errors from '../errors.js';
import { CorruptionError, Violations, checkSize } from '../errors.js';
import { LiveMap } from './live-map.js';
import * as allocator from './allocator.js';
import { resolveArenaOptions, type AllocatorStats, type ArenaOptions, type BlockVisitor } from './allocator.js';
import * as tags from './block-tags.js';
import { checkBlocks } from './block-tags.js';
import { ArenaChassis } from './chassis.js';

export { HEADER_BYTES, TAG_USED } from './block-tags.js';

/**
 * Module-local copies of imported constants for the hot paths: reading the imports there measured
 * 20% slower (bench/README.md, section Pools, "Things that moved these figures").
 */
const { FOOTER_BYTES, FREE_LINK_BYTES, FTR_REQUESTED, FTR_SIZE, HDR_SIZE, HDR_TAG, HEADER_BYTES, TAG_BYTES } = tags;
const { TAG_FREE, TAG_USED } = tags;
const { NULL_OFFSET } = errors;
const { MAX_REQUEST_BYTES } = allocator;

/** Rounds `value` up to a multiple of `step` (plain double arithmetic: exact below 2^53). */
function roundUp(value: number, step: number): number {
  return Math.ceil(value / step) * step;
}

/**
 * The shared block layer and the whole {@link Allocator} contract on top of it. A subclass
 * supplies the free-block index (the `protected abstract` methods) and must call `this.reset()`
 * at the end of its constructor, once its own fields exist.
 *
 * Index hooks are called with the block start `b` (not the payload) and its whole size; the
 * layer writes the tags, the subclass only maintains its index (links or a node id, which it may
 * keep in the free block's first `FREE_LINK_BYTES` of payload, at `b + HEADER_BYTES`). Hooks
 * must not read tags: `indexReplace` runs before the new block's tags are written (they may
 * overlap the old block's links), `indexRemove` before the removed block's tags are rewritten.
 */
export abstract class BoundaryTagArena extends ArenaChassis {
  /** `alignBytes - 1`: `(x & alignMask) === 0` tests alignment of an offset below 2^31. */
  protected readonly alignMask: number;
  /** `1 / alignBytes`, exact (a power of two): multiplying by it divides without a division. */
  private readonly granulesPerByte: number;
  /** Smallest whole block: tags plus the free links, rounded up to `alignBytes`. */
  readonly minBlockBytes: number;
  /** Start of the first block: `alignBytes - HEADER_BYTES`, so payloads are aligned. */
  protected readonly firstBlock: number;
  /** End of the last block (exclusive); the bytes from here to `capacityBytes` are reserved. */
  protected readonly heapEnd: number;
  /** One bit per granule, set at the payload offset of each live block (see the module doc). */
  private readonly liveMap: LiveMap;

  // Counters kept on every operation (AllocatorStats).
  protected usedBytes = 0;
  protected freeBytes = 0;
  protected liveBlocks = 0;
  protected freeBlocks = 0;
  private requestedBytes = 0;
  private grantedBytes = 0;
  private peakUsedBytes = 0;
  private allocCount = 0;
  private freeCount = 0;
  private failedAllocCount = 0;

  /**
   * @param className - used in error messages (`'FreeListArena'`).
   * @param options - validated `sizeBytes`, `buffer`, `alignBytes`; `extraOptionNames` lists the
   *   subclass's own option names so unknown keys are still rejected.
   * @throws TypeError for a wrong option type or unknown option; RangeError for a size or
   *   alignment out of range (`sizeBytes` must hold one minimum block after alignment, and at
   *   most `min(buffer.byteLength, 2^31)`; `alignBytes` a power of two in [8, 65536]).
   */
  protected constructor(className: string, options: ArenaOptions | undefined, extraOptionNames: readonly string[]) {
    // Smallest arena: the head before the first block plus one minimum block.
    const parts = resolveArenaOptions(
      className,
      options,
      extraOptionNames,
      (align) => align - HEADER_BYTES + roundUp(TAG_BYTES + FREE_LINK_BYTES, align),
    );
    const { alignBytes, sizeBytes } = parts;
    const firstBlock = alignBytes - HEADER_BYTES;
    const heapEnd = firstBlock + Math.floor((sizeBytes - firstBlock) / alignBytes) * alignBytes;
    // Reserved: the head before the first block and the tail after the last.
    super(className, parts, sizeBytes - (heapEnd - firstBlock));
    this.alignMask = alignBytes - 1;
    this.granulesPerByte = 1 / alignBytes;
    this.minBlockBytes = roundUp(TAG_BYTES + FREE_LINK_BYTES, alignBytes);
    this.firstBlock = firstBlock;
    this.heapEnd = heapEnd;
    this.liveMap = new LiveMap(sizeBytes, alignBytes);
  }

  // --- the free-block index (supplied by the subclass) ---------------------------------------

  /** Adds the free block at `block`. */
  protected abstract indexInsert(block: number, sizeBytes: number): void;
  /** Removes the free block at `block` (its links are still intact). */
  protected abstract indexRemove(block: number, sizeBytes: number): void;
  /**
   * The free block `oldBlock` is gone and `newBlock` is free in its stead: after a split
   * (`newBlock` is the remainder, higher) or a merge with a block just before it (`newBlock`
   * lower, and larger). Read the old links before writing the new ones (the blocks may overlap).
   * A list keeps the old position; a tree re-keys.
   */
  protected abstract indexReplace(oldBlock: number, oldSizeBytes: number, newBlock: number, newSizeBytes: number): void;
  /** The free block at `block` grew (absorbed the blocks after it) or changed size in place. */
  protected abstract indexResize(block: number, oldSizeBytes: number, newSizeBytes: number): void;
  /** A free block of at least `sizeBytes` chosen by the policy, or `NULL_OFFSET`. Changes nothing but a rover. */
  protected abstract indexFind(sizeBytes: number): number;
  /** Whole size of the largest free block (0 when none). */
  protected abstract indexLargest(): number;
  /** Empties the index (before `reset()` inserts the single free block). */
  protected abstract indexClear(): void;
  /**
   * Validates the index against the heap: `freeStarts` holds every free block start found by
   * the walk. Reports each missing, extra, duplicated or inconsistent entry to `report`; stops
   * walking a structure that loops.
   */
  protected abstract indexCheck(freeStarts: Set<number>, report: (violation: string) => void): void;

  // --- tags ---------------------------------------------------------------------------------

  /** Whole size of the block starting at `block`. */
  protected blockSize(block: number): number {
    return this.u32[(block >>> 2) + HDR_SIZE];
  }

  private writeUsed(block: number, sizeBytes: number, requestedBytes: number): void {
    const u32 = this.u32;
    const h = block >>> 2;
    const f = (block + sizeBytes - FOOTER_BYTES) >>> 2;
    u32[h + HDR_SIZE] = sizeBytes;
    u32[h + HDR_TAG] = TAG_USED;
    u32[f + FTR_SIZE] = sizeBytes;
    u32[f + FTR_REQUESTED] = requestedBytes;
  }

  private writeFree(block: number, sizeBytes: number): void {
    const u32 = this.u32;
    const h = block >>> 2;
    const f = (block + sizeBytes - FOOTER_BYTES) >>> 2;
    u32[h + HDR_SIZE] = sizeBytes;
    u32[h + HDR_TAG] = TAG_FREE;
    u32[f + FTR_SIZE] = sizeBytes;
    u32[f + FTR_REQUESTED] = 0;
  }

  // --- Allocator ----------------------------------------------------------------------------

  /**
   * Allocates at least `bytes` usable bytes, or returns `NULL_OFFSET` (-1) when no free block
   * fits (`alloc`, from the chassis, throws `OutOfMemoryError` instead): one index search, a
   * split when the remainder is at least {@link BoundaryTagArena.minBlockBytes}, otherwise the
   * whole block. Cost: the policy's search (list O(free blocks), tree O(log n)) plus O(1).
   * @returns the payload offset, a multiple of `alignBytes`; -1 changes nothing but
   *   `failedAllocCount`.
   * @throws TypeError / RangeError when `bytes` is not an integer in [1, 2^31].
   */
  tryAlloc(bytes: number): number {
    // Inline test of exactly what checkSize accepts; checkSize throws the exact error otherwise.
    if (!(typeof bytes === 'number' && bytes >= 1 && bytes <= MAX_REQUEST_BYTES && Number.isInteger(bytes))) {
      checkSize('bytes', bytes, MAX_REQUEST_BYTES);
    }
    const offset = this.allocBlock(bytes);
    if (offset === NULL_OFFSET) this.failedAllocCount++;
    return offset;
  }

  /**
   * Whole block size for a request of `bytes` (already validated): tags, alignment, minimum.
   * Double arithmetic, exact (scaling by a power of two), so requests near 2^31 cannot wrap.
   */
  private blockBytesFor(bytes: number): number {
    const aligned = Math.ceil((bytes + TAG_BYTES) * this.granulesPerByte) * this.alignBytes;
    return aligned > this.minBlockBytes ? aligned : this.minBlockBytes;
  }

  /** Allocation without argument checks or failure counting; -1 when nothing fits. */
  private allocBlock(bytes: number): number {
    const need = this.blockBytesFor(bytes);
    if (need > this.heapEnd - this.firstBlock) return NULL_OFFSET;
    const block = this.indexFind(need);
    if (block === NULL_OFFSET) return NULL_OFFSET;
    let size = this.blockSize(block);
    const rest = size - need;
    if (rest >= this.minBlockBytes) {
      const tail = block + need;
      this.indexReplace(block, size, tail, rest);
      this.writeFree(tail, rest);
      size = need;
    } else {
      this.indexRemove(block, size);
      this.freeBlocks--;
    }
    this.writeUsed(block, size, bytes);
    this.liveMap.set(block + HEADER_BYTES);
    this.freeBytes -= size;
    this.usedBytes += size;
    if (this.usedBytes > this.peakUsedBytes) this.peakUsedBytes = this.usedBytes;
    this.liveBlocks++;
    this.requestedBytes += bytes;
    this.grantedBytes += size - TAG_BYTES;
    this.allocCount++;
    return block + HEADER_BYTES;
  }

  /**
   * Checks that `offset` is the payload of a live block and returns the block start.
   * @throws TypeError (not a number), RangeError (not an integer), InvalidFreeError with
   *   reason `'out-of-range' | 'misaligned' | 'interior' | 'not-allocated'`, or CorruptionError
   *   when the tags of a live block were overwritten (a write past the end of the block before).
   */
  private liveBlockAt(offset: number, method: string): number {
    // Exactly the offsets the prelude accepts (`| 0` equality: an integer below 2^31, where the
    // mask is exact) whose live-map bit is set; anything else goes to rejectOffset (cold).
    if (
      !(
        typeof offset === 'number' &&
        (offset | 0) === offset &&
        offset >= 0 &&
        offset < this.capacityBytes &&
        (offset & this.alignMask) === 0 &&
        this.liveMap.has(offset)
      )
    ) {
      this.rejectOffset(offset, method);
    }
    const block = offset - HEADER_BYTES;
    const size = this.blockSize(block);
    if (
      this.u32[(block >>> 2) + HDR_TAG] !== TAG_USED ||
      size < this.minBlockBytes ||
      size > this.heapEnd - block ||
      (size & this.alignMask) !== 0 || // size <= heapEnd < 2^31 here: the mask is exact
      this.u32[((block + size - FOOTER_BYTES) >>> 2) + FTR_SIZE] !== size
    ) {
      throw new CorruptionError(
        this.className,
        [
          `heap corruption: the tags of the live block at ${block} were overwritten (a write past the end of the block before it?)`,
        ],
        1,
        `${method}(${offset})`,
      );
    }
    return block;
  }

  /**
   * Throws the exact error for an offset that is not a live block's payload: the chassis prelude
   * (type, integer, range, alignment), then `'interior'` when it lies inside a live block (its
   * tags included) or else `'not-allocated'`, found by scanning the live map backwards.
   */
  private rejectOffset(offset: number, method: string): never {
    this.checkOffset(offset, method, this.capacityBytes);
    // A live block covers [payload - HEADER_BYTES, payload - HEADER_BYTES + size).
    const probe = Math.min(offset + HEADER_BYTES, this.capacityBytes - 1);
    const live = this.liveMap.lastAtOrBelow(probe);
    const inside =
      live >= 0 && live - HEADER_BYTES <= offset && offset < live - HEADER_BYTES + this.blockSize(live - HEADER_BYTES);
    throw inside
      ? this.invalidFree('interior', offset, method, `inside the live block at ${live}`)
      : this.invalidFree('not-allocated', offset, method, 'no live block here (never allocated or already freed)');
  }

  /**
   * Frees a live block and coalesces it with a free neighbour on either side, O(1) plus the
   * index update (list O(1), tree O(log n)).
   * @throws as `liveBlockAt`: TypeError, RangeError, InvalidFreeError with a reason, or
   *   CorruptionError (`FreeListArena.free(1032): 1 violation: heap corruption: ...`) when the
   *   block's tags were overwritten; the arena is then unchanged.
   */
  free(offset: number): void {
    this.releaseBlock(this.liveBlockAt(offset, 'free'));
  }

  private releaseBlock(block: number): void {
    const size = this.blockSize(block);
    const requested = this.u32[((block + size - FOOTER_BYTES) >>> 2) + FTR_REQUESTED];
    this.liveMap.clear(block + HEADER_BYTES);
    this.usedBytes -= size;
    this.freeBytes += size;
    this.liveBlocks--;
    this.requestedBytes -= requested;
    this.grantedBytes -= size - TAG_BYTES;
    this.freeCount++;
    this.insertCoalesced(block, size);
  }

  /**
   * Makes `[block, block + size)` one free block, merged with a free block just before and just
   * after it (Knuth's Algorithm C), and indexes it. A merged block takes over the index entry of
   * the free neighbour it absorbs (`indexReplace` / `indexResize`), so a list keeps that
   * neighbour's position (long-lived free space does not jump to the head); a lone block is
   * inserted. Counts it in `freeBlocks` (not in `freeBytes`: the caller accounts for bytes).
   */
  private insertCoalesced(block: number, sizeBytes: number): void {
    const next = block + sizeBytes;
    const nextFree = next < this.heapEnd && !this.liveMap.has(next + HEADER_BYTES);
    const nextSize = nextFree ? this.blockSize(next) : 0;
    if (block > this.firstBlock) {
      const prevSize = this.u32[((block - FOOTER_BYTES) >>> 2) + FTR_SIZE];
      const prev = block - prevSize;
      if (!this.liveMap.has(prev + HEADER_BYTES)) {
        if (nextFree) {
          this.indexRemove(next, nextSize);
          this.freeBlocks--;
        }
        const size = prevSize + sizeBytes + nextSize;
        this.indexResize(prev, prevSize, size);
        this.writeFree(prev, size);
        return;
      }
    }
    if (nextFree) {
      const size = sizeBytes + nextSize;
      this.indexReplace(next, nextSize, block, size);
      this.writeFree(block, size);
      return;
    }
    this.indexInsert(block, sizeBytes);
    this.writeFree(block, sizeBytes);
    this.freeBlocks++;
  }

  /**
   * Resizes a live block keeping `min(old, new)` usable bytes of its contents: shrinks in place
   * (the tail, if at least a minimum block, is freed and coalesced), grows in place into a free
   * block right after it (up to the arena's last byte), or else allocates a new block, copies,
   * and frees the old one (counted as one alloc and one free).
   * @returns the new payload offset (equal to `offset` when done in place).
   * @throws as {@link BoundaryTagArena.free} for `offset`, TypeError / RangeError for `bytes`,
   *   OutOfMemoryError when it must move and nothing fits: the old block is then untouched.
   */
  realloc(offset: number, bytes: number): number {
    const block = this.liveBlockAt(offset, 'realloc');
    checkSize('bytes', bytes, MAX_REQUEST_BYTES);
    const size = this.blockSize(block);
    const need = this.blockBytesFor(bytes);
    const footerWord = ((block + size - FOOTER_BYTES) >>> 2) + FTR_REQUESTED;
    const oldRequested = this.u32[footerWord];
    if (need <= size) {
      const rest = size - need;
      if (rest >= this.minBlockBytes) {
        this.resizeLive(block, size, need, bytes, oldRequested);
        this.insertCoalesced(block + need, rest);
        this.freeBytes += rest;
      } else {
        this.u32[footerWord] = bytes;
        this.requestedBytes += bytes - oldRequested;
      }
      return offset;
    }
    const next = block + size;
    if (next < this.heapEnd && !this.liveMap.has(next + HEADER_BYTES)) {
      const nextSize = this.blockSize(next);
      const total = size + nextSize;
      if (total >= need) {
        const rest = total - need;
        if (rest >= this.minBlockBytes) {
          const tail = block + need;
          this.indexReplace(next, nextSize, tail, rest);
          this.writeFree(tail, rest);
          this.resizeLive(block, size, need, bytes, oldRequested);
          this.freeBytes -= need - size;
        } else {
          this.indexRemove(next, nextSize);
          this.freeBlocks--;
          this.resizeLive(block, size, total, bytes, oldRequested);
          this.freeBytes -= nextSize;
        }
        return offset;
      }
    }
    const moved = this.allocBlock(bytes);
    if (moved === NULL_OFFSET) {
      this.failedAllocCount++;
      throw this.outOfMemory('realloc', bytes);
    }
    this.u8.copyWithin(moved, offset, offset + size - TAG_BYTES); // size < need here
    this.releaseBlock(block);
    return moved;
  }

  /** Rewrites a live block's tags for a new size and updates the live-byte counters. */
  private resizeLive(block: number, oldSize: number, newSize: number, bytes: number, oldRequested: number): void {
    this.writeUsed(block, newSize, bytes);
    this.usedBytes += newSize - oldSize;
    if (this.usedBytes > this.peakUsedBytes) this.peakUsedBytes = this.usedBytes;
    this.grantedBytes += newSize - oldSize;
    this.requestedBytes += bytes - oldRequested;
  }

  /**
   * Usable bytes of the live block at `offset` (block size minus the 16 bytes of tags). O(1).
   * @throws as {@link BoundaryTagArena.free}.
   */
  sizeOf(offset: number): number {
    return this.blockSize(this.liveBlockAt(offset, 'sizeOf')) - TAG_BYTES;
  }

  /** Frees everything and zeroes the counters: the arena is as when new. O(bitmap words). */
  reset(): void {
    this.liveMap.clearAll();
    this.indexClear();
    const size = this.heapEnd - this.firstBlock;
    this.writeFree(this.firstBlock, size);
    this.indexInsert(this.firstBlock, size);
    this.usedBytes = 0;
    this.freeBytes = size;
    this.liveBlocks = 0;
    this.freeBlocks = 1;
    this.requestedBytes = 0;
    this.grantedBytes = 0;
    this.peakUsedBytes = 0;
    this.allocCount = 0;
    this.freeCount = 0;
    this.failedAllocCount = 0;
  }

  /**
   * The counters for `stats()` (the chassis'). O(1) for every counter; `largestFreeBytes` comes
   * from the index (tree: O(log n); list: O(1) unless the largest block was taken since, then one
   * list pass).
   */
  protected fillCounters(s: AllocatorStats): void {
    const largestFreeBytes = this.indexLargest();
    s.capacityBytes = this.capacityBytes;
    s.usedBytes = this.usedBytes;
    s.freeBytes = this.freeBytes;
    s.reservedBytes = this.reservedBytes;
    s.liveBlocks = this.liveBlocks;
    s.freeBlocks = this.freeBlocks;
    s.largestFreeBytes = largestFreeBytes;
    s.requestedBytes = this.requestedBytes;
    s.grantedBytes = this.grantedBytes;
    s.peakUsedBytes = this.peakUsedBytes;
    s.allocCount = this.allocCount;
    s.freeCount = this.freeCount;
    s.failedAllocCount = this.failedAllocCount;
  }

  /**
   * Visits every block in address order as a whole block: its start (the header, 8 bytes before
   * the payload offset `alloc` returned), its whole size in bytes (tags included, so the visits
   * tile `[firstBlock, heapEnd)` and add up to `capacityBytes - reservedBytes`), and whether it
   * is live. A free block of whole size `s` satisfies any request up to `s - 16` in place.
   * O(blocks). The visitor must not allocate or free.
   */
  walk(visit: BlockVisitor): void {
    for (let b = this.firstBlock; b < this.heapEnd; b += this.blockSize(b)) {
      visit(b, this.blockSize(b), this.liveMap.has(b + HEADER_BYTES));
    }
  }

  /**
   * Validates everything in O(n): blocks tile `[firstBlock, heapEnd)` with sane sizes, header
   * equals footer, tag agrees with the live map, no live-map bit outside a live payload, no two
   * adjacent free blocks, requested bytes within the usable size, every counter equal to the walk,
   * the accounting identity, and (through the subclass) the free index.
   * @throws CorruptionError listing every violation found (a walk stops at a block whose size
   *   is unusable: it cannot find the next one).
   */
  check(): void {
    const v = new Violations(this.className);
    if (this.bufferIntact(v.report)) this.checkHeap(v);
    v.throwIfAny();
  }

  /** The body of {@link BoundaryTagArena.check}. */
  private checkHeap(v: Violations): void {
    const fail = v.report;
    const heap = {
      firstBlock: this.firstBlock,
      heapEnd: this.heapEnd,
      minBlockBytes: this.minBlockBytes,
      alignBytes: this.alignBytes,
    };
    const walked = checkBlocks(this.u32, this.liveMap, heap, fail);
    if (!walked.complete) return; // the sums below would only repeat the damage
    const compare = (what: string, counter: number, actual: number) => {
      if (counter !== actual) fail(`${what} ${counter}, walk says ${actual}`);
    };
    compare('usedBytes', this.usedBytes, walked.usedBytes);
    compare('freeBytes', this.freeBytes, walked.freeBytes);
    compare('liveBlocks', this.liveBlocks, walked.liveBlocks);
    compare('freeBlocks', this.freeBlocks, walked.freeBlocks);
    compare('requestedBytes', this.requestedBytes, walked.requestedBytes);
    compare('grantedBytes', this.grantedBytes, walked.usedBytes - TAG_BYTES * walked.liveBlocks);
    if (this.usedBytes + this.freeBytes + this.reservedBytes !== this.capacityBytes) {
      fail('usedBytes + freeBytes + reservedBytes !== capacityBytes');
    }
    if (this.peakUsedBytes < this.usedBytes) fail(`peakUsedBytes ${this.peakUsedBytes} < usedBytes ${this.usedBytes}`);
    if (this.allocCount - this.freeCount !== this.liveBlocks) {
      fail(`allocCount - freeCount = ${this.allocCount - this.freeCount}, liveBlocks ${this.liveBlocks}`);
    }
    const before = v.count;
    this.indexCheck(walked.freeStarts, fail);
    if (v.count > before) return; // the index may not be walkable (a cycle)
    const indexLargest = this.indexLargest();
    if (indexLargest !== walked.largestFreeBytes) {
      fail(`largest free block ${walked.largestFreeBytes}, index says ${indexLargest}`);
    }
  }

  protected shortfall(bytes: number, stats: AllocatorStats): string {
    return (
      `no free block of ${this.blockBytesFor(bytes)} bytes (largest free block ${stats.largestFreeBytes} ` +
      `of ${stats.freeBytes} free bytes); raise sizeBytes`
    );
  }
}
