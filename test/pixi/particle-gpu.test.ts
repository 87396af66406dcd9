/**
 * The data-texture layout of `PoolParticles` without a GPU: the row width chosen for a pool, and
 * the partial uploads of a slot range (checked against a recording stand-in for WebGL2: every
 * slot of the range is written exactly once, at its texel, from its own element of the column,
 * and nothing outside the range is).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ROW_TEXELS, MIN_ROW_TEXELS, rowShiftFor, uploadSlotRange } from '../../src/pixi/particle-gpu.ts';

interface Call {
  x: number;
  y: number;
  width: number;
  height: number;
  srcOffset: number;
}

/** A stand-in for the few WebGL2 members `uploadSlotRange` touches; records `texSubImage2D` calls. */
function recorder() {
  const calls: Call[] = [];
  const gl = {
    TEXTURE_2D: 0x0de1,
    texSubImage2D(
      _target: number,
      _level: number,
      x: number,
      y: number,
      width: number,
      height: number,
      _format: number,
      _type: number,
      _data: ArrayBufferView,
      srcOffset: number,
    ) {
      calls.push({ x, y, width, height, srcOffset });
    },
  };
  return { gl: gl as unknown as WebGL2RenderingContext, calls };
}

describe('rowShiftFor', () => {
  it('uses one row for small pools, MAX_ROW_TEXELS for large ones, and wider rows when the height would not fit', () => {
    expect(1 << rowShiftFor(1, 4096)).toBe(MIN_ROW_TEXELS);
    expect(1 << rowShiftFor(100, 4096)).toBe(128);
    expect(1 << rowShiftFor(MAX_ROW_TEXELS, 4096)).toBe(MAX_ROW_TEXELS);
    expect(1 << rowShiftFor(1_000_000, 4096)).toBe(MAX_ROW_TEXELS);
    expect(1 << rowShiftFor(16_000_000, 4096)).toBe(4096); // 2048-wide rows would need 7813 > 4096
    expect(() => rowShiftFor(16_777_217, 4096)).toThrow(RangeError);
    expect(() => rowShiftFor(16_777_217, 4096)).toThrow(/MAX_TEXTURE_SIZE/);
  });
});

describe('uploadSlotRange', () => {
  it('covers [lo, hi) exactly once with at most three rectangles read from slot * components', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 6 }), // row shift: 8..64 texels a row
        fc.integer({ min: 1, max: 2 }), // components
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 0, max: 700 }),
        (rowShift, components, a, b) => {
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          const { gl, calls } = recorder();
          uploadSlotRange(gl, 0, 0, new Float32Array(0), components, rowShift, lo, hi);
          const width = 1 << rowShift;
          const seen = new Map<number, number>();
          for (const c of calls) {
            expect(c.x + c.width).toBeLessThanOrEqual(width);
            expect(c.width).toBeGreaterThan(0);
            expect(c.height).toBeGreaterThan(0);
            if (c.height > 1) expect(c.x === 0 && c.width === width).toBe(true); // only whole rows stack
            const first = c.y * width + c.x;
            expect(c.srcOffset).toBe(first * components); // the column's own elements, no copy
            for (let row = 0; row < c.height; row++) {
              for (let col = 0; col < c.width; col++) {
                const slot = (c.y + row) * width + c.x + col;
                seen.set(slot, (seen.get(slot) ?? 0) + 1);
              }
            }
          }
          expect(calls.length).toBeLessThanOrEqual(3);
          expect(seen.size).toBe(hi - lo);
          for (const [slot, times] of seen) {
            expect(times).toBe(1);
            expect(slot >= lo && slot < hi).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('uploads nothing for an empty range', () => {
    const { gl, calls } = recorder();
    uploadSlotRange(gl, 0, 0, new Float32Array(0), 1, 4, 37, 37);
    expect(calls).toEqual([]);
  });
});
