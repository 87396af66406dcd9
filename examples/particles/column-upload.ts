/**
 * The zero-object mode's data path, without PixiJS (runs in Node, so the GC test can drive it):
 * which columns of the pooled simulation's `StructPool` become which vertex attributes, and the
 * per-frame upload that hands those columns, as they are, to the GPU.
 *
 * There is no copy and no gather. Each GPU buffer wraps one column typed array of the pool itself
 * (`pool.fields.x`, `pool.fields.tint`, ...): vertex `i` of the draw is slot `i` of the pool, drawn
 * as one point sprite, and one draw covers all `capacity` slots. A free slot is hidden by the
 * vertex shader because its `lifeMs` is 0 (an invariant of `PooledSimulation`), so the renderer
 * never reads `pool.dense`. Per frame the only work is {@link ColumnUpload.upload}: one
 * `setDataWithSize(column, length, false)` call per column (Pixi's `Buffer` API: same data, bump
 * its update id, no event), which makes PixiJS re-upload that column with one `bufferSubData`
 * when it binds the geometry for the draw. (`Buffer.update()` would do the same but also emit an
 * `update` event through two emitters per column: measured 470 B/frame of Pixi garbage for six
 * columns, more than the pooled mode's whole Pixi share.) O(columns) JS calls, whatever the particle count; the
 * bytes sent are `capacity * ZERO_OBJECT_BYTES_PER_SLOT` (144 KB at 6,000 slots), against 80 bytes
 * per live particle through PixiJS's `ParticleContainer` (4 vertices x position, scale corner
 * and colour).
 *
 * This relies on the pool never growing (`PooledSimulation` creates it with
 * `maxCapacity = capacity`): its columns are then plain, fixed views that WebGL accepts as upload
 * sources and that stay the same objects for the pool's whole life.
 *
 * @module
 */
import type { PooledSimulation, PARTICLE_SCHEMA } from './pooled-simulation.ts';

/** Vertex formats of the column attributes (PixiJS / WebGPU vertex format names). */
export type ColumnFormat = 'float32' | 'unorm8x4';

/** One vertex attribute fed straight from one pool column. */
export interface ColumnAttribute {
  /** Name of the attribute in the vertex shader (`zero-object-view.ts`). */
  readonly attribute: string;
  /** The pool column it reads (a scalar field of `PARTICLE_SCHEMA`). */
  readonly field: Exclude<keyof typeof PARTICLE_SCHEMA, 'vel'>;
  /** How the GPU reads each 4-byte element. */
  readonly format: ColumnFormat;
}

/**
 * The columns the vertex shader reads, one attribute each: position (px), remaining and initial
 * life (ms, for the fade), sprite scale, and tint. The tint column holds `0xBBGGRR` in a `u32`,
 * whose bytes in memory are R, G, B, 0 on a little-endian machine (every browser platform), so
 * `unorm8x4` reads it as `vec4(r, g, b, 0)` in `[0, 1]`.
 */
export const COLUMN_ATTRIBUTES: readonly ColumnAttribute[] = [
  { attribute: 'aX', field: 'x', format: 'float32' },
  { attribute: 'aY', field: 'y', format: 'float32' },
  { attribute: 'aLifeMs', field: 'lifeMs', format: 'float32' },
  { attribute: 'aMaxLifeMs', field: 'maxLifeMs', format: 'float32' },
  { attribute: 'aScale', field: 'scale', format: 'float32' },
  { attribute: 'aTint', field: 'tint', format: 'unorm8x4' },
];

/** Bytes uploaded per pool slot per frame: one 4-byte element of each column. */
export const ZERO_OBJECT_BYTES_PER_SLOT = COLUMN_ATTRIBUTES.length * 4;

/** A pool column as the upload sees it. */
export type PoolColumn = Float32Array | Uint32Array;

/**
 * A GPU buffer that can be told to re-upload the first `size` elements of `value` (its own data)
 * at the next draw, without notifying anyone (`syncGPU` false). PixiJS's `Buffer` is one.
 */
export interface UploadTarget {
  setDataWithSize(value: PoolColumn, size: number, syncGPU: boolean): void;
}

/** Creates the GPU buffer wrapping `column` (its data is `column` itself, not a copy). */
export type UploadTargetFactory = (column: PoolColumn, attribute: ColumnAttribute) => UploadTarget;

/**
 * The per-frame upload of the zero-object mode: the simulation's columns, each wrapped once by a
 * GPU buffer, marked for re-upload every frame. Build once per simulation; allocation-free after
 * construction (`test/examples/particles/gc.test.ts` counts GCs over 600 frames of step +
 * upload).
 */
export class ColumnUpload {
  /** Points per draw: the pool's capacity (free slots are drawn as nothing). */
  readonly pointCount: number;
  /** The pool columns, in {@link COLUMN_ATTRIBUTES} order (the pool's own typed arrays). */
  readonly columns: readonly PoolColumn[];
  /** The GPU buffers, in {@link COLUMN_ATTRIBUTES} order. */
  readonly targets: readonly UploadTarget[];
  /** Elements of each column (its `length`: the pool's capacity), as small integers. */
  private readonly lengths: Int32Array;

  /**
   * Wraps each column of `sim.pool` named in {@link COLUMN_ATTRIBUTES} with the buffer
   * `createTarget` returns. O(columns); allocates the arrays of this object.
   *
   * @param sim - the pooled simulation whose columns are drawn; its pool never grows.
   * @param createTarget - called once per column attribute, in order.
   */
  constructor(sim: PooledSimulation, createTarget: UploadTargetFactory) {
    const fields = sim.pool.fields;
    const columns: PoolColumn[] = [];
    const targets: UploadTarget[] = [];
    this.lengths = new Int32Array(COLUMN_ATTRIBUTES.length);
    COLUMN_ATTRIBUTES.forEach((a, i) => {
      const column = fields[a.field];
      columns.push(column);
      targets.push(createTarget(column, a));
      this.lengths[i] = column.length;
    });
    this.pointCount = sim.capacity;
    this.columns = columns;
    this.targets = targets;
  }

  /**
   * Marks every column for re-upload in full (`capacity` elements of 4 bytes each) at the next
   * draw. Call after each simulation step. O(columns), allocation-free in this code.
   */
  upload(): void {
    const targets = this.targets;
    const columns = this.columns;
    const lengths = this.lengths;
    for (let i = 0; i < targets.length; i++) targets[i].setDataWithSize(columns[i], lengths[i], false);
  }
}
