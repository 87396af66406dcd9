/**
 * The requested size of every live block of a `BuddyArena`, kept outside the buffer in the
 * slots of the smallest blocks the block covers (for `requestedBytes`, internal fragmentation and
 * `realloc`).
 *
 * With `minBlockBytes <= 256` (narrow; the default 16) that is 1 byte per smallest block: an
 * order-0 block keeps `requested - 1` (< 256) in its byte, an order-1 block its size (<= 512) in
 * one 16-bit word over its two bytes, a larger block its size in one 32-bit word over its first
 * four; with the tree's 2 bytes per smallest block, 3 bytes in all (3/16 of the arena by
 * default). With `minBlockBytes > 256` (wide), 2 bytes per smallest block (`requested - 1` in 16
 * bits for order 0, one 32-bit word for larger blocks): 4 bytes per smallest block, under 1%.
 *
 * `get` and `set` are O(1) and allocate nothing.
 *
 * @module
 */

/** `minBlockBytes` up to which requested sizes take 1 byte per smallest block (else 2). */
const NARROW_MAX_BLOCK_BYTES = 256;

/** Requested sizes of live buddy blocks, indexed by each block's first smallest block (leaf). */
export class RequestedSizes {
  /** `minBlockBytes <= 256`: 1 byte per smallest block. */
  private readonly narrow: boolean;
  /**
   * Views of one buffer. Narrow: order 0 `r8[leaf] = requested - 1`, order 1 `r16[leaf / 2]`,
   * larger `r32[leaf / 4]`. Wide: order 0 `r16[leaf] = requested - 1`, larger `r32[leaf / 2]`.
   */
  private readonly r8: Uint8Array;
  private readonly r16: Uint16Array;
  private readonly r32: Uint32Array;

  /**
   * @param leafCount - smallest blocks covered (a power of two).
   * @param minBlockBytes - bytes of a smallest block (a power of two <= 2^16).
   */
  constructor(leafCount: number, minBlockBytes: number) {
    this.narrow = minBlockBytes <= NARROW_MAX_BLOCK_BYTES;
    const bytesPerLeaf = this.narrow ? 1 : 2;
    const buffer = new ArrayBuffer(Math.ceil((leafCount * bytesPerLeaf) / 4) * 4);
    this.r8 = new Uint8Array(buffer);
    this.r16 = new Uint16Array(buffer);
    this.r32 = new Uint32Array(buffer);
  }

  /** Requested bytes of the live block of `order` starting at smallest block `leaf`. */
  get(leaf: number, order: number): number {
    if (this.narrow) {
      return order === 0 ? this.r8[leaf] + 1 : order === 1 ? this.r16[leaf >>> 1] : this.r32[leaf >>> 2];
    }
    return order === 0 ? this.r16[leaf] + 1 : this.r32[leaf >>> 1];
  }

  /** Records the requested bytes (in [1, block bytes]) of the live block of `order` at `leaf`. */
  set(leaf: number, order: number, bytes: number): void {
    if (this.narrow) {
      if (order === 0) this.r8[leaf] = bytes - 1;
      else if (order === 1) this.r16[leaf >>> 1] = bytes;
      else this.r32[leaf >>> 2] = bytes;
    } else if (order === 0) this.r16[leaf] = bytes - 1;
    else this.r32[leaf >>> 1] = bytes;
  }
}
