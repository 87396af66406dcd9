/**
 * bitECS 0.4.0: noctjs/ecs-benchmark's bitECS adapters moved to the 0.4 API as its README writes
 * systems: components are plain objects of typed arrays (`{ value: new Int32Array(max) }`), tags
 * are empty objects, and a system calls `query(world, [A, B])` with an array literal each frame.
 * That call hashes its terms into a string key every time (`queryHash`), which is where its
 * per-frame allocation on the iteration workloads comes from.
 */
import {
  addComponent,
  addEntity,
  createWorld,
  getAllEntities,
  query,
  removeComponent,
  removeEntity,
  type World,
} from 'bitecs';
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

type Value = { value: Int32Array };

function cell(world: World, frame: () => void, terms: object[][]): Cell {
  return {
    frame,
    counts: () => ({ alive: getAllEntities(world).length, queries: terms.map((t) => query(world, t).length) }),
  };
}

function create(workload: Workload, n: number): Cell {
  const world = createWorld();
  const max = 26 * n + 1; // bitECS ids start at 1
  const value = (): Value => ({ value: new Int32Array(2 * max) });
  switch (workload) {
    case 'packed_5': {
      const A = value();
      const B = value();
      const C = value();
      const D = value();
      const E = value();
      const packedA = (w: World) => {
        const ents = query(w, [A]);
        for (let i = 0; i < ents.length; i++) A.value[ents[i]] *= 2;
      };
      const packedB = (w: World) => {
        const ents = query(w, [B]);
        for (let i = 0; i < ents.length; i++) B.value[ents[i]] *= 2;
      };
      const packedC = (w: World) => {
        const ents = query(w, [C]);
        for (let i = 0; i < ents.length; i++) C.value[ents[i]] *= 2;
      };
      const packedD = (w: World) => {
        const ents = query(w, [D]);
        for (let i = 0; i < ents.length; i++) D.value[ents[i]] *= 2;
      };
      const packedE = (w: World) => {
        const ents = query(w, [E]);
        for (let i = 0; i < ents.length; i++) E.value[ents[i]] *= 2;
      };
      for (let i = 0; i < n; i++) {
        const e = addEntity(world);
        addComponent(world, e, A);
        addComponent(world, e, B);
        addComponent(world, e, C);
        addComponent(world, e, D);
        addComponent(world, e, E);
        A.value[e] = B.value[e] = C.value[e] = D.value[e] = E.value[e] = 1;
      }
      return cell(world, () => {
        packedA(world);
        packedB(world);
        packedC(world);
        packedD(world);
        packedE(world);
      }, [[A], [B], [C], [D], [E]]);
    }
    case 'simple_iter': {
      const A = value();
      const B = value();
      const C = value();
      const D = value();
      const E = value();
      const systemAB = (w: World) => {
        const ents = query(w, [A, B]);
        for (let i = 0; i < ents.length; i++) {
          const eid = ents[i];
          const x = A.value[eid];
          A.value[eid] = B.value[eid];
          B.value[eid] = x;
        }
      };
      const systemCD = (w: World) => {
        const ents = query(w, [C, D]);
        for (let i = 0; i < ents.length; i++) {
          const eid = ents[i];
          const x = C.value[eid];
          C.value[eid] = D.value[eid];
          D.value[eid] = x;
        }
      };
      const systemCE = (w: World) => {
        const ents = query(w, [C, E]);
        for (let i = 0; i < ents.length; i++) {
          const eid = ents[i];
          const x = C.value[eid];
          C.value[eid] = E.value[eid];
          E.value[eid] = x;
        }
      };
      const spawn = (comps: Value[]) => {
        const e = addEntity(world);
        comps.forEach((c, k) => {
          addComponent(world, e, c);
          c.value[e] = k;
        });
      };
      for (let i = 0; i < n; i++) {
        spawn([A, B]);
        spawn([A, B, C]);
        spawn([A, B, C, D]);
        spawn([A, B, C, E]);
      }
      return cell(world, () => {
        systemAB(world);
        systemCD(world);
        systemCE(world);
      }, [
        [A, B],
        [C, D],
        [C, E],
      ]);
    }
    case 'frag_iter': {
      const components = Array.from({ length: 26 }, value);
      const Z = components[25];
      const Data = value();
      const dataSystem = (w: World) => {
        const ents = query(w, [Data]);
        for (let i = 0; i < ents.length; i++) Data.value[ents[i]] *= 2;
      };
      const zSystem = (w: World) => {
        const ents = query(w, [Z]);
        for (let i = 0; i < ents.length; i++) Z.value[ents[i]] *= 2;
      };
      for (let i = 0; i < n; i++) {
        for (const component of components) {
          const e = addEntity(world);
          addComponent(world, e, Data);
          addComponent(world, e, component);
        }
      }
      return cell(world, () => {
        dataSystem(world);
        zSystem(world);
      }, [[Data], [Z]]);
    }
    case 'entity_cycle': {
      const A = value();
      const B = value();
      const spawnB = (w: World) => {
        const ents = query(w, [A]);
        for (let i = 0; i < ents.length; i++) {
          const eid = addEntity(w);
          addComponent(w, eid, B);
          B.value[eid] = A.value[ents[i]];
        }
      };
      const killB = (w: World) => {
        const ents = query(w, [B]);
        for (let i = ents.length - 1; i >= 0; i--) removeEntity(w, ents[i]);
      };
      for (let i = 0; i < n; i++) {
        const eid = addEntity(world);
        addComponent(world, eid, A);
        A.value[eid] = i;
      }
      return cell(world, () => {
        spawnB(world);
        killB(world);
      }, [[A], [B]]);
    }
    case 'add_remove': {
      const A = {};
      const B = {};
      const addB = (w: World) => {
        const ents = query(w, [A]);
        for (let i = 0; i < ents.length; i++) addComponent(w, ents[i], B);
      };
      const removeB = (w: World) => {
        const ents = query(w, [B]);
        for (let i = ents.length - 1; i >= 0; i--) removeComponent(w, ents[i], B);
      };
      for (let i = 0; i < n; i++) addComponent(world, addEntity(world), A);
      return cell(world, () => {
        addB(world);
        removeB(world);
      }, [[A], [B]]);
    }
  }
}

export const bitecs04: LibraryAdapter = {
  name: 'bitECS 0.4.0',
  id: 'bitecs-0.4',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('data'),
  changes: [
    'ported to the 0.4 API: `query(world, [A])` per system call instead of `defineQuery`, `addComponent(world, eid, C)` argument order, stores as `{ value: Int32Array }`, tags as `{}`, no `pipe`',
    'removal loops run backward over the query result (0.4 removes from the dense list at the next query, as 0.3 did; backward is the documented safe order)',
  ],
  create,
};
