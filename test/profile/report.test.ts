import { describe, expect, it } from 'vitest';
import { FrameProfiler } from '../../src/profile/frame-profiler.ts';
import { figuresOf, percentileCurve } from '../../src/profile/report.ts';

describe('report helpers', () => {
  it('figuresOf flattens a summary, hitches by rule, stutter in percent', () => {
    const prof = new FrameProfiler({ capacity: 8 });
    for (const ms of [16, 16, 16, 60]) prof.record(ms);
    const f = figuresOf(prof.summary());
    expect(f.frames).toBe(4);
    expect(f['hitches.over50Ms']).toBe(1);
    expect(f['hitches.any']).toBe(1);
    expect(f.stutterPct).toBeCloseTo((60 / 108) * 100, 9);
    expect(f).not.toHaveProperty('definitions');
  });

  it('percentileCurve uses the type-7 definition on unsorted input', () => {
    expect(percentileCurve([40, 10, 30, 20], [0, 50, 100, 25])).toEqual([10, 25, 40, 17.5]);
    expect(percentileCurve([], [50])[0]).toBeNaN();
  });
});
