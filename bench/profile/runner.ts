/**
 * The profile runner: drives the particle demo in headless Chromium, mode by mode and run by
 * run, and collects frame times (from the page's `FrameProfiler`), GC slices (CDP tracing),
 * the JS heap range (CDP `Runtime.getHeapUsage`) and allocation sites (CDP sampling).
 *
 * Each run is a fresh page load: a forced full GC (`HeapProfiler.collectGarbage`: the renderer
 * process, and its heap, outlive the previous page), the warm-up, then an untraced window (the
 * frame times quoted in the report: tracing itself costs frame time), then a traced window of the
 * same length (GC counts and pauses, and the frame times under tracing, reported beside the
 * untraced ones). The warm-up comes after the forced GC and lasts longer than 8 s by default:
 * after a full GC, V8's memory reducer schedules another one 8 s later on a page that allocates
 * little (measured: one 3-6 ms mark-compact at 8.3-8.5 s in every zero-object run when the
 * warm-up came first), which is an effect of the forced GC, not of the mode.
 *
 * The page contract (examples/particles): URL `?mode=&capacity=&spawn=&seed=&frames=&overlay=0`
 * and `window.steadyheapDemo = { ready, mode, frame, live, spawnedTotal, freedTotal, capacity,
 * spawnPerFrame, renderer, profiler, setMode }`, `profiler` a FrameProfiler recording every frame.
 */
import type { CDPSession, Page } from 'playwright-core';
import type { FrameSummary } from '../../src/profile/frame-profiler.ts';
import { figuresOf, type Figures } from '../../src/profile/report.ts';
import type { ProfileOptions } from './options.ts';
import { gcPerFrame, gcTimeline, startTracing, type GcTimeline } from './trace.ts';
import { startAllocationSampling, type AllocationProfile } from './sampling.ts';

/** Per-frame columns of one window, parsed from the page profiler's CSV. */
export interface FrameColumns {
  csvHeader: string;
  rows: string[][];
  tMs: number[];
  frameMs: number[];
}

/** Everything measured in one run of one mode. */
export interface RunResult {
  mode: string;
  run: number;
  /** Untraced window: the frame-time figures quoted. */
  summary: FrameSummary;
  frames: FrameColumns;
  /** Traced window (absent with `trace: false`). */
  traced?: { summary: FrameSummary; frames: FrameColumns; gc: GcTimeline };
  /** JS heap used, bytes, polled during the untraced window. */
  heapMinBytes: number;
  heapMaxBytes: number;
  /** Frames the demo drew in the untraced window, and the live count at its end. */
  demoFrames: number;
  live: number;
  renderer: string;
  /** Flat figures for tables and medians. */
  figures: Figures;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The demo page URL for one mode. `extra` adds page parameters (the allocation sampling passes
 * `cpu: '0'`: the page's per-frame CPU-time probe calls `performance.now()` twice, and the browser
 * boxes each result into a 16-byte heap number attributed to the demo's frame function).
 */
export function demoUrl(base: string, o: ProfileOptions, mode: string, extra: Record<string, string> = {}): string {
  // frames: ring size for the page's profiler, so one window fits (at up to 120 fps).
  const frames = Math.ceil((o.durationMs / 1000) * 120) + 600;
  const q = new URLSearchParams({
    mode,
    capacity: String(o.capacity),
    spawn: String(o.spawn),
    seed: String(o.seed),
    frames: String(frames),
    overlay: '0',
    ...extra,
  });
  return `${base}${o.pagePath}?${q}`;
}

/**
 * Loads the demo and waits until it says it is ready. Retries a failed load a few times: the
 * static build in `dist-demo/` is shared, and a concurrent `vite build` (another test run)
 * empties it for a few seconds.
 */
export async function openDemo(page: Page, url: string, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await page.goto(url, { waitUntil: 'load' });
      if (response && !response.ok()) throw new Error(`HTTP ${response.status()} for ${url}`);
      await page.waitForFunction('!!(window.steadyheapDemo && window.steadyheapDemo.ready)', null, { timeout: 30_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(2000);
    }
  }
}

// Page scripts are strings: functions would be serialized with the Node-side transpiler's helpers.
const START_WINDOW = (marker: string) => `(() => {
  const d = window.steadyheapDemo;
  d.profiler.reset();
  const t = performance.now();
  console.timeStamp(${JSON.stringify(marker)});
  window.__steadyheapWindow = { frame: d.frame, t };
  return t;
})()`;

const READ_WINDOW = `(() => {
  const d = window.steadyheapDemo;
  const p = d.profiler;
  return {
    csv: p.toCSV(),
    summary: p.summary(),
    demoFrames: d.frame - window.__steadyheapWindow.frame,
    live: d.live,
    renderer: String(d.renderer),
  };
})()`;

interface WindowRead {
  csv: string;
  summary: FrameSummary;
  demoFrames: number;
  live: number;
  renderer: string;
}

/** Parses the profiler's CSV (header `frame,t_ms,frame_ms,...`). */
export function parseFrameCsv(csv: string): FrameColumns {
  const lines = csv.trim().split('\n');
  const header = lines[0];
  const cols = header.split(',');
  const ti = cols.indexOf('t_ms');
  const fi = cols.indexOf('frame_ms');
  const rows = lines.slice(1).map((l) => l.split(','));
  return { csvHeader: header, rows, tMs: rows.map((r) => Number(r[ti])), frameMs: rows.map((r) => Number(r[fi])) };
}

/** The CSV text of a window, with the GC columns replaced by per-frame figures when given. */
export function frameCsv(frames: FrameColumns, gc?: { count: number[]; ms: number[] }): string {
  const cols = frames.csvHeader.split(',');
  const gi = cols.indexOf('gc_count');
  const mi = cols.indexOf('gc_ms');
  const body = frames.rows.map((r, k) => {
    if (!gc) return r.join(',');
    const copy = [...r];
    copy[gi] = String(gc.count[k]);
    copy[mi] = String(Math.round(gc.ms[k] * 1000) / 1000);
    return copy.join(',');
  });
  return `${[frames.csvHeader, ...body].join('\n')}\n`;
}

async function pollHeap(session: CDPSession, untilMs: number): Promise<{ min: number; max: number }> {
  let min = Infinity;
  let max = 0;
  while (Date.now() < untilMs) {
    const { usedSize } = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    min = Math.min(min, usedSize);
    max = Math.max(max, usedSize);
    await sleep(100);
  }
  return { min, max };
}

async function measureWindow(page: Page, marker: string, durationMs: number): Promise<WindowRead> {
  await page.evaluate(START_WINDOW(marker));
  await sleep(durationMs);
  return (await page.evaluate(READ_WINDOW)) as WindowRead;
}

/**
 * One run of one mode: open the page, warm up, measure the untraced window (with heap polling),
 * then the traced window.
 */
export async function runOnce(
  page: Page,
  session: CDPSession,
  base: string,
  o: ProfileOptions,
  mode: string,
  run: number,
): Promise<RunResult> {
  await openDemo(page, demoUrl(base, o, mode));
  // Same-site navigations reuse the renderer process, so the previous page's heap (a naive run's
  // garbage) would be collected during the windows. Collect it first, then warm up for long
  // enough that the memory reducer's follow-up GC (8 s after a full GC) falls in the warm-up.
  await session.send('HeapProfiler.collectGarbage');
  await sleep(o.warmupMs);
  const heapDone = pollHeap(session, Date.now() + o.durationMs);
  const plain = await measureWindow(page, `steadyheap-window-${mode}-${run}`, o.durationMs);
  const heap = await heapDone;
  const result: RunResult = {
    mode,
    run,
    summary: plain.summary,
    frames: parseFrameCsv(plain.csv),
    heapMinBytes: heap.min,
    heapMaxBytes: heap.max,
    demoFrames: plain.demoFrames,
    live: plain.live,
    renderer: plain.renderer,
    figures: {},
  };
  if (o.trace) {
    const marker = `steadyheap-trace-${mode}-${run}`;
    const stop = await startTracing(session);
    const traced = await measureWindow(page, marker, o.durationMs);
    const events = await stop();
    const gc = gcTimeline(events, marker);
    result.traced = { summary: traced.summary, frames: parseFrameCsv(traced.csv), gc };
  }
  result.figures = runFigures(result);
  return result;
}

/** Flat figures of a run: the untraced summary, GC from the traced window, heap range in MB. */
export function runFigures(r: RunResult): Figures {
  const f = figuresOf(r.summary);
  const gc = r.traced?.gc;
  const tracedSeconds = r.traced?.summary.seconds ?? NaN;
  f.gcCount = gc ? gc.minor + gc.major : NaN;
  f.gcMinor = gc ? gc.minor : NaN;
  f.gcMajor = gc ? gc.major : NaN;
  f.gcTotalMs = gc ? gc.totalMs : NaN;
  f.gcMaxMs = gc ? gc.maxMs : NaN;
  f.gcPerSecond = gc ? (gc.minor + gc.major) / tracedSeconds : NaN;
  f.gcMsPerSecond = gc ? gc.totalMs / tracedSeconds : NaN;
  f.tracedP50Ms = r.traced?.summary.p50Ms ?? NaN;
  f.tracedP99Ms = r.traced?.summary.p99Ms ?? NaN;
  f.heapMinMB = r.heapMinBytes / 2 ** 20;
  f.heapMaxMB = r.heapMaxBytes / 2 ** 20;
  f.heapRangeMB = f.heapMaxMB - f.heapMinMB;
  f.live = r.live;
  return f;
}

/** Browser, WebGL renderer (unmasked) and whether it is software, read from a page. */
export async function browserMetadata(page: Page, session: CDPSession) {
  const version = (await session.send('Browser.getVersion')) as {
    product: string;
    userAgent: string;
    jsVersion: string;
  };
  const webgl = (await page.evaluate(`(() => {
    const gl = document.createElement('canvas').getContext('webgl2') || document.createElement('canvas').getContext('webgl');
    if (!gl) return { api: 'none', vendor: '', renderer: '' };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return {
      api: (typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext) ? 'webgl2' : 'webgl',
      vendor: ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR),
      renderer: ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
      webgpu: !!navigator.gpu,
    };
  })()`)) as { api: string; vendor: string; renderer: string; webgpu: boolean };
  return {
    browser: version.product,
    userAgent: version.userAgent,
    v8: version.jsVersion,
    webgl,
    software: /swiftshader|llvmpipe|software|softpipe/i.test(`${webgl.vendor} ${webgl.renderer}`),
  };
}

/**
 * Samples allocations of one mode for `samplingMs`, after warm-up, in a fresh page load, with the
 * page's CPU-time probe off (`?cpu=0`, see {@link demoUrl}) as well as its overlay. Served from
 * `base`: use a dev server (unminified, function names and file paths intact) for readable sites.
 */
export async function sampleAllocations(
  page: Page,
  session: CDPSession,
  base: string,
  o: ProfileOptions,
  mode: string,
): Promise<AllocationProfile> {
  await openDemo(page, demoUrl(base, o, mode, { cpu: '0' }));
  // A frame function runs once per frame: V8 needs many frames before its optimized code (which
  // keeps doubles unboxed) takes over. Sample the steady state, not the warm-up.
  await sleep(o.samplingWarmupMs);
  const frame0 = (await page.evaluate('window.steadyheapDemo.frame')) as number;
  const stop = await startAllocationSampling(session);
  await sleep(o.samplingMs);
  const frame1 = (await page.evaluate('window.steadyheapDemo.frame')) as number;
  return stop(frame1 - frame0);
}

/** Assigns a traced window's GC slices to its frames and returns the CSV with GC columns. */
export function tracedCsv(r: RunResult): string | undefined {
  if (!r.traced) return undefined;
  return frameCsv(r.traced.frames, gcPerFrame(r.traced.gc.slices, r.traced.frames.tMs));
}
