/**
 * koota 0.6.6 (no noctjs adapter): written as its README writes fast systems. Traits with a
 * schema are structure-of-arrays stores; `world.query(cached).useStores(([a], entities) => ...)`
 * loops over the stores indexed by `entity.id()`; tags are `trait()` without a schema;
 * `world.spawn`, `entity.destroy()`, `entity.add(B)` / `entity.remove(B)`.
 *
 * Every `world.query(...)` call copies the query's dense entity list (`runQuery` slices it), so
 * each system pass allocates a list of its matches.
 */
import { cacheQuery, createWorld, trait, type Entity, type World } from 'koota';
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

type Store = { value: number[] };
type QueryKey = ReturnType<typeof cacheQuery>;

function cell(world: World, frame: () => void, keys: QueryKey[]): Cell {
  return {
    frame,
    counts: () => ({
      alive: world.entities.length - 1, // koota's world holds one entity of its own (world traits)
      queries: keys.map((k) => world.query(k).length),
    }),
  };
}

function create(workload: Workload, n: number): Cell {
  const world = createWorld();
  switch (workload) {
    case 'packed_5': {
      const [A, B, C, D, E] = [
        trait({ value: 1 }),
        trait({ value: 1 }),
        trait({ value: 1 }),
        trait({ value: 1 }),
        trait({ value: 1 }),
      ];
      for (let i = 0; i < n; i++) world.spawn(A, B, C, D, E);
      const keys = [cacheQuery(A), cacheQuery(B), cacheQuery(C), cacheQuery(D), cacheQuery(E)];
      const [qA, qB, qC, qD, qE] = keys;
      return cell(
        world,
        () => {
          world.query(qA).useStores(([a]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) a.value[entities[j].id()] *= 2;
          });
          world.query(qB).useStores(([b]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) b.value[entities[j].id()] *= 2;
          });
          world.query(qC).useStores(([c]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) c.value[entities[j].id()] *= 2;
          });
          world.query(qD).useStores(([d]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) d.value[entities[j].id()] *= 2;
          });
          world.query(qE).useStores(([e]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) e.value[entities[j].id()] *= 2;
          });
        },
        keys,
      );
    }
    case 'simple_iter': {
      const [A, B, C, D, E] = [
        trait({ value: 0 }),
        trait({ value: 0 }),
        trait({ value: 0 }),
        trait({ value: 0 }),
        trait({ value: 0 }),
      ];
      for (let i = 0; i < n; i++) world.spawn(A, B);
      for (let i = 0; i < n; i++) world.spawn(A, B, C);
      for (let i = 0; i < n; i++) world.spawn(A, B, C, D);
      for (let i = 0; i < n; i++) world.spawn(A, B, C, E);
      const keys = [cacheQuery(A, B), cacheQuery(C, D), cacheQuery(C, E)];
      const [qAB, qCD, qCE] = keys;
      return cell(
        world,
        () => {
          world.query(qAB).useStores(([a, b]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) {
              const id = entities[j].id();
              const t = a.value[id];
              a.value[id] = b.value[id];
              b.value[id] = t;
            }
          });
          world.query(qCD).useStores(([c, d]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) {
              const id = entities[j].id();
              const t = c.value[id];
              c.value[id] = d.value[id];
              d.value[id] = t;
            }
          });
          world.query(qCE).useStores(([c, e]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) {
              const id = entities[j].id();
              const t = c.value[id];
              c.value[id] = e.value[id];
              e.value[id] = t;
            }
          });
        },
        keys,
      );
    }
    case 'frag_iter': {
      const Data = trait({ value: 0 });
      const comps = Array.from({ length: 26 }, () => trait({ value: 0 }));
      for (let i = 0; i < 26; i++) for (let j = 0; j < n; j++) world.spawn(comps[i], Data);
      const keys = [cacheQuery(Data), cacheQuery(comps[25])];
      const [qData, qZ] = keys;
      return cell(
        world,
        () => {
          world.query(qData).useStores(([d]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) d.value[entities[j].id()] *= 2;
          });
          world.query(qZ).useStores(([z]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) z.value[entities[j].id()] *= 2;
          });
        },
        keys,
      );
    }
    case 'entity_cycle': {
      const A = trait({ value: 0 });
      const B = trait({ value: 0 });
      for (let i = 0; i < n; i++) world.spawn(A({ value: i }));
      const keys = [cacheQuery(A), cacheQuery(B)];
      const [qA, qB] = keys;
      return cell(
        world,
        () => {
          world.query(qA).useStores(([a]: Store[], entities: readonly Entity[]) => {
            for (let j = 0; j < entities.length; j++) world.spawn(B({ value: a.value[entities[j].id()] }));
          });
          const bs = world.query(qB);
          for (let j = bs.length - 1; j >= 0; j--) bs[j].destroy();
        },
        keys,
      );
    }
    case 'add_remove': {
      const A = trait();
      const B = trait();
      for (let i = 0; i < n; i++) world.spawn(A);
      const keys = [cacheQuery(A), cacheQuery(B)];
      const [qA, qB] = keys;
      return cell(
        world,
        () => {
          const as = world.query(qA);
          for (let j = 0; j < as.length; j++) as[j].add(B);
          const bs = world.query(qB);
          for (let j = bs.length - 1; j >= 0; j--) bs[j].remove(B);
        },
        keys,
      );
    }
  }
}

export const koota: LibraryAdapter = {
  name: 'koota 0.6.6',
  id: 'koota',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('data'),
  changes: [
    "no noctjs adapter: written after the README's `useStores` pattern with cached queries (`cacheQuery`), as EliCS's suite also benchmarks koota",
    'removal passes take one query result and walk it backward, instead of `.slice()`-ing it again per pass (a copy on top of the copy `world.query` already makes)',
  ],
  create,
};
