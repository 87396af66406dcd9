import { describe, expect, it } from 'vitest';
import {
  addComponent,
  createEntityIndex,
  createWorld,
  observe,
  onRemove,
  query,
  removeComponent,
  removeEntity,
  resetWorld,
  withVersioning,
} from 'bitecs';
import { OutOfMemoryError } from '../../src/errors.ts';
import {
  EntityPool,
  clearWorld,
  createEntity,
  definePoolComponent,
  destroyEntity,
  isEntityAlive,
  rawIndexOf,
  entityIndexOf,
  type ComponentLayout,
  type ComponentMembership,
} from '../../src/ecs/index.ts';

import { mulberry32 } from '../support/random.ts';

const versionedWorld = (bits?: number) => createWorld(createEntityIndex(withVersioning(bits)));
const LAYOUTS: ComponentLayout[] = ['entity', 'slot'];
const MEMBERSHIPS: ComponentMembership[] = ['bitecs', 'pool'];

describe('E2: clearing the world kills every id and handle taken before it', () => {
  for (const layout of LAYOUTS) {
    for (const membership of MEMBERSHIPS) {
      it(`${layout}/${membership}: resetWorld + resetAfterWorldReset, then reuse: the old id is dead`, () => {
        const world = versionedWorld();
        const C = definePoolComponent(world, { v: 'f32' }, { layout, membership });
        const D = definePoolComponent(world, { w: 'i32' }, { layout, membership });
        const old: number[] = [];
        for (let i = 0; i < 5; i++) {
          const e = createEntity(world);
          C.fields.v[C.add(e)] = i + 1;
          D.add(e);
          old.push(e);
        }
        destroyEntity(world, old[1]); // one already dead before the clear
        resetWorld(world);
        C.resetAfterWorldReset();
        D.resetAfterWorldReset(); // idempotent carry-over
        const fresh: number[] = [];
        for (let i = 0; i < 8; i++) {
          const e = createEntity(world);
          C.add(e);
          D.add(e);
          fresh.push(e);
          C.check();
          D.check();
        }
        for (const e of old) {
          expect(isEntityAlive(world, e)).toBe(false);
          expect(C.has(e)).toBe(false);
          expect(D.has(e)).toBe(false);
          expect(fresh).not.toContain(e);
        }
        // Every old raw index was reused.
        for (const e of old) expect(fresh.map((f) => f & 0xffffff)).toContain(e & 0xffffff);
        expect(new Set(fresh).size).toBe(fresh.length);
        for (const e of fresh) expect(C.fields.v[C.indexOf(e)]).toBe(0);
      });
    }
  }

  it('clearWorld keeps the versioning configuration (12 version bits) and carries versions', () => {
    const world = versionedWorld(12);
    const mask = 2 ** 20 - 1;
    const a = createEntity(world);
    clearWorld(world);
    const index = entityIndexOf(world);
    expect(index.versioning).toBe(true);
    expect(index.entityMask).toBe(mask);
    const b = createEntity(world);
    expect(b & mask).toBe(a & mask);
    expect(b).not.toBe(a);
    expect(isEntityAlive(world, a)).toBe(false);
    expect(isEntityAlive(world, b)).toBe(true);
    // The old id stays dead through more clears (until the 2^12 version wrap).
    for (let i = 0; i < 20; i++) {
      clearWorld(world);
      const c = createEntity(world);
      expect(c & mask).toBe(a & mask);
      expect(isEntityAlive(world, a)).toBe(false);
      expect(isEntityAlive(world, b)).toBe(false);
    }
  });

  it('an unversioned world restarts ids as bitECS does (documented: nothing can tell them apart)', () => {
    const world = createWorld();
    const g = createEntity(world);
    clearWorld(world);
    const h = createEntity(world);
    expect(h).toBe(g);
  });

  for (const layout of LAYOUTS) {
    it(`${layout}: EntityPool handles taken before a clear are dead after it; spawn recovers`, () => {
      const world = versionedWorld();
      const P = definePoolComponent(world, { x: 'f32' }, { layout, membership: 'pool' });
      const pool = new EntityPool(world, { components: [P], capacity: 4, maxCapacity: 8 });
      const ids: number[] = [];
      const handles: number[] = [];
      for (let i = 0; i < 3; i++) {
        const e = pool.spawn();
        ids.push(e);
        handles.push(pool.handleOf(e));
      }
      pool.despawn(ids[2]); // a parked slot
      resetWorld(world);
      // No explicit reset: spawn notices the world was reset (and resets P, which follows the pool).
      const fresh: number[] = [];
      for (let i = 0; i < 4; i++) {
        const e = pool.spawn();
        fresh.push(e);
        expect(isEntityAlive(world, e)).toBe(true);
        expect(P.has(e)).toBe(true);
        pool.check();
        P.check();
      }
      for (let i = 0; i < 3; i++) {
        expect(pool.entityOf(handles[i])).toBe(-1);
        expect(pool.handleOf(ids[i])).toBe(-1);
        expect(pool.isLive(ids[i])).toBe(false);
        expect(isEntityAlive(world, ids[i])).toBe(false);
        expect(fresh).not.toContain(ids[i]);
      }
      expect(pool.size).toBe(4);
      // Explicit reset path, after clearWorld.
      clearWorld(world);
      pool.resetAfterWorldReset();
      expect(pool.size).toBe(0);
      pool.check();
      P.check();
      const e = pool.spawn();
      expect(fresh).not.toContain(e);
      pool.check();
      // Without a reset of the world, resetAfterWorldReset changes nothing.
      pool.resetAfterWorldReset();
      expect(pool.isLive(e)).toBe(true);
      expect(pool.size).toBe(1);
      pool.check();
    });
  }
});

describe('E2 seeded random run with world clears, against a model', () => {
  for (const layout of LAYOUTS) {
    for (const membership of MEMBERSHIPS) {
      it(`${layout}/${membership}: a dead id never comes back alive; check() after every step`, () => {
        const rand = mulberry32(0xe2 + layout.length * 7 + membership.length);
        const world = versionedWorld();
        const released: number[] = [];
        const C = definePoolComponent(
          world,
          { v: 'i32' },
          {
            layout,
            membership,
            capacity: 4,
            onRemove: (eid, index) => released.push(C.fields.v[index] - eid),
          },
        );
        const alive = new Map<number, boolean>(); // eid -> has C
        const dead = new Set<number>();
        for (let step = 0; step < 600; step++) {
          const r = rand();
          const ids = [...alive.keys()];
          const pick = ids.length ? ids[Math.floor(rand() * ids.length)] : -1;
          if (r < 0.35 || pick === -1) {
            const e = createEntity(world);
            expect(dead.has(e)).toBe(false);
            alive.set(e, false);
          } else if (r < 0.6) {
            if (!alive.get(pick)) C.fields.v[C.add(pick)] = pick;
            alive.set(pick, true);
          } else if (r < 0.75) {
            C.remove(pick);
            alive.set(pick, false);
          } else if (r < 0.97) {
            destroyEntity(world, pick);
            alive.delete(pick);
            dead.add(pick);
          } else {
            if (rand() < 0.5) clearWorld(world);
            else resetWorld(world);
            C.resetAfterWorldReset();
            for (const e of alive.keys()) dead.add(e);
            alive.clear();
          }
          C.check();
          expect(C.count).toBe([...alive.values()].filter(Boolean).length);
          for (const [e, has] of alive) expect(C.has(e)).toBe(has);
          for (const e of dead) {
            expect(isEntityAlive(world, e)).toBe(false);
            expect(C.has(e)).toBe(false);
          }
          // Every onRemove saw the entity's own data (v was set to the eid).
          for (const d of released) expect(d).toBe(0);
        }
        expect(dead.size).toBeGreaterThan(50);
      });
    }
  }
});

describe('options.onRemove reads the data before the slot is freed (every removal path)', () => {
  for (const layout of LAYOUTS) {
    for (const membership of MEMBERSHIPS) {
      it(`${layout}/${membership}`, () => {
        const world = versionedWorld();
        const released: number[] = [];
        const Sprite = definePoolComponent(
          world,
          { spriteId: 'i32' },
          {
            layout,
            membership,
            onRemove: (eid, index) => {
              expect(Sprite.indexOf(eid)).toBe(index);
              released.push(Sprite.fields.spriteId[index]);
            },
          },
        );
        const paths: ((e: number) => void)[] = [
          (e) => Sprite.remove(e),
          (e) => destroyEntity(world, e),
          (e) => removeEntity(world, e),
          () => Sprite.clear(),
        ];
        if (membership === 'bitecs') paths.push((e) => removeComponent(world, e, Sprite));
        let spriteId = 100;
        for (const path of paths) {
          const e = createEntity(world);
          Sprite.fields.spriteId[Sprite.add(e)] = ++spriteId;
          path(e);
          expect(released.at(-1)).toBe(spriteId);
          expect(Sprite.has(e)).toBe(false);
          Sprite.check();
        }
        const e = createEntity(world);
        Sprite.fields.spriteId[Sprite.add(e)] = ++spriteId;
        resetWorld(world);
        Sprite.resetAfterWorldReset();
        expect(released.at(-1)).toBe(spriteId);
        expect(released.length).toBe(paths.length + 1);
      });
    }
  }

  it('a throwing callback still frees the slot, and the error propagates', () => {
    const world = versionedWorld();
    const C = definePoolComponent(
      world,
      { v: 'f32' },
      {
        membership: 'pool',
        onRemove: () => {
          throw new Error('boom');
        },
      },
    );
    const e = createEntity(world);
    C.add(e);
    expect(() => C.remove(e)).toThrow('boom');
    expect(C.has(e)).toBe(false);
    C.check();
  });

  it('a bare observe(onRemove(C)) runs after the bridge (documented): indexOf is -1 there', () => {
    const world = versionedWorld();
    const C = definePoolComponent(world, { v: 'f32' });
    const seen: number[] = [];
    observe(world, onRemove(C), (eid: number) => seen.push(C.indexOf(eid)));
    const e = createEntity(world);
    C.add(e);
    C.remove(e);
    expect(seen).toEqual([-1]);
  });

  it('rejects a non-function onRemove with TypeError', () => {
    const world = createWorld();
    expect(() => definePoolComponent(world, { v: 'f32' }, { onRemove: 1 as never })).toThrow(TypeError);
    expect(() => definePoolComponent(world, { v: 'f32' }, { onRemove: null as never })).toThrow(TypeError);
  });
});

describe('wide entity-layout columns name the options to lower', () => {
  it('throws RangeError naming maxCapacity and the field before allocating', () => {
    const world = createWorld();
    const make = () => definePoolComponent(world, { m: ['f64', 64] });
    expect(make).toThrow(RangeError);
    expect(make).toThrow(/options\.maxCapacity.*"m"|"m".*options\.maxCapacity/);
    // At the limit it works (2^32 bytes of max length).
    const C = definePoolComponent(world, { m: ['f64', 64] }, { maxCapacity: 2 ** 32 / 512 });
    expect(C.capacity).toBe(1024);
    // The slot layout is not limited by this.
    expect(() =>
      definePoolComponent(world, { m: ['f64', 64] }, { layout: 'slot', maxCapacity: 2 ** 16 }),
    ).not.toThrow();
  });
});

describe('error policy at every entry point', () => {
  for (const layout of LAYOUTS) {
    for (const membership of MEMBERSHIPS) {
      it(`${layout}/${membership}: predicates never throw; mutators throw TypeError/RangeError`, () => {
        const world = versionedWorld();
        const C = definePoolComponent(world, { v: 'f32' }, { layout, membership });
        const e = createEntity(world);
        C.add(e);
        const odd: unknown[] = [
          1n,
          BigInt(e),
          '1',
          String(e),
          null,
          undefined,
          {},
          [e],
          Symbol('x'),
          true,
          NaN,
          1.5,
          Infinity,
          -1,
          2 ** 40,
        ];
        for (const v of odd) {
          expect(C.has(v as number)).toBe(false);
          expect(C.indexOf(v as number)).toBe(-1);
          expect(isEntityAlive(world, v as number)).toBe(false);
        }
        for (const v of [1n, '1', String(e), null, undefined, {}, [e], Symbol('x'), true]) {
          expect(() => C.remove(v as number)).toThrow(TypeError);
          expect(() => C.add(v as number)).toThrow(TypeError);
          expect(() => destroyEntity(world, v as number)).toThrow(TypeError);
          expect(() => rawIndexOf(entityIndexOf(world), v as number)).toThrow(TypeError);
        }
        for (const v of [NaN, 1.5, Infinity, 2 ** 40, -(2 ** 31) - 1]) {
          expect(() => C.remove(v)).toThrow(RangeError);
          expect(() => C.add(v)).toThrow(RangeError);
          expect(() => destroyEntity(world, v)).toThrow(RangeError);
          expect(() => rawIndexOf(entityIndexOf(world), v)).toThrow(RangeError);
        }
        expect(C.has(e)).toBe(true);
        expect(C.count).toBe(1);
        C.check();
        expect(C.remove(e + 1)).toBe(false);
      });
    }
  }

  it('EntityPool: handleOf/isLive never throw; despawn/entityOf throw TypeError/RangeError', () => {
    const world = createWorld();
    const pool = new EntityPool(world);
    const e = pool.spawn();
    for (const v of [1n, '1', null, undefined, {}, Symbol('x')]) {
      expect(pool.handleOf(v as number)).toBe(-1);
      expect(pool.isLive(v as number)).toBe(false);
      expect(() => pool.despawn(v as number)).toThrow(TypeError);
      expect(() => pool.entityOf(v as number)).toThrow(TypeError);
    }
    for (const v of [NaN, 1.5, 2 ** 40]) {
      expect(pool.isLive(v)).toBe(false);
      expect(() => pool.despawn(v)).toThrow(RangeError);
      expect(() => pool.entityOf(v)).toThrow(RangeError);
    }
    expect(pool.entityOf(-1)).toBe(-1);
    expect(pool.isLive(e)).toBe(true);
    pool.check();
  });
});

describe('EntityPool options are checked with TypeError naming them', () => {
  it('components and tags must be arrays of objects', () => {
    const world = createWorld();
    expect(() => new EntityPool(world, { components: 5 as never })).toThrow(/options\.components/);
    expect(() => new EntityPool(world, { components: [null] as never })).toThrow(TypeError);
    expect(() => new EntityPool(world, { tags: 'x' as never })).toThrow(/options\.tags/);
    expect(() => new EntityPool(world, { tags: [1] as never })).toThrow(TypeError);
    expect(() => new EntityPool(world, { tags: null as never })).toThrow(TypeError);
  });
});

describe('check() flags a bitECS mask without a slot', () => {
  it('a bare addComponent on a full component: query() lists the entity, check() throws', () => {
    const world = createWorld();
    const C = definePoolComponent(world, { v: 'f32' }, { layout: 'slot', capacity: 1, maxCapacity: 1 });
    const a = createEntity(world);
    const b = createEntity(world);
    C.add(a);
    C.check();
    expect(() => addComponent(world, b, C)).toThrow(OutOfMemoryError);
    expect(query(world, [C])).toContain(b);
    expect(() => C.check()).toThrow(/no slot/);
  });
});

describe('stats counters', () => {
  it('adds and removes are never reset (clear counts removals), so changeCount only grows', () => {
    const world = createWorld();
    const C = definePoolComponent(world, { v: 'f32' }, { membership: 'pool' });
    for (let i = 0; i < 3; i++) C.add(createEntity(world));
    const before = C.changeCount;
    C.clear();
    expect(C.stats()).toMatchObject({ count: 0, adds: 3, removes: 3 });
    expect(C.changeCount).toBeGreaterThan(before);
  });
});

describe('uint32-form ids (eid >>> 0 of a version >= 128 id) name the same entity everywhere', () => {
  for (const layout of LAYOUTS) {
    for (const membership of MEMBERSHIPS) {
      it(`${layout}/${membership}: add, has, indexOf and remove accept the uint32 form`, () => {
        const world = versionedWorld();
        const C = definePoolComponent(world, { v: 'f32' }, { layout, membership });
        let e = createEntity(world);
        while (e >= 0) {
          destroyEntity(world, e);
          e = createEntity(world); // same raw index, next version: version 128 sets bit 31
        }
        const u = e >>> 0;
        expect(u).toBeGreaterThan(2 ** 31 - 1);
        const at = C.add(e);
        C.fields.v[at] = 7;
        expect(C.has(u)).toBe(true);
        expect(C.indexOf(u)).toBe(at);
        expect(C.add(u)).toBe(at);
        C.check();
        expect(C.remove(u)).toBe(true);
        expect(C.has(e)).toBe(false);
        C.check();
        expect(C.add(u)).toBe(C.indexOf(e));
        expect(C.fields.v[C.indexOf(e)]).toBe(0);
        C.check();
        // Still rejected: past the uint32 range, and fractions.
        expect(() => C.remove(2 ** 32 + (e & 0xffffff))).toThrow(RangeError);
        expect(C.has(u + 0.5)).toBe(false);
      });
    }
  }
});
