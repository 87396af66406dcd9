/**
 * `TreeArena`: the boundary-tag block layer ({@link BoundaryTagArena}) with its free blocks
 * indexed by a red-black tree keyed by `(size, offset)` ({@link RedBlackTree}), so best fit costs
 * O(log n) however many free blocks there are.
 *
 * Sources: best fit over a size-ordered balanced tree as in Wilson et al., "Dynamic Storage
 * Allocation: A Survey and Critical Review" (1995), 3.4 ("indexed fits"), and Stephenson's
 * Cartesian-tree fast fits; the tree is CLRS ch. 13. Knuth, *TAOCP* vol. 1, 2.5, for the tags.
 *
 * Placement: the smallest free block whose whole size is at least the request's block size; among
 * equal sizes the lowest offset. Tree nodes live in typed arrays outside the buffer; each free
 * block keeps its node id in its first payload word, so removing a known block needs no search.
 *
 * Costs: `alloc` O(log n) (search plus one re-key of the split remainder), `free` O(log n)
 * (up to two removals and one insert when coalescing), `realloc` in place O(log n),
 * `stats()` O(log n) (largest free block = the tree's maximum). The tree's node arrays grow by
 * doubling when free blocks outnumber them: the only allocation, never in steady state.
 *
 * @module
 */
import { BoundaryTagArena, HEADER_BYTES, type BoundaryTagOptions } from './boundary-tags.js';
import { NIL_NODE, RedBlackTree } from './rb-tree.js';

/** Options of {@link TreeArena}: the common arena options. */
export interface TreeArenaOptions extends BoundaryTagOptions {}

/** `i32` word offset, from the block start, of a free block's tree node id. */
const NODE_WORD = HEADER_BYTES / 4;

/**
 * An arena of boundary-tag blocks with best fit through a red-black tree (see the module doc).
 *
 * ```ts
 * const arena = new TreeArena({ sizeBytes: 16 << 20 });
 * const mesh = arena.alloc(12 * 1024);        // best fit, O(log n)
 * arena.f32.fill(0, mesh >> 2, (mesh + 12 * 1024) >> 2);
 * arena.free(mesh);
 * ```
 * Errors follow {@link BoundaryTagArena}: TypeError / RangeError for bad arguments,
 * OutOfMemoryError from `alloc`/`realloc`, -1 from `tryAlloc`, InvalidFreeError with a reason.
 */
export class TreeArena extends BoundaryTagArena {
  private readonly tree: RedBlackTree;

  /**
   * @param options - `sizeBytes` (default: the buffer's length, else 1 MiB; at most 2^31),
   *   `buffer` (an ArrayBuffer or SharedArrayBuffer), `alignBytes` (power of two in [8, 65536],
   *   default 8).
   * @throws TypeError / RangeError for a bad option (see {@link BoundaryTagArena}).
   */
  constructor(options?: TreeArenaOptions) {
    super('TreeArena', options, []);
    this.tree = new RedBlackTree(64);
    this.reset();
  }

  protected indexClear(): void {
    this.tree.clear();
  }

  protected indexInsert(block: number, sizeBytes: number): void {
    this.i32[(block >>> 2) + NODE_WORD] = this.tree.insert(sizeBytes, block);
  }

  protected indexRemove(block: number): void {
    this.tree.remove(this.i32[(block >>> 2) + NODE_WORD]);
  }

  protected indexReplace(oldBlock: number, _oldSizeBytes: number, newBlock: number, newSizeBytes: number): void {
    this.tree.remove(this.i32[(oldBlock >>> 2) + NODE_WORD]);
    this.i32[(newBlock >>> 2) + NODE_WORD] = this.tree.insert(newSizeBytes, newBlock);
  }

  protected indexResize(block: number, _oldSizeBytes: number, newSizeBytes: number): void {
    const w = (block >>> 2) + NODE_WORD;
    this.tree.remove(this.i32[w]);
    this.i32[w] = this.tree.insert(newSizeBytes, block);
  }

  protected indexFind(sizeBytes: number): number {
    const node = this.tree.ceiling(sizeBytes);
    return node === NIL_NODE ? -1 : this.tree.offsetOf(node);
  }

  protected indexLargest(): number {
    const node = this.tree.max();
    return node === NIL_NODE ? 0 : this.tree.sizeOf(node);
  }

  protected indexCheck(freeStarts: Set<number>): void {
    const fail = (msg: string): never => {
      throw new Error(`TreeArena.check: tree: ${msg}`);
    };
    try {
      this.tree.check();
    } catch (e) {
      fail((e as Error).message);
    }
    if (this.tree.size !== freeStarts.size) fail(`${this.tree.size} nodes, ${freeStarts.size} free blocks in the heap`);
    this.tree.forEach((sizeBytes, block, node) => {
      if (!freeStarts.has(block)) fail(`node ${node} names ${block}, which is not a free block`);
      if (this.blockSize(block) !== sizeBytes) fail(`node ${node} keys size ${sizeBytes}, block ${block} has ${this.blockSize(block)}`);
      if (this.i32[(block >>> 2) + NODE_WORD] !== node) fail(`block ${block} names node ${this.i32[(block >>> 2) + NODE_WORD]}, not ${node}`);
    });
  }
}
