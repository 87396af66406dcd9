/**
 * The particle demo's entry point (Vite, `examples/particles/index.html`): PixiJS v8 particles
 * and comet trails spawned and freed every frame, in four modes (`modes.ts`): `naive` (fresh
 * objects and arrays), `pooled` (a steadyheap `StructPool` and arena, drawn through reused Pixi
 * `Particle`s), `instanced` (the same pools drawn by `PoolParticles` from `steadyheap/pixi` in
 * Pixi's ordinary render) and `zero-garbage` (the same layers drawn by `CachedStageRenderer`, so
 * that a frame allocates nothing anywhere on the page). An overlay shows the figures that tell
 * them apart; `window.steadyheapDemo` is the page contract (`page-contract.ts`).
 *
 * URL parameters: see `params.ts` (`?mode=&preset=&capacity=&spawn=&lifeMin=&lifeMax=&comet=
 * &arena=&seed=&frames=&overlay=0&cpu=0&workers=`). Key `M` or the overlay's button switches to
 * the next mode. `?workers=N` steps the pooled modes' particles on N Web Workers
 * (`worker-steps.ts`) when the page is cross-origin isolated, and says so when it is not.
 *
 * The frame loop is our own `requestAnimationFrame` callback (Pixi's tickers are stopped), so
 * each frame is exactly: step the simulation, sync the view, render, record the frame, draw the
 * overlay. V8 boxes a fractional number into a new 12-byte heap number wherever one crosses a
 * call it does not inline, and the browser boxes every `performance.now()` result and the rAF
 * timestamp. So the frame time is rounded to whole microseconds here, in the loop, and only that
 * small integer crosses a call; the work is timed with two `performance.now()` calls (1 frame in
 * 16 in `zero-garbage` mode, none with `?cpu=0`); the rAF timestamp, one heap number a frame made
 * by the browser, is the floor of any page driven by `requestAnimationFrame`.
 *
 * @module
 */
import { Application, Container, Graphics, Ticker, type WebGLRenderer } from 'pixi.js';
import { FrameProfiler, MAX_FRAME_US, UNKNOWN_CPU_US } from 'steadyheap';
import { CachedStageRenderer } from 'steadyheap/pixi';
import { InstancedParticleView } from './instanced-view.ts';
import { type DemoMode, badModeMessage, isDemoMode, nextDemoMode, simulationKindOf } from './modes.ts';
import { NaiveSimulation } from './naive-simulation.ts';
import { FrameOverlay, type WorkTiming } from './overlay.ts';
import { PageMeters, ZERO_GARBAGE_WORK_EVERY } from './page-meters.ts';
import type { SteadyheapDemo } from './page-contract.ts';
import { formatDemoParams, isSoftwareRenderer, parseDemoParams, resolveSettings } from './params.ts';
import {
  NaiveParticleView,
  type ParticleView,
  PooledParticleView,
  createDotTexture,
  createParticleContainer,
} from './pixi-view.ts';
import { PooledSimulation } from './pooled-simulation.ts';
import type { ParticleSimulation } from './simulation.ts';
import { isolationProblem, startStepWorkers } from './worker-steps.ts';

/** Background colour of the stage (the e2e test counts pixels that differ from it). */
const BACKGROUND = 0x0b0e14;
/** Step used for the very first frame, which has no previous timestamp: one 60 fps frame, µs. */
const FIRST_FRAME_US = 16_667;
/** Index of the previous frame's timestamp in the loop's `frameClock`. */
const PREVIOUS_FRAME_MS = 0;

/** The WebGL renderer string (unmasked where the browser allows), to tell software WebGL apart. */
function webglRendererName(renderer: WebGLRenderer): string {
  const gl = renderer.gl;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** The static part of the scene: a floor line and a faint grid. Redrawn on resize. */
function drawBackdrop(g: Graphics, widthPx: number, heightPx: number): void {
  g.clear();
  for (let x = 0; x <= widthPx; x += 80) g.moveTo(x, 0).lineTo(x, heightPx);
  for (let y = 0; y <= heightPx; y += 80) g.moveTo(0, y).lineTo(widthPx, y);
  g.stroke({ width: 1, color: 0x1b2230 });
  g.moveTo(0, heightPx - 1).lineTo(widthPx, heightPx - 1);
  g.stroke({ width: 2, color: 0x3d5278 });
}

async function start(): Promise<void> {
  const { params, problems, notes } = parseDemoParams(window.location.search);
  const workersProblem = isolationProblem(params.workers);
  if (workersProblem !== null) problems.push(workersProblem);
  const stepWorkers = workersProblem === null ? params.workers : 0;
  for (const p of problems) console.warn(`steadyheap demo: ${p}`);
  for (const n of notes) console.info(`steadyheap demo: ${n}`);

  const app = new Application();
  await app.init({
    background: BACKGROUND,
    resizeTo: window,
    preference: 'webgl',
    antialias: false,
    autoStart: false,
    sharedTicker: false,
  });
  // The demo uses no Pixi pointer events: stop the event system's own ticker (its per-frame
  // update would run outside our frame loop, with garbage of its own).
  Ticker.system.autoStart = false;
  Ticker.system.stop();
  document.body.append(app.canvas);
  const renderer = app.renderer as WebGLRenderer;
  const rendererName = webglRendererName(renderer);
  const software = isSoftwareRenderer(rendererName);
  const settings = resolveSettings(params, software ? 'software' : 'hardware');

  const widthPx = app.screen.width;
  const heightPx = app.screen.height;
  const options = {
    capacity: settings.capacity,
    spawnPerFrame: settings.spawnPerFrame,
    lifeMinMs: settings.lifeMinMs,
    lifeMaxMs: settings.lifeMaxMs,
    cometEvery: settings.cometEvery,
    seed: params.seed,
    widthPx,
    heightPx,
    arena: params.arena,
  };
  const pooled = new PooledSimulation({ ...options, shared: stepWorkers > 0 });
  if (stepWorkers > 0) startStepWorkers(pooled, stepWorkers);
  const naive = new NaiveSimulation(options);

  const backdrop = new Graphics();
  drawBackdrop(backdrop, widthPx, heightPx);
  app.stage.addChild(backdrop);
  const texture = createDotTexture();
  const container = createParticleContainer(texture);
  app.stage.addChild(container);
  const layers = new Container();
  app.stage.addChild(layers);
  const pooledView = new PooledParticleView(pooled, container, texture);
  const naiveView = new NaiveParticleView(naive, container, texture);
  const instancedView = new InstancedParticleView(pooled, texture, layers);
  const cached = new CachedStageRenderer({
    renderer,
    stage: app.stage,
    layers: [instancedView.dots, instancedView.sparks],
  });
  const viewOf = (mode: DemoMode): ParticleView =>
    mode === 'naive' ? naiveView : mode === 'pooled' ? pooledView : instancedView;

  // Size Pixi's particle buffers once, for every spark and dot the pooled view can hold (see
  // pixi-view.ts), and compile the instanced layers' programs: render with both active.
  pooledView.activate();
  instancedView.activate();
  renderer.render(app.stage);
  instancedView.deactivate();
  pooledView.deactivate();

  const meters = new PageMeters();
  await meters.probePrecision();

  const profiler = new FrameProfiler({ capacity: params.profilerFrames, budgetMs: 1000 / 60 });
  let sim: ParticleSimulation = simulationKindOf(params.mode) === 'pooled' ? pooled : naive;
  let view: ParticleView = viewOf(params.mode);
  let zeroGarbage = params.mode === 'zero-garbage';
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
    capacity: settings.capacity,
    spawnPerFrame: settings.spawnPerFrame,
    renderer: renderer.name,
    preset: settings.preset,
    arena: params.arena,
    comets: 0,
    dots: 0,
    directFrames: 0,
    uploadedBytes: 0,
    sparksSpan: 0,
    sparksPacked: false,
    profiler,
    workers: stepWorkers,
    isolated: globalThis.crossOriginIsolated === true,
    waitedFrames: 0,
    remoteFrees: 0,
    setMode,
  };
  // Read each frame with stats(into): one object for the page's life.
  const remoteFreeStats = pooled.pool.remoteFreeStats();

  const workersNote = stepWorkers > 0 ? `, ${stepWorkers} step worker${stepWorkers > 1 ? 's' : ''}` : '';
  const presetNote = `${settings.preset} preset: ${software ? 'software WebGL' : 'GPU'} ${rendererName.replace(/\s*\(.*$/, '').slice(0, 40)}${workersNote}`;
  const overlay = new FrameOverlay(document.body, profiler, demo, meters, {
    onToggleMode: toggleMode,
    presetNote,
    arena: pooled.arena,
    arenaKind: params.arena,
    problems,
  });
  overlay.setVisible(params.overlay);
  const workTiming = (mode: DemoMode): WorkTiming => (!params.cpuTiming ? 2 : mode === 'zero-garbage' ? 1 : 0);
  overlay.setMode(zeroGarbage, workTiming(params.mode));
  if (zeroGarbage) cached.invalidate();

  function setMode(mode: DemoMode): void {
    if (!isDemoMode(mode)) throw new TypeError(badModeMessage(mode));
    if (mode === demo.mode) return;
    view.deactivate();
    sim = simulationKindOf(mode) === 'pooled' ? pooled : naive;
    view = viewOf(mode);
    pooled.reset(params.seed);
    naive.reset(params.seed);
    sim.resize(app.screen.width, app.screen.height);
    view.activate();
    zeroGarbage = mode === 'zero-garbage';
    if (zeroGarbage) cached.invalidate();
    profiler.reset();
    meters.reset();
    overlay.setMode(zeroGarbage, workTiming(mode));
    frameClock[PREVIOUS_FRAME_MS] = -1;
    demo.mode = mode;
    demo.live = 0;
    demo.spawnedTotal = 0;
    demo.freedTotal = 0;
    directAtModeStart = cached.stats.directFrames;
    demo.directFrames = 0;
    params.mode = mode;
    window.history.replaceState(null, '', formatDemoParams(params));
  }

  /** Switches to the next mode: naive, pooled, instanced, zero-garbage, naive... */
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
  let directAtModeStart = 0;

  /** One frame. Created once; allocation-free in every mode but naive (see the module docs). */
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
      drawBackdrop(backdrop, w, h);
      cached.invalidate();
    }

    const timed = cpuTiming && (!zeroGarbage || demo.frame % ZERO_GARBAGE_WORK_EVERY === 0);
    const cpuStartMs = timed ? performance.now() : 0;
    sim.stepUs(frameUs);
    view.sync();
    if (zeroGarbage) cached.render();
    else renderer.render(app.stage);
    const cpuUs = timed ? Math.min(MAX_FRAME_US, Math.round((performance.now() - cpuStartMs) * 1000)) : UNKNOWN_CPU_US;
    if (timed) meters.recordWorkUs(cpuUs);

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
    demo.comets = sim.comets;
    demo.dots = sim.trailPoints;
    demo.directFrames = cached.stats.directFrames - directAtModeStart;
    demo.waitedFrames = pooled.waitedFrames;
    if (stepWorkers > 0) demo.remoteFrees = pooled.pool.remoteFreeStats(remoteFreeStats).applied;
    if (view === instancedView) {
      const sparks = instancedView.sparks.lastFrame;
      demo.uploadedBytes = sparks.uploadedBytes + instancedView.dots.lastFrame.uploadedBytes;
      demo.sparksSpan = sparks.rangeEnd - sparks.rangeStart;
      demo.sparksPacked = sparks.packed;
    } else {
      demo.uploadedBytes = 0;
      demo.sparksSpan = 0;
      demo.sparksPacked = false;
    }
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
