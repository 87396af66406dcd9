import { describe, expect, it } from 'vitest';
import { FRAMES_CSV_COLUMNS, analyzeFrames, framesCsv } from '../../../src/profile/browser/frames.ts';
import type { MainThreadTimeline } from '../../../src/profile/browser/trace.ts';

/** 60 frames of 16.7 ms from t = 1000 ms, frame 30 lasting 50 ms instead. */
function timestamps(): number[] {
  const t = [1000];
  for (let k = 0; k < 60; k++) t.push(t[k] + (k === 30 ? 50 : 16.7));
  return t;
}

const timeline = (t: number[]): MainThreadTimeline => ({
  aligned: true,
  eventCount: 100,
  endMs: t[t.length - 1],
  raf: t.map((b, k) => ({ startMs: b + 0.2, durationMs: k === 30 ? 40 : 1 })),
  gc: [
    { kind: 'minor', startMs: t[10] + 5, durationMs: 1.5 },
    { kind: 'major', startMs: t[30] + 41, durationMs: 6 },
    { kind: 'minor', startMs: 900, durationMs: 2 }, // before the window: on no frame
  ].sort((a, b) => a.startMs - b.startMs) as MainThreadTimeline['gc'],
});

describe('analyzeFrames', () => {
  const t = timestamps();
  const r = analyzeFrames({
    tMs: t,
    callbacks: t.map(() => 1),
    windowStartMs: 995,
    timeline: timeline(t),
    longFrames: [
      {
        startMs: t[30] - 3,
        durationMs: 50,
        blockingMs: 0,
        renderStartMs: t[30] + 0.2,
        styleAndLayoutStartMs: 0,
        scripts: [],
      },
    ],
    longFramesSupported: true,
  });

  it("frame k spans from its callbacks' start to the next's; the budget is the median; over 1.5 budgets is missed", () => {
    expect(r.rows).toHaveLength(60);
    expect(r.frames.count).toBe(60);
    expect(r.frames.budgetMs).toBeCloseTo(16.7, 9);
    expect(r.frames.missed).toBe(1);
    expect(r.rows[30]).toMatchObject({ missed: true, rafMs: 40, callbacks: 1, longAnimationFrameMs: 50 });
    expect(r.rows[30].frameMs).toBeCloseTo(50, 9);
    expect(r.rows[0].beginMs).toBeCloseTo(5.2, 9);
    expect(r.rows[0].timestampMs).toBe(5);
    expect(r.frames.maxMs).toBeCloseTo(50, 9);
    expect(r.frames.p50Ms).toBeCloseTo(16.7, 9);
    expect(r.frames.hitches.over50Ms).toBe(0);
    expect(r.frames.hitches.twiceRollingMedian).toBe(1);
    expect(r.frames.raf.p50Ms).toBe(1);
    expect(r.frames.raf.maxMs).toBe(40);
    expect(r.frames.longAnimationFrames).toEqual({ supported: true, count: 1, totalMs: 50, maxMs: 50, blockingMs: 0 });
  });

  it('GC: counted on frames, the missed frame with a GC inside is a headline', () => {
    expect(r.gc).toMatchObject({ traced: true, count: 2, minor: 1, major: 1, totalMs: 7.5, maxMs: 6 });
    expect(r.gc.framesWithGc).toBe(2);
    expect(r.gc.missedFramesWithGc).toBe(1);
    expect(r.gc.gcMsInMissedFrames).toBe(6);
    expect(r.gc.events.map((e) => e.frame)).toEqual([-1, 10, 30]);
    expect(r.gc.events[0].startMs).toBe(-95);
  });

  it('a given budget overrides the median; an unaligned trace gives NaN GC figures and callback times', () => {
    const strict = analyzeFrames({
      tMs: t,
      callbacks: t.map(() => 1),
      windowStartMs: 1000,
      timeline: { aligned: false, gc: [], raf: [], endMs: Number.NaN, eventCount: 0 },
      longFrames: [],
      longFramesSupported: false,
      budgetMs: 10,
    });
    expect(strict.frames.missed).toBe(60);
    expect(strict.gc.count).toBeNaN();
    expect(strict.gc.missedFramesWithGc).toBeNaN();
    expect(strict.rows[0].rafMs).toBeNaN();
    expect(strict.frames.raf.p50Ms).toBeNaN();
  });

  it('puts a long callback on its own frame when the next timestamp is a stale refresh', () => {
    // Timestamps 0, 16.7, 33.3 (stale: the browser ran it at 93), 100; callbacks of frame 1 took 60 ms.
    const ts = [0, 16.7, 33.3, 100, 116.7];
    const starts = [0.5, 17, 93, 100.5, 117];
    const lag = analyzeFrames({
      tMs: ts,
      callbacks: ts.map(() => 1),
      windowStartMs: 0,
      timeline: {
        aligned: true,
        eventCount: 10,
        endMs: 200,
        raf: starts.map((s, k) => ({ startMs: s, durationMs: k === 1 ? 60 : 0.5 })),
        gc: [{ kind: 'minor', startMs: 78, durationMs: 2 }],
      },
      longFrames: [],
      longFramesSupported: true,
    });
    expect(lag.rows.map((r) => r.frameMs)).toEqual([16.5, 76, 7.5, 16.5]);
    expect(lag.rows[1]).toMatchObject({ missed: true, rafMs: 60, gcCount: 1 });
    expect(lag.gc.missedFramesWithGc).toBe(1);
  });

  it('rejects mismatched columns, backwards time and a bad budget', () => {
    const base = {
      windowStartMs: 0,
      timeline: timeline(t),
      longFrames: [],
      longFramesSupported: true,
    };
    expect(() => analyzeFrames({ ...base, tMs: [1, 2], callbacks: [1] })).toThrow(TypeError);
    expect(() => analyzeFrames({ ...base, tMs: [2, 1], callbacks: [1, 1] })).toThrow(RangeError);
    expect(() => analyzeFrames({ ...base, tMs: [1, 2], callbacks: [1, 1], budgetMs: 0 })).toThrow(RangeError);
  });

  it('writes the per-frame CSV with one row per frame and run', () => {
    const csv = framesCsv([r.rows, r.rows.slice(0, 2)])
      .trim()
      .split('\n');
    expect(csv[0]).toBe(FRAMES_CSV_COLUMNS.join(','));
    expect(csv).toHaveLength(1 + 60 + 2);
    expect(csv[31]).toBe('1,30,506.2,50,506,40,1,1,6,1,50');
    expect(csv[61].startsWith('2,0,5.2,16.7,5,1,')).toBe(true);
  });
});
