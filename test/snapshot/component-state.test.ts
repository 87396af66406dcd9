/**
 * PoolComponent saveState / loadState ('pool' membership, both layouts): random add / remove /
 * write / clear / reserve sequences round-trip exactly (the same members, indices, values,
 * stats, change count and, slot layout, the same next slots; check() passes), also into a fresh
 * world (the members get their anchor tag, so removing an entity still frees its data); held
 * columns stay valid; 'bitecs' membership, other options, dead members, a reset world and bad
 * bytes are refused with nothing changed.
 */
import { addEntity, createWorld, hasComponent, removeEntity, resetWorld, type World } from 'bitecs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotError, SnapshotRing } from '../../src/index.ts';
import { definePoolComponent, type ComponentLayout, type PoolComponent } from '../../src/ecs/index.ts';
import { countGc } from '../support/gc.ts';
import { refusedUnchanged, roundTrip, saved, type RoundTripHarness } from './round-trip.ts';

const SCHEMA = { x: 'f32', v: ['f64', 2], tag: 'u8' } as const;
type Component = PoolComponent<typeof SCHEMA>;
const ENTITIES = 40;

type Op =
  | { op: 'add'; pick: number; value: number }
  | { op: 'remove'; pick: number }
  | { op: 'write'; pick: number; value: number }
  | { op: 'clear' }
  | { op: 'reserve'; capacity: number };

const opArb = (maxCapacity: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('add' as const), pick: fc.nat(), value: fc.integer() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('write' as const), pick: fc.nat(), value: fc.integer() }) },
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('reserve' as const), capacity: fc.integer({ min: 1, max: maxCapacity }) }),
    },
  );

/** A world with `ENTITIES` entities (ids 1..40 in every such world) and one component. */
interface Fixture {
  world: World;
  component: Component;
  eids: number[];
}

function makeFixture(layout: ComponentLayout, maxCapacity: number): Fixture {
  const world = createWorld();
  const eids = Array.from({ length: ENTITIES }, () => addEntity(world));
  const component = definePoolComponent(world, SCHEMA, { layout, membership: 'pool', capacity: 4, maxCapacity });
  return { world, component, eids };
}

function apply(f: Fixture, op: Op): unknown {
  const c = f.component;
  switch (op.op) {
    case 'add': {
      const i = c.add(f.eids[op.pick % ENTITIES]);
      c.fields.x[i] = op.value / 4;
      c.fields.v[i * 2 + 1] = -op.value;
      return i;
    }
    case 'remove':
      return c.remove(f.eids[op.pick % ENTITIES]);
    case 'write': {
      const i = c.indexOf(f.eids[op.pick % ENTITIES]);
      if (i >= 0) c.fields.tag[i] = op.value & 255;
      return i;
    }
    case 'clear':
      c.clear();
      return 'clear';
    case 'reserve':
      c.reserve(op.capacity);
      return c.capacity;
  }
}

function observe(f: Fixture): unknown {
  const c = f.component;
  const { x, v, tag } = c.fields;
  return {
    stats: c.stats(),
    changeCount: c.changeCount,
    members: f.eids.map((e) => {
      const i = c.indexOf(e);
      return i < 0 ? null : [i, x[i], v[i * 2], v[i * 2 + 1], tag[i]];
    }),
    packed: [Array.from(c.entities.subarray(0, c.count)), Array.from(c.indices.subarray(0, c.count))],
  };
}

/** A Snapshotable fixture, so the round-trip helper can drive it. */
type Twin = Fixture & {
  stateBytes: number;
  saveState(into: Uint8Array, at?: number): number;
  loadState(from: Uint8Array, at?: number): number;
};

function twin(f: Fixture): Twin {
  return {
    ...f,
    get stateBytes() {
      return f.component.stateBytes;
    },
    saveState: (into, at) => f.component.saveState(into, at),
    loadState: (from, at) => f.component.loadState(from, at),
  };
}

const VARIANTS: { layout: ComponentLayout; maxCapacity: number }[] = [
  { layout: 'entity', maxCapacity: 64 },
  { layout: 'slot', maxCapacity: 32 },
];

describe.each(VARIANTS)('PoolComponent state ($layout layout)', ({ layout, maxCapacity }) => {
  const harness: RoundTripHarness<Twin, Op, null> = {
    make: () => twin(makeFixture(layout, maxCapacity)),
    newContext: () => null,
    cloneContext: () => null,
    apply: (t, _ctx, op) => apply(t, op),
    observe: (t) => observe(t),
    check: (t) => t.component.check(),
  };
  const ops = fc.array(opArb(maxCapacity), { maxLength: 80 });

  it('round-trips after random operations, in place and into a fresh world', () => {
    fc.assert(
      fc.property(ops, ops, ops, (a, b, c) => roundTrip(harness, a, b, c)),
      { numRuns: 40 },
    );
  });

  it('members loaded into a fresh world get the anchor tag: removing the entity frees the data', () => {
    const a = makeFixture(layout, maxCapacity);
    for (let i = 0; i < 10; i++) a.component.add(a.eids[i * 3]);
    const state = saved(a.component);
    const b = makeFixture(layout, maxCapacity);
    expect(hasComponent(b.world, b.eids[3], b.component.anchor)).toBe(false);
    b.component.loadState(state);
    expect(hasComponent(b.world, b.eids[3], b.component.anchor)).toBe(true);
    removeEntity(b.world, b.eids[3]);
    expect(b.component.has(b.eids[3])).toBe(false);
    expect(b.component.count).toBe(9);
    b.component.check();
  });

  it('keeps held columns valid across a load that shrinks a grown component back', () => {
    const f = makeFixture(layout, maxCapacity);
    const xs = f.component.fields.x;
    const entities = f.component.entities;
    f.component.fields.x[f.component.add(f.eids[1])] = 2.5;
    const state = saved(f.component);
    const capacity = f.component.capacity;
    for (let i = 0; i < 30; i++) f.component.add(f.eids[i]);
    expect(f.component.capacity).toBeGreaterThan(capacity);
    f.component.loadState(state);
    expect(f.component.capacity).toBe(capacity);
    expect(f.component.fields.x).toBe(xs);
    expect(f.component.entities).toBe(entities);
    expect(xs[f.component.indexOf(f.eids[1])]).toBe(2.5);
    expect(f.component.count).toBe(1);
    f.component.check();
  });

  it('refuses what it cannot load, and changes nothing', () => {
    const f = makeFixture(layout, maxCapacity);
    for (let i = 0; i < 5; i++) f.component.add(f.eids[i]);
    const state = saved(f.component);
    const others = [
      definePoolComponent(createWorld(), { ...SCHEMA, x: 'f64' } as const, { layout, membership: 'pool' }),
      definePoolComponent(createWorld(), SCHEMA, {
        layout,
        membership: 'pool',
        capacity: 4,
        maxCapacity: maxCapacity * 2,
      }),
      definePoolComponent(createWorld(), SCHEMA, { layout: layout === 'slot' ? 'entity' : 'slot', membership: 'pool' }),
    ];
    for (const other of others) {
      const e = refusedUnchanged(other, () => other.loadState(state));
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).reason).toBe('options');
    }
    const e = refusedUnchanged(f.component, () => f.component.loadState(state.subarray(0, state.length - 8)));
    expect((e as SnapshotError).reason).toBe('truncated');
    // 'bitecs' membership: saved, but a load is refused (its members live in bitECS's masks).
    const bitecs = definePoolComponent(f.world, SCHEMA, { layout, capacity: 4, maxCapacity });
    bitecs.add(f.eids[0]);
    const bitecsState = saved(bitecs);
    const refused = refusedUnchanged(bitecs, () => bitecs.loadState(bitecsState));
    expect((refused as SnapshotError).reason).toBe('world');
    // A member that died since the save.
    removeEntity(f.world, f.eids[2]);
    const dead = refusedUnchanged(f.component, () => f.component.loadState(state));
    expect((dead as SnapshotError).reason).toBe('world');
    expect((dead as Error).message).toMatch(/member 3 of the saved state is not alive/);
    // A reset world.
    resetWorld(f.world);
    const reset = refusedUnchanged(f.component, () => f.component.loadState(state));
    expect((reset as SnapshotError).reason).toBe('world');
  });

  it('refuses impossible counters (reason corrupt) and changes nothing', () => {
    const f = makeFixture(layout, maxCapacity);
    for (let i = 0; i < 5; i++) f.component.add(f.eids[i]);
    const state = saved(f.component);
    const counters = 24 + 8 * (state[14] | (state[15] << 8));
    const withCounter = (i: number, value: number) => {
      const copy = state.slice();
      new DataView(copy.buffer).setFloat64(counters + 8 * i, value, true);
      return copy;
    };
    for (const [i, value] of [
      [0, 1000], // count above the packed length
      [2, maxCapacity * 2], // packed length above maxCapacity
      [3, 0], // no per-entity entries
    ]) {
      const e = refusedUnchanged(f.component, () => f.component.loadState(withCounter(i, value)));
      expect((e as SnapshotError).reason, `counter ${i} = ${value}`).toBe('corrupt');
    }
  });

  it('save and restore through a SnapshotRing allocate nothing (GC count over 20,000 frames)', async () => {
    const f = makeFixture(layout, maxCapacity);
    const ring = new SnapshotRing([f.component], { capacity: 8 });
    let frame = 0;
    const frames = (n: number) => {
      for (let k = 0; k < n; k++, frame++) {
        const eid = f.eids[frame % 20];
        if (f.component.has(eid)) f.component.remove(eid);
        else f.component.fields.x[f.component.add(eid)] = frame;
        ring.save(frame);
        if (frame % 8 === 7) ring.restore(frame - 4);
      }
    };
    frames(30_000); // warm-up: every entity anchored, every tier compiled
    const gc = await countGc(() => frames(20_000));
    expect(gc.count).toBe(0);
    f.component.check();
  });
});
