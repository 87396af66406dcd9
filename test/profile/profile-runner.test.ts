/**
 * The profile runner's pure parts (bench/profile/): trace parsing and GC-to-frame alignment,
 * allocation-site aggregation, CLI parsing, the comparison table. The browser run itself is
 * covered by test/e2e/profile.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { gcPerFrame, gcTimeline, type TraceEvent } from '../../bench/profile/trace.ts';
import { aggregate, originOf } from '../../bench/profile/sampling.ts';
import { parseArgs, DEFAULT_OPTIONS } from '../../bench/profile/options.ts';
import { formatComparisonTable, median, medianFigures } from '../../src/profile/report.ts';

const RENDERER = 7;
const MAIN = 1;
const OTHER = 2;

function events(): TraceEvent[] {
  return [
    { name: 'thread_name', ph: 'M', pid: RENDERER, tid: MAIN, ts: 0, args: { name: 'CrRendererMain' } },
    { name: 'thread_name', ph: 'M', pid: RENDERER, tid: OTHER, ts: 0, args: { name: 'DedicatedWorker thread' } },
    { name: 'thread_name', ph: 'M', pid: 99, tid: MAIN, ts: 0, args: { name: 'CrRendererMain' } },
    { name: 'MinorGC', ph: 'X', pid: RENDERER, tid: MAIN, ts: 500_000, dur: 900 }, // before the marker
    { name: 'TimeStamp', ph: 'I', pid: RENDERER, tid: MAIN, ts: 1_000_000, args: { data: { message: 'mark-1' } } },
    { name: 'MinorGC', ph: 'X', pid: RENDERER, tid: MAIN, ts: 1_010_000, dur: 1500 }, // +10 ms
    { name: 'MinorGC', ph: 'X', pid: RENDERER, tid: OTHER, ts: 1_020_000, dur: 1500 }, // worker: ignored
    { name: 'MajorGC', ph: 'B', pid: RENDERER, tid: MAIN, ts: 1_040_000 }, // +40 ms, 6 ms
    { name: 'V8.GC_MC_MARK', ph: 'X', pid: RENDERER, tid: MAIN, ts: 1_041_000, dur: 2000 },
    { name: 'MajorGC', ph: 'E', pid: RENDERER, tid: MAIN, ts: 1_046_000 },
    { name: 'MinorGC', ph: 'X', pid: 99, tid: MAIN, ts: 1_050_000, dur: 3000 }, // other renderer
  ];
}

describe('trace: GC slices on the renderer main thread', () => {
  it('counts MinorGC/MajorGC on CrRendererMain of the marked renderer only, relative to the marker', () => {
    const gc = gcTimeline(events(), 'mark-1');
    expect(gc.aligned).toBe(true);
    expect(gc.minor).toBe(1);
    expect(gc.major).toBe(1);
    expect(gc.slices).toEqual([
      { kind: 'minor', startMs: 10, durationMs: 1.5 },
      { kind: 'major', startMs: 40, durationMs: 6 },
    ]);
    expect(gc.totalMs).toBeCloseTo(7.5, 9);
    expect(gc.maxMs).toBe(6);
    expect(gc.namesSeen).toMatchObject({ MinorGC: 2, MajorGC: 2, 'V8.GC_MC_MARK': 1 });
  });

  it('is not aligned without the marker', () => {
    const gc = gcTimeline(events(), 'other-marker');
    expect(gc.aligned).toBe(false);
    expect(gc.slices).toEqual([]);
  });

  it('assigns slices to the frame during which they start', () => {
    const tMs = [16, 33, 50, 66]; // frame ends
    const perFrame = gcPerFrame(
      [
        { kind: 'minor', startMs: 10, durationMs: 1.5 },
        { kind: 'major', startMs: 40, durationMs: 6 },
        { kind: 'minor', startMs: 45, durationMs: 1 },
        { kind: 'minor', startMs: 90, durationMs: 1 }, // after the last frame: dropped
      ],
      tMs,
    );
    expect(perFrame).toEqual({ count: [1, 0, 2, 0], ms: [1.5, 0, 7, 0] });
  });
});

describe('allocation sampling aggregation', () => {
  const frame = (functionName: string, url: string, lineNumber: number) => ({
    functionName,
    url,
    lineNumber,
    columnNumber: 0,
  });
  it('groups sites, classifies origins and divides by frames', () => {
    const head = {
      callFrame: frame('(root)', '', -1),
      selfSize: 0,
      children: [
        {
          callFrame: frame('frame', 'http://h/examples/particles/main.ts', 118),
          selfSize: 0,
          children: [
            {
              callFrame: frame('render', 'http://h/node_modules/.vite/deps/RenderTargetSystem-Bd.js', 10),
              selfSize: 4000,
              children: [],
            },
            { callFrame: frame('write', 'http://h/src/profile/frame-profiler.ts', 170), selfSize: 100, children: [] },
          ],
        },
        { callFrame: frame('(IDLE)', '', -1), selfSize: 50, children: [] },
      ],
    };
    const p = aggregate(head, 10, 5);
    expect(p.totalBytes).toBe(4150);
    expect(p.bytesPerFrame).toBe(415);
    expect(p.byOrigin).toEqual({ 'pixi.js': 400, steadyheap: 10, 'browser/V8': 5 });
    expect(p.topSites[0]).toMatchObject({ functionName: 'render', origin: 'pixi.js', bytesPerFrame: 400 });
    expect(p.topSites[0].callers).toEqual(['frame (examples/particles/main.ts:119)']);
    expect(p.ourSites.map((s) => s.functionName)).toEqual(['write']);
    expect(originOf('http://h/examples/particles/pixi-view.ts')).toBe('demo');
    expect(originOf('http://h/assets/particles-abc.js')).toBe('bundle');
  });
});

describe('options and tables', () => {
  it('parses the CLI flags and rejects bad ones', () => {
    const o = parseArgs([
      '--runs',
      '5',
      '--spawn',
      '100',
      '--duration',
      '2.5',
      '--modes',
      'naive,pooled',
      '--no-trace',
    ])!;
    expect(o).toMatchObject({ runs: 5, spawn: 100, durationMs: 2500, modes: ['naive', 'pooled'], trace: false });
    expect(o.capacity).toBe(DEFAULT_OPTIONS.capacity);
    expect(parseArgs(['--help'])).toBeNull();
    expect(() => parseArgs(['--runs', '0'])).toThrow(RangeError);
    expect(() => parseArgs(['--modes', 'fast'])).toThrow(/unknown mode/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option/);
  });

  it('medians of runs and the side-by-side table', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([NaN, 5])).toBe(5);
    const m = medianFigures([
      { p99Ms: 20, gc: 3 },
      { p99Ms: 18, gc: 1 },
      { p99Ms: 30, gc: 2 },
    ]);
    expect(m).toEqual({ p99Ms: 20, gc: 2 });
    const table = formatComparisonTable(
      [
        ['pooled', { p99Ms: 17.5 }],
        ['naive', { p99Ms: 40.25 }],
      ],
      [
        { key: 'p99Ms', label: 'p99 (ms)' },
        { key: 'gc', label: 'GC', digits: 0 },
      ],
    );
    expect(table.split('\n')).toEqual([
      '          pooled  naive',
      '--------  ------  -----',
      'p99 (ms)   17.50  40.25',
      'GC             -      -',
    ]);
  });
});
