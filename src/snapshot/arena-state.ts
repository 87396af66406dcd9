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
 * | `TreeArena` | managed bytes, live map, bin bitmap, the trees (each tree's header, then the used nodes of the 256 bin trees and of the large tree, packed) | the 10 stats counters |
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
import { ByteScratch } from './scratch.js';
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

/** Int32 words a tree's header takes at the start of the trees section. */
const TREE_HEADER_WORDS = 5;
/** Word order in a tree header (root, cached minimum and free-id head are consecutive). */
const ROOT = 0;
const MIN_NODE = 1;
const FREE_HEAD = 2;
const NEXT_FRESH = 3;
const NODE_COUNT = 4;
/** Int32 words of one tree node record (`RedBlackTree`'s layout). */
const NODE_WORDS = 8;
/** Largest node id a tree can hold, plus one. */
const MAX_NEXT_FRESH = 2 ** 28 + 1;
/** Most bytes the trees scratch reserves up front. */
const MAX_RESERVED_BYTES = 2 ** 26;
/** The trees section's index. */
const TREES = 3;

/**
 * `TreeArena`'s parts. Its 256 bin trees and the large tree go into one packed section (257
 * headers, then each tree's used node records in order), built in a {@link ByteScratch} on save
 * and unpacked from it on load: one section instead of 257 keeps a save's fixed cost low.
 */
class TreeParts extends PartsBase {
  private readonly fixedViews: Uint8Array[];
  /** The packed trees section. */
  private readonly packed: ByteScratch;
  /** Bins plus the large tree. */
  private readonly treeCount: number;

  /**
   * @param arena - the arena.
   * @param emptyBin - the tree every unused bin of every `TreeArena` shares (never written).
   */
  constructor(
    private readonly arena: TreeArena,
    private readonly emptyBin: RedBlackTree,
  ) {
    super(STATE_KINDS.TreeArena, 'TreeArena', commonOptions(arena), TAG_COUNTERS, [
      'buffer',
      'liveMap',
      'binMap',
      'trees',
    ]);
    this.treeCount = arena['bins'].length + 1;
    this.fixedViews = [...tagViews(arena), bytesOf(arena['binMap'])];
    // Reserved (not committed): room for as many nodes as the arena can have free blocks at once,
    // up to 64 MiB; a larger state grows the scratch (one allocation).
    const headerBytes = this.treeCount * TREE_HEADER_WORDS * 4;
    const nodeBytes = Math.ceil(arena.capacityBytes / arena.minBlockBytes + 16) * NODE_WORDS * 4;
    this.packed = new ByteScratch(Math.min(headerBytes + nodeBytes, MAX_RESERVED_BYTES));
  }

  /** Tree `t`: bin `t`, or the large tree for the last index. */
  private treeAt(t: number): RedBlackTree {
    const bins = this.arena['bins'];
    return t < bins.length ? bins[t] : this.arena['large'];
  }

  /** Packs every tree's header and used nodes into the scratch. O(trees + nodes). */
  readCounters(): void {
    readTagCounters(this.arena, this.counters);
    this.packed.resize(this.sectionBytes(TREES));
    const words = this.packed.words;
    let w = this.treeCount * TREE_HEADER_WORDS;
    for (let t = 0; t < this.treeCount; t++) {
      const tree = this.treeAt(t);
      const h = t * TREE_HEADER_WORDS;
      const nextFresh = tree['nextFresh'];
      words[h + ROOT] = tree['root'];
      words[h + MIN_NODE] = tree['minNode'];
      words[h + FREE_HEAD] = tree['freeHead'];
      words[h + NEXT_FRESH] = nextFresh;
      words[h + NODE_COUNT] = tree['nodeCount'];
      const links = tree['links'];
      const end = nextFresh * NODE_WORDS;
      for (let k = NODE_WORDS; k < end; k++) words[w++] = links[k]; // nodes 1 .. nextFresh - 1
    }
  }

  sectionView(i: number): Uint8Array {
    return i < TREES ? this.fixedViews[i] : this.packed.bytes;
  }

  sectionBytes(i: number): number {
    if (i < TREES) return this.fixedViews[i].length;
    let words = this.treeCount * TREE_HEADER_WORDS;
    for (let t = 0; t < this.treeCount; t++) words += (this.treeAt(t)['nextFresh'] - 1) * NODE_WORDS;
    return words * 4;
  }

  validate(incoming: IncomingRecord): string {
    const fixed = this.fixedSections(incoming, 0, TREES - 1);
    if (fixed !== '') return fixed;
    const counters = tagCountersProblem(this.arena, incoming.counters);
    if (counters !== '') return counters;
    let words = this.treeCount * TREE_HEADER_WORDS;
    if (incoming.sectionBytes[TREES] < words * 4) return `trees section of ${incoming.sectionBytes[TREES]} bytes`;
    for (let t = 0; t < this.treeCount; t++) {
      const h = t * TREE_HEADER_WORDS;
      const nextFresh = incoming.i32(TREES, h + NEXT_FRESH);
      if (!(nextFresh >= 1 && nextFresh <= MAX_NEXT_FRESH)) return `tree ${t}: next id ${nextFresh} out of range`;
      for (let k = ROOT; k <= FREE_HEAD; k++) {
        const id = incoming.i32(TREES, h + k);
        if (!(id >= 0 && id < nextFresh)) return `tree ${t}: node id ${id} out of range [0, ${nextFresh})`;
      }
      const count = incoming.i32(TREES, h + NODE_COUNT);
      if (!(count >= 0 && count < nextFresh)) return `tree ${t}: ${count} nodes with ${nextFresh - 1} ids`;
      words += (nextFresh - 1) * NODE_WORDS;
    }
    if (words * 4 !== incoming.sectionBytes[TREES]) {
      return `trees section of ${incoming.sectionBytes[TREES]} bytes, its headers say ${words * 4}`;
    }
    return '';
  }

  /**
   * Makes every tree able to hold its saved node ids (a bin's tree where the arena has none,
   * growth) and the scratch the packed section's length.
   */
  override prepare(incoming: IncomingRecord): void {
    const bins = this.arena['bins'];
    for (let t = 0; t < this.treeCount; t++) {
      const nodes = incoming.i32(TREES, t * TREE_HEADER_WORDS + NEXT_FRESH) - 1;
      if (nodes === 0) continue;
      let tree = this.treeAt(t);
      if (tree === this.emptyBin) {
        tree = new RedBlackTree(Math.max(nodes, 4));
        bins[t] = tree;
      }
      while (tree.capacity < nodes) tree['grow']();
    }
    this.packed.resize(incoming.sectionBytes[TREES]);
  }

  /** Unpacks every tree's header and nodes from the copied trees section. O(trees + nodes). */
  writeCounters(incoming: IncomingRecord): void {
    writeTagCounters(this.arena, incoming.counters);
    const words = this.packed.words;
    let w = this.treeCount * TREE_HEADER_WORDS;
    for (let t = 0; t < this.treeCount; t++) {
      const tree = this.treeAt(t);
      const h = t * TREE_HEADER_WORDS;
      const nextFresh = words[h + NEXT_FRESH];
      if (tree === this.emptyBin) continue; // nothing saved in it (prepare made a tree otherwise)
      tree['root'] = words[h + ROOT];
      tree['minNode'] = words[h + MIN_NODE];
      tree['freeHead'] = words[h + FREE_HEAD];
      tree['nextFresh'] = nextFresh;
      tree['nodeCount'] = words[h + NODE_COUNT];
      const links = tree['links'];
      const end = nextFresh * NODE_WORDS;
      for (let k = NODE_WORDS; k < end; k++) links[k] = words[w++];
    }
  }
}

/** The state parts of a `BuddyArena`, made once per arena. */
export function buddyStateParts(arena: BuddyArena): StateParts {
  return cachedParts(arena, BuddyParts);
}

/** The state parts of a `SlabArena`, made once per arena. */
export function slabStateParts(arena: SlabArena): StateParts {
  return cachedParts(arena, SlabParts);
}

/** The state parts of a `FreeListArena`, made once per arena. */
export function freeListStateParts(arena: FreeListArena): StateParts {
  return cachedParts(arena, FreeListParts);
}

/**
 * The state parts of a `TreeArena`, made once per arena. `emptyBin` is the tree its unused bins
 * share (passed in, so this module imports no arena class: the arenas import it).
 */
export function treeStateParts(arena: TreeArena, emptyBin: RedBlackTree): StateParts {
  return cachedParts(arena, TreeParts, emptyBin);
}
