/**
 * `FreeListArena`: boundary-tag blocks (`BoundaryTagArena`, boundary-tags.ts) with the free blocks on an
 * explicit doubly linked free list stored inside the free blocks themselves, searched by first,
 * next or best fit.
 *
 * Sources: Knuth, *TAOCP* vol. 1, 2.5 (Algorithm A, first fit; the "roving pointer" of exercise
 * 6 is next fit; Algorithm C, boundary tags and a doubly linked AVAIL list); Wilson et al.,
 * "Dynamic Storage Allocation: A Survey and Critical Review" (1995), 3.2-3.4 for the three
 * policies and their fragmentation.
 *
 * ## Free list
 * Links live in the first 8 payload bytes of each free block: `i32` next and prev *block starts*
 * (`NULL_OFFSET`, -1, for none). A freed block with no free neighbour is pushed at the head (LIFO order); a freed
 * block that merges with a free neighbour, and the remainder of a split, keep that block's place
 * in the list (so the big free areas of the arena keep their place, and small blocks freed
 * recently are reused first). So:
 * - `'first'`: the first block in list order (most recently freed first) that fits.
 * - `'next'`: as first fit, but the search starts at the *rover*, where the last search stopped,
 *   and wraps around. When the block under the rover leaves the list (taken, or coalesced away
 *   into a neighbour), the rover moves to its successor, so it never dangles.
 * - `'best'`: the smallest block that fits; ties go to the lowest offset. Scans the whole list.
 *
 * Costs: `alloc` O(free blocks) for the search (`'first'`/`'next'` stop at the first fit); a
 * request above the cached largest free size fails in O(1). That cache is exact until the largest
 * block is taken, split or shrunk, then only an upper bound (recomputed by the next `stats()` or
 * `check()`): while it is stale, a request between the true largest and the bound still scans
 * the list before failing. `free` O(1); `realloc` O(1) in place.
 *
 * @module
 */
import * as errors from '../errors.js';
import { checkOneOf } from '../errors.js';
import type { ArenaOptions } from './allocator.js';
import { BoundaryTagArena, HEADER_BYTES } from './boundary-tags.js';
import { freeListStateParts } from '../snapshot/arena-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import type { StateParts } from '../snapshot/state-record.js';

/** Placement policies of {@link FreeListArena}. */
export type FitPolicy = 'first' | 'next' | 'best';

/** The accepted {@link FitPolicy} values. */
export const FIT_POLICIES: readonly FitPolicy[] = ['first', 'next', 'best'];

/** Options of {@link FreeListArena}: the common arena options plus `fit`. */
export interface FreeListArenaOptions extends ArenaOptions {
  /** Placement policy; default `'first'`. */
  fit?: FitPolicy;
}

/**
 * Module-local copies of imported constants for the hot paths: reading the imports there measured
 * 20% slower (bench/README.md, section Pools, "Things that moved these figures").
 */
const { NULL_OFFSET } = errors;

/** `i32` word offsets of the links, from the block start. */
const LINK_NEXT = HEADER_BYTES / 4;
const LINK_PREV = HEADER_BYTES / 4 + 1;

/**
 * An arena of boundary-tag blocks with an explicit free list (see the module doc).
 *
 * ```ts
 * const arena = new FreeListArena({ sizeBytes: 1 << 20, fit: 'best' });
 * const p = arena.alloc(100);          // byte offset, 8-aligned
 * arena.f32[p >> 2] = 1.5;
 * arena.free(p);
 * ```
 * Errors: TypeError / RangeError for bad arguments,
 * OutOfMemoryError from `alloc`/`realloc`, -1 from `tryAlloc`, InvalidFreeError with a reason.
 */
export class FreeListArena extends BoundaryTagArena {
  /** The placement policy. */
  readonly fit: FitPolicy;
  private head = NULL_OFFSET;
  private rover = NULL_OFFSET;
  /** Upper bound on the largest free block's size; exact unless `largestStale`. */
  private largestKnown = 0;
  private largestStale = false;

  /**
   * @param options - `sizeBytes` (default: the buffer's length, else 1 MiB; at most 2^31),
   *   `buffer` (an ArrayBuffer or SharedArrayBuffer), `alignBytes` (power of two in [8, 65536],
   *   default 8), `fit` (`'first' | 'next' | 'best'`, default `'first'`).
   * @throws TypeError / RangeError for a bad option, naming it.
   */
  constructor(options?: FreeListArenaOptions) {
    super('FreeListArena', options, ['fit']);
    this.fit = options?.fit === undefined ? 'first' : checkOneOf('fit', options.fit, FIT_POLICIES);
    this.reset();
  }

  /** @internal The arena's state layout (`src/snapshot/arena-state.ts`). */
  [STATE_PARTS](): StateParts {
    return freeListStateParts(this);
  }

  protected indexClear(): void {
    this.head = NULL_OFFSET;
    this.rover = NULL_OFFSET;
    this.largestKnown = 0;
    this.largestStale = false;
  }

  protected indexInsert(block: number, sizeBytes: number): void {
    const i32 = this.i32;
    const w = block >>> 2;
    i32[w + LINK_NEXT] = this.head;
    i32[w + LINK_PREV] = NULL_OFFSET;
    if (this.head !== NULL_OFFSET) i32[(this.head >>> 2) + LINK_PREV] = block;
    this.head = block;
    this.noteInserted(sizeBytes);
  }

  protected indexRemove(block: number, sizeBytes: number): void {
    const i32 = this.i32;
    const w = block >>> 2;
    const next = i32[w + LINK_NEXT];
    const prev = i32[w + LINK_PREV];
    if (prev === NULL_OFFSET) this.head = next;
    else i32[(prev >>> 2) + LINK_NEXT] = next;
    if (next !== NULL_OFFSET) i32[(next >>> 2) + LINK_PREV] = prev;
    // Keep the rover on the list: the block it points at may be taken or coalesced away.
    if (this.rover === block) this.rover = next !== NULL_OFFSET ? next : this.head;
    if (sizeBytes === this.largestKnown) this.largestStale = true;
  }

  protected indexReplace(oldBlock: number, oldSizeBytes: number, newBlock: number, newSizeBytes: number): void {
    const i32 = this.i32;
    const ow = oldBlock >>> 2;
    const next = i32[ow + LINK_NEXT];
    const prev = i32[ow + LINK_PREV];
    const nw = newBlock >>> 2;
    i32[nw + LINK_NEXT] = next;
    i32[nw + LINK_PREV] = prev;
    if (prev === NULL_OFFSET) this.head = newBlock;
    else i32[(prev >>> 2) + LINK_NEXT] = newBlock;
    if (next !== NULL_OFFSET) i32[(next >>> 2) + LINK_PREV] = newBlock;
    if (this.rover === oldBlock) this.rover = newBlock;
    if (oldSizeBytes === this.largestKnown) this.largestStale = true;
    this.noteInserted(newSizeBytes);
  }

  protected indexResize(_block: number, oldSizeBytes: number, newSizeBytes: number): void {
    if (oldSizeBytes === this.largestKnown && newSizeBytes < oldSizeBytes) this.largestStale = true;
    this.noteInserted(newSizeBytes);
  }

  private noteInserted(sizeBytes: number): void {
    if (sizeBytes > this.largestKnown) {
      this.largestKnown = sizeBytes;
      this.largestStale = false;
    }
  }

  protected indexFind(sizeBytes: number): number {
    // largestKnown is an upper bound even when stale: a larger request cannot fit.
    if (sizeBytes > this.largestKnown) return NULL_OFFSET;
    const i32 = this.i32;
    if (this.fit === 'first') {
      for (let b = this.head; b !== NULL_OFFSET; b = i32[(b >>> 2) + LINK_NEXT]) {
        if (this.blockSize(b) >= sizeBytes) return b;
      }
      return NULL_OFFSET;
    }
    if (this.fit === 'next') {
      const start = this.rover !== NULL_OFFSET ? this.rover : this.head;
      if (start === NULL_OFFSET) return NULL_OFFSET;
      let b = start;
      do {
        if (this.blockSize(b) >= sizeBytes) {
          this.rover = b;
          return b;
        }
        b = i32[(b >>> 2) + LINK_NEXT];
        if (b === NULL_OFFSET) b = this.head;
      } while (b !== start);
      return NULL_OFFSET;
    }
    let best = NULL_OFFSET;
    let bestSize = Infinity;
    for (let b = this.head; b !== NULL_OFFSET; b = i32[(b >>> 2) + LINK_NEXT]) {
      const size = this.blockSize(b);
      if (size >= sizeBytes && (size < bestSize || (size === bestSize && b < best))) {
        best = b;
        bestSize = size;
      }
    }
    return best;
  }

  protected indexLargest(): number {
    if (this.largestStale) {
      let largest = 0;
      for (let b = this.head; b !== NULL_OFFSET; b = this.i32[(b >>> 2) + LINK_NEXT]) {
        const size = this.blockSize(b);
        if (size > largest) largest = size;
      }
      this.largestKnown = largest;
      this.largestStale = false;
    }
    return this.largestKnown;
  }

  protected indexCheck(freeStarts: Set<number>, report: (violation: string) => void): void {
    const fail = (msg: string) => report(`free list: ${msg}`);
    const i32 = this.i32;
    const seen = new Set<number>();
    let prev = NULL_OFFSET;
    let roverSeen = this.rover === NULL_OFFSET;
    for (let b = this.head; b !== NULL_OFFSET; b = i32[(b >>> 2) + LINK_NEXT]) {
      if (seen.has(b)) {
        fail(`cycle at block ${b} (the walk stops there)`);
        return;
      }
      if (!freeStarts.has(b)) {
        fail(`block ${b} on the list is not a free block (the walk stops there)`);
        return;
      }
      if (i32[(b >>> 2) + LINK_PREV] !== prev)
        fail(`block ${b}: prev link ${i32[(b >>> 2) + LINK_PREV]}, expected ${prev}`);
      if (b === this.rover) roverSeen = true;
      seen.add(b);
      prev = b;
    }
    if (seen.size !== freeStarts.size)
      fail(`${seen.size} blocks on the list, ${freeStarts.size} free blocks in the heap`);
    if (!roverSeen) fail(`rover ${this.rover} is not on the list`);
  }
}
