/**
 * One measured run of a page: a fresh browser context with the frame probe injected, the page
 * loaded, the user's script (if any) driving it, a warm-up, then one window in which frames
 * (probe), GC pauses and callback time (trace), allocations (sampling heap profiler) and the JS
 * heap (polled) are measured together.
 *
 * Every run uses a new browser context, so a new renderer process and heap: nothing of an earlier
 * run's garbage is collected in a later one's window.
 *
 * @module
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import {
  aggregateAllocations,
  scriptUrlsOf,
  startSampling,
  type AllocationFigures,
  type SamplingProfile,
} from './allocation.js';
import type { ScriptOwner } from './attribution.js';
import { resolveChunkOwners } from './source-maps.js';
import { analyzeFrames, type FrameFigures, type FrameRow, type GcFigures } from './frames.js';
import { PROBE_GLOBAL, PROBE_SOURCE, type LongAnimationFrame, type ProbeRead } from './probe.js';
import { mainThreadTimeline, startTracing, type CdpSession } from './trace.js';

/** Why a page could not be profiled. */
export type NotProfilableReason = 'navigation-failed' | 'page-error' | 'no-frames' | 'page-crashed' | 'script-failed';

/** Thrown when a page cannot be profiled; `reason` says why, the message says it for people. */
export class PageNotProfilableError extends Error {
  override name = 'PageNotProfilableError';
  constructor(
    readonly reason: NotProfilableReason,
    message: string,
  ) {
    super(message);
  }
}

/** What a `--script` module's functions receive besides the page. */
export interface ScriptContext {
  url: string;
  label: string;
  /** 1-based run number and the number of runs. */
  run: number;
  runs: number;
  /** Aborted when the run's measured window ends: stop driving then. */
  signal: AbortSignal;
}

/**
 * A module that drives the game. `setup` is awaited after the page loads and before the warm-up
 * (click "Play", wait for a level); `play` starts with the warm-up and runs until `signal` aborts
 * (keys, clicks, mouse moves during the measurement); the page stays open up to
 * {@link PLAY_GRACE_MS} after the abort for it to return. A module may export either or both; a
 * default export is taken as `setup`.
 */
export interface ProfileScript {
  setup?(page: Page, context: ScriptContext): unknown;
  play?(page: Page, context: ScriptContext): unknown;
}

/** What the runner reports while it runs. */
export interface ProfileProgress {
  run: number;
  runs: number;
  phase: 'loading' | 'warm-up' | 'measuring' | 'analysing';
  /** Time spent in this phase and its length, ms (length 0 when open-ended). */
  phaseElapsedMs: number;
  phaseMs: number;
  /** Frames seen so far in the warm-up (undefined while measuring: reading them would allocate in the page). */
  frames?: number;
  /** JS heap in use, bytes (while measuring). */
  heapBytes?: number;
}

/** Options of one run. Durations in ms. */
export interface RunOptions {
  url: string;
  label: string;
  run: number;
  runs: number;
  durationMs: number;
  warmupMs: number;
  viewport: { width: number; height: number };
  samplingIntervalBytes: number;
  budgetMs?: number;
  navigationTimeoutMs: number;
  /** Treat an uncaught page exception as fatal (exit 2). */
  failOnPageError: boolean;
  script?: ProfileScript;
  maxSites: number;
  onProgress?: (p: ProfileProgress) => void;
}

/** JS heap in use over the window (CDP `Runtime.getHeapUsage`, polled every 250 ms). */
export interface HeapFigures {
  minBytes: number;
  maxBytes: number;
  startBytes: number;
  endBytes: number;
}

/** Everything one run measured. */
export interface RunProfile {
  run: number;
  frames: FrameFigures;
  gc: GcFigures;
  allocation: AllocationFigures;
  heap: HeapFigures;
  rows: FrameRow[];
  longAnimationFrames: LongAnimationFrame[];
  /** Uncaught exceptions the page threw (with `failOnPageError` false), first 20. */
  pageErrors: string[];
  /** Trace events received (0 means the trace could not be read). */
  traceEvents: number;
  /** The raw sampling profile (kept to pool runs; not written to profile.json). */
  samplingProfile: SamplingProfile;
  /** Owners read from source maps, by script URL (Vite's shared dependency chunks). */
  scriptOwners: Map<string, ScriptOwner>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** How long a run waits for the script's `play` to return after the window ends, ms. */
export const PLAY_GRACE_MS = 5000;

/** Waits `ms` while reporting progress every 250 ms; `tick` may add figures. Rejects early on `failure`. */
async function waitWithProgress(
  ms: number,
  failure: Promise<never>,
  tick: (elapsedMs: number) => Promise<void>,
): Promise<void> {
  const start = Date.now();
  for (;;) {
    const elapsed = Date.now() - start;
    await Promise.race([tick(Math.min(elapsed, ms)), failure]);
    if (elapsed >= ms) return;
    await Promise.race([sleep(Math.min(250, ms - elapsed)), failure]);
  }
}

/**
 * Profiles one run of `options.url` in a new context of `browser`.
 *
 * @throws PageNotProfilableError when the page cannot be profiled (navigation failed, it threw,
 *   crashed, or showed no animation frame); other errors pass through.
 */
export async function profileRun(browser: Browser, options: RunOptions): Promise<RunProfile> {
  const context: BrowserContext = await browser.newContext({ viewport: options.viewport });
  const abort = new AbortController();
  try {
    const page = await context.newPage();
    // Through CDP, not addInitScript: playwright wraps init scripts in a function, which hides the
    // probe's sourceURL, and its allocations must be told apart from the page's.
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Page.enable');
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: PROBE_SOURCE });
    const pageErrors: string[] = [];
    let fail: (e: Error) => void = () => {};
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failure.catch(() => {});
    page.on('pageerror', (error) => {
      const text = error.stack || error.message || String(error);
      if (pageErrors.length < 20) pageErrors.push(text);
      if (options.failOnPageError) {
        fail(new PageNotProfilableError('page-error', `page error: ${error.message || String(error)}`));
      }
    });
    page.on('crash', () => fail(new PageNotProfilableError('page-crashed', 'the page crashed')));
    const progress = (p: Omit<ProfileProgress, 'run' | 'runs'>) =>
      options.onProgress?.({ run: options.run, runs: options.runs, ...p });

    progress({ phase: 'loading', phaseElapsedMs: 0, phaseMs: 0 });
    let response: Awaited<ReturnType<Page['goto']>>;
    try {
      response = await Promise.race([
        page.goto(options.url, { waitUntil: 'load', timeout: options.navigationTimeoutMs }),
        failure,
      ]);
    } catch (error) {
      if (error instanceof PageNotProfilableError) throw error;
      throw new PageNotProfilableError(
        'navigation-failed',
        `navigation failed: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (response && response.status() >= 400) {
      throw new PageNotProfilableError(
        'navigation-failed',
        `navigation failed: HTTP ${response.status()} ${response.statusText()} for ${options.url}`,
      );
    }
    const scriptContext: ScriptContext = {
      url: options.url,
      label: options.label,
      run: options.run,
      runs: options.runs,
      signal: abort.signal,
    };
    const script = options.script;
    if (script?.setup) {
      try {
        await Promise.race([Promise.resolve(script.setup(page, scriptContext)), failure]);
      } catch (error) {
        if (error instanceof PageNotProfilableError) throw error;
        throw new PageNotProfilableError('script-failed', `the script's setup failed: ${(error as Error).message}`);
      }
    }
    let playing: Promise<unknown> = Promise.resolve();
    if (script?.play) {
      playing = Promise.resolve()
        .then(() => script.play?.(page, scriptContext))
        .catch((error: Error) => {
          if (!abort.signal.aborted) {
            fail(new PageNotProfilableError('script-failed', `the script's play failed: ${error.message}`));
          }
        });
    }
    const frameCount = async () => (await page.evaluate(`${PROBE_GLOBAL}.count()`)) as number;
    const probeInstalled = (await page.evaluate(`typeof ${PROBE_GLOBAL} === 'object'`)) as boolean;
    if (!probeInstalled) {
      throw new PageNotProfilableError(
        'no-frames',
        'no frames seen: the frame probe could not be installed (the page has no requestAnimationFrame)',
      );
    }
    await waitWithProgress(options.warmupMs, failure, async (elapsed) => {
      progress({ phase: 'warm-up', phaseElapsedMs: elapsed, phaseMs: options.warmupMs, frames: await frameCount() });
    });
    if (options.warmupMs > 0 && (await frameCount()) === 0) {
      throw new PageNotProfilableError(
        'no-frames',
        `no frames seen: the page did not call requestAnimationFrame in the ${options.warmupMs / 1000} s after it loaded` +
          (pageErrors.length ? ` (page errors: ${pageErrors[0].split('\n')[0]})` : ''),
      );
    }

    const session = cdp as unknown as CdpSession;
    const stopTracing = await startTracing(session);
    const markName = `steadyheap-window-${options.run}`;
    const mark = (await page.evaluate(`${PROBE_GLOBAL}.mark(${JSON.stringify(markName)})`)) as {
      count: number;
      startMs: number;
    };
    const stopSampling = await startSampling(session, options.samplingIntervalBytes);
    const heap = { minBytes: Infinity, maxBytes: 0, startBytes: NaN, endBytes: NaN };
    const pollHeap = async () => {
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      if (!(heap.startBytes >= 0)) heap.startBytes = usedSize;
      heap.endBytes = usedSize;
      heap.minBytes = Math.min(heap.minBytes, usedSize);
      heap.maxBytes = Math.max(heap.maxBytes, usedSize);
      return usedSize;
    };
    await waitWithProgress(options.durationMs, failure, async (elapsed) => {
      const heapBytes = await pollHeap();
      progress({ phase: 'measuring', phaseElapsedMs: elapsed, phaseMs: options.durationMs, heapBytes });
    });
    // Tracing ends first: stopping the sampler makes V8 run a full collection, which belongs to
    // the measurement, not to the page. Frames after the trace's last event are left out.
    const events = await stopTracing();
    const samplingProfile = await stopSampling();
    const countAtStop = await frameCount();
    abort.abort();
    // The script's play sees the abort and returns; the page stays open for it a little while.
    await Promise.race([playing, sleep(PLAY_GRACE_MS)]);
    progress({ phase: 'analysing', phaseElapsedMs: 0, phaseMs: 0 });
    const read = (await page.evaluate(`${PROBE_GLOBAL}.read(${mark.count}, ${mark.startMs})`)) as ProbeRead;
    await cdp.send('HeapProfiler.disable');
    const framesSampled = countAtStop - mark.count;
    const timeline = mainThreadTimeline(events, markName, mark.startMs);
    let kept = read.tMs.length;
    while (kept > 0 && timeline.endMs === timeline.endMs && read.tMs[kept - 1] > timeline.endMs) kept--;
    const tMs = read.tMs.slice(0, kept);
    const callbacks = read.callbacks.slice(0, kept);
    if (tMs.length < 2) {
      throw new PageNotProfilableError(
        'no-frames',
        `no frames seen: ${tMs.length} animation frame(s) in the ${options.durationMs / 1000} s window` +
          (pageErrors.length ? ` (page errors: ${pageErrors[0].split('\n')[0]})` : ''),
      );
    }
    const analysed = analyzeFrames({
      tMs,
      callbacks,
      windowStartMs: mark.startMs,
      timeline,
      longFrames: read.longFrames,
      longFramesSupported: read.longFramesSupported,
      budgetMs: options.budgetMs,
    });
    const origin = new URL(page.url()).origin;
    const scriptOwners = await resolveChunkOwners(scriptUrlsOf(samplingProfile));
    return {
      run: options.run,
      frames: analysed.frames,
      gc: analysed.gc,
      allocation: aggregateAllocations(
        samplingProfile,
        framesSampled,
        options.samplingIntervalBytes,
        origin,
        options.maxSites,
        scriptOwners,
      ),
      heap,
      rows: analysed.rows,
      longAnimationFrames: read.longFrames.map((l) => ({ ...l, startMs: l.startMs - mark.startMs })),
      pageErrors,
      traceEvents: timeline.eventCount,
      samplingProfile,
      scriptOwners,
    };
  } finally {
    abort.abort();
    await context.close().catch(() => {});
  }
}
