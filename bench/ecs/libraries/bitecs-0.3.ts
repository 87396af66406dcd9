/**
 * bitECS 0.3.40 (installed as `bitecs-0.3`): noctjs/ecs-benchmark's adapters (written for
 * 0.3.34), ported as they are: `defineComponent({ value: Types.i32 })` stores, `defineQuery`,
 * systems chained with `pipe`.
 */
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

// bitECS 0.3's typings declare an ambient `module 'bitecs'`, which would replace bitECS 0.4's
// types for the whole program: load it untyped, through a specifier the compiler does not
// follow, and type the few functions used here.
type IWorld = object;
type Query = (world: IWorld) => number[];
type Store = { value: Int32Array };
interface Bitecs03 {
  Types: { i32: 'i32' };
  createWorld(): IWorld;
  addEntity(world: IWorld): number;
  removeEntity(world: IWorld, eid: number): void;
  getAllEntities(world: IWorld): number[];
  defineComponent(schema?: { value: 'i32' }): Store;
  defineQuery(components: object[]): Query;
  addComponent(world: IWorld, component: object, eid: number): void;
  removeComponent(world: IWorld, component: object, eid: number): void;
  pipe(...fns: ((w: IWorld) => IWorld)[]): (w: IWorld) => IWorld;
}
const BITECS_03: string = 'bitecs-0.3';
const {
  Types,
  addComponent,
  addEntity,
  createWorld,
  defineComponent,
  defineQuery,
  getAllEntities,
  pipe,
  removeComponent,
  removeEntity,
} = (await import(BITECS_03)) as Bitecs03;

const { i32 } = Types;

function cell(world: IWorld, frame: () => void, queries: Query[]): Cell {
  return {
    frame,
    counts: () => ({ alive: getAllEntities(world).length, queries: queries.map((q) => q(world).length) }),
  };
}

function create(workload: Workload, n: number): Cell {
  const world = createWorld();
  switch (workload) {
    case 'packed_5': {
      const A = defineComponent({ value: i32 });
      const B = defineComponent({ value: i32 });
      const C = defineComponent({ value: i32 });
      const D = defineComponent({ value: i32 });
      const E = defineComponent({ value: i32 });
      const queryA = defineQuery([A]);
      const { value: valA } = A;
      const PACKED_A = (w: IWorld) => {
        const ents = queryA(w);
        for (let i = 0, l = ents.length; i < l; i++) valA[ents[i]] *= 2;
        return w;
      };
      const queryB = defineQuery([B]);
      const { value: valB } = B;
      const PACKED_B = (w: IWorld) => {
        const ents = queryB(w);
        for (let i = 0, l = ents.length; i < l; i++) valB[ents[i]] *= 2;
        return w;
      };
      const queryC = defineQuery([C]);
      const { value: valC } = C;
      const PACKED_C = (w: IWorld) => {
        const ents = queryC(w);
        for (let i = 0, l = ents.length; i < l; i++) valC[ents[i]] *= 2;
        return w;
      };
      const queryD = defineQuery([D]);
      const { value: valD } = D;
      const PACKED_D = (w: IWorld) => {
        const ents = queryD(w);
        for (let i = 0, l = ents.length; i < l; i++) valD[ents[i]] *= 2;
        return w;
      };
      const queryE = defineQuery([E]);
      const { value: valE } = E;
      const PACKED_E = (w: IWorld) => {
        const ents = queryE(w);
        for (let i = 0, l = ents.length; i < l; i++) valE[ents[i]] *= 2;
        return w;
      };
      for (let i = 0; i < n; i++) {
        const e = addEntity(world);
        addComponent(world, A, e);
        addComponent(world, B, e);
        addComponent(world, C, e);
        addComponent(world, D, e);
        addComponent(world, E, e);
      }
      const pipeline = pipe(PACKED_A, PACKED_B, PACKED_C, PACKED_D, PACKED_E);
      return cell(world, () => pipeline(world), [queryA, queryB, queryC, queryD, queryE]);
    }
    case 'simple_iter': {
      const A = defineComponent({ value: i32 });
      const B = defineComponent({ value: i32 });
      const C = defineComponent({ value: i32 });
      const D = defineComponent({ value: i32 });
      const E = defineComponent({ value: i32 });
      const queryAB = defineQuery([A, B]);
      const systemAB = (w: IWorld) => {
        const ents = queryAB(w);
        for (let i = 0; i < ents.length; i++) {
          const eid = ents[i];
          const x = A.value[eid];
          A.value[eid] = B.value[eid];
          B.value[eid] = x;
        }
        return w;
      };
      const queryCD = defineQuery([C, D]);
      const systemCD = (w: IWorld) => {
        const ents = queryCD(w);
        for (let i = 0; i < ents.length; i++) {
          const eid = ents[i];
          const x = C.value[eid];
          C.value[eid] = D.value[eid];
          D.value[eid] = x;
        }
        return w;
      };
      const queryCE = defineQuery([C, E]);
      const systemCE = (w: IWorld) => {
        const ents = queryCE(w);
        for (let i = 0; i < ents.length; i++) {
          const eid = ents[i];
          const x = C.value[eid];
          C.value[eid] = E.value[eid];
          E.value[eid] = x;
        }
        return w;
      };
      for (let i = 0; i < n; i++) {
        const e1 = addEntity(world);
        addComponent(world, A, e1);
        A.value[e1] = 0;
        addComponent(world, B, e1);
        B.value[e1] = 1;
        const e2 = addEntity(world);
        addComponent(world, A, e2);
        A.value[e2] = 0;
        addComponent(world, B, e2);
        B.value[e2] = 1;
        addComponent(world, C, e2);
        C.value[e2] = 2;
        const e3 = addEntity(world);
        addComponent(world, A, e3);
        A.value[e3] = 0;
        addComponent(world, B, e3);
        B.value[e3] = 1;
        addComponent(world, C, e3);
        C.value[e3] = 2;
        addComponent(world, D, e3);
        D.value[e3] = 3;
        const e4 = addEntity(world);
        addComponent(world, A, e4);
        A.value[e4] = 0;
        addComponent(world, B, e4);
        B.value[e4] = 1;
        addComponent(world, C, e4);
        C.value[e4] = 2;
        addComponent(world, E, e4);
        E.value[e4] = 3;
      }
      const pipeline = pipe(systemAB, systemCD, systemCE);
      return cell(world, () => pipeline(world), [queryAB, queryCD, queryCE]);
    }
    case 'frag_iter': {
      const components = Array.from({ length: 26 }, () => defineComponent({ value: i32 }));
      const Z = components[25];
      const Data = defineComponent({ value: i32 });
      const dataQuery = defineQuery([Data]);
      const dataSystem = (w: IWorld) => {
        const ents = dataQuery(w);
        for (let i = 0; i < ents.length; i++) Data.value[ents[i]] *= 2;
        return w;
      };
      const zQuery = defineQuery([Z]);
      const zSystem = (w: IWorld) => {
        const ents = zQuery(w);
        for (let i = 0; i < ents.length; i++) Z.value[ents[i]] *= 2;
        return w;
      };
      for (let i = 0; i < n; i++) {
        for (const component of components) {
          const e = addEntity(world);
          addComponent(world, Data, e);
          addComponent(world, component, e);
        }
      }
      return cell(world, () => {
        dataSystem(world);
        zSystem(world);
      }, [dataQuery, zQuery]);
    }
    case 'entity_cycle': {
      const A = defineComponent({ value: i32 });
      const B = defineComponent({ value: i32 });
      const queryA = defineQuery([A]);
      const spawnB = (w: IWorld) => {
        const ents = queryA(w);
        for (let i = 0; i < ents.length; i++) {
          const eid = addEntity(w);
          addComponent(w, B, eid);
          B.value[eid] = A.value[ents[i]];
        }
        return w;
      };
      const queryB = defineQuery([B]);
      const killB = (w: IWorld) => {
        const ents = queryB(w);
        for (let i = 0; i < ents.length; i++) removeEntity(w, ents[i]);
        return w;
      };
      for (let i = 0; i < n; i++) {
        const eid = addEntity(world);
        addComponent(world, A, eid);
        A.value[eid] = i;
      }
      const pipeline = pipe(spawnB, killB);
      return cell(world, () => pipeline(world), [queryA, queryB]);
    }
    case 'add_remove': {
      const A = defineComponent();
      const B = defineComponent();
      const queryA = defineQuery([A]);
      const addB = (w: IWorld) => {
        const ents = queryA(w);
        for (let i = 0; i < ents.length; i++) addComponent(w, B, ents[i]);
        return w;
      };
      const queryB = defineQuery([B]);
      const removeB = (w: IWorld) => {
        const ents = queryB(w);
        for (let i = 0; i < ents.length; i++) removeComponent(w, B, ents[i]);
        return w;
      };
      for (let i = 0; i < n; i++) addComponent(world, A, addEntity(world));
      const pipeline = pipe(addB, removeB);
      return cell(world, () => pipeline(world), [queryA, queryB]);
    }
  }
}

export const bitecs03: LibraryAdapter = {
  name: 'bitECS 0.3.40',
  id: 'bitecs-0.3',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('data'),
  changes: ['none (0.3.40 keeps the 0.3.34 API the adapters were written for)'],
  create,
};
