/**
 * The frame probe's requestAnimationFrame semantics and its zero garbage, run in Node against a
 * fake window (a plain object with a native-like requestAnimationFrame the test drives). The
 * browser side (installed before page scripts, nothing sampled in its script) is covered by
 * test/e2e/profile-engine.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  PROBE_CAPACITY_FRAMES,
  PROBE_GLOBAL,
  PROBE_SOURCE,
  type ProbeRead,
} from '../../../src/profile/browser/probe.ts';
import { countGc } from '../../support/gc.ts';

interface Probe {
  count(): number;
  read(from: number, sinceMs: number): ProbeRead;
  mark(name: string): { count: number; startMs: number };
}

/** The parts of a window the probe uses, with a native requestAnimationFrame the test drives. */
interface FakeWindow {
  top: unknown;
  performance: { now(): number; mark(name: string): { startTime: number } };
  reportError(e: unknown): void;
  requestAnimationFrame(cb: unknown): number;
  cancelAnimationFrame(id: number): void;
  /** The one native callback the probe keeps pending (at most one per frame). */
  nativePending: ((ts: number) => void) | null;
  nativeCalls: number;
  [PROBE_GLOBAL]?: Probe;
}

/**
 * Installs the probe on a fake window. The probe reads the window as `globalThis`; a Function
 * parameter of that name stands in for it, so the probe runs in this realm as it would in a page
 * (a `vm` context would route every global access through interceptors that allocate).
 */
function fakeWindow() {
  const marks: string[] = [];
  const reported: unknown[] = [];
  const w: FakeWindow = {
    top: null,
    performance: {
      now: () => 0,
      mark: (name: string) => {
        marks.push(name);
        return { startTime: 123.5 };
      },
    },
    reportError: (e: unknown) => reported.push(e),
    requestAnimationFrame(cb: unknown) {
      if (typeof cb !== 'function') throw new TypeError('not a function');
      this.nativeCalls++;
      this.nativePending = cb as (ts: number) => void;
      return this.nativeCalls;
    },
    cancelAnimationFrame() {},
    nativePending: null,
    nativeCalls: 0,
  };
  w.top = w;
  install(w);
  return { w, probe: w[PROBE_GLOBAL] as Probe, marks, reported };
}

function install(w: object): void {
  new Function('globalThis', PROBE_SOURCE)(w);
}

/** Runs one native frame with timestamp `ts`. Allocates nothing for a small-integer `ts`. */
function frame(w: FakeWindow, ts: number): void {
  const cb = w.nativePending;
  w.nativePending = null;
  if (cb !== null) cb(ts);
}

describe('frame probe: requestAnimationFrame semantics', () => {
  it('runs callbacks in registration order with one timestamp, one native callback per frame', () => {
    const { w, probe } = fakeWindow();
    const calls: string[] = [];
    w.requestAnimationFrame((t: number) => calls.push(`a${t}`));
    w.requestAnimationFrame((t: number) => calls.push(`b${t}`));
    expect(w.nativeCalls).toBe(1);
    frame(w, 16);
    expect(calls).toEqual(['a16', 'b16']);
    expect(probe.count()).toBe(1);
    const read = probe.read(0, 0);
    expect(read.tMs).toEqual([16]);
    expect(read.callbacks).toEqual([2]);
  });

  it('runs callbacks registered during a frame in the next frame', () => {
    const { w, probe } = fakeWindow();
    const calls: number[] = [];
    const loop = (t: number) => {
      calls.push(t);
      if (calls.length < 3) w.requestAnimationFrame(loop);
    };
    w.requestAnimationFrame(loop);
    frame(w, 10);
    expect(calls).toEqual([10]);
    frame(w, 20);
    frame(w, 30);
    frame(w, 40); // nothing pending: no native callback was requested, nothing recorded
    expect(calls).toEqual([10, 20, 30]);
    expect(probe.read(0, 0).tMs).toEqual([10, 20, 30]);
  });

  it('gives distinct ids; cancelling one pending callback, or one due later in the current frame, skips only it', () => {
    const { w, probe } = fakeWindow();
    const calls: string[] = [];
    const a = w.requestAnimationFrame(() => calls.push('a'));
    const b = w.requestAnimationFrame(() => calls.push('b'));
    let d = 0;
    w.requestAnimationFrame(() => {
      calls.push('c');
      w.cancelAnimationFrame(d); // due later in this same frame
    });
    d = w.requestAnimationFrame(() => calls.push('d'));
    expect(new Set([a, b, d]).size).toBe(3);
    expect([a, b, d].every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    w.cancelAnimationFrame(a);
    w.cancelAnimationFrame(999_999); // unknown id: ignored, like the browser
    frame(w, 5);
    expect(calls).toEqual(['b', 'c']);
    expect(probe.read(0, 0).callbacks).toEqual([2]);
  });

  it('reports an exception and still runs the other callbacks', () => {
    const { w, reported } = fakeWindow();
    const calls: string[] = [];
    const boom = new Error('boom');
    w.requestAnimationFrame(() => {
      throw boom;
    });
    w.requestAnimationFrame(() => calls.push('after'));
    frame(w, 1);
    expect(reported).toEqual([boom]);
    expect(calls).toEqual(['after']);
  });

  it('passes a non-function to the native requestAnimationFrame, which throws', () => {
    const { w } = fakeWindow();
    expect(() => w.requestAnimationFrame('nope')).toThrow(/not a function/);
  });

  it('grows its queue past 64 pending callbacks, keeping order', () => {
    const { w } = fakeWindow();
    const calls: number[] = [];
    for (let i = 0; i < 200; i++) w.requestAnimationFrame(() => calls.push(i));
    frame(w, 1);
    expect(calls).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('mark() starts a window: count and page time; read() returns frames since a count, cut to the ring', () => {
    const { w, probe, marks } = fakeWindow();
    const loop = () => w.requestAnimationFrame(loop);
    loop();
    for (let t = 1; t <= 5; t++) frame(w, t);
    const m = probe.mark('steadyheap-window-1');
    expect(m).toEqual({ count: 5, startMs: 123.5 });
    expect(marks).toEqual(['steadyheap-window-1']);
    for (let t = 6; t <= 8; t++) frame(w, t);
    expect(probe.read(m.count, 0).tMs).toEqual([6, 7, 8]);
    for (let t = 9; t <= PROBE_CAPACITY_FRAMES + 20; t++) frame(w, t);
    const read = probe.read(0, 0);
    expect(read.count).toBe(PROBE_CAPACITY_FRAMES + 20);
    expect(read.first).toBe(20);
    expect(read.tMs.length).toBe(PROBE_CAPACITY_FRAMES);
    expect(read.tMs[0]).toBe(21);
  });

  it('is installed once, not at all where there is no requestAnimationFrame, nor in an iframe', () => {
    const { w } = fakeWindow();
    const ours = w.requestAnimationFrame;
    install(w);
    expect(w.requestAnimationFrame).toBe(ours);
    const bare: Record<string, unknown> = {};
    install(bare);
    expect(bare[PROBE_GLOBAL]).toBeUndefined();
    const native = () => 1;
    const iframe: Record<string, unknown> = { requestAnimationFrame: native, top: {} };
    install(iframe);
    expect(iframe.requestAnimationFrame).toBe(native);
  });
});

describe('frame probe: no garbage of its own', () => {
  // 1 million frames: at even 16 bytes a frame that is 16 MB, more than V8's young generation
  // holds, so an allocating probe would be scavenged at least once.
  const FRAMES = 1_000_000;
  const drive = (w: FakeWindow, n: number) => {
    for (let t = 1; t <= n; t++) frame(w, t);
  };
  const sink = { keep: null as unknown };

  it('a page loop that allocates nothing runs a million frames through the probe with no collection', async () => {
    const { w, probe } = fakeWindow();
    const loop = () => {
      w.requestAnimationFrame(loop);
    };
    loop();
    drive(w, 200_000); // warm-up: let V8 optimize the dispatcher
    const gc = await countGc(() => drive(w, FRAMES));
    expect(probe.count()).toBe(200_000 + FRAMES);
    expect(gc.minor + gc.major).toBe(0);
  });

  it('the same count sees collections when the page loop allocates 16 bytes a frame (the check can fail)', async () => {
    const { w } = fakeWindow();
    const loop = (t: number) => {
      sink.keep = { t };
      w.requestAnimationFrame(loop);
    };
    w.requestAnimationFrame(loop);
    drive(w, 200_000);
    const gc = await countGc(() => drive(w, FRAMES));
    expect(gc.minor).toBeGreaterThan(0);
  });
});
