/**
 * `FrameProfiler.recordUs`: frames given in whole microseconds (the integer API a frame loop uses
 * so that no fractional number crosses a call and gets boxed). Hand-computed values, equivalence
 * with `record`, the error policy, and zero allocation.
 */
import { describe, expect, it } from 'vitest';
import { FrameProfiler, MAX_FRAME_MS, MAX_FRAME_US, UNKNOWN_CPU_US } from '../../src/profile/frame-profiler.ts';
import { countGc } from '../support/gc.ts';
import { mulberry32 as rng } from '../support/random.ts';

describe('recordUs, hand-computed', () => {
  it('records µs as ms: 16,667 µs + 33,333 µs, CPU 2,500 µs then unknown', () => {
    const prof = new FrameProfiler({ capacity: 4 });
    prof.recordUs(16_667, 2_500, 10, 3, 2);
    prof.recordUs(33_333); // cpuUs defaults to -1 (unknown), counts to 0
    prof.check();
    const s = prof.summary();
    expect(s.frames).toBe(2);
    expect(s.seconds).toBeCloseTo(0.05, 12); // (16.667 + 33.333) ms
    expect(s.meanMs).toBeCloseTo(25, 12);
    expect(s.minMs).toBe(16.667);
    expect(s.maxMs).toBe(33.333);
    expect(s.cpuMeanMs).toBe(2.5); // the unknown CPU time is left out
    expect(s.liveMin).toBe(0);
    expect(s.liveMax).toBe(10);
    expect(prof.toCSV().trim().split('\n').slice(1)).toEqual([
      '0,16.667,16.667,2.5,10,3,2,0,0',
      '1,50,33.333,,0,0,0,0,0', // t_ms = 16.667 + 33.333; cpu_ms empty (unknown)
    ]);
  });

  it('the range ends are accepted: 0 µs and MAX_FRAME_US (one hour)', () => {
    const prof = new FrameProfiler({ capacity: 2 });
    expect(MAX_FRAME_US).toBe(3_600_000_000);
    expect(UNKNOWN_CPU_US).toBe(-1);
    prof.recordUs(0, 0);
    prof.recordUs(MAX_FRAME_US, MAX_FRAME_US, 0xffff_ffff, 0, 0);
    prof.check();
    const s = prof.summary();
    expect(s.maxMs).toBe(MAX_FRAME_MS);
    expect(s.minMs).toBe(0);
    expect(s.cpuMeanMs).toBe(MAX_FRAME_MS / 2);
    expect(s.liveMax).toBe(0xffff_ffff);
  });

  it('is the same frame as record(frameUs / 1000, cpuUs / 1000, ...) on a seeded random run', () => {
    const random = rng(7);
    const byUs = new FrameProfiler({ capacity: 64 });
    const byMs = new FrameProfiler({ capacity: 64 });
    for (let i = 0; i < 200; i++) {
      const frameUs = Math.floor(random() * 60_000);
      const cpuUs = random() < 0.2 ? -1 : Math.floor(random() * 10_000);
      const live = Math.floor(random() * 5000);
      byUs.recordUs(frameUs, cpuUs, live, i % 7, i % 5);
      byMs.record(frameUs / 1000, cpuUs === -1 ? NaN : cpuUs / 1000, live, i % 7, i % 5);
      if (i % 20 === 0) {
        byUs.noteGc(1, 0.5);
        byMs.noteGc(1, 0.5);
      }
      byUs.check();
    }
    expect(byUs.toCSV()).toBe(byMs.toCSV());
    expect(byUs.summary()).toEqual(byMs.summary());
    expect(byUs.windowPercentile(99, 60)).toBe(byMs.windowPercentile(99, 60));
  });
});

describe('recordUs applies the error policy and leaves the profiler unchanged', () => {
  const bad: [string, unknown[], ErrorConstructor, RegExp][] = [
    ['string frame', ['16667'], TypeError, /frameUs must be a number of µs, got/],
    ['null frame', [null], TypeError, /frameUs/],
    ['undefined frame', [undefined], TypeError, /frameUs/],
    [
      'fractional frame',
      [16_666.7],
      RangeError,
      /frameUs must be an integer number of µs in \[0, 3600000000\].*16666\.7/,
    ],
    ['negative frame', [-1], RangeError, /frameUs .*got -1/],
    ['NaN frame', [NaN], RangeError, /frameUs .*NaN/],
    ['infinite frame', [Infinity], RangeError, /frameUs/],
    ['frame over one hour', [MAX_FRAME_US + 1], RangeError, /frameUs .*MAX_FRAME_US/],
    ['string cpu', [16_667, '2500'], TypeError, /cpuUs must be a number of µs/],
    ['fractional cpu', [16_667, 0.5], RangeError, /cpuUs .* or -1 \(UNKNOWN_CPU_US\), got 0\.5/],
    ['cpu -2', [16_667, -2], RangeError, /cpuUs/],
    ['NaN cpu', [16_667, NaN], RangeError, /cpuUs/],
    ['cpu over one hour', [16_667, MAX_FRAME_US + 1], RangeError, /cpuUs/],
    ['negative live', [16_667, 1, -1], RangeError, /live/],
    ['fractional spawned', [16_667, 1, 1, 0.5], RangeError, /spawned/],
    ['freed 2^32', [16_667, 1, 1, 1, 2 ** 32], RangeError, /freed/],
    ['string live', [16_667, 1, '3'], TypeError, /live/],
  ];
  for (const [name, args, type, message] of bad) {
    it(`${name}: ${type.name}`, () => {
      const prof = new FrameProfiler({ capacity: 8 });
      prof.recordUs(16_667, 1_000, 5, 1, 0);
      prof.noteGc(1, 2);
      const before = prof.toCSV();
      const call = () => (prof.recordUs as (...a: unknown[]) => void)(...args);
      expect(call).toThrow(type);
      expect(call).toThrow(message);
      expect(prof.frames).toBe(1);
      expect(prof.totalFrames).toBe(1);
      expect(prof.toCSV()).toBe(before);
      prof.check();
      // The GC noted before the rejected call still goes to the next recorded frame.
      prof.recordUs(20_000);
      expect(prof.toCSV().trim().split('\n')[2]).toBe('1,36.667,20,,0,0,0,1,2');
    });
  }
});

describe('recordUs allocates nothing', () => {
  const clockCell = new Float64Array(1); // the frame loop's clock, in a typed-array cell
  /** A frame loop as the demo writes it: a fractional timestamp, rounded to µs before the call. */
  function frame(prof: FrameProfiler, i: number): void {
    const previousMs = clockCell[0];
    const nowMs = previousMs + 16 + (i % 7) * 0.37;
    clockCell[0] = nowMs;
    const frameUs = Math.round((nowMs - previousMs) * 1000);
    prof.recordUs(frameUs, i % 3 === 0 ? UNKNOWN_CPU_US : 2_345, i % 5000, 3, 2);
  }

  it('100k frames without a garbage collection', async () => {
    const prof = new FrameProfiler({ capacity: 3600 });
    const frames = (count: number) => {
      for (let i = 0; i < count; i++) frame(prof, i);
    };
    for (let k = 0; k < 6; k++) frames(20_000); // warm-up: let V8 optimize every path
    const gc = await countGc(() => frames(100_000));
    expect(prof.frames).toBe(3600);
    expect(prof.totalFrames).toBe(220_000);
    prof.check();
    expect(gc, JSON.stringify(gc)).toMatchObject({ count: 0 });
  });
});
