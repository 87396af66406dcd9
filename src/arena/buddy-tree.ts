/**
 * The buddy system's tree: a complete binary tree in a `Uint8Array`, one byte per node, no
 * per-node objects. {@link BuddyArena} keeps its blocks in it; this module holds the encoding,
 * the named index arithmetic, the climbs, and the cold whole-tree walks (`fillTree`, `walkTree`,
 * `dumpTree`, `checkTree`).
 *
 * Shape: heap-ordered, root at 1, the children of `n` at `2n` and `2n + 1` (index 0 unused). A
 * node of order `k` covers `2^k` smallest blocks; the leaves (order 0) are nodes
 * `leafCount .. 2 * leafCount - 1`, so leaf `i` (the `i`-th smallest block) is node `leafCount + i`.
 *
 * Codes: each node's byte says what its block is: {@link RESERVED} (masked tail), `USED + k` (a
 * live block of order `k`), {@link FULL} (split, nothing free below) or `FREE_BASE + j`: split or
 * whole, with the largest free block below of order `j`, the node itself being one free block
 * exactly when `j` is its own order. That "longest free block below" byte is the idea of
 * cloudwu/buddy `buddy.c` and of the `buddy2` allocator by wuwenbin (coolshell.cn, "buddy2.c"): a
 * request fails at the root in O(1), and the descent reads one byte per level. The tree state is
 * canonical (a function of the live blocks alone), which {@link checkTree} verifies node by node.
 *
 * Order marks: the leaf of a live block's first smallest block holds `USED + k` too. Below a live
 * block of order >= 1 that leaf is otherwise stale (never read by the walks), so the byte is free
 * for this; the arena rewrites it on every alloc, free and realloc, so a leaf holds a `USED` code
 * exactly when its smallest block starts a live block, and `free(offset)` finds its block's
 * order in O(1).
 *
 * Node indices stay below 2^30 (at most 2^28 leaves), so the 32-bit shifts here are exact.
 *
 * The codes and the index helpers are private to this module, and the loops that run on every
 * alloc and free (`takeBlock`, `returnBlock`) are here beside them: code that reads a module's
 * exported bindings (its own or imported ones) on a hot path measured 1.5x slower than code that
 * reads private ones (bench/README.md, section Arenas, "Module bindings on hot paths").
 *
 * Source: Knuth, TAOCP vol. 1, §2.5 (buddy system); the array-tree encoding after cloudwu/buddy.
 *
 * @module
 */

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

/** The root's node index. */
const ROOT = 1;

/** Left child of a node. */
function leftChildOf(node: number): number {
  return node * 2;
}

/** Parent of a node. */
function parentOf(node: number): number {
  return node >>> 1;
}

/** The other half of a node's parent: `node ^ 1`. */
function buddyOf(node: number): number {
  return node ^ 1;
}

/** Whether a node is the lower (left) half of its parent. */
function isLeftChild(node: number): boolean {
  return (node & 1) === 0;
}

/** The leaf node of the first smallest block under `node`, a node of order `order`. */
function firstLeafOf(node: number, order: number): number {
  return node << order;
}

/** The ancestor `levels` levels above `node` (`node` itself for 0). */
function ancestorAt(node: number, levels: number): number {
  return node >>> levels;
}

/** Whether a node code is a live block's (`USED + k`). */
function isUsed(code: number): boolean {
  return code >= USED && code < FULL;
}

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
 * Recomputes the codes of the ancestors of `node`, whose code just changed and whose buddy is
 * not a whole free block of the same order while it is not one either (so no ancestor merges):
 * each ancestor's code is the larger of its children's, at least {@link FULL}. Stops at the
 * first ancestor whose code does not change (the ones above cannot change either).
 * O(levels climbed); branch-free per level but for the stop test.
 */
function raiseLargestFree(tree: Uint8Array, node: number): void {
  let n = node;
  while (n > ROOT) {
    const parent = parentOf(n);
    const code = Math.max(tree[n], tree[buddyOf(n)], FULL);
    if (tree[parent] === code) return;
    tree[parent] = code;
    n = parent;
  }
}

/**
 * The alloc step on the tree, for a request of `order` (the root must hold a free block of at
 * least that order): descends from the root through split nodes into the child whose largest
 * free block fits most tightly (ties to the lower address) down to one whole free block (the
 * `top`), splits it straight down its left path to `order` (each right half free, each split
 * node's final code written on the way: the largest free block below a split node of order `j`
 * is its right half, of order `j - 1`), marks the block and its first leaf used, and climbs once
 * above `top`. O(log N).
 *
 * @returns `top`, the free block that was split: of order `maxOrder - depthOf(top)`; the new
 *   block is its leftmost descendant of `order`, `top << (topOrder - order)`.
 */
export function takeBlock(tree: Uint8Array, maxOrder: number, order: number): number {
  const need = FREE_BASE + order;
  let node = ROOT;
  let k = maxOrder;
  let code = tree[ROOT];
  while (code !== FREE_BASE + k) {
    const left = leftChildOf(node);
    node = left + fitsRightOf(tree[left], tree[left + 1], need);
    code = tree[node];
    k--;
  }
  const top = node;
  while (k > order) {
    k--;
    tree[node] = FREE_BASE + k;
    node = leftChildOf(node);
    tree[node + 1] = FREE_BASE + k;
  }
  tree[node] = USED + order;
  tree[firstLeafOf(node, order)] = USED + order;
  raiseLargestFree(tree, top);
  return top;
}

/**
 * The free step on the tree: marks the live block at `node` (of `order`) free, clears its order
 * mark at its first leaf `leafNode`, coalesces it with its buddy as long as the buddy is one
 * whole free block of the same order (the merged halves go stale: only the last node's code is
 * written), and climbs once above the result. O(levels climbed).
 *
 * @returns the number of merges.
 */
export function returnBlock(tree: Uint8Array, node: number, order: number, leafNode: number): number {
  tree[node] = FREE_BASE + order;
  if (order > 0) tree[leafNode] = FREE_BASE; // stale below a free node: any non-used code
  let n = node;
  let k = order;
  while (n > ROOT && tree[buddyOf(n)] === FREE_BASE + k) {
    n = parentOf(n);
    k++;
  }
  if (k > order) tree[n] = FREE_BASE + k;
  raiseLargestFree(tree, n);
  return k - order;
}

/**
 * The order of the live block whose first smallest block is the leaf `leafNode`, read from the
 * leaf's order mark, or -1 when no live block starts there. The block's node is
 * `leafNode >>> order`. O(1).
 */
export function liveOrderAt(tree: Uint8Array, leafNode: number): number {
  const code = tree[leafNode];
  return isUsed(code) ? code - USED : -1;
}

/** Whether the tree holds a free block of `order` or larger (decided at the root). O(1). */
export function hasFreeBlock(tree: Uint8Array, order: number): boolean {
  return tree[ROOT] >= FREE_BASE + order;
}

/** The order of the largest free block, or -1 when nothing is free. O(1). */
export function largestFreeOrder(tree: Uint8Array): number {
  const root = tree[ROOT];
  return root >= FREE_BASE ? root - FREE_BASE : -1;
}

/**
 * The node of the block (live, free or masked) that covers smallest block `leaf`: a descent from
 * the root through split nodes. O(log N); for naming why an offset is not a live block.
 */
export function blockNodeOf(tree: Uint8Array, maxOrder: number, leaf: number): number {
  let node = ROOT;
  for (let k = maxOrder; k > 0; k--) {
    const code = tree[node];
    if (isUsed(code) || code === FREE_BASE + k || code === RESERVED) return node;
    node = leftChildOf(node) + ((leaf >>> (k - 1)) & 1);
  }
  return node;
}

/** Whether `node`'s code says it is a live block. O(1). */
export function isLiveNode(tree: Uint8Array, node: number): boolean {
  return isUsed(tree[node]);
}

/**
 * Recomputes the codes of the ancestors of `node` (of order `order`) with {@link combine},
 * stopping early once a code is unchanged, but not within the first `forcedLevels` levels (whose
 * codes may be stale, as below a block being split in place). O(levels climbed).
 */
function updateAncestors(tree: Uint8Array, node: number, order: number, forcedLevels = 0): void {
  let n = node;
  let k = order;
  while (n > ROOT) {
    n = parentOf(n);
    k++;
    const left = leftChildOf(n);
    const code = combine(tree[left], tree[left + 1], k - 1);
    if (tree[n] === code && k - order > forcedLevels) break;
    tree[n] = code;
  }
}

/**
 * Marks `node` (of `order`) a live block: its code and the order mark at its first leaf
 * `leafNode`, then its ancestors' codes ({@link updateAncestors}, the first `forcedLevels` levels
 * always rewritten). O(levels climbed).
 */
export function markLive(tree: Uint8Array, node: number, order: number, leafNode: number, forcedLevels = 0): void {
  tree[node] = USED + order;
  tree[leafNode] = USED + order;
  updateAncestors(tree, node, order, forcedLevels);
}

/**
 * Shrinks the live block at `node` (of `order`) in place to its lowest descendant of `newOrder`
 * (< `order`), whose first leaf is `leafNode`: each upper half on the way down becomes one free
 * block. Adds `order - newOrder` free blocks. O(order - newOrder + levels climbed).
 */
export function shrinkInPlace(tree: Uint8Array, node: number, order: number, newOrder: number, leafNode: number): void {
  let n = node;
  for (let k = order; k > newOrder; k--) {
    n = leftChildOf(n);
    tree[n + 1] = FREE_BASE + k - 1;
  }
  markLive(tree, n, newOrder, leafNode, order - newOrder);
}

/**
 * The node of order `newOrder` (> `order`) the live block at `node` can grow into in place:
 * climbing while the block is a lower half whose buddy is one free block of its order. 0 when it
 * cannot. Changes nothing. O(newOrder - order).
 */
export function growthNodeOf(tree: Uint8Array, node: number, order: number, newOrder: number): number {
  let n = node;
  let k = order;
  while (k < newOrder && isLeftChild(n) && tree[buddyOf(n)] === FREE_BASE + k) {
    n = parentOf(n);
    k++;
  }
  return k === newOrder ? n : 0;
}

/**
 * Splits every whole free block on the path from the root down to `node` (of `order`; the root
 * has `maxOrder`), so `node` is a whole free block again: undoes the coalescing of a free.
 * O(maxOrder - order).
 */
export function splitPathTo(tree: Uint8Array, node: number, order: number, maxOrder: number): void {
  for (let k = maxOrder; k > order; k--) {
    const ancestor = ancestorAt(node, k - order);
    if (tree[ancestor] === FREE_BASE + k) {
      const left = leftChildOf(ancestor);
      tree[left] = FREE_BASE + k - 1;
      tree[left + 1] = FREE_BASE + k - 1;
    }
  }
}

/** The shape of one buddy tree, derived once from the arena's size by {@link buddyGeometry}. */
export interface BuddyGeometry {
  /** Bytes of an order-0 block, a power of two. */
  readonly minBlockBytes: number;
  /** `log2(minBlockBytes)`. */
  readonly minBlockShift: number;
  /** The root's order. */
  readonly maxOrder: number;
  /** Smallest blocks covered by the tree, `2^maxOrder`: also the node index of leaf 0. */
  readonly leafCount: number;
  /** Bytes in whole smallest blocks: `floor(sizeBytes / minBlockBytes) * minBlockBytes`. */
  readonly usableBytes: number;
  /** `orderBytes[k]`: bytes of an order-k block. */
  readonly orderBytes: Float64Array;
  /** `firstNode[k]`: index of the leftmost node of order k (`2^(maxOrder - k)`). */
  readonly firstNode: Float64Array;
}

/**
 * The tree over `sizeBytes` bytes of `minBlockBytes` blocks (at least one): it covers the next
 * power of two of smallest blocks; nodes wholly beyond the last whole smallest block are masked.
 * O(orders); allocates the two small per-order tables.
 */
export function buddyGeometry(sizeBytes: number, minBlockBytes: number): BuddyGeometry {
  const usableLeaves = Math.floor(sizeBytes / minBlockBytes);
  let maxOrder = 0;
  while (2 ** maxOrder < usableLeaves) maxOrder++;
  const orderBytes = new Float64Array(maxOrder + 1);
  const firstNode = new Float64Array(maxOrder + 1);
  for (let k = 0; k <= maxOrder; k++) {
    orderBytes[k] = minBlockBytes * 2 ** k;
    firstNode[k] = 2 ** (maxOrder - k);
  }
  return {
    minBlockBytes,
    minBlockShift: Math.log2(minBlockBytes),
    maxOrder,
    leafCount: 2 ** maxOrder,
    usableBytes: usableLeaves * minBlockBytes,
    orderBytes,
    firstNode,
  };
}

/** Byte offset of the block of `node`, a node of order `k`. */
export function blockStartOf(g: BuddyGeometry, node: number, k: number): number {
  return (node - g.firstNode[k]) * g.orderBytes[k];
}

/**
 * Writes the tree of an arena with every block free: usable leaves free, the rest masked, each
 * split node combined from its children. O(nodes).
 */
export function fillTree(tree: Uint8Array, g: BuddyGeometry): void {
  const leaves = g.leafCount;
  const usableLeaves = g.usableBytes / g.minBlockBytes;
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
}

/**
 * In-order traversal of the blocks under `node` (order `k`; default the whole tree): masked, used
 * and whole free nodes are reported with their code (`RESERVED`, `USED + k`, `FREE_BASE + k`);
 * split nodes are descended. O(nodes visited); recursion depth <= maxOrder.
 */
function walkTree(
  tree: Uint8Array,
  g: BuddyGeometry,
  visit: (offset: number, bytes: number, code: number) => void,
  node = ROOT,
  k = g.maxOrder,
): void {
  const code = tree[node];
  if (code === RESERVED || isUsed(code) || code === FREE_BASE + k) {
    visit(blockStartOf(g, node, k), g.orderBytes[k], code);
  } else {
    walkTree(tree, g, visit, leftChildOf(node), k - 1);
    walkTree(tree, g, visit, leftChildOf(node) + 1, k - 1);
  }
}

/**
 * Visits every block (live and free) in address order, skipping masked nodes: `visit(offset,
 * bytes, live)`. O(nodes).
 */
export function walkBlocks(
  tree: Uint8Array,
  g: BuddyGeometry,
  visit: (offset: number, bytes: number, live: boolean) => void,
): void {
  walkTree(tree, g, (offset, bytes, code) => {
    if (code !== RESERVED) visit(offset, bytes, isUsed(code));
  });
}

/**
 * One-line picture of the tree in address order, as cloudwu/buddy's `buddy_dump`: live blocks
 * `[offset:bytes]`, free blocks `(offset:bytes)`, masked nodes `{offset:bytes}`. O(nodes).
 */
export function dumpTree(tree: Uint8Array, g: BuddyGeometry): string {
  let out = '';
  walkTree(tree, g, (o, b, code) => {
    out += code === RESERVED ? `{${o}:${b}}` : isUsed(code) ? `[${o}:${b}]` : `(${o}:${b})`;
  });
  return out;
}

/** What {@link checkTree} found: sums over the blocks it could reach. */
export interface TreeTotals {
  usedBytes: number;
  freeBytes: number;
  liveBlocks: number;
  freeBlocks: number;
}

/**
 * Validates the tree in O(nodes): every reachable node's code is the one its children imply (so
 * coalescing is complete and the tree canonical), masked nodes are exactly those beyond
 * `usableBytes`, no block runs past it, each live block holds `USED + order` at its node and at
 * its first leaf, and no other leaf holds a used code. Each violation is passed to `report`
 * (which may throw); a node with an invalid code is not descended. Calls `onLive(leaf, order,
 * bytes)` for every live block whose codes are right, for the caller's own per-block checks.
 *
 * @returns the blocks' sums.
 */
export function checkTree(
  tree: Uint8Array,
  g: BuddyGeometry,
  report: (message: string) => void,
  onLive: (leaf: number, order: number, bytes: number) => void,
): TreeTotals {
  const totals: TreeTotals = { usedBytes: 0, freeBytes: 0, liveBlocks: 0, freeBlocks: 0 };
  const visit = (node: number, k: number): void => {
    const code = tree[node];
    const bytes = g.orderBytes[k];
    const start = blockStartOf(g, node, k);
    const where = `node ${node} [${start}:${bytes}] code ${code}`;
    const beyond = start >= g.usableBytes;
    if (beyond !== (code === RESERVED)) {
      report(`${where}: masked exactly when beyond ${g.usableBytes}`);
      return;
    }
    if (code === RESERVED) return;
    if (isUsed(code) || code === FREE_BASE + k) {
      if (start + bytes > g.usableBytes) report(`${where} runs past the managed bytes`);
      if (code === FREE_BASE + k) {
        totals.freeBytes += bytes;
        totals.freeBlocks++;
        return;
      }
      const leaf = start / g.minBlockBytes;
      totals.usedBytes += bytes;
      totals.liveBlocks++;
      if (code !== USED + k || tree[g.leafCount + leaf] !== code) {
        report(`${where}: a live block of order ${k} must hold code ${USED + k} at its node and its first leaf`);
      } else {
        onLive(leaf, k, bytes);
      }
      return;
    }
    if (code > FREE_BASE + k || k === 0) {
      report(`${where}: invalid code`);
      return;
    }
    const left = leftChildOf(node);
    visit(left, k - 1);
    visit(left + 1, k - 1);
    const expected = combine(tree[left], tree[left + 1], k - 1);
    if (code !== expected) report(`${where}: children imply code ${expected} (coalescing or largest-free wrong)`);
  };
  visit(ROOT, g.maxOrder);
  // Each live block's first leaf holds its used code (checked per block): no other leaf may.
  let marks = 0;
  for (let n = g.leafCount; n < 2 * g.leafCount; n++) if (isUsed(tree[n])) marks++;
  if (marks !== totals.liveBlocks) report(`${marks} leaves hold an order mark, for ${totals.liveBlocks} live blocks`);
  return totals;
}
