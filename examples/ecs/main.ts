/**
 * The ECS example's entry point (Vite, `examples/ecs/index.html`): turrets spraying bullets on a
 * bitECS world, bullets recycled through a steadyheap `EntityPool` with pool-backed components,
 * rendered with `PoolParticles` from `steadyheap/pixi`: each frame a render system copies the
 * live bullets' positions and fades into a small `StructPool` of sprites (the extract step of an
 * ECS renderer), which `PoolParticles` draws straight from its columns. No per-bullet JavaScript
 * object exists, and a frame allocates nothing in our code.
 *
 * Page contract for the e2e test: `window.steadyheapEcs = { ready, frame, entities }` (`ready`
 * true after the first rendered frame; `frame` frames stepped; `entities` live bullets).
 *
 * @module
 */
import { Application, Graphics, Texture } from 'pixi.js';
import { StructPool } from 'steadyheap';
import { PoolParticles } from 'steadyheap/pixi';
import { MAX_BULLETS, MAX_LIFE_FRAMES, createEcsScene } from './scene.ts';
import './page-contract.ts';

const BACKGROUND = 0x0b0f14;
/** Bullet side, pixels. */
const BULLET_PX = 4;

async function start(): Promise<void> {
  const state = { ready: false, frame: 0, entities: 0 };
  window.steadyheapEcs = state;
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
  const scene = createEcsScene(widthPx, heightPx);
  const { Turret, Position, Life, bullets } = scene;

  // Turrets: drawn once.
  const turrets = new Graphics();
  for (let i = 0; i < Turret.count; i++) {
    const at = Turret.indices[i];
    turrets.circle(Turret.fields.x[at], Turret.fields.y[at], 10).fill(0x7cc4ff);
  }
  app.stage.addChild(turrets);

  // The sprites: one slot per live bullet, refilled every frame by the render system below.
  const sprites = new StructPool({ x: 'f32', y: 'f32', alpha: 'f32' }, { capacity: MAX_BULLETS, zeroOnAlloc: false });
  const bulletSprites = new PoolParticles({
    pool: sprites,
    texture: Texture.WHITE,
    attributes: { x: 'x', y: 'y', alpha: 'alpha', scale: BULLET_PX / Texture.WHITE.width, tint: 0xffc040 },
  });
  app.stage.addChild(bulletSprites);

  /** Test hook: render, copy the WebGL canvas into a 2D canvas in the same task, count lit pixels. */
  window.steadyheapEcs.countLitPixels = () => {
    app.render();
    const copy = document.createElement('canvas');
    copy.width = app.canvas.width;
    copy.height = app.canvas.height;
    const ctx = copy.getContext('2d');
    if (!ctx) return -1;
    ctx.drawImage(app.canvas, 0, 0);
    const data = ctx.getImageData(0, 0, copy.width, copy.height).data;
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - 0x0b) + Math.abs(data[i + 1] - 0x0f) + Math.abs(data[i + 2] - 0x14) > 24) lit++;
    }
    return lit;
  };

  const hud = document.getElementById('hud');
  const px = Position.fields.x;
  const py = Position.fields.y;
  const frames = Life.fields.frames;
  const sx = sprites.fields.x;
  const sy = sprites.fields.y;
  const sa = sprites.fields.alpha;
  const tick = (): void => {
    scene.step();
    // Render system: the live bullets (dense[0..size) of the entity pool) into the sprite pool.
    sprites.clear();
    const dense = bullets.dense;
    const eidOfSlot = bullets.entityOfSlot;
    for (let i = 0; i < bullets.size; i++) {
      const eid = eidOfSlot[dense[i]];
      const at = Position.indexOf(eid); // entity layout: Position and Life share the index
      const s = sprites.slotOf(sprites.alloc());
      sx[s] = px[at];
      sy[s] = py[at];
      const life = frames[at] / MAX_LIFE_FRAMES;
      sa[s] = life > 0.5 ? 1 : life * 2;
    }
    app.render();
    state.frame = scene.frame;
    state.entities = bullets.size;
    state.ready = true;
    if (hud && scene.frame % 30 === 0) {
      hud.textContent = `steadyheap + bitECS: ${bullets.size} bullets (pool of ${MAX_BULLETS}, ${bullets.createdCount} entities ever created)\nframe ${scene.frame}`;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

start().catch((error: unknown) => {
  console.error(error);
  const hud = document.getElementById('hud');
  if (hud) hud.textContent = `failed: ${String(error)}`;
});
