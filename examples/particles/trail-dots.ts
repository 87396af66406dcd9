/**
 * How a comet's trail is drawn: one small dot per trail point, smaller and fainter towards the
 * tail. The pooled simulation writes the dots of every trail into a `StructPool` of
 * {@link TRAIL_DOT_SCHEMA} each frame (drawn by `PoolParticles` or by reused Pixi `Particle`s);
 * the naive view computes the same dots into new Pixi `Particle`s.
 *
 * Runs in Node (no DOM, no PixiJS).
 *
 * @module
 */
import { TRAIL_MAX_POINTS } from './physics.ts';

/** Columns of one trail dot: position (px), drawn scale, alpha in `[0, 1]`, tint `0xRRGGBB`. */
export const TRAIL_DOT_SCHEMA = {
  x: 'f32',
  y: 'f32',
  size: 'f32',
  alpha: 'f32',
  tint: 'u32',
} as const;

/** Alpha of the newest dot, times the comet's own alpha. */
export const DOT_HEAD_ALPHA = 0.85;
/** Scale of the newest dot (the particle texture is `DOT_TEXTURE_PX` wide at scale 1). */
export const DOT_HEAD_SCALE = 0.8;
/** Scale of the oldest dot. */
export const DOT_TAIL_SCALE = 0.25;

/** Alpha of dot `k` (0 = oldest) of a trail of `length` points whose comet has alpha `alpha`. O(1). */
export function dotAlpha(k: number, length: number, alpha: number): number {
  return (alpha * DOT_HEAD_ALPHA * (k + 1)) / length;
}

/** Scale of dot `k` (0 = oldest) of a trail of `length` points. O(1). */
export function dotScale(k: number, length: number): number {
  return DOT_TAIL_SCALE + ((DOT_HEAD_SCALE - DOT_TAIL_SCALE) * (k + 1)) / length;
}

/**
 * Most trail dots at once for a pool of `capacity` particles with a comet every `cometEvery`
 * spawns: the live comets (a `1 / cometEvery` share of the live particles, plus slack for
 * uneven lives) times the longest trail. O(1).
 */
export function trailDotCapacity(capacity: number, cometEvery: number): number {
  if (cometEvery === 0) return 1;
  return (Math.ceil(capacity / cometEvery) * 2 + 16) * TRAIL_MAX_POINTS;
}
