/**
 * PixiJS v8 glue of the particle demo's `instanced` and `zero-garbage` modes: the pooled
 * simulation drawn by two `PoolParticles` (steadyheap/pixi) straight from its pools' columns,
 * the trail dots under the sparks, with no per-particle JavaScript object. Each layer uploads
 * its pool's live instances: the span of live slots straight from the columns while it is
 * dense, else the live values gathered into a packed copy (FIFO slot reuse spreads the live
 * slots; see `PoolParticles`). Browser only.
 *
 * `instanced` lets Pixi's ordinary `renderer.render(stage)` draw the stage, these layers with it;
 * `zero-garbage` hands the same stage and layers to a `CachedStageRenderer`, which re-renders
 * the stage with Pixi only when it changed and otherwise draws the layers directly.
 *
 * @module
 */
import type { Container, Texture } from 'pixi.js';
import type { Schema, StructPool } from 'steadyheap';
import { PoolParticles } from 'steadyheap/pixi';
import type { ParticleView } from './pixi-view.ts';
import type { PooledSimulation } from './pooled-simulation.ts';

/** The two layers of the pooled simulation, as `PoolParticles`. See the module docs. */
export class InstancedParticleView implements ParticleView {
  /** The trail dots (`sim.dots`), drawn first. */
  readonly dots: PoolParticles;
  /** The sparks (`sim.pool`): position, drawn size, tint and alpha from its columns. */
  readonly sparks: PoolParticles;

  /** Creates both layers (hidden) and adds them to `parent`. */
  constructor(sim: PooledSimulation, texture: Texture, parent: Container) {
    // Both pools name their fields alike: x, y, size (the drawn scale), tint, alpha.
    const layer = (pool: StructPool<Schema>, label: string) =>
      new PoolParticles({
        pool,
        texture,
        attributes: { x: 'x', y: 'y', scale: 'size', tint: 'tint', alpha: 'alpha' },
        blendMode: 'add',
        label,
        visible: false,
      });
    this.dots = layer(sim.dots, 'trail dots');
    this.sparks = layer(sim.pool, 'sparks');
    parent.addChild(this.dots, this.sparks);
  }

  /** Shows both layers. */
  activate(): void {
    this.dots.visible = true;
    this.sparks.visible = true;
  }

  /** Hides both layers. */
  deactivate(): void {
    this.dots.visible = false;
    this.sparks.visible = false;
  }

  /** Nothing to copy: the next render uploads the pools' live instances itself. O(1). */
  sync(): void {}
}
