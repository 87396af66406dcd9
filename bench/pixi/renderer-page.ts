/**
 * The page of the renderer benchmark (`bench/pixi/renderer.ts` drives it): `n` particles, all
 * live, whose position, scale, rotation, tint and alpha all change every frame, drawn either by
 * steadyheap's `PoolParticles` from a `StructPool`'s columns or by Pixi's `ParticleContainer`
 * from `Particle` objects (every property dynamic but the UVs). Each renderer gets the data the
 * way its users hold it: the simulation writes pool columns for `PoolParticles` and `Particle`
 * fields for the `ParticleContainer`, with the same arithmetic.
 *
 * Per frame it times, on the main thread, the update (the simulation step) and the submission
 * (`renderer.render`: Pixi's scene walk, the renderer's own CPU work and its WebGL calls), and
 * counts the bytes the frame hands to WebGL uploads (`bufferSubData`, `bufferData`,
 * `texSubImage2D`), by wrapping those methods of the context.
 *
 * `?spread=1` (pool only): the pool has twice the capacity, and its FIFO free queue has spread
 * the `n` live particles over all of it (two capacities' worth of frees and allocs at start),
 * and 1% of them die and respawn every frame (free, then alloc: FIFO reuse takes the oldest
 * free slot). `?upload=auto|range|packed` sets `PoolParticles.upload`.
 *
 * @module
 */
import { Application, Particle, ParticleContainer, Texture, type WebGLRenderer } from 'pixi.js';
import { StructPool } from 'steadyheap';
import { PoolParticles, type PoolParticlesFrameStats, type PoolParticlesUpload } from 'steadyheap/pixi';

/** What `window.rendererBench.run` returns. */
export interface BenchFrames {
  frames: number;
  /** Main-thread ms per frame: update, submission, and both. */
  updateMs: number[];
  submitMs: number[];
  /** Bytes handed to WebGL uploads per frame. */
  uploadBytes: number[];
}

declare global {
  interface Window {
    rendererBench?: {
      ready: boolean;
      /**
       * Draws `frames` frames (one per animation frame) and returns their figures. With `timed`
       * false nothing calls `performance.now()` (each call makes a heap number): the pass the
       * allocation sampling watches.
       */
      run(frames: number, timed: boolean): Promise<BenchFrames>;
      /** The latest frame's `PoolParticles.lastFrame` (pool only). */
      lastFrame?: () => PoolParticlesFrameStats;
    };
  }
}

const params = new URLSearchParams(window.location.search);
const kind = params.get('renderer') === 'container' ? 'container' : 'pool';
const n = Number(params.get('n') ?? 10_000);
const spread = params.get('spread') === '1';
const upload = (params.get('upload') ?? 'auto') as PoolParticlesUpload;
/** Pool capacity: `n`, or twice that for a FIFO-spread pool. */
const capacity = spread ? 2 * n : n;

/** Counts the bytes of WebGL upload calls (the source data's bytes, as the driver receives them). */
function countUploads(gl: WebGL2RenderingContext, counter: Float64Array): void {
  const elementBytes = (data: unknown): number =>
    ArrayBuffer.isView(data) ? ((data as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1) : 1;
  const g = gl as unknown as Record<string, (...args: unknown[]) => unknown>;
  const bufferSubData = g.bufferSubData.bind(gl);
  g.bufferSubData = (...a: unknown[]) => {
    // (target, dstByteOffset, srcData, srcOffset?, length?)
    const data = a[2] as ArrayBufferView;
    const length =
      a.length >= 5
        ? (a[4] as number) * elementBytes(data)
        : data.byteLength - ((a[3] as number) ?? 0) * elementBytes(data);
    counter[0] += length;
    return bufferSubData(...a);
  };
  const bufferData = g.bufferData.bind(gl);
  g.bufferData = (...a: unknown[]) => {
    if (ArrayBuffer.isView(a[1])) counter[0] += (a[1] as ArrayBufferView).byteLength;
    return bufferData(...a);
  };
  const texSubImage2D = g.texSubImage2D.bind(gl);
  g.texSubImage2D = (...a: unknown[]) => {
    // (target, level, x, y, width, height, format, type, srcData, srcOffset)
    if (a.length >= 9 && ArrayBuffer.isView(a[8])) {
      const texels = (a[4] as number) * (a[5] as number);
      const data = a[8] as ArrayBufferView;
      // Components per texel: from the element count the call reads (red or red-green formats here).
      const format = a[6] as number;
      const components = format === gl.RG || format === gl.RG_INTEGER ? 2 : format === gl.RGBA ? 4 : 1;
      counter[0] += texels * components * elementBytes(data);
    }
    return texSubImage2D(...a);
  };
}

async function start(): Promise<void> {
  const app = new Application();
  await app.init({
    width: 800,
    height: 600,
    background: 0x000000,
    preference: 'webgl',
    autoStart: false,
    antialias: false,
  });
  document.body.append(app.canvas);
  const renderer = app.renderer as WebGLRenderer;
  const uploaded = new Float64Array(1);
  countUploads(renderer.gl, uploaded);

  const canvas = document.createElement('canvas');
  canvas.width = 4;
  canvas.height = 4;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 4, 4);
  const texture = Texture.from(canvas);

  // Velocities and spins: side arrays (by slot for the pool), the same for both renderers.
  const vx = new Float32Array(capacity);
  const vy = new Float32Array(capacity);
  const spin = new Float32Array(capacity);
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < capacity; i++) {
    vx[i] = random() * 60 - 30;
    vy[i] = random() * 60 - 30;
    spin[i] = random() * 2 - 1;
  }

  let step: (t: number) => void;
  let lastFrame: (() => PoolParticlesFrameStats) | undefined;
  if (kind === 'pool') {
    const pool = new StructPool(
      { x: 'f32', y: 'f32', scale: 'f32', rotation: 'f32', tint: 'u32', alpha: 'f32' },
      { capacity, zeroOnAlloc: false },
    );
    const f = pool.fields;
    const spawn = () => {
      const s = pool.slotOf(pool.alloc());
      f.x[s] = random() * 800;
      f.y[s] = random() * 600;
      f.scale[s] = 1;
      f.rotation[s] = 0;
      f.tint[s] = 0xffffff;
      f.alpha[s] = 1;
    };
    /** One particle, picked at random, dies; a new one is spawned in the oldest free slot. */
    const respawn = () => {
      pool.free(pool.handleOf(pool.dense[Math.floor(random() * pool.size)]));
      spawn();
    };
    for (let i = 0; i < n; i++) spawn();
    if (spread) for (let i = 0; i < 2 * capacity; i++) respawn();
    const churn = spread ? Math.ceil(n / 100) : 0;
    const view = new PoolParticles({
      pool,
      texture,
      attributes: { x: 'x', y: 'y', scale: 'scale', rotation: 'rotation', tint: 'tint', alpha: 'alpha' },
      blendMode: 'add',
      upload,
    });
    app.stage.addChild(view);
    lastFrame = () => ({ ...view.lastFrame });
    step = (t) => {
      for (let i = 0; i < churn; i++) respawn();
      const { x, y, scale, rotation, tint, alpha } = f;
      const dense = pool.dense;
      for (let i = 0; i < n; i++) {
        const s = dense[i];
        x[s] = (x[s] + vx[s] * 0.016 + 800) % 800;
        y[s] = (y[s] + vy[s] * 0.016 + 600) % 600;
        rotation[s] += spin[s] * 0.016;
        scale[s] = 0.75 + 0.25 * Math.sin(t + s);
        alpha[s] = 0.5 + 0.5 * Math.cos(t + s);
        tint[s] = 0x808080 + (s & 0x7f7f7f);
      }
    };
  } else {
    const container = new ParticleContainer({
      texture,
      dynamicProperties: { position: true, vertex: true, rotation: true, color: true, uvs: false },
    });
    container.blendMode = 'add';
    const particles: Particle[] = [];
    for (let i = 0; i < n; i++) {
      const p = new Particle({ texture, x: random() * 800, y: random() * 600, anchorX: 0.5, anchorY: 0.5 });
      particles.push(p);
    }
    container.particleChildren = particles;
    container.update();
    app.stage.addChild(container);
    step = (t) => {
      for (let i = 0; i < n; i++) {
        const p = particles[i];
        p.x = (p.x + vx[i] * 0.016 + 800) % 800;
        p.y = (p.y + vy[i] * 0.016 + 600) % 600;
        p.rotation += spin[i] * 0.016;
        const k = 0.75 + 0.25 * Math.sin(t + i);
        p.scaleX = k;
        p.scaleY = k;
        // Pixi's packed 0xAABBGGRR colour, written directly: the `tint` and `alpha` setters
        // would parse a Color per particle (about 170 B of garbage each, measured).
        const rgb = 0x808080 + (i & 0x7f7f7f);
        const bgr = ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >>> 16) & 0xff);
        p.color = bgr + Math.floor((0.5 + 0.5 * Math.cos(t + i)) * 255) * 0x1000000;
      }
    };
  }

  // One frame rendered before measuring: buffers and textures created, shaders compiled.
  step(0);
  app.renderer.render(app.stage);
  let t = 0;

  window.rendererBench = {
    ready: true,
    lastFrame,
    run: (frames, timed) =>
      new Promise<BenchFrames>((resolve) => {
        // Preallocated: the figures themselves must not be garbage in the measured frames.
        const update = new Float64Array(frames);
        const submit = new Float64Array(frames);
        const bytes = new Float64Array(frames);
        let k = 0;
        const frame = () => {
          t += 0.016;
          const t0 = timed ? performance.now() : 0;
          step(t);
          const t1 = timed ? performance.now() : 0;
          uploaded[0] = 0;
          app.renderer.render(app.stage);
          const t2 = timed ? performance.now() : 0;
          update[k] = t1 - t0;
          submit[k] = t2 - t1;
          bytes[k] = uploaded[0];
          k++;
          if (k < frames) requestAnimationFrame(frame);
          else
            resolve({
              frames,
              updateMs: Array.from(update),
              submitMs: Array.from(submit),
              uploadBytes: Array.from(bytes),
            });
        };
        requestAnimationFrame(frame);
      }),
  };
}

start().catch((error: unknown) => console.error('renderer bench failed:', error));
