/**
 * checksum32 is XXH32: the reference's values (computed with `xxhsum -H0`, xxHash 0.8.1) for
 * every length class (the 16-byte stripes, the 4-byte words, the 0-3 byte tail), the same result
 * on every alignment (word path and byte path), seeds, and argument checks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksum32 } from '../../src/index.ts';

/** The byte pattern the reference values were computed over: `(i * 31 + 7) & 255`. */
const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);

/** `xxhsum -H0` of `pattern(n)`. */
const REFERENCE: [number, number][] = [
  [0, 0x02cc5d05],
  [1, 0x002e0d32],
  [3, 0xaca17380],
  [4, 0x073faa82],
  [5, 0x16ac9537],
  [15, 0x9f29f87b],
  [16, 0x3f6c9665],
  [17, 0xe048ecdb],
  [31, 0x00f1525c],
  [32, 0xee42e668],
  [33, 0x770b5126],
  [63, 0x471925bb],
  [64, 0xf2a797fa],
  [100, 0x75936eb8],
  [1000, 0xa793e7c7],
  [4099, 0x74402def],
];

describe('checksum32 (XXH32)', () => {
  it.each(REFERENCE)('equals the reference for %i bytes', (n, expected) => {
    expect(checksum32(pattern(n))).toBe(expected);
  });

  it('equals the reference for text', () => {
    const text = (s: string) => checksum32(new TextEncoder().encode(s));
    expect(text('a')).toBe(0x550d7456);
    expect(text('abc')).toBe(0x32d153ff);
    expect(text('The quick brown fox jumps over the lazy dog')).toBe(0xe85ea4de);
  });

  it('gives the same value at every alignment and through at / length', () => {
    for (const [n, expected] of REFERENCE) {
      for (let shift = 0; shift < 4; shift++) {
        const host = new Uint8Array(n + 9);
        host.set(pattern(n), shift + 1);
        expect(checksum32(host, shift + 1, n), `${n} bytes at ${shift + 1}`).toBe(expected);
        expect(checksum32(host.subarray(shift + 1, shift + 1 + n)), `${n} bytes, view at ${shift + 1}`).toBe(expected);
      }
    }
  });

  it('word and byte paths agree on random bytes and seeds', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(3),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (bytes, shift, seed) => {
          const aligned = new Uint8Array(bytes.length + 8);
          aligned.set(bytes, 4);
          const odd = new Uint8Array(bytes.length + 8);
          odd.set(bytes, 4 + shift);
          const a = checksum32(aligned, 4, bytes.length, seed);
          expect(checksum32(odd, 4 + shift, bytes.length, seed)).toBe(a);
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThan(2 ** 32);
        },
      ),
    );
  });

  it('a seed changes the value, and a single flipped bit changes it', () => {
    const bytes = pattern(256);
    const base = checksum32(bytes);
    expect(checksum32(bytes, 0, 256, 1)).not.toBe(base);
    for (const bit of [0, 7, 1000, 2047]) {
      const copy = bytes.slice();
      copy[bit >> 3] ^= 1 << (bit & 7);
      expect(checksum32(copy)).not.toBe(base);
    }
  });

  it('checks its arguments', () => {
    const bytes = pattern(10);
    expect(() => checksum32([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => checksum32(bytes, 11)).toThrow(RangeError);
    expect(() => checksum32(bytes, 2, 9)).toThrow(/length/);
    expect(() => checksum32(bytes, 0.5)).toThrow(RangeError);
    expect(() => checksum32(bytes, 0, 10, -1)).toThrow(/seed/);
    expect(() => checksum32(bytes, 0, 10, 2 ** 32)).toThrow(/seed/);
  });
});
