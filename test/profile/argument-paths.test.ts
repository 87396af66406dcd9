/**
 * Argument checks run on every path: each public FrameProfiler entry point rejects a bad
 * argument whatever state the profiler is in (fresh, first frame open, frames held), changing
 * nothing; and ranges too small to divide still land every frame in a bin.
 */
import { describe, expect, it } from 'vitest';
import { FrameProfiler } from '../../src/profile/frame-profiler.ts';

type State = 'fresh' | 'first frame open' | 'frames held';

function profilerIn(state: State): FrameProfiler {
  let t = 0;
  const prof = new FrameProfiler({ capacity: 16, clock: () => (t += 16) });
  if (state === 'first frame open') prof.beginFrame();
  if (state === 'frames held') {
    for (let i = 0; i < 5; i++) prof.record(16 + i);
    prof.beginFrame();
    prof.endFrame();
    prof.beginFrame();
  }
  return prof;
}

const BAD: [string, unknown, typeof TypeError | typeof RangeError][] = [
  ["'1'", '1', TypeError],
  ['null', null, TypeError],
  ['1n', 1n, TypeError],
  ['-1', -1, RangeError],
  ['1.5', 1.5, RangeError],
  ['NaN', Number.NaN, RangeError],
  ['Infinity', Number.POSITIVE_INFINITY, RangeError],
];

const CALLS: Record<string, (p: FrameProfiler, bad: never) => unknown> = {
  'endFrame(live)': (p, bad) => p.endFrame(bad),
  'endFrame(0, spawned)': (p, bad) => p.endFrame(0, bad),
  'endFrame(0, 0, freed)': (p, bad) => p.endFrame(0, 0, bad),
  'record(frameMs)': (p, bad) => p.record(bad),
  'record(16, 1, live)': (p, bad) => p.record(16, 1, bad),
  'recordUs(frameUs)': (p, bad) => p.recordUs(bad),
  'noteGc(count)': (p, bad) => p.noteGc(bad, 0),
  'windowPercentile(50, lastFrames)': (p, bad) => p.windowPercentile(50, bad),
  'windowMax(lastFrames)': (p, bad) => p.windowMax(bad),
  'histogram(binCount)': (p, bad) => p.histogram(bad),
  'histogram(10, minMs)': (p, bad) => p.histogram(10, bad),
};

describe('FrameProfiler: every argument is checked on every path', () => {
  for (const state of ['fresh', 'first frame open', 'frames held'] as const) {
    for (const [call, run] of Object.entries(CALLS)) {
      if (call.startsWith('endFrame') && state === 'fresh') continue; // no frame open: Error first
      for (const [label, bad, kind] of BAD) {
        // Fractions and NaN are valid frame times; negative and non-numbers are not.
        if (call.startsWith('record(frameMs)') && (label === '1.5' || label === 'NaN')) continue;
        if (call.startsWith('histogram(10, minMs)') && label === '1.5') continue;
        it(`${state}: ${call} with ${label} throws ${kind.name}, unchanged`, () => {
          const prof = profilerIn(state);
          const before = JSON.stringify(prof.toJSON());
          expect(() => run(prof, bad as never)).toThrow(kind);
          expect(JSON.stringify(prof.toJSON())).toBe(before);
          prof.check();
        });
      }
    }
  }

  it('endFrame on the first frame (nothing recorded) still rejects a wrong-typed count, and keeps the frame open', () => {
    const prof = profilerIn('first frame open');
    expect(() => prof.endFrame('3' as unknown as number)).toThrow(TypeError);
    expect(() => prof.endFrame(-1)).toThrow(RangeError);
    expect(prof.endFrame(3)).toBe(false); // the frame was still open: the good call closes it
    expect(prof.frames).toBe(0);
  });
});

describe('FrameProfiler.histogram: tiny ranges clamp instead of dropping frames', () => {
  for (const maxMs of [Number.MIN_VALUE, 1e-320, 1e-300, 1e-12]) {
    it(`[0, ${maxMs}] with 50 bins counts every frame`, () => {
      const prof = new FrameProfiler({ capacity: 8 });
      for (const f of [0, 0, 1, 16, 33]) prof.record(f);
      const h = prof.histogram(50, 0, maxMs);
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
      expect(h.counts).toHaveLength(50);
      expect(h.counts[49]).toBeGreaterThanOrEqual(3); // 1, 16 and 33 ms lie above the range
    });
  }

  it('a frame exactly at minMs in a range that underflows goes to the first bin', () => {
    const prof = new FrameProfiler({ capacity: 4 });
    prof.record(5);
    const h = prof.histogram(10, 5, 5 + 1e-15);
    expect(h.counts[0]).toBe(1);
  });
});

describe('FrameProfiler: a clock that re-enters', () => {
  it('a clock that calls beginFrame/endFrame of its own profiler is refused, nothing recorded', () => {
    let t = 0;
    let prof: FrameProfiler;
    let reenter = false;
    let nested: unknown = null;
    prof = new FrameProfiler({
      clock: () => {
        if (reenter) {
          reenter = false;
          try {
            prof.beginFrame();
          } catch (e) {
            nested = e;
          }
        }
        t += 16;
        return t;
      },
    });
    prof.beginFrame();
    prof.endFrame();
    reenter = true;
    prof.beginFrame();
    expect(nested).toBeInstanceOf(Error);
    expect(prof.endFrame()).toBe(true);
    expect(prof.frames).toBe(1);
    expect(prof.summary().p50Ms).toBe(32);
  });
});
