/**
 * miniplex 2.0.0: noctjs/ecs-benchmark's adapters (written for 0.9), moved to the 2.0 API:
 * entities are plain objects, `world.add(entity)` / `world.remove(entity)`, queries are
 * `world.with('A')` (kept up to date on every add/remove), iterated with `for...of` (which runs
 * backward, so removing the current entity is safe).
 */
import { World } from 'miniplex';
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

type Entity = { A?: number; B?: number | true; C?: number; D?: number; E?: number; Data?: number; Z?: number };
type Q = { entities: readonly unknown[] };

function cell(world: World<Entity>, frame: () => void, queries: Q[]): Cell {
  return {
    frame,
    counts: () => ({ alive: world.entities.length, queries: queries.map((q) => q.entities.length) }),
  };
}

function create(workload: Workload, n: number): Cell {
  const world = new World<Entity>();
  switch (workload) {
    case 'packed_5': {
      for (let i = 0; i < n; i++) world.add({ A: 1, B: 1, C: 1, D: 1, E: 1 });
      const withA = world.with('A');
      const withB = world.with('B');
      const withC = world.with('C');
      const withD = world.with('D');
      const withE = world.with('E');
      return cell(world, () => {
        for (const entity of withA) entity.A *= 2;
        for (const entity of withB) (entity.B as number) *= 2;
        for (const entity of withC) entity.C *= 2;
        for (const entity of withD) entity.D *= 2;
        for (const entity of withE) entity.E *= 2;
      }, [withA, withB, withC, withD, withE]);
    }
    case 'simple_iter': {
      for (let i = 0; i < n; i++) world.add({ A: 0, B: 1 });
      for (let i = 0; i < n; i++) world.add({ A: 0, B: 1, C: 2 });
      for (let i = 0; i < n; i++) world.add({ A: 0, B: 1, C: 2, D: 3 });
      for (let i = 0; i < n; i++) world.add({ A: 0, B: 1, C: 2, E: 4 });
      const withAB = world.with('A', 'B');
      const withCD = world.with('C', 'D');
      const withCE = world.with('C', 'E');
      return cell(world, () => {
        for (const entity of withAB) {
          const temp = entity.A;
          entity.A = entity.B as number;
          entity.B = temp;
        }
        for (const entity of withCD) {
          const temp = entity.C;
          entity.C = entity.D;
          entity.D = temp;
        }
        for (const entity of withCE) {
          const temp = entity.C;
          entity.C = entity.E;
          entity.E = temp;
        }
      }, [withAB, withCD, withCE]);
    }
    case 'frag_iter': {
      for (const component of Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ')) {
        for (let i = 0; i < n; i++) world.add({ [component]: 1, Data: 1 } as Entity);
      }
      const withZ = world.with('Z');
      const withData = world.with('Data');
      return cell(world, () => {
        for (const entity of withData) entity.Data *= 2;
        for (const entity of withZ) entity.Z *= 2;
      }, [withData, withZ]);
    }
    case 'entity_cycle': {
      for (let i = 0; i < n; i++) world.add({ A: i });
      const withA = world.with('A');
      const withB = world.with('B');
      return cell(world, () => {
        for (const entity of withA) world.add({ B: entity.A });
        for (const entity of withB) world.remove(entity);
      }, [withA, withB]);
    }
    case 'add_remove': {
      for (let i = 0; i < n; i++) world.add({ A: i });
      const withA = world.with('A');
      const withB = world.with('B');
      return cell(world, () => {
        for (const entity of withA) world.addComponent(entity, 'B', true);
        for (const entity of withB) world.removeComponent(entity, 'B');
      }, [withA, withB]);
    }
  }
}

export const miniplex: LibraryAdapter = {
  name: 'miniplex 2.0.0',
  id: 'miniplex',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('data'),
  changes: [
    'ported to the 2.0 API: `world.add`/`world.remove`, `world.with(...)` queries, `addComponent(entity, "B", true)`',
    "entity_cycle: B copies A's value (the published adapter wrote 1); add_remove iterates the entities with A, not the whole world",
  ],
  create,
};
