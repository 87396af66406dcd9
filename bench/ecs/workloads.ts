/**
 * The five workloads of noctjs/ecs-benchmark, as data: what one frame does, how many entities a
 * cell starts with, and the entity counts every library must report after each frame. Shared by
 * every library adapter in `bench/ecs/libraries/`, the cell process (`cell.ts`) and the table
 * (`table.ts`).
 *
 * One op = one frame = one call of the function the noctjs adapter returns:
 * - packed_5: `n` entities with A..E; five systems, each doubles one component on every match.
 * - simple_iter: `n` entities each of (A,B), (A,B,C), (A,B,C,D), (A,B,C,E); three systems swap
 *   A<->B, C<->D, C<->E.
 * - frag_iter: `n` entities for each of 26 components (A..Z), each also with Data; double Data on
 *   all, then Z on its `n`.
 * - entity_cycle: `n` entities with A; for each, create an entity with B (noctjs's bitECS,
 *   becsy and goodluck adapters copy A's value into it; its piecs and wolf-ecs adapters give a
 *   data-less B), then destroy every entity with B.
 * - add_remove: `n` entities with A; add B to each, then remove B from each (B a data-less tag).
 *
 * `n` is noctjs's: 1,000, except frag_iter's 100 (2,600 entities). The no-op detector runs every
 * cell again at 4x `n`.
 */

export const WORKLOADS = ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** noctjs/ecs-benchmark's `count` per workload (`src/bench.js`, `BENCHMARKS`). */
export const BASE_COUNT: Record<Workload, number> = {
  packed_5: 1000,
  simple_iter: 1000,
  frag_iter: 100,
  entity_cycle: 1000,
  add_remove: 1000,
};

/**
 * Entity counts after a frame: `alive` is every entity the library still holds as existing (for
 * entity_cycle, a library that really deletes reports `n`); `queries` are the counts of the
 * workload's queries, in the order of {@link QUERY_NAMES}.
 */
export interface Counts {
  alive: number;
  queries: number[];
}

/** The queries each workload's adapters report, in order. */
export const QUERY_NAMES: Record<Workload, readonly string[]> = {
  packed_5: ['A', 'B', 'C', 'D', 'E'],
  simple_iter: ['A,B', 'C,D', 'C,E'],
  frag_iter: ['Data', 'Z'],
  entity_cycle: ['A', 'B'],
  add_remove: ['A', 'B'],
};

/** The counts every library must report after each frame of `workload` with `n` entities. */
export function expectedCounts(workload: Workload, n: number): Counts {
  switch (workload) {
    case 'packed_5':
      return { alive: n, queries: [n, n, n, n, n] };
    case 'simple_iter':
      return { alive: 4 * n, queries: [4 * n, n, n] };
    case 'frag_iter':
      return { alive: 26 * n, queries: [26 * n, n] };
    case 'entity_cycle':
      return { alive: n, queries: [n, 0] };
    case 'add_remove':
      return { alive: n, queries: [n, 0] };
  }
}

/** What one library's frame really does, per workload: the semantics columns of the table. */
export interface Semantics {
  /**
   * The library keeps each query's matching entities as an index (a list or set updated on
   * add/remove), so a system visits only its matches. `false`: systems scan every entity.
   */
  keepsQueryIndexes: boolean;
  /**
   * entity_cycle: the destroyed entities are gone from the library (it no longer reports them as
   * existing, their ids are free). `false`: parked (recycled, still existing). `null`: not a
   * churn workload.
   */
  reallyDeletes: boolean | null;
  /** B in entity_cycle / add_remove: `'tag'` (no data) or `'data'` (a value per entity); null elsewhere. */
  b: 'tag' | 'data' | null;
}

/**
 * The semantics of a library that keeps query indexes and really deletes entities, per workload:
 * B in entity_cycle is `entityCycleB` (a tag or data, as its adapter writes it), B in add_remove a
 * tag. O(1).
 */
export function indexedSemantics(entityCycleB: 'tag' | 'data', keepsQueryIndexes = true): (w: Workload) => Semantics {
  return (w) => ({
    keepsQueryIndexes,
    reallyDeletes: w === 'entity_cycle' ? true : null,
    b: w === 'entity_cycle' ? entityCycleB : w === 'add_remove' ? 'tag' : null,
  });
}

/** A ready cell: call `frame()` once per op (a Promise for libraries whose frame is async). */
export interface Cell {
  frame: () => void | Promise<void>;
  /** Entity counts after the last frame; may allocate (never called inside a timed window). */
  counts: () => Counts;
}

/** One library's adapter: builds a cell for a workload and describes its semantics. */
export interface LibraryAdapter {
  /** Row name in the table, for example `'piecs 0.4.0'`. */
  name: string;
  /** Short id used on the command line, for example `'piecs'`. */
  id: string;
  /** Which workloads it runs (the parked EntityPool row runs entity_cycle only). */
  workloads: readonly Workload[];
  /** Whether `frame()` returns a Promise (becsy's `world.execute()`). */
  asyncFrame: boolean;
  semantics(workload: Workload): Semantics;
  /** What this adapter changes from noctjs/ecs-benchmark's published one, and why. */
  changes: readonly string[];
  create(workload: Workload, n: number): Promise<Cell> | Cell;
  /** Counts after each frame when they differ from {@link expectedCounts} (parked entities). */
  expected?(workload: Workload, n: number): Counts;
}

/** Throws unless `actual` equals `expected` (named for the message). */
export function checkCounts(where: string, actual: Counts, expected: Counts): void {
  const ok =
    actual.alive === expected.alive &&
    actual.queries.length === expected.queries.length &&
    actual.queries.every((q, i) => q === expected.queries[i]);
  if (!ok) {
    throw new Error(
      `${where}: expected alive ${expected.alive}, queries [${expected.queries.join(', ')}]; got alive ${actual.alive}, queries [${actual.queries.join(', ')}]`,
    );
  }
}
