/** The particle demo's URL parameters: defaults, valid values, and bad values reported, not thrown. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, formatDemoParams, parseDemoParams } from '../../../examples/particles/params.ts';

describe('parseDemoParams', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseDemoParams('')).toEqual({ params: { ...DEFAULT_PARAMS }, problems: [] });
    expect(parseDemoParams('?')).toEqual({ params: { ...DEFAULT_PARAMS }, problems: [] });
  });

  it('reads every parameter', () => {
    const { params, problems } = parseDemoParams(
      '?mode=naive&capacity=5000&spawn=0&seed=4294967295&frames=600&overlay=0&cpu=0',
    );
    expect(problems).toEqual([]);
    expect(params).toEqual({
      mode: 'naive',
      capacity: 5000,
      spawnPerFrame: 0,
      seed: 4294967295,
      profilerFrames: 600,
      overlay: false,
      cpuTiming: false,
    });
  });

  it('reports bad values, naming parameter, value and range, and keeps the defaults', () => {
    const { params, problems } = parseDemoParams(
      'mode=fast&capacity=0&spawn=1e3&seed=-1&frames=1.5&overlay=maybe&cpu=2',
    );
    expect(params).toEqual({ ...DEFAULT_PARAMS });
    expect(problems).toEqual([
      `mode must be one of 'pooled', 'naive', 'zero-object', got "fast"; using pooled`,
      'overlay must be 0 or 1, got "maybe"; showing it',
      'cpu must be 0 or 1, got "2"; timing CPU work',
      'capacity must be an integer in [1, 1000000], got 0; using 6000',
      'spawn must be an integer in [0, 100000], got "1e3"; using 100',
      'seed must be an integer in [0, 4294967295], got -1; using 1',
      'frames must be an integer in [2, 1048576], got "1.5"; using 3600',
    ]);
  });

  it('accepts every demo mode', () => {
    for (const mode of ['pooled', 'naive', 'zero-object'] as const) {
      expect(parseDemoParams(`?mode=${mode}`)).toEqual({ params: { ...DEFAULT_PARAMS, mode }, problems: [] });
    }
  });

  it('round-trips through formatDemoParams', () => {
    const { params } = parseDemoParams('?mode=naive&capacity=777&spawn=12&seed=9&frames=100&overlay=0&cpu=0');
    expect(parseDemoParams(formatDemoParams(params)).params).toEqual(params);
    expect(formatDemoParams({ ...DEFAULT_PARAMS })).toBe('?mode=pooled');
    expect(formatDemoParams({ ...DEFAULT_PARAMS, mode: 'zero-object' })).toBe('?mode=zero-object');
  });
});
