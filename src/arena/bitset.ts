/**
 * Bitsets in `Int32Array` words: bit `i` is bit `i & 31` of word `i >>> 5`. The one copy of the
 * bit idiom the arenas use for their bitmaps (the boundary-tag arenas' live map, `TreeArena`'s
 * non-empty-bin map) and for counting bits (`BuddyArena`'s fresh free blocks, `check()`).
 *
 * Indices are bit numbers below 2^31 (granules, bins, leaves), never sizes, so the 32-bit shifts
 * and masks here are exact. Every function is O(1) but the scans, which say their cost; none
 * allocates. Each is a few bytecodes, so V8 inlines it into the callers' hot paths.
 *
 * Source: the bitmap of free-list heads of TLSF (Masmano et al., ECRTS 2004) and dlmalloc's
 * `smallmap`/`treemap`; `x & (x - 1)` drops the lowest set bit (Wegner, CACM 3(5), 1960).
 *
 * @module
 */

/** Bits per word (private: the functions below run on hot paths; see `buddy-tree.ts`). */
const WORD_BITS = 32;

/** Words needed for `bits` bits. */
export function wordsFor(bits: number): number {
  return Math.ceil(bits / WORD_BITS);
}

/** Whether bit `i` is set. */
export function hasBit(words: Int32Array, i: number): boolean {
  return (words[i >>> 5] & (1 << (i & 31))) !== 0;
}

/** Sets bit `i`. */
export function setBit(words: Int32Array, i: number): void {
  words[i >>> 5] |= 1 << (i & 31);
}

/** Clears bit `i`. */
export function clearBit(words: Int32Array, i: number): void {
  words[i >>> 5] &= ~(1 << (i & 31));
}

/** Number of set bits of a 32-bit word (any int32 or uint32 value). O(set bits). */
export function popCount(word: number): number {
  let n = 0;
  for (let x = word | 0; x !== 0; x &= x - 1) n++;
  return n;
}

/** Number of set bits in all of `words`. O(words + set bits). */
export function countBits(words: Int32Array): number {
  let n = 0;
  for (let w = 0; w < words.length; w++) n += popCount(words[w]);
  return n;
}

/**
 * The lowest set bit at or above `i`, or -1 when none: one masked word, then whole words
 * (`Math.clz32` of the lowest set bit). O(words scanned).
 */
export function lowestBitFrom(words: Int32Array, i: number): number {
  let word = i >>> 5;
  if (word >= words.length) return -1;
  let bits = words[word] & (-1 << (i & 31));
  while (bits === 0) {
    if (++word === words.length) return -1;
    bits = words[word];
  }
  return word * WORD_BITS + 31 - Math.clz32(bits & -bits);
}

/** The highest set bit at or below `i`, or -1 when none. O(words scanned). */
export function highestBitAtOrBelow(words: Int32Array, i: number): number {
  let word = i >>> 5;
  const bit = i & 31;
  let bits = words[word] & (bit === 31 ? -1 : (1 << (bit + 1)) - 1);
  while (bits === 0) {
    if (word === 0) return -1;
    bits = words[--word];
  }
  return word * WORD_BITS + 31 - Math.clz32(bits);
}
