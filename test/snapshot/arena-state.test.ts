/**
 * Every arena's saveState / loadState: random operation sequences round-trip exactly (same next
 * offsets, stats, walk, buffer bytes, check() passes), views stay valid, saves are deterministic,
 * and every refused load (other options, another arena's state, truncated, damaged header)
 * throws SnapshotError and changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BuddyArena,
  FreeListArena,
  InvalidFreeError,
  OutOfMemoryError,
  SlabArena,
  SnapshotError,
  TreeArena,
  type Allocator,
  type Snapshotable,
} from '../../src/index.ts';
import { requireLittleEndian } from '../../src/snapshot/state-record.ts';
import { expectSameBytes, refusedUnchanged, roundTrip, saved, type RoundTripHarness } from './round-trip.ts';

type Arena = Allocator & Snapshotable;

type ArenaOp =
  | { op: 'alloc'; bytes: number; fill: number }
  | { op: 'free'; pick: number }
  | { op: 'realloc'; pick: number; bytes: number }
  | { op: 'badFree'; pick: number; delta: number }
  | { op: 'reset' };

const arenaOp = (maxBytes: number): fc.Arbitrary<ArenaOp> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        op: fc.constant('alloc' as const),
        bytes: fc.integer({ min: 1, max: maxBytes }),
        fill: fc.nat(255),
      }),
    },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('realloc' as const),
        pick: fc.nat(),
        bytes: fc.integer({ min: 1, max: maxBytes }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('badFree' as const),
        pick: fc.nat(),
        delta: fc.integer({ min: 1, max: 7 }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  );

/** Runs one arena operation; live offsets are the context. Outcome: offsets, -1, error reasons. */
function applyArenaOp(arena: Arena, live: number[], op: ArenaOp): unknown {
  switch (op.op) {
    case 'alloc': {
      const p = arena.tryAlloc(op.bytes);
      if (p >= 0) {
        arena.u8.fill(op.fill, p, p + op.bytes);
        live.push(p);
      }
      return p;
    }
    case 'free': {
      if (live.length === 0) return 'none';
      const [p] = live.splice(op.pick % live.length, 1);
      arena.free(p);
      return p;
    }
    case 'realloc': {
      if (live.length === 0) return 'none';
      const i = op.pick % live.length;
      try {
        live[i] = arena.realloc(live[i], op.bytes);
        return live[i];
      } catch (e) {
        if (e instanceof OutOfMemoryError) return 'oom';
        throw e;
      }
    }
    case 'badFree': {
      const target = live.length === 0 ? op.delta : live[op.pick % live.length] + op.delta;
      try {
        arena.free(target);
        return 'freed?';
      } catch (e) {
        if (e instanceof InvalidFreeError) return e.reason;
        throw e;
      }
    }
    case 'reset':
      arena.reset();
      live.length = 0;
      return 'reset';
  }
}

/** Stats, the walk, and the bytes of every live block. */
function observeArena(arena: Arena, live: number[]): unknown {
  const blocks: [number, number, boolean][] = [];
  arena.walk((offset, bytes, used) => blocks.push([offset, bytes, used]));
  return {
    stats: arena.stats(),
    blocks,
    contents: live.map((p) => Array.from(arena.u8.subarray(p, p + arena.sizeOf(p)))),
  };
}

const ARENAS: { name: string; make: () => Arena; maxBytes: number }[] = [
  { name: 'BuddyArena', make: () => new BuddyArena({ sizeBytes: 4096, minBlockBytes: 16 }), maxBytes: 600 },
  {
    name: 'BuddyArena (48 KiB, masked tail, 32-byte blocks)',
    make: () => new BuddyArena({ sizeBytes: 3 * 2 ** 14, minBlockBytes: 32 }),
    maxBytes: 9000,
  },
  {
    name: 'BuddyArena (wide requested sizes)',
    make: () => new BuddyArena({ sizeBytes: 2 ** 16, minBlockBytes: 512 }),
    maxBytes: 9000,
  },
  { name: 'SlabArena', make: () => new SlabArena({ sizeBytes: 2000, blockBytes: 40 }), maxBytes: 48 },
  { name: 'FreeListArena first fit', make: () => new FreeListArena({ sizeBytes: 4096, fit: 'first' }), maxBytes: 400 },
  { name: 'FreeListArena next fit', make: () => new FreeListArena({ sizeBytes: 4096, fit: 'next' }), maxBytes: 400 },
  {
    name: 'FreeListArena best fit, 16-byte alignment',
    make: () => new FreeListArena({ sizeBytes: 4100, fit: 'best', alignBytes: 16 }),
    maxBytes: 400,
  },
  { name: 'TreeArena', make: () => new TreeArena({ sizeBytes: 8192 }), maxBytes: 700 },
  {
    name: 'TreeArena (large blocks: bins and the large tree)',
    make: () => new TreeArena({ sizeBytes: 2 ** 16 }),
    maxBytes: 6000,
  },
];

describe.each(ARENAS)('$name state', ({ make, maxBytes }) => {
  const harness: RoundTripHarness<Arena, ArenaOp, number[]> = {
    make,
    newContext: () => [],
    cloneContext: (live) => [...live],
    apply: applyArenaOp,
    observe: observeArena,
    check: (a) => a.check(),
  };
  const ops = fc.array(arenaOp(maxBytes), { maxLength: 80 });

  it('round-trips after random operations: same next offsets, stats, walk, bytes; check() passes', () => {
    fc.assert(
      fc.property(ops, ops, ops, (a, b, c) => roundTrip(harness, a, b, c)),
      { numRuns: 30 },
    );
  });

  it('stateBytes is constant, saves are deterministic, and views held across a load stay valid', () => {
    const arena = make();
    const f32 = arena.f32;
    const mine = new Uint8Array(arena.buffer);
    const bytesBefore = arena.stateBytes;
    const p = arena.alloc(16);
    f32[p >> 2] = 1.5;
    const state = saved(arena);
    expectSameBytes(saved(arena), state);
    f32[p >> 2] = -7;
    arena.free(p);
    arena.loadState(state);
    expect(arena.f32).toBe(f32);
    expect(f32[p >> 2]).toBe(1.5);
    expect(mine[p + 2]).toBe(new Uint8Array(new Float32Array([1.5]).buffer)[2]);
    expect(arena.sizeOf(p)).toBeGreaterThanOrEqual(16); // live again
    if (!(arena instanceof TreeArena)) expect(arena.stateBytes).toBe(bytesBefore);
  });

  it('refuses truncated and damaged records and changes nothing', () => {
    const source = make();
    const live: number[] = [];
    for (let i = 0; i < 20; i++) applyArenaOp(source, live, { op: 'alloc', bytes: 1 + ((i * 13) % maxBytes), fill: i });
    applyArenaOp(source, live, { op: 'free', pick: 3 });
    const state = saved(source);
    const target = make();
    applyArenaOp(target, [], { op: 'alloc', bytes: 8, fill: 9 });
    // Every cut of the header and a spread of cuts in the body.
    const cuts = [0, 1, 3, 4, 16, 23, 24, 40, state.length >> 1, state.length - 8, state.length - 1];
    for (const cut of cuts) {
      const e = refusedUnchanged(target, () => target.loadState(state.subarray(0, cut)));
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).reason).toBe('truncated');
    }
    const damaged = (offset: number, value: number, reason: string) => {
      const copy = state.slice();
      copy[offset] = value;
      const e = refusedUnchanged(target, () => target.loadState(copy));
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).reason, `byte ${offset} = ${value}`).toBe(reason);
    };
    damaged(0, 0x00, 'not-a-snapshot');
    damaged(6, 9, 'version');
    damaged(4, state[4] + 1, 'kind');
    damaged(8, state[8] ^ 1, 'options');
    damaged(12, state[12] + 1, 'corrupt'); // counter count
    const damagedF64 = (offset: number, value: number, reason: string) => {
      const copy = state.slice();
      new DataView(copy.buffer).setFloat64(offset, value, true);
      const e = refusedUnchanged(target, () => target.loadState(copy));
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).reason, `f64 at ${offset} = ${value}`).toBe(reason);
    };
    damagedF64(16, state.length + 8, 'truncated'); // record length beyond the input
    damagedF64(16, state.length - 8, 'corrupt'); // sections no longer add up
    damagedF64(16, state.length + 0.5, 'corrupt');
    damagedF64(24, 2 ** 60, 'corrupt'); // first section length
    damagedF64(24, -8, 'corrupt');
    const counter0 = 24 + 8 * state[14];
    damagedF64(counter0, Number.NaN, 'corrupt');
    damagedF64(counter0, -1, 'corrupt');
    damagedF64(counter0, 2 ** 60, 'corrupt'); // out of range, or the counters disagree
  });

  it('refuses a state saved by an arena with other options', () => {
    const other = ARENAS.find((x) => x.make().constructor === make().constructor && x.make !== make);
    const target = make();
    if (other !== undefined) {
      const e = refusedUnchanged(target, () => target.loadState(saved(other.make())));
      expect((e as SnapshotError).reason).toBe('options');
      expect((e as Error).message).toMatch(/created with other options/);
    }
    const foreign =
      make() instanceof SlabArena ? new BuddyArena({ sizeBytes: 4096 }) : new SlabArena({ sizeBytes: 4096 });
    const e = refusedUnchanged(target, () => target.loadState(saved(foreign)));
    expect((e as SnapshotError).reason).toBe('kind');
  });

  it('checks its arguments: into too small, at out of range, not a Uint8Array', () => {
    const arena = make();
    const into = new Uint8Array(arena.stateBytes - 1).fill(0xaa);
    expect(() => arena.saveState(into)).toThrow(RangeError);
    expect(into.every((b) => b === 0xaa)).toBe(true);
    expect(() => arena.saveState(new Uint8Array(arena.stateBytes + 8), 9)).toThrow(/room for the state/);
    expect(() => arena.saveState(new Uint8Array(arena.stateBytes), 0.5)).toThrow(RangeError);
    expect(() => arena.saveState([] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => arena.loadState(new Float64Array(8) as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => arena.loadState(new Uint8Array(8), 9)).toThrow(RangeError);
  });
});

describe('arena state across options', () => {
  it('FreeListArena refuses a state of another fit policy', () => {
    const first = new FreeListArena({ sizeBytes: 4096, fit: 'first' });
    const best = new FreeListArena({ sizeBytes: 4096, fit: 'best' });
    const e = refusedUnchanged(best, () => best.loadState(saved(first)));
    expect((e as SnapshotError).reason).toBe('options');
    expect((e as Error).message).toContain('fit=best');
  });

  it('an arena over a caller buffer larger than sizeBytes saves only the managed bytes', () => {
    const buffer = new ArrayBuffer(8192);
    const a = new BuddyArena({ buffer, sizeBytes: 4096 });
    const tail = new Uint8Array(buffer, 4096);
    tail.fill(7);
    const state = saved(a);
    tail.fill(9);
    a.loadState(state);
    expect(tail.every((b) => b === 9)).toBe(true); // not the arena's: untouched
    expect(state.length).toBeLessThan(4096 + 4096);
  });

  it('TreeArena saves the same bytes whatever capacity its trees grew to', () => {
    const a = new TreeArena({ sizeBytes: 2 ** 16 });
    const fences: number[] = [];
    for (let i = 0; i < 8; i++) fences.push(a.alloc(40));
    const state = saved(a);
    // Grow bins and the large tree far past the saved state: many small holes of many sizes.
    const blocks: number[] = [];
    for (let i = 0; i < 300; i++) blocks.push(a.alloc(8 + (i % 40) * 8), a.alloc(8));
    for (let i = 0; i < blocks.length; i += 2) a.free(blocks[i]);
    a.loadState(state);
    a.check();
    expectSameBytes(saved(a), state);
    const fresh = new TreeArena({ sizeBytes: 2 ** 16 });
    fresh.loadState(state);
    expectSameBytes(saved(fresh), state);
    expect(a.alloc(100)).toBe(fresh.alloc(100));
  });

  it('refuses to run on a big-endian host, saying why', () => {
    expect(() => requireLittleEndian(false)).toThrow(SnapshotError);
    expect(() => requireLittleEndian(false)).toThrow(/little-endian host/);
    expect(() => requireLittleEndian(true)).not.toThrow();
  });
});
