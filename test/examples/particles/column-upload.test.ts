/**
 * The zero-object mode's data path in Node (no GPU): the columns it hands to the GPU are the
 * pool's own typed arrays, every frame marks each of them for a full upload, the formats match
 * the schema, and what the vertex shader draws (slots with `lifeMs > 0`) is exactly the live
 * slots, after every step of seeded random runs against a reference model.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  COLUMN_ATTRIBUTES,
  ColumnUpload,
  ZERO_OBJECT_BYTES_PER_SLOT,
  type ColumnAttribute,
  type PoolColumn,
  type UploadTarget,
} from '../../../examples/particles/column-upload.ts';
import { PARTICLE_SCHEMA, PooledSimulation } from '../../../examples/particles/pooled-simulation.ts';

/** Stands in for a Pixi `Buffer`: records the column it wraps and every `setDataWithSize` call. */
class RecordingTarget implements UploadTarget {
  readonly calls: [PoolColumn, number, boolean][] = [];
  constructor(
    readonly column: PoolColumn,
    readonly attribute: ColumnAttribute,
  ) {}
  setDataWithSize(value: PoolColumn, size: number, syncGPU: boolean): void {
    this.calls.push([value, size, syncGPU]);
  }
}

function recordingUpload(sim: PooledSimulation) {
  const targets: RecordingTarget[] = [];
  const upload = new ColumnUpload(sim, (column, attribute) => {
    const t = new RecordingTarget(column, attribute);
    targets.push(t);
    return t;
  });
  return { upload, targets };
}

/** The slots the vertex shader draws: those whose `lifeMs` column is above 0, sorted. */
function drawnSlots(sim: PooledSimulation): number[] {
  const lifeMs = sim.pool.fields.lifeMs;
  const out: number[] = [];
  for (let s = 0; s < lifeMs.length; s++) if (lifeMs[s] > 0) out.push(s);
  return out;
}

/** The live slots according to the pool (`dense[0, size)`), sorted. */
function liveSlots(sim: PooledSimulation): number[] {
  return Array.from(sim.pool.dense.subarray(0, sim.pool.size)).sort((a, b) => a - b);
}

describe('COLUMN_ATTRIBUTES', () => {
  it('names scalar 4-byte columns of the schema with a matching vertex format', () => {
    expect(COLUMN_ATTRIBUTES.map((a) => a.field)).toEqual(['x', 'y', 'lifeMs', 'maxLifeMs', 'scale', 'tint']);
    for (const a of COLUMN_ATTRIBUTES) {
      const kind = PARTICLE_SCHEMA[a.field];
      expect(a.format, a.field).toBe(kind === 'f32' ? 'float32' : 'unorm8x4');
      expect(kind === 'f32' || kind === 'u32', a.field).toBe(true);
    }
    expect(new Set(COLUMN_ATTRIBUTES.map((a) => a.attribute)).size).toBe(COLUMN_ATTRIBUTES.length);
    expect(ZERO_OBJECT_BYTES_PER_SLOT).toBe(24);
  });

  it('tint 0xBBGGRR lies in memory as the bytes R, G, B, 0 that unorm8x4 reads', () => {
    const sim = new PooledSimulation({ capacity: 4, spawnPerFrame: 0, seed: 1 });
    const tint = sim.pool.fields.tint;
    tint[2] = 0x30_20_10; // blue 0x30, green 0x20, red 0x10
    const bytes = new Uint8Array(tint.buffer, tint.byteOffset + 2 * 4, 4);
    expect(Array.from(bytes)).toEqual([0x10, 0x20, 0x30, 0]);
  });
});

describe('ColumnUpload', () => {
  it('wraps the pool columns themselves (no copy) and draws capacity points', () => {
    const sim = new PooledSimulation({ capacity: 300, spawnPerFrame: 40, seed: 3 });
    const { upload, targets } = recordingUpload(sim);
    expect(upload.pointCount).toBe(300);
    expect(targets.map((t) => t.attribute)).toEqual([...COLUMN_ATTRIBUTES]);
    COLUMN_ATTRIBUTES.forEach((a, i) => {
      expect(targets[i].column).toBe(sim.pool.fields[a.field]);
      expect(upload.columns[i]).toBe(sim.pool.fields[a.field]);
      expect(upload.targets[i]).toBe(targets[i]);
    });
  });

  it('marks every column for a full upload of its own data, without events, on each call', () => {
    const sim = new PooledSimulation({ capacity: 250, spawnPerFrame: 40, seed: 4 });
    const { upload, targets } = recordingUpload(sim);
    for (let frame = 1; frame <= 5; frame++) {
      sim.step(1000 / 60);
      upload.upload();
      for (const t of targets) {
        expect(t.calls).toHaveLength(frame);
        const [value, size, syncGPU] = t.calls[frame - 1];
        expect(value).toBe(t.column); // the same array: Pixi keeps its buffer and re-uploads
        expect([size, syncGPU]).toEqual([250, false]);
      }
    }
    // The uploaded x column is the simulation's state, read through the same array.
    const s = sim.pool.dense[0];
    expect(targets[0].column[s]).toBe(sim.pool.fields.x[s]);
    expect(targets[0].column[s]).not.toBe(0);
  });
});

describe('what the zero-object shader draws', () => {
  it('is exactly the live slots after every step and after reset (seeded random runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 20, maxLength: 90 }),
        fc.integer({ min: 0, max: 89 }),
        (seed, capacity, spawnPerFrame, stepsMs, resetAt) => {
          const sim = new PooledSimulation({ capacity, spawnPerFrame, seed });
          expect(drawnSlots(sim)).toEqual([]);
          stepsMs.forEach((dtMs, i) => {
            if (i === resetAt) {
              sim.reset(seed + 1);
              sim.check();
              expect(drawnSlots(sim)).toEqual([]);
            }
            sim.step(dtMs);
            sim.check(); // includes: every free slot has lifeMs 0
            expect(drawnSlots(sim)).toEqual(liveSlots(sim));
          });
        },
      ),
      { seed: 20261129, numRuns: 60 },
    );
  });

  it('check() reports a free slot whose lifeMs is not 0', () => {
    const sim = new PooledSimulation({ capacity: 10, spawnPerFrame: 3, seed: 1 });
    sim.step(16);
    const free = sim.pool.dense[sim.pool.size];
    sim.pool.fields.lifeMs[free] = 5;
    expect(() => sim.check()).toThrow(/free slot .*lifeMs 5, expected 0/);
  });
});
