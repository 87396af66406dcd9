import { describe, expect, it } from 'vitest';
import { FRAME_CSV_COLUMNS, FrameProfiler, MAX_FRAME_MS } from '../../src/profile/frame-profiler.ts';
import { HITCH_RULES, countHitches } from '../../src/profile/hitches.ts';
import { countGc } from '../support/gc.ts';
import { mulberry32 as rng } from '../support/random.ts';

/** Reference percentile: type 7 on a sorted copy. */
function refPercentile(values: number[], p: number): number {
  const s = [...values].sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const h = ((s.length - 1) * p) / 100;
  const lo = Math.floor(h);
  return lo >= s.length - 1 ? s[s.length - 1] : s[lo] + (h - lo) * (s[lo + 1] - s[lo]);
}

function profilerWith(frames: number[], options = {}) {
  const prof = new FrameProfiler({ capacity: Math.max(2, frames.length), ...options });
  for (const f of frames) prof.record(f);
  return prof;
}

describe('FrameProfiler summary, hand-computed', () => {
  it('percentiles, mean, standard deviation and average FPS of 10..50 ms', () => {
    const s = profilerWith([30, 10, 50, 20, 40]).summary();
    expect(s.frames).toBe(5);
    expect(s.seconds).toBeCloseTo(0.15, 12);
    expect(s.meanMs).toBe(30);
    expect(s.p50Ms).toBe(30); // h = 2
    expect(s.p90Ms).toBeCloseTo(46, 12); // h = 3.6: 40 + 0.6 * 10
    expect(s.p95Ms).toBeCloseTo(48, 12); // h = 3.8
    expect(s.p99Ms).toBeCloseTo(49.6, 12); // h = 3.96
    expect(s.p999Ms).toBeCloseTo(49.96, 12); // h = 3.996
    expect(s.minMs).toBe(10);
    expect(s.maxMs).toBe(50);
    expect(s.stdDevMs).toBeCloseTo(Math.sqrt(200), 12); // population: (400+100+0+100+400)/5
    expect(s.avgFps).toBeCloseTo(5 / 0.15, 9);
    expect(s.low1PctFpsFromP99).toBeCloseTo(1000 / 49.6, 9);
    expect(s.low1PctFps).toBe(20); // 1% of 150 ms = 1.5 ms, reached by the 50 ms frame
    expect(s.definitions.percentile).toMatch(/type 7/);
    expect(s.definitions.lowFps).toMatch(/CapFrameX/);
  });

  it('time-weighted lows differ from 1000 / p99 as defined', () => {
    // 1000 frames of 10 ms and one of 50 ms: total 10050 ms.
    const frames = [...Array<number>(500).fill(10), 50, ...Array<number>(500).fill(10)];
    const s = profilerWith(frames).summary();
    // 1%: 100.5 ms, slowest first: 50 + 10 x 6 >= 100.5, reached at a 10 ms frame -> 100 fps.
    expect(s.low1PctFps).toBe(100);
    // 0.1%: 10.05 ms, reached by the 50 ms frame alone -> 20 fps.
    expect(s.low01PctFps).toBe(20);
    // p99: h = 990, sorted[990] = 10 -> 100 fps; p99.9: h = 999 (up to rounding) -> ~10 ms.
    expect(s.low1PctFpsFromP99).toBe(100);
    expect(s.p999Ms).toBeCloseTo(10, 6);
    expect(s.avgFps).toBeCloseTo(1001_000 / 10050, 9);
  });

  it('an empty profiler summarises to NaN times and zero counts', () => {
    const s = new FrameProfiler().summary();
    expect(s.frames).toBe(0);
    expect(s.meanMs).toBeNaN();
    expect(s.p99Ms).toBeNaN();
    expect(s.hitches.any).toBe(0);
    expect(s.stutterTimeShare).toBe(0);
    expect(s.cpuMeanMs).toBeNaN();
  });
});

describe('hitch rules on crafted sequences', () => {
  it('counts each named rule', () => {
    // window 4, budget 16.67 ms
    const seq = [10, 10, 10, 10, 25, 10, 16, 17, 26, 60, 10];
    const s = profilerWith(seq, { rollingWindowFrames: 4, budgetMs: 1000 / 60 }).summary();
    // 25: > 2 x median(10,10,10,10); >= 1.5 x 10 and over budget.
    // 16: >= 1.5 x 10 but under budget. 17: median 13 -> not > 26; 17 < 1.5 x 16.
    // 26: median(25,10,16,17) = 16.5 -> not > 33; >= 1.5 x 17 = 25.5 and over budget.
    // 60: median(10,16,17,26) = 16.5 -> > 33; >= 1.5 x 26; > 50.
    expect(s.hitches).toEqual({ twiceRollingMedian: 2, jumpOverBudget: 3, over50Ms: 1, any: 3 });
    expect(s.stutterTimeShare).toBeCloseTo((25 + 26 + 60) / 204, 12);
    expect(Object.keys(s.definitions.hitches)).toEqual(Object.keys(HITCH_RULES));
  });

  it('the first frame can only be a 50 ms hitch; steady frames are never hitches', () => {
    expect(countHitches(Float64Array.of(70, 10), 2, 16.7, 60).counts).toEqual({
      twiceRollingMedian: 0,
      jumpOverBudget: 0,
      over50Ms: 1,
      any: 1,
    });
    const steady = new Float64Array(200).fill(16.7);
    expect(countHitches(steady, 200, 1000 / 60, 60).counts.any).toBe(0);
  });

  it('a frame exactly 2x the median or 50 ms is not a hitch (strict rules)', () => {
    expect(countHitches(Float64Array.of(10, 10, 10, 20, 50), 5, 100, 3).counts).toEqual({
      twiceRollingMedian: 1, // 50 > 2 x median(10,10,20)
      jumpOverBudget: 0, // budget 100
      over50Ms: 0,
      any: 1,
    });
  });
});

describe('FrameProfiler ring and queries', () => {
  it('wraps around, keeping the newest frames in order', () => {
    const prof = new FrameProfiler({ capacity: 5 });
    for (let i = 1; i <= 8; i++) prof.record(i, i / 2, i * 10, 1, 0);
    prof.check();
    expect(prof.frames).toBe(5);
    expect(prof.totalFrames).toBe(8);
    const out = new Float32Array(3);
    expect(prof.copyRecentFrameMs(out)).toBe(3);
    expect([...out]).toEqual([6, 7, 8]);
    const big = new Float32Array(10);
    expect(prof.copyRecentFrameMs(big)).toBe(5);
    expect([...big.slice(0, 5)]).toEqual([4, 5, 6, 7, 8]);
    expect(prof.windowMax(2)).toBe(8);
    expect(prof.windowPercentile(50)).toBe(6);
    expect(prof.windowPercentile(0, 3)).toBe(6);
    expect(prof.summary().liveMin).toBe(40);
  });

  it('window queries match a reference model on seeded random runs', () => {
    const next = rng(42);
    const prof = new FrameProfiler({ capacity: 64 });
    const model: number[] = [];
    for (let step = 0; step < 400; step++) {
      const ms = next() < 0.05 ? 30 + next() * 40 : 14 + next() * 5;
      prof.record(ms);
      model.push(ms);
      if (model.length > 64) model.shift();
      prof.check();
      const w = 1 + Math.floor(next() * 80);
      const p = Math.floor(next() * 101);
      const recent = model.slice(-w);
      expect(prof.windowPercentile(p, w)).toBeCloseTo(refPercentile(recent, p), 9);
      expect(prof.windowMax(w)).toBe(Math.max(...recent));
      expect(prof.frames).toBe(model.length);
    }
    const s = prof.summary();
    expect(s.p95Ms).toBeCloseTo(refPercentile(model, 95), 9);
    expect(s.p50Ms).toBeCloseTo(refPercentile(model, 50), 9);
  });

  it('beginFrame/endFrame read the clock: interval between begins, CPU time end - begin', () => {
    let now = 0;
    const prof = new FrameProfiler({ clock: () => now });
    prof.beginFrame();
    now = 5;
    expect(prof.endFrame(1, 1, 0)).toBe(false); // first frame: no interval yet
    now = 16;
    prof.beginFrame();
    now = 20;
    expect(prof.endFrame(7, 2, 1)).toBe(true);
    now = 40;
    prof.beginFrame();
    now = 43;
    prof.endFrame(8, 1, 0);
    const csv = prof.toCSV().trim().split('\n');
    expect(csv).toEqual([FRAME_CSV_COLUMNS.join(','), '0,16,16,4,7,2,1,0,0', '1,40,24,3,8,1,0,0,0']);
    expect(() => prof.endFrame()).toThrow(/beginFrame/);
    prof.reset();
    expect(prof.frames).toBe(0);
    prof.check();
  });

  it('histogram bins cover the range and count every frame', () => {
    const h = profilerWith([1, 2, 3, 9, 10, 25]).histogram(5, 0, 10);
    expect(h.binMs).toBe(2);
    expect(h.counts).toEqual([1, 2, 0, 0, 3]); // 10 and 25 clamp into the last bin
    expect(new FrameProfiler().histogram(4).counts).toEqual([0, 0, 0, 0]);
  });
});

describe('exports', () => {
  it('CSV has the exact columns, one line per held frame, and GC figures from noteGc or the caller', () => {
    const prof = new FrameProfiler({ capacity: 10 });
    prof.record(16.6667, NaN, 100, 5, 4);
    prof.noteGc(1, 2.5);
    prof.noteGc(1, 0.5);
    prof.record(17, 3.25, 101, 5, 4);
    const lines = prof.toCSV().trim().split('\n');
    expect(lines[0]).toBe('frame,t_ms,frame_ms,cpu_ms,live,spawned,freed,gc_count,gc_ms');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('0,16.667,16.667,,100,5,4,0,0');
    expect(lines[2]).toBe('1,33.667,17,3.25,101,5,4,2,3');
    const withGc = prof
      .toCSV({ count: [3, 0], ms: [1.5, 0] })
      .trim()
      .split('\n');
    expect(withGc[1].endsWith(',3,1.5')).toBe(true);
    expect(() => prof.toCSV({ count: [1], ms: [1] })).toThrow(RangeError);
    expect(prof.summary()).toMatchObject({ gcCount: 2, gcMs: 3, cpuMeanMs: 3.25 });
  });

  it('JSON carries the summary and a histogram and round-trips', () => {
    const prof = profilerWith([16, 17, 18, 60]);
    const parsed = JSON.parse(JSON.stringify(prof));
    expect(Object.keys(parsed)).toEqual(['capacity', 'totalFrames', 'summary', 'histogram']);
    expect(parsed.summary.frames).toBe(4);
    expect(parsed.summary.hitches.over50Ms).toBe(1);
    expect(parsed.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(4);
  });
});

describe('argument checks leave the profiler unchanged', () => {
  it('rejects bad options', () => {
    expect(() => new FrameProfiler({ capacity: 1 })).toThrow(RangeError);
    expect(() => new FrameProfiler({ capacity: 2.5 })).toThrow(RangeError);
    expect(() => new FrameProfiler({ capacity: '10' as unknown as number })).toThrow(TypeError);
    expect(() => new FrameProfiler({ budgetMs: 0 })).toThrow(/budgetMs/);
    expect(() => new FrameProfiler({ clock: 5 as unknown as () => number })).toThrow(TypeError);
    expect(() => new FrameProfiler({ capacty: 5 } as never)).toThrow(/unknown option/);
  });

  it('rejects bad frames without recording them', () => {
    const prof = profilerWith([16, 17]);
    const before = prof.toCSV();
    expect(() => prof.record(NaN)).toThrow(RangeError);
    expect(() => prof.record(-1)).toThrow(/frameMs/);
    expect(() => prof.record(Infinity)).toThrow(RangeError);
    expect(() => prof.record('16' as unknown as number)).toThrow(TypeError);
    expect(() => prof.record(16, -2)).toThrow(/cpuMs/);
    expect(() => prof.record(16, 1, 1.5)).toThrow(/live/);
    expect(() => prof.record(16, 1, 1, -1)).toThrow(/spawned/);
    expect(() => prof.windowPercentile(101, 10)).toThrow(RangeError);
    expect(() => prof.windowPercentile(50, 0.5)).toThrow(RangeError);
    expect(() => prof.noteGc(-1, 0)).toThrow(RangeError);
    expect(() => prof.histogram(0)).toThrow(RangeError);
    expect(prof.toCSV()).toBe(before);
    prof.check();
  });
});

describe('every public method applies the error policy (review fixes)', () => {
  it('windowPercentile rejects non-numbers with TypeError instead of coercing', () => {
    const prof = profilerWith([16, 17, 18]);
    for (const p of ['50', null, [50], true, 50n, undefined, {}]) {
      expect(() => prof.windowPercentile(p as unknown as number)).toThrow(TypeError);
    }
    for (const p of [NaN, -0.1, 100.5, Infinity]) expect(() => prof.windowPercentile(p)).toThrow(RangeError);
    expect(() => prof.windowPercentile(50, '3' as unknown as number)).toThrow(TypeError);
    expect(() => prof.windowMax(null as unknown as number)).toThrow(TypeError);
    expect(prof.windowPercentile(50)).toBe(17);
  });

  it('histogram rejects a non-number range with TypeError (never returns a string minMs)', () => {
    const prof = profilerWith([1, 2, 3]);
    expect(() => prof.histogram(2, '0' as unknown as number)).toThrow(TypeError);
    expect(() => prof.histogram(2, 0, '10' as unknown as number)).toThrow(TypeError);
    expect(() => prof.histogram(2, null as unknown as number)).toThrow(TypeError);
    expect(() => prof.histogram('2' as unknown as number)).toThrow(TypeError);
    expect(() => prof.histogram(2, -1)).toThrow(RangeError);
    expect(() => prof.histogram(2, 0, Infinity)).toThrow(RangeError);
    expect(typeof prof.histogram(2, 0).minMs).toBe('number');
  });

  it('toCSV rejects a malformed gc argument with TypeError / RangeError', () => {
    const prof = profilerWith([1, 2]);
    const before = prof.toCSV();
    expect(() => prof.toCSV({} as never)).toThrow(TypeError);
    expect(() => prof.toCSV(null as never)).toThrow(TypeError);
    expect(() => prof.toCSV(5 as never)).toThrow(TypeError);
    expect(() => prof.toCSV({ count: [1, 2] } as never)).toThrow(/gc\.ms/);
    expect(() => prof.toCSV({ count: ['1', 2], ms: [0, 0] } as never)).toThrow(TypeError);
    expect(() => prof.toCSV({ count: [1, 2], ms: [0, NaN] })).toThrow(RangeError);
    expect(() => prof.toCSV({ count: [1, -2], ms: [0, 0] })).toThrow(RangeError);
    expect(prof.toCSV(undefined)).toBe(before);
    expect(prof.toCSV({ count: new Uint32Array([1, 2]), ms: new Float64Array([0.5, 0]) })).toContain(',1,0.5');
  });

  it('copyRecentFrameMs rejects a non-typed-array with TypeError', () => {
    const prof = profilerWith([1, 2]);
    expect(() => prof.copyRecentFrameMs(null as never)).toThrow(TypeError);
    expect(() => prof.copyRecentFrameMs([0, 0] as never)).toThrow(TypeError);
  });

  it('a clock returning NaN or a non-number throws a clear error naming the clock', () => {
    for (const bad of [NaN, '5', undefined, Infinity]) {
      let t = 0;
      let broken = false;
      const prof = new FrameProfiler({
        clock: () => {
          if (broken) return bad as number;
          t += 16;
          return t;
        },
      });
      prof.beginFrame();
      expect(prof.endFrame()).toBe(false);
      prof.beginFrame();
      expect(prof.endFrame()).toBe(true);
      broken = true;
      const kind = typeof bad === 'number' ? RangeError : TypeError;
      expect(() => prof.beginFrame()).toThrow(kind);
      expect(() => prof.beginFrame()).toThrow(/clock/);
      broken = false;
      prof.beginFrame();
      broken = true;
      expect(() => prof.endFrame()).toThrow(/clock/);
      broken = false;
      expect(prof.endFrame()).toBe(true);
      expect(prof.frames).toBe(2);
      prof.check();
    }
  });

  it('frame and CPU times are bounded by MAX_FRAME_MS (one hour): sums stay finite', () => {
    const prof = new FrameProfiler();
    expect(() => prof.record(1e308)).toThrow(RangeError);
    expect(() => prof.record(1e308)).toThrow(/MAX_FRAME_MS/);
    expect(() => prof.record(16, 1e308)).toThrow(/cpuMs/);
    expect(() => prof.record(MAX_FRAME_MS + 1)).toThrow(RangeError);
    expect(() => prof.noteGc(1, 1e308)).toThrow(/pauseMs/);
    prof.record(MAX_FRAME_MS);
    prof.record(MAX_FRAME_MS, MAX_FRAME_MS);
    const s = prof.summary();
    expect(s.seconds).toBe((2 * MAX_FRAME_MS) / 1000);
    expect(s.meanMs).toBe(MAX_FRAME_MS);
    prof.check();
    let t = 0;
    const clocked = new FrameProfiler({ clock: () => (t += MAX_FRAME_MS + 1) });
    clocked.beginFrame();
    clocked.endFrame();
    clocked.beginFrame();
    expect(() => clocked.endFrame()).toThrow(RangeError);
    expect(clocked.frames).toBe(0);
  });
});

describe('zero allocation', () => {
  // Each path is measured in its own small frame function. A fractional double passed across a
  // call that V8 does not inline is boxed (16 bytes) at the call site, whoever the callee is; one
  // oversized test function would measure V8's inlining budget instead of the profiler.
  const clockCell = new Float64Array(1);
  const sink = new Float64Array(1); // a typed-array cell: a captured `let` double would be boxed
  const graph = new Float32Array(240);
  const paths: Record<string, (prof: FrameProfiler, i: number) => void> = {
    'beginFrame/endFrame': (prof, i) => {
      clockCell[0] += 16 + (i % 7) * 0.37;
      prof.beginFrame();
      clockCell[0] += 3.5;
      prof.endFrame(i % 5000, 3, 2);
    },
    'record/noteGc': (prof, i) => {
      prof.record(16.5 + (i % 3) * 0.25, 2.25, 100, 1, 1);
      prof.noteGc(0, 0);
    },
    'window queries': (prof, i) => {
      prof.record(16.5 + (i % 3) * 0.25);
      if (i % 10 === 0) {
        sink[0] += prof.windowPercentile(99, 600) + prof.windowMax(120);
        sink[0] += prof.copyRecentFrameMs(graph);
      }
    },
  };
  for (const [name, frame] of Object.entries(paths)) {
    it(`${name}: 100k frames without a garbage collection`, async () => {
      const prof = new FrameProfiler({ capacity: 3600, clock: () => clockCell[0] });
      const frames = (count: number) => {
        for (let i = 0; i < count; i++) frame(prof, i);
      };
      for (let k = 0; k < 6; k++) frames(20_000); // warm-up: let V8 optimize every path
      const gc = await countGc(() => frames(100_000));
      expect(prof.frames).toBe(3600);
      expect(gc, JSON.stringify(gc)).toMatchObject({ count: 0 });
    });
  }
});
