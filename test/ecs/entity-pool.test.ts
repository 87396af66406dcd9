import { describe, expect, it } from 'vitest';
import { addEntity, addComponent, createWorld, entityExists, query, removeEntity } from 'bitecs';
import { OutOfMemoryError } from '../../src/errors.ts';
import { EntityPool, definePoolComponent, isEntityAlive } from '../../src/ecs/index.ts';
import { countGc } from '../support/gc.ts';
import { randomInts } from '../support/random.ts';

function scene(layout: 'entity' | 'slot') {
  const world = createWorld();
  const Position = definePoolComponent(
    world,
    { x: 'f32', y: 'f32' },
    { layout, membership: 'pool', capacity: 1024, maxCapacity: 1024 },
  );
  const Life = definePoolComponent(
    world,
    { frames: 'i32' },
    { layout, membership: 'pool', capacity: 1024, maxCapacity: 1024 },
  );
  const Bullet = {};
  const bullets = new EntityPool(world, {
    components: [Position, Life],
    tags: [Bullet],
    capacity: 512,
    maxCapacity: 512,
  });
  return { world, Position, Life, Bullet, bullets };
}

describe('EntityPool', () => {
  for (const layout of ['entity', 'slot'] as const) {
    it(`${layout}: spawn/despawn recycle entities; handles go stale; components follow (E3 on the pool path)`, () => {
      const { world, Position, Life, Bullet, bullets } = scene(layout);
      const a = bullets.spawn();
      Position.fields.x[Position.indexOf(a)] = 3;
      const h = bullets.handleOf(a);
      expect(bullets.entityOf(h)).toBe(a);
      expect(bullets.despawn(a)).toBe(true);
      expect(bullets.despawn(a)).toBe(false);
      expect(Position.has(a) || Life.has(a)).toBe(false);
      expect(bullets.entityOf(h)).toBe(-1);
      const b = bullets.spawn();
      expect(b).toBe(a); // the parked entity is reused...
      expect(bullets.entityOf(h)).toBe(-1); // ...but the old handle stays dead
      expect(Position.fields.x[Position.indexOf(b)]).toBe(0); // zeroed
      expect(entityExists(world, a)).toBe(true); // parked entities stay in the world (the trade)
      expect([...query(world, [Bullet])]).toEqual([a]);
      expect(bullets.createdCount).toBe(1);
      bullets.check();
      Position.check();
    });

    it(`${layout}: seeded random churn against a model, check() after every step`, () => {
      const { Position, bullets } = scene(layout);
      const live = new Set<number>();
      const rand = randomInts(99);
      for (let step = 0; step < 2000; step++) {
        if (live.size === 0 || (rand(2) === 0 && live.size < 512)) {
          const e = bullets.spawn();
          expect(live.has(e)).toBe(false);
          live.add(e);
          Position.fields.x[Position.indexOf(e)] = e;
        } else {
          const i = rand(bullets.size);
          const e = bullets.entityOfSlot[bullets.dense[i]];
          expect(live.delete(e)).toBe(true);
          bullets.despawn(e);
        }
        bullets.check();
        expect(bullets.size).toBe(live.size);
        expect(Position.count).toBe(live.size);
      }
      for (const e of live) expect(Position.fields.x[Position.indexOf(e)]).toBe(e);
    });
  }

  it('E7: full at maxCapacity throws OutOfMemoryError naming it and changes nothing', () => {
    const world = createWorld();
    const P = definePoolComponent(world, { x: 'f32' }, { membership: 'pool' });
    const pool = new EntityPool(world, { components: [P], capacity: 2, maxCapacity: 4 });
    for (let i = 0; i < 4; i++) pool.spawn();
    expect(() => pool.spawn()).toThrow(OutOfMemoryError);
    expect(() => pool.spawn()).toThrow(/maxCapacity/);
    expect(pool.size).toBe(4);
    expect(P.count).toBe(4);
    pool.check();
  });

  it('a full component rolls the spawn back', () => {
    const world = createWorld();
    const P = definePoolComponent(
      world,
      { x: 'f32' },
      { membership: 'pool', layout: 'slot', capacity: 2, maxCapacity: 2 },
    );
    const Q = definePoolComponent(
      world,
      { x: 'f32' },
      { membership: 'pool', layout: 'slot', capacity: 1, maxCapacity: 1 },
    );
    const pool = new EntityPool(world, { components: [P, Q] });
    pool.spawn();
    expect(() => pool.spawn()).toThrow(OutOfMemoryError);
    expect(pool.size).toBe(1);
    expect(P.count).toBe(1);
    pool.check();
  });

  it('rejects bitecs-membership components and foreign worlds', () => {
    const world = createWorld();
    const C = definePoolComponent(world, { x: 'f32' });
    expect(() => new EntityPool(world, { components: [C] })).toThrow(TypeError);
    const other = definePoolComponent(createWorld(), { x: 'f32' }, { membership: 'pool' });
    expect(() => new EntityPool(world, { components: [other] })).toThrow(TypeError);
    expect(() => new EntityPool(world, { capacity: 0 })).toThrow(RangeError);
  });

  it('dispose really removes the entities', () => {
    const { world, bullets } = scene('slot');
    const a = bullets.spawn();
    bullets.dispose();
    expect(isEntityAlive(world, a)).toBe(false);
    expect(bullets.createdCount).toBe(0);
  });
});

describe('garbage-free churn (GC count)', () => {
  it('bitECS addEntity/removeEntity churn allocates (the baseline the pool replaces)', async () => {
    const world = createWorld();
    const A = { v: new Int32Array(4096) };
    const ids = new Int32Array(500);
    const frame = () => {
      for (let i = 0; i < 500; i++) {
        const e = addEntity(world);
        addComponent(world, e, A);
        ids[i] = e;
      }
      for (let i = 0; i < 500; i++) removeEntity(world, ids[i]);
    };
    for (let i = 0; i < 100; i++) frame();
    const gc = await countGc(() => {
      for (let i = 0; i < 1000; i++) frame();
    });
    expect(gc.minor).toBeGreaterThan(5);
  });

  for (const layout of ['entity', 'slot'] as const) {
    it(`${layout}: 1,000 frames of 500 spawns and despawns through an EntityPool: zero GCs`, async () => {
      const { Position, Life, bullets } = scene(layout);
      const frame = () => {
        for (let i = 0; i < 500; i++) {
          const e = bullets.spawn();
          Position.fields.x[Position.indexOf(e)] = i;
          Life.fields.frames[Life.indexOf(e)] = 1;
        }
        for (let i = Life.count - 1; i >= 0; i--) {
          const at = Life.indices[i];
          Life.fields.frames[at] -= 1;
          if (Life.fields.frames[at] <= 0) bullets.despawn(Life.entities[i]);
        }
      };
      for (let i = 0; i < 300; i++) frame(); // warm-up: creates the entities, lets V8 optimize
      const gc = await countGc(() => {
        for (let i = 0; i < 1000; i++) frame();
      });
      expect(gc.count).toBe(0);
      expect(bullets.size).toBe(0);
      bullets.check();
    });
  }

  it('pool-membership add/remove of a component on 1,000 entities: zero GCs', async () => {
    const world = createWorld();
    const B = definePoolComponent(
      world,
      { v: 'i32' },
      { layout: 'slot', membership: 'pool', capacity: 1024, maxCapacity: 1024 },
    );
    const ids = new Int32Array(1000);
    for (let i = 0; i < 1000; i++) ids[i] = addEntity(world);
    const frame = () => {
      for (let i = 0; i < 1000; i++) B.add(ids[i]);
      for (let i = 0; i < 1000; i++) B.remove(ids[i]);
    };
    for (let i = 0; i < 300; i++) frame();
    const gc = await countGc(() => {
      for (let i = 0; i < 1000; i++) frame();
    });
    expect(gc.count).toBe(0);
    B.check();
    void removeEntity;
  });
});

describe('EntityPool and bare bitECS removeEntity', () => {
  for (const layout of ['entity', 'slot'] as const) {
    it(`${layout}: removing a live or parked pooled entity behind the pool's back unbinds its slot`, () => {
      const { world, Position, Life, bullets } = scene(layout);
      const a = bullets.spawn();
      const b = bullets.spawn();
      const ha = bullets.handleOf(a);
      Position.fields.x[Position.indexOf(b)] = 7;
      removeEntity(world, a); // live
      expect(bullets.isLive(a)).toBe(false);
      expect(bullets.entityOf(ha)).toBe(-1);
      expect(Position.has(a) || Life.has(a)).toBe(false);
      expect(bullets.size).toBe(1);
      expect(bullets.createdCount).toBe(1);
      bullets.check();
      Position.check();
      bullets.despawn(b);
      removeEntity(world, b); // parked
      expect(bullets.createdCount).toBe(0);
      bullets.check();
      const c = bullets.spawn();
      const d = bullets.spawn();
      expect(isEntityAlive(world, c) && isEntityAlive(world, d)).toBe(true);
      expect(Position.fields.x[Position.indexOf(c)]).toBe(0);
      expect(Position.fields.x[Position.indexOf(d)]).toBe(0);
      expect(bullets.size).toBe(2);
      expect(bullets.createdCount).toBe(2);
      bullets.check();
      Position.check();
      Life.check();
    });
  }
});
