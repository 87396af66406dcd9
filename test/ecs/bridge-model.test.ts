/**
 * A model-based test of the bitECS bridge: fast-check generates sequences of createEntity,
 * destroyEntity, add/remove of pool components (through the bridge and through bitECS), spawn,
 * despawn, bare bitECS removeEntity, queries and clearWorld, with observers and onRemove
 * callbacks that re-enter, and checks them against a simple model, with every structure's
 * `check()` after every step. A failure shrinks to a short sequence.
 */
import fc from 'fast-check';
import {
  addComponent,
  createEntityIndex,
  createWorld,
  hasComponent,
  observe,
  onRemove,
  query,
  removeComponent,
  removeEntity,
  withVersioning,
  type World,
} from 'bitecs';
import { describe, expect, it } from 'vitest';
import {
  EntityPool,
  clearWorld,
  createEntity,
  definePoolComponent,
  definePoolQuery,
  destroyEntity,
  entityIndexOf,
  isEntityAlive,
  type PoolComponent,
  type PoolQuery,
} from '../../src/ecs/index.ts';
import type { Schema } from '../../src/pool/schema.ts';

type Name = 'A' | 'B' | 'C' | 'Tag';
const NAMES: readonly Name[] = ['A', 'B', 'C', 'Tag'];

type Command =
  | { op: 'create' | 'spawn' | 'reset' | 'query' }
  | { op: 'destroy' | 'bareRemove' | 'despawn'; pick: number; uint: boolean }
  | { op: 'add' | 'remove'; pick: number; name: Name; viaBitecs: boolean; uint: boolean }
  | { op: 'arm'; behaviour: Behaviour; on: boolean };

/** Callbacks that re-enter the bridge, switched on and off by the sequence. */
type Behaviour = 'createOnTagRemove' | 'despawnSelf' | 'cRemovesB' | 'cDestroysSelf';

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Command>({ op: 'create' }, { op: 'spawn' }) },
  { weight: 1, arbitrary: fc.constantFrom<Command>({ op: 'reset' }, { op: 'query' }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('destroy' as const, 'bareRemove' as const, 'despawn' as const),
      pick: fc.nat(),
      uint: fc.boolean(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom('add' as const, 'remove' as const),
      pick: fc.nat(),
      name: fc.constantFrom(...NAMES),
      viaBitecs: fc.boolean(),
      uint: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('arm' as const),
      behaviour: fc.constantFrom<Behaviour>('createOnTagRemove', 'despawnSelf', 'cRemovesB', 'cDestroysSelf'),
      on: fc.boolean(),
    }),
  },
);

/** How often each re-entering callback fired over all runs (the test asserts each did). */
const fired: Record<Behaviour, number> = { createOnTagRemove: 0, despawnSelf: 0, cRemovesB: 0, cDestroysSelf: 0 };

/** The world under test and what the model knows about it. */
class Scene {
  readonly world: World;
  readonly A: PoolComponent<Schema>; // 'entity' layout, 'bitecs' membership
  readonly B: PoolComponent<Schema>; // 'slot' layout, 'pool' membership
  readonly C: PoolComponent<Schema>; // 'slot' layout, 'bitecs' membership, onRemove re-enters
  readonly D: PoolComponent<Schema>; // the EntityPool's component ('entity' layout, 'pool')
  readonly Tag = {};
  readonly pool: EntityPool;
  readonly join: PoolQuery;
  readonly armed = new Set<Behaviour>();
  /** Model: every entity alive in the world -> the components it has. */
  readonly alive = new Map<number, Set<Name | 'D'>>();
  /** Model: pooled entities that are live (spawned), a subset of `alive`. */
  readonly pooled = new Set<number>();
  /** Ids that died; in a versioned world they must never read alive again. */
  readonly dead = new Set<number>();
  /** Errors callbacks caught (nested calls the bridge refused). */
  readonly refused: string[] = [];

  constructor(readonly versioned: boolean) {
    this.world = versioned ? createWorld(createEntityIndex(withVersioning(8))) : createWorld();
    const w = this.world;
    this.A = definePoolComponent(w, { x: 'f32' }, { layout: 'entity', membership: 'bitecs' });
    this.B = definePoolComponent(w, { y: 'f64' }, { layout: 'slot', membership: 'pool', capacity: 4 });
    this.C = definePoolComponent(
      w,
      { z: ['i32', 2] },
      {
        layout: 'slot',
        membership: 'bitecs',
        capacity: 4,
        onRemove: (eid) => {
          if (this.armed.has('cRemovesB')) {
            fired.cRemovesB++;
            if (this.B.remove(eid)) this.alive.get(eid)?.delete('B');
          }
          if (this.armed.has('cDestroysSelf')) {
            fired.cDestroysSelf++;
            try {
              destroyEntity(w, eid);
              this.forget(eid);
            } catch (e) {
              this.refused.push((e as Error).message);
            }
          }
        },
      },
    );
    this.D = definePoolComponent(
      w,
      { hp: 'f32' },
      {
        layout: 'entity',
        membership: 'pool',
        onRemove: (eid) => {
          if (this.armed.has('despawnSelf')) {
            fired.despawnSelf++;
            // A no-op when its despawn is under way; a real despawn when the entity is being
            // removed from the world and this hook runs before the pool's own.
            this.pool.despawn(eid);
          }
        },
      },
    );
    this.pool = new EntityPool(w, { components: [this.D], capacity: 2, maxCapacity: 64 });
    this.join = definePoolQuery([this.A, this.B, this.C]);
    this.observeTag();
  }

  /** The removal observer that creates an entity while another is being removed. */
  observeTag(): void {
    observe(this.world, onRemove(this.Tag), () => {
      if (this.armed.has('createOnTagRemove')) {
        fired.createOnTagRemove++;
        this.alive.set(createEntity(this.world), new Set());
      }
    });
  }

  /** Model: `eid` left the world (a callback or a cascade may have done it). */
  forget(eid: number): void {
    if (!this.alive.has(eid)) return;
    this.alive.delete(eid);
    this.pooled.delete(eid);
    this.dead.add(eid);
  }

  component(name: Name): PoolComponent<Schema> | object {
    return name === 'Tag' ? this.Tag : this[name];
  }

  /** The model's effects of `name` leaving `eid` (C's callback may take B with it). */
  lose(eid: number, name: Name): void {
    this.alive.get(eid)?.delete(name);
    if (name === 'C' && this.armed.has('cRemovesB')) this.alive.get(eid)?.delete('B');
  }

  pickAlive(pick: number, pooledOnly = false): number | undefined {
    const ids = [...this.alive.keys()].filter((e) => !pooledOnly || this.pooled.has(e));
    return ids.length === 0 ? undefined : ids[pick % ids.length];
  }

  run(c: Command): void {
    const w = this.world;
    const form = (eid: number, uint: boolean) => (uint ? eid >>> 0 : eid);
    switch (c.op) {
      case 'create':
        this.alive.set(createEntity(w), new Set());
        break;
      case 'spawn': {
        if (this.pool.size === 64) {
          expect(() => this.pool.spawn()).toThrow(RangeError);
          break;
        }
        const e = this.pool.spawn();
        if (!this.alive.has(e)) this.alive.set(e, new Set());
        this.alive.get(e)?.add('D');
        this.pooled.add(e);
        this.dead.delete(e); // a parked entity's id comes back by design (store handles instead)
        break;
      }
      case 'reset':
        clearWorld(w);
        this.A.resetAfterWorldReset();
        this.B.resetAfterWorldReset();
        this.C.resetAfterWorldReset();
        this.D.resetAfterWorldReset();
        this.pool.resetAfterWorldReset();
        this.observeTag(); // resetWorld drops every observer
        for (const e of [...this.alive.keys()]) this.forget(e);
        break;
      case 'query':
        break; // every step checks the queries
      case 'destroy':
      case 'bareRemove': {
        const e = this.pickAlive(c.pick);
        if (e === undefined) break;
        const had = this.alive.get(e) as Set<Name | 'D'>;
        if (had.has('Tag') && this.armed.has('createOnTagRemove')) {
          // The observer's entity is recorded by the observer itself.
        }
        if (c.op === 'destroy') expect(destroyEntity(w, form(e, c.uint))).toBe(true);
        else removeEntity(w, e);
        this.forget(e);
        break;
      }
      case 'despawn': {
        const e = this.pickAlive(c.pick, true);
        if (e === undefined) break;
        expect(this.pool.despawn(form(e, c.uint))).toBe(true);
        this.pooled.delete(e);
        this.alive.get(e)?.delete('D');
        break;
      }
      case 'add': {
        const e = this.pickAlive(c.pick);
        if (e === undefined) break;
        const target = this.component(c.name);
        if (c.name === 'Tag' || (c.viaBitecs && c.name !== 'B')) addComponent(w, e, target);
        else (target as PoolComponent<Schema>).add(form(e, c.uint));
        this.alive.get(e)?.add(c.name);
        break;
      }
      case 'remove': {
        const e = this.pickAlive(c.pick);
        if (e === undefined) break;
        const has = this.alive.get(e)?.has(c.name) ?? false;
        const target = this.component(c.name);
        if (c.name === 'Tag' || (c.viaBitecs && c.name !== 'B')) {
          removeComponent(w, e, target);
        } else {
          expect((target as PoolComponent<Schema>).remove(form(e, c.uint))).toBe(has);
        }
        if (has) this.lose(e, c.name);
        break;
      }
      case 'arm':
        if (c.on) this.armed.add(c.behaviour);
        else this.armed.delete(c.behaviour);
        break;
    }
  }

  /** Everything the model knows, checked against the world and every structure's check(). */
  verify(): void {
    const w = this.world;
    const index = entityIndexOf(w);
    for (let i = 0; i < index.dense.length; i++) {
      const id = index.dense[i];
      expect(isEntityAlive(w, id), `id ${id} at dense ${i}, ${index.aliveCount} alive`).toBe(i < index.aliveCount);
    }
    for (const [e, has] of this.alive) {
      expect(isEntityAlive(w, e), `entity ${e} alive`).toBe(true);
      expect(isEntityAlive(w, e >>> 0)).toBe(true);
      for (const name of NAMES) {
        const got = name === 'Tag' ? hasComponent(w, e, this.Tag) : this[name].has(e);
        expect(got, `entity ${e} has ${name}`).toBe(has.has(name));
      }
      expect(this.D.has(e), `entity ${e} has D`).toBe(has.has('D'));
      expect(this.pool.isLive(e)).toBe(this.pooled.has(e));
    }
    if (this.versioned) {
      for (const e of this.dead) if (!this.alive.has(e)) expect(isEntityAlive(w, e), `dead ${e}`).toBe(false);
    }
    const withAll = [...this.alive].filter(([, h]) => h.has('A') && h.has('B') && h.has('C')).map(([e]) => e);
    this.join.update();
    expect(new Set(this.join.entities.subarray(0, this.join.count))).toEqual(new Set(withAll));
    const withA = [...this.alive].filter(([, h]) => h.has('A')).map(([e]) => e);
    expect(new Set(query(w, [this.A]))).toEqual(new Set(withA));
    for (const c of [this.A, this.B, this.C, this.D]) c.check();
    this.pool.check();
    this.join.check();
  }
}

const SEED_SHIFT = Number(process.env.BRIDGE_SEED ?? 0);
const RUNS = Number(process.env.BRIDGE_RUNS ?? 60);

describe('the bitECS bridge against a model (fast-check), check() after every step', () => {
  for (const versioned of [true, false]) {
    it(`${versioned ? 'versioned' : 'unversioned'} world: random sequences with re-entering callbacks`, () => {
      fc.assert(
        fc.property(fc.array(command, { minLength: 1, maxLength: 120, size: 'max' }), (commands) => {
          const scene = new Scene(versioned);
          for (const c of commands) {
            scene.run(c);
            scene.verify();
          }
        }),
        { seed: versioned ? 0xb71d9e + SEED_SHIFT : 0xb71d9f + SEED_SHIFT, numRuns: RUNS },
      );
      for (const b of Object.keys(fired) as Behaviour[]) expect(fired[b], `${b} fired`).toBeGreaterThan(0);
    });
  }
});
