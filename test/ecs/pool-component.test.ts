import { describe, expect, it } from 'vitest';
import {
  addComponent,
  addEntity,
  createEntityIndex,
  createWorld,
  hasComponent,
  query,
  removeComponent,
  removeEntity,
  resetWorld,
  withVersioning,
} from 'bitecs';
import { OutOfMemoryError } from '../../src/errors.ts';
import { randomInts } from '../support/random.ts';
import {
  createEntity,
  definePoolComponent,
  destroyEntity,
  isEntityAlive,
  type ComponentLayout,
  type ComponentMembership,
} from '../../src/ecs/index.ts';

const versionedWorld = () => createWorld(createEntityIndex(withVersioning()));
const LAYOUTS: ComponentLayout[] = ['entity', 'slot'];
const MEMBERSHIPS: ComponentMembership[] = ['bitecs', 'pool'];

for (const layout of LAYOUTS) {
  for (const membership of MEMBERSHIPS) {
    describe(`PoolComponent layout=${layout} membership=${membership}`, () => {
      it('E1: a stale entity never reads the new owner of its slot', () => {
        const world = versionedWorld();
        const Position = definePoolComponent(world, { x: 'f32' }, { layout, membership });
        const e = createEntity(world);
        Position.fields.x[Position.add(e)] = 1;
        destroyEntity(world, e);
        const f = createEntity(world);
        Position.fields.x[Position.add(f)] = 2;
        expect(isEntityAlive(world, e)).toBe(false);
        expect(Position.has(e)).toBe(false);
        expect(Position.indexOf(e)).toBe(-1);
        expect(() => Position.add(e)).toThrow(RangeError);
        expect(Position.fields.x[Position.indexOf(f)]).toBe(2);
        Position.check();
      });

      it('E2: every removal path frees the slot, and a handle taken before is dead', () => {
        const world = versionedWorld();
        const C = definePoolComponent(world, { v: 'i32' }, { layout, membership });
        const paths: ((e: number) => void)[] = [(e) => destroyEntity(world, e), (e) => C.remove(e), () => C.clear()];
        if (membership === 'bitecs') paths.push((e) => removeComponent(world, e, C));
        for (const path of paths) {
          const e = createEntity(world);
          C.fields.v[C.add(e)] = 11;
          path(e);
          expect(C.has(e)).toBe(false);
          expect(C.count).toBe(0);
          C.check();
          // Reuse: a new entity takes the slot; the old id stays absent.
          const f = createEntity(world);
          C.add(f);
          expect(C.fields.v[C.indexOf(f)]).toBe(0);
          if (isEntityAlive(world, e)) destroyEntity(world, e);
          expect(C.has(e)).toBe(false);
          destroyEntity(world, f);
          C.check();
        }
        // Clearing the world: bitECS resetWorld drops hooks and masks; the component forgets all.
        const g = createEntity(world);
        C.add(g);
        resetWorld(world);
        C.resetAfterWorldReset();
        expect(C.count).toBe(0);
        expect(C.has(g)).toBe(false);
        const h = addEntity(world);
        C.add(h);
        expect(C.has(h)).toBe(true);
        // The slot of g is reused by h, yet the id taken before the clear stays dead (E2).
        expect(h & 0xffffff).toBe(g & 0xffffff);
        expect(h).not.toBe(g);
        expect(isEntityAlive(world, g)).toBe(false);
        expect(C.has(g)).toBe(false);
        C.check();
        destroyEntity(world, h);
        expect(C.count).toBe(0);
      });

      it('E3: a stored entity id reports dead once its slot is reused', () => {
        const world = versionedWorld();
        const Target = definePoolComponent(world, { eid: 'i32' }, { layout, membership });
        const Health = definePoolComponent(world, { hp: 'f32' }, { layout, membership });
        const a = createEntity(world);
        const b = createEntity(world);
        Health.add(b);
        Target.fields.eid[Target.add(a)] = b;
        destroyEntity(world, b);
        let c = -1;
        for (let i = 0; i < 10 && c === -1; i++) {
          const n = createEntity(world);
          Health.add(n);
          if ((n & 0xffffff) === (b & 0xffffff)) c = n;
        }
        expect(c).not.toBe(-1);
        const followed = Target.fields.eid[Target.indexOf(a)];
        expect(isEntityAlive(world, followed)).toBe(false);
        expect(Health.has(followed)).toBe(false);
        expect(Health.has(c)).toBe(true);
      });

      it('E4: removal during backward iteration visits each entity exactly once', () => {
        const world = createWorld();
        const Health = definePoolComponent(world, { hp: 'f32' }, { layout, membership });
        const ids = [1, 100, 100].map((hp) => {
          const e = createEntity(world);
          Health.fields.hp[Health.add(e)] = hp;
          return e;
        });
        const visits = new Map<number, number>();
        for (let i = Health.count - 1; i >= 0; i--) {
          const e = Health.entities[i];
          visits.set(e, (visits.get(e) ?? 0) + 1);
          const at = Health.indices[i];
          Health.fields.hp[at] -= 1;
          if (Health.fields.hp[at] <= 0) destroyEntity(world, e);
        }
        expect([...visits.keys()].sort()).toEqual([...ids].sort());
        expect([...visits.values()]).toEqual([1, 1, 1]);
        expect(Health.count).toBe(2);
        Health.check();
      });

      it('E5: growth keeps ids unique and values bit for bit', () => {
        const world = createWorld();
        const C = definePoolComponent(world, { x: 'f64', tag: ['u32', 2] }, { layout, membership, capacity: 1024 });
        const xs = C.fields.x; // held across growth: must stay valid
        const seen = new Set<number>();
        const eids: number[] = [];
        for (let i = 0; i < 100_000; i++) {
          const e = createEntity(world);
          if (seen.has(e)) throw new Error(`entity id ${e} issued twice while alive`);
          seen.add(e);
          eids.push(e);
          const at = C.add(e);
          xs[at] = i + 0.1;
          C.fields.tag[at * 2] = i;
          C.fields.tag[at * 2 + 1] = 0xffffffff - i;
        }
        expect(C.capacity).toBeGreaterThanOrEqual(100_000);
        for (let i = 0; i < eids.length; i++) {
          const at = C.indexOf(eids[i]);
          if (xs[at] !== i + 0.1 || C.fields.tag[at * 2] !== i || C.fields.tag[at * 2 + 1] !== 0xffffffff - i) {
            throw new Error(`value of entity ${eids[i]} changed`);
          }
        }
        expect(new Set(Array.from(C.indices.subarray(0, C.count))).size).toBe(100_000);
        C.check();
      });

      it('E6: every per-entity array grows together', () => {
        const world = createWorld();
        const A = definePoolComponent(world, { a: 'f32' }, { layout, membership, capacity: 16 });
        const B = definePoolComponent(world, { b: ['i16', 3] }, { layout, membership, capacity: 16 });
        for (let i = 0; i < 10; i++) A.add(createEntity(world));
        A.reserve(64);
        B.reserve(64);
        expect(A.capacity).toBeGreaterThanOrEqual(64);
        for (let i = 0; i < 200; i++) {
          const e = createEntity(world);
          A.add(e);
          const at = B.add(e);
          B.fields.b[at * 3 + 2] = i;
        }
        A.check();
        B.check();
        expect(A.stats().capacity).toBe(A.capacity);
        expect(B.count).toBe(200);
      });

      it('E7: the hard limit throws OutOfMemoryError naming maxCapacity, changing nothing', () => {
        const world = createWorld();
        const C = definePoolComponent(world, { v: 'u8' }, { layout, membership, capacity: 4, maxCapacity: 8 });
        const made: number[] = [];
        // entity layout: raw indices 1..7 fit (index 0 is never an entity); slot layout: 8 slots.
        const fit = layout === 'entity' ? 7 : 8;
        for (let i = 0; i < fit; i++) {
          const e = createEntity(world);
          C.add(e);
          made.push(e);
        }
        const extra = createEntity(world);
        const before = JSON.stringify(C.stats());
        expect(() => C.add(extra)).toThrow(OutOfMemoryError);
        expect(() => C.add(extra)).toThrow(/maxCapacity/);
        expect(JSON.stringify(C.stats())).toBe(before);
        expect(C.has(extra)).toBe(false);
        expect(hasComponent(world, extra, C.anchor)).toBe(false);
        C.check();
        expect(Math.max(...Array.from(C.indices.subarray(0, C.count)))).toBeLessThan(8);
      });

      it('matches a reference model over a seeded random run, check() after every step', () => {
        const world = versionedWorld();
        const C = definePoolComponent(world, { v: 'i32', w: ['f32', 2] }, { layout, membership, capacity: 8 });
        const model = new Map<number, number>(); // eid -> v
        const alive: number[] = [];
        const rand = randomInts(layout.length * 7 + membership.length);
        const opsSeen = new Set<number>();
        for (let step = 0; step < 1500; step++) {
          const op = rand(6);
          opsSeen.add(alive.length === 0 ? 0 : op);
          if (op === 0 || alive.length === 0) {
            alive.push(createEntity(world));
          } else {
            const i = rand(alive.length);
            const e = alive[i];
            if (op === 1) {
              destroyEntity(world, e);
              alive[i] = alive[alive.length - 1];
              alive.pop();
              model.delete(e);
            } else if (op <= 3) {
              const at = C.add(e);
              if (!model.has(e)) {
                expect(C.fields.v[at]).toBe(0);
                C.fields.v[at] = step;
                C.fields.w[at * 2 + 1] = step / 2;
                model.set(e, step);
              }
            } else if (op === 4) {
              expect(C.remove(e)).toBe(model.delete(e));
            } else if (membership === 'bitecs') {
              removeComponent(world, e, C);
              model.delete(e);
            }
          }
          C.check();
          expect(C.count).toBe(model.size);
        }
        expect([...opsSeen].sort()).toEqual([0, 1, 2, 3, 4, 5]); // every path ran
        for (const [e, v] of model) {
          expect(C.fields.v[C.indexOf(e)]).toBe(v);
          expect(C.fields.w[C.indexOf(e) * 2 + 1]).toBe(v / 2);
        }
      });
    });
  }
}

describe('hooks cannot be bypassed (bitecs membership)', () => {
  for (const layout of LAYOUTS) {
    it(`${layout}: bare bitECS addComponent/addEntity/removeComponent/removeEntity keep the pool in step`, () => {
      const world = createWorld();
      const C = definePoolComponent(world, { v: 'f32' }, { layout });
      const a = addEntity(world);
      addComponent(world, a, C);
      const b = addEntity(world, C);
      expect(C.has(a) && C.has(b)).toBe(true);
      expect([...query(world, [C])].sort()).toEqual([a, b].sort());
      removeComponent(world, a, C);
      expect(C.has(a)).toBe(false);
      removeEntity(world, b);
      expect(C.has(b)).toBe(false);
      expect(C.count).toBe(0);
      C.check();
    });
  }

  it('pool membership: bare removeEntity frees the slot through the anchor hook', () => {
    const world = createWorld();
    const C = definePoolComponent(world, { v: 'f32' }, { layout: 'slot', membership: 'pool' });
    const e = addEntity(world);
    C.add(e);
    C.remove(e);
    C.add(e);
    removeEntity(world, e);
    expect(C.count).toBe(0);
    expect(C.pool!.size).toBe(0);
    C.check();
  });
});

describe('argument checks', () => {
  it('throws TypeError / RangeError naming the argument', () => {
    const world = createWorld();
    expect(() => definePoolComponent({} as never, { v: 'f32' })).toThrow(TypeError);
    expect(() => definePoolComponent(world, { v: 'f17' as never })).toThrow(RangeError);
    expect(() => definePoolComponent(world, { v: 'f32' }, { layout: 'rows' as never })).toThrow(/options.layout/);
    expect(() => definePoolComponent(world, { v: 'f32' }, { capacity: 0 })).toThrow(/options.capacity/);
    expect(() => definePoolComponent(world, { v: 'f32' }, { capacty: 4 } as never)).toThrow(TypeError);
    const C = definePoolComponent(world, { v: 'f32' });
    expect(() => C.add(1.5)).toThrow(RangeError);
    expect(() => C.add(99)).toThrow(RangeError);
    expect(() => C.add('1' as never)).toThrow(TypeError);
    expect(() => C.reserve(-1)).toThrow(RangeError);
    expect(C.has('x' as never)).toBe(false);
  });
});
