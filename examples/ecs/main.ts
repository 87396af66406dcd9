/**
 * The ECS example's entry point (Vite, `examples/ecs/index.html`): turrets spraying bullets on a
 * bitECS world, bullets recycled through a steadyheap `EntityPool` with pool-backed components,
 * rendered with one PixiJS v8 `ParticleContainer` holding one `Particle` per pool slot (created
 * once; a free slot's particle is hidden), so a frame allocates nothing in our code.
 *
 * Page contract for the e2e test: `window.steadyheapEcs = { ready, frame, entities }` (`ready`
 * true after the first rendered frame; `frame` frames stepped; `entities` live bullets).
 *
 * @module
 */
import { Application, Graphics, Particle, ParticleContainer, Texture } from 'pixi.js';
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

  // One particle per pool slot, for good.
  const container = new ParticleContainer({
    texture: Texture.WHITE,
    dynamicProperties: { position: true, vertex: false, color: true, rotation: false, uvs: false },
  });
  const particles: Particle[] = [];
  for (let s = 0; s < MAX_BULLETS; s++) {
    const p = new Particle({
      texture: Texture.WHITE,
      scaleX: BULLET_PX / Texture.WHITE.width,
      scaleY: BULLET_PX / Texture.WHITE.height,
      alpha: 0,
    });
    particles.push(p);
    container.addParticle(p);
  }
  app.stage.addChild(container);

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
  const tick = (): void => {
    scene.step();
    // Live slots are dense[0..size), free ones dense[size..capacity) (StructPool layout).
    const dense = bullets.dense;
    const eidOfSlot = bullets.entityOfSlot;
    for (let i = 0; i < bullets.size; i++) {
      const slot = dense[i];
      const eid = eidOfSlot[slot];
      const at = Position.indexOf(eid); // entity layout: Position and Life share the index
      const p = particles[slot];
      p.x = px[at];
      p.y = py[at];
      const life = frames[at] / MAX_LIFE_FRAMES;
      p.alpha = life > 0.5 ? 1 : life * 2;
      p.tint = 0xffc040;
    }
    for (let i = bullets.size; i < MAX_BULLETS; i++) particles[dense[i]].alpha = 0;
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
