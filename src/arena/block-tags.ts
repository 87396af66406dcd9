/**
 * The boundary-tag block layout of `FreeListArena` and `TreeArena`: where a block's
 * tags sit inside the buffer, and the walk that validates a heap of such blocks.
 *
 * Layout (all words little-endian `u32`, offsets in bytes):
 * ```
 * block start b                   b + 8 = payload (returned)       b + size - 8
 * | HDR_SIZE | HDR_TAG |  payload ... (user data, or free links)  | FTR_SIZE | FTR_REQUESTED |
 * ```
 * - `HDR_SIZE` / `FTR_SIZE`: the whole block size in bytes (tags included), a multiple of
 *   `alignBytes`, at least `minBlockBytes`. Sizes never share a word with
 *   a flag, so a block of 16 MiB or 1 GiB reads back as exactly that (the conformance test
 *   'C11 big free gaps ... stay free' in `test/arena/conformance.ts`).
 * - `HDR_TAG`: {@link TAG_USED} or {@link TAG_FREE}, a magic word (not a bit).
 * - `FTR_REQUESTED`: the bytes the caller asked for (live block), 0 in a free block.
 * - A free block's first payload words belong to the free index (links or a tree node id).
 *
 * Source: Knuth, *TAOCP* vol. 1, 2.5 (boundary-tag method, Algorithm C).
 *
 * @module
 */
import type { LiveMap } from './live-map.js';

/** Magic word in `HDR_TAG` of a live block. */
export const TAG_USED = 0xa110c8ed;
/** Magic word in `HDR_TAG` of a free block. */
export const TAG_FREE = 0xf4eeb10c;
/** Bytes of the header (`HDR_SIZE`, `HDR_TAG`). */
export const HEADER_BYTES = 8;
/** Bytes of the footer (`FTR_SIZE`, `FTR_REQUESTED`). */
export const FOOTER_BYTES = 8;
/** Header plus footer: a block's usable bytes are its size minus this. */
export const TAG_BYTES = HEADER_BYTES + FOOTER_BYTES;
/** Payload bytes a free block needs for the free index (two links, or a node id and spare). */
export const FREE_LINK_BYTES = 8;
/** Word offsets (in `u32` words) inside a block, from the block start. */
export const HDR_SIZE = 0;
export const HDR_TAG = 1;
/** Word offsets of the footer, from the footer start (`b + size - FOOTER_BYTES`). */
export const FTR_SIZE = 0;
export const FTR_REQUESTED = 1;

/** Where the blocks of a boundary-tag heap lie, as {@link checkBlocks} needs it. */
export interface BlockHeap {
  /** Start of the first block. */
  readonly firstBlock: number;
  /** End of the last block (exclusive). */
  readonly heapEnd: number;
  /** Smallest whole block. */
  readonly minBlockBytes: number;
  /** Every block size is a multiple of it. */
  readonly alignBytes: number;
}

/** What {@link checkBlocks} found. Sizes are whole blocks (tags included). */
export interface BlockTotals {
  usedBytes: number;
  freeBytes: number;
  liveBlocks: number;
  freeBlocks: number;
  requestedBytes: number;
  largestFreeBytes: number;
  /** Start of every free block the walk found. */
  freeStarts: Set<number>;
  /** False when a bad size stopped the walk: the sums cover the blocks before it only. */
  complete: boolean;
}

/**
 * Walks the blocks of `heap` in address order and reports each violation of the layout: a size
 * that is not a multiple of `alignBytes`, below the minimum or past the end (the walk stops
 * there), header and footer sizes that differ, a tag that disagrees with `liveMap`, a live block
 * recording 0 or more requested bytes than it holds, a free block recording any, two adjacent
 * free blocks (coalescing incomplete), blocks that do not end at `heapEnd`, and live-map bits
 * that are not at a live payload. O(blocks + live-map words); allocates the set of free starts.
 *
 * @param report - receives each violation (it may throw).
 */
export function checkBlocks(
  u32: Uint32Array,
  liveMap: LiveMap,
  heap: BlockHeap,
  report: (message: string) => void,
): BlockTotals {
  const totals: BlockTotals = {
    usedBytes: 0,
    freeBytes: 0,
    liveBlocks: 0,
    freeBlocks: 0,
    requestedBytes: 0,
    largestFreeBytes: 0,
    freeStarts: new Set<number>(),
    complete: false,
  };
  let prevFree = false;
  let b = heap.firstBlock;
  while (b < heap.heapEnd) {
    const size = u32[(b >>> 2) + HDR_SIZE];
    if (size < heap.minBlockBytes || size % heap.alignBytes !== 0 || size > heap.heapEnd - b) {
      report(`block at ${b} has bad size ${size} (the walk stops there)`);
      return totals;
    }
    const f = (b + size - FOOTER_BYTES) >>> 2;
    if (u32[f + FTR_SIZE] !== size) report(`block at ${b}: header size ${size} != footer size ${u32[f + FTR_SIZE]}`);
    const tag = u32[(b >>> 2) + HDR_TAG];
    if (liveMap.has(b + HEADER_BYTES)) {
      if (tag !== TAG_USED) report(`live block at ${b} has tag ${tag.toString(16)}`);
      const req = u32[f + FTR_REQUESTED];
      if (req < 1 || req > size - TAG_BYTES) report(`live block at ${b} records ${req} requested bytes in ${size}`);
      totals.requestedBytes += req;
      totals.usedBytes += size;
      totals.liveBlocks++;
      prevFree = false;
    } else {
      if (tag !== TAG_FREE) report(`free block at ${b} has tag ${tag.toString(16)}`);
      if (prevFree) report(`free block at ${b} follows another free block (not coalesced)`);
      if (u32[f + FTR_REQUESTED] !== 0) report(`free block at ${b} records requested bytes`);
      totals.freeBytes += size;
      totals.freeBlocks++;
      if (size > totals.largestFreeBytes) totals.largestFreeBytes = size;
      totals.freeStarts.add(b);
      prevFree = true;
    }
    b += size;
  }
  if (b !== heap.heapEnd) report(`blocks end at ${b}, heap ends at ${heap.heapEnd}`);
  totals.complete = true;
  // Every live block has its bit (tested above); equal counts mean no stray bits anywhere.
  const bits = liveMap.count();
  if (bits !== totals.liveBlocks) report(`live map has ${bits} bits set for ${totals.liveBlocks} live blocks`);
  return totals;
}
