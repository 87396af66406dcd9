import { describe, expect, it } from 'vitest';
import { createEntityIndex, createWorld, withVersioning } from 'bitecs';
import {
  EntityPool,
  createEntity,
  definePoolComponent,
  definePoolQuery,
  destroyEntity,
  type ComponentLayout,
  type ComponentMembership,
} from '../../src/ecs/index.ts';
import { countGc } from '../support/gc.ts';
import { randomInts } from '../support/random.ts';

const MIXES: [ComponentLayout, ComponentMembership][][] = [
  [
    ['entity', 'pool'],
    ['entity', 'pool'],
    ['entity', 'pool'],
  ],
  [
    ['slot', 'pool'],
    ['entity', 'bitecs'],
    ['slot', 'bitecs'],
  ],
];

describe('PoolQuery', () => {
  for (const mix of MIXES) {
    it(`matches a reference model over a seeded random run (${mix.map((m) => m.join('/')).join(', ')}), check() after every step`, () => {
      const world = createWorld(createEntityIndex(withVersioning()));
      const cs = mix.map(([layout, membership]) => definePoolComponent(world, { v: 'i32' }, { layout, membership }));
      const q = definePoolQuery(cs);
      const q01 = definePoolQuery([cs[0], cs[1]]);
      const model = new Map<number, Set<number>>(); // entity -> component numbers
      const rand = randomInts(7);
      let destroyed = 0;
      let removed = 0;
      for (let step = 0; step < 1500; step++) {
        const ids = [...model.keys()];
        const op = rand(10);
        if (ids.length < 5 || op < 3) {
          const e = createEntity(world);
          model.set(e, new Set());
        } else if (op < 4) {
          const e = ids[rand(ids.length)];
          destroyEntity(world, e);
          model.delete(e);
          destroyed++;
        } else {
          const e = ids[rand(ids.length)];
          const k = rand(3);
          if (op < 8) {
            cs[k].fields.v[cs[k].add(e)] = e;
            model.get(e)!.add(k);
          } else {
            cs[k].remove(e);
            model.get(e)!.delete(k);
            removed++;
          }
        }
        if (rand(3) === 0) continue; // sometimes several changes between updates
        for (const [query, members] of [
          [q, [0, 1, 2]],
          [q01, [0, 1]],
        ] as const) {
          const n = query.update();
          query.check();
          const expected = [...model].filter(([, ks]) => members.every((k) => ks.has(k))).map(([e]) => e);
          expect(n).toBe(expected.length);
          expect([...query.entities.subarray(0, n)].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
          for (let i = 0; i < n; i++) {
            for (let k = 0; k < members.length; k++) {
              const c = cs[members[k]];
              expect(c.fields.v[query.indices[k][i]]).toBe(query.entities[i]);
            }
          }
        }
      }
      expect(destroyed).toBeGreaterThan(20); // the destroy and remove paths really ran
      expect(removed).toBeGreaterThan(50);
    });
  }

  it('rebuilds only when a member changed', () => {
    const world = createWorld();
    const A = definePoolComponent(world, { v: 'i32' }, { membership: 'pool' });
    const B = definePoolComponent(world, { v: 'i32' }, { membership: 'pool', layout: 'slot' });
    const C = definePoolComponent(world, { v: 'i32' }, { membership: 'pool' });
    const q = definePoolQuery([A, B]);
    const e = createEntity(world);
    A.add(e);
    B.add(e);
    expect(q.update()).toBe(1);
    const built = q.rebuildCount;
    expect(q.update()).toBe(1);
    C.add(e); // not a member
    expect(q.update()).toBe(1);
    expect(q.rebuildCount).toBe(built);
    B.remove(e);
    expect(q.update()).toBe(0);
    expect(q.rebuildCount).toBe(built + 1);
    q.check();
  });

  it("'entity'-layout members share one raw-index array; 'slot' members get their own", () => {
    const world = createWorld();
    const A = definePoolComponent(world, { v: 'i32' }, { membership: 'pool' });
    const B = definePoolComponent(world, { v: 'i32' }, { membership: 'pool', layout: 'slot' });
    const C = definePoolComponent(world, { v: 'f32' }, { membership: 'pool' });
    const q = definePoolQuery([A, B, C]);
    for (let i = 0; i < 100; i++) {
      const e = createEntity(world);
      A.add(e);
      B.add(e);
      C.add(e);
    }
    expect(q.update()).toBe(100); // grown past the initial arrays
    expect(q.indices[0]).toBe(q.indices[2]);
    expect(q.indices[1]).not.toBe(q.indices[0]);
    for (let i = 0; i < 100; i++) expect(q.indices[0][i]).toBe(A.indexOf(q.entities[i]));
    q.check();
  });

  it('E4: removal during a pass visits every entity that matched at update() exactly once (snapshot)', () => {
    for (const layout of ['entity', 'slot'] as const) {
      const world = createWorld();
      const Health = definePoolComponent(world, { hp: 'f32' }, { layout, membership: 'pool' });
      const Pos = definePoolComponent(world, { x: 'f32' }, { layout });
      const ids = [1, 100, 100].map((hp) => {
        const e = createEntity(world);
        Health.fields.hp[Health.add(e)] = hp;
        Pos.add(e);
        return e;
      });
      const q = definePoolQuery([Health, Pos]);
      const visits = new Map<number, number>();
      // Forward on purpose: the snapshot does not depend on the direction.
      for (let i = 0, n = q.update(); i < n; i++) {
        const e = q.entities[i];
        visits.set(e, (visits.get(e) ?? 0) + 1);
        const at = q.indices[0][i];
        Health.fields.hp[at] -= 1;
        if (Health.fields.hp[at] <= 0) destroyEntity(world, e);
      }
      expect([...visits.keys()].sort()).toEqual([...ids].sort());
      expect([...visits.values()]).toEqual([1, 1, 1]);
      expect(q.update()).toBe(2);
      q.check();
    }
  });

  it('a stale versioned id never matches (E8 on the join path)', () => {
    const world = createWorld(createEntityIndex(withVersioning()));
    const A = definePoolComponent(world, { v: 'i32' }, { membership: 'pool' });
    const B = definePoolComponent(world, { v: 'i32' }, { membership: 'pool', layout: 'slot' });
    const q = definePoolQuery([A, B]);
    const e1 = createEntity(world);
    A.add(e1);
    B.add(e1);
    destroyEntity(world, e1);
    const r = createEntity(world); // recycles e1's raw index with a new version
    A.add(r);
    expect(q.update()).toBe(0);
    B.fields.v[B.add(r)] = 5;
    expect(q.update()).toBe(1);
    expect(q.entities[0]).toBe(r);
    expect(B.fields.v[q.indices[1][0]]).toBe(5);
    q.check();
  });

  it('rejects what is not a non-empty list of distinct components of one world', () => {
    const world = createWorld();
    const A = definePoolComponent(world, { v: 'i32' }, { membership: 'pool' });
    const other = definePoolComponent(createWorld(), { v: 'i32' }, { membership: 'pool' });
    expect(() => definePoolQuery([])).toThrow(TypeError);
    expect(() => definePoolQuery('A' as never)).toThrow(TypeError);
    expect(() => definePoolQuery([A, {} as never])).toThrow(TypeError);
    expect(() => definePoolQuery([A, other])).toThrow(/another world/);
    expect(() => definePoolQuery([A, A])).toThrow(/twice/);
  });

  it('1,000 frames of a joined system with entity churn each frame: zero GCs', async () => {
    const world = createWorld();
    const Pos = definePoolComponent(world, { x: 'f32' }, { membership: 'pool', capacity: 1024, maxCapacity: 1024 });
    const Vel = definePoolComponent(
      world,
      { x: 'f32' },
      { membership: 'pool', layout: 'slot', capacity: 1024, maxCapacity: 1024 },
    );
    const pool = new EntityPool(world, { components: [Pos, Vel], capacity: 512, maxCapacity: 512 });
    const q = definePoolQuery([Pos, Vel]);
    for (let i = 0; i < 400; i++) Vel.fields.x[Vel.indexOf(pool.spawn())] = 1;
    let sum = 0;
    const frame = () => {
      for (let i = 0; i < 50; i++) pool.despawn(pool.entityOfSlot[pool.dense[pool.size - 1]]);
      for (let i = 0; i < 50; i++) Vel.fields.x[Vel.indexOf(pool.spawn())] = 1;
      const n = q.update();
      const pi = q.indices[0];
      const vi = q.indices[1];
      for (let i = 0; i < n; i++) sum += Pos.fields.x[pi[i]] += Vel.fields.x[vi[i]];
    };
    for (let i = 0; i < 300; i++) frame();
    const gc = await countGc(() => {
      for (let i = 0; i < 1000; i++) frame();
    });
    expect(gc.count).toBe(0);
    expect(q.count).toBe(400);
    expect(sum).toBeGreaterThan(0);
    q.check();
    pool.check();
  });
});
