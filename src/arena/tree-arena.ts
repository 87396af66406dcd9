/**
 * `TreeArena`: the boundary-tag block layer (`BoundaryTagArena`, boundary-tags.ts) with its free blocks
 * indexed for exact best fit in O(log n) however many free blocks there are: the smallest free
 * block whose whole size is at least the request's block size; among equal sizes the lowest
 * offset.
 *
 * ## Index: exact-size bins in front of a size-ordered tree
 * - Small sizes (fewer than {@link SMALL_BIN_COUNT} granules of `alignBytes`) have one bin per
 *   exact size. A bin is a red-black tree ({@link RedBlackTree}) of its blocks keyed by offset
 *   (the key is `(size, offset)` with a constant size), and a bitmap marks the non-empty bins.
 * - Larger free blocks share one red-black tree keyed by `(size, offset)`.
 *
 * Best fit: the first non-empty bin at or above the request's granule count (a bitmap scan of
 * at most {@link SMALL_BIN_COUNT}/32 words, `Math.clz32`), and its lowest offset (its tree's
 * minimum); when no bin fits, the large tree's ceiling. The order is the same as one tree keyed
 * by `(size, offset)` over all free blocks, so placement is exactly that of a single best-fit
 * tree (and of `FreeListArena` best fit); only the cost differs: the game-like churn of many
 * small blocks touches a bin holding a handful of blocks (a tree of height 1-3) instead of
 * descending a tree of every free block, and most splits and merges re-key the node in place
 * ({@link RedBlackTree.update}) instead of removing and inserting it.
 *
 * Sources: exact-size bins with per-bin trees and a bitmap of non-empty bins as in Doug Lea's
 * malloc (dlmalloc 2.8: `smallbins`, `treebins`, `smallmap`/`treemap`) and TLSF (Masmano et al.,
 * "TLSF: a New Dynamic Memory Allocator for Real-Time Systems", ECRTS 2004); best fit over a
 * size-ordered balanced tree as in Wilson et al., "Dynamic Storage Allocation: A Survey and
 * Critical Review" (1995), 3.4 ("indexed fits"); the trees are CLRS ch. 13. Knuth, *TAOCP*
 * vol. 1, 2.5, for the tags.
 *
 * Tree nodes live in typed arrays outside the buffer; each free block keeps its node id in its
 * first payload word (the tree is implied by its size), so removing a known block needs no
 * search.
 *
 * Costs (n free blocks, k of them in the bin concerned): `alloc` O(bins/32 + log k) for a small
 * request that a bin serves, else O(log n), plus one in-place re-key or O(log n) re-insert of a
 * split remainder; `free` O(log n) (up to one removal, and a re-key or an insert when
 * coalescing); `realloc` in place O(log n); `stats()` O(log n) (largest free block = the large
 * tree's maximum, else the highest non-empty bin). The only allocations: a bin's tree the first
 * time a free block of its size appears, and node arrays doubling when a tree outgrows them;
 * never in steady state. Memory: about 0.5 KiB per bin in use (at most 256), plus 32 bytes per
 * free block.
 *
 * @module
 */
import * as errors from '../errors.js';
import type { ArenaOptions } from './allocator.js';
import * as bitset from './bitset.js';
import { hasBit, highestBitAtOrBelow } from './bitset.js';
import { BoundaryTagArena, HEADER_BYTES } from './boundary-tags.js';
import { NIL_NODE, RedBlackTree } from './rb-tree.js';
import { treeStateParts } from '../snapshot/arena-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import type { StateParts } from '../snapshot/state-record.js';

/**
 * Module-local copies of the imported functions and constant the hot paths use: reading imports
 * there measured 20% slower (bench/README.md, section Pools).
 */
const { clearBit, lowestBitFrom, setBit } = bitset;
const { NULL_OFFSET } = errors;

/** Options of {@link TreeArena}: the common arena options. */
export interface TreeArenaOptions extends ArenaOptions {}

/** `i32` word offset, from the block start, of a free block's tree node id. */
const NODE_WORD = HEADER_BYTES / 4;
/**
 * Exact-size bins: sizes of 0 .. SMALL_BIN_COUNT - 1 granules (below 2 KiB at 8-byte
 * alignment). A multiple of 32 (one bitmap word per 32 bins).
 */
const SMALL_BIN_COUNT = 256;
/** Words of the non-empty-bin bitmap. */
const BITMAP_WORDS = SMALL_BIN_COUNT / 32;
/** Initial node capacity of each bin's tree (grows by doubling). */
const BIN_TREE_CAPACITY = 4;
/** Initial node capacity of the large-block tree. */
const LARGE_TREE_CAPACITY = 64;
/** "No bin" from the bitmap scan (the bitset's "no bit"). */
const NO_BIN = -1;
/** Stands for every bin whose tree has not been created yet (never written to). */
const EMPTY_BIN = new RedBlackTree(1);

/**
 * An arena of boundary-tag blocks with exact best fit through size bins and a red-black tree
 * (see the module doc).
 *
 * ```ts
 * const arena = new TreeArena({ sizeBytes: 16 << 20 });
 * const mesh = arena.alloc(12 * 1024);        // best fit, O(log n)
 * arena.f32.fill(0, mesh >> 2, (mesh + 12 * 1024) >> 2);
 * arena.free(mesh);
 * ```
 * Errors: TypeError / RangeError for bad arguments,
 * OutOfMemoryError from `alloc`/`realloc`, -1 from `tryAlloc`, InvalidFreeError with a reason.
 */
export class TreeArena extends BoundaryTagArena {
  /**
   * One tree per exact small size, indexed by granule count; a bin's tree is created the first
   * time a free block of its size is indexed ({@link EMPTY_BIN} until then), so an arena pays
   * only for the sizes it has seen.
   */
  private readonly bins: RedBlackTree[];
  /** Bit `g` set when `bins[g]` is not empty. */
  private readonly binMap: Int32Array;
  /** Free blocks of {@link SMALL_BIN_COUNT} granules or more. */
  private readonly large: RedBlackTree;
  /** `log2(alignBytes)`: granule count of a small size is `sizeBytes >>> granuleShift`. */
  private readonly granuleShift: number;
  /** Sizes below this many bytes go to a bin: `SMALL_BIN_COUNT * alignBytes` (at most 2^24). */
  private readonly smallLimitBytes: number;

  /**
   * @param options - `sizeBytes` (default: the buffer's length, else 1 MiB; at most 2^31),
   *   `buffer` (an ArrayBuffer or SharedArrayBuffer), `alignBytes` (power of two in [8, 65536],
   *   default 8).
   * @throws TypeError / RangeError for a bad option, naming it.
   */
  constructor(options?: TreeArenaOptions) {
    super('TreeArena', options, []);
    this.granuleShift = Math.round(Math.log2(this.alignBytes));
    this.smallLimitBytes = SMALL_BIN_COUNT * this.alignBytes;
    this.bins = [];
    for (let g = 0; g < SMALL_BIN_COUNT; g++) this.bins.push(EMPTY_BIN);
    this.binMap = new Int32Array(BITMAP_WORDS);
    this.large = new RedBlackTree(LARGE_TREE_CAPACITY);
    this.reset();
  }

  /** @internal The arena's state layout (`src/snapshot/arena-state.ts`). */
  [STATE_PARTS](): StateParts {
    return treeStateParts(this, EMPTY_BIN);
  }

  /** The tree that holds free blocks of `sizeBytes` (a bin, or the large tree). O(1). */
  private treeFor(sizeBytes: number): RedBlackTree {
    // Below smallLimitBytes (<= 2^24) the shift is exact.
    return sizeBytes < this.smallLimitBytes ? this.bins[sizeBytes >>> this.granuleShift] : this.large;
  }

  /** Clears the bin's bitmap bit once its tree is empty. O(1). */
  private noteRemoved(sizeBytes: number, tree: RedBlackTree): void {
    if (tree !== this.large && tree.size === 0) {
      clearBit(this.binMap, sizeBytes >>> this.granuleShift);
    }
  }

  /** Inserts a block into the tree for its size, marking a bin non-empty. O(log k). */
  private insertNode(block: number, sizeBytes: number): number {
    if (sizeBytes < this.smallLimitBytes) {
      const g = sizeBytes >>> this.granuleShift;
      setBit(this.binMap, g);
      let bin = this.bins[g];
      if (bin === EMPTY_BIN) bin = this.bins[g] = new RedBlackTree(BIN_TREE_CAPACITY); // first use of this size
      return bin.insert(sizeBytes, block);
    }
    return this.large.insert(sizeBytes, block);
  }

  protected indexClear(): void {
    for (let g = 0; g < SMALL_BIN_COUNT; g++) if (this.bins[g] !== EMPTY_BIN) this.bins[g].clear();
    this.binMap.fill(0);
    this.large.clear();
  }

  protected indexInsert(block: number, sizeBytes: number): void {
    this.i32[(block >>> 2) + NODE_WORD] = this.insertNode(block, sizeBytes);
  }

  protected indexRemove(block: number, sizeBytes: number): void {
    const tree = this.treeFor(sizeBytes);
    tree.remove(this.i32[(block >>> 2) + NODE_WORD]);
    this.noteRemoved(sizeBytes, tree);
  }

  /**
   * Re-keys the old block's node when the size stays in the same tree (in place when it keeps
   * its rank, see `RedBlackTree.update`), else moves it to the tree of the new size.
   */
  protected indexReplace(oldBlock: number, oldSizeBytes: number, newBlock: number, newSizeBytes: number): void {
    const node = this.i32[(oldBlock >>> 2) + NODE_WORD]; // read before the new block's words are written
    this.i32[(newBlock >>> 2) + NODE_WORD] = this.moveNode(node, oldSizeBytes, newBlock, newSizeBytes);
  }

  /** Re-keys the block's node for its new size (see {@link TreeArena.indexReplace}). */
  protected indexResize(block: number, oldSizeBytes: number, newSizeBytes: number): void {
    const w = (block >>> 2) + NODE_WORD;
    this.i32[w] = this.moveNode(this.i32[w], oldSizeBytes, block, newSizeBytes);
  }

  /** Gives `node` (of a block of `oldSizeBytes`) the key `(newSizeBytes, newBlock)`; returns its id. */
  private moveNode(node: number, oldSizeBytes: number, newBlock: number, newSizeBytes: number): number {
    const from = this.treeFor(oldSizeBytes);
    if (from === this.treeFor(newSizeBytes)) return from.update(node, newSizeBytes, newBlock);
    from.remove(node);
    this.noteRemoved(oldSizeBytes, from);
    return this.insertNode(newBlock, newSizeBytes);
  }

  protected indexFind(sizeBytes: number): number {
    if (sizeBytes < this.smallLimitBytes) {
      const g = lowestBitFrom(this.binMap, sizeBytes >>> this.granuleShift);
      if (g !== NO_BIN) {
        const bin = this.bins[g];
        return bin.offsetOf(bin.min());
      }
    }
    const node = this.large.ceiling(sizeBytes);
    return node === NIL_NODE ? NULL_OFFSET : this.large.offsetOf(node);
  }

  protected indexLargest(): number {
    const node = this.large.max();
    if (node !== NIL_NODE) return this.large.sizeOf(node);
    const g = highestBitAtOrBelow(this.binMap, SMALL_BIN_COUNT - 1);
    return g === NO_BIN ? 0 : g * this.alignBytes;
  }

  protected indexCheck(freeStarts: Set<number>, report: (violation: string) => void): void {
    const fail = (msg: string) => report(`tree: ${msg}`);
    let nodes = 0;
    const checkTree = (tree: RedBlackTree, name: string, g: number): void => {
      // A tree with a broken link is not walked: forEach might not end.
      if (!tree.validate((msg) => fail(`${name}: ${msg}`))) return;
      nodes += tree.size;
      tree.forEach((sizeBytes, block, node) => {
        if (g >= 0 ? sizeBytes !== g * this.alignBytes : sizeBytes < this.smallLimitBytes) {
          fail(`${name}: node ${node} keys size ${sizeBytes}, which does not belong there`);
        }
        if (!freeStarts.has(block)) fail(`${name}: node ${node} names ${block}, which is not a free block`);
        if (this.blockSize(block) !== sizeBytes)
          fail(`${name}: node ${node} keys size ${sizeBytes}, block ${block} has ${this.blockSize(block)}`);
        if (this.i32[(block >>> 2) + NODE_WORD] !== node)
          fail(`${name}: block ${block} names node ${this.i32[(block >>> 2) + NODE_WORD]}, not ${node}`);
      });
    };
    if (EMPTY_BIN.size !== 0) fail('the shared empty bin holds nodes');
    for (let g = 0; g < SMALL_BIN_COUNT; g++) {
      const marked = hasBit(this.binMap, g);
      if (marked !== this.bins[g].size > 0)
        fail(`bin ${g}: bitmap bit ${marked ? 'set' : 'clear'}, ${this.bins[g].size} nodes`);
      checkTree(this.bins[g], `bin ${g}`, g);
    }
    checkTree(this.large, 'large tree', -1);
    if (nodes !== freeStarts.size) fail(`${nodes} nodes, ${freeStarts.size} free blocks in the heap`);
  }
}
