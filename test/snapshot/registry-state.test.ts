/**
 * Entity ids of a bitECS world through its EntityRegistry, and EntitySet members: random create /
 * destroy / add / remove sequences round-trip exactly (the same ids alive and dead, the same ids
 * issued next, the same members; check() passes; bitECS agrees), in unversioned and versioned
 * worlds; loads that the world cannot take (entities with bitECS components, a reset world) or
 * that do not fit are refused with nothing changed.
 */
import {
  addComponent,
  createEntityIndex,
  createWorld,
  entityExists,
  resetWorld,
  withVersioning,
  type World,
} from 'bitecs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotError, loadSnapshot, saveSnapshot, snapshotBytes, type Snapshotable } from '../../src/index.ts';
import { defineEntityRegistry, type EntityRegistry, type EntitySet } from '../../src/ecs/index.ts';
import { refusedUnchanged, roundTrip, saved, type RoundTripHarness } from './round-trip.ts';

/** A world, its registry and two sets, snapshotted together as one structure. */
interface EcsWorld extends Snapshotable {
  world: World;
  registry: EntityRegistry;
  sets: EntitySet[];
}

function makeWorld(versioned: boolean): EcsWorld {
  const world = versioned ? createWorld(createEntityIndex(withVersioning(8))) : createWorld();
  const registry = defineEntityRegistry(world, { capacity: 8 });
  const sets = [registry.defineSet(), registry.defineSet()];
  const list = [registry, ...sets];
  return {
    world,
    registry,
    sets,
    get stateBytes() {
      return snapshotBytes(list);
    },
    saveState: (into, at = 0) => saveSnapshot(list, into, at),
    loadState: (from, at = 0) => loadSnapshot(list, from, at),
  };
}

type EcsOp =
  | { op: 'create'; set: number }
  | { op: 'destroy'; pick: number }
  | { op: 'add'; pick: number; set: number }
  | { op: 'remove'; pick: number; set: number };

const ecsOp: fc.Arbitrary<EcsOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('create' as const), set: fc.integer({ min: -1, max: 1 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('destroy' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), pick: fc.nat(), set: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat(), set: fc.nat(1) }) },
);

interface Ctx {
  alive: number[];
  dead: number[];
}

function applyEcsOp(w: EcsWorld, ctx: Ctx, op: EcsOp): unknown {
  switch (op.op) {
    case 'create': {
      const eid = op.set < 0 ? w.registry.create() : w.registry.create(w.sets[op.set]);
      ctx.alive.push(eid);
      return eid;
    }
    case 'destroy': {
      if (ctx.alive.length === 0) return 'none';
      const [eid] = ctx.alive.splice(op.pick % ctx.alive.length, 1);
      ctx.dead.push(eid);
      return w.registry.destroy(eid);
    }
    case 'add':
      return ctx.alive.length === 0 ? 'none' : w.sets[op.set].add(ctx.alive[op.pick % ctx.alive.length]);
    case 'remove':
      return ctx.alive.length === 0 ? 'none' : w.sets[op.set].remove(ctx.alive[op.pick % ctx.alive.length]);
  }
}

function observeEcs(w: EcsWorld, ctx: Ctx): unknown {
  const ids = [...ctx.alive, ...ctx.dead];
  return {
    alive: ids.map((eid) => [w.registry.isAlive(eid), entityExists(w.world, eid)]),
    members: w.sets.map((s) => [s.count, ids.map((eid) => s.has(eid))]),
    stats: w.registry.stats(),
  };
}

describe.each([false, true])('EntityRegistry and EntitySet state (versioned world: %s)', (versioned) => {
  const harness: RoundTripHarness<EcsWorld, EcsOp, Ctx> = {
    make: () => makeWorld(versioned),
    newContext: () => ({ alive: [], dead: [] }),
    cloneContext: (c) => ({ alive: [...c.alive], dead: [...c.dead] }),
    apply: applyEcsOp,
    observe: observeEcs,
    check: (w) => w.registry.check(),
  };
  const ops = fc.array(ecsOp, { maxLength: 80 });

  it('round-trips after random operations: same ids alive and issued next, same members', () => {
    fc.assert(
      fc.property(ops, ops, ops, (a, b, c) => roundTrip(harness, a, b, c)),
      { numRuns: 40 },
    );
  });
});

describe('EntityRegistry loads the world cannot take', () => {
  it('refuses when an entity alive now or after the load has bitECS components, and changes nothing', () => {
    const w = makeWorld(false);
    const a = w.registry.create(w.sets[0]);
    const state = saved(w);
    const b = w.registry.create();
    const Position = { x: new Float32Array(16) };
    addComponent(w.world, b, Position);
    let e = refusedUnchanged(w, () => w.loadState(state));
    expect((e as SnapshotError).reason).toBe('world');
    expect((e as Error).message).toMatch(new RegExp(`entity ${b} has bitECS components`));
    // After the load `a` would be alive again: if it has bitECS components now, refused as well.
    w.registry.destroy(b);
    addComponent(w.world, a, Position);
    e = refusedUnchanged(w, () => w.loadState(state));
    expect((e as SnapshotError).reason).toBe('world');
  });

  it('refuses after a bitECS resetWorld until the registry follows it', () => {
    const w = makeWorld(false);
    w.registry.create();
    const state = saved(w);
    resetWorld(w.world);
    expect(() => w.loadState(state)).toThrow(/resetAfterWorldReset/);
    w.registry.resetAfterWorldReset();
    w.loadState(state);
    w.registry.check();
    expect(w.registry.aliveCount).toBe(1);
  });

  it('refuses a registry with another number of sets, or of another versioning', () => {
    const w = makeWorld(false);
    const other = defineEntityRegistry(createWorld());
    other.defineSet();
    expect(() => w.registry.loadState(saved(other))).toThrow(SnapshotError);
    const versioned = makeWorld(true);
    expect(() => w.registry.loadState(saved(versioned.registry))).toThrow(/other options/);
  });

  it('loads sets before their registry as well (any order in a snapshot)', () => {
    const w = makeWorld(false);
    const ids = Array.from({ length: 100 }, () => w.registry.create(w.sets[0]));
    const file = saveSnapshot([...w.sets, w.registry]);
    const fresh = makeWorld(false); // capacity 8: the sets' positions must grow to raw index 100
    loadSnapshot([...fresh.sets, fresh.registry], file);
    fresh.registry.check();
    for (const eid of ids) expect(fresh.sets[0].has(eid)).toBe(true);
  });

  it('loads into a fresh world: a save game', () => {
    const w = makeWorld(false);
    const ids = Array.from({ length: 20 }, (_, i) => w.registry.create(w.sets[i % 2]));
    for (const eid of ids.slice(0, 5)) w.registry.destroy(eid);
    const file = saveSnapshot([w.registry, ...w.sets]);
    const fresh = makeWorld(false);
    loadSnapshot([fresh.registry, ...fresh.sets], file);
    fresh.registry.check();
    for (const eid of ids) expect(entityExists(fresh.world, eid)).toBe(w.registry.isAlive(eid));
    expect(fresh.sets[1].count).toBe(w.sets[1].count);
    expect(fresh.registry.create()).toBe(w.registry.create());
  });
});
