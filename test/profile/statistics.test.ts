import { describe, expect, it } from 'vitest';
import {
  lowFpsTimeWeighted,
  percentileSorted,
  percentileUnsorted,
  rollingMedianBefore,
  selectKth,
  sortPrefix,
} from '../../src/profile/statistics.ts';
import { mulberry32 as rng } from '../support/random.ts';

describe('statistics', () => {
  it('percentiles by linear interpolation between closest ranks (hand-computed)', () => {
    const a = Float64Array.of(1, 2, 3, 4);
    expect(percentileSorted(a, 4, 0)).toBe(1);
    expect(percentileSorted(a, 4, 100)).toBe(4);
    expect(percentileSorted(a, 4, 50)).toBe(2.5); // h = 1.5
    expect(percentileSorted(a, 4, 25)).toBe(1.75); // h = 0.75
    expect(percentileSorted(a, 1, 90)).toBe(1);
    expect(percentileSorted(a, 0, 50)).toBeNaN();
    expect(percentileUnsorted(Float64Array.of(4, 1, 3, 2), 4, 25)).toBe(1.75);
  });

  it('sort and selection agree with Array.prototype.sort on seeded random data', () => {
    const next = rng(7);
    for (let round = 0; round < 60; round++) {
      const n = 1 + Math.floor(next() * 300);
      const values = Array.from({ length: n }, () => Math.round(next() * 50) / 2); // with ties
      const ref = [...values].sort((x, y) => x - y);
      const a = Float64Array.from(values);
      sortPrefix(a, n);
      expect([...a]).toEqual(ref);
      const k = Math.floor(next() * n);
      expect(selectKth(Float64Array.from(values), n, k)).toBe(ref[k]);
    }
  });

  it('time-weighted lows walk from the slowest frame', () => {
    const sorted = Float64Array.of(10, 10, 10, 10, 40); // total 80 ms
    expect(lowFpsTimeWeighted(sorted, 5, 80, 1)).toBe(25); // 0.8 ms reached by 40
    expect(lowFpsTimeWeighted(sorted, 5, 80, 60)).toBe(100); // 48 ms: 40 + 10
    expect(lowFpsTimeWeighted(sorted, 0, 0, 1)).toBeNaN();
  });

  it('rolling median of the previous W values matches brute force', () => {
    const next = rng(11);
    const n = 500;
    const values = Float64Array.from({ length: n }, () => Math.floor(next() * 40));
    for (const w of [1, 2, 5, 60]) {
      const out = new Float64Array(n);
      rollingMedianBefore(values, n, w, out);
      expect(out[0]).toBeNaN();
      for (let i = 1; i < n; i++) {
        const win = [...values.slice(Math.max(0, i - w), i)].sort((x, y) => x - y);
        const m = Math.floor(win.length / 2);
        const median = win.length % 2 ? win[m] : (win[m - 1] + win[m]) / 2;
        expect(out[i]).toBe(median);
      }
    }
  });
});
