/**
 * The particle demo's verdicts in `npm run profile` (bench/profile/demo.ts), on profiles built
 * from the engine's real profile.json fixture with the figures of each case set by hand: met,
 * missed and not measured for each verdict, the spread over runs beside it, the bundle case, the
 * guard against verdicts resting on a handful of naive GC events, and the load warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfileJson, type PageProfile } from '../../src/profile/browser/index.ts';
import {
  DEMO_PROFILE_DEFAULTS,
  MIN_NAIVE_GC_EVENTS,
  checkTargets,
  demoUrl,
  formatTargets,
  loadWarning,
  targetsHtml,
  type DemoTarget,
} from '../../bench/profile/demo.ts';

const fixture = readProfileJson(
  readFileSync(join(import.meta.dirname, 'browser', 'fixtures', 'profile.json'), 'utf8'),
) as PageProfile;

interface RunSpec {
  gcs: number;
  seconds: number;
  totalMs?: number;
  missedWithGc?: number;
  bytesPerFrame?: number;
}

/** A profile of `mode` whose runs have the given GC counts, window lengths and bytes per frame. */
function profileOf(mode: string, runs: RunSpec[], options: { ourBytesPerFrame?: number; bundled?: boolean } = {}) {
  const p = structuredClone(fixture);
  p.label = mode;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  p.runs = runs.map((r, i) => {
    const run = structuredClone(fixture.runs[0]);
    run.run = i + 1;
    run.frames.seconds = r.seconds;
    run.gc.count = r.gcs;
    run.gc.totalMs = r.totalMs ?? r.gcs;
    run.gc.missedFramesWithGc = r.missedWithGc ?? 0;
    run.allocation.bytesPerFrame = r.bytesPerFrame ?? 12;
    return run;
  });
  p.frames.seconds = median(runs.map((r) => r.seconds));
  p.gc.count = median(runs.map((r) => r.gcs));
  p.gc.totalMs = median(runs.map((r) => r.totalMs ?? r.gcs));
  p.gc.missedFramesWithGc = median(runs.map((r) => r.missedWithGc ?? 0));
  p.allocation.bytesPerFrame = median(runs.map((r) => r.bytesPerFrame ?? 12));
  p.allocation.frames = 3600 * runs.length;
  const script = options.bundled ? '/assets/particles-abc123.js' : '/examples/particles/main.ts';
  p.allocation.byScript = [{ ...fixture.allocation.byScript[0], script, ownerKind: 'page' }];
  p.allocation.byPackage =
    options.ourBytesPerFrame === undefined
      ? []
      : [
          {
            ...fixture.allocation.byPackage[0],
            package: '/src/pixi/pool-particles.ts',
            kind: 'page',
            bytesPerFrame: options.ourBytesPerFrame,
            samples: 7,
          },
        ];
  return p;
}

const byId = (targets: DemoTarget[], id: DemoTarget['id']) => targets.find((t) => t.id === id) as DemoTarget;

describe('the demo verdicts', () => {
  const naive = profileOf('naive', [
    { gcs: 40, seconds: 60, totalMs: 120, missedWithGc: 5 },
    { gcs: 44, seconds: 60, totalMs: 130, missedWithGc: 7 },
    { gcs: 38, seconds: 60, totalMs: 110, missedWithGc: 4 },
  ]);
  const zero = profileOf('zero-garbage', [
    { gcs: 0, seconds: 60, totalMs: 0, bytesPerFrame: 12.1 },
    { gcs: 0, seconds: 60, totalMs: 0, bytesPerFrame: 12.4 },
    { gcs: 0, seconds: 60, totalMs: 0, bytesPerFrame: 11.9 },
  ]);
  const quiet = (mode: string) => profileOf(mode, [{ gcs: 1, seconds: 60 }], { ourBytesPerFrame: undefined });

  it('are met by a naive mode that collects and a zero-garbage mode that does not, with spreads over runs', () => {
    const targets = checkTargets({
      naive,
      pooled: quiet('pooled'),
      instanced: quiet('instanced'),
      'zero-garbage': zero,
    });
    expect(targets.map((t) => [t.id, t.met])).toEqual([
      ['naiveGcsPer30s', true],
      ['zeroGarbageGcs', true],
      ['zeroGarbageBytesPerFrame', true],
      ['ourBytesPerFrame', true],
      ['zeroGarbageMissedFramesWithGc', true],
      ['zeroGarbageGcShareOfNaive', true],
    ]);
    const n = byId(targets, 'naiveGcsPer30s');
    expect(n.value).toBe(20); // median 40 GCs in 60 s
    expect(n.spread).toEqual({ min: 19, max: 22 });
    expect(n.detail).toMatch(/122 GC events over 3 run/);
    expect(byId(targets, 'zeroGarbageBytesPerFrame').spread).toEqual({ min: 11.9, max: 12.4 });
    expect(byId(targets, 'zeroGarbageGcShareOfNaive').value).toBe(0);
    const text = formatTargets(targets);
    expect(text).toMatch(/naive: GCs per 30 s: 20\.0 GCs \(runs 19\.0-22\.0\) \(target >= 5 GCs\): met/);
    expect(text).toMatch(
      /zero-garbage: whole page allocates per frame \(the profiler probe left out\): 12\.1 B\/frame \(runs 11\.9-12\.4\) \(target <= 16 B\/frame\): met/,
    );
    expect(targetsHtml(targets)).toContain('<h2>Verdicts</h2>');
  });

  it('are missed when zero-garbage collects, allocates or misses a frame with a GC, or naive does not collect', () => {
    const leaky = profileOf('zero-garbage', [
      { gcs: 0, seconds: 60, totalMs: 0, bytesPerFrame: 15 },
      { gcs: 2, seconds: 60, totalMs: 30, missedWithGc: 1, bytesPerFrame: 40 },
      { gcs: 0, seconds: 60, totalMs: 0, bytesPerFrame: 14 },
    ]);
    const calmNaive = profileOf('naive', [
      { gcs: 4, seconds: 60 },
      { gcs: 4, seconds: 60 },
      { gcs: 4, seconds: 60 },
    ]);
    const leakyPooled = profileOf('pooled', [{ gcs: 0, seconds: 60 }], { ourBytesPerFrame: 3.5 });
    const targets = checkTargets({ naive: calmNaive, pooled: leakyPooled, 'zero-garbage': leaky });
    expect(byId(targets, 'naiveGcsPer30s')).toMatchObject({ value: 2, met: false });
    expect(byId(targets, 'zeroGarbageGcs')).toMatchObject({ value: 2, met: false, spread: { min: 0, max: 2 } });
    expect(byId(targets, 'zeroGarbageBytesPerFrame')).toMatchObject({ value: 15, met: true }); // the median run
    expect(byId(targets, 'zeroGarbageMissedFramesWithGc')).toMatchObject({ value: 1, met: false });
    expect(byId(targets, 'ourBytesPerFrame')).toMatchObject({ value: 3.5, met: false });
    // 12 naive GC events (at least MIN_NAIVE_GC_EVENTS): enough to compare pauses against.
    expect(byId(targets, 'zeroGarbageGcShareOfNaive').met).toBe(true); // median pause 0 ms
    expect(formatTargets(targets)).toMatch(
      /zero-garbage: GCs in a window \(most over the runs\): 2\.0 GCs \(runs 0\.0-2\.0\) \(target <= 0 GCs\): MISSED/,
    );
  });

  it("leave the profiler probe's own bytes out of the zero-garbage page figure", () => {
    const probed = structuredClone(zero);
    probed.allocation.bytesPerFrame = 27;
    probed.allocation.byPackage = [
      {
        ...fixture.allocation.byPackage[0],
        package: '(steadyheap probe)',
        kind: 'probe',
        bytesPerFrame: 14,
        samples: 90,
      },
      { ...fixture.allocation.byPackage[0], package: '(browser)', kind: 'browser', bytesPerFrame: 13, samples: 80 },
    ];
    const t = byId(checkTargets({ 'zero-garbage': probed }), 'zeroGarbageBytesPerFrame');
    expect(t).toMatchObject({ value: 13, met: true });
    expect(t.detail).toMatch(/the probe: 14\.0 B\/frame more/);
    probed.allocation.byPackage[0].bytesPerFrame = 10; // 17 B/frame left for the page
    expect(byId(checkTargets({ 'zero-garbage': probed }), 'zeroGarbageBytesPerFrame')).toMatchObject({
      value: 17,
      met: false,
    });
  });

  it('are not measured without their inputs, for a bundle, or on a handful of naive GC events', () => {
    const none = checkTargets({});
    expect(none.every((t) => t.met === null && Number.isNaN(t.value))).toBe(true);
    const bundled = profileOf('pooled', [{ gcs: 0, seconds: 60 }], { bundled: true, ourBytesPerFrame: 0 });
    expect(byId(checkTargets({ pooled: bundled }), 'ourBytesPerFrame')).toMatchObject({ met: null });
    const fewGcs = profileOf('naive', [{ gcs: MIN_NAIVE_GC_EVENTS - 1, seconds: 5 }]);
    const share = byId(checkTargets({ naive: fewGcs, 'zero-garbage': zero }), 'zeroGarbageGcShareOfNaive');
    expect(share.met).toBeNull();
    expect(share.detail).toMatch(new RegExp(`only ${MIN_NAIVE_GC_EVENTS - 1} GC event\\(s\\) in the naive runs`));
    const untraced = structuredClone(zero);
    untraced.gc.traced = false;
    expect(byId(checkTargets({ 'zero-garbage': untraced }), 'zeroGarbageGcs').met).toBeNull();
  });
});

describe('profile settings of the demo', () => {
  it('leave capacity and spawn rate to the demo unless given, and switch off the overlay and the work timer', () => {
    expect(demoUrl('http://h/', 'naive', { seed: 1 })).toBe(
      'http://h/examples/particles/index.html?mode=naive&seed=1&overlay=0&cpu=0',
    );
    expect(demoUrl('http://h/', 'pooled', { seed: 2, capacity: 500, spawn: 9 })).toContain('capacity=500&spawn=9');
    expect(DEMO_PROFILE_DEFAULTS.durationMs).toBeGreaterThanOrEqual(60_000); // the no-GC verdict's trace
    expect(DEMO_PROFILE_DEFAULTS.warmupMs).toBeGreaterThan(35_000); // past the memory reducer's start-up GCs
  });

  it('warns when the load average exceeds the CPUs', () => {
    expect(loadWarning(1.5, 2)).toBe('');
    expect(loadWarning(9.73, 2)).toMatch(/^warning: load average 9\.73 on 2 CPUs/);
  });

  it('our code: a site sampled in one moment per run (V8 installing optimized code) is left out and named', () => {
    const p = profileOf('zero-garbage', [{ gcs: 0, seconds: 60 }], { ourBytesPerFrame: 2.6 });
    const site = { ...p.allocation.sites[0], functionName: 'save', script: '/src/pixi/gl-bindings.ts', line: 33 };
    p.allocation.sites = [
      {
        ...site,
        owner: '/src/pixi/pool-particles.ts',
        ownerKind: 'page',
        bytesPerFrame: 2.6,
        samples: 3,
        moments: 1,
        oneOff: true,
      },
    ];
    const once = byId(checkTargets({ 'zero-garbage': p }), 'ourBytesPerFrame');
    expect(once).toMatchObject({ value: 0, met: true });
    expect(once.detail).toMatch(
      /left out, one-off: 2\.6 B\/frame in save \(\/src\/pixi\/gl-bindings\.ts:33\), 1 moment/,
    );
    p.allocation.sites[0] = { ...p.allocation.sites[0], moments: 7, oneOff: false };
    expect(byId(checkTargets({ 'zero-garbage': p }), 'ourBytesPerFrame')).toMatchObject({ value: 2.6, met: false });
  });
});
