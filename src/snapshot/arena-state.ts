// biome-ignore-all lint/complexity/useLiteralKeys: the parts read the arenas' private fields by element access, which TypeScript checks against each class (see state-parts.ts)
/**
 * The state of every arena, as {@link StateParts}: the managed bytes of the buffer, the
 * bookkeeping arrays outside it, and the counters.
 *
 * | arena | sections | counters |
 * |---|---|---|
 * | `BuddyArena` | managed bytes, tree (1 byte a node), requested sizes | the 9 stats counters |
 * | `SlabArena` | managed bytes, free stack, state words | free top, requested, low-water free top, frees, failed allocs |
 * | `FreeListArena` | managed bytes (tags and free links live there), live map | the 10 stats counters, list head, rover, largest-free cache |
 * | `TreeArena` | managed bytes, live map, bin bitmap, tree headers, the used nodes of each of the 256 bin trees and of the large tree | the 10 stats counters |
 *
 * A tree's saved nodes are ids `1 .. nextFresh - 1` (its high-water mark, free ids included; the
 * sentinel and the never-used capacity are not state), so two arenas in the same state save the
 * same bytes whatever capacity their trees grew to. Loading grows a tree that is too small for the
 * saved nodes (allocation; never when loading a state the same arena saved, since trees never
 * shrink) and makes a bin's tree when the saved state uses a size the arena has not seen.
 *
 * @module
 */
import type { BuddyArena } from '../arena/buddy-arena.js';
import type { ArenaChassis } from '../arena/chassis.js';
import type { BoundaryTagArena } from '../arena/boundary-tags.js';
import type { FreeListArena } from '../arena/free-list-arena.js';
import { RedBlackTree } from '../arena/rb-tree.js';
import type { SlabArena } from '../arena/slab-arena.js';
import type { TreeArena } from '../arena/tree-arena.js';
import { NULL_OFFSET } from '../errors.js';
import { PartsBase, bytesOf, cachedParts } from './state-parts.js';
import { STATE_KINDS, isCount, type IncomingRecord, type StateParts } from './state-record.js';

/** The managed bytes of an arena's buffer, `[0, capacityBytes)`. */
function managedBytes(arena: ArenaChassis): Uint8Array {
  return arena.u8.subarray(0, arena.capacityBytes);
}

/** Options every arena's state depends on, in words. */
function commonOptions(arena: ArenaChassis): string {
  return `sizeBytes=${arena.capacityBytes} alignBytes=${arena.alignBytes}`;
}

// ---- BuddyArena -----------------------------------------------------------------------------

const BUDDY_COUNTERS = [
  'usedBytes',
  'freeBytes',
  'liveBlocks',
  'freeBlocks',
  'requestedBytes',
  'peakUsedBytes',
  'allocCount',
  'freeCount',
  'failedAllocCount',
] as const;

class BuddyParts extends PartsBase {
  private readonly views: Uint8Array[];

  constructor(private readonly arena: BuddyArena) {
    super(
      STATE_KINDS.BuddyArena,
      'BuddyArena',
      `${commonOptions(arena)} minBlockBytes=${arena.minBlockBytes}`,
      BUDDY_COUNTERS,
      ['buffer', 'tree', 'requested'],
    );
    this.views = [managedBytes(arena), arena['tree'], arena['requested']['r8']];
  }

  readCounters(): void {
    const a = this.arena;
    const c = this.counters;
    c[0] = a['usedBytes'];
    c[1] = a['freeBytes'];
    c[2] = a['liveBlocks'];
    c[3] = a['freeBlocks'];
    c[4] = a['requestedBytes'];
    c[5] = a['peakUsedBytes'];
    c[6] = a['allocCount'];
    c[7] = a['freeCount'];
    c[8] = a['failedAllocCount'];
  }

  sectionView(i: number): Uint8Array {
    return this.views[i];
  }

  sectionBytes(i: number): number {
    return this.views[i].length;
  }

  validate(incoming: IncomingRecord): string {
    const c = incoming.counters;
    const a = this.arena;
    return (
      this.fixedSections(incoming, 0, 2) ||
      this.allCounts(incoming) ||
      (c[0] + c[1] + a.reservedBytes !== a.capacityBytes
        ? `usedBytes + freeBytes + reservedBytes != ${a.capacityBytes}`
        : '') ||
      (c[6] - c[7] !== c[2] ? `allocCount - freeCount != liveBlocks` : '') ||
      (c[5] < c[0] ? 'peakUsedBytes below usedBytes' : '')
    );
  }

  writeCounters(incoming: IncomingRecord): void {
    const a = this.arena;
    const c = incoming.counters;
    a['usedBytes'] = c[0];
    a['freeBytes'] = c[1];
    a['liveBlocks'] = c[2];
    a['freeBlocks'] = c[3];
    a['requestedBytes'] = c[4];
    a['peakUsedBytes'] = c[5];
    a['allocCount'] = c[6];
    a['freeCount'] = c[7];
    a['failedAllocCount'] = c[8];
  }
}

// ---- SlabArena ------------------------------------------------------------------------------

class SlabParts extends PartsBase {
  private readonly views: Uint8Array[];

  constructor(private readonly arena: SlabArena) {
    super(
      STATE_KINDS.SlabArena,
      'SlabArena',
      `${commonOptions(arena)} blockBytes=${arena.blockBytes}`,
      ['freeTop', 'requestedBytes', 'minFreeTop', 'freeCount', 'failedAllocCount'],
      ['buffer', 'freeStack', 'state'],
    );
    this.views = [managedBytes(arena), bytesOf(arena['freeStack']), bytesOf(arena['state'])];
  }

  readCounters(): void {
    const a = this.arena;
    const c = this.counters;
    c[0] = a['freeTop'];
    c[1] = a['requestedBytes'];
    c[2] = a['minFreeTop'];
    c[3] = a['freeCount'];
    c[4] = a['failedAllocCount'];
  }

  sectionView(i: number): Uint8Array {
    return this.views[i];
  }

  sectionBytes(i: number): number {
    return this.views[i].length;
  }

  validate(incoming: IncomingRecord): string {
    const c = incoming.counters;
    return (
      this.fixedSections(incoming, 0, 2) ||
      this.allCounts(incoming) ||
      this.countIn(incoming, 0, 0, this.arena.blockCount) ||
      this.countIn(incoming, 2, 0, c[0])
    );
  }

  writeCounters(incoming: IncomingRecord): void {
    const a = this.arena;
    const c = incoming.counters;
    a['freeTop'] = c[0];
    a['requestedBytes'] = c[1];
    a['minFreeTop'] = c[2];
    a['freeCount'] = c[3];
    a['failedAllocCount'] = c[4];
  }
}

// ---- the boundary-tag arenas ------------------------------------------------------------------

/** The counters of `BoundaryTagArena`, saved first by both boundary-tag arenas. */
const TAG_COUNTERS = [
  'usedBytes',
  'freeBytes',
  'liveBlocks',
  'freeBlocks',
  'requestedBytes',
  'grantedBytes',
  'peakUsedBytes',
  'allocCount',
  'freeCount',
  'failedAllocCount',
] as const;

/** Sections 0 and 1 of both boundary-tag arenas: the managed bytes and the live map. */
function tagViews(arena: BoundaryTagArena): Uint8Array[] {
  return [managedBytes(arena), bytesOf(arena['liveMap']['words'])];
}

function readTagCounters(a: BoundaryTagArena, c: Float64Array): void {
  c[0] = a['usedBytes'];
  c[1] = a['freeBytes'];
  c[2] = a['liveBlocks'];
  c[3] = a['freeBlocks'];
  c[4] = a['requestedBytes'];
  c[5] = a['grantedBytes'];
  c[6] = a['peakUsedBytes'];
  c[7] = a['allocCount'];
  c[8] = a['freeCount'];
  c[9] = a['failedAllocCount'];
}

function writeTagCounters(a: BoundaryTagArena, c: Float64Array): void {
  a['usedBytes'] = c[0];
  a['freeBytes'] = c[1];
  a['liveBlocks'] = c[2];
  a['freeBlocks'] = c[3];
  a['requestedBytes'] = c[4];
  a['grantedBytes'] = c[5];
  a['peakUsedBytes'] = c[6];
  a['allocCount'] = c[7];
  a['freeCount'] = c[8];
  a['failedAllocCount'] = c[9];
}

/** `''` when the boundary-tag counters of `incoming` are consistent, else what is not. */
function tagCountersProblem(a: BoundaryTagArena, c: Float64Array): string {
  for (let i = 0; i < TAG_COUNTERS.length; i++) {
    if (!isCount(c[i], 0, Number.MAX_SAFE_INTEGER)) return `${TAG_COUNTERS[i]} ${c[i]} is not a count`;
  }
  if (c[0] + c[1] + a.reservedBytes !== a.capacityBytes)
    return `usedBytes + freeBytes + reservedBytes != ${a.capacityBytes}`;
  if (c[7] - c[8] !== c[2]) return 'allocCount - freeCount != liveBlocks';
  if (c[6] < c[0]) return 'peakUsedBytes below usedBytes';
  return '';
}

class FreeListParts extends PartsBase {
  private readonly views: Uint8Array[];

  constructor(private readonly arena: FreeListArena) {
    super(
      STATE_KINDS.FreeListArena,
      'FreeListArena',
      `${commonOptions(arena)} fit=${arena.fit}`,
      [...TAG_COUNTERS, 'head', 'rover', 'largestKnown', 'largestStale'],
      ['buffer', 'liveMap'],
    );
    this.views = tagViews(arena);
  }

  /**
   * The largest-free cache is made exact first (a list pass when stale): whether `stats()` was
   * called since does not change what the arena does next, and must not change its saved bytes.
   */
  readCounters(): void {
    const a = this.arena;
    const c = this.counters;
    a['indexLargest']();
    readTagCounters(a, c);
    c[10] = a['head'];
    c[11] = a['rover'];
    c[12] = a['largestKnown'];
    c[13] = a['largestStale'] ? 1 : 0;
  }

  sectionView(i: number): Uint8Array {
    return this.views[i];
  }

  sectionBytes(i: number): number {
    return this.views[i].length;
  }

  validate(incoming: IncomingRecord): string {
    const a = this.arena;
    const end = a.capacityBytes - 1;
    return (
      this.fixedSections(incoming, 0, 1) ||
      tagCountersProblem(a, incoming.counters) ||
      this.countIn(incoming, 10, NULL_OFFSET, end) ||
      this.countIn(incoming, 11, NULL_OFFSET, end) ||
      this.countIn(incoming, 12, 0, a.capacityBytes) ||
      this.countIn(incoming, 13, 0, 1)
    );
  }

  writeCounters(incoming: IncomingRecord): void {
    const a = this.arena;
    const c = incoming.counters;
    writeTagCounters(a, c);
    a['head'] = c[10];
    a['rover'] = c[11];
    a['largestKnown'] = c[12];
    a['largestStale'] = c[13] === 1;
  }
}

// ---- TreeArena --------------------------------------------------------------------------------

/** Int32 words a tree's header takes in the tree-header section. */
const TREE_HEADER_WORDS = 5;
/** Word order in a tree header. */
const ROOT = 0;
const MIN_NODE = 1;
const FREE_HEAD = 2;
const NEXT_FRESH = 3;
const NODE_COUNT = 4;
/** Bytes of one tree node record (`RedBlackTree`'s 8 int32 words). */
const NODE_BYTES = 32;
/** Largest node id a tree can hold, plus one. */
const MAX_NEXT_FRESH = 2 ** 28 + 1;
/** Sections before the per-tree node sections. */
const TREE_FIRST_NODES = 4;

class TreeParts extends PartsBase {
  private readonly fixedViews: Uint8Array[];
  /** Tree headers, `TREE_HEADER_WORDS` words per tree (bins, then the large tree). */
  private readonly headers: Int32Array;
  private readonly headerBytes: Uint8Array;
  /** Bins plus the large tree. */
  private readonly treeCount: number;
  /** Per tree: a byte view of its node records from node 1, and the array it was made over. */
  private readonly nodeViews: Uint8Array[];
  private readonly nodeSources: Int32Array[];

  /**
   * @param arena - the arena.
   * @param emptyBin - the tree every unused bin of every `TreeArena` shares (never written).
   */
  constructor(
    private readonly arena: TreeArena,
    private readonly emptyBin: RedBlackTree,
  ) {
    const bins = arena['bins'].length;
    const treeNames = [...Array.from({ length: bins }, (_, g) => `bin ${g} nodes`), 'large tree nodes'];
    super(STATE_KINDS.TreeArena, 'TreeArena', commonOptions(arena), TAG_COUNTERS, [
      'buffer',
      'liveMap',
      'binMap',
      'tree headers',
      ...treeNames,
    ]);
    this.headers = new Int32Array((bins + 1) * TREE_HEADER_WORDS);
    this.headerBytes = bytesOf(this.headers);
    this.fixedViews = [...tagViews(arena), bytesOf(arena['binMap']), this.headerBytes];
    this.treeCount = bins + 1;
    this.nodeViews = [];
    this.nodeSources = [];
    for (let t = 0; t <= bins; t++) {
      this.nodeViews.push(new Uint8Array(0));
      this.nodeSources.push(new Int32Array(0));
    }
  }

  /** Tree `t`: bin `t`, or the large tree for the last index. */
  private treeAt(t: number): RedBlackTree {
    const bins = this.arena['bins'];
    return t < bins.length ? bins[t] : this.arena['large'];
  }

  readCounters(): void {
    readTagCounters(this.arena, this.counters);
    const h = this.headers;
    for (let t = 0; t < this.treeCount; t++) {
      const tree = this.treeAt(t);
      const w = t * TREE_HEADER_WORDS;
      h[w + ROOT] = tree['root'];
      h[w + MIN_NODE] = tree['minNode'];
      h[w + FREE_HEAD] = tree['freeHead'];
      h[w + NEXT_FRESH] = tree['nextFresh'];
      h[w + NODE_COUNT] = tree['nodeCount'];
    }
  }

  sectionView(i: number): Uint8Array {
    if (i < TREE_FIRST_NODES) return this.fixedViews[i];
    const t = i - TREE_FIRST_NODES;
    const links = this.treeAt(t)['links'];
    if (this.nodeSources[t] !== links) {
      // The tree grew (or a bin's tree was made) since the last view: once per growth.
      this.nodeSources[t] = links;
      this.nodeViews[t] = new Uint8Array(links.buffer, links.byteOffset + NODE_BYTES);
    }
    return this.nodeViews[t];
  }

  sectionBytes(i: number): number {
    if (i < TREE_FIRST_NODES) return this.fixedViews[i].length;
    return (this.treeAt(i - TREE_FIRST_NODES)['nextFresh'] - 1) * NODE_BYTES;
  }

  validate(incoming: IncomingRecord): string {
    const fixed = this.fixedSections(incoming, 0, TREE_FIRST_NODES - 1);
    if (fixed !== '') return fixed;
    const counters = tagCountersProblem(this.arena, incoming.counters);
    if (counters !== '') return counters;
    for (let t = 0; t < this.treeCount; t++) {
      const w = t * TREE_HEADER_WORDS;
      const nextFresh = incoming.i32(3, w + NEXT_FRESH);
      const name = this.sectionNames[TREE_FIRST_NODES + t];
      if (!(nextFresh >= 1 && nextFresh <= MAX_NEXT_FRESH)) return `${name}: next id ${nextFresh} out of range`;
      if (incoming.sectionBytes[TREE_FIRST_NODES + t] !== (nextFresh - 1) * NODE_BYTES) {
        return `${name}: ${incoming.sectionBytes[TREE_FIRST_NODES + t]} bytes of nodes for ${nextFresh - 1} node ids`;
      }
      for (const k of [ROOT, MIN_NODE, FREE_HEAD]) {
        const id = incoming.i32(3, w + k);
        if (!(id >= 0 && id < nextFresh)) return `${name}: node id ${id} out of range [0, ${nextFresh})`;
      }
      const count = incoming.i32(3, w + NODE_COUNT);
      if (!(count >= 0 && count < nextFresh)) return `${name}: ${count} nodes with ${nextFresh - 1} ids`;
    }
    return '';
  }

  /** Makes every tree hold the saved node ids: a bin's tree where the arena has none, growth. */
  override prepare(incoming: IncomingRecord): void {
    const bins = this.arena['bins'];
    for (let t = 0; t < this.treeCount; t++) {
      const nodes = incoming.i32(3, t * TREE_HEADER_WORDS + NEXT_FRESH) - 1;
      if (nodes === 0) continue;
      let tree = this.treeAt(t);
      if (tree === this.emptyBin) {
        tree = new RedBlackTree(Math.max(nodes, 4));
        bins[t] = tree;
      }
      while (tree.capacity < nodes) tree['grow']();
    }
  }

  /** Sets each tree's header from the copied header section (the nodes are copied already). */
  writeCounters(incoming: IncomingRecord): void {
    writeTagCounters(this.arena, incoming.counters);
    const h = this.headers;
    for (let t = 0; t < this.treeCount; t++) {
      const tree = this.treeAt(t);
      const w = t * TREE_HEADER_WORDS;
      if (tree === this.emptyBin) continue; // nothing saved in it (prepare made a tree otherwise)
      tree['root'] = h[w + ROOT];
      tree['minNode'] = h[w + MIN_NODE];
      tree['freeHead'] = h[w + FREE_HEAD];
      tree['nextFresh'] = h[w + NEXT_FRESH];
      tree['nodeCount'] = h[w + NODE_COUNT];
    }
  }
}

/** The state parts of a `BuddyArena`, made once per arena. */
export function buddyStateParts(arena: BuddyArena): StateParts {
  return cachedParts(arena, (a) => new BuddyParts(a));
}

/** The state parts of a `SlabArena`, made once per arena. */
export function slabStateParts(arena: SlabArena): StateParts {
  return cachedParts(arena, (a) => new SlabParts(a));
}

/** The state parts of a `FreeListArena`, made once per arena. */
export function freeListStateParts(arena: FreeListArena): StateParts {
  return cachedParts(arena, (a) => new FreeListParts(a));
}

/**
 * The state parts of a `TreeArena`, made once per arena. `emptyBin` is the tree its unused bins
 * share (passed in, so this module imports no arena class: the arenas import it).
 */
export function treeStateParts(arena: TreeArena, emptyBin: RedBlackTree): StateParts {
  return cachedParts(arena, (a) => new TreeParts(a, emptyBin));
}
