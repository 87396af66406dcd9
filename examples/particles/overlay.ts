/**
 * The particle demo's on-screen overlay: mode, live / spawned / freed counts, frame time p50 /
 * p99 / max over a sliding window (from the {@link FrameProfiler}), and a frame-time graph.
 * Browser only (DOM, canvas 2D).
 *
 * Allocation budget: per frame, {@link FrameOverlay.draw} only copies the newest frame times into
 * a preallocated `Float32Array`, turns them into whole-pixel bar heights in a preallocated
 * `Int32Array`, and draws one `fillRect` per frame time on a 2D canvas with integer arguments
 * (fill styles are constant strings, so assigning them creates nothing). No fractional number
 * crosses a call: a double passed to a call V8 does not inline is boxed into a new heap number,
 * so `draw` takes the frame time in whole µs and the bar heights are computed in the loop, not in
 * a helper. The text, whose formatting does
 * allocate strings, is rebuilt at most every {@link TEXT_REFRESH_MS} (4 times a second), so the
 * overlay adds no per-frame garbage of its own to the pooled mode it measures.
 *
 * @module
 */
import type { FrameProfiler } from 'steadyheap';
import { nextDemoMode, type DemoMode } from './simulation.ts';

/** Text refresh period, milliseconds: at most 4 text updates per second. */
export const TEXT_REFRESH_MS = 250;
/** {@link TEXT_REFRESH_MS} in whole microseconds. */
const TEXT_REFRESH_US = TEXT_REFRESH_MS * 1000;
/** Frames in the sliding window of the percentiles and of the graph (4 s at 60 fps). */
export const WINDOW_FRAMES = 240;
/** Graph height, CSS pixels; its top is {@link GRAPH_MAX_MS}. */
export const GRAPH_HEIGHT_PX = 64;
/** Frame time at the top of the graph, ms (longer frames are clipped to it). */
export const GRAPH_MAX_MS = 50;
/** The 60 fps frame budget, ms (the graph's budget line). */
export const BUDGET_MS = 1000 / 60;

/** The live figures the overlay shows; the demo's page-contract object satisfies it. */
export interface OverlayStats {
  readonly mode: DemoMode;
  readonly renderer: string;
  readonly capacity: number;
  readonly spawnPerFrame: number;
  readonly live: number;
  readonly spawnedTotal: number;
  readonly freedTotal: number;
  readonly spawnedLastFrame: number;
  readonly freedLastFrame: number;
}

/** Options of {@link FrameOverlay}. */
export interface FrameOverlayOptions {
  /** Called by the overlay's mode button. */
  onToggleMode: () => void;
  /** Messages shown under the figures (for example rejected URL parameters). */
  problems?: readonly string[];
}

/** Formats a count with thin thousands separators (text refresh only). */
function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** Formats milliseconds with one decimal, or a dash when unknown (text refresh only). */
function formatMs(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(1) : '–';
}

/**
 * The overlay: a fixed panel at the top left with a text block, a mode button and a frame-time
 * graph. Build once; call {@link FrameOverlay.draw} every frame.
 */
export class FrameOverlay {
  /** The panel element (`#overlay`). */
  readonly root: HTMLDivElement;
  private readonly text: HTMLPreElement;
  private readonly button: HTMLButtonElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly graphMs = new Float32Array(WINDOW_FRAMES);
  /** Bar height of each graphed frame, whole CSS pixels in [1, GRAPH_HEIGHT_PX]. */
  private readonly barPx = new Int32Array(WINDOW_FRAMES);
  /** Frame time since the last text refresh, whole µs (a small integer field: never boxed). */
  private sinceTextUs = TEXT_REFRESH_US;
  private visible = true;

  /**
   * Builds the panel's DOM inside `parent`. Allocates; call once.
   *
   * @param parent - where the panel goes (usually `document.body`).
   * @param profiler - the demo's profiler; read, never written.
   * @param stats - the live figures; read on each text refresh.
   * @throws Error when the browser has no 2D canvas.
   */
  constructor(
    parent: HTMLElement,
    private readonly profiler: FrameProfiler,
    private readonly stats: OverlayStats,
    options: FrameOverlayOptions,
  ) {
    const root = document.createElement('div');
    root.id = 'overlay';
    root.className = 'overlay';
    const text = document.createElement('pre');
    text.className = 'overlay-text';
    const button = document.createElement('button');
    button.type = 'button';
    button.id = 'mode-button';
    button.title = 'Switch to the next mode: pooled, naive, zero-object (key M)';
    button.addEventListener('click', options.onToggleMode);
    const canvas = document.createElement('canvas');
    canvas.className = 'overlay-graph';
    canvas.width = WINDOW_FRAMES;
    canvas.height = GRAPH_HEIGHT_PX;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('2D canvas unavailable: cannot draw the frame-time graph');
    root.append(text, button, canvas);
    if (options.problems && options.problems.length > 0) {
      const problems = document.createElement('pre');
      problems.className = 'overlay-problems';
      problems.textContent = options.problems.join('\n');
      root.append(problems);
    }
    parent.append(root);
    this.root = root;
    this.text = text;
    this.button = button;
    this.ctx = ctx;
  }

  /** Shows or hides the panel. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.root.style.display = visible ? '' : 'none';
  }

  /** Forces a text refresh at the next `draw` (after a mode switch). */
  invalidateText(): void {
    this.sinceTextUs = TEXT_REFRESH_US;
  }

  /**
   * Draws the graph (every call: allocation-free) and refreshes the text when
   * {@link TEXT_REFRESH_MS} of frame time have passed since the last refresh. O(WINDOW_FRAMES).
   *
   * @param frameUs - the frame's length, whole µs (a non-negative integer: passed unboxed).
   */
  draw(frameUs: number): void {
    if (!this.visible) return;
    this.drawGraph();
    this.sinceTextUs += frameUs;
    if (this.sinceTextUs >= TEXT_REFRESH_US) {
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

  /** Rebuilds the text (allocates strings: at most every TEXT_REFRESH_MS). */
  private refreshText(): void {
    const s = this.stats;
    const p = this.profiler;
    const p50 = p.windowPercentile(50, WINDOW_FRAMES);
    const p99 = p.windowPercentile(99, WINDOW_FRAMES);
    const max = p.windowMax(WINDOW_FRAMES);
    const fps = p50 > 0 ? 1000 / p50 : NaN;
    this.text.textContent =
      `steadyheap particles · ${s.renderer}\n` +
      `mode      ${s.mode.toUpperCase()}\n` +
      `live      ${formatCount(s.live)} / ${formatCount(s.capacity)}\n` +
      `per frame +${formatCount(s.spawnedLastFrame)} spawned  -${formatCount(s.freedLastFrame)} freed` +
      ` (spawn ${formatCount(s.spawnPerFrame)})\n` +
      `total     ${formatCount(s.spawnedTotal)} spawned  ${formatCount(s.freedTotal)} freed\n` +
      `frame ms  p50 ${formatMs(p50)}  p99 ${formatMs(p99)}  max ${formatMs(max)}` +
      `  (last ${Math.min(WINDOW_FRAMES, p.frames)} frames, ~${Number.isFinite(fps) ? fps.toFixed(0) : '–'} fps)`;
    this.button.textContent = `switch to ${nextDemoMode(s.mode)} (M)`;
  }
}
