import { describe, expect, it } from 'vitest';
import {
  IsA,
  Not,
  addComponent,
  addPrefab,
  addEntity,
  createEntityIndex,
  createRelation,
  createWorld,
  entityExists,
  getAllEntities,
  getEntityComponents,
  hasComponent,
  observe,
  onRemove,
  query,
  removeEntity,
  resetWorld,
  withVersioning,
} from 'bitecs';
import { EntityPool, defineEntityRegistry, definePoolComponent } from '../../src/ecs/index.ts';
import { countGc } from '../support/gc.ts';
import { randomInts } from '../support/random.ts';

describe('EntityRegistry', () => {
  it('creates ordinary bitECS entities and destroys them for real', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world);
    expect(defineEntityRegistry(world)).toBe(registry);
    const a = registry.create();
    const b = registry.create();
    expect(entityExists(world, a) && entityExists(world, b)).toBe(true);
    expect([...getAllEntities(world)].sort()).toEqual([a, b].sort());
    // bitECS components and queries work on registry entities.
    const Position = { x: new Float32Array(16) };
    addComponent(world, a, Position);
    expect(query(world, [Position])).toEqual([a]);
    expect(getEntityComponents(world, a)).toEqual([Position]);
    expect(registry.destroy(b)).toBe(true);
    expect(registry.destroy(b)).toBe(false);
    expect(entityExists(world, b)).toBe(false);
    expect(getAllEntities(world)).toEqual([a]);
    // An entity with a bitECS component goes through removeEntity (hooks run).
    const removed: number[] = [];
    observe(world, onRemove(Position), (eid: number) => removed.push(eid));
    expect(registry.destroy(a)).toBe(true);
    expect(removed).toEqual([a]);
    expect(query(world, [Position])).toEqual([]);
    expect(getAllEntities(world)).toEqual([]);
    expect(registry.stats()).toMatchObject({ alive: 0, bitecsCreates: 0, bitecsDestroys: 1 });
    registry.check();
  });

  it('sets: add/remove/has, destroy leaves every set, backward iteration visits each member once', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world, { capacity: 4 });
    const A = registry.defineSet();
    const B = registry.defineSet();
    const ids = Array.from({ length: 40 }, () => registry.create()); // grows past capacity 4
    for (const e of ids) A.add(e);
    for (const e of ids.slice(0, 10)) B.add(e);
    expect(A.add(ids[0])).toBe(false);
    expect(A.count).toBe(40);
    expect(B.has(ids[3]) && !B.has(ids[30])).toBe(true);
    registry.destroy(ids[3]);
    expect(A.has(ids[3]) || B.has(ids[3])).toBe(false);
    expect([A.count, B.count]).toEqual([39, 9]);
    const visited: number[] = [];
    const members = A.entities;
    for (let i = A.count - 1; i >= 0; i--) {
      visited.push(members[i]);
      registry.destroy(members[i]);
    }
    expect(visited.sort((x, y) => x - y)).toEqual(ids.filter((_, i) => i !== 3).sort((x, y) => x - y));
    expect([A.count, B.count, registry.aliveCount]).toEqual([0, 0, 0]);
    registry.check();
    // Ids are recycled and sets accept the new lives.
    const again = registry.create();
    expect(ids).toContain(again);
    expect(A.has(again)).toBe(false);
    A.add(again);
    registry.check();
  });

  it('create(set) puts the new entity in the set; a foreign set is refused before anything is created', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world);
    const A = registry.defineSet();
    const e = registry.create(A);
    expect(A.has(e) && A.count === 1).toBe(true);
    const other = defineEntityRegistry(createWorld()).defineSet();
    expect(() => registry.create(other)).toThrow(TypeError);
    expect(registry.aliveCount).toBe(1);
    registry.destroy(e);
    expect(() => registry.create(other)).toThrow(TypeError); // the recycling path refuses it too
    expect(registry.aliveCount).toBe(0);
    // A raw index whose entity had bitECS components is reused with an empty component set.
    const Health = { hp: new Float32Array(8) };
    const f = registry.create(A);
    addComponent(world, f, Health);
    registry.destroy(f);
    const g = registry.create(A);
    expect(g).toBe(f); // unversioned world: the id is recycled
    expect(getEntityComponents(world, g)).toEqual([]);
    expect(hasComponent(world, g, Health)).toBe(false);
    expect(A.has(g) && A.count === 1).toBe(true);
    registry.check();
  });

  it('sets stay consistent for entities bitECS created beyond the registry capacity', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world, { capacity: 3 });
    const A = registry.defineSet();
    const ids = Array.from({ length: 20 }, () => addEntity(world)); // bitECS's own path
    A.add(ids[9]);
    A.add(ids[13]);
    A.add(ids[19]);
    for (const e of [ids[13], ids[19], ids[9]]) {
      expect(registry.destroy(e)).toBe(true);
      expect(A.has(e)).toBe(false);
      registry.check();
    }
    expect(A.count).toBe(0);
  });

  it('rejects bad ids with the documented errors and changes nothing', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world);
    const A = registry.defineSet();
    const e = registry.create();
    expect(() => A.add('1' as unknown as number)).toThrow(TypeError);
    expect(() => A.add(1.5)).toThrow(RangeError);
    expect(() => A.add(e + 1)).toThrow(/live entity/);
    expect(() => registry.destroy(Number.NaN)).toThrow(RangeError);
    expect(registry.destroy(e + 7)).toBe(false);
    expect(A.remove(e)).toBe(false);
    expect(A.count).toBe(0);
    expect(registry.aliveCount).toBe(1);
    expect(() => defineEntityRegistry(createWorld(), { capacity: 0 })).toThrow(RangeError);
    expect(() => defineEntityRegistry(createWorld(), { size: 3 } as never)).toThrow(TypeError);
    registry.check();
  });

  it('a bare bitECS removeEntity, relations and prefabs keep sets and bitECS consistent', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world);
    const A = registry.defineSet();
    const e = registry.create();
    A.add(e);
    removeEntity(world, e);
    expect(A.has(e)).toBe(false);
    registry.check();
    // Relation targets carry bitECS pair components: destroy hands them to bitECS, and its
    // cascade (autoRemoveSubject) removes the subject, which leaves its sets too.
    const ChildOf = createRelation({ autoRemoveSubject: true });
    const parent = registry.create();
    const child = registry.create();
    A.add(child);
    addComponent(world, child, ChildOf(parent));
    registry.destroy(parent);
    expect(entityExists(world, child)).toBe(false);
    expect(A.count).toBe(0);
    registry.check();
    // Prefabs: an entity that inherits a prefab's components through IsA has bitECS components,
    // so destroy hands it to bitECS; the prefab itself stays.
    const Health = { hp: new Float32Array(16) };
    const proto = addPrefab(world);
    addComponent(world, proto, Health);
    const heir = registry.create(A);
    addComponent(world, heir, IsA(proto));
    expect(hasComponent(world, heir, Health)).toBe(true);
    expect(query(world, [Health])).toEqual([heir]);
    expect(registry.destroy(heir)).toBe(true);
    expect(entityExists(world, heir) || A.has(heir)).toBe(false);
    expect(query(world, [Health])).toEqual([]);
    expect(entityExists(world, proto)).toBe(true);
    registry.check();
    // Entities made by bitECS itself get rows too.
    const plain = addEntity(world);
    A.add(plain);
    expect(registry.destroy(plain)).toBe(true);
    expect(registry.aliveCount).toBe(1); // the prefab
    registry.check();
  });

  it('pool components and entity pools keep working on registry entities', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world);
    const Position = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
    const Velocity = definePoolComponent(world, { x: 'f32' }); // bitECS membership
    const e = registry.create();
    Position.fields.x[Position.add(e)] = 2;
    addComponent(world, e, Velocity);
    expect(Velocity.has(e)).toBe(true);
    registry.destroy(e); // anchors and hooks: through bitECS
    expect(Position.has(e) || Velocity.has(e)).toBe(false);
    Position.check();
    Velocity.check();
    const pool = new EntityPool(world, { components: [Position] });
    const p = pool.spawn();
    expect(pool.despawn(p)).toBe(true);
    pool.check();
    registry.check();
  });

  it('Not queries and versioned worlds take bitECS paths and stay correct', () => {
    const world = createWorld(createEntityIndex(withVersioning(8)));
    const registry = defineEntityRegistry(world);
    const A = registry.defineSet();
    const a = registry.create();
    A.add(a);
    registry.destroy(a);
    const b = registry.create();
    expect(b).not.toBe(a); // versioned: a new id for the recycled index
    expect(A.has(a) || A.has(b)).toBe(false);
    expect(registry.stats()).toMatchObject({ bitecsCreates: 2, bitecsDestroys: 1 });
    registry.check();

    const w2 = createWorld();
    const r2 = defineEntityRegistry(w2);
    const Tag = {};
    const untagged = query(w2, [Not(Tag)]);
    const x = r2.create();
    expect(untagged).toContain(x);
    r2.destroy(x);
    expect(query(w2, [Not(Tag)])).not.toContain(x);
    expect(r2.stats()).toMatchObject({ bitecsCreates: 1, bitecsDestroys: 1 });
    r2.check();
  });

  it('follows bitECS resetWorld', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world);
    const A = registry.defineSet();
    A.add(registry.create());
    resetWorld(world);
    const e = registry.create();
    expect(A.count).toBe(0);
    expect(entityExists(world, e)).toBe(true);
    A.add(e);
    expect(hasComponent(world, e, {})).toBe(false);
    registry.check();
  });

  it('seeded random create/destroy/add/remove against a model', () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world, { capacity: 8 });
    const sets = [registry.defineSet(), registry.defineSet(), registry.defineSet()];
    const model = new Map<number, Set<number>>(); // eid -> set indices
    const next = randomInts(0x5eed);
    const paths = new Set<string>();
    for (let i = 0; i < 4000; i++) {
      const op = next(100);
      const alive = [...model.keys()];
      const pick = alive.length ? alive[op % alive.length] : -1;
      if (op < 30 || pick === -1) {
        const e = registry.create();
        expect(model.has(e)).toBe(false);
        model.set(e, new Set());
        paths.add('create');
      } else if (op < 50) {
        expect(registry.destroy(pick)).toBe(true);
        model.delete(pick);
        paths.add('destroy');
      } else if (op < 80) {
        const k = op % 3;
        expect(sets[k].add(pick)).toBe(!model.get(pick)?.has(k));
        model.get(pick)?.add(k);
        paths.add('add');
      } else if (op < 95) {
        const k = op % 3;
        expect(sets[k].remove(pick)).toBe(model.get(pick)?.has(k) ?? false);
        model.get(pick)?.delete(k);
        paths.add('remove');
      } else {
        removeEntity(world, pick);
        model.delete(pick);
        paths.add('bare removeEntity');
      }
      if (i % 50 === 0) registry.check();
      for (let k = 0; k < 3; k++) {
        const expected = [...model].filter(([, s]) => s.has(k)).length;
        expect(sets[k].count).toBe(expected);
      }
    }
    registry.check();
    expect(registry.aliveCount).toBe(model.size);
    expect(paths.size).toBe(5);
  });

  it('1,000 frames of 1,000 creates and destroys with a copied value: zero GCs', async () => {
    const world = createWorld();
    const registry = defineEntityRegistry(world);
    const A = registry.defineSet();
    const B = registry.defineSet();
    const aValue = new Int32Array(4096);
    const bValue = new Int32Array(4096);
    for (let i = 0; i < 1000; i++) {
      const e = registry.create();
      A.add(e);
      aValue[e] = i;
    }
    const frame = () => {
      const as = A.entities;
      for (let i = 0; i < A.count; i++) {
        const e = registry.create();
        B.add(e);
        bValue[e] = aValue[as[i]];
      }
      const bs = B.entities;
      for (let i = B.count - 1; i >= 0; i--) registry.destroy(bs[i]);
    };
    for (let i = 0; i < 300; i++) frame();
    const gc = await countGc(() => {
      for (let i = 0; i < 1000; i++) frame();
    });
    expect(gc.count).toBe(0);
    expect([A.count, B.count, registry.aliveCount]).toEqual([1000, 0, 1000]);
    expect(registry.stats().bitecsDestroys).toBe(0);
    registry.check();
  });

  it('the same churn through bitECS addEntity/removeEntity does collect garbage (the GC test can fail)', async () => {
    const world = createWorld();
    const B = {};
    const frame = () => {
      for (let i = 0; i < 1000; i++) addComponent(world, addEntity(world), B);
      const bs = query(world, [B]);
      for (let i = bs.length - 1; i >= 0; i--) removeEntity(world, bs[i]);
    };
    for (let i = 0; i < 20; i++) frame();
    const gc = await countGc(() => {
      for (let i = 0; i < 200; i++) frame();
    });
    expect(gc.count).toBeGreaterThan(5);
  });
});
