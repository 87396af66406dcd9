import { describe, expect, it } from 'vitest';
import {
  lowFpsTimeWeighted,
  percentileSorted,
  percentileUnsorted,
  rollingMedianBefore,
  selectKth,
  sortPrefix,
} from '../../src/profile/statistics.ts';
import { countHitches } from '../../src/profile/hitches.ts';

const a = () => Float64Array.of(3, 1, 2);

describe('statistics and hitches functions apply the error policy (no coercion, no raw crash)', () => {
  it('statistics: TypeError for non-numbers / non-Float64Arrays, RangeError for out-of-range numbers', () => {
    expect(() => sortPrefix([3, 1] as never, 2)).toThrow(TypeError);
    expect(() => sortPrefix(a(), 4)).toThrow(RangeError);
    expect(() => sortPrefix(a(), '2' as never)).toThrow(TypeError);
    expect(() => selectKth(a(), 3, 3)).toThrow(RangeError);
    expect(() => selectKth(a(), 3, '0' as never)).toThrow(TypeError);
    for (const p of ['50', null, [50], true]) {
      expect(() => percentileUnsorted(a(), 3, p as never)).toThrow(TypeError);
      expect(() => percentileSorted(a(), 3, p as never)).toThrow(TypeError);
    }
    expect(() => percentileUnsorted(a(), 3, 101)).toThrow(RangeError);
    expect(() => percentileSorted(a(), 3, NaN)).toThrow(RangeError);
    expect(() => percentileSorted(a(), -1, 50)).toThrow(RangeError);
    expect(() => lowFpsTimeWeighted(a(), 3, '6' as never, 1)).toThrow(TypeError);
    expect(() => lowFpsTimeWeighted(a(), 3, 6, -1)).toThrow(RangeError);
    expect(() => rollingMedianBefore(a(), 3, 0, new Float64Array(3))).toThrow(RangeError);
    expect(() => rollingMedianBefore(a(), 3, 2, new Float64Array(2))).toThrow(RangeError);
    expect(() => countHitches(a(), -1, 16, 60)).toThrow(RangeError);
    expect(() => countHitches(a(), 3, '16' as never, 60)).toThrow(TypeError);
    expect(() => countHitches([1, 2] as never, 2, 16, 60)).toThrow(TypeError);
    // Valid calls still work.
    const s = a();
    sortPrefix(s, 3);
    expect([...s]).toEqual([1, 2, 3]);
    expect(percentileSorted(s, 3, 50)).toBe(2);
    expect(selectKth(a(), 3, 0)).toBe(1);
    expect(countHitches(s, 3, 16, 60).counts.any).toBe(0);
  });
});
