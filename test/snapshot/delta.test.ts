/**
 * Deltas: random base/target pairs (equal lengths, grown, shrunk, mostly equal, unrelated)
 * round-trip at any alignment, stay within maxDeltaBytes, are small when little changed, work in
 * place and backwards (XOR), and refuse a wrong base, a damaged or truncated delta without writing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BuddyArena, SnapshotError, SnapshotRing, applyDelta, encodeDelta, maxDeltaBytes } from '../../src/index.ts';
import { expectSameBytes } from './round-trip.ts';

/** A target made from a base by a few edits, and maybe a different length. */
const pair = fc
  .record({
    base: fc.uint8Array({ maxLength: 600 }),
    edits: fc.array(fc.record({ at: fc.nat(), value: fc.nat(255), run: fc.integer({ min: 1, max: 20 }) }), {
      maxLength: 12,
    }),
    resize: fc.integer({ min: -50, max: 50 }),
    shift: fc.nat(3),
  })
  .map(({ base, edits, resize, shift }) => {
    const length = Math.max(0, base.length + resize);
    const target = new Uint8Array(length);
    target.set(base.subarray(0, length));
    for (const { at, value, run } of edits) if (length > 0) target.fill(value, at % length, (at % length) + run);
    return { base, target, shift };
  });

describe('encodeDelta / applyDelta', () => {
  it('round-trips random pairs, within maxDeltaBytes, at any alignment', () => {
    fc.assert(
      fc.property(pair, ({ base, target, shift }) => {
        const delta = encodeDelta(base, target);
        expect(delta.length).toBeLessThanOrEqual(maxDeltaBytes(target.length));
        expectSameBytes(applyDelta(base, delta), target);
        // Unaligned inputs and an output at an offset.
        const b = new Uint8Array(base.length + 4).subarray(shift, shift + base.length);
        b.set(base);
        const into = new Uint8Array(maxDeltaBytes(target.length) + 8);
        const n = encodeDelta(b, target, into, shift + 1);
        expectSameBytes(into.subarray(shift + 1, shift + 1 + n), delta);
        const out = new Uint8Array(target.length + 5).fill(0xee);
        expect(applyDelta(b, into.subarray(shift + 1, shift + 1 + n), out, 2)).toBe(target.length);
        expectSameBytes(out.subarray(2, 2 + target.length), target);
        expect(out[1]).toBe(0xee);
      }),
      { numRuns: 300 },
    );
  });

  it('is small when little changed, and goes both ways', () => {
    const base = new Uint8Array(100_000).map((_, i) => (i * 7) & 255);
    const target = base.slice();
    target[500] ^= 1;
    target.fill(9, 70_000, 70_016);
    const delta = encodeDelta(base, target);
    expect(delta.length).toBeLessThan(120);
    expectSameBytes(applyDelta(target, encodeDelta(target, base)), base);
    expect(encodeDelta(base, base).length).toBeLessThan(64);
    expect(() => applyDelta(target, delta)).toThrow(/another base/);
  });

  it('applies in place over the base', () => {
    const base = new Uint8Array(64).map((_, i) => i);
    const target = base.slice();
    target[10] = 99;
    const delta = encodeDelta(base, target);
    const buffer = base.slice();
    expect(applyDelta(buffer, delta, buffer)).toBe(64);
    expectSameBytes(buffer, target);
  });

  it('carries ring frames: a peer holding frame f rebuilds frame f + 1 from the delta', () => {
    const arena = new BuddyArena({ sizeBytes: 1 << 14 });
    const ring = new SnapshotRing([arena], { capacity: 4 });
    ring.save(0);
    const p = arena.alloc(100);
    arena.u8.fill(3, p, p + 100);
    ring.save(1);
    const delta = encodeDelta(ring.bytesOf(0), ring.bytesOf(1));
    expect(delta.length).toBeLessThan(ring.bytesOf(1).length / 20);
    const peer = new BuddyArena({ sizeBytes: 1 << 14 });
    peer.loadState(applyDelta(ring.bytesOf(0), delta));
    expect(peer.sizeOf(p)).toBe(128);
    expect(peer.u8[p + 99]).toBe(3);
  });

  it('refuses a wrong base, a damaged or truncated delta, and writes nothing', () => {
    const base = new Uint8Array(300).map((_, i) => i & 255);
    const target = base.slice().fill(1, 100, 150);
    const delta = encodeDelta(base, target);
    const into = new Uint8Array(300).fill(0x5a);
    const refused = (b: Uint8Array, d: Uint8Array, reason: string) => {
      let error: unknown;
      try {
        applyDelta(b, d, into);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SnapshotError);
      expect((error as SnapshotError).reason).toBe(reason);
      expect(into.every((x) => x === 0x5a)).toBe(true);
    };
    const otherBase = base.slice();
    otherBase[0] = 1;
    refused(otherBase, delta, 'base');
    refused(base.subarray(1), delta, 'base');
    for (let cut = 0; cut < delta.length; cut++) {
      expect(() => applyDelta(base, delta.subarray(0, cut), into)).toThrow(SnapshotError);
    }
    expect(into.every((x) => x === 0x5a)).toBe(true);
    for (let at = 4; at < delta.length; at++) {
      const copy = delta.slice();
      copy[at] ^= 0x10;
      expect(() => applyDelta(base, copy, into), `byte ${at}`).toThrow(SnapshotError);
    }
    expect(into.every((x) => x === 0x5a)).toBe(true);
    const copy = delta.slice();
    copy[0] = 0;
    refused(base, copy, 'not-a-snapshot');
    expect(() => applyDelta(base, delta, new Uint8Array(10))).toThrow(RangeError);
    expect(() => encodeDelta(base, target, new Uint8Array(20))).toThrow(/needs more/);
    expect(() => maxDeltaBytes(-1)).toThrow(RangeError);
    expect(() => encodeDelta([] as unknown as Uint8Array, target)).toThrow(TypeError);
  });
});
