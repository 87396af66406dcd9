/**
 * The five workloads of the public JS ECS benchmark (noctjs/ecs-benchmark), reimplemented from
 * their definitions, for each storage variant. Shared by `bench/suites/ecs.bench.ts` (op/s through
 * tinybench) and `bench/ecs-gc.ts` (GC events per 1,000 frames, outside tinybench).
 *
 * One op = one frame (one call of `frame()`).
 *
 * - packed_5: 1,000 entities with A..E (one i32 `value` each); five systems each double one
 *   component over all its matches.
 * - simple_iter: 4,000 entities in groups of 1,000 with (A,B), (A,B,C), (A,B,C,D), (A,B,C,E);
 *   three systems swap A<->B, C<->D, C<->E.
 * - frag_iter: 26 component types Z0..Z25, 100 entities each, each also carrying Data; double
 *   Data on all, then double Z on all.
 * - entity_cycle: 1,000 entities with A; each frame creates one entity with B per A, then
 *   destroys every B.
 * - add_remove: 1,000 entities with A; each frame adds B to all, then removes B from all.
 *
 * Variants:
 * - `typed`: bitECS 0.4 with plain `Int32Array` stores indexed by entity id (its recommended form),
 *   bitECS queries, `addEntity`/`removeEntity`/`addComponent`/`removeComponent`.
 * - `entity`: bitECS with steadyheap pool components, layout `'entity'` (bitECS membership, hooks).
 * - `slot`: bitECS with steadyheap pool components, layout `'slot'` (id -> slot map per access).
 * - `pooled`: the garbage-free bridge path: `'pool'` membership components (layout `'entity'`)
 *   iterated through their packed lists (joins through a cached {@link PoolQuery}), and an
 *   {@link EntityPool} for entity churn.
 * - `structpool`: StructPool alone, no ECS: one pool per archetype, iterated through `dense`.
 */
import { addComponent, addEntity, createWorld, query, removeComponent, removeEntity, type World } from 'bitecs';
import {
  EntityPool,
  definePoolComponent,
  definePoolQuery,
  type PoolComponent,
  type PoolQuery,
} from 'steadyheap/bitecs';
import { StructPool } from 'steadyheap';

export type Variant = 'typed' | 'entity' | 'slot' | 'pooled' | 'structpool';
export type Workload = 'packed_5' | 'simple_iter' | 'frag_iter' | 'entity_cycle' | 'add_remove';

export const VARIANTS: readonly Variant[] = ['typed', 'entity', 'slot', 'pooled', 'structpool'];
export const WORKLOADS: readonly Workload[] = ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'];

export const VARIANT_LABELS: Record<Variant, string> = {
  typed: 'bitECS + typed arrays',
  entity: 'bitECS + steadyheap entity layout',
  slot: 'bitECS + steadyheap slot layout',
  pooled: 'steadyheap garbage-free path',
  structpool: 'StructPool alone',
};

/** A ready-to-run workload: call `frame()` once per op. */
export interface WorkloadInstance {
  frame: () => void;
  /** Throws when the world is not in the expected steady state. */
  verify: () => void;
}

const MAX_EIDS = 1 << 14;
type Value = { value: Int32Array };
type PC = PoolComponent<{ value: 'i32' }>;
type Comp = Value | PC;

/** Storage for one bitECS-backed variant: how to make a component and read its value column. */
interface Storage {
  world: World;
  make(): Comp;
}

function bitecsStorage(variant: 'typed' | 'entity' | 'slot'): Storage {
  const world = createWorld();
  return {
    world,
    make: () =>
      variant === 'typed'
        ? { value: new Int32Array(MAX_EIDS) }
        : definePoolComponent(world, { value: 'i32' }, { layout: variant, capacity: MAX_EIDS, maxCapacity: MAX_EIDS }),
  };
}

/** `column[index]` for an entity: the id itself (typed, entity layout) or its slot (slot layout). */
function columnOf(c: Comp): Int32Array {
  return 'fields' in c ? c.fields.value : c.value;
}

function fill(world: World, n: number, comps: Comp[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = addEntity(world);
    for (const c of comps) addComponent(world, e, c);
    out.push(e);
  }
  for (const e of out) for (const c of comps) columnOf(c)[indexIn(c, e)] = 1;
  return out;
}

function indexIn(c: Comp, eid: number): number {
  return 'fields' in c && c.layout === 'slot' ? c.indexOf(eid) : eid;
}

/** The iteration systems of one bitECS-backed variant. */
interface Systems {
  /** Doubles `c` over `query(world, terms)`. */
  double(world: World, terms: Comp[], c: Comp): void;
  /** Swaps a<->b over `query(world, terms)` (terms pre-built: a literal per call would allocate). */
  swap(world: World, terms: Comp[], a: Comp, b: Comp): void;
}

// One copy of the systems per variant, textually distinct on purpose: V8 keeps type feedback per
// function literal, so systems shared by the variants would run the later variants in
// polymorphic code (measured 0.85x on frag_iter for loops identical to the baseline's). A real
// program has one storage kind per system.
const SYSTEMS: Record<'typed' | 'entity' | 'slot', Systems> = {
  typed: {
    double(world, terms, c) {
      const ents = query(world, terms);
      const col = (c as Value).value;
      for (let i = 0; i < ents.length; i++) col[ents[i]] *= 2;
    },
    swap(world, terms, a, b) {
      const ents = query(world, terms);
      const ca = (a as Value).value;
      const cb = (b as Value).value;
      for (let i = 0; i < ents.length; i++) {
        const e = ents[i];
        const t = ca[e];
        ca[e] = cb[e];
        cb[e] = t;
      }
    },
  },
  entity: {
    // Entity layout: columns indexed by the raw index, which is the id in an unversioned world.
    double(world, terms, c) {
      const ents = query(world, terms);
      const col = (c as PC).fields.value;
      for (let i = 0; i < ents.length; i++) col[ents[i]] *= 2;
    },
    swap(world, terms, a, b) {
      const ents = query(world, terms);
      const ca = (a as PC).fields.value;
      const cb = (b as PC).fields.value;
      for (let i = 0; i < ents.length; i++) {
        const e = ents[i];
        const t = ca[e];
        ca[e] = cb[e];
        cb[e] = t;
      }
    },
  },
  slot: {
    // Slot layout: an id -> slot lookup per access.
    double(world, terms, c) {
      const ents = query(world, terms);
      const pc = c as PC;
      const col = pc.fields.value;
      for (let i = 0; i < ents.length; i++) col[pc.indexOf(ents[i])] *= 2;
    },
    swap(world, terms, a, b) {
      const ents = query(world, terms);
      const pa = a as PC;
      const pb = b as PC;
      const ca = pa.fields.value;
      const cb = pb.fields.value;
      for (let i = 0; i < ents.length; i++) {
        const ia = pa.indexOf(ents[i]);
        const ib = pb.indexOf(ents[i]);
        const t = ca[ia];
        ca[ia] = cb[ib];
        cb[ib] = t;
      }
    },
  },
};

function bitecsWorkload(variant: 'typed' | 'entity' | 'slot', workload: Workload): WorkloadInstance {
  const s = bitecsStorage(variant);
  const { world } = s;
  const { double: doubleOver, swap: swapOver } = SYSTEMS[variant];
  switch (workload) {
    case 'packed_5': {
      const cs = [s.make(), s.make(), s.make(), s.make(), s.make()];
      fill(world, 1000, cs);
      // Pre-built term arrays: a literal per call would allocate.
      const terms = cs.map((c) => [c]);
      return {
        frame: () => {
          for (let k = 0; k < 5; k++) doubleOver(world, terms[k], cs[k]);
        },
        verify: () => expectCount(query(world, terms[0]).length, 1000),
      };
    }
    case 'simple_iter': {
      const [A, B, C, D, E] = [s.make(), s.make(), s.make(), s.make(), s.make()];
      fill(world, 1000, [A, B]);
      fill(world, 1000, [A, B, C]);
      fill(world, 1000, [A, B, C, D]);
      fill(world, 1000, [A, B, C, E]);
      const ab = [A, B];
      const cd = [C, D];
      const ce = [C, E];
      return {
        frame: () => {
          swapOver(world, ab, A, B);
          swapOver(world, cd, C, D);
          swapOver(world, ce, C, E);
        },
        verify: () => expectCount(query(world, [A, B]).length, 4000),
      };
    }
    case 'frag_iter': {
      const Data = s.make();
      const zs = Array.from({ length: 26 }, () => s.make());
      for (const z of zs) fill(world, 100, [z, Data]);
      const dataTerms = [Data];
      const zTerms = zs.map((z) => [z]);
      return {
        frame: () => {
          doubleOver(world, dataTerms, Data);
          for (let k = 0; k < 26; k++) doubleOver(world, zTerms[k], zs[k]);
        },
        verify: () => expectCount(query(world, dataTerms).length, 2600),
      };
    }
    case 'entity_cycle': {
      const A = s.make();
      const B = s.make();
      fill(world, 1000, [A]);
      const aTerms = [A];
      const bTerms = [B];
      return {
        frame: () => {
          const as = query(world, aTerms);
          const colB = columnOf(B);
          for (let i = 0; i < as.length; i++) {
            const e = addEntity(world);
            addComponent(world, e, B);
            colB[indexIn(B, e)] = 1;
          }
          const bs = query(world, bTerms);
          for (let i = bs.length - 1; i >= 0; i--) removeEntity(world, bs[i]);
        },
        verify: () => expectCount(query(world, bTerms).length, 0),
      };
    }
    case 'add_remove': {
      const A = s.make();
      const B = s.make();
      fill(world, 1000, [A]);
      const aTerms = [A];
      const bTerms = [B];
      return {
        frame: () => {
          const as = query(world, aTerms);
          for (let i = 0; i < as.length; i++) addComponent(world, as[i], B);
          const bs = query(world, bTerms);
          for (let i = bs.length - 1; i >= 0; i--) removeComponent(world, bs[i], B);
        },
        verify: () => expectCount(query(world, bTerms).length, 0),
      };
    }
  }
}

function expectCount(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`workload state: expected ${expected}, got ${actual}`);
}

/** The garbage-free bridge path: `'pool'` membership, packed iteration, EntityPool churn. */
function pooledWorkload(workload: Workload): WorkloadInstance {
  const world = createWorld();
  const make = (): PC =>
    definePoolComponent(world, { value: 'i32' }, { membership: 'pool', capacity: MAX_EIDS, maxCapacity: MAX_EIDS });
  const spawn = (n: number, comps: PC[]) => {
    for (let i = 0; i < n; i++) {
      const e = addEntity(world);
      for (const c of comps) c.fields.value[c.add(e)] = 1;
    }
  };
  const double = (c: PC) => {
    const col = c.fields.value;
    const idx = c.indices;
    // Forward: nothing is removed during the pass (backward is only needed when removing).
    for (let i = 0, n = c.count; i < n; i++) col[idx[i]] *= 2;
  };
  /** Swaps a<->b on the entities of `q` (a cached join of [a, b]; pre-built: setup allocates). */
  const swap = (q: PoolQuery, a: PC, b: PC) => {
    const n = q.update(); // O(2) when nothing changed: the join is cached
    const ca = a.fields.value;
    const cb = b.fields.value;
    const ia = q.indices[0];
    const ib = q.indices[1];
    if (ia === ib) {
      // Both 'entity' layout: one shared raw-index array (see PoolQuery.indices).
      for (let i = 0; i < n; i++) {
        const x = ia[i];
        const t = ca[x];
        ca[x] = cb[x];
        cb[x] = t;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      const x = ia[i];
      const y = ib[i];
      const t = ca[x];
      ca[x] = cb[y];
      cb[y] = t;
    }
  };
  switch (workload) {
    case 'packed_5': {
      const cs = [make(), make(), make(), make(), make()];
      spawn(1000, cs);
      return {
        frame: () => {
          for (let k = 0; k < 5; k++) double(cs[k]);
        },
        verify: () => expectCount(cs[4].count, 1000),
      };
    }
    case 'simple_iter': {
      const [A, B, C, D, E] = [make(), make(), make(), make(), make()];
      spawn(1000, [A, B]);
      spawn(1000, [A, B, C]);
      spawn(1000, [A, B, C, D]);
      spawn(1000, [A, B, C, E]);
      const ab = definePoolQuery([A, B]);
      const cd = definePoolQuery([C, D]);
      const ce = definePoolQuery([C, E]);
      return {
        frame: () => {
          swap(ab, A, B);
          swap(cd, C, D);
          swap(ce, C, E);
        },
        verify: () => expectCount(B.count, 4000),
      };
    }
    case 'frag_iter': {
      const Data = make();
      const zs = Array.from({ length: 26 }, () => make());
      for (const z of zs) spawn(100, [z, Data]);
      return {
        frame: () => {
          double(Data);
          for (let k = 0; k < 26; k++) double(zs[k]);
        },
        verify: () => expectCount(Data.count, 2600),
      };
    }
    case 'entity_cycle': {
      const A = make();
      const B = make();
      spawn(1000, [A]);
      const bs = new EntityPool(world, { components: [B], capacity: 1024, maxCapacity: 1024 });
      return {
        frame: () => {
          const col = B.fields.value;
          for (let i = A.count - 1; i >= 0; i--) col[B.indexOf(bs.spawn())] = 1;
          const ents = B.entities;
          for (let i = B.count - 1; i >= 0; i--) bs.despawn(ents[i]);
        },
        verify: () => expectCount(B.count + bs.size, 0),
      };
    }
    case 'add_remove': {
      const A = make();
      const B = make();
      spawn(1000, [A]);
      return {
        frame: () => {
          const ents = A.entities;
          for (let i = A.count - 1; i >= 0; i--) B.add(ents[i]);
          const bents = B.entities;
          for (let i = B.count - 1; i >= 0; i--) B.remove(bents[i]);
        },
        verify: () => expectCount(B.count, 0),
      };
    }
  }
}

/** StructPool alone: one pool per archetype, no entity ids. */
function structPoolWorkload(workload: Workload): WorkloadInstance {
  const v = (n: number) => new StructPool({ value: ['i32', n] }, { capacity: 4096, maxCapacity: 4096 });
  const fillPool = (p: StructPool<{ value: ['i32', number] }>, n: number) => {
    for (let i = 0; i < n; i++) {
      const s = p.slotOf(p.alloc());
      p.fields.value.fill(1, s * p.layout[0].elementsPerSlot, (s + 1) * p.layout[0].elementsPerSlot);
    }
  };
  switch (workload) {
    case 'packed_5': {
      // One archetype (A..E) as five scalar columns.
      const p = new StructPool(
        { a: 'i32', b: 'i32', c: 'i32', d: 'i32', e: 'i32' },
        { capacity: 1024, maxCapacity: 1024 },
      );
      for (let i = 0; i < 1000; i++) p.alloc();
      const cols = [p.fields.a, p.fields.b, p.fields.c, p.fields.d, p.fields.e];
      return {
        frame: () => {
          const dense = p.dense;
          for (let k = 0; k < 5; k++) {
            const col = cols[k];
            for (let i = p.size - 1; i >= 0; i--) col[dense[i]] *= 2;
          }
        },
        verify: () => expectCount(p.size, 1000),
      };
    }
    case 'simple_iter': {
      // Archetypes AB, ABC, ABCD, ABCE; a field vector [A, B, C, D|E].
      const ab = v(2);
      const abc = v(3);
      const abcd = v(4);
      const abce = v(4);
      for (const p of [ab, abc, abcd, abce]) fillPool(p, 1000);
      const swapIn = (p: StructPool<{ value: ['i32', number] }>, stride: number, x: number, y: number) => {
        const col = p.fields.value;
        const dense = p.dense;
        for (let i = p.size - 1; i >= 0; i--) {
          const base = dense[i] * stride;
          const t = col[base + x];
          col[base + x] = col[base + y];
          col[base + y] = t;
        }
      };
      return {
        frame: () => {
          swapIn(ab, 2, 0, 1);
          swapIn(abc, 3, 0, 1);
          swapIn(abcd, 4, 0, 1);
          swapIn(abce, 4, 0, 1);
          swapIn(abcd, 4, 2, 3); // C<->D
          swapIn(abce, 4, 2, 3); // C<->E (E sits where D would)
        },
        verify: () => expectCount(ab.size + abc.size + abcd.size + abce.size, 4000),
      };
    }
    case 'frag_iter': {
      const pools = Array.from(
        { length: 26 },
        () => new StructPool({ z: 'i32', data: 'i32' }, { capacity: 128, maxCapacity: 128 }),
      );
      for (const p of pools) for (let i = 0; i < 100; i++) p.alloc();
      return {
        frame: () => {
          for (let k = 0; k < 26; k++) {
            const p = pools[k];
            const col = p.fields.data;
            const dense = p.dense;
            for (let i = p.size - 1; i >= 0; i--) col[dense[i]] *= 2;
          }
          for (let k = 0; k < 26; k++) {
            const p = pools[k];
            const col = p.fields.z;
            const dense = p.dense;
            for (let i = p.size - 1; i >= 0; i--) col[dense[i]] *= 2;
          }
        },
        verify: () => expectCount(pools[25].size, 100),
      };
    }
    case 'entity_cycle': {
      const a = new StructPool({ value: 'i32' }, { capacity: 1024, maxCapacity: 1024 });
      const b = new StructPool({ value: 'i32' }, { capacity: 1024, maxCapacity: 1024 });
      for (let i = 0; i < 1000; i++) a.alloc();
      return {
        frame: () => {
          const col = b.fields.value;
          for (let i = a.size - 1; i >= 0; i--) col[b.slotOf(b.alloc())] = 1;
          const dense = b.dense;
          for (let i = b.size - 1; i >= 0; i--) b.free(b.handleOf(dense[i]));
        },
        verify: () => expectCount(b.size, 0),
      };
    }
    case 'add_remove': {
      // B attached to each A: a B pool plus an A-slot -> B-handle column.
      const a = new StructPool({ value: 'i32', b: 'i32' }, { capacity: 1024, maxCapacity: 1024 });
      const b = new StructPool({ value: 'i32' }, { capacity: 1024, maxCapacity: 1024 });
      for (let i = 0; i < 1000; i++) a.alloc();
      return {
        frame: () => {
          const dense = a.dense;
          const link = a.fields.b;
          for (let i = a.size - 1; i >= 0; i--) link[dense[i]] = b.alloc();
          for (let i = a.size - 1; i >= 0; i--) b.free(link[dense[i]]);
        },
        verify: () => expectCount(b.size, 0),
      };
    }
  }
}

/** Builds one workload for one variant (allocates: setup only). */
export function createWorkload(variant: Variant, workload: Workload): WorkloadInstance {
  if (variant === 'pooled') return pooledWorkload(workload);
  if (variant === 'structpool') return structPoolWorkload(workload);
  return bitecsWorkload(variant, workload);
}
