/**
 * `steadyheap/pixi`: draw steadyheap pools with PixiJS v8, with no per-particle JavaScript
 * object and no per-frame garbage. `PoolParticles` draws every live slot of a `StructPool` as a
 * textured quad read straight from the pool's columns; `CachedStageRenderer` renders a stage so
 * that frames in which only those pools changed allocate nothing at all. pixi.js is an optional peer dependency:
 * only this entry point imports it.
 *
 * @module steadyheap/pixi
 */
export {
  PoolParticles,
  type PoolParticlesOptions,
  type PoolParticlesFrameStats,
} from './pool-particles.js';
export type { PoolParticlesUpload } from './packed-instances.js';
export {
  CachedStageRenderer,
  type CachedStageRendererOptions,
  type CachedStageRendererStats,
} from './cached-stage-renderer.js';
export {
  PARTICLE_ATTRIBUTES,
  resolveParticleAttributes,
  type ParticleAttribute,
  type ParticleAttributes,
  type ResolvedAttributes,
  type AttributeBinding,
  type ColumnSource,
  type ColumnTextureFormat,
} from './particle-attributes.js';
