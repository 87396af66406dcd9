/**
 * The particle demo's entry point (Vite, `examples/particles/index.html`): PixiJS v8 particles
 * spawned and freed every frame, from a steadyheap `StructPool` drawn through reused Pixi
 * `Particle`s ("pooled"), from fresh objects and filtered arrays ("naive"), or from the same
 * `StructPool` whose columns go straight to the GPU as vertex attributes ("zero-object"), with
 * a frame-time overlay and the page contract of `page-contract.ts`.
 *
 * URL parameters (see `params.ts`):
 * `?mode=pooled|naive|zero-object&capacity=N&spawn=N&seed=N&frames=N&overlay=0&cpu=0`.
 * Key `M` or the overlay's button switches to the next mode at run time.
 *
 * The frame loop is our own `requestAnimationFrame` callback (Pixi's ticker is not started), so
 * each frame is exactly: step the simulation, copy it into the Pixi particles (or mark the pool's
 * columns for upload), render, record the frame in the profiler, draw the overlay. In the pooled
 * and zero-object modes nothing here allocates; the callback is one function created once.
 * Per frame, V8 boxes a fractional number into a new 16-byte heap number wherever one crosses a
 * call it does not inline, and the browser boxes every `performance.now()` result. So the frame
 * time is rounded to whole microseconds here, in the loop, and only that small integer crosses a
 * call: to the simulation (`stepUs`), the profiler (`recordUs`, with the CPU time in µs or -1)
 * and the overlay (`draw(frameUs)`). The CPU-time probe (two `performance.now()` calls,
 * 32 B/frame, boxed by the browser) can be turned off with `?cpu=0`. The rAF timestamp itself is
 * the browser's heap number; it is only read here.
 *
 * @module
 */
import { Application } from 'pixi.js';
import { FrameProfiler, MAX_FRAME_US, UNKNOWN_CPU_US } from 'steadyheap';
import { NaiveSimulation } from './naive-simulation.ts';
import { FrameOverlay } from './overlay.ts';
import type { SteadyheapDemo } from './page-contract.ts';
import { formatDemoParams, parseDemoParams } from './params.ts';
import {
  NaiveParticleView,
  PooledParticleView,
  createDotTexture,
  createParticleContainer,
  type ParticleView,
} from './pixi-view.ts';
import { PooledSimulation } from './pooled-simulation.ts';
import {
  badModeMessage,
  isDemoMode,
  nextDemoMode,
  simulationKindOf,
  type DemoMode,
  type ParticleSimulation,
} from './simulation.ts';
import { ZeroObjectParticleView } from './zero-object-view.ts';

/** Background colour of the stage (the e2e test counts pixels that differ from it). */
const BACKGROUND = 0x0b0e14;
/** Step used for the very first frame, which has no previous timestamp: one 60 fps frame, µs. */
const FIRST_FRAME_US = 16_667;
/** Index of the previous frame's timestamp in the loop's `frameClock`. */
const PREVIOUS_FRAME_MS = 0;

async function start(): Promise<void> {
  const { params, problems } = parseDemoParams(window.location.search);
  for (const p of problems) console.warn(`steadyheap demo: ${p}`);

  const app = new Application();
  await app.init({
    background: BACKGROUND,
    resizeTo: window,
    preference: 'webgl',
    antialias: false,
    autoStart: false,
    sharedTicker: false,
  });
  document.body.append(app.canvas);

  const widthPx = app.screen.width;
  const heightPx = app.screen.height;
  const options = {
    capacity: params.capacity,
    spawnPerFrame: params.spawnPerFrame,
    seed: params.seed,
    widthPx,
    heightPx,
  };
  const pooled = new PooledSimulation(options);
  const naive = new NaiveSimulation(options);
  const texture = createDotTexture();
  const container = createParticleContainer(texture);
  app.stage.addChild(container);
  const pooledView = new PooledParticleView(pooled, container, texture);
  const naiveView = new NaiveParticleView(naive, container, texture);
  const zeroObjectView = new ZeroObjectParticleView(pooled, texture);
  app.stage.addChild(zeroObjectView.mesh);
  const viewOf = (mode: DemoMode): ParticleView =>
    mode === 'pooled' ? pooledView : mode === 'naive' ? naiveView : zeroObjectView;

  // Size Pixi's particle buffers to the capacity once: render with all `capacity` pooled particles
  // (still at scale 0) as children before the first real frame (see pixi-view.ts). The
  // zero-object mesh is drawn too (every slot free, so nothing shows): its shader is compiled and
  // its column buffers created now, not at the first switch to it.
  pooledView.activate();
  zeroObjectView.activate();
  zeroObjectView.sync();
  app.renderer.render(app.stage);
  zeroObjectView.deactivate();
  pooledView.deactivate();

  const profiler = new FrameProfiler({ capacity: params.profilerFrames, budgetMs: 1000 / 60 });
  let sim: ParticleSimulation = simulationKindOf(params.mode) === 'pooled' ? pooled : naive;
  let view: ParticleView = viewOf(params.mode);
  view.activate();
  // The previous frame's rAF timestamp (ms; -1 before the first), kept in a typed array: a
  // fractional number stored in a closure variable would be boxed anew on every frame.
  const frameClock = new Float64Array(1);
  frameClock[PREVIOUS_FRAME_MS] = -1;

  const demo: SteadyheapDemo = {
    ready: false,
    mode: params.mode,
    frame: 0,
    live: 0,
    spawnedTotal: 0,
    freedTotal: 0,
    spawnedLastFrame: 0,
    freedLastFrame: 0,
    capacity: params.capacity,
    spawnPerFrame: params.spawnPerFrame,
    renderer: app.renderer.name,
    profiler,
    setMode,
  };

  const overlay = new FrameOverlay(document.body, profiler, demo, { onToggleMode: toggleMode, problems });
  overlay.setVisible(params.overlay);

  function setMode(mode: DemoMode): void {
    if (!isDemoMode(mode)) throw new TypeError(badModeMessage(mode));
    if (mode === demo.mode) return;
    view.deactivate();
    sim = simulationKindOf(mode) === 'pooled' ? pooled : naive;
    view = viewOf(mode);
    sim.reset(params.seed);
    sim.resize(app.screen.width, app.screen.height);
    view.activate();
    profiler.reset();
    frameClock[PREVIOUS_FRAME_MS] = -1;
    demo.mode = mode;
    demo.live = 0;
    demo.spawnedTotal = 0;
    demo.freedTotal = 0;
    params.mode = mode;
    window.history.replaceState(null, '', formatDemoParams(params));
    overlay.invalidateText();
  }

  /** Switches to the next mode: pooled, naive, zero-object, pooled... */
  function toggleMode(): void {
    setMode(nextDemoMode(demo.mode));
  }

  window.addEventListener('keydown', (event) => {
    if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'm' || event.key === 'M') toggleMode();
  });

  let width = widthPx;
  let height = heightPx;
  const cpuTiming = params.cpuTiming;

  /** One frame. Created once; allocation-free in the pooled and zero-object modes (see the module docs). */
  function frame(nowMs: number): void {
    const previousMs = frameClock[PREVIOUS_FRAME_MS];
    const recordFrame = previousMs >= 0;
    // Whole µs: a small integer, never boxed at the calls below (the fractional difference
    // stays an unboxed double inside this function once V8 has optimized it).
    const frameUs = recordFrame
      ? Math.min(MAX_FRAME_US, Math.max(0, Math.round((nowMs - previousMs) * 1000)))
      : FIRST_FRAME_US;
    frameClock[PREVIOUS_FRAME_MS] = nowMs;
    const w = app.screen.width;
    const h = app.screen.height;
    if (w !== width || h !== height) {
      width = w;
      height = h;
      pooled.resize(w, h);
      naive.resize(w, h);
    }

    const cpuStartMs = cpuTiming ? performance.now() : 0;
    sim.stepUs(frameUs);
    view.sync();
    app.renderer.render(app.stage);
    const cpuUs = cpuTiming
      ? Math.min(MAX_FRAME_US, Math.round((performance.now() - cpuStartMs) * 1000))
      : UNKNOWN_CPU_US;

    const live = sim.live;
    const spawned = sim.spawnedLastStep;
    const freed = sim.freedLastStep;
    if (recordFrame) profiler.recordUs(frameUs, cpuUs, live, spawned, freed);
    demo.frame++;
    demo.live = live;
    demo.spawnedTotal = sim.spawnedTotal;
    demo.freedTotal = sim.freedTotal;
    demo.spawnedLastFrame = spawned;
    demo.freedLastFrame = freed;
    demo.ready = true;
    overlay.draw(frameUs);
    requestAnimationFrame(frame);
  }

  window.steadyheapDemo = demo;
  requestAnimationFrame(frame);
}

start().catch((error: unknown) => {
  console.error('steadyheap demo failed to start:', error);
  const message = document.createElement('pre');
  message.className = 'fatal';
  message.textContent = `The demo failed to start:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  document.body.append(message);
});
