/**
 * EntityPool saveState / loadState, saved with its 'pool'-membership component: random spawn /
 * despawn / write sequences round-trip exactly (the same live entities and handles, the same dead
 * handles, the same parked order and so the same next entities and handles, the same values;
 * check() passes), in place and into another world prepared the same way; loads the world
 * cannot take (entities created or lost since the save, a reset world) or that do not fit are
 * refused with nothing changed; a SnapshotRing over them allocates nothing.
 */
import { createEntityIndex, createWorld, removeEntity, resetWorld, withVersioning, type World } from 'bitecs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SnapshotError,
  SnapshotRing,
  loadSnapshot,
  saveSnapshot,
  snapshotBytes,
  type Snapshotable,
} from '../../src/index.ts';
import { EntityPool, definePoolComponent, type ComponentLayout, type PoolComponent } from '../../src/ecs/index.ts';
import { countGc } from '../support/gc.ts';
import { refusedUnchanged, roundTrip, saved, type RoundTripHarness } from './round-trip.ts';

const PEAK = 24;

interface Scene extends Snapshotable {
  world: World;
  pool: EntityPool;
  position: PoolComponent<{ x: 'f32'; y: 'f32' }>;
  /** Every entity the pool created (the same ids in every scene). */
  eids: number[];
}

/** A world whose pool has created its peak population once (spawned, then despawned). */
function makeScene(layout: ComponentLayout, versioned = false): Scene {
  const world = versioned ? createWorld(createEntityIndex(withVersioning())) : createWorld();
  const position = definePoolComponent(world, { x: 'f32', y: 'f32' }, { layout, membership: 'pool', capacity: 4 });
  const pool = new EntityPool(world, { components: [position], capacity: 4, maxCapacity: PEAK });
  const eids = Array.from({ length: PEAK }, () => pool.spawn());
  for (const e of eids) pool.despawn(e);
  const list = [pool, position];
  return {
    world,
    pool,
    position,
    eids,
    get stateBytes() {
      return snapshotBytes(list);
    },
    saveState: (into, at = 0) => saveSnapshot(list, into, at),
    loadState: (from, at = 0) => loadSnapshot(list, from, at),
  };
}

type Op =
  | { op: 'spawn'; value: number }
  | { op: 'despawn'; pick: number }
  | { op: 'write'; pick: number; value: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('spawn' as const), value: fc.integer({ min: -999, max: 999 }) }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('despawn' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('write' as const), pick: fc.nat(), value: fc.integer() }) },
);

/** Handles handed out so far, live or dead. */
type Ctx = number[];

function apply(s: Scene, handles: Ctx, op: Op): unknown {
  const { pool, position } = s;
  switch (op.op) {
    case 'spawn': {
      if (pool.size === PEAK) return 'full';
      const e = pool.spawn();
      position.fields.x[position.indexOf(e)] = op.value;
      handles.push(pool.handleOf(e));
      return [e, pool.handleOf(e)];
    }
    case 'despawn': {
      if (pool.size === 0) return 'none';
      const e = pool.entityOfSlot[pool.dense[op.pick % pool.size]];
      return [e, pool.despawn(e)];
    }
    case 'write': {
      if (pool.size === 0) return 'none';
      const e = pool.entityOfSlot[pool.dense[op.pick % pool.size]];
      position.fields.y[position.indexOf(e)] = op.value;
      return e;
    }
  }
}

function observe(s: Scene, handles: Ctx): unknown {
  const { pool, position } = s;
  return {
    live: Array.from(pool.dense.subarray(0, pool.size), (slot) => pool.entityOfSlot[slot]),
    handles: handles.map((h) => pool.entityOf(h)),
    entities: s.eids.map((e) => [pool.isLive(e), pool.handleOf(e), position.indexOf(e)]),
    values: s.eids.map((e) =>
      position.has(e) ? [position.fields.x[position.indexOf(e)], position.fields.y[position.indexOf(e)]] : null,
    ),
    parked: pool.parkedEntities,
    created: pool.createdCount,
    slots: pool.slots.stats(),
  };
}

describe.each(['entity', 'slot'] as const)('EntityPool state (%s-layout component)', (layout) => {
  const harness: RoundTripHarness<Scene, Op, Ctx> = {
    make: () => makeScene(layout),
    newContext: () => [],
    cloneContext: (c) => [...c],
    apply,
    observe,
    check: (s) => {
      s.pool.check();
      s.position.check();
    },
  };
  const ops = fc.array(opArb, { maxLength: 80 });

  it('round-trips after random spawns and despawns, in place and into another world', () => {
    fc.assert(
      fc.property(ops, ops, ops, (a, b, c) => roundTrip(harness, a, b, c)),
      { numRuns: 40 },
    );
  });

  it('despawned handles stay dead and the next spawns are the same after a restore', () => {
    const s = makeScene(layout);
    const live = Array.from({ length: 6 }, () => s.pool.spawn());
    const dead = live.splice(0, 3).map((e) => {
      const h = s.pool.handleOf(e);
      s.pool.despawn(e);
      return h;
    });
    const state = saved(s.pool);
    const next = [s.pool.spawn(), s.pool.spawn()].map((e) => [e, s.pool.handleOf(e)]);
    for (const e of live) s.pool.despawn(e);
    s.pool.loadState(state);
    for (const h of dead) expect(s.pool.entityOf(h)).toBe(-1);
    for (const e of live) expect(s.pool.isLive(e)).toBe(true);
    expect([s.pool.spawn(), s.pool.spawn()].map((e) => [e, s.pool.handleOf(e)])).toEqual(next);
  });

  it('refuses what the world cannot take or what does not fit, and changes nothing', () => {
    const s = makeScene(layout);
    s.pool.spawn();
    const state = saved(s.pool);
    // Another component list: other options.
    const other = new EntityPool(createWorld(), { capacity: 4, maxCapacity: PEAK });
    const e = refusedUnchanged(other, () => other.loadState(state));
    expect(e).toBeInstanceOf(SnapshotError);
    expect((e as SnapshotError).reason).toBe('options');
    // Entities the pool did not have at the save (a fresh pool created none).
    const freshWorld = createWorld();
    const fresh = new EntityPool(freshWorld, {
      components: [definePoolComponent(freshWorld, { x: 'f32', y: 'f32' }, { layout, membership: 'pool' })],
      capacity: 4,
      maxCapacity: PEAK,
    });
    const created = refusedUnchanged(fresh, () => fresh.loadState(state));
    expect((created as SnapshotError).reason).toBe('world');
    expect((created as Error).message).toMatch(/holds 0 entities, the state 24/);
    const truncated = refusedUnchanged(s.pool, () => s.pool.loadState(state.subarray(0, state.length - 1)));
    expect((truncated as SnapshotError).reason).toBe('truncated');
    // An entity lost to a bare bitECS removal.
    removeEntity(s.world, s.eids[5]);
    const lost = refusedUnchanged(s.pool, () => s.pool.loadState(state));
    expect((lost as SnapshotError).reason).toBe('world');
    resetWorld(s.world);
    const reset = refusedUnchanged(s.pool, () => s.pool.loadState(state));
    expect((reset as SnapshotError).reason).toBe('world');
  });

  it('refuses a state whose live entity was replaced by a new one (same count, another set)', () => {
    // Versioned ids: the replacement reuses the raw index under another id (unversioned, bitECS
    // would hand back the very same id, which the state then rightly accepts).
    const s = makeScene(layout, true);
    const kept = s.pool.spawn();
    const state = saved(s.pool);
    removeEntity(s.world, kept); // the pool forgets it: 23 entities
    while (s.pool.parkedEntities > 0) s.pool.spawn();
    s.pool.spawn(); // none parked: creates a 24th entity, not the one the state names
    expect(s.pool.createdCount).toBe(PEAK);
    const e = refusedUnchanged(s.pool, () => s.pool.loadState(state));
    expect((e as SnapshotError).reason).toBe('world');
    expect((e as Error).message).toMatch(new RegExp(`entity ${kept} of the state is not one of this pool's entities`));
  });

  it('refuses impossible counters (reason corrupt) and changes nothing', () => {
    const s = makeScene(layout);
    s.pool.spawn();
    const state = saved(s.pool);
    const counters = 24 + 8 * (state[14] | (state[15] << 8));
    const withCounter = (i: number, value: number) => {
      const copy = state.slice();
      new DataView(copy.buffer).setFloat64(counters + 8 * i, value, true);
      return copy;
    };
    for (const [i, value] of [
      [0, 10_000], // more parked than the parked stack holds
      [1, 7], // created is not live + parked
      [2, 3], // slot arrays shorter than their section
      [5, 10_000], // the slot pool's capacity above its maxCapacity
    ]) {
      const e = refusedUnchanged(s.pool, () => s.pool.loadState(withCounter(i, value)));
      expect((e as SnapshotError).reason, `counter ${i} = ${value}`).toBe('corrupt');
    }
  });

  it('save and restore through a SnapshotRing allocate nothing (GC count over 20,000 frames)', async () => {
    const s = makeScene(layout);
    const ring = new SnapshotRing([s.pool, s.position], { capacity: 8 });
    let frame = 0;
    const frames = (n: number) => {
      for (let k = 0; k < n; k++, frame++) {
        if (frame % 3 !== 2 && s.pool.size < PEAK) s.position.fields.x[s.position.indexOf(s.pool.spawn())] = frame;
        else if (s.pool.size > 0) s.pool.despawn(s.pool.entityOfSlot[s.pool.dense[frame % s.pool.size]]);
        ring.save(frame);
        if (frame % 8 === 7) ring.restore(frame - 4);
      }
    };
    frames(30_000);
    const gc = await countGc(() => frames(20_000));
    expect(gc.count).toBe(0);
    s.pool.check();
    s.position.check();
  });
});
