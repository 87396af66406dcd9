import { describe, expect, it } from 'vitest';
import {
  RAF_EVENT_NAME,
  mainThreadTimeline,
  slicesPerFrame,
  type TraceEvent,
} from '../../../src/profile/browser/trace.ts';

const PAGE = 7;
const MAIN = 1;
const WORKER = 2;
const OTHER_PAGE = 99;

/** A trace whose window mark is at trace time 1,000,000 µs = page time 500 ms. */
function events(): TraceEvent[] {
  return [
    { name: 'thread_name', ph: 'M', pid: PAGE, tid: MAIN, ts: 0, args: { name: 'CrRendererMain' } },
    { name: 'MinorGC', cat: 'devtools.timeline,v8', ph: 'X', pid: PAGE, tid: MAIN, ts: 990_000, dur: 900 },
    { name: 'win-1', cat: 'blink.user_timing', ph: 'I', pid: PAGE, tid: MAIN, ts: 1_000_000 },
    { name: RAF_EVENT_NAME, cat: 'blink', ph: 'X', pid: PAGE, tid: MAIN, ts: 1_002_000, dur: 3000 },
    { name: 'MinorGC', cat: 'devtools.timeline,v8', ph: 'X', pid: PAGE, tid: MAIN, ts: 1_010_000, dur: 1500 },
    { name: 'MinorGC', cat: 'devtools.timeline,v8', ph: 'X', pid: PAGE, tid: WORKER, ts: 1_011_000, dur: 1500 },
    { name: 'MajorGC', cat: 'devtools.timeline,v8', ph: 'B', pid: PAGE, tid: MAIN, ts: 1_040_000 },
    { name: 'MajorGC', cat: 'devtools.timeline,v8', ph: 'E', pid: PAGE, tid: MAIN, ts: 1_046_000 },
    { name: RAF_EVENT_NAME, cat: 'blink', ph: 'X', pid: PAGE, tid: MAIN, ts: 1_018_700, dur: 1000 },
    { name: 'MinorGC', cat: 'devtools.timeline,v8', ph: 'X', pid: OTHER_PAGE, tid: MAIN, ts: 1_050_000, dur: 3000 },
    { name: 'v8.callFunction', cat: 'v8', ph: 'X', pid: PAGE, tid: MAIN, ts: 1_060_000, dur: 2000 },
  ];
}

describe('mainThreadTimeline', () => {
  it("keeps the mark's thread's GC and callback slices, on the page clock, sorted", () => {
    const t = mainThreadTimeline(events(), 'win-1', 500);
    expect(t.aligned).toBe(true);
    expect(t.gc).toEqual([
      { kind: 'minor', startMs: 490, durationMs: 0.9 },
      { kind: 'minor', startMs: 510, durationMs: 1.5 },
      { kind: 'major', startMs: 540, durationMs: 6 },
    ]);
    expect(t.raf).toEqual([
      { startMs: 502, durationMs: 3 },
      { startMs: 518.7, durationMs: 1 },
    ]);
    expect(t.endMs).toBe(562); // the last main-thread event ends at 1,062,000 µs
    expect(t.eventCount).toBe(11);
  });

  it('is not aligned without its mark', () => {
    const t = mainThreadTimeline(events(), 'win-2', 500);
    expect(t).toMatchObject({ aligned: false, gc: [], raf: [] });
    expect(t.endMs).toBeNaN();
    expect(() => mainThreadTimeline(null as never, 'x', 0)).toThrow(TypeError);
  });
});

describe('slicesPerFrame', () => {
  it('puts a slice on the frame it starts in; none before the first frame or after the last', () => {
    const begin = [100, 116.7, 133.3, 200];
    const r = slicesPerFrame(
      [
        { startMs: 90, durationMs: 1 },
        { startMs: 100, durationMs: 2 },
        { startMs: 116.6, durationMs: 0.5 },
        { startMs: 150, durationMs: 4 },
        { startMs: 151, durationMs: 1 },
        { startMs: 200, durationMs: 9 },
      ],
      begin,
    );
    expect(r.count).toEqual([2, 0, 2]);
    expect(r.ms).toEqual([2.5, 0, 5]);
    expect(r.frameOf).toEqual([-1, 0, 0, 2, 2, -1]);
    expect(slicesPerFrame([{ startMs: 1, durationMs: 1 }], [1])).toEqual({ count: [], ms: [], frameOf: [-1] });
  });
});
