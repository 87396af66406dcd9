/** The particle demo's URL parameters: defaults, presets, valid values, and bad values reported, not thrown. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARAMS,
  PRESETS,
  formatDemoParams,
  isSoftwareRenderer,
  parseDemoParams,
  resolveSettings,
} from '../../../examples/particles/params.ts';

describe('parseDemoParams', () => {
  it('gives the defaults for an empty query', () => {
    expect(parseDemoParams('')).toEqual({ params: { ...DEFAULT_PARAMS }, problems: [], notes: [] });
    expect(parseDemoParams('?')).toEqual({ params: { ...DEFAULT_PARAMS }, problems: [], notes: [] });
  });

  it('reads every parameter', () => {
    const { params, problems } = parseDemoParams(
      '?mode=zero-garbage&preset=hardware&capacity=5000&spawn=0&lifeMin=200&lifeMax=900&comet=3&arena=tree&seed=4294967295&frames=600&overlay=0&cpu=0&workers=3',
    );
    expect(problems).toEqual([]);
    expect(params).toEqual({
      mode: 'zero-garbage',
      preset: 'hardware',
      capacity: 5000,
      spawnPerFrame: 0,
      lifeMinMs: 200,
      lifeMaxMs: 900,
      cometEvery: 3,
      arena: 'tree',
      seed: 4294967295,
      profilerFrames: 600,
      overlay: false,
      cpuTiming: false,
      workers: 3,
    });
  });

  it('reports bad values, naming parameter, value and range, and keeps the defaults', () => {
    const { params, problems } = parseDemoParams(
      'mode=fast&preset=gpu&arena=slab&capacity=0&spawn=1e3&seed=-1&frames=1.5&overlay=maybe&cpu=2&lifeMin=800&lifeMax=700&comet=x&workers=17',
    );
    expect(params).toEqual({ ...DEFAULT_PARAMS });
    expect(problems).toEqual([
      `mode must be one of 'naive', 'pooled', 'instanced', 'zero-garbage', got "fast"; using naive`,
      `preset must be one of 'auto', 'software', 'hardware', got "gpu"; using auto`,
      `arena must be one of 'buddy', 'free-list', 'tree', got "slab"; using buddy`,
      'overlay must be 0 or 1, got "maybe"; showing it',
      'cpu must be 0 or 1, got "2"; timing the work',
      'lifeMax must be above lifeMin, got lifeMin 800 and lifeMax 700; using the preset',
      'capacity must be an integer in [1, 1000000], got 0; using the preset',
      'spawn must be an integer in [0, 100000], got "1e3"; using the preset',
      'comet must be an integer in [0, 1000000], got "x"; using the preset',
      'seed must be an integer in [0, 4294967295], got -1; using 1',
      'frames must be an integer in [2, 1048576], got "1.5"; using 3600',
      'workers must be an integer in [0, 16], got 17; using 0',
    ]);
  });

  it('accepts every demo mode, and the old name zero-object as instanced with a note', () => {
    for (const mode of ['naive', 'pooled', 'instanced', 'zero-garbage'] as const) {
      expect(parseDemoParams(`?mode=${mode}`)).toEqual({
        params: { ...DEFAULT_PARAMS, mode },
        problems: [],
        notes: [],
      });
    }
    expect(parseDemoParams('?mode=zero-object')).toEqual({
      params: { ...DEFAULT_PARAMS, mode: 'instanced' },
      problems: [],
      notes: ['mode=zero-object is now called mode=instanced'],
    });
  });

  it('round-trips through formatDemoParams', () => {
    const { params } = parseDemoParams(
      '?mode=pooled&preset=software&capacity=777&spawn=12&lifeMin=300&lifeMax=400&comet=0&arena=free-list&seed=9&frames=100&overlay=0&cpu=0&workers=2',
    );
    expect(params.workers).toBe(2);
    expect(parseDemoParams(formatDemoParams(params)).params).toEqual(params);
    expect(formatDemoParams({ ...DEFAULT_PARAMS })).toBe('?mode=naive');
    expect(formatDemoParams({ ...DEFAULT_PARAMS, mode: 'zero-garbage' })).toBe('?mode=zero-garbage');
  });
});

describe('resolveSettings', () => {
  it('takes the detected preset for auto, the asked one otherwise, and every URL value over it', () => {
    expect(resolveSettings({ ...DEFAULT_PARAMS }, 'software')).toEqual({ preset: 'software', ...PRESETS.software });
    expect(resolveSettings({ ...DEFAULT_PARAMS }, 'hardware')).toEqual({ preset: 'hardware', ...PRESETS.hardware });
    expect(resolveSettings({ ...DEFAULT_PARAMS, preset: 'hardware' }, 'software').preset).toBe('hardware');
    const mixed = resolveSettings({ ...DEFAULT_PARAMS, capacity: 42, cometEvery: 0, lifeMaxMs: 700 }, 'software');
    expect(mixed).toEqual({ ...PRESETS.software, preset: 'software', capacity: 42, cometEvery: 0, lifeMaxMs: 700 });
  });

  it("keeps a life span when one bound given crosses the preset's other", () => {
    expect(resolveSettings({ ...DEFAULT_PARAMS, lifeMinMs: 5000 }, 'software')).toMatchObject({
      lifeMinMs: 5000,
      lifeMaxMs: 5001,
    });
    expect(resolveSettings({ ...DEFAULT_PARAMS, lifeMaxMs: 300 }, 'software')).toMatchObject({
      lifeMinMs: 299,
      lifeMaxMs: 300,
    });
  });

  it('the hardware preset lives long enough for naive garbage to be promoted; software holds the frame rate', () => {
    expect(PRESETS.hardware.lifeMaxMs).toBeGreaterThanOrEqual(3000);
    expect(PRESETS.hardware.capacity).toBeGreaterThan(PRESETS.software.capacity * 10);
    expect(PRESETS.software.capacity).toBeLessThanOrEqual(6000);
  });
});

describe('isSoftwareRenderer', () => {
  it('recognises software rasterizers by their WebGL renderer strings', () => {
    expect(
      isSoftwareRenderer(
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      ),
    ).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.7, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)')).toBe(false);
    expect(isSoftwareRenderer('Apple M1')).toBe(false);
  });
});
