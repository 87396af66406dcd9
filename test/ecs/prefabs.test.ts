/**
 * bitECS 0.4 features the bridge covers: prefabs (`addPrefab`), `IsA` inheritance of component
 * values, `set` / `setComponent` / `getComponent` (the onSet / onGet hooks), relations with their
 * cascades, and hierarchy queries. The IsA and set/get cases are bitECS's own observer tests
 * (`test/core/Observer.test.ts` of bitecs 0.4.0) with pool components in place of the
 * user-written stores and observers.
 */
import {
  IsA,
  Prefab,
  addComponent,
  addEntity,
  addPrefab,
  createRelation,
  createWorld,
  getComponent,
  hasComponent,
  query,
  removeComponent,
  set,
  setComponent,
  withAutoRemoveSubject,
  Hierarchy,
  type World,
} from 'bitecs';
import { describe, expect, it } from 'vitest';
import {
  definePoolComponent,
  destroyEntity,
  type ComponentLayout,
  type ComponentMembership,
  type PoolComponent,
} from '../../src/ecs/index.ts';
import type { Schema } from '../../src/pool/schema.ts';

const LAYOUTS: ComponentLayout[] = ['entity', 'slot'];

/** The value of scalar field `name` of `eid` in `C` (NaN when `eid` lacks `C`). */
function read(C: PoolComponent<Schema>, eid: number, name = 'value'): number {
  const at = C.indexOf(eid);
  return at === -1 ? Number.NaN : (C.fields as Record<string, Float32Array>)[name][at];
}

/** Gives a prefab or entity `C` with `values`: through bitECS `set` ('bitecs'), or `C.add` and the columns ('pool'). */
function give(world: World, C: PoolComponent<Schema>, eid: number, values: Record<string, number>): void {
  if (C.membership === 'bitecs') {
    addComponent(world, eid, set(C, values));
  } else {
    const at = C.add(eid);
    for (const [k, v] of Object.entries(values)) (C.fields as Record<string, Float32Array>)[k][at] = v;
  }
}

describe('bitECS observer tests with pool components (set / getComponent / IsA)', () => {
  for (const layout of LAYOUTS) {
    it(`${layout}/bitecs: set(C, data) on add and on update writes the record; getComponent reads it`, () => {
      const world = createWorld();
      const eid = addEntity(world);
      const Position = definePoolComponent(world, { x: 'f32', y: 'f32' }, { layout });
      addComponent(world, eid, set(Position, { x: 10, y: 20 }));
      expect([read(Position, eid, 'x'), read(Position, eid, 'y')]).toEqual([10, 20]);
      expect(getComponent(world, eid, Position)).toMatchObject({ x: 10, y: 20 });
      addComponent(world, eid, set(Position, { x: 30, y: 40 }));
      expect(getComponent(world, eid, Position)).toMatchObject({ x: 30, y: 40 });
      setComponent(world, eid, Position, { y: 41 });
      expect([read(Position, eid, 'x'), read(Position, eid, 'y')]).toEqual([30, 41]);
      // A record that does not fit the schema changes nothing.
      expect(() => addComponent(world, eid, set(Position, { z: 1 }))).toThrow(TypeError);
      expect(() => addComponent(world, eid, set(Position, { x: '1' }))).toThrow(TypeError);
      expect([read(Position, eid, 'x'), read(Position, eid, 'y')]).toEqual([30, 41]);
      Position.check();
    });

    it(`${layout}/bitecs: vector fields travel as arrays`, () => {
      const world = createWorld();
      const eid = addEntity(world);
      const Body = definePoolComponent(world, { vel: ['f32', 2], mass: 'f32' }, { layout });
      addComponent(world, eid, set(Body, { vel: [1, -2], mass: 3 }));
      expect(getComponent(world, eid, Body)).toMatchObject({ vel: [1, -2], mass: 3 });
      expect(() => setComponent(world, eid, Body, { vel: [1] })).toThrow(TypeError);
      Body.check();
    });
  }

  for (const layout of LAYOUTS) {
    for (const membership of ['bitecs', 'pool'] as ComponentMembership[]) {
      it(`${layout}/${membership}: IsA relations inherit component data (bitECS "should work with IsA relations")`, () => {
        const world = createWorld();
        const Animal = addPrefab(world);
        const Sheep = addPrefab(world);
        const sheep = addEntity(world);
        const Health = definePoolComponent(world, { value: 'f32' }, { layout, membership });
        give(world, Health, Animal, { value: 100 });
        expect(read(Health, Animal)).toBe(100); // a prefab gets a slot
        addComponent(world, Sheep, IsA(Animal));
        expect(read(Health, Sheep)).toBe(100);
        addComponent(world, sheep, IsA(Sheep));
        expect(read(Health, sheep)).toBe(100);
        give(world, Health, sheep, { value: 50 });
        expect([read(Health, Animal), read(Health, Sheep), read(Health, sheep)]).toEqual([100, 100, 50]);
        // Prefabs stay out of queries; the instance is in them (bitecs membership).
        if (membership === 'bitecs') expect([...query(world, [Health])]).toEqual([sheep]);
        Health.check();
      });

      it(`${layout}/${membership}: deep inheritance hierarchies (bitECS "should handle deep inheritance hierarchies")`, () => {
        const world = createWorld();
        const Health = definePoolComponent(world, { value: 'f32' }, { layout, membership });
        const Speed = definePoolComponent(world, { value: 'f32' }, { layout, membership });
        const Strength = definePoolComponent(world, { value: 'f32' }, { layout, membership });
        const Animal = addPrefab(world);
        give(world, Health, Animal, { value: 100 });
        const Mammal = addPrefab(world);
        addComponent(world, Mammal, IsA(Animal));
        give(world, Speed, Mammal, { value: 20 });
        const Canine = addPrefab(world);
        addComponent(world, Canine, IsA(Mammal));
        give(world, Speed, Canine, { value: 35 });
        const Dog = addPrefab(world);
        addComponent(world, Dog, IsA(Canine));
        give(world, Strength, Dog, { value: 50 });
        const Husky = addPrefab(world);
        addComponent(world, Husky, IsA(Dog));
        give(world, Strength, Husky, { value: 75 });
        expect(read(Speed, Husky)).toBe(35);
        const myDog = addEntity(world);
        addComponent(world, myDog, IsA(Husky));
        give(world, Speed, myDog, { value: 40 });
        expect(read(Health, myDog)).toBe(100);
        expect(read(Speed, myDog)).toBe(40);
        expect(read(Strength, myDog)).toBe(75);
        expect(read(Speed, Canine)).toBe(35);
        expect(read(Strength, Dog)).toBe(50);
        for (const C of [Health, Speed, Strength]) C.check();
      });

      it(`${layout}/${membership}: a prefab's component is removed and destroyed with it (no slot left behind)`, () => {
        const world = createWorld();
        const Health = definePoolComponent(world, { value: 'f32' }, { layout, membership });
        const removed: number[] = [];
        const Armor = definePoolComponent(
          world,
          { value: 'f32' },
          { layout, membership, onRemove: (eid) => removed.push(eid) },
        );
        const P = addPrefab(world);
        expect(hasComponent(world, P, Prefab)).toBe(true);
        give(world, Health, P, { value: 1 });
        give(world, Armor, P, { value: 2 });
        expect(Health.remove(P)).toBe(true);
        expect(Health.count).toBe(0);
        destroyEntity(world, P);
        expect(Armor.count).toBe(0);
        expect(removed).toEqual([P]);
        Health.check();
        Armor.check();
      });
    }
  }

  it('bitecs membership: a bare addComponent on a prefab (no data) is not reported by check(); heirs start at zero', () => {
    const world = createWorld();
    const Health = definePoolComponent(world, { value: 'f32' });
    const P = addPrefab(world);
    addComponent(world, P, Health); // bitECS tells no hook: the prefab has no slot
    Health.check();
    const e = addEntity(world);
    addComponent(world, e, IsA(P));
    expect(read(Health, e)).toBe(0);
    Health.check();
  });
});

describe('relations and hierarchies over pool components', () => {
  it('a relation cascade (withAutoRemoveSubject) frees the pool slots of every removed subject', () => {
    for (const membership of ['bitecs', 'pool'] as ComponentMembership[]) {
      const world = createWorld();
      const ChildOf = createRelation(withAutoRemoveSubject);
      const Pos = definePoolComponent(world, { x: 'f32' }, { layout: 'slot', membership });
      const parent = addEntity(world);
      const kids = [addEntity(world), addEntity(world), addEntity(world)];
      for (const k of kids) {
        addComponent(world, k, ChildOf(parent));
        Pos.add(k);
      }
      const grandchild = addEntity(world);
      addComponent(world, grandchild, ChildOf(kids[0]));
      Pos.add(grandchild);
      destroyEntity(world, parent);
      expect(Pos.count).toBe(0);
      Pos.check();
    }
  });

  it('hierarchy queries order pool-component entities by depth', () => {
    const world = createWorld();
    const ChildOf = createRelation();
    const Pos = definePoolComponent(world, { x: 'f32' });
    const root = addEntity(world);
    const mid = addEntity(world);
    const leaf = addEntity(world);
    addComponent(world, leaf, ChildOf(mid));
    addComponent(world, mid, ChildOf(root));
    for (const e of [leaf, mid, root]) Pos.add(e);
    expect([...query(world, [Pos, Hierarchy(ChildOf)])]).toEqual([root, mid, leaf]);
    removeComponent(world, mid, Pos);
    expect(Pos.has(mid)).toBe(false);
    Pos.check();
  });
});
