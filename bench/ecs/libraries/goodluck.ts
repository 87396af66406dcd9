/**
 * goodluck 7.0.0: noctjs/ecs-benchmark's adapters, ported. goodluck keeps no query index: a
 * world is a `Signature` array of component bitmasks, and every system scans all of it, testing
 * each entity's mask. Components are class instances in plain arrays; `instantiate` runs a
 * blueprint of mixin closures.
 */
import { WorldImpl, instantiate } from 'goodluck';
import { indexedSemantics, type Cell, type LibraryAdapter, type Workload } from '../workloads.ts';

type Mixin = (world: World, entity: number) => void;
class World extends WorldImpl {
  declare Signature: number[];
  declare Graveyard: number[];
  A: { value: number }[] = [];
  B: { value: number }[] = [];
  C: { value: number }[] = [];
  D: { value: number }[] = [];
  E: { value: number }[] = [];
}
class Value {
  value: number;
  constructor(value: number) {
    this.value = value;
  }
}
// One class per component, as the noctjs adapter writes them (distinct hidden classes).
class A extends Value {}
class B extends Value {}
class C extends Value {}
class D extends Value {}
class E extends Value {}

const HAS_A = 1 << 0;
const HAS_B = 1 << 1;
const HAS_C = 1 << 2;
const HAS_D = 1 << 3;
const HAS_E = 1 << 4;

const a =
  (value: number): Mixin =>
  (world, entity) => {
    world.Signature[entity] |= HAS_A;
    world.A[entity] = new A(value);
  };
const b =
  (value: number): Mixin =>
  (world, entity) => {
    world.Signature[entity] |= HAS_B;
    world.B[entity] = new B(value);
  };
const c =
  (value: number): Mixin =>
  (world, entity) => {
    world.Signature[entity] |= HAS_C;
    world.C[entity] = new C(value);
  };
const d =
  (value: number): Mixin =>
  (world, entity) => {
    world.Signature[entity] |= HAS_D;
    world.D[entity] = new D(value);
  };
const e =
  (value: number): Mixin =>
  (world, entity) => {
    world.Signature[entity] |= HAS_E;
    world.E[entity] = new E(value);
  };

function countMask(world: { Signature: number[] }, mask: number): number {
  let n = 0;
  for (let i = 0; i < world.Signature.length; i++) if ((world.Signature[i] & mask) === mask) n++;
  return n;
}

function cell(world: { Signature: number[]; Graveyard: number[] }, frame: () => void, masks: number[]): Cell {
  return {
    frame,
    counts: () => ({
      alive: world.Signature.length - world.Graveyard.length,
      queries: masks.map((m) => countMask(world, m)),
    }),
  };
}

function create(workload: Workload, n: number): Cell {
  switch (workload) {
    case 'packed_5': {
      const world = new World();
      for (let i = 0; i < n; i++) instantiate(world, [a(0), b(0), c(0), d(0), e(0)]);
      return cell(world, () => {
        const sig = world.Signature;
        for (let i = 0; i < sig.length; i++) if ((sig[i] & HAS_A) === HAS_A) world.A[i].value *= 2;
        for (let i = 0; i < sig.length; i++) if ((sig[i] & HAS_B) === HAS_B) world.B[i].value *= 2;
        for (let i = 0; i < sig.length; i++) if ((sig[i] & HAS_C) === HAS_C) world.C[i].value *= 2;
        for (let i = 0; i < sig.length; i++) if ((sig[i] & HAS_D) === HAS_D) world.D[i].value *= 2;
        for (let i = 0; i < sig.length; i++) if ((sig[i] & HAS_E) === HAS_E) world.E[i].value *= 2;
      }, [HAS_A, HAS_B, HAS_C, HAS_D, HAS_E]);
    }
    case 'simple_iter': {
      const world = new World();
      for (let i = 0; i < n; i++) {
        instantiate(world, [a(0), b(1)]);
        instantiate(world, [a(0), b(1), c(2)]);
        instantiate(world, [a(0), b(1), c(2), d(3)]);
        instantiate(world, [a(0), b(1), c(2), e(4)]);
      }
      const QUERY_AB = HAS_A | HAS_B;
      const QUERY_CD = HAS_C | HAS_D;
      const QUERY_CE = HAS_C | HAS_E;
      return cell(world, () => {
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & QUERY_AB) === QUERY_AB) {
            const x = world.A[i].value;
            world.A[i].value = world.B[i].value;
            world.B[i].value = x;
          }
        }
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & QUERY_CD) === QUERY_CD) {
            const x = world.C[i].value;
            world.C[i].value = world.D[i].value;
            world.D[i].value = x;
          }
        }
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & QUERY_CE) === QUERY_CE) {
            const x = world.C[i].value;
            world.C[i].value = world.E[i].value;
            world.E[i].value = x;
          }
        }
      }, [QUERY_AB, QUERY_CD, QUERY_CE]);
    }
    case 'frag_iter': {
      const world = new WorldImpl() as WorldImpl & Record<string, { value: number }[]> & { Signature: number[] };
      const names = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
      for (const name of names) world[name] = [];
      world.Data = [];
      const comps = names.map((name, index) => {
        class Comp extends Value {}
        return (value: number) => (w: typeof world, entity: number) => {
          w.Signature[entity] |= 1 << index;
          w[name][entity] = new Comp(value);
        };
      });
      const HAS_Z = 1 << 25;
      const HAS_DATA = 1 << 26;
      class Data extends Value {}
      const data = (value: number) => (w: typeof world, entity: number) => {
        w.Signature[entity] |= HAS_DATA;
        w.Data[entity] = new Data(value);
      };
      for (let i = 0; i < n; i++) for (const comp of comps) instantiate(world, [data(0), comp(0)]);
      return cell(world as unknown as World, () => {
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & HAS_DATA) === HAS_DATA) world.Data[i].value *= 2;
        }
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & HAS_Z) === HAS_Z) world.Z[i].value *= 2;
        }
      }, [HAS_DATA, HAS_Z]);
    }
    case 'entity_cycle': {
      const world = new World();
      for (let i = 0; i < n; i++) instantiate(world, [a(i)]);
      return cell(world, () => {
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & HAS_A) === HAS_A) instantiate(world, [b(world.A[i].value)]);
        }
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & HAS_B) === HAS_B) world.DestroyEntity(i);
        }
      }, [HAS_A, HAS_B]);
    }
    case 'add_remove': {
      const world = new World();
      for (let i = 0; i < n; i++) instantiate(world, [a(i)]);
      return cell(world, () => {
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & HAS_A) === HAS_A) world.Signature[i] |= HAS_B;
        }
        for (let i = 0; i < world.Signature.length; i++) {
          if ((world.Signature[i] & HAS_B) === HAS_B) world.Signature[i] &= ~HAS_B;
        }
      }, [HAS_A, HAS_B]);
    }
  }
}

export const goodluck: LibraryAdapter = {
  name: 'goodluck 7.0.0',
  id: 'goodluck',
  workloads: ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'],
  asyncFrame: false,
  semantics: indexedSemantics('data', false),
  changes: [
    'add_remove: B is added to the entities with A (the published adapter adds it to every entity without B and stores `world.B[i] = i`); B is a tag (a mask bit), as in the other adapters',
    'no query index in goodluck: every system scans every signature, so its add/remove is one bit flip per entity; compare it with libraries that keep indexes only with that in mind',
  ],
  create,
};
