/**
 * PixiJS v8 glue of the particle demo's `naive` and `pooled` modes: simulation state copied into
 * the `Particle`s of one `ParticleContainer`, sparks and trail dots alike. Browser only (imports
 * pixi.js). The `instanced` and `zero-garbage` modes draw without `Particle`s (`instanced-view.ts`).
 *
 * One container serves both modes, with the same dynamic properties (position, vertex for the
 * scale, color for the fade), so the two differ only in how particles are held:
 *
 * - {@link PooledParticleView}: Pixi `Particle`s created once, one per pool slot and one per
 *   trail dot slot; each frame the `i`-th live spark is written into the `i`-th particle, the
 *   dots after them, and the draw count is set to the sum, so only live ones are uploaded and
 *   drawn. Nothing is added to or removed from the container per frame (`removeParticle` is an
 *   O(n) `indexOf` + `splice` per call), and `sync` allocates nothing.
 * - {@link NaiveParticleView}: a new `Particle` for each new particle and for each new trail
 *   point, and a new `particleChildren` array every frame, as typical game code does.
 *
 * Pixi sizes a container's vertex buffers at its first render, from the length of
 * `particleChildren` (`ParticleBuffer`), and regrows them when a later frame has more. So render
 * the container once with the pooled view active, before the first frame of either mode: the
 * buffers are then sized once for the most it will ever draw.
 *
 * @module
 */
import { Particle, ParticleContainer, Texture } from 'pixi.js';
import type { NaiveParticle, NaiveSimulation } from './naive-simulation.ts';
import { fadeOf, sizeFactorOf } from './physics.ts';
import type { PooledSimulation } from './pooled-simulation.ts';
import { dotAlpha, dotScale } from './trail-dots.ts';

/** Side of the particle texture, pixels. */
export const DOT_TEXTURE_PX = 8;

/** Colour alpha (top byte of Pixi's `0xAABBGGRR` particle colour) as a multiplier. */
const ALPHA_UNIT = 0x1000000;

/**
 * A soft round dot (radial gradient, white) drawn once on a 2D canvas, for tinting.
 * Allocates the canvas and the texture; call once.
 */
export function createDotTexture(): Texture {
  const canvas = document.createElement('canvas');
  canvas.width = DOT_TEXTURE_PX;
  canvas.height = DOT_TEXTURE_PX;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas unavailable: cannot draw the particle texture');
  const r = DOT_TEXTURE_PX / 2;
  const gradient = ctx.createRadialGradient(r, r, 0, r, r, r);
  gradient.addColorStop(0, 'rgba(255,255,255,1)');
  gradient.addColorStop(0.35, 'rgba(255,255,255,0.85)');
  gradient.addColorStop(1, 'rgba(255,255,255,0)');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, DOT_TEXTURE_PX, DOT_TEXTURE_PX);
  return Texture.from(canvas);
}

/**
 * The demo's container: additive blending, position / vertex (scale) / color uploaded every
 * frame, rotation and UVs static. Starts empty; a view's `activate` fills it.
 */
export function createParticleContainer(texture: Texture): ParticleContainer {
  const container = new ParticleContainer({
    texture,
    dynamicProperties: { position: true, vertex: true, color: true, rotation: false, uvs: false },
  });
  container.blendMode = 'add';
  return container;
}

/**
 * Pixi particle colour `0xAABBGGRR` from a `0xRRGGBB` tint and an alpha in `[0, 1]`. O(1); a
 * multiply, not `<< 24`, so the result stays a positive number below 2^32.
 */
export function particleColor(rgb: number, alpha: number): number {
  const bgr = ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >>> 16) & 0xff);
  return bgr + Math.floor(alpha * 255) * ALPHA_UNIT;
}

/** What the demo loop asks of a view. */
export interface ParticleView {
  /** Makes this view's particles the ones drawn (on a mode switch, after the old view's `deactivate`). O(1). */
  activate(): void;
  /** Stops drawing this view's particles (on a mode switch, before the new view's `activate`). O(1). */
  deactivate(): void;
  /** Copies the simulation's state after a step into what Pixi draws. */
  sync(): void;
}

/**
 * The list a `ParticleContainer` draws: Pixi reads only `particleChildren.length` (it uploads and
 * draws that many quads) and `particleChildren[i]`. A plain array's `length` cannot be lowered
 * and raised again without V8 trimming and later reallocating its backing store, so the pooled
 * view hands Pixi this array-like instead: its particles stored once at fixed indices and a
 * `length` field set to the live count every frame (a small-integer write).
 */
interface DrawList {
  length: number;
  [index: number]: Particle;
}

/**
 * Gives the fields `sync` writes every frame (`x`, `y`, `scaleX`, `scaleY`, `color`) the
 * representation they end up with, a double, while the particle is being created, and leaves
 * their values as they were. A new `Particle` holds small integers there (0, 0, 0, 0 and
 * `0xFFFFFF`); the first fractional position or colour above 2^30 that `sync` writes would change
 * the field representation from small integer to double, deprecating the shared hidden class, and
 * V8 would then migrate each particle, allocating a new object layout and a heap-number box per
 * field, the first time `sync` touches it, which for the particles behind the highest live count
 * reached so far happens at any time, long after warm-up (allocation sampling found it, 1-4 B per
 * frame on average in `sync`). O(1); allocates the boxes now, once per particle.
 */
function settleFieldRepresentations(p: Particle): void {
  const { x, y, scaleX, scaleY, color } = p;
  p.x = 0.5;
  p.y = 0.5;
  p.scaleX = 0.5;
  p.scaleY = 0.5;
  p.color = 0xffff_ffff; // above 2^31: not a small integer
  p.x = x;
  p.y = y;
  p.scaleX = scaleX;
  p.scaleY = scaleY;
  p.color = color;
}

/** The pooled mode's view: preallocated Pixi particles for sparks and trail dots. See the module docs. */
export class PooledParticleView implements ParticleView {
  /** The particles, created once: sparks at `[0, live)`, then the dots of the frame. */
  readonly sprites: readonly Particle[];
  private readonly drawList: DrawList;

  /**
   * Creates one particle per pool slot and per dot slot (the only Pixi objects this view ever
   * makes). O(capacity + dot capacity).
   */
  constructor(
    private readonly sim: PooledSimulation,
    private readonly container: ParticleContainer,
    texture: Texture,
  ) {
    const sprites: Particle[] = [];
    const drawList: DrawList = { length: 0 };
    const total = sim.capacity + sim.dots.capacity;
    for (let i = 0; i < total; i++) {
      const p = new Particle({ texture, anchorX: 0.5, anchorY: 0.5, scaleX: 0, scaleY: 0, alpha: 0 });
      settleFieldRepresentations(p);
      sprites.push(p);
      drawList[i] = p;
    }
    drawList.length = total;
    this.sprites = sprites;
    this.drawList = drawList;
  }

  /**
   * Makes the draw list the container's children. Call it once before the first render of any
   * mode: that render sees every particle and sizes Pixi's buffers for all of them. The static
   * attributes (UVs, rotation) are the same for every particle here (one texture, no rotation),
   * so the static buffer written then stays right whatever count later frames draw.
   */
  activate(): void {
    this.container.particleChildren = this.drawList as unknown as Particle[];
    this.container.update();
    this.container.visible = true;
  }

  /** Hides the container. */
  deactivate(): void {
    this.container.visible = false;
  }

  /**
   * Writes position, drawn scale and colour of each live spark, then of each trail dot, into
   * the particles in order, and sets the draw count: only those are uploaded and drawn.
   * O(live + dots), allocation-free.
   */
  sync(): void {
    const sprites = this.sprites;
    const pool = this.sim.pool;
    const f = pool.fields;
    const dense = pool.dense;
    const n = pool.size;
    for (let i = 0; i < n; i++) {
      const s = dense[i];
      const p = sprites[i];
      p.x = f.x[s];
      p.y = f.y[s];
      p.scaleX = f.size[s];
      p.scaleY = f.size[s];
      p.color = particleColor(f.tint[s], f.alpha[s]);
    }
    const dots = this.sim.dots;
    const d = dots.fields;
    const dotDense = dots.dense;
    const m = dots.size;
    for (let i = 0; i < m; i++) {
      const s = dotDense[i];
      const p = sprites[n + i];
      p.x = d.x[s];
      p.y = d.y[s];
      p.scaleX = d.size[s];
      p.scaleY = d.size[s];
      p.color = particleColor(d.tint[s], d.alpha[s]);
    }
    this.drawList.length = n + m;
  }
}

/**
 * The naive mode's view: a new Pixi `Particle` per spawn and per new trail point, a new children
 * array per frame.
 */
export class NaiveParticleView implements ParticleView {
  constructor(
    private readonly sim: NaiveSimulation,
    private readonly container: ParticleContainer,
    private readonly texture: Texture,
  ) {}

  activate(): void {
    const container = this.container;
    container.particleChildren = [];
    container.update();
    container.visible = true;
  }

  /** Hides the container. */
  deactivate(): void {
    this.container.visible = false;
  }

  /** Creates sprites for new particles and trail points, updates all, rebuilds `particleChildren`. O(live + dots); allocates. */
  sync(): void {
    const particles = this.sim.particles;
    const dots: Particle[] = [];
    for (const p of particles) {
      let sprite = p.view as Particle | null;
      if (sprite === null) {
        sprite = new Particle({ texture: this.texture, anchorX: 0.5, anchorY: 0.5 });
        p.view = sprite;
      }
      const fade = fadeOf(p.lifeMs, p.maxLifeMs);
      const k = p.scale * sizeFactorOf(fade);
      sprite.x = p.x;
      sprite.y = p.y;
      sprite.scaleX = k;
      sprite.scaleY = k;
      const alpha = Math.floor(fade * 255) / 255;
      sprite.color = particleColor(p.tint, alpha);
      if (p.trail) {
        if (p.dotViews === null) p.dotViews = [];
        const views = p.dotViews as Particle[];
        while (views.length < p.trailLength)
          views.push(new Particle({ texture: this.texture, anchorX: 0.5, anchorY: 0.5 }));
        for (let i = 0; i < p.trailLength; i++) {
          const dot = views[i];
          const at = ((p.trailHead + i) % p.trailFull) * 2;
          dot.x = p.trail[at];
          dot.y = p.trail[at + 1];
          const scale = dotScale(i, p.trailLength);
          dot.scaleX = scale;
          dot.scaleY = scale;
          dot.color = particleColor(p.tint, dotAlpha(i, p.trailLength, alpha));
          dots.push(dot);
        }
      }
    }
    const container = this.container;
    container.particleChildren = particles.map((p: NaiveParticle) => p.view as Particle).concat(dots);
    container.update();
  }
}
