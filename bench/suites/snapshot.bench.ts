/**
 * Snapshot suite: saving and restoring the same world with steadyheap and with bitECS 0.4's
 * serializers, against a bare memory copy of the same bytes (the floor), and the cost of a
 * rollback of 8 frames with re-simulation.
 *
 * The world: N entities (10,000 and 100,000) with four f32 fields (x, y, vx, vy).
 * - steadyheap: a `StructPool` of the four fields with N live records; save = `saveState` into
 *   a preallocated array (columns, dense array, slot table and counters: the whole pool, so a
 *   restore brings back handles and free list too), restore = `loadState`; and the same through a
 *   `SnapshotRing` (`save(frame)` + `restore(frame)`).
 * - bitECS 0.4: a world of N entities with components `Position {x, y}` and `Velocity {x, y}` of
 *   `Float32Array`s; save = `createSoASerializer([Position, Velocity])(entities)` (a fresh
 *   `ArrayBuffer` per call), restore = `createSoADeserializer(...)(packet)` into the same world.
 *   bitECS's snapshot serializer (entities and membership too) is measured beside it, with a
 *   4 MiB buffer (its default 100 MiB buffer is sliced on every call, see bench/README.md).
 * - floor: `Uint8Array.set` of steadyheap's state bytes, there and back.
 *
 * Rollback: the rollback example's world (`examples/rollback/world.ts`, 10,000 entities that
 * move, expire and respawn), rolled back 8 frames: `restore(frame - 8)`, then 8 times
 * `save(frame)` and `step`.
 */
import { addComponent, addEntity, createWorld, query } from 'bitecs';
import {
  createSnapshotDeserializer,
  createSnapshotSerializer,
  createSoADeserializer,
  createSoASerializer,
} from 'bitecs/serialization';
import { SnapshotRing, StructPool } from 'steadyheap';
import { createWorld as createRollbackWorld, step } from '../../examples/rollback/world.ts';
import { countGc } from '../lib/gc.ts';
import { runCases, type BenchCase, type BenchRatio, type BenchSuite } from '../lib/harness.ts';

const SIZES = [10_000, 100_000] as const;
const SCHEMA = { x: 'f32', y: 'f32', vx: 'f32', vy: 'f32' } as const;
const ROLLBACK_FRAMES = 8;
const ROLLBACK_ENTITIES = 10_000;

/** A label for N: `10k`, `100k`. */
const k = (n: number) => `${n / 1000}k`;

/** steadyheap's side of the world: a full pool with values, and a buffer for its state. */
function steadyWorld(n: number) {
  const pool = new StructPool(SCHEMA, { capacity: n });
  const { x, y, vx, vy } = pool.fields;
  for (let i = 0; i < n; i++) {
    const s = pool.slotOf(pool.alloc());
    x[s] = i;
    y[s] = -i;
    vx[s] = i / 7;
    vy[s] = 1 - i;
  }
  const state = new Uint8Array(pool.stateBytes);
  pool.saveState(state);
  const ring = new SnapshotRing([pool], { capacity: 4 });
  ring.save(0);
  const copy = new Uint8Array(state.length);
  return { pool, state, ring, copy };
}

/** bitECS 0.4's side: a world of n entities with Position and Velocity as Float32Array stores. */
function bitecsWorld(n: number) {
  const world = createWorld();
  const Position = { x: new Float32Array(n + 1), y: new Float32Array(n + 1) };
  const Velocity = { x: new Float32Array(n + 1), y: new Float32Array(n + 1) };
  for (let i = 0; i < n; i++) {
    const eid = addEntity(world);
    addComponent(world, eid, Position);
    addComponent(world, eid, Velocity);
    Position.x[eid] = i;
    Position.y[eid] = -i;
    Velocity.x[eid] = i / 7;
    Velocity.y[eid] = 1 - i;
  }
  const entities = Array.from(query(world, [Position, Velocity]));
  const serialize = createSoASerializer([Position, Velocity]);
  const deserialize = createSoADeserializer([Position, Velocity]);
  const snapshot = createSnapshotSerializer(world, [Position, Velocity], new ArrayBuffer(n * 40 + 1024));
  const identity = new Map(entities.map((e) => [e, e]));
  const restoreSnapshot = createSnapshotDeserializer(world, [Position, Velocity], identity);
  return { entities, serialize, deserialize, snapshot, restoreSnapshot, packet: serialize(entities) };
}

/** The rollback case's world and ring, with `ROLLBACK_FRAMES` frames saved. */
function rollbackSetup() {
  const world = createRollbackWorld(ROLLBACK_ENTITIES, 7);
  const ring = new SnapshotRing(world.structures, { capacity: 2 * ROLLBACK_FRAMES + 2 });
  let frame = 0;
  for (; frame < ROLLBACK_FRAMES; frame++) {
    ring.save(frame);
    step(world, frame & 31, (frame * 7) & 31);
  }
  const inputs = (f: number) => [(f * 5) & 31, (f * 3) & 31] as const;
  /** One rollback: back to `frame - 8`, then re-simulate and re-save 8 frames. */
  const rollBack = () => {
    ring.restore(frame - ROLLBACK_FRAMES);
    for (let f = frame - ROLLBACK_FRAMES; f < frame; f++) {
      ring.save(f);
      const [a, b] = inputs(f);
      step(world, a, b);
    }
  };
  const stepOnly = () => {
    const [a, b] = inputs(frame);
    step(world, a, b);
  };
  return { world, ring, rollBack, stepOnly };
}

const suite: BenchSuite = {
  name: 'snapshot',
  async run(options) {
    const cases: BenchCase[] = [];
    const ratios: BenchRatio[] = [];
    const stateBytes: Record<string, number> = {};
    const worlds = SIZES.map((n) => ({ n, ours: steadyWorld(n), theirs: bitecsWorld(n) }));
    for (const { n, ours, theirs } of worlds) {
      const N = k(n);
      stateBytes[N] = ours.state.length;
      cases.push(
        { name: `steadyheap saveState ${N}`, fn: () => void ours.pool.saveState(ours.state) },
        { name: `steadyheap loadState ${N}`, fn: () => void ours.pool.loadState(ours.state) },
        {
          name: `steadyheap save+restore ${N}`,
          fn: () => {
            ours.pool.saveState(ours.state);
            ours.pool.loadState(ours.state);
          },
        },
        {
          name: `steadyheap SnapshotRing save+restore ${N}`,
          fn: () => {
            ours.ring.save(1);
            ours.ring.restore(1);
          },
        },
        {
          name: `memcpy floor there+back ${N}`,
          fn: () => {
            ours.copy.set(ours.state);
            ours.state.set(ours.copy);
          },
        },
        { name: `bitECS SoA serialize ${N}`, fn: () => void theirs.serialize(theirs.entities) },
        { name: `bitECS SoA deserialize ${N}`, fn: () => theirs.deserialize(theirs.packet) },
        {
          name: `bitECS SoA save+restore ${N}`,
          fn: () => theirs.deserialize(theirs.serialize(theirs.entities)),
        },
        {
          name: `bitECS snapshot save+restore ${N}`,
          fn: () => void theirs.restoreSnapshot(theirs.snapshot(theirs.entities)),
        },
      );
      ratios.push(
        {
          name: `steadyheap vs bitECS SoA save+restore speed ${N}`,
          numerator: `steadyheap save+restore ${N}`,
          denominator: `bitECS SoA save+restore ${N}`,
          targetMax: 1 / 100,
          shownAs: 'speed',
        },
        {
          name: `steadyheap vs bitECS snapshot save+restore speed ${N}`,
          numerator: `steadyheap save+restore ${N}`,
          denominator: `bitECS snapshot save+restore ${N}`,
          shownAs: 'speed',
        },
        {
          name: `steadyheap save+restore / memcpy floor ${N}`,
          numerator: `steadyheap save+restore ${N}`,
          denominator: `memcpy floor there+back ${N}`,
          targetMax: 1.5,
        },
      );
    }
    const rollback = rollbackSetup();
    cases.push(
      {
        name: `rollback ${ROLLBACK_FRAMES} frames of ${k(ROLLBACK_ENTITIES)} (restore + 8 x save + step)`,
        fn: rollback.rollBack,
      },
      { name: `step ${k(ROLLBACK_ENTITIES)} (one frame, no snapshot)`, fn: rollback.stepOnly },
    );

    const result = await runCases('snapshot', cases, ratios, options);
    const ns = (name: string) => result.cases.find((c) => c.name === name)?.nsPerOp ?? Number.NaN;
    const gbps = (bytes: number, nsPerOp: number) => Number((bytes / nsPerOp).toFixed(2));
    const throughput: Record<string, unknown> = {};
    for (const { n } of worlds) {
      const N = k(n);
      throughput[N] = {
        stateBytes: stateBytes[N],
        saveGBps: gbps(stateBytes[N], ns(`steadyheap saveState ${N}`)),
        loadGBps: gbps(stateBytes[N], ns(`steadyheap loadState ${N}`)),
        ringSaveRestoreGBps: gbps(2 * stateBytes[N], ns(`steadyheap SnapshotRing save+restore ${N}`)),
        memcpyGBps: gbps(2 * stateBytes[N], ns(`memcpy floor there+back ${N}`)),
        target: '>= 5 GB/s',
      };
    }
    // Collections during 200 save+restore pairs: bitECS makes a fresh buffer per save.
    const small = worlds[0];
    const gcOurs = await countGc(() => {
      for (let i = 0; i < 200; i++) {
        small.ours.pool.saveState(small.ours.state);
        small.ours.pool.loadState(small.ours.state);
      }
    });
    const gcTheirs = await countGc(() => {
      for (let i = 0; i < 200; i++) small.theirs.deserialize(small.theirs.serialize(small.theirs.entities));
    });
    const rollbackMs =
      ns(`rollback ${ROLLBACK_FRAMES} frames of ${k(ROLLBACK_ENTITIES)} (restore + 8 x save + step)`) / 1e6;
    result.notes = {
      throughput,
      rollback: {
        ms: Number(rollbackMs.toFixed(3)),
        target: '< 2 ms',
        meetsTarget: rollbackMs < 2,
        ringStateBytes: rollback.ring.bytesOf(rollback.ring.newestFrame).length,
      },
      gcPer200SaveRestore10k: { steadyheap: gcOurs.count, bitECS: gcTheirs.count },
    };
    return result;
  },
};

export default suite;
