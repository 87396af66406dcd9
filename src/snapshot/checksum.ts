/**
 * The snapshot checksum: xxHash32, a fast non-cryptographic 32-bit hash, over bytes.
 *
 * Used for desync detection between peers (`SnapshotRing.checksum(frame)`), for the integrity of
 * the on-disk format and of deltas, and for the options hash that tells whether a saved state
 * fits a structure. It detects accidental change (a flipped bit, a truncated or reordered
 * copy), not a deliberate forgery: it is not a cryptographic hash.
 *
 * Speed: when the bytes start at a multiple of 4 in their buffer (every snapshot this library
 * writes does), the input is read as little-endian 32-bit words through a whole-buffer
 * `Int32Array` (one view object per call; `SnapshotRing` keeps its own, so its checksums allocate
 * nothing); otherwise each word is assembled from 4 bytes (slower, same result). Figures in
 * `bench/README.md`, section Snapshots.
 *
 * Byte order: the hash is defined over bytes (words are read little-endian, as the reference
 * does), so it is the same on every host for the same bytes.
 *
 * Source: Y. Collet, xxHash, "XXH32" (https://github.com/Cyan4973/xxHash, doc/xxhash_spec.md);
 * its published values are in the tests and were checked against the reference `xxhsum -H0`.
 *
 * @module
 */
import { checkInteger } from '../errors.js';

const PRIME1 = 0x9e3779b1 | 0;
const PRIME2 = 0x85ebca77 | 0;
const PRIME3 = 0xc2b2ae3d | 0;
const PRIME4 = 0x27d4eb2f | 0;
const PRIME5 = 0x165667b1 | 0;

/** Whether this host stores typed-array elements little-endian (every mainstream one does). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * xxHash32 of `bytes[at .. at + length)`, seeded: an unsigned 32-bit integer. O(length), about
 * one multiply per 4 bytes; allocates nothing once the buffer's word view is made.
 *
 * ```ts
 * checksum32(new TextEncoder().encode('abc')); // 0x32d153ff
 * ```
 *
 * @param bytes - the input.
 * @param at - first byte, an integer in `[0, bytes.length]`. Default 0.
 * @param length - bytes to hash, an integer in `[0, bytes.length - at]`. Default: to the end.
 * @param seed - an integer in `[0, 2^32)`. Default 0.
 * @throws TypeError when `bytes` is not a `Uint8Array`; RangeError naming `at`, `length` or
 *   `seed` when one is outside its range.
 */
export function checksum32(bytes: Uint8Array, at = 0, length = bytes.length - at, seed = 0): number {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`bytes must be a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  checkInteger('at', at, 0, bytes.length);
  checkInteger('length', length, 0, bytes.length - at);
  checkInteger('seed', seed, 0, 2 ** 32 - 1);
  return hashRange(bytes, at, length, seed, null);
}

/**
 * {@link checksum32} without argument checks, for callers that validated them (the ring, the
 * format): `at + length <= bytes.length`. `words`, when given, is a whole-buffer `Int32Array` of
 * `bytes.buffer` the caller keeps (so the call allocates nothing); else one is made for the call.
 */
export function hashRange(
  bytes: Uint8Array,
  at: number,
  length: number,
  seed: number,
  words: Int32Array | null,
): number {
  const start = bytes.byteOffset + at;
  if ((start & 3) === 0 && HOST_LITTLE_ENDIAN) {
    const view = words ?? new Int32Array(bytes.buffer, 0, bytes.buffer.byteLength >>> 2);
    return hashWords(view, bytes, at, length, seed);
  }
  return hashBytes(bytes, at, length, seed);
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/** The final mix (XXH32_avalanche). */
function avalanche(h: number): number {
  let acc = h;
  acc ^= acc >>> 15;
  acc = Math.imul(acc, PRIME2);
  acc ^= acc >>> 13;
  acc = Math.imul(acc, PRIME3);
  acc ^= acc >>> 16;
  return acc >>> 0;
}

/**
 * XXH32 over `bytes[at .. at + length)`, which starts at a multiple of 4 in its buffer: whole
 * words through `words` (the buffer's word view; little-endian host), the last 0-3 bytes one by
 * one.
 */
function hashWords(words: Int32Array, bytes: Uint8Array, at: number, length: number, seed: number): number {
  const start = bytes.byteOffset + at;
  let w = start >>> 2;
  const stripes = length >>> 4;
  let acc: number;
  if (stripes > 0) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    const end = w + stripes * 4;
    for (; w < end; w += 4) {
      v1 = Math.imul(rotl((v1 + Math.imul(words[w], PRIME2)) | 0, 13), PRIME1);
      v2 = Math.imul(rotl((v2 + Math.imul(words[w + 1], PRIME2)) | 0, 13), PRIME1);
      v3 = Math.imul(rotl((v3 + Math.imul(words[w + 2], PRIME2)) | 0, 13), PRIME1);
      v4 = Math.imul(rotl((v4 + Math.imul(words[w + 3], PRIME2)) | 0, 13), PRIME1);
    }
    acc = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    acc = (seed + PRIME5) | 0;
  }
  acc = (acc + length) | 0; // the length modulo 2^32, as the reference
  const wordEnd = (start + length) >>> 2;
  for (; w < wordEnd; w++) {
    acc = Math.imul(rotl((acc + Math.imul(words[w], PRIME3)) | 0, 17), PRIME4);
  }
  for (let i = at + length - (length & 3); i < at + length; i++) {
    acc = Math.imul(rotl((acc + Math.imul(bytes[i], PRIME5)) | 0, 11), PRIME1);
  }
  return avalanche(acc);
}

/** Little-endian word at `bytes[i .. i + 4)`. */
function wordAt(bytes: Uint8Array, i: number): number {
  return bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
}

/** XXH32 reading every word byte by byte: any alignment, any host byte order. */
function hashBytes(bytes: Uint8Array, at: number, length: number, seed: number): number {
  let i = at;
  const end = at + length;
  let acc: number;
  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    const limit = at + (length & ~15);
    for (; i < limit; i += 16) {
      v1 = Math.imul(rotl((v1 + Math.imul(wordAt(bytes, i), PRIME2)) | 0, 13), PRIME1);
      v2 = Math.imul(rotl((v2 + Math.imul(wordAt(bytes, i + 4), PRIME2)) | 0, 13), PRIME1);
      v3 = Math.imul(rotl((v3 + Math.imul(wordAt(bytes, i + 8), PRIME2)) | 0, 13), PRIME1);
      v4 = Math.imul(rotl((v4 + Math.imul(wordAt(bytes, i + 12), PRIME2)) | 0, 13), PRIME1);
    }
    acc = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    acc = (seed + PRIME5) | 0;
  }
  acc = (acc + length) | 0;
  for (; i + 4 <= end; i += 4) acc = Math.imul(rotl((acc + Math.imul(wordAt(bytes, i), PRIME3)) | 0, 17), PRIME4);
  for (; i < end; i++) acc = Math.imul(rotl((acc + Math.imul(bytes[i], PRIME5)) | 0, 11), PRIME1);
  return avalanche(acc);
}
