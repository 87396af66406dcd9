/**
 * piecs 0.4.0: noctjs/ecs-benchmark's adapters, ported as they are (archetypes with prefabs,
 * entity systems over `Uint32Array`/`Int32Array` columns indexed by entity id).
 */
import { createEntitySystem, World } from 'piecs';
import { indexedSemantics, type Cell, type Counts, type LibraryAdapter, type Workload } from '../workloads.ts';

type Column = { id: number; arr: Uint32Array | Int32Array };
type EntitySystem = ReturnType<typeof createEntitySystem>;

/** Sum of the entities matched by an entity system's query. */
function matched(system: EntitySystem): number {
  let n = 0;
  for (const a of system.query.archetypes) n += a.entities.length;
  return n;
}

function cell(world: World, systems: EntitySystem[]): Cell {
  // getStatistics(world).entities is the ids ever issued; alive = issued - free list.
  const internals = world as unknown as { nextEntityId: number; deletedEntities: number[] };
  return {
    frame: () => world.update(),
    counts: (): Counts => ({
      alive: internals.nextEntityId - internals.deletedEntities.length,
      queries: systems.map(matched),
    }),
  };
}

function create(workload: Workload, n: number): Cell {
  const world = new World();
  switch (workload) {
    case 'packed_5': {
      const col = (): Column => ({ id: world.createComponentId(), arr: new Uint32Array(n).fill(1) });
      const A = col();
      const B = col();
      const C = col();
      const D = col();
      const E = col();
      const prefab = world.prefabricate([A, B, C, D, E]);
      const systems = [
        createEntitySystem(
          function systemAp5(entities) {
            for (let i = 0, l = entities.length; i < l; i++) A.arr[entities[i]] *= 2;
          },
          (q) => q.every(A),
        ),
        createEntitySystem(
          function systemBp5(entities) {
            for (let i = 0, l = entities.length; i < l; i++) B.arr[entities[i]] *= 2;
          },
          (q) => q.every(B),
        ),
        createEntitySystem(
          function systemCp5(entities) {
            for (let i = 0, l = entities.length; i < l; i++) C.arr[entities[i]] *= 2;
          },
          (q) => q.every(C),
        ),
        createEntitySystem(
          function systemDp5(entities) {
            for (let i = 0, l = entities.length; i < l; i++) D.arr[entities[i]] *= 2;
          },
          (q) => q.every(D),
        ),
        createEntitySystem(
          function systemEp5(entities) {
            for (let i = 0, l = entities.length; i < l; i++) E.arr[entities[i]] *= 2;
          },
          (q) => q.every(E),
        ),
      ];
      for (const s of systems) world.registerSystem(s);
      world.initialize();
      for (let i = 0; i < n; i++) world.createEntity(prefab);
      return cell(world, systems);
    }
    case 'simple_iter': {
      const col = (): Column => ({ id: world.createComponentId(), arr: new Uint32Array(n * 4) });
      const A = col();
      const B = col();
      const C = col();
      const D = col();
      const E = col();
      const prefabAB = world.prefabricate([A, B]);
      const prefabABC = world.prefabricate([A, B, C]);
      const prefabABCD = world.prefabricate([A, B, C, D]);
      const prefabABCE = world.prefabricate([A, B, C, E]);
      const systems = [
        createEntitySystem(
          function systemAB(entities) {
            for (let i = 0, l = entities.length; i < l; i++) {
              const entity = entities[i];
              const a = A.arr[entity];
              const b = B.arr[entity];
              A.arr[entity] = b;
              B.arr[entity] = a;
            }
          },
          (q) => q.every(A, B),
        ),
        createEntitySystem(
          function systemCD(entities) {
            for (let i = 0, l = entities.length; i < l; i++) {
              const entity = entities[i];
              const c = C.arr[entity];
              const d = D.arr[entity];
              C.arr[entity] = d;
              D.arr[entity] = c;
            }
          },
          (q) => q.every(C, D),
        ),
        createEntitySystem(
          function systemCE(entities) {
            for (let i = 0, l = entities.length; i < l; i++) {
              const entity = entities[i];
              const c = C.arr[entity];
              const e = E.arr[entity];
              C.arr[entity] = e;
              E.arr[entity] = c;
            }
          },
          (q) => q.every(C, E),
        ),
      ];
      for (const s of systems) world.registerSystem(s);
      world.initialize();
      for (let i = 0; i < n; i++) {
        world.createEntity(prefabAB);
        world.createEntity(prefabABC);
        world.createEntity(prefabABCD);
        world.createEntity(prefabABCE);
      }
      return cell(world, systems);
    }
    case 'frag_iter': {
      const components: number[] = [];
      for (let i = 0; i < 26; i++) components.push(world.createComponentId());
      const Z = { id: components[25], arr: new Int32Array(n * 26) };
      const Data = { id: world.createComponentId(), arr: new Int32Array(n * 26) };
      const prefabs = components.map((c) => world.prefabricate([Data, c]));
      const systems = [
        createEntitySystem(
          function dataSystem(entities) {
            for (let i = 0, l = entities.length; i < l; i++) Data.arr[entities[i]] *= 2;
          },
          (q) => q.every(Data),
        ),
        createEntitySystem(
          function zSystem(entities) {
            for (let i = 0, l = entities.length; i < l; i++) Z.arr[entities[i]] *= 2;
          },
          (q) => q.every(Z),
        ),
      ];
      for (const s of systems) world.registerSystem(s);
      world.initialize();
      for (let i = 0; i < n; i++) for (const prefab of prefabs) world.createEntity(prefab);
      return cell(world, systems);
    }
    case 'entity_cycle': {
      const A = world.createComponentId();
      const B = world.createComponentId();
      const prefabA = world.prefabricate([A]);
      const prefabB = world.prefabricate([B]);
      const systems = [
        createEntitySystem(
          function spawnBs(entities, w) {
            for (let i = 0, l = entities.length; i < l; i++) w.createEntity(prefabB);
          },
          (q) => q.every(A),
        ),
        createEntitySystem(
          function deleteBs(entities, w) {
            for (let i = entities.length - 1; i >= 0; i--) w.deleteEntity(entities[i]);
          },
          (q) => q.every(B),
        ),
      ];
      for (const s of systems) world.registerSystem(s);
      world.initialize();
      for (let i = 0; i < n; i++) world.createEntity(prefabA);
      return cell(world, systems);
    }
    case 'add_remove': {
      const A = world.createComponentId();
      const B = world.createComponentId();
      const prefabA = world.prefabricate([A]);
      const systems = [
        createEntitySystem(
          function addB(entities, w) {
            for (let i = entities.length - 1; i >= 0; i--) w.addComponent(entities[i], B);
          },
          (q) => q.every(A),
        ),
        createEntitySystem(
          function removeB(entities, w) {
            for (let i = entities.length - 1; i >= 0; i--) w.removeComponent(entities[i], B);
          },
          (q) => q.every(B),
        ),
      ];
      for (const s of systems) world.registerSystem(s);
      world.initialize();
      for (let i = 0; i < n; i++) world.createEntity(prefabA);
      return cell(world, systems);
    }
  }
}

export const piecs: LibraryAdapter = {
  name: 'piecs 0.4.0',
  id: 'piecs',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('tag'),
  changes: [
    'none to the systems; imported as `piecs` (the package entry) instead of `piecs/dist/index.mjs`',
    'entity_cycle: B is a data-less component, as in the noctjs adapter (no copy of A)',
  ],
  create,
};
