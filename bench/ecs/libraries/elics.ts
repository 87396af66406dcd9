/**
 * EliCS 3.4.2 (no noctjs adapter): written as EliCS's own benchmark suite writes these
 * workloads: `createComponent` with typed-array storage (`Types.Int32`), systems from
 * `createSystem({ name: { required: [A] } })` iterating `this.queries.name.entities` (a `Set`),
 * data read and written as `A.data.value[entity.index]`, `world.update(delta, time)` per frame.
 * Checks off (`checksOn: false`), as in that suite.
 */
import { Types, World, createComponent, createSystem } from 'elics';
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

type Comp = ReturnType<typeof makeValue>;
type Query = { entities: Set<{ index: number }> };
let nextId = 0;
const makeValue = () => createComponent(`v${nextId++}`, { value: { type: Types.Int32, default: 0 } });
const makeTag = () => createComponent(`t${nextId++}`, {});

function cell(world: World, queriesOf: () => Query[], alive: (q: number[]) => number): Cell {
  return {
    frame: () => world.update(0, 0),
    counts: () => {
      const queries = queriesOf().map((q) => q.entities.size);
      return { alive: alive(queries), queries };
    },
  };
}

function create(workload: Workload, n: number): Cell {
  switch (workload) {
    case 'packed_5': {
      const world = new World({ entityCapacity: n, checksOn: false });
      const [A, B, C, D, E] = [makeValue(), makeValue(), makeValue(), makeValue(), makeValue()];
      class PackedSystem extends createSystem({
        a: { required: [A] },
        b: { required: [B] },
        c: { required: [C] },
        d: { required: [D] },
        e: { required: [E] },
      }) {
        override update() {
          for (const e of this.queries.a.entities) A.data.value[e.index] *= 2;
          for (const e of this.queries.b.entities) B.data.value[e.index] *= 2;
          for (const e of this.queries.c.entities) C.data.value[e.index] *= 2;
          for (const e of this.queries.d.entities) D.data.value[e.index] *= 2;
          for (const e of this.queries.e.entities) E.data.value[e.index] *= 2;
        }
      }
      for (const c of [A, B, C, D, E]) world.registerComponent(c);
      world.registerSystem(PackedSystem);
      for (let i = 0; i < n; i++) {
        world
          .createEntity()
          .addComponent(A, { value: 1 })
          .addComponent(B, { value: 1 })
          .addComponent(C, { value: 1 })
          .addComponent(D, { value: 1 })
          .addComponent(E, { value: 1 });
      }
      const sys = world.getSystem(PackedSystem) as unknown as { queries: Record<string, Query> };
      return cell(
        world,
        () => ['a', 'b', 'c', 'd', 'e'].map((k) => sys.queries[k]),
        (q) => q[0],
      );
    }
    case 'simple_iter': {
      const world = new World({ entityCapacity: 4 * n, checksOn: false });
      const [A, B, C, D, E] = [makeValue(), makeValue(), makeValue(), makeValue(), makeValue()];
      const swapper = (X: Comp, Y: Comp) =>
        class extends createSystem({ q: { required: [X, Y] } }) {
          override update() {
            for (const e of this.queries.q.entities) {
              const idx = e.index;
              const x = X.data.value[idx];
              X.data.value[idx] = Y.data.value[idx];
              Y.data.value[idx] = x;
            }
          }
        };
      const systems = [swapper(A, B), swapper(C, D), swapper(C, E)];
      for (const c of [A, B, C, D, E]) world.registerComponent(c);
      for (const s of systems) world.registerSystem(s);
      for (let i = 0; i < n; i++) world.createEntity().addComponent(A).addComponent(B);
      for (let i = 0; i < n; i++) world.createEntity().addComponent(A).addComponent(B).addComponent(C);
      for (let i = 0; i < n; i++) world.createEntity().addComponent(A).addComponent(B).addComponent(C).addComponent(D);
      for (let i = 0; i < n; i++) world.createEntity().addComponent(A).addComponent(B).addComponent(C).addComponent(E);
      const queries = systems.map((s) => (world.getSystem(s) as unknown as { queries: { q: Query } }).queries.q);
      return cell(
        world,
        () => queries,
        (q) => q[0],
      );
    }
    case 'frag_iter': {
      const world = new World({ entityCapacity: 26 * n, checksOn: false });
      const Data = makeValue();
      const comps = Array.from({ length: 26 }, makeValue);
      for (const c of comps) world.registerComponent(c);
      world.registerComponent(Data);
      const Z = comps[25];
      class FragSystem extends createSystem({ data: { required: [Data] }, z: { required: [Z] } }) {
        override update() {
          for (const e of this.queries.data.entities) Data.data.value[e.index] *= 2;
          for (const e of this.queries.z.entities) Z.data.value[e.index] *= 2;
        }
      }
      world.registerSystem(FragSystem);
      for (let i = 0; i < 26; i++)
        for (let j = 0; j < n; j++) world.createEntity().addComponent(comps[i]).addComponent(Data);
      const sys = world.getSystem(FragSystem) as unknown as { queries: Record<string, Query> };
      return cell(
        world,
        () => [sys.queries.data, sys.queries.z],
        (q) => q[0],
      );
    }
    case 'entity_cycle': {
      const world = new World({ entityCapacity: 2 * n, checksOn: false });
      const A = makeValue();
      const B = makeValue();
      class CycleSystem extends createSystem({ as: { required: [A] }, bs: { required: [B] } }) {
        override update() {
          for (const e of this.queries.as.entities) {
            world.createEntity().addComponent(B, { value: A.data.value[e.index] });
          }
          for (const e of this.queries.bs.entities) e.destroy();
        }
      }
      world.registerComponent(A).registerComponent(B).registerSystem(CycleSystem);
      for (let i = 0; i < n; i++) world.createEntity().addComponent(A, { value: i });
      const sys = world.getSystem(CycleSystem) as unknown as { queries: Record<string, Query> };
      return cell(
        world,
        () => [sys.queries.as, sys.queries.bs],
        (q) => q[0] + q[1],
      );
    }
    case 'add_remove': {
      const world = new World({ entityCapacity: n, checksOn: false });
      const A = makeTag();
      const B = makeTag();
      class AddRemoveSystem extends createSystem({ as: { required: [A] }, bs: { required: [B] } }) {
        override update() {
          for (const e of this.queries.as.entities) e.addComponent(B);
          for (const e of this.queries.bs.entities) e.removeComponent(B);
        }
      }
      world.registerComponent(A).registerComponent(B).registerSystem(AddRemoveSystem);
      for (let i = 0; i < n; i++) world.createEntity().addComponent(A);
      const sys = world.getSystem(AddRemoveSystem) as unknown as { queries: Record<string, Query> };
      return cell(
        world,
        () => [sys.queries.as, sys.queries.bs],
        (q) => q[0],
      );
    }
  }
}

export const elics: LibraryAdapter = {
  name: 'EliCS 3.4.2',
  id: 'elics',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('data'),
  changes: [
    "no noctjs adapter: written after EliCS's own benchmark suite (benchmarks/elics.js), with Int32 fields instead of Float32 and tags (empty schemas) for add_remove",
    "entity_cycle copies A's value into B; entity counts read from the systems' query sets",
  ],
  create,
};
