/**
 * The particle demo's on-screen overlay: mode, counts, the comet trails and their arena (live
 * bytes, free bytes, largest free block), frame time p50 / p99 / max beside the page's own work
 * per frame (p50 / p99), JS heap, GCs seen since the mode started (an estimate), bytes allocated
 * per frame where measurable, and a labelled frame-time graph. Browser only (DOM, canvas 2D).
 *
 * Allocation budget, so that the overlay does not spoil the `zero-garbage` mode it reports on.
 * Every frame, {@link FrameOverlay.draw}: draws the graph (one `fillRect` per frame time, integer
 * arguments, constant fill styles), counts the frame time in a histogram
 * (`window-percentiles.ts`), reads the arena's statistics into one object
 * (`arena.stats(into)`), and stages every figure's text through `overlay-text.ts` (which picks
 * strings made once). All of it runs every frame on purpose: V8 optimizes it, so its arithmetic
 * stays unboxed; code run only a few times a second stays in the interpreter, where every
 * fractional result is a new heap number. Only the DOM writes wait: at most every
 * {@link TEXT_REFRESH_MS} (every {@link ZERO_GARBAGE_TEXT_REFRESH_MS} in `zero-garbage` mode)
 * the staged strings are written and the heap figure is read (the one object a refresh makes:
 * the browser's `MemoryInfo`).
 *
 * @module
 */
import type { Allocator, AllocatorStats, FrameProfiler } from 'steadyheap';
import type { TrailArenaKind } from './arena-trails.ts';
import { DEMO_MODES, type DemoMode, nextDemoMode } from './modes.ts';
import { BytesText, ChoiceText, IntText, TenthsText, TextPanel, staticText } from './overlay-text.ts';
import {
  FIG_ALLOC_BYTES_PER_FRAME,
  FIG_GCS,
  FIG_HEAP_BYTES,
  FIG_HEAP_PRECISE,
  FIG_WORK_P50_TENTHS,
  FIG_WORK_P99_TENTHS,
  type PageMeters,
} from './page-meters.ts';
import { WindowHistogram } from './window-percentiles.ts';

/** Text refresh period, milliseconds: at most 4 text updates per second. */
export const TEXT_REFRESH_MS = 250;
/** Text refresh period in the `zero-garbage` mode: twice a second (each refresh reads the heap figure). */
export const ZERO_GARBAGE_TEXT_REFRESH_MS = 500;
/** Frames in the sliding window of the percentiles and of the graph (4 s at 60 fps). */
export const WINDOW_FRAMES = 240;
/** Graph height, CSS pixels; its top is {@link GRAPH_MAX_MS}. */
export const GRAPH_HEIGHT_PX = 64;
/** Frame time at the top of the graph, ms (longer frames are clipped to it). */
export const GRAPH_MAX_MS = 50;
/** The 60 fps frame budget, ms (the graph's budget line). */
export const BUDGET_MS = 1000 / 60;
/** Longest frame time the percentiles tell apart, tenths of a ms (200 ms). */
const FRAME_MAX_TENTHS = 2000;

/** The live figures the overlay shows; the demo's page-contract object satisfies most of it. */
export interface OverlayStats {
  readonly mode: DemoMode;
  readonly renderer: string;
  readonly capacity: number;
  readonly spawnPerFrame: number;
  readonly live: number;
  readonly spawnedLastFrame: number;
  readonly freedLastFrame: number;
  /** Comets with a trail now, and their dots drawn in the latest frame. */
  readonly comets: number;
  readonly dots: number;
  /** Frames rendered since the page loaded. */
  readonly frame: number;
}

/** Options of {@link FrameOverlay}. */
export interface FrameOverlayOptions {
  /** Called by the overlay's mode button. */
  onToggleMode: () => void;
  /** The renderer preset in use and why, shown in the title (`software WebGL: SwiftShader`). */
  presetNote: string;
  /** The trails' arena and its kind (the pooled modes hold trails there; naive mode has none). */
  arena: Allocator;
  arenaKind: TrailArenaKind;
  /** Messages shown under the figures (for example rejected URL parameters). */
  problems?: readonly string[];
}

const ARENA_KINDS: readonly TrailArenaKind[] = ['buddy', 'free-list', 'tree'];
const MODE_LABELS = DEMO_MODES.map((m) => m.toUpperCase());
const NEXT_LABELS = DEMO_MODES.map((m) => `switch to ${nextDemoMode(m)} (M)`);
const WORK_NOTES = [
  ' (simulation + submission, every frame)',
  ' (simulation + submission, 1 frame in 16)',
  ' (off: ?cpu=0)',
];
const HEAP_NOTES = ['  (coarse: Chromium rounds it without --enable-precise-memory-info)', ''];
const ALLOC_NOTES = [
  ' per frame (heap growth between GCs: an estimate)',
  ' (not measurable: needs --enable-precise-memory-info)',
  ' (not measurable in naive mode: GCs every interval)',
];
const ARENA_MODE_NOTES = ['  (naive mode: trails in new Float32Arrays)', ''];

/** Which work-timing note to show: 0 every frame, 1 sampled, 2 off. */
export type WorkTiming = 0 | 1 | 2;

/**
 * The overlay: a fixed panel at the top left with the figures, a mode button and a frame-time
 * graph. Build once; call {@link FrameOverlay.draw} every frame.
 */
export class FrameOverlay {
  /** The panel element (`#overlay`). */
  readonly root: HTMLDivElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly graphMs = new Float32Array(WINDOW_FRAMES);
  /** The last WINDOW_FRAMES frame times, in tenths of a ms, for the percentiles. */
  private readonly frameTenths = new WindowHistogram(WINDOW_FRAMES, FRAME_MAX_TENTHS);
  /** Bar height of each graphed frame, whole CSS pixels in [1, GRAPH_HEIGHT_PX]. */
  private readonly barPx = new Int32Array(WINDOW_FRAMES);
  private readonly panel = new TextPanel();
  /** Frame time since the last text refresh, whole µs (a small integer). */
  private sinceTextUs = 0;
  private refreshUs = TEXT_REFRESH_MS * 1000;
  private visible = true;
  private workTiming: WorkTiming = 0;
  private readonly arena: Allocator;
  /** The arena's statistics, filled in place by `arena.stats(into)` (one object, made once). */
  private readonly arenaStats: AllocatorStats;
  private readonly t: {
    mode: ChoiceText;
    live: IntText;
    capacity: IntText;
    spawned: IntText;
    freed: IntText;
    spawn: IntText;
    comets: IntText;
    dots: IntText;
    arenaKind: ChoiceText;
    arenaNote: ChoiceText;
    arenaLive: BytesText;
    arenaFree: BytesText;
    arenaLargest: BytesText;
    p50: TenthsText;
    p99: TenthsText;
    max: TenthsText;
    window: IntText;
    workP50: TenthsText;
    workP99: TenthsText;
    workNote: ChoiceText;
    heap: BytesText;
    heapNote: ChoiceText;
    gcs: IntText;
    alloc: BytesText;
    allocNote: ChoiceText;
    button: ChoiceText;
  };

  /**
   * Builds the panel's DOM inside `parent`. Allocates; call once.
   *
   * @param parent - where the panel goes (usually `document.body`).
   * @param profiler - the demo's frame profiler; read, never written.
   * @param stats - the live figures; read on each text refresh.
   * @param meters - the page meters (work, GCs, heap); refreshed with the text.
   * @throws Error when the browser has no 2D canvas.
   */
  constructor(
    parent: HTMLElement,
    private readonly profiler: FrameProfiler,
    private readonly stats: OverlayStats,
    private readonly meters: PageMeters,
    options: FrameOverlayOptions,
  ) {
    this.arena = options.arena;
    this.arenaStats = options.arena.stats();
    const root = document.createElement('div');
    root.id = 'overlay';
    root.className = 'overlay';
    const pre = document.createElement('pre');
    pre.className = 'overlay-text';
    const panel = this.panel;
    const line = (text: string) => staticText(pre, text);
    line(`steadyheap particles · ${stats.renderer} (${options.presetNote})\nmode      `);
    const mode = new ChoiceText(panel, pre, MODE_LABELS);
    line('\nlive      ');
    const live = new IntText(panel, pre);
    line(' / ');
    const capacity = new IntText(panel, pre);
    line('   +');
    const spawned = new IntText(panel, pre);
    line(' −');
    const freed = new IntText(panel, pre);
    line(' per frame (spawn ');
    const spawn = new IntText(panel, pre);
    line(')\ntrails    ');
    const comets = new IntText(panel, pre);
    line(' comets, ');
    const dots = new IntText(panel, pre);
    line(' dots drawn\narena     ');
    const arenaKind = new ChoiceText(panel, pre, ARENA_KINDS);
    line(': live ');
    const arenaLive = new BytesText(panel, pre);
    line('  free ');
    const arenaFree = new BytesText(panel, pre);
    line('  largest free ');
    const arenaLargest = new BytesText(panel, pre);
    const arenaNote = new ChoiceText(panel, pre, ARENA_MODE_NOTES);
    line('\nframe ms  p50 ');
    const p50 = new TenthsText(panel, pre);
    line('  p99 ');
    const p99 = new TenthsText(panel, pre);
    line('  max ');
    const max = new TenthsText(panel, pre);
    line('  (last ');
    const window = new IntText(panel, pre);
    line(' frames)\nwork ms   p50 ');
    const workP50 = new TenthsText(panel, pre);
    line('  p99 ');
    const workP99 = new TenthsText(panel, pre);
    const workNote = new ChoiceText(panel, pre, WORK_NOTES);
    line('\nJS heap   ');
    const heap = new BytesText(panel, pre);
    const heapNote = new ChoiceText(panel, pre, HEAP_NOTES);
    line('\nGCs       ~');
    const gcs = new IntText(panel, pre);
    line(' since the mode started (estimate: a weakly held sentinel collected)\nalloc     ');
    const alloc = new BytesText(panel, pre);
    const allocNote = new ChoiceText(panel, pre, ALLOC_NOTES);

    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'mode-button';
    button.title = `Switch to the next mode: ${DEMO_MODES.join(', ')} (key M)`;
    button.addEventListener('click', options.onToggleMode);
    const buttonText = new ChoiceText(panel, button, NEXT_LABELS);
    const caption = document.createElement('div');
    caption.className = 'overlay-caption';
    caption.textContent = `frame time, last ${WINDOW_FRAMES} frames (top ${GRAPH_MAX_MS} ms; lines at 16.7 and 33.3 ms): green within budget, yellow up to 2x, red beyond`;
    const canvas = document.createElement('canvas');
    canvas.className = 'overlay-graph';
    canvas.width = WINDOW_FRAMES;
    canvas.height = GRAPH_HEIGHT_PX;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas unavailable: cannot draw the frame-time graph');
    root.append(pre, button, caption, canvas);
    if (options.problems && options.problems.length > 0) {
      const problems = document.createElement('pre');
      problems.className = 'overlay-problems';
      problems.textContent = options.problems.join('\n');
      root.append(problems);
    }
    parent.append(root);
    this.root = root;
    this.ctx = ctx;
    this.t = {
      mode,
      live,
      capacity,
      spawned,
      freed,
      spawn,
      comets,
      dots,
      arenaKind,
      arenaNote,
      arenaLive,
      arenaFree,
      arenaLargest,
      p50,
      p99,
      max,
      window,
      workP50,
      workP99,
      workNote,
      heap,
      heapNote,
      gcs,
      alloc,
      allocNote,
      button: buttonText,
    };
    arenaKind.set(ARENA_KINDS.indexOf(options.arenaKind));
    this.stageText();
    panel.flush();
  }

  /** Shows or hides the panel. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.root.style.display = visible ? '' : 'none';
  }

  /**
   * After a mode switch: the text refresh period of the mode, how its work is timed, and a
   * refresh at the next `draw`.
   */
  setMode(zeroGarbage: boolean, workTiming: WorkTiming): void {
    this.refreshUs = (zeroGarbage ? ZERO_GARBAGE_TEXT_REFRESH_MS : TEXT_REFRESH_MS) * 1000;
    this.workTiming = workTiming;
    this.sinceTextUs = this.refreshUs;
    this.frameTenths.reset();
  }

  /**
   * Draws the graph and stages the figures (every call), and reads the heap and the arena's
   * stats and writes the text when its period has passed (a few times a second). Measured in
   * Chrome with the sampling heap profiler after a 2-minute warm-up, zero-garbage mode with the
   * overlay shown: about 13 B per frame for the whole page (16 is the demo's target), about 5 B of
   * it the refresh (`performance.memory` makes a new object on every read; `stats()` called this
   * rarely runs unoptimized and boxes its fractional numbers). O(WINDOW_FRAMES + histogram bins).
   *
   * @param frameUs - the frame's length, whole µs (a non-negative integer: passed unboxed).
   */
  draw(frameUs: number): void {
    if (!this.visible) return;
    this.frameTenths.add(Math.round(frameUs / 100));
    this.drawGraph();
    this.sinceTextUs += frameUs;
    const refresh = this.sinceTextUs >= this.refreshUs;
    if (refresh) {
      this.sinceTextUs = 0;
      this.meters.sampleHeap(this.stats.frame);
      this.arena.stats(this.arenaStats);
    }
    this.meters.update();
    this.stageText();
    if (refresh) this.panel.flush();
  }

  /** One bar per frame, oldest at the left, in three passes by colour. O(WINDOW_FRAMES). */
  private drawGraph(): void {
    const ctx = this.ctx;
    const ms = this.graphMs;
    const n = this.profiler.copyRecentFrameMs(ms);
    const x0 = WINDOW_FRAMES - n; // right-align: the newest frame is at the right edge
    const h = GRAPH_HEIGHT_PX;
    const pxPerMs = h / GRAPH_MAX_MS;
    const barPx = this.barPx;
    for (let i = 0; i < n; i++) barPx[i] = Math.max(1, Math.round(Math.min(ms[i], GRAPH_MAX_MS) * pxPerMs));
    ctx.clearRect(0, 0, WINDOW_FRAMES, h);
    ctx.fillStyle = 'rgba(0,0,0,0.35)';
    ctx.fillRect(0, 0, WINDOW_FRAMES, h);
    // Within budget (with a little rAF jitter allowed), up to 2 budgets, beyond.
    ctx.fillStyle = '#4cd964';
    for (let i = 0; i < n; i++) {
      if (ms[i] <= BUDGET_MS * 1.1) ctx.fillRect(x0 + i, h - barPx[i], 1, barPx[i]);
    }
    ctx.fillStyle = '#ffcc00';
    for (let i = 0; i < n; i++) {
      const v = ms[i];
      if (v > BUDGET_MS * 1.1 && v <= BUDGET_MS * 2.1) ctx.fillRect(x0 + i, h - barPx[i], 1, barPx[i]);
    }
    ctx.fillStyle = '#ff3b30';
    for (let i = 0; i < n; i++) {
      if (ms[i] > BUDGET_MS * 2.1) ctx.fillRect(x0 + i, h - barPx[i], 1, barPx[i]);
    }
    // Budget lines at 16.7 ms (60 fps) and 33.3 ms (30 fps).
    ctx.fillStyle = 'rgba(255,255,255,0.45)';
    ctx.fillRect(0, h - Math.round(BUDGET_MS * pxPerMs), WINDOW_FRAMES, 1);
    ctx.fillRect(0, h - Math.round(2 * BUDGET_MS * pxPerMs), WINDOW_FRAMES, 1);
  }

  /** Stages every figure's text from preallocated strings (see the module docs). */
  private stageText(): void {
    const s = this.stats;
    const t = this.t;
    const modeIndex = DEMO_MODES.indexOf(s.mode);
    t.mode.set(modeIndex);
    t.button.set(modeIndex);
    t.live.set(s.live);
    t.capacity.set(s.capacity);
    t.spawned.set(s.spawnedLastFrame);
    t.freed.set(s.freedLastFrame);
    t.spawn.set(s.spawnPerFrame);
    t.comets.set(s.comets);
    t.dots.set(s.dots);
    const naive = s.mode === 'naive';
    t.arenaNote.set(naive ? 0 : 1);
    const a = this.arenaStats;
    t.arenaLive.set(a.usedBytes);
    t.arenaFree.set(a.freeBytes);
    t.arenaLargest.set(a.largestFreeBytes);

    // Frame-time percentiles over the last WINDOW_FRAMES frames, in tenths of a ms.
    const frames = this.frameTenths;
    t.p50.set(frames.percentileBin(50));
    t.p99.set(frames.percentileBin(99));
    t.max.set(frames.maxValueBin());
    t.window.set(frames.count);

    const fig = this.meters.figures;
    t.workP50.set(fig[FIG_WORK_P50_TENTHS]);
    t.workP99.set(fig[FIG_WORK_P99_TENTHS]);
    t.workNote.set(this.workTiming);
    t.heap.set(fig[FIG_HEAP_BYTES]);
    const precise = fig[FIG_HEAP_PRECISE] === 1;
    t.heapNote.set(precise ? 1 : 0);
    t.gcs.set(fig[FIG_GCS]);
    const perFrame = fig[FIG_ALLOC_BYTES_PER_FRAME];
    t.alloc.set(precise && perFrame >= 0 ? perFrame : -1);
    t.allocNote.set(!precise ? 1 : perFrame < 0 && naive ? 2 : 0);
  }
}
