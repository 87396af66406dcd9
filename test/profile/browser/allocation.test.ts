import { describe, expect, it } from 'vitest';
import { aggregateAllocations, sampleVariance, type SamplingNode } from '../../../src/profile/browser/allocation.ts';
import { PROBE_SCRIPT_URL } from '../../../src/profile/browser/probe.ts';

const I = 1024;
let nextId = 1;
const node = (
  functionName: string,
  url: string,
  lineNumber: number,
  selfSize: number,
  children: SamplingNode[] = [],
) => ({
  callFrame: { functionName, url, lineNumber, columnNumber: 4 },
  selfSize,
  id: nextId++,
  children,
});

/** A profile over 10 frames: the page's update() 40 small-object samples, pixi 8 samples, one 100 KB object, the probe, the browser. */
function profile() {
  nextId = 1;
  const update = node('update', 'http://127.0.0.1:8080/game.js', 9, 40 * I);
  const push = node('push', '', -1, 2 * I);
  const render = node('render', 'http://127.0.0.1:8080/node_modules/pixi.js/dist/pixi.mjs', 99, 6 * I, [push]);
  const load = node('loadLevel', 'http://127.0.0.1:8080/game.js', 50, 100_000);
  const probe = node('steadyheapProbeLongFrames', '', 88, 2 * I);
  const idle = node('(IDLE)', '', -1, 1 * I);
  const frame = node('frame', 'http://127.0.0.1:8080/game.js', 3, 0, [update, render, load]);
  const head = node('(root)', '', -1, 0, [frame, probe, idle]);
  const samples = [
    ...Array.from({ length: 40 }, (_, i) => ({ size: I, nodeId: update.id, ordinal: i })),
    ...Array.from({ length: 6 }, (_, i) => ({ size: I, nodeId: render.id, ordinal: 100 + i })),
    ...Array.from({ length: 2 }, (_, i) => ({ size: I, nodeId: push.id, ordinal: 110 + i })),
    { size: 100_000, nodeId: load.id, ordinal: 200 },
    { size: I, nodeId: probe.id, ordinal: 201 },
    { size: I, nodeId: probe.id, ordinal: 202 },
    { size: I, nodeId: idle.id, ordinal: 203 },
  ];
  return { head, samples };
}

describe('aggregateAllocations', () => {
  const a = aggregateAllocations(profile(), 10, I, 'http://127.0.0.1:8080');

  it('totals every owner, per frame', () => {
    expect(a.totalBytes).toBe(40 * I + 8 * I + 100_000 + 2 * I + I);
    expect(a.bytesPerFrame).toBe(a.totalBytes / 10);
    expect(a.samples).toBe(52);
    expect(a.upperBound95BytesPerFrame).toBeNaN();
  });

  it('sites: function, script, 1-based line, owner, callers; heaviest first', () => {
    expect(a.sites.map((s) => s.functionName)).toEqual([
      'loadLevel',
      'update',
      'render',
      'push',
      'steadyheapProbeLongFrames',
      '(IDLE)',
    ]);
    // A built-in belongs to its caller's package; V8's own nodes stay the browser's.
    expect(a.sites[3]).toMatchObject({ script: '(no script)', owner: 'pixi.js', ownerKind: 'package' });
    expect(a.sites[3].callers[0]).toMatch(/^render /);
    expect(a.sites[5]).toMatchObject({ owner: '(browser)', ownerKind: 'browser' });
    const update = a.sites[1];
    expect(update).toMatchObject({
      url: 'http://127.0.0.1:8080/game.js',
      script: '/game.js',
      line: 10,
      column: 5,
      owner: '/game.js',
      ownerKind: 'page',
      bytesPerFrame: 4 * I,
      samples: 40,
      callers: ['frame (/game.js:4)'],
    });
    // 40 samples of one interval each: 95% margin 1.96 x 1024 x sqrt(40) bytes over 10 frames.
    expect(update.error95BytesPerFrame).toBeCloseTo((1.96 * I * Math.sqrt(40)) / 10, 6);
    // One object far larger than the interval is always sampled: no sampling error.
    expect(a.sites[0].error95BytesPerFrame).toBeLessThan(1e-6);
  });

  it('byScript and byPackage roll the sites up; the probe is listed under its own owner', () => {
    expect(a.byScript.map((s) => [s.script, s.bytesPerFrame])).toEqual([
      ['/game.js', (40 * I + 100_000) / 10],
      ['/node_modules/pixi.js/dist/pixi.mjs', (8 * I) / 10],
      [PROBE_SCRIPT_URL, (2 * I) / 10],
      ['(no script)', I / 10],
    ]);
    expect(a.byPackage.map((p) => [p.package, p.kind, p.bytesPerFrame, p.scripts])).toEqual([
      ['/game.js', 'page', (40 * I + 100_000) / 10, 1],
      ['pixi.js', 'package', (8 * I) / 10, 1],
      ['(steadyheap probe)', 'probe', (2 * I) / 10, 1],
      ['(browser)', 'browser', I / 10, 1],
    ]);
  });

  it('no sample: zero with the rule-of-three bound; no frames: NaN per frame', () => {
    nextId = 1;
    const empty = aggregateAllocations({ head: node('(root)', '', -1, 0), samples: [] }, 100, I);
    expect(empty.bytesPerFrame).toBe(0);
    expect(empty.upperBound95BytesPerFrame).toBeCloseTo((3 * I) / 100, 9);
    expect(aggregateAllocations(profile(), 0, I).bytesPerFrame).toBeNaN();
    expect(() => aggregateAllocations({} as never, 1, I)).toThrow(TypeError);
  });

  it('sampleVariance: full for small objects, none for objects far above the interval', () => {
    expect(sampleVariance(I, I)).toBe(I * I);
    expect(sampleVariance(1.3 * I, I)).toBeCloseTo((1.3 * I) ** 2, 6);
    expect(sampleVariance(2 * I, I)).toBeCloseTo(4 * I * I * Math.exp(-1), 6);
    expect(sampleVariance(20 * I, I)).toBeLessThan(1e-6 * (20 * I) ** 2);
  });

  it('moments: runs of consecutive ordinals; one moment per run is a one-off, recurring samples are not', () => {
    // update's 40 samples are consecutive (one moment); loadLevel's one object is one moment.
    expect(a.sites.find((s) => s.functionName === 'update')).toMatchObject({ moments: 1, oneOff: true });
    expect(a.sites.find((s) => s.functionName === 'loadLevel')).toMatchObject({ moments: 1, oneOff: true });
    nextId = 1;
    const tick = node('tick', 'http://h/game.js', 1, 5 * I);
    const burst = node('frame', 'http://h/game.js', 9, 4 * I + 5568);
    const idle = node('(IDLE)', '', -1, 6 * I);
    const head = node('(root)', '', -1, 0, [tick, burst, idle]);
    // tick allocates every frame, between the browser's samples; frame's samples all come at once.
    const samples = [
      ...[0, 2, 4, 6, 8].map((ordinal) => ({ size: I, nodeId: tick.id, ordinal })),
      ...[1, 3, 5, 7, 9, 15].map((ordinal) => ({ size: I, nodeId: idle.id, ordinal })),
      ...[10, 11, 12, 13, 14].map((ordinal, i) => ({ size: i === 2 ? 5568 : I, nodeId: burst.id, ordinal })),
    ];
    const b = aggregateAllocations({ head, samples }, 10, I);
    expect(b.sites.find((s) => s.functionName === 'tick')).toMatchObject({ moments: 5, oneOff: false });
    expect(b.sites.find((s) => s.functionName === 'frame')).toMatchObject({ moments: 1, oneOff: true });
    expect(b.sites.find((s) => s.functionName === '(IDLE)')).toMatchObject({ moments: 6, oneOff: false });
  });
});
