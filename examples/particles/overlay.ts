/**
 * The particle demo's on-screen overlay: mode, counts, the comet trails and their arena (live
 * bytes, free bytes, largest free block), frame time p50 / p99 / max beside the page's own work
 * per frame (p50 / p99), JS heap, GCs seen since the mode started (an estimate), bytes allocated
 * per frame where measurable, and a labelled frame-time graph. Browser only (DOM, canvas 2D).
 *
 * Allocation budget, so that the overlay does not spoil the `zero-garbage` mode it reports on:
 * per frame, {@link FrameOverlay.draw} copies the newest frame times into a preallocated
 * `Float32Array`, turns them into whole-pixel bar heights and draws one `fillRect` per frame on a
 * 2D canvas with integer arguments and constant fill styles: nothing allocated. The text is
 * refreshed at most every {@link TEXT_REFRESH_MS} (every {@link ZERO_GARBAGE_TEXT_REFRESH_MS} in
 * `zero-garbage` mode) through `overlay-text.ts`, which points DOM text nodes at strings made
 * once; the only objects a refresh makes are the browser's `MemoryInfo` (the heap figure) and,
 * once a second, the arena's statistics object.
 *
 * @module
 */
import type { Allocator, FrameProfiler } from 'steadyheap';
import type { TrailArenaKind } from './arena-trails.ts';
import { DEMO_MODES, type DemoMode, nextDemoMode } from './modes.ts';
import {
  FIG_ALLOC_BYTES_PER_FRAME,
  FIG_GCS,
  FIG_HEAP_BYTES,
  FIG_HEAP_PRECISE,
  FIG_WORK_P50_US,
  FIG_WORK_P99_US,
  type PageMeters,
} from './page-meters.ts';
import { BytesText, ChoiceText, IntText, TenthsText, staticText } from './overlay-text.ts';

/** Text refresh period, milliseconds: at most 4 text updates per second. */
export const TEXT_REFRESH_MS = 250;
/** Text refresh period in the `zero-garbage` mode: twice a second (each refresh reads the heap figure). */
export const ZERO_GARBAGE_TEXT_REFRESH_MS = 500;
/** How often the arena's statistics are read, milliseconds (each read makes one object). */
export const ARENA_REFRESH_MS = 1000;
/** Frames in the sliding window of the percentiles and of the graph (4 s at 60 fps). */
export const WINDOW_FRAMES = 240;
/** Graph height, CSS pixels; its top is {@link GRAPH_MAX_MS}. */
export const GRAPH_HEIGHT_PX = 64;
/** Frame time at the top of the graph, ms (longer frames are clipped to it). */
export const GRAPH_MAX_MS = 50;
/** The 60 fps frame budget, ms (the graph's budget line). */
export const BUDGET_MS = 1000 / 60;

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
  ' per frame (heap growth between GCs)',
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
  private readonly sortedMs = new Float32Array(WINDOW_FRAMES);
  /** Bar height of each graphed frame, whole CSS pixels in [1, GRAPH_HEIGHT_PX]. */
  private readonly barPx = new Int32Array(WINDOW_FRAMES);
  /** Frame time since the last text refresh and since the last arena read, whole µs (small integers). */
  private sinceTextUs = 0;
  private sinceArenaUs = 0;
  private refreshUs = TEXT_REFRESH_MS * 1000;
  private visible = true;
  private workTiming: WorkTiming = 0;
  private readonly arena: Allocator;
  /** usedBytes, freeBytes, largestFreeBytes of the latest arena read. */
  private readonly arenaBytes = new Float64Array(3);
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
    const root = document.createElement('div');
    root.id = 'overlay';
    root.className = 'overlay';
    const pre = document.createElement('pre');
    pre.className = 'overlay-text';
    const line = (text: string) => staticText(pre, text);
    line(`steadyheap particles · ${stats.renderer} (${options.presetNote})\nmode      `);
    const mode = new ChoiceText(pre, MODE_LABELS);
    line('\nlive      ');
    const live = new IntText(pre);
    line(' / ');
    const capacity = new IntText(pre);
    line('   +');
    const spawned = new IntText(pre);
    line(' −');
    const freed = new IntText(pre);
    line(' per frame (spawn ');
    const spawn = new IntText(pre);
    line(')\ntrails    ');
    const comets = new IntText(pre);
    line(' comets, ');
    const dots = new IntText(pre);
    line(' dots drawn\narena     ');
    const arenaKind = new ChoiceText(pre, ARENA_KINDS);
    line(': live ');
    const arenaLive = new BytesText(pre);
    line('  free ');
    const arenaFree = new BytesText(pre);
    line('  largest free ');
    const arenaLargest = new BytesText(pre);
    const arenaNote = new ChoiceText(pre, ARENA_MODE_NOTES);
    line('\nframe ms  p50 ');
    const p50 = new TenthsText(pre);
    line('  p99 ');
    const p99 = new TenthsText(pre);
    line('  max ');
    const max = new TenthsText(pre);
    line('  (last ');
    const window = new IntText(pre);
    line(' frames)\nwork ms   p50 ');
    const workP50 = new TenthsText(pre);
    line('  p99 ');
    const workP99 = new TenthsText(pre);
    const workNote = new ChoiceText(pre, WORK_NOTES);
    line('\nJS heap   ');
    const heap = new BytesText(pre);
    const heapNote = new ChoiceText(pre, HEAP_NOTES);
    line('\nGCs       ~');
    const gcs = new IntText(pre);
    line(' since the mode started (estimate: a weakly held sentinel collected)\nalloc     ~');
    const alloc = new BytesText(pre);
    const allocNote = new ChoiceText(pre, ALLOC_NOTES);

    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'mode-button';
    button.title = `Switch to the next mode: ${DEMO_MODES.join(', ')} (key M)`;
    button.addEventListener('click', options.onToggleMode);
    const buttonText = new ChoiceText(button, NEXT_LABELS);
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
    this.readArena();
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
    this.sinceArenaUs = ARENA_REFRESH_MS * 1000;
  }

  /**
   * Draws the graph (every call: allocation-free) and refreshes the text when its period has
   * passed. O(WINDOW_FRAMES).
   *
   * @param frameUs - the frame's length, whole µs (a non-negative integer: passed unboxed).
   */
  draw(frameUs: number): void {
    if (!this.visible) return;
    this.drawGraph();
    this.sinceTextUs += frameUs;
    this.sinceArenaUs += frameUs;
    if (this.sinceArenaUs >= ARENA_REFRESH_MS * 1000) {
      this.sinceArenaUs = 0;
      this.readArena();
    }
    if (this.sinceTextUs >= this.refreshUs) {
      this.sinceTextUs = 0;
      this.refreshText();
    }
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

  /** Reads the arena's figures (makes one statistics object). */
  private readArena(): void {
    const s = this.arena.stats();
    this.arenaBytes[0] = s.usedBytes;
    this.arenaBytes[1] = s.freeBytes;
    this.arenaBytes[2] = s.largestFreeBytes;
  }

  /** Rebuilds the text from preallocated strings (see the module docs). */
  private refreshText(): void {
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
    t.arenaLive.set(this.arenaBytes[0]);
    t.arenaFree.set(this.arenaBytes[1]);
    t.arenaLargest.set(this.arenaBytes[2]);

    // Frame-time percentiles over the graph's window, from a sorted copy.
    const n = this.profiler.copyRecentFrameMs(this.graphMs);
    const sorted = this.sortedMs;
    for (let i = 0; i < WINDOW_FRAMES; i++) sorted[i] = i < n ? this.graphMs[i] : Number.POSITIVE_INFINITY;
    sorted.sort();
    if (n > 0) {
      t.p50.set(Math.round(sorted[Math.min(n - 1, Math.floor(n * 0.5))] * 10));
      t.p99.set(Math.round(sorted[Math.min(n - 1, Math.ceil(n * 0.99) - 1)] * 10));
      t.max.set(Math.round(sorted[n - 1] * 10));
    } else {
      t.p50.set(-1);
      t.p99.set(-1);
      t.max.set(-1);
    }
    t.window.set(n);

    const meters = this.meters;
    meters.refresh(s.frame);
    const fig = meters.figures;
    t.workP50.set(fig[FIG_WORK_P50_US] < 0 ? -1 : Math.round(fig[FIG_WORK_P50_US] / 100));
    t.workP99.set(fig[FIG_WORK_P99_US] < 0 ? -1 : Math.round(fig[FIG_WORK_P99_US] / 100));
    t.workNote.set(this.workTiming);
    t.heap.set(fig[FIG_HEAP_BYTES]);
    const precise = fig[FIG_HEAP_PRECISE] === 1;
    t.heapNote.set(precise ? 1 : 0);
    t.gcs.set(fig[FIG_GCS]);
    const perFrame = fig[FIG_ALLOC_BYTES_PER_FRAME];
    t.alloc.set(precise && perFrame >= 0 ? Math.round(perFrame) : -1);
    t.allocNote.set(!precise ? 1 : perFrame < 0 && naive ? 2 : 0);
  }
}
