/**
 * PixiJS v8 glue of the particle demo's `pooled` and `naive` modes: copies simulation state into
 * the `Particle`s of one `ParticleContainer`. Browser only (imports pixi.js). The third mode,
 * `zero-object`, draws without `Particle`s (`zero-object-view.ts`).
 *
 * One container serves both modes, with the same dynamic properties (position, vertex for the
 * scale, color for the fade), so the two modes differ only in how particles are held:
 *
 * - {@link PooledParticleView}: `capacity` Pixi `Particle`s created once; each frame the `i`-th
 *   live slot of the pool is written into the `i`-th particle and the draw count is set to the
 *   live count, so only live particles are uploaded and drawn. Nothing is added to or removed
 *   from the container per frame (`removeParticle` is an O(n) `indexOf` + `splice` per call),
 *   and `sync` allocates nothing.
 * - {@link NaiveParticleView}: a new `Particle` for each new particle, and a new
 *   `particleChildren` array (`particles.map(...)`) every frame, as typical game code does.
 *
 * Pixi sizes a container's vertex buffers at its first render, from the length of
 * `particleChildren` (`ParticleBuffer`), and regrows them when a later frame has more. So render
 * the container once with the pooled view active, before the first frame of either mode: the
 * buffers are then sized to the capacity once and never reallocated (the naive mode never holds
 * more than the capacity either).
 *
 * @module
 */
import { Particle, ParticleContainer, Texture } from 'pixi.js';
import type { NaiveParticle, NaiveSimulation } from './naive-simulation.ts';
import type { PooledSimulation } from './pooled-simulation.ts';

/** Side of the particle texture, pixels. */
export const DOT_TEXTURE_PX = 8;

/** Colour alpha (top byte of Pixi's `0xAABBGGRR` particle colour) as a multiplier. */
const ALPHA_UNIT = 0x1000000;

/**
 * Fraction of its life left below which a particle fades: above it, full brightness and size;
 * below it, brightness falls linearly to 0. Shared with the zero-object vertex shader.
 */
export const FADE_START_FRACTION = 0.5;
/** Size factor of a fully faded particle (1 at full brightness). Shared with the vertex shader. */
export const FADED_SIZE_FACTOR = 0.4;

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

/** Pixi particle colour `0xAABBGGRR` from a `0xBBGGRR` tint and an alpha in `[0, 1]`. */
function particleColor(tint: number, alpha: number): number {
  // Multiply, not `<< 24`: the result stays a positive number below 2^32.
  return tint + Math.floor(alpha * 255) * ALPHA_UNIT;
}

/** Brightness in `[0, 1]` from the fraction of life left: 1, then fading at the end. */
function fadeOf(lifeMs: number, maxLifeMs: number): number {
  const f = lifeMs / maxLifeMs;
  return f > FADE_START_FRACTION ? 1 : f / FADE_START_FRACTION;
}

/** Size factor from the brightness: 1 at full brightness, shrinking to `FADED_SIZE_FACTOR`. */
function sizeFactorOf(fade: number): number {
  return FADED_SIZE_FACTOR + (1 - FADED_SIZE_FACTOR) * fade;
}

/** What the demo loop asks of a view. */
export interface ParticleView {
  /** Makes this view's particles the ones drawn (on a mode switch, after the old view's `deactivate`). O(1). */
  activate(): void;
  /** Stops drawing this view's particles (on a mode switch, before the new view's `activate`). O(1). */
  deactivate(): void;
  /** Copies the simulation's state after a step into the container's particles. */
  sync(): void;
}

/**
 * The list a `ParticleContainer` draws: Pixi reads only `particleChildren.length` (it uploads and
 * draws that many quads) and `particleChildren[i]`. A plain array's `length` cannot be lowered
 * and raised again without V8 trimming and later reallocating its backing store, so the pooled
 * view hands Pixi this array-like instead: `capacity` particles stored once at indices
 * `[0, capacity)` and a `length` field set to the live count every frame (a small-integer write).
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

/** The pooled mode's view: `capacity` preallocated Pixi particles. See the module docs. */
export class PooledParticleView implements ParticleView {
  /** The particles, created once; `sprites[i]` draws the `i`-th live slot of `pool.dense`. */
  readonly sprites: readonly Particle[];
  private readonly drawList: DrawList;

  /** Creates `sim.capacity` particles (the only Pixi objects this view ever makes). O(capacity). */
  constructor(
    private readonly sim: PooledSimulation,
    private readonly container: ParticleContainer,
    texture: Texture,
  ) {
    const sprites: Particle[] = [];
    const drawList: DrawList = { length: 0 };
    for (let i = 0; i < sim.capacity; i++) {
      const p = new Particle({ texture, anchorX: 0.5, anchorY: 0.5, scaleX: 0, scaleY: 0, alpha: 0 });
      settleFieldRepresentations(p);
      sprites.push(p);
      drawList[i] = p;
    }
    drawList.length = sim.capacity;
    this.sprites = sprites;
    this.drawList = drawList;
  }

  /**
   * Makes the draw list the container's children. Call it once before the first render of any
   * mode: that render sees `capacity` children and sizes Pixi's buffers for all of them.
   * The static attributes (UVs, rotation) are the same for every particle here (one texture, no
   * rotation), so the static buffer written for `capacity` particles then stays right whatever
   * count later frames draw.
   */
  activate(): void {
    this.container.particleChildren = this.drawList as unknown as Particle[];
    this.container.update();
    this.container.visible = true;
  }

  /** Hides the container (the zero-object view draws instead, or the naive view takes it over). */
  deactivate(): void {
    this.container.visible = false;
  }

  /**
   * Writes position, scale and colour of the `i`-th live slot into `sprites[i]` for every live
   * slot, and sets the draw count to the live count: only live particles are uploaded and drawn.
   * O(live), allocation-free.
   */
  sync(): void {
    const pool = this.sim.pool;
    const f = pool.fields;
    const x = f.x;
    const y = f.y;
    const lifeMs = f.lifeMs;
    const maxLifeMs = f.maxLifeMs;
    const tint = f.tint;
    const scale = f.scale;
    const dense = pool.dense;
    const sprites = this.sprites;
    const n = pool.size;
    for (let i = 0; i < n; i++) {
      const s = dense[i];
      const p = sprites[i];
      const fade = fadeOf(lifeMs[s], maxLifeMs[s]);
      const k = scale[s] * sizeFactorOf(fade);
      p.x = x[s];
      p.y = y[s];
      p.scaleX = k;
      p.scaleY = k;
      p.color = particleColor(tint[s], fade);
    }
    this.drawList.length = n;
  }
}

/** The naive mode's view: a new Pixi `Particle` per spawn, a new children array per frame. */
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

  /** Creates sprites for new particles, updates all, rebuilds `particleChildren`. O(live); allocates. */
  sync(): void {
    const particles = this.sim.particles;
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
      sprite.color = particleColor(p.tint, fade);
    }
    const container = this.container;
    container.particleChildren = particles.map((p: NaiveParticle) => p.view as Particle);
    container.update();
  }
}
