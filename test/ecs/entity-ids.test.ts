import { describe, expect, it } from 'vitest';
import {
  addEntity,
  createEntityIndex,
  createWorld,
  entityExists,
  getId,
  getVersion,
  query,
  removeEntity,
  withVersioning,
} from 'bitecs';
import { OutOfMemoryError } from '../../src/errors.ts';
import { randomInts } from '../support/random.ts';
import {
  createEntity,
  definePoolComponent,
  destroyEntity,
  entityIndexOf,
  isEntityAlive,
  rawIndexOf,
} from '../../src/ecs/index.ts';

const versionedWorld = (bits?: number) => createWorld(createEntityIndex(withVersioning(bits)));

describe('versioned bitECS ids (case E8)', () => {
  it('documents the bitECS 0.4.0 fault: a recycled id moved by another removal reads dead', () => {
    // If this starts failing, bitECS fixed its index; the bridge's repair stays harmless.
    const world = versionedWorld();
    const e1 = addEntity(world);
    const e2 = addEntity(world);
    addEntity(world);
    removeEntity(world, e1);
    const r = addEntity(world);
    expect(getId(entityIndexOf(world) as never, r)).toBe(e1);
    removeEntity(world, e2);
    expect(entityExists(world, r)).toBe(false); // wrong: r was never removed
  });

  for (const layout of ['entity', 'slot'] as const) {
    it(`${layout} layout: r keeps its data; removing r frees its slot and drops it from queries`, () => {
      const world = versionedWorld();
      const Position = definePoolComponent(world, { x: 'f32', y: 'f32' }, { layout });
      const e1 = createEntity(world);
      const e2 = createEntity(world);
      const e3 = createEntity(world);
      Position.add(e3);
      Position.check();
      expect(destroyEntity(world, e1)).toBe(true);
      const r = createEntity(world);
      const index = entityIndexOf(world);
      expect(rawIndexOf(index, r)).toBe(e1); // same raw index...
      expect(r).not.toBe(e1); // ...new version
      expect(getVersion(index as never, r)).toBe(1);
      expect(isEntityAlive(world, e1)).toBe(false);
      const at = Position.add(r);
      Position.fields.x[at] = 7.5;
      Position.fields.y[at] = -2;
      expect(Position.has(e1)).toBe(false); // stale id: same raw index, old version
      expect(Position.indexOf(e1)).toBe(-1);
      expect(destroyEntity(world, e2)).toBe(true);
      Position.check();
      // r is still alive, with its data, in bitECS too (the repair keeps entityExists right).
      expect(isEntityAlive(world, r)).toBe(true);
      expect(entityExists(world, r)).toBe(true);
      expect(Position.has(r)).toBe(true);
      expect(Position.fields.x[Position.indexOf(r)]).toBe(7.5);
      expect(Position.fields.y[Position.indexOf(r)]).toBe(-2);
      expect([...query(world, [Position])].sort()).toEqual([e3, r].sort());
      // Removing r frees its slot and drops it from queries.
      const before = Position.count;
      expect(destroyEntity(world, r)).toBe(true);
      expect(Position.count).toBe(before - 1);
      expect(Position.has(r)).toBe(false);
      expect([...query(world, [Position])]).toEqual([e3]);
      if (layout === 'slot') expect(Position.pool!.size).toBe(1);
      Position.check();
      expect(destroyEntity(world, r)).toBe(false); // already gone
    });
  }

  it('keeps raw and versioned keys in agreement over a seeded random churn', () => {
    const world = versionedWorld();
    const C = definePoolComponent(world, { v: 'i32' }, { layout: 'slot' });
    const live: number[] = [];
    const dead: number[] = [];
    const rand = randomInts(12345);
    for (let step = 0; step < 3000; step++) {
      if (live.length === 0 || rand(3) !== 0) {
        const e = createEntity(world);
        C.fields.v[C.add(e)] = e;
        live.push(e);
      } else {
        const i = rand(live.length);
        const e = live[i];
        live[i] = live[live.length - 1];
        live.pop();
        expect(destroyEntity(world, e)).toBe(true);
        dead.push(e);
      }
      if (step % 50 === 0) {
        C.check();
        for (const e of live) {
          expect(isEntityAlive(world, e)).toBe(true);
          expect(entityExists(world, e)).toBe(true);
          expect(C.fields.v[C.indexOf(e)]).toBe(e);
        }
        for (const e of dead.slice(-50)) if (!live.includes(e)) expect(isEntityAlive(world, e)).toBe(false);
      }
    }
    expect(C.count).toBe(live.length);
    C.check();
  });

  it('refuses an entity whose raw index would spill into the version bits (E7 for ids)', () => {
    const world = versionedWorld(16); // 16 entity bits: raw indices 1..65535
    const limit = entityIndexOf(world).entityMask;
    for (let i = 0; i < limit; i++) createEntity(world);
    expect(() => createEntity(world)).toThrow(OutOfMemoryError);
    expect(() => createEntity(world)).toThrow(/versionBits/);
    // Recycling still works at the limit.
    destroyEntity(world, 5);
    const r = createEntity(world);
    expect(rawIndexOf(entityIndexOf(world), r)).toBe(5);
  });

  it('rejects a non-world and a non-integer id', () => {
    expect(() => createEntity({} as never)).toThrow(TypeError);
    const world = versionedWorld();
    expect(() => destroyEntity(world, 1.5)).toThrow(RangeError);
    expect(() => destroyEntity(world, '1' as never)).toThrow(TypeError);
    expect(isEntityAlive(world, 'x' as never)).toBe(false);
  });
});
