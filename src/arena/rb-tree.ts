/**
 * A red-black tree of integer key pairs `(size, offset)`, with every node stored in typed arrays:
 * no object per node, so inserting and removing allocate nothing once the arrays are big enough.
 *
 * The algorithms are those of Cormen, Leiserson, Rivest and Stein, *Introduction to Algorithms*
 * (3rd ed., 2009), chapter 13: `RB-INSERT` / `RB-INSERT-FIXUP`, `RB-TRANSPLANT`, `RB-DELETE` /
 * `RB-DELETE-FIXUP`, with the sentinel node `T.nil` as node 0 ({@link NIL_NODE}). The tree keeps
 * the five red-black properties (CLRS 13.1): every node is red or black; the root is black; the
 * sentinel is black; a red node has two black children; every path from a node down to the
 * sentinel passes the same number of black nodes. Hence height <= 2 log2(n + 1).
 *
 * Keys are ordered by `size`, then by `offset`; every `(size, offset)` pair is unique. Used by
 * {@link TreeArena} to index free blocks, where {@link RedBlackTree.ceiling} is best fit.
 *
 * Node ids are small positive integers, stable for the node's lifetime (growth copies the arrays
 * but keeps ids). A removed node's id is recycled by a later insert.
 *
 * @module
 */

import { Violations, checkInteger } from '../errors.js';

/** The sentinel node id (CLRS `T.nil`); returned by the queries when there is no such node. */
export const NIL_NODE = 0;

/** Node colours, stored one byte per node. */
const RED = 0;
const BLACK = 1;

/**
 * Node record layout: `NODE_WORDS` consecutive 32-bit words per node id, so one node is one
 * 32-byte run of memory (half a cache line) instead of six scattered array entries.
 */
const NODE_WORDS = 8;
/** Word offsets inside a node record. */
const LEFT = 0;
const RIGHT = 1;
const PARENT = 2;
const COLOR = 3;
/** The keys, read through the `Uint32Array` view. */
const SIZE = 4;
const OFFSET = 5;

/** Initial node capacity when none is given. */
const DEFAULT_CAPACITY = 64;
/** Largest `initialCapacity`: 2^28 nodes. */
const MAX_CAPACITY = 2 ** 28;

/**
 * Red-black tree keyed by `(size, offset)` (CLRS ch. 13), nodes in typed arrays.
 *
 * Costs: `insert`, `remove`, `update`, `ceiling`, `find`, `min`, `max`, `successor`,
 * `predecessor` are O(log n) (`update` O(1) on average when the key keeps its rank, `min` O(1):
 * the minimum node is cached);
 * `check` is O(n). Memory: 32 bytes per node of capacity (one record of {@link NODE_WORDS} words:
 * three links, colour, two keys, two spare); capacity doubles when full (the only allocation).
 */
export class RedBlackTree {
  /** Node records, {@link NODE_WORDS} `i32` words each (links and colour). */
  private links: Int32Array;
  /** The same memory as `u32`, for the keys (which may exceed 2^31). */
  private keys: Uint32Array;
  /** Root node id ({@link NIL_NODE} when empty). */
  private root = NIL_NODE;
  /** The node with the smallest key ({@link NIL_NODE} when empty), kept so `min()` is O(1). */
  private minNode = NIL_NODE;
  /** Head of the stack of unused node ids, linked through LEFT; NIL_NODE when none. */
  private freeHead = NIL_NODE;
  /** Next never-used node id. */
  private nextFresh = 1;
  private nodeCount = 0;

  /**
   * @param initialCapacity - nodes to make room for up front (an integer in [1, 2^28]); the tree
   *   grows past it by doubling. Default 64.
   * @throws TypeError / RangeError for a bad capacity.
   */
  constructor(initialCapacity: number = DEFAULT_CAPACITY) {
    checkInteger('initialCapacity', initialCapacity, 1, MAX_CAPACITY);
    const slots = initialCapacity + 1; // + the sentinel
    this.links = new Int32Array(slots * NODE_WORDS);
    this.keys = new Uint32Array(this.links.buffer);
    this.links[NIL_NODE * NODE_WORDS + COLOR] = BLACK;
  }

  /** Number of nodes in the tree. O(1). */
  get size(): number {
    return this.nodeCount;
  }

  /** Nodes the arrays hold without growing. O(1). */
  get capacity(): number {
    return this.links.length / NODE_WORDS - 1;
  }

  /** The `size` key of `node`. O(1). `node` must be a live node id. */
  sizeOf(node: number): number {
    return this.keys[node * NODE_WORDS + SIZE];
  }

  /** The `offset` key of `node`. O(1). `node` must be a live node id. */
  offsetOf(node: number): number {
    return this.keys[node * NODE_WORDS + OFFSET];
  }

  /** Removes every node; keeps the capacity. O(1). */
  clear(): void {
    this.root = NIL_NODE;
    this.minNode = NIL_NODE;
    this.freeHead = NIL_NODE;
    this.nextFresh = 1;
    this.nodeCount = 0;
    this.links[NIL_NODE * NODE_WORDS + PARENT] = NIL_NODE;
  }

  /** True when `(s1, o1) < (s2, o2)` in key order. */
  private static less(s1: number, o1: number, s2: number, o2: number): boolean {
    return s1 < s2 || (s1 === s2 && o1 < o2);
  }

  /**
   * Inserts the key `(size, offset)` (CLRS `RB-INSERT` then `RB-INSERT-FIXUP`).
   * O(log n); allocates only when the node arrays must grow.
   *
   * @param size - integer in [0, 2^32).
   * @param offset - integer in [0, 2^32).
   * @returns the new node's id (>= 1).
   * @throws Error when the key is already present (the tree is left unchanged).
   */
  insert(size: number, offset: number): number {
    let y = NIL_NODE;
    let x = this.root;
    let left = false;
    {
      const links = this.links;
      const keys = this.keys;
      while (x !== NIL_NODE) {
        y = x;
        const xs = keys[x * NODE_WORDS + SIZE];
        if (size !== xs) left = size < xs;
        else {
          const xo = keys[x * NODE_WORDS + OFFSET];
          if (offset === xo) throw new Error(`RedBlackTree.insert: key (${size}, ${offset}) is already present`);
          left = offset < xo;
        }
        x = links[x * NODE_WORDS + (left ? LEFT : RIGHT)];
      }
    }
    const z = this.newNode(); // may grow: read the arrays after it
    const links = this.links;
    const keys = this.keys;
    keys[z * NODE_WORDS + SIZE] = size;
    keys[z * NODE_WORDS + OFFSET] = offset;
    links[z * NODE_WORDS + PARENT] = y;
    links[z * NODE_WORDS + LEFT] = NIL_NODE;
    links[z * NODE_WORDS + RIGHT] = NIL_NODE;
    links[z * NODE_WORDS + COLOR] = RED;
    if (y === NIL_NODE) this.root = z;
    else links[y * NODE_WORDS + (left ? LEFT : RIGHT)] = z;
    this.nodeCount++;
    // z is the new minimum exactly when it hangs left of the old one (or the tree was empty).
    if (y === NIL_NODE || (left && y === this.minNode)) this.minNode = z;
    this.insertFixup(z);
    return z;
  }

  /**
   * Removes `node` (CLRS `RB-DELETE` then `RB-DELETE-FIXUP`) and recycles its id. O(log n).
   * `node` must be a live node id returned by {@link RedBlackTree.insert}; anything else
   * corrupts the tree (the arena never passes anything else; `check()` would catch it).
   */
  remove(z: number): void {
    if (z === this.minNode) this.minNode = this.successor(z);
    let y = z;
    let yOriginalColor = this.links[y * NODE_WORDS + COLOR];
    let x: number;
    if (this.links[z * NODE_WORDS + LEFT] === NIL_NODE) {
      x = this.links[z * NODE_WORDS + RIGHT];
      this.transplant(z, this.links[z * NODE_WORDS + RIGHT]);
    } else if (this.links[z * NODE_WORDS + RIGHT] === NIL_NODE) {
      x = this.links[z * NODE_WORDS + LEFT];
      this.transplant(z, this.links[z * NODE_WORDS + LEFT]);
    } else {
      y = this.minimumUnder(this.links[z * NODE_WORDS + RIGHT]);
      yOriginalColor = this.links[y * NODE_WORDS + COLOR];
      x = this.links[y * NODE_WORDS + RIGHT];
      if (this.links[y * NODE_WORDS + PARENT] === z) {
        this.links[x * NODE_WORDS + PARENT] = y; // also when x is the sentinel, as CLRS requires
      } else {
        this.transplant(y, this.links[y * NODE_WORDS + RIGHT]);
        this.links[y * NODE_WORDS + RIGHT] = this.links[z * NODE_WORDS + RIGHT];
        this.links[this.links[y * NODE_WORDS + RIGHT] * NODE_WORDS + PARENT] = y;
      }
      this.transplant(z, y);
      this.links[y * NODE_WORDS + LEFT] = this.links[z * NODE_WORDS + LEFT];
      this.links[this.links[y * NODE_WORDS + LEFT] * NODE_WORDS + PARENT] = y;
      this.links[y * NODE_WORDS + COLOR] = this.links[z * NODE_WORDS + COLOR];
    }
    if (yOriginalColor === BLACK) this.deleteFixup(x);
    this.nodeCount--;
    this.releaseNode(z);
  }

  /**
   * The node of the smallest key `>= (size, 0)`: the smallest size that is at least `size`,
   * and among equal sizes the lowest offset (best fit, ties by lowest address). O(log n).
   * @returns a node id, or {@link NIL_NODE} when every size is smaller.
   */
  ceiling(size: number): number {
    let best = NIL_NODE;
    let x = this.root;
    while (x !== NIL_NODE) {
      if (this.keys[x * NODE_WORDS + SIZE] >= size) {
        best = x;
        x = this.links[x * NODE_WORDS + LEFT];
      } else {
        x = this.links[x * NODE_WORDS + RIGHT];
      }
    }
    return best;
  }

  /**
   * Changes the key of `node` to `(size, offset)`. When the new key still lies strictly between
   * the keys of the node's in-order neighbours (only the neighbour on the side the key moves
   * towards is looked at), the key is rewritten in place: no rotation, no recolouring, and the
   * node keeps its id. Otherwise the node is removed and the key inserted anew (the id may
   * change). The in-place case is what a boundary-tag arena sees on most splits and merges:
   * a block that shrinks from the front or grows keeps its rank among the free blocks.
   *
   * Cost: O(1) for the key writes plus finding the neighbour (O(log n) worst case, O(1) on
   * average over the nodes: most nodes are near the leaves); O(log n) when it must re-insert.
   * Allocates only when a re-insert must grow the arrays (it cannot: the removal frees a node).
   *
   * @param node - a live node id.
   * @param size - integer in [0, 2^32).
   * @param offset - integer in [0, 2^32); `(size, offset)` must not be another node's key.
   * @returns the node's id after the update (`node` itself when rewritten in place).
   * @throws Error when `(size, offset)` is another node's key (the tree then holds the new key
   *   only once and lacks `node`: the caller broke the unique-key contract).
   */
  update(node: number, size: number, offset: number): number {
    const base = node * NODE_WORDS;
    const keys = this.keys;
    const oldSize = keys[base + SIZE];
    const oldOffset = keys[base + OFFSET];
    let inPlace: boolean;
    if (RedBlackTree.less(oldSize, oldOffset, size, offset)) {
      const next = this.successor(node);
      inPlace =
        next === NIL_NODE ||
        RedBlackTree.less(size, offset, keys[next * NODE_WORDS + SIZE], keys[next * NODE_WORDS + OFFSET]);
    } else {
      const prev = this.predecessor(node);
      inPlace =
        prev === NIL_NODE ||
        RedBlackTree.less(keys[prev * NODE_WORDS + SIZE], keys[prev * NODE_WORDS + OFFSET], size, offset);
    }
    if (inPlace) {
      keys[base + SIZE] = size;
      keys[base + OFFSET] = offset;
      return node;
    }
    this.remove(node);
    return this.insert(size, offset);
  }

  /** The node holding exactly `(size, offset)`, or {@link NIL_NODE}. O(log n). */
  find(size: number, offset: number): number {
    let x = this.root;
    while (x !== NIL_NODE) {
      const xs = this.keys[x * NODE_WORDS + SIZE];
      const xo = this.keys[x * NODE_WORDS + OFFSET];
      if (xs === size && xo === offset) return x;
      x = RedBlackTree.less(size, offset, xs, xo)
        ? this.links[x * NODE_WORDS + LEFT]
        : this.links[x * NODE_WORDS + RIGHT];
    }
    return NIL_NODE;
  }

  /** The node with the smallest key, or {@link NIL_NODE} when empty. O(1) (kept up to date). */
  min(): number {
    return this.minNode;
  }

  /** The node with the largest key, or {@link NIL_NODE} when empty. O(log n). */
  max(): number {
    let x = this.root;
    if (x === NIL_NODE) return NIL_NODE;
    while (this.links[x * NODE_WORDS + RIGHT] !== NIL_NODE) x = this.links[x * NODE_WORDS + RIGHT];
    return x;
  }

  /** The node after `node` in key order, or {@link NIL_NODE} (CLRS `TREE-SUCCESSOR`). O(log n). */
  successor(node: number): number {
    if (this.links[node * NODE_WORDS + RIGHT] !== NIL_NODE)
      return this.minimumUnder(this.links[node * NODE_WORDS + RIGHT]);
    let x = node;
    let y = this.links[x * NODE_WORDS + PARENT];
    while (y !== NIL_NODE && x === this.links[y * NODE_WORDS + RIGHT]) {
      x = y;
      y = this.links[y * NODE_WORDS + PARENT];
    }
    return y;
  }

  /** The node before `node` in key order, or {@link NIL_NODE} (mirror of `TREE-SUCCESSOR`). O(log n). */
  predecessor(node: number): number {
    const links = this.links;
    let x = links[node * NODE_WORDS + LEFT];
    if (x !== NIL_NODE) {
      while (links[x * NODE_WORDS + RIGHT] !== NIL_NODE) x = links[x * NODE_WORDS + RIGHT];
      return x;
    }
    x = node;
    let y = links[x * NODE_WORDS + PARENT];
    while (y !== NIL_NODE && x === links[y * NODE_WORDS + LEFT]) {
      x = y;
      y = links[y * NODE_WORDS + PARENT];
    }
    return y;
  }

  /**
   * Validates the tree in O(n): parent links, strict BST order of `(size, offset)`, black root,
   * no red node with a red child, the same black height on every path, the cached minimum and
   * the node count.
   * @throws CorruptionError listing every violation found.
   */
  check(): void {
    const v = new Violations('RedBlackTree');
    this.validate(v.report);
    v.throwIfAny();
  }

  /**
   * The body of {@link RedBlackTree.check}: reports each violation to `report` and returns
   * whether there was none (then the tree can be walked: `forEach` ends). A node id out of range
   * or more nodes reachable than `size` (a cycle) stop the descent there. O(n).
   */
  validate(report: (violation: string) => void): boolean {
    let found = 0;
    const fail = (violation: string): void => {
      found++;
      report(violation);
    };
    const links = this.links;
    if (links[NIL_NODE * NODE_WORDS + COLOR] !== BLACK) fail('sentinel is not black');
    if (this.root === NIL_NODE) {
      if (this.nodeCount !== 0) fail(`empty tree but size ${this.nodeCount}`);
      if (this.minNode !== NIL_NODE) fail(`empty tree but cached minimum ${this.minNode}`);
      return found === 0;
    }
    if (links[this.root * NODE_WORDS + PARENT] !== NIL_NODE) fail('root has a parent');
    if (links[this.root * NODE_WORDS + COLOR] !== BLACK) fail('root is red');
    // Recursion depth is <= 2 log2(n + 1) in a valid tree; a cycle is cut by the count.
    let seen = 0;
    let stopped = false;
    let prevSize = -1;
    let prevOffset = -1;
    const visit = (x: number): number => {
      if (x === NIL_NODE || stopped) return 1;
      if (x < 1 || x >= this.nextFresh) {
        fail(`node id ${x} out of range`);
        stopped = true;
        return 1;
      }
      if (++seen > this.nodeCount) {
        fail('more nodes reachable than size (cycle?)');
        stopped = true;
        return 1;
      }
      const l = links[x * NODE_WORDS + LEFT];
      const r = links[x * NODE_WORDS + RIGHT];
      if (l !== NIL_NODE && links[l * NODE_WORDS + PARENT] !== x) fail(`bad parent link of ${l}`);
      if (r !== NIL_NODE && links[r * NODE_WORDS + PARENT] !== x) fail(`bad parent link of ${r}`);
      if (
        links[x * NODE_WORDS + COLOR] === RED &&
        (links[l * NODE_WORDS + COLOR] === RED || links[r * NODE_WORDS + COLOR] === RED)
      ) {
        fail(`red node ${x} has a red child`);
      }
      const hl = visit(l);
      // In-order position: keys must strictly increase.
      const s = this.keys[x * NODE_WORDS + SIZE];
      const o = this.keys[x * NODE_WORDS + OFFSET];
      if (prevSize >= 0 && !RedBlackTree.less(prevSize, prevOffset, s, o)) {
        fail(`key (${s}, ${o}) out of order after (${prevSize}, ${prevOffset})`);
      }
      prevSize = s;
      prevOffset = o;
      const hr = visit(r);
      if (hl !== hr && !stopped) fail(`black heights differ under node ${x} (${hl} vs ${hr})`);
      return hl + (links[x * NODE_WORDS + COLOR] === BLACK ? 1 : 0);
    };
    visit(this.root);
    if (stopped) return false;
    if (this.minNode !== this.minimumUnder(this.root)) fail(`cached minimum ${this.minNode} is not the leftmost node`);
    if (seen !== this.nodeCount) fail(`${seen} nodes reachable, size says ${this.nodeCount}`);
    return found === 0;
  }

  /** Black nodes on each path from the root down to the sentinel, root included (0 when empty). O(log n). */
  blackHeight(): number {
    let height = 0;
    for (let x = this.root; x !== NIL_NODE; x = this.links[x * NODE_WORDS + LEFT]) {
      if (this.links[x * NODE_WORDS + COLOR] === BLACK) height++;
    }
    return height;
  }

  /** Visits every node in key order. O(n). Allocates nothing. */
  forEach(visit: (size: number, offset: number, node: number) => void): void {
    for (let x = this.min(); x !== NIL_NODE; x = this.successor(x)) {
      visit(this.keys[x * NODE_WORDS + SIZE], this.keys[x * NODE_WORDS + OFFSET], x);
    }
  }

  // --- CLRS helpers -------------------------------------------------------------------------

  private minimumUnder(node: number): number {
    let x = node;
    while (this.links[x * NODE_WORDS + LEFT] !== NIL_NODE) x = this.links[x * NODE_WORDS + LEFT];
    return x;
  }

  /** CLRS `LEFT-ROTATE`. */
  private rotateLeft(x: number): void {
    const y = this.links[x * NODE_WORDS + RIGHT];
    this.links[x * NODE_WORDS + RIGHT] = this.links[y * NODE_WORDS + LEFT];
    if (this.links[y * NODE_WORDS + LEFT] !== NIL_NODE)
      this.links[this.links[y * NODE_WORDS + LEFT] * NODE_WORDS + PARENT] = x;
    this.links[y * NODE_WORDS + PARENT] = this.links[x * NODE_WORDS + PARENT];
    if (this.links[x * NODE_WORDS + PARENT] === NIL_NODE) this.root = y;
    else if (x === this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + LEFT])
      this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + LEFT] = y;
    else this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + RIGHT] = y;
    this.links[y * NODE_WORDS + LEFT] = x;
    this.links[x * NODE_WORDS + PARENT] = y;
  }

  /** CLRS `RIGHT-ROTATE`. */
  private rotateRight(x: number): void {
    const y = this.links[x * NODE_WORDS + LEFT];
    this.links[x * NODE_WORDS + LEFT] = this.links[y * NODE_WORDS + RIGHT];
    if (this.links[y * NODE_WORDS + RIGHT] !== NIL_NODE)
      this.links[this.links[y * NODE_WORDS + RIGHT] * NODE_WORDS + PARENT] = x;
    this.links[y * NODE_WORDS + PARENT] = this.links[x * NODE_WORDS + PARENT];
    if (this.links[x * NODE_WORDS + PARENT] === NIL_NODE) this.root = y;
    else if (x === this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + RIGHT])
      this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + RIGHT] = y;
    else this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + LEFT] = y;
    this.links[y * NODE_WORDS + RIGHT] = x;
    this.links[x * NODE_WORDS + PARENT] = y;
  }

  /** CLRS `RB-INSERT-FIXUP`. */
  private insertFixup(node: number): void {
    let z = node;
    while (this.links[this.links[z * NODE_WORDS + PARENT] * NODE_WORDS + COLOR] === RED) {
      const p = this.links[z * NODE_WORDS + PARENT];
      const g = this.links[p * NODE_WORDS + PARENT];
      if (p === this.links[g * NODE_WORDS + LEFT]) {
        const y = this.links[g * NODE_WORDS + RIGHT];
        if (this.links[y * NODE_WORDS + COLOR] === RED) {
          this.links[p * NODE_WORDS + COLOR] = BLACK;
          this.links[y * NODE_WORDS + COLOR] = BLACK;
          this.links[g * NODE_WORDS + COLOR] = RED;
          z = g;
        } else {
          if (z === this.links[p * NODE_WORDS + RIGHT]) {
            z = p;
            this.rotateLeft(z);
          }
          this.links[this.links[z * NODE_WORDS + PARENT] * NODE_WORDS + COLOR] = BLACK;
          this.links[this.links[this.links[z * NODE_WORDS + PARENT] * NODE_WORDS + PARENT] * NODE_WORDS + COLOR] = RED;
          this.rotateRight(this.links[this.links[z * NODE_WORDS + PARENT] * NODE_WORDS + PARENT]);
        }
      } else {
        const y = this.links[g * NODE_WORDS + LEFT];
        if (this.links[y * NODE_WORDS + COLOR] === RED) {
          this.links[p * NODE_WORDS + COLOR] = BLACK;
          this.links[y * NODE_WORDS + COLOR] = BLACK;
          this.links[g * NODE_WORDS + COLOR] = RED;
          z = g;
        } else {
          if (z === this.links[p * NODE_WORDS + LEFT]) {
            z = p;
            this.rotateRight(z);
          }
          this.links[this.links[z * NODE_WORDS + PARENT] * NODE_WORDS + COLOR] = BLACK;
          this.links[this.links[this.links[z * NODE_WORDS + PARENT] * NODE_WORDS + PARENT] * NODE_WORDS + COLOR] = RED;
          this.rotateLeft(this.links[this.links[z * NODE_WORDS + PARENT] * NODE_WORDS + PARENT]);
        }
      }
    }
    this.links[this.root * NODE_WORDS + COLOR] = BLACK;
  }

  /** CLRS `RB-TRANSPLANT`: puts `v` where `u` was (sets `v.p` even for the sentinel). */
  private transplant(u: number, v: number): void {
    const pu = this.links[u * NODE_WORDS + PARENT];
    if (pu === NIL_NODE) this.root = v;
    else if (u === this.links[pu * NODE_WORDS + LEFT]) this.links[pu * NODE_WORDS + LEFT] = v;
    else this.links[pu * NODE_WORDS + RIGHT] = v;
    this.links[v * NODE_WORDS + PARENT] = pu;
  }

  /** CLRS `RB-DELETE-FIXUP`. */
  private deleteFixup(node: number): void {
    let x = node;
    while (x !== this.root && this.links[x * NODE_WORDS + COLOR] === BLACK) {
      const p = this.links[x * NODE_WORDS + PARENT];
      if (x === this.links[p * NODE_WORDS + LEFT]) {
        let w = this.links[p * NODE_WORDS + RIGHT];
        if (this.links[w * NODE_WORDS + COLOR] === RED) {
          this.links[w * NODE_WORDS + COLOR] = BLACK;
          this.links[p * NODE_WORDS + COLOR] = RED;
          this.rotateLeft(p);
          w = this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + RIGHT];
        }
        if (
          this.links[this.links[w * NODE_WORDS + LEFT] * NODE_WORDS + COLOR] === BLACK &&
          this.links[this.links[w * NODE_WORDS + RIGHT] * NODE_WORDS + COLOR] === BLACK
        ) {
          this.links[w * NODE_WORDS + COLOR] = RED;
          x = this.links[x * NODE_WORDS + PARENT];
        } else {
          if (this.links[this.links[w * NODE_WORDS + RIGHT] * NODE_WORDS + COLOR] === BLACK) {
            this.links[this.links[w * NODE_WORDS + LEFT] * NODE_WORDS + COLOR] = BLACK;
            this.links[w * NODE_WORDS + COLOR] = RED;
            this.rotateRight(w);
            w = this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + RIGHT];
          }
          this.links[w * NODE_WORDS + COLOR] = this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + COLOR];
          this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + COLOR] = BLACK;
          this.links[this.links[w * NODE_WORDS + RIGHT] * NODE_WORDS + COLOR] = BLACK;
          this.rotateLeft(this.links[x * NODE_WORDS + PARENT]);
          x = this.root;
        }
      } else {
        let w = this.links[p * NODE_WORDS + LEFT];
        if (this.links[w * NODE_WORDS + COLOR] === RED) {
          this.links[w * NODE_WORDS + COLOR] = BLACK;
          this.links[p * NODE_WORDS + COLOR] = RED;
          this.rotateRight(p);
          w = this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + LEFT];
        }
        if (
          this.links[this.links[w * NODE_WORDS + RIGHT] * NODE_WORDS + COLOR] === BLACK &&
          this.links[this.links[w * NODE_WORDS + LEFT] * NODE_WORDS + COLOR] === BLACK
        ) {
          this.links[w * NODE_WORDS + COLOR] = RED;
          x = this.links[x * NODE_WORDS + PARENT];
        } else {
          if (this.links[this.links[w * NODE_WORDS + LEFT] * NODE_WORDS + COLOR] === BLACK) {
            this.links[this.links[w * NODE_WORDS + RIGHT] * NODE_WORDS + COLOR] = BLACK;
            this.links[w * NODE_WORDS + COLOR] = RED;
            this.rotateLeft(w);
            w = this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + LEFT];
          }
          this.links[w * NODE_WORDS + COLOR] = this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + COLOR];
          this.links[this.links[x * NODE_WORDS + PARENT] * NODE_WORDS + COLOR] = BLACK;
          this.links[this.links[w * NODE_WORDS + LEFT] * NODE_WORDS + COLOR] = BLACK;
          this.rotateRight(this.links[x * NODE_WORDS + PARENT]);
          x = this.root;
        }
      }
    }
    this.links[x * NODE_WORDS + COLOR] = BLACK;
  }

  // --- node storage -------------------------------------------------------------------------

  private newNode(): number {
    if (this.freeHead !== NIL_NODE) {
      const id = this.freeHead;
      this.freeHead = this.links[id * NODE_WORDS + LEFT];
      return id;
    }
    if (this.nextFresh >= this.links.length / NODE_WORDS) this.grow();
    return this.nextFresh++;
  }

  private releaseNode(id: number): void {
    this.links[id * NODE_WORDS + LEFT] = this.freeHead;
    this.links[id * NODE_WORDS + RIGHT] = NIL_NODE;
    this.links[id * NODE_WORDS + PARENT] = NIL_NODE;
    this.freeHead = id;
  }

  /** Doubles the node storage (the only allocation the tree makes); node ids are kept. */
  private grow(): void {
    const links = new Int32Array(this.links.length * 2);
    links.set(this.links);
    this.links = links;
    this.keys = new Uint32Array(links.buffer);
  }
}
