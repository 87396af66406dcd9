/**
 * `LiveMap`: one bit per allocation granule, kept outside the arena's buffer, set exactly at the
 * payload offset of every live block. It answers "is this offset a live block?" in O(1) without
 * trusting anything in the buffer (user data can imitate a block header, never this map), and
 * "which live block starts at or before this offset?" by scanning backwards 32 granules per word.
 *
 * Used by the boundary-tag arenas (`boundary-tags.ts`) to validate `free`, `realloc` and
 * `sizeOf`. The same idea as the allocation bitmaps of mimalloc's segment maps and of TLSF
 * debug builds: metadata the user cannot overwrite.
 *
 * Indices: offsets are below 2^31 and granules below 2^28, so the shifts and masks here act on
 * granule numbers and bit positions, never on sizes, and are exact.
 *
 * @module
 */

import * as bitset from './bitset.js';
import { countBits, highestBitAtOrBelow, wordsFor } from './bitset.js';

/**
 * Module-local copies of the imported functions `has`, `set` and `clear` call on the arenas' hot
 * paths: reading imports there measured 20% slower (bench/README.md, section Pools).
 */
const { clearBit, hasBit, setBit } = bitset;

/**
 * A bitmap of live payload offsets over `[0, capacityBytes)`, one bit per `granuleBytes`.
 * Memory: `capacityBytes / granuleBytes / 8` bytes. `has`, `set` and `clear` are O(1);
 * `clearAll` and `count` are O(words), `lastAtOrBelow` O(distance / 32 granules). None allocates.
 */
export class LiveMap {
  private readonly words: Int32Array;
  /** `log2(granuleBytes)`. */
  private readonly shift: number;
  /** Bytes per granule (a power of two >= 8). */
  readonly granuleBytes: number;

  /**
   * @param capacityBytes - bytes covered, an integer in [1, 2^31].
   * @param granuleBytes - bytes per bit, a power of two (the arena's `alignBytes`).
   */
  constructor(capacityBytes: number, granuleBytes: number) {
    this.granuleBytes = granuleBytes;
    this.shift = Math.round(Math.log2(granuleBytes));
    this.words = new Int32Array(wordsFor(capacityBytes / granuleBytes));
  }

  /** True when `offset` (a multiple of `granuleBytes`) is marked live. O(1). */
  has(offset: number): boolean {
    return hasBit(this.words, offset >>> this.shift);
  }

  /** Marks `offset` live. O(1). */
  set(offset: number): void {
    setBit(this.words, offset >>> this.shift);
  }

  /** Marks `offset` not live. O(1). */
  clear(offset: number): void {
    clearBit(this.words, offset >>> this.shift);
  }

  /** Clears every bit. O(words). */
  clearAll(): void {
    this.words.fill(0);
  }

  /**
   * The highest live offset `<= offset`, or -1. O(distance / (32 granules)): for error paths.
   */
  lastAtOrBelow(offset: number): number {
    const granule = highestBitAtOrBelow(this.words, offset >>> this.shift);
    return granule < 0 ? -1 : granule * this.granuleBytes;
  }

  /** Number of live bits (for `check()`). O(words). */
  count(): number {
    return countBits(this.words);
  }
}
