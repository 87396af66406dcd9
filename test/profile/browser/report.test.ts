import { describe, expect, it } from 'vitest';
import { CURVE_PERCENTILES, histogramPercent, percentileCurve } from '../../../src/profile/browser/report.ts';

describe('report helpers', () => {
  it('percentileCurve uses the type-7 definition on unsorted input; NaN without frames', () => {
    expect(percentileCurve([40, 10, 30, 20], [0, 50, 100, 25])).toEqual([10, 25, 40, 17.5]);
    expect(percentileCurve([], [50])[0]).toBeNaN();
    expect(CURVE_PERCENTILES.at(-1)).toBe(99.95);
  });

  it('histogramPercent: 1 ms bins in percent of frames, the last bin takes the rest', () => {
    expect(histogramPercent([0.5, 1.2, 1.9, 3.5, 250], 4)).toEqual([20, 40, 0, 40]);
    expect(histogramPercent([], 2)).toEqual([0, 0]);
  });
});
