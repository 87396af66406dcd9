/**
 * The `steadyheap/pixi` example: a `StructPool` of particles drawn by `PoolParticles`, with
 * position, scale, rotation, tint, alpha and an atlas frame each read from a column. The frame
 * loop writes the columns and frees dead particles; no per-particle object exists anywhere.
 * `?direct=1` draws through `CachedStageRenderer` (frames that allocate nothing at all) instead
 * of Pixi's ordinary render.
 *
 * Run: `npm start`, then open `/examples/pool-particles/`.
 *
 * @module
 */
import { Application, Rectangle, Text, Texture } from 'pixi.js';
import { StructPool } from 'steadyheap';
import { CachedStageRenderer, PoolParticles } from 'steadyheap/pixi';

declare global {
  interface Window {
    /** Read by the browser test: ready after the first frame; live particles; frames drawn. */
    poolParticlesExample?: { ready: boolean; live: number; frame: number };
  }
}

/** Tints, `0xRRGGBB`, one per atlas frame. */
const COLORS = new Uint32Array([0xff6b6b, 0xffd166, 0x06d6a0, 0x4cc9f0]);

/** A 64 x 16 atlas of four 16 px frames: disc, ring, square, diamond (white, tinted per particle). */
function createAtlas(): Texture[] {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 16;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = '#fff';
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(8, 8, 7, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath();
  ctx.arc(24, 8, 6, 0, Math.PI * 2);
  ctx.stroke();
  ctx.fillRect(34, 2, 12, 12);
  ctx.beginPath();
  ctx.moveTo(56, 1);
  ctx.lineTo(63, 8);
  ctx.lineTo(56, 15);
  ctx.lineTo(49, 8);
  ctx.fill();
  const atlas = Texture.from(canvas);
  return [0, 1, 2, 3].map((i) => new Texture({ source: atlas.source, frame: new Rectangle(i * 16, 0, 16, 16) }));
}

async function start(): Promise<void> {
  const app = new Application();
  await app.init({ background: 0x0b0e14, resizeTo: window, preference: 'webgl', autoStart: false });
  document.body.prepend(app.canvas);

  // The particles: one typed-array column per field, a fixed capacity.
  const pool = new StructPool(
    {
      x: 'f32',
      y: 'f32',
      vx: 'f32',
      vy: 'f32',
      angle: 'f32',
      spin: 'f32',
      size: 'f32',
      color: 'u32',
      alpha: 'f32',
      life: 'f32',
      frame: 'u8',
    },
    { capacity: 4000 },
  );
  const frames = createAtlas();
  const particles = new PoolParticles({
    pool,
    texture: frames[0],
    frames,
    attributes: { x: 'x', y: 'y', scale: 'size', rotation: 'angle', tint: 'color', alpha: 'alpha', frame: 'frame' },
    blendMode: 'add',
  });
  const label = new Text({ text: 'PoolParticles', style: { fill: 0x7cc4ff, fontSize: 14 }, x: 8, y: 36 });
  app.stage.addChild(label, particles);

  const direct = new URLSearchParams(window.location.search).get('direct') === '1';
  const cached = direct
    ? new CachedStageRenderer({ renderer: app.renderer, stage: app.stage, layers: [particles] })
    : null;
  const f = pool.fields;
  const state = { ready: false, live: 0, frame: 0 };
  window.poolParticlesExample = state;
  let seed = 7;
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };

  const frame = (): void => {
    const w = app.screen.width;
    const h = app.screen.height;
    // Spawn a few particles at the centre.
    for (let k = 0; k < 12; k++) {
      const handle = pool.tryAlloc();
      if (handle < 0) break;
      const s = pool.slotOf(handle);
      const a = random() * Math.PI * 2;
      const speed = 40 + random() * 160;
      f.x[s] = w / 2;
      f.y[s] = h / 2;
      f.vx[s] = Math.cos(a) * speed;
      f.vy[s] = Math.sin(a) * speed;
      f.angle[s] = a;
      f.spin[s] = random() * 4 - 2;
      f.size[s] = 0.5 + random();
      f.color[s] = COLORS[k & 3];
      f.frame[s] = k & 3;
      f.life[s] = 1.5 + random() * 2;
    }
    // Move, spin, fade; free the dead (backward: free swap-removes).
    const dt = 1 / 60;
    for (let i = pool.size - 1; i >= 0; i--) {
      const s = pool.dense[i];
      f.life[s] -= dt;
      if (f.life[s] <= 0) {
        pool.free(pool.handleOf(s));
        continue;
      }
      f.x[s] += f.vx[s] * dt;
      f.y[s] += f.vy[s] * dt;
      f.angle[s] += f.spin[s] * dt;
      f.alpha[s] = Math.min(1, f.life[s]);
    }
    if (cached) cached.render();
    else app.renderer.render(app.stage);
    state.live = pool.size;
    state.frame++;
    state.ready = true;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

start().catch((error: unknown) => console.error('pool-particles example failed:', error));
