/**
 * steadyheap 0.1 through `steadyheap/bitecs`, written as a user writes systems on the bridge,
 * with the peers' semantics: one function per system; components with `'pool'` membership
 * (garbage-free add/remove, packed `entities`/`indices` lists that are the query index of one
 * component) in the `'entity'` layout (columns indexed by entity id); joins of two components
 * through a cached `PoolQuery`. entity_cycle and add_remove go through the world's
 * `EntityRegistry`: entities really created and destroyed (bitECS entities, garbage-free), A and
 * B its membership sets (tags); entity_cycle copies A's value into B's typed array.
 *
 * The second row, `steadyheap EntityPool (parked)`, is the recycling path: entity_cycle's B
 * entities are spawned from and despawned into an `EntityPool`, so they stay alive in the world
 * (parked), never deleted. It is a feature, not the peers' semantics, and is reported apart.
 */
import { createWorld, type World } from 'bitecs';
import {
  EntityPool,
  createEntity,
  defineEntityRegistry,
  definePoolComponent,
  definePoolQuery,
  entityIndexOf,
  type PoolComponent,
  type PoolQuery,
} from 'steadyheap/bitecs';
import { indexedSemantics, type Cell, type Counts, type LibraryAdapter, type Workload } from '../workloads.ts';

type Value = PoolComponent<{ value: 'i32' }>;

function value(world: World, capacity: number): Value {
  return definePoolComponent(world, { value: 'i32' }, { membership: 'pool', capacity, maxCapacity: capacity });
}

function cell(world: World, frame: () => void, queries: (() => number)[]): Cell {
  return {
    frame,
    counts: (): Counts => ({ alive: entityIndexOf(world).aliveCount, queries: queries.map((q) => q()) }),
  };
}

/** Creates `n` entities with `comps`, each value set to `init`. */
function spawn(world: World, n: number, comps: Value[], init: number): void {
  for (let i = 0; i < n; i++) {
    const e = createEntity(world);
    for (const c of comps) c.fields.value[c.add(e)] = init;
  }
}

function create(workload: Workload, n: number): Cell {
  const world = createWorld();
  switch (workload) {
    case 'packed_5': {
      const cap = n + 1; // bitECS ids start at 1
      const [A, B, C, D, E] = [
        value(world, cap),
        value(world, cap),
        value(world, cap),
        value(world, cap),
        value(world, cap),
      ];
      spawn(world, n, [A, B, C, D, E], 1);
      function doubleA() {
        const col = A.fields.value;
        const idx = A.indices;
        for (let i = 0, l = A.count; i < l; i++) col[idx[i]] *= 2;
      }
      function doubleB() {
        const col = B.fields.value;
        const idx = B.indices;
        for (let i = 0, l = B.count; i < l; i++) col[idx[i]] *= 2;
      }
      function doubleC() {
        const col = C.fields.value;
        const idx = C.indices;
        for (let i = 0, l = C.count; i < l; i++) col[idx[i]] *= 2;
      }
      function doubleD() {
        const col = D.fields.value;
        const idx = D.indices;
        for (let i = 0, l = D.count; i < l; i++) col[idx[i]] *= 2;
      }
      function doubleE() {
        const col = E.fields.value;
        const idx = E.indices;
        for (let i = 0, l = E.count; i < l; i++) col[idx[i]] *= 2;
      }
      return cell(
        world,
        () => {
          doubleA();
          doubleB();
          doubleC();
          doubleD();
          doubleE();
        },
        [A, B, C, D, E].map((c) => () => c.count),
      );
    }
    case 'simple_iter': {
      const cap = 4 * n + 1;
      const [A, B, C, D, E] = [
        value(world, cap),
        value(world, cap),
        value(world, cap),
        value(world, cap),
        value(world, cap),
      ];
      for (let i = 0; i < n; i++) {
        spawn(world, 1, [A, B], 0);
        spawn(world, 1, [A, B, C], 0);
        spawn(world, 1, [A, B, C, D], 0);
        spawn(world, 1, [A, B, C, E], 0);
      }
      const qAB = definePoolQuery([A, B]);
      const qCD = definePoolQuery([C, D]);
      const qCE = definePoolQuery([C, E]);
      // 'entity' layout: every member's column index is the entity's raw index, one shared array.
      function systemAB(q: PoolQuery) {
        const l = q.update();
        const idx = q.indices[0];
        const a = A.fields.value;
        const b = B.fields.value;
        for (let i = 0; i < l; i++) {
          const x = idx[i];
          const t = a[x];
          a[x] = b[x];
          b[x] = t;
        }
      }
      function systemCD(q: PoolQuery) {
        const l = q.update();
        const idx = q.indices[0];
        const c = C.fields.value;
        const d = D.fields.value;
        for (let i = 0; i < l; i++) {
          const x = idx[i];
          const t = c[x];
          c[x] = d[x];
          d[x] = t;
        }
      }
      function systemCE(q: PoolQuery) {
        const l = q.update();
        const idx = q.indices[0];
        const c = C.fields.value;
        const e = E.fields.value;
        for (let i = 0; i < l; i++) {
          const x = idx[i];
          const t = c[x];
          c[x] = e[x];
          e[x] = t;
        }
      }
      return cell(
        world,
        () => {
          systemAB(qAB);
          systemCD(qCD);
          systemCE(qCE);
        },
        [qAB, qCD, qCE].map((q) => () => q.update()),
      );
    }
    case 'frag_iter': {
      const cap = 26 * n + 1;
      const Data = value(world, cap);
      const letters = Array.from({ length: 26 }, () => value(world, cap));
      const Z = letters[25];
      for (const letter of letters) spawn(world, n, [Data, letter], 0);
      function dataSystem() {
        const col = Data.fields.value;
        const idx = Data.indices;
        for (let i = 0, l = Data.count; i < l; i++) col[idx[i]] *= 2;
      }
      function zSystem() {
        const col = Z.fields.value;
        const idx = Z.indices;
        for (let i = 0, l = Z.count; i < l; i++) col[idx[i]] *= 2;
      }
      return cell(world, () => {
        dataSystem();
        zSystem();
      }, [() => Data.count, () => Z.count]);
    }
    case 'entity_cycle': {
      // Entities created and destroyed through the world's EntityRegistry; A and B are its
      // membership sets, their values plain typed arrays indexed by entity id.
      const registry = defineEntityRegistry(world, { capacity: 2 * n + 2 });
      const A = registry.defineSet();
      const B = registry.defineSet();
      const aValue = new Int32Array(2 * n + 2);
      const bValue = new Int32Array(2 * n + 2);
      for (let i = 0; i < n; i++) aValue[registry.create(A)] = i;
      function spawnBs() {
        const as = A.entities;
        for (let i = 0, l = A.count; i < l; i++) bValue[registry.create(B)] = aValue[as[i]];
      }
      function killBs() {
        const bs = B.entities;
        for (let i = B.count - 1; i >= 0; i--) registry.destroy(bs[i]);
      }
      return cell(world, () => {
        spawnBs();
        killBs();
      }, [() => A.count, () => B.count]);
    }
    case 'add_remove': {
      // A and B are tags: membership sets of the world's EntityRegistry, no data.
      const registry = defineEntityRegistry(world, { capacity: n + 2 });
      const A = registry.defineSet();
      const B = registry.defineSet();
      for (let i = 0; i < n; i++) registry.create(A);
      function addB() {
        const as = A.entities;
        for (let i = A.count - 1; i >= 0; i--) B.add(as[i]);
      }
      function removeB() {
        const bs = B.entities;
        for (let i = B.count - 1; i >= 0; i--) B.remove(bs[i]);
      }
      return cell(world, () => {
        addB();
        removeB();
      }, [() => A.count, () => B.count]);
    }
  }
}

/** entity_cycle on the recycling path: B entities come from an EntityPool and are parked. */
function createParked(workload: Workload, n: number): Cell {
  if (workload !== 'entity_cycle') throw new Error(`the parked row runs entity_cycle only, not ${workload}`);
  const world = createWorld();
  const cap = 2 * n + 1;
  const A = value(world, cap);
  const B = value(world, cap);
  for (let i = 0; i < n; i++) A.fields.value[A.add(createEntity(world))] = i;
  const pool = new EntityPool(world, { components: [B], capacity: n, maxCapacity: n });
  function spawnBs() {
    const av = A.fields.value;
    const bv = B.fields.value;
    const aIdx = A.indices;
    for (let i = 0, l = A.count; i < l; i++) bv[B.indexOf(pool.spawn())] = av[aIdx[i]];
  }
  function despawnBs() {
    const ents = B.entities;
    for (let i = B.count - 1; i >= 0; i--) pool.despawn(ents[i]);
  }
  return cell(world, () => {
    spawnBs();
    despawnBs();
  }, [() => A.count, () => B.count]);
}

export const steadyheap: LibraryAdapter = {
  name: 'steadyheap (garbage-free path)',
  id: 'steadyheap',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('data'),
  changes: [
    'our own adapter: iteration over pool components with `pool` membership (packed lists) and cached PoolQuery joins',
    "entity_cycle and add_remove: entities created and destroyed for real through the world's EntityRegistry (garbage-free over bitECS's own entity index), A and B as its membership sets; entity_cycle copies A's value into a typed array indexed by entity id",
  ],
  create,
};

export const steadyheapParked: LibraryAdapter = {
  name: 'steadyheap EntityPool (parked)',
  id: 'steadyheap-parked',
  workloads: ['entity_cycle'],
  asyncFrame: false,
  semantics: () => ({ keepsQueryIndexes: true, reallyDeletes: false, b: 'data' }),
  changes: ['entity_cycle only: B entities spawned from and despawned into an EntityPool (parked, never deleted)'],
  create: createParked,
  expected: (_w, n) => ({ alive: 2 * n, queries: [n, 0] }),
};
