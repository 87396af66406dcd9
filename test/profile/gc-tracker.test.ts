import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GcTracker } from '../../src/profile/gc-tracker.ts';
import { FrameProfiler } from '../../src/profile/frame-profiler.ts';
import { forceGc, sleep } from '../support/gc.ts';

describe('GcTracker', () => {
  it('counts a forced major collection and a burst of minor ones, feeding a profiler', async () => {
    const prof = new FrameProfiler({ capacity: 16 });
    const seen: string[] = [];
    const tracker = new GcTracker({ sink: prof, onGc: (kind) => seen.push(kind) });
    tracker.start();
    expect(tracker.running).toBe(true);
    forceGc();
    const keep: unknown[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const o = { i, a: [i, i] };
      if (i % 100_000 === 0) keep.push(o);
    }
    await sleep(100); // gc entries are delivered on a later turn of the event loop
    tracker.stop();
    prof.record(16);
    const s = tracker.stats();
    expect(keep).toHaveLength(10);
    expect(s.major).toBeGreaterThanOrEqual(1);
    expect(s.minor).toBeGreaterThanOrEqual(1);
    expect(s.count).toBe(s.minor + s.major + s.incremental + s.weakcb + s.other);
    expect(seen).toHaveLength(s.count);
    expect(s.totalMs).toBeGreaterThan(0);
    expect(s.maxMs).toBeLessThanOrEqual(s.totalMs);
    expect(prof.summary().gcCount).toBe(s.count);
    expect(prof.summary().gcMs).toBeCloseTo(s.totalMs, 9);
    tracker.reset();
    expect(tracker.stats().count).toBe(0);
  });

  it('sees nothing after stop(), and counts again after a new start()', async () => {
    const tracker = new GcTracker();
    tracker.start();
    tracker.stop();
    expect(tracker.running).toBe(false);
    forceGc(); // a stop() that forgot to disconnect its observer would count this
    await sleep(100);
    expect(tracker.stats().count).toBe(0);
    tracker.start();
    forceGc();
    await sleep(100);
    tracker.stop();
    expect(tracker.stats().major).toBeGreaterThanOrEqual(1);
  });

  it('rejects bad options', () => {
    expect(() => new GcTracker({ sink: {} as never })).toThrow(TypeError);
    expect(() => new GcTracker({ onGc: 1 as never })).toThrow(TypeError);
    expect(() => new GcTracker({ nope: 1 } as never)).toThrow(/unknown option/);
  });

  it('imports no Node module, so browser bundles stay clean', () => {
    const source = readFileSync(new URL('../../src/profile/gc-tracker.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^import (?!type)[^;]*from 'node:/m);
    expect(source).not.toMatch(/NODE_PERFORMANCE_GC_\w+\s*[!=]==?\s*\d|[!=]==?\s*\d+\s*\?\s*'(minor|major)'/);
  });
});
