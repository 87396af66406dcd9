/**
 * becsy 0.16.0 (`@lastolivegames/becsy/lib/perf.js`, the build without checks, as noctjs uses):
 * noctjs/ecs-benchmark's adapters (written for 0.8.4), ported. Systems are classes with
 * declared queries; `world.execute()` runs one frame and returns a Promise, so each frame here
 * is awaited (the Promise and its microtasks are part of becsy's per-frame cost).
 */
import { System, Type, World } from '@lastolivegames/becsy/lib/perf.js';
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

// becsy's system and component classes are declared through decorators or static fields; its
// typings for the perf build are the same as the main entry's. Loosely typed here.
type Ctor = new (...args: never[]) => object;

/**
 * Builds a cell. becsy updates a system's query lists just before that system runs, so counts are
 * read by a probe system scheduled after all the others, one `current` query per set in `probe`
 * (a reader: it adds the upkeep of those queries to every frame, small next to the workload).
 */
async function makeCell(
  defs: unknown[],
  options: Record<string, number>,
  setup: (world: World) => void,
  systems: Ctor[],
  probe: Ctor[][],
  alive: (queries: number[]) => number,
): Promise<Cell> {
  const counts = probe.map(() => -1);
  class Probe extends System {
    lists = probe.map((set) => this.query((q) => q.current.with(...set)));
    constructor() {
      super();
      this.schedule((s) => s.after(...(systems as never[])));
    }
    override execute() {
      for (let k = 0; k < this.lists.length; k++) counts[k] = this.lists[k].current.length;
    }
  }
  const world = await World.create({ ...options, defs: [...defs, ...systems, Probe] as never[] });
  setup(world);
  return {
    frame: () => world.execute(),
    counts: () => ({ alive: alive(counts), queries: counts.slice() }),
  };
}

function valueComponent(): Ctor {
  // biome-ignore lint/complexity/noStaticOnlyClass: becsy components are classes with a static schema
  return class {
    static schema = { value: Type.int32 };
  };
}

async function create(workload: Workload, n: number): Promise<Cell> {
  switch (workload) {
    case 'packed_5': {
      const [A, B, C, D, E] = [
        valueComponent(),
        valueComponent(),
        valueComponent(),
        valueComponent(),
        valueComponent(),
      ];
      const doubler = (Comp: Ctor) =>
        class extends System {
          entities = this.query((q) => q.current.with(Comp).write);
          override execute() {
            for (const entity of this.entities.current) (entity.write(Comp) as { value: number }).value *= 2;
          }
        };
      const systems = [doubler(A), doubler(B), doubler(C), doubler(D), doubler(E)];
      return makeCell(
        [A, B, C, D, E],
        { maxEntities: n, maxShapeChangesPerFrame: n * 6 },
        (world) => {
          for (let i = 0; i < n; i++) {
            world.createEntity(A, { value: 1 }, B, { value: 1 }, C, { value: 1 }, D, { value: 1 }, E, { value: 1 });
          }
        },
        systems,
        [[A], [B], [C], [D], [E]],
        (q) => q[0],
      );
    }
    case 'simple_iter': {
      const [A, B, C, D, E] = [
        valueComponent(),
        valueComponent(),
        valueComponent(),
        valueComponent(),
        valueComponent(),
      ];
      const swapper = (X: Ctor, Y: Ctor, after?: Ctor) =>
        class extends System {
          entities = this.query((q) => q.current.with(X).write.with(Y).write);
          constructor() {
            super();
            // CD and CE both write C: unordered, World.create hangs (see entity_cycle).
            if (after) this.schedule((s) => s.after(after as never));
          }
          override execute() {
            for (const entity of this.entities.current) {
              const x = entity.write(X) as { value: number };
              const y = entity.write(Y) as { value: number };
              const t = x.value;
              x.value = y.value;
              y.value = t;
            }
          }
        };
      const AB = swapper(A, B);
      const CD = swapper(C, D);
      const CE = swapper(C, E, CD);
      return makeCell(
        [A, B, C, D, E],
        { maxEntities: n * 4, maxShapeChangesPerFrame: n * 4 * 5 },
        (world) => {
          for (let i = 0; i < n; i++) {
            world.createEntity(A, { value: 0 }, B, { value: 1 });
            world.createEntity(A, { value: 0 }, B, { value: 1 }, C, { value: 2 });
            world.createEntity(A, { value: 0 }, B, { value: 1 }, C, { value: 2 }, D, { value: 3 });
            world.createEntity(A, { value: 0 }, B, { value: 1 }, C, { value: 2 }, E, { value: 4 });
          }
        },
        [AB, CD, CE],
        [
          [A, B],
          [C, D],
          [C, E],
        ],
        (q) => q[0],
      );
    }
    case 'frag_iter': {
      const comps = Array.from({ length: 26 }, valueComponent);
      const Z = comps[25];
      const Data = valueComponent();
      const doubler = (Comp: Ctor) =>
        class extends System {
          entities = this.query((q) => q.current.with(Comp).write);
          override execute() {
            for (const entity of this.entities.current) (entity.write(Comp) as { value: number }).value *= 2;
          }
        };
      const DataSystem = doubler(Data);
      const ZSystem = doubler(Z);
      return makeCell(
        [...comps, Data],
        { maxEntities: n * 26, maxShapeChangesPerFrame: n * 26 * 3 },
        (world) => {
          for (let i = 0; i < n; i++)
            for (const Comp of comps) world.createEntity(Comp, { value: 0 }, Data, { value: 0 });
        },
        [DataSystem, ZSystem],
        [[Data], [Z]],
        (q) => q[0],
      );
    }
    case 'entity_cycle': {
      const A = valueComponent();
      const B = valueComponent();
      class SpawnB extends System {
        entities = this.query((q) => q.current.with(A).also.using(B).write);
        override execute() {
          for (const entity of this.entities.current) {
            this.createEntity(B, { value: (entity.read(A) as { value: number }).value });
          }
        }
      }
      class KillB extends System {
        entities = this.query((q) => q.current.with(B).write);
        constructor() {
          super();
          // Both systems write B: unordered, World.create never settles (it hangs); run KillB after SpawnB.
          this.schedule((s) => s.after(SpawnB));
        }
        override execute() {
          for (const entity of this.entities.current) entity.delete();
        }
      }
      return makeCell(
        [A, B],
        { maxEntities: n * 8, maxLimboComponents: n * 8, maxShapeChangesPerFrame: n * 8 },
        (world) => {
          for (let i = 0; i < n; i++) world.createEntity(A, { value: i });
        },
        [SpawnB, KillB],
        [[A], [B]],
        (q) => q[0] + q[1],
      );
    }
    case 'add_remove': {
      // biome-ignore lint/complexity/noStaticOnlyClass: becsy components are classes with a static schema
      const A = class {
        static schema = {};
      };
      // biome-ignore lint/complexity/noStaticOnlyClass: as A
      const B = class {
        static schema = {};
      };
      class AddB extends System {
        entities = this.query((q) => q.current.with(A).but.without(B).write);
        override execute() {
          for (const entity of this.entities.current) entity.add(B);
        }
      }
      class RemoveB extends System {
        entities = this.query((q) => q.current.with(B).write);
        constructor() {
          super();
          this.schedule((s) => s.after(AddB)); // both write B: see entity_cycle
        }
        override execute() {
          for (const entity of this.entities.current) entity.remove(B);
        }
      }
      return makeCell(
        [A, B],
        { maxEntities: n, maxShapeChangesPerFrame: n * 4 },
        (world) => {
          for (let i = 0; i < n; i++) world.createEntity(A);
        },
        [AddB, RemoveB],
        [[A], [B]],
        (q) => q[0],
      );
    }
  }
}

export const becsy: LibraryAdapter = {
  name: 'becsy 0.16.0',
  id: 'becsy',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: true,
  semantics: indexedSemantics('data'),
  changes: [
    '`await world.execute()` per frame: it is async in 0.16 (the published adapter called it without awaiting, timing only the first synchronous part)',
    'entity_cycle, add_remove and simple_iter (CD and CE both write C): two unordered systems writing one component make `World.create` hang in 0.16; the second is scheduled `after` the first',
    '`maxLimboEntities` (gone) replaced by `maxLimboComponents`; `maxShapeChangesPerFrame` raised to cover setup (the perf build does not check it and silently dropped entities past the default)',
    "entity counts read by an extra probe system scheduled last, one `current` query per counted set (the perf build keeps no stats, and a system's own lists are refreshed only before it runs)",
    'one system class per component built by a small factory instead of five written-out classes (same queries and loops)',
  ],
  create,
};
