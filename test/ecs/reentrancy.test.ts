/**
 * Faults a hostile caller finds in the bridge, each as a kind: callbacks that re-enter, the two
 * forms of an id, operations that throw half-way, and handles that must never come back.
 */
import {
  addComponent,
  addEntity,
  createEntityIndex,
  createRelation,
  createWorld,
  entityExists,
  observe,
  onAdd,
  onRemove,
  query,
  removeEntity,
  withAutoRemoveSubject,
  withVersioning,
  type World,
} from 'bitecs';
import { describe, expect, it } from 'vitest';
import { OutOfMemoryError } from '../../src/errors.ts';
import {
  EntityPool,
  createEntity,
  definePoolComponent,
  destroyEntity,
  entityIndexOf,
  isEntityAlive,
  rawIndexOf,
  type ComponentLayout,
  type ComponentMembership,
} from '../../src/ecs/index.ts';

const versionedWorld = (bits?: number) => createWorld(createEntityIndex(withVersioning(bits)));
const LAYOUTS: ComponentLayout[] = ['entity', 'slot'];
const MEMBERSHIPS: ComponentMembership[] = ['bitecs', 'pool'];

/** Every live id of the world's index reads alive through the bridge, and only those. */
function expectIndexConsistent(world: World): void {
  const index = entityIndexOf(world);
  for (let i = 0; i < index.dense.length; i++) {
    const id = index.dense[i];
    expect(isEntityAlive(world, id), `id ${id} at ${i} (alive ${index.aliveCount})`).toBe(i < index.aliveCount);
  }
}

/** An id of `world` whose version sets bit 31 (int32 form negative), and its uint32 form. */
function highVersionId(world: World): { id: number; u: number } {
  let e = createEntity(world);
  while (e >= 0) {
    destroyEntity(world, e);
    e = createEntity(world); // same raw index, next version: version 128 sets bit 31
  }
  return { id: e, u: e >>> 0 };
}

describe('re-entrant bitECS observers during destroyEntity / createEntity (versioned world)', () => {
  for (const how of ['bitECS addEntity', 'createEntity'] as const) {
    it(`a removal observer that creates an entity (${how}) leaves it alive and removable`, () => {
      const world = versionedWorld();
      const Tag = {};
      const made: number[] = [];
      observe(world, onRemove(Tag), () => {
        made.push(how === 'createEntity' ? createEntity(world) : addEntity(world));
      });
      // Recycled ids with versions, so raw and versioned keys differ.
      const warm = [createEntity(world), createEntity(world), createEntity(world)];
      for (const e of warm) destroyEntity(world, e);
      const a = createEntity(world);
      const b = createEntity(world);
      addComponent(world, a, Tag);
      expect(destroyEntity(world, a)).toBe(true);
      expect(made).toHaveLength(1);
      const c = made[0];
      expect(isEntityAlive(world, c)).toBe(true);
      expect(isEntityAlive(world, b)).toBe(true);
      expect(isEntityAlive(world, a)).toBe(false);
      expectIndexConsistent(world);
      expect(destroyEntity(world, c)).toBe(true);
      expect(isEntityAlive(world, c)).toBe(false);
      expect(entityExists(world, c)).toBe(false);
      expectIndexConsistent(world);
    });
  }

  it('a relation cascade (withAutoRemoveSubject) removing several entities in one call keeps every id right', () => {
    const world = versionedWorld();
    const ChildOf = createRelation(withAutoRemoveSubject);
    const warm = [createEntity(world), createEntity(world), createEntity(world), createEntity(world)];
    for (const e of warm) destroyEntity(world, e);
    const parent = createEntity(world);
    const kids = [createEntity(world), createEntity(world)];
    const other = createEntity(world);
    for (const k of kids) addComponent(world, k, ChildOf(parent));
    destroyEntity(world, parent);
    for (const k of kids) expect(isEntityAlive(world, k)).toBe(false);
    expect(isEntityAlive(world, other)).toBe(true);
    expectIndexConsistent(world);
    expect(destroyEntity(world, other)).toBe(true);
    expectIndexConsistent(world);
  });
});

describe('PoolComponent onRemove callbacks that re-enter', () => {
  for (const layout of LAYOUTS) {
    for (const membership of MEMBERSHIPS) {
      it(`${layout}/${membership}: remove(eid) inside its own onRemove is a no-op; add(eid) throws; other entities work`, () => {
        const world = createWorld();
        const seen: unknown[] = [];
        let other = 0;
        const C = definePoolComponent(
          world,
          { v: 'f32' },
          {
            layout,
            membership,
            onRemove: (eid) => {
              if (eid === other) {
                seen.push('callback of b');
                return;
              }
              seen.push(C.remove(eid));
              try {
                C.add(eid);
              } catch (e) {
                seen.push((e as Error).message);
              }
              seen.push(C.remove(other));
            },
          },
        );
        const a = addEntity(world);
        const b = addEntity(world);
        C.add(a);
        C.add(b);
        other = b;
        expect(C.remove(a)).toBe(true);
        expect(seen[0]).toBe(false);
        expect(seen[1]).toMatch(/losing this component/);
        expect(seen[2]).toBe('callback of b'); // b removed from inside a's callback: its own callback ran
        expect(seen[3]).toBe(true);
        expect(C.count).toBe(0);
        expect(C.stats()).toMatchObject({ adds: 2, removes: 2 });
        C.check();
      });
    }
  }

  it("bitecs membership: destroyEntity(eid) inside its own onRemove throws and changes nothing; 'pool' membership: it works", () => {
    for (const membership of MEMBERSHIPS) {
      const world = createWorld();
      let error: unknown = null;
      const C = definePoolComponent(
        world,
        { v: 'f32' },
        {
          membership,
          onRemove: (eid) => {
            try {
              destroyEntity(world, eid);
            } catch (e) {
              error = e;
            }
          },
        },
      );
      const a = addEntity(world);
      C.add(a);
      C.remove(a);
      expect(C.count).toBe(0);
      if (membership === 'bitecs') {
        expect(error).toBeInstanceOf(Error);
        expect(isEntityAlive(world, a)).toBe(true);
      } else {
        expect(error).toBe(null);
        expect(isEntityAlive(world, a)).toBe(false);
      }
      C.check();
    }
  });

  for (const trigger of ['despawn', 'component remove', 'destroyEntity', 'bare removeEntity', 'clear'] as const) {
    it(`an onRemove that despawns its own entity (triggered by ${trigger}) neither recurses nor breaks counts`, () => {
      const world = createWorld();
      let pool: EntityPool;
      let calls = 0;
      const Health = definePoolComponent(
        world,
        { hp: 'f32' },
        {
          membership: 'pool',
          onRemove: (eid) => {
            calls++;
            pool.despawn(eid);
          },
        },
      );
      const Pos = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
      pool = new EntityPool(world, { components: [Health, Pos], capacity: 4 });
      const e = pool.spawn();
      const f = pool.spawn();
      if (trigger === 'despawn') expect(pool.despawn(e)).toBe(true);
      else if (trigger === 'component remove') Health.remove(e);
      else if (trigger === 'destroyEntity') destroyEntity(world, e);
      else if (trigger === 'bare removeEntity') removeEntity(world, e);
      else pool.clear();
      expect(calls).toBe(trigger === 'clear' ? 2 : 1);
      expect(pool.isLive(e)).toBe(false);
      expect(pool.isLive(f)).toBe(trigger !== 'clear');
      expect(pool.size).toBe(trigger === 'clear' ? 0 : 1);
      expect(Health.count).toBe(pool.size);
      expect(Pos.count).toBe(pool.size);
      expect(pool.createdCount).toBeGreaterThanOrEqual(pool.size);
      pool.check();
      Health.check();
      Pos.check();
      const g = pool.spawn(); // still usable
      expect(pool.isLive(g)).toBe(true);
      pool.check();
    });
  }
});

describe('EntityPool: observers that re-enter spawn', () => {
  it('a tag observer that despawns the entity being spawned: the spawn throws and is undone', () => {
    const world = createWorld();
    const Bullet = {};
    let pool: EntityPool;
    let nested: unknown = null;
    observe(world, onAdd(Bullet), (eid) => {
      try {
        pool.despawn(eid);
      } catch (e) {
        nested = e;
        throw e;
      }
    });
    const P = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
    pool = new EntityPool(world, { components: [P], tags: [Bullet] });
    expect(() => pool.spawn()).toThrow(/being spawned/);
    expect(nested).toBeInstanceOf(Error);
    expect(pool.size).toBe(0);
    expect(pool.createdCount).toBe(0);
    expect(P.count).toBe(0);
    expect(query(world, [Bullet])).toHaveLength(0); // the entity it created is gone again
    pool.check();
  });

  it('a tag observer that spawns and despawns other entities during a spawn: both work', () => {
    const world = createWorld();
    const Bullet = {};
    let pool: EntityPool;
    let depth = 0;
    observe(world, onAdd(Bullet), () => {
      if (depth++ < 2) pool.despawn(pool.spawn());
    });
    const P = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
    pool = new EntityPool(world, { components: [P], tags: [Bullet], capacity: 2 });
    const e = pool.spawn();
    expect(pool.isLive(e)).toBe(true);
    expect(pool.size).toBe(1);
    pool.check();
    P.check();
  });

  it('resetAfterWorldReset or dispose from a callback inside spawn/despawn throws and changes nothing', () => {
    const world = createWorld();
    let pool: EntityPool;
    let nested: unknown = null;
    const P = definePoolComponent(
      world,
      { x: 'f32' },
      {
        membership: 'pool',
        onRemove: () => {
          try {
            pool.dispose();
          } catch (e) {
            nested = e;
          }
        },
      },
    );
    pool = new EntityPool(world, { components: [P] });
    const e = pool.spawn();
    pool.despawn(e);
    expect(nested).toBeInstanceOf(Error);
    expect(pool.createdCount).toBe(1);
    pool.check();
  });
});

describe('half-done operations are undone', () => {
  it('EntityPool.spawn on a full component leaves no tagged entity, no slot, no counts', () => {
    for (const layout of LAYOUTS) {
      const world = createWorld();
      const Bullet = {};
      const max = layout === 'entity' ? 3 : 2; // entity layout: raw indices 1 and 2 fit
      const P = definePoolComponent(
        world,
        { x: 'f32' },
        { membership: 'pool', layout, capacity: max, maxCapacity: max },
      );
      const pool = new EntityPool(world, { components: [P], tags: [Bullet] });
      pool.spawn();
      pool.spawn();
      const before = query(world, [Bullet]).length;
      expect(() => pool.spawn()).toThrow(OutOfMemoryError);
      expect(query(world, [Bullet])).toHaveLength(before);
      expect(pool.size).toBe(2);
      expect(pool.createdCount).toBe(2);
      expect(pool.slots.stats().failedAllocCount).toBe(0);
      pool.check();
    }
  });

  it('a spawn whose component observer throws is rolled back, and a parked entity is parked again', () => {
    const world = createWorld();
    const P = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
    const pool = new EntityPool(world, { components: [P] });
    const e = pool.spawn();
    pool.despawn(e);
    let armed = true;
    observe(world, onAdd(P.anchor), () => {
      if (armed) throw new Error('observer failed');
    });
    const Q = definePoolComponent(world, { y: 'f32' }, { membership: 'pool' });
    const pool2 = new EntityPool(world, { components: [Q, P] });
    expect(() => pool2.spawn()).toThrow('observer failed');
    expect(pool2.size).toBe(0);
    expect(pool2.createdCount).toBe(0);
    expect(Q.count).toBe(0);
    armed = false;
    const f = pool2.spawn();
    expect(P.has(f) && Q.has(f)).toBe(true);
    pool.check();
    pool2.check();
  });
});

describe('id forms: the uint32 form (eid >>> 0) is accepted by every entry point that takes an id', () => {
  it('isEntityAlive, destroyEntity, rawIndexOf', () => {
    const world = versionedWorld();
    const { id, u } = highVersionId(world);
    expect(u).toBeGreaterThan(2 ** 31 - 1);
    expect(isEntityAlive(world, u)).toBe(true);
    expect(rawIndexOf(entityIndexOf(world), u)).toBe(rawIndexOf(entityIndexOf(world), id));
    expect(destroyEntity(world, u)).toBe(true);
    expect(isEntityAlive(world, id)).toBe(false);
    expect(isEntityAlive(world, u)).toBe(false);
    expect(destroyEntity(world, u)).toBe(false);
  });

  it('EntityPool: handleOf, isLive, despawn', () => {
    const world = versionedWorld();
    const P = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
    const pool = new EntityPool(world, { components: [P] });
    // Make the pool's next created entity carry a high version.
    const { id } = highVersionId(world);
    destroyEntity(world, id);
    const e = pool.spawn();
    const u = e >>> 0;
    expect(e).toBeLessThan(0);
    expect(pool.handleOf(u)).toBe(pool.handleOf(e));
    expect(pool.isLive(u)).toBe(true);
    expect(P.has(u)).toBe(true);
    expect(pool.despawn(u)).toBe(true);
    expect(pool.isLive(e)).toBe(false);
    pool.check();
  });

  for (const layout of LAYOUTS) {
    for (const membership of MEMBERSHIPS) {
      it(`${layout}/${membership} PoolComponent: add, has, indexOf, remove`, () => {
        const world = versionedWorld();
        const C = definePoolComponent(world, { v: 'f32' }, { layout, membership });
        const { id, u } = highVersionId(world);
        expect(C.add(u)).toBe(C.indexOf(id));
        expect(C.has(u) && C.has(id)).toBe(true);
        expect(C.remove(u)).toBe(true);
        expect(C.has(id)).toBe(false);
        C.check();
      });
    }
  }
});

describe('EntityPool handles never come back', () => {
  it('one entity respawned 5,000 times: every handle is new, none of the old ones is live again', () => {
    const world = createWorld();
    const P = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
    const pool = new EntityPool(world, { components: [P], capacity: 1 }); // 11 generation bits
    const seen = new Set<number>();
    const first = pool.handleOf(pool.spawn());
    pool.despawn(pool.entityOf(first));
    seen.add(first);
    for (let i = 0; i < 5000; i++) {
      const e = pool.spawn();
      const h = pool.handleOf(e);
      expect(seen.has(h)).toBe(false);
      seen.add(h);
      pool.despawn(e);
    }
    expect(pool.entityOf(first)).toBe(-1);
    expect(pool.slots.stats().retiredSlots).toBeGreaterThan(0);
    expect(pool.createdCount).toBe(1); // one parked entity was reused throughout
    pool.check();
  });
});
