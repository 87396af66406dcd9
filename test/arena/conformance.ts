/**
 * The arena conformance suite: one function, {@link describeArenaConformance}, that registers a
 * Vitest `describe` block testing any {@link Allocator} through its public contract only
 * (DESIGN.md "Allocator" and "Errors"; cases C1-C16 of `/work/shared/cases/allocator-cases.md`),
 * plus seeded model-based random runs against {@link IntervalModel}.
 *
 * Usage, from an arena's own test file:
 * ```ts
 * import { describeArenaConformance } from './conformance.ts';
 * describeArenaConformance((o) => new FreeListArena({ ...o, fit: 'first' }), {
 *   name: 'FreeListArena first fit',
 *   reallocGrows: true,
 *   boundaryTags: true,
 *   minArenaBytes: 64,
 *   largestRequestBytes: (sizeBytes) => sizeBytes - 32,
 * });
 * ```
 *
 * The factory gets `{ sizeBytes, alignBytes?, buffer? }` and may add arena-specific options
 * (`minBlockBytes`, `fit`, `blockBytes`), but must pass these three through unchanged and must not
 * drop unknown keys (the suite checks that a misspelt option throws `TypeError`). Arena sizes the
 * suite asks for: 1024, 4096, 32 KiB, 64 KiB, 1 MiB, 64 MiB (C11, boundary tags only), every
 * multiple of 8 from `minArenaBytes` to 4096 and 50 seeded sizes in [4096, 2^24] (C12), and
 * whatever `randomRuns` says.
 *
 * What "unchanged" means after a call that throws (case file, DESIGN.md): the same `stats()` (except
 * `failedAllocCount`, which grows by exactly 1 when the error is an `OutOfMemoryError` and by 0
 * otherwise), the same `walk()`, `check()` passes, and the next allocations return what a twin
 * arena, driven identically but without the bad call, returns.
 *
 * Helpers exported for arena-specific tests: {@link walkList}, {@link walkSignature},
 * {@link expectStatsConsistent}, {@link expectWalkMatchesStats}.
 *
 * Conventions the suite relies on, beyond the interface:
 * - Sizes are checked before space: `alloc(0)`, `alloc(1.5)`, `alloc('16')` throw
 *   `TypeError`/`RangeError`, never `OutOfMemoryError`; a size larger than the arena may throw
 *   either `RangeError` or `OutOfMemoryError`, and `tryAlloc` of it returns -1 or throws `RangeError`.
 * - `free` / `sizeOf` / `realloc` of an integer offset that is not a live block throw
 *   `InvalidFreeError`: `'out-of-range'` outside `[0, capacityBytes)` (including negatives),
 *   `'interior'` inside a live block, `'misaligned'` or `'interior'` off the alignment inside a live
 *   block, otherwise `'not-allocated'` (or `doubleFreeReason` for a block freed before).
 *   Non-number offsets throw `TypeError`; NaN and fractions throw `RangeError` or `InvalidFreeError`.
 * - A moving `realloc` counts one alloc and one free in `stats()`; an in-place one counts neither.
 * - `walk()` visits whole blocks (headers included) in ascending, non-overlapping order; the live
 *   offset of a block lies inside its visit; the visits plus `reservedBytes` add up to
 *   `capacityBytes`.
 *
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Allocator, AllocatorStats } from '../../src/arena/allocator.ts';
import { InvalidFreeError, OutOfMemoryError } from '../../src/errors.ts';
import { countGc } from '../support/gc.ts';
import { IntervalModel, findPatternMismatch, writePattern, type ModelBlock } from './interval-model.ts';
import { randomInts } from '../support/random.ts';

/** Options the suite passes to the factory. */
export interface ArenaFactoryOptions {
  sizeBytes?: number;
  alignBytes?: number;
  buffer?: ArrayBuffer | SharedArrayBuffer;
  /** Any other key is passed through as given (the suite tests that unknown keys throw). */
  [key: string]: unknown;
}

/** Builds a fresh arena; must pass `sizeBytes`, `alignBytes`, `buffer` and unknown keys through. */
export type ArenaFactory = (options: ArenaFactoryOptions) => Allocator;

/** One configuration of the fast-check command model (see {@link commandRun}). */
export interface RandomRunConfig {
  /** Arena size in bytes. */
  sizeBytes: number;
  /** Largest request, in bytes; sizes are drawn log-uniformly from [1, maxRequestBytes]. */
  maxRequestBytes: number;
  /**
   * Arena operations to aim for per seed, over all its runs: each command is a burst of up to 24
   * operations, so a run holds up to `steps / COMMANDS_PER_STEP` commands.
   */
  steps: number;
  /** fast-check seeds: one `fc.assert` of {@link RUNS_PER_SEED} runs per seed. */
  seeds: number[];
}

/** Runs generated per seed of a {@link RandomRunConfig}. */
const RUNS_PER_SEED = 8;
/**
 * `steps / COMMANDS_PER_STEP` commands is the longest run: RUNS_PER_SEED runs of 1/2 to 1 times
 * that many commands, a burst of about 8 operations each on average, come to about `steps`.
 */
const COMMANDS_PER_STEP = 20;

/** What the suite needs to know about an arena. */
export interface ArenaCapabilities {
  /** Label of the `describe` block. */
  name: string;
  /**
   * Fixed-size arenas (SlabArena): the usable bytes of every block. Requests above it fail with
   * `OutOfMemoryError`, `realloc` within it stays in place. Must be >= 64. Enables C16, disables
   * C9-C11, C13, C14.
   */
  fixedBlockBytes?: number;
  /** True when `realloc` can grow a block past its current block (C13, C14). */
  reallocGrows: boolean;
  /** Blocks laid out contiguously with boundary tags (FreeListArena, TreeArena): runs C10, C11. */
  boundaryTags?: boolean;
  /**
   * `sizeBytes` of the C11 arena (default 64 MiB, as the case is written). Next fit needs more:
   * it leaves each freed big block behind the small block placed after it and moves on (Wilson
   * et al. 1995, 3.3: next fit scatters small objects), so the sequence needs about 3 x 64 MiB.
   */
  bigGapArenaBytes?: number;
  /** Smallest `sizeBytes` the factory accepts (C12 starts there, rounded up to a multiple of 8). */
  minArenaBytes: number;
  /**
   * False when the arena rejects a `sizeBytes` that is not a power of two with `RangeError`
   * (C12 then expects exactly that). Default true: any multiple of 8 is managed.
   */
  acceptsAnySize?: boolean;
  /** The largest request a fresh arena of `sizeBytes` can satisfy (C4). */
  largestRequestBytes: (sizeBytes: number) => number;
  /** Reason of `InvalidFreeError` for freeing a block twice. Default `'not-allocated'`. */
  doubleFreeReason?: 'not-allocated' | 'double-free';
  /**
   * Extra per-block property, checked on every granted block; return a message when violated.
   * (BuddyArena: power-of-two size, offset a multiple of it.)
   */
  checkBlock?: (offset: number, grantedBytes: number, requestedBytes: number) => string | undefined;
  /** Random runs; default 1 MiB with requests to 64 KiB, and 64 KiB with requests to 256. */
  randomRuns?: RandomRunConfig[];
}

const ARENA_REASONS = ['out-of-range', 'misaligned', 'interior', 'not-allocated', 'double-free'];

type ErrorClass = abstract new (...args: never[]) => Error;

/** Stats without `failedAllocCount`, for "unchanged" comparisons. */
function stable(s: AllocatorStats): Omit<AllocatorStats, 'failedAllocCount'> {
  const { failedAllocCount: _, ...rest } = s;
  return rest;
}

/** Collects `walk()` as `[offset, bytes, used]` triples. */
export function walkList(arena: Allocator): Array<[number, number, boolean]> {
  const out: Array<[number, number, boolean]> = [];
  arena.walk((o, b, u) => out.push([o, b, u]));
  return out;
}

/** `walk()` as one string (`offset:bytes:u|f,...`): cheap to compare. */
export function walkSignature(arena: Allocator): string {
  let out = '';
  arena.walk((o, b, u) => {
    out += `${o}:${b}${u ? 'u' : 'f'},`;
  });
  return out;
}

/** Asserts two walk signatures are equal, with a short diff in the message. */
function expectSameWalk(got: string, want: string, what: string): void {
  if (got === want) return;
  let i = 0;
  while (got[i] === want[i]) i++;
  const from = Math.max(0, got.lastIndexOf(',', i - 1) + 1);
  throw new Error(`${what}: walk differs at ...${got.slice(from, from + 60)} vs ...${want.slice(from, from + 60)}`);
}

/** The walk visit that contains byte `offset`, or undefined. */
function visitContaining(walk: Array<[number, number, boolean]>, offset: number) {
  return walk.find(([o, b]) => offset >= o && offset < o + b);
}

/**
 * Asserts what holds for every stats snapshot: the accounting identity, ranges, the derived
 * fragmentation figures. Exported for arena-specific tests.
 */
export function expectStatsConsistent(s: AllocatorStats): void {
  const why = (m: string) => new Error(`stats inconsistent: ${m}: ${JSON.stringify(s)}`);
  if (s.usedBytes + s.freeBytes + s.reservedBytes !== s.capacityBytes) throw why('used + free + reserved != capacity');
  if (s.largestFreeBytes > s.freeBytes) throw why('largestFreeBytes > freeBytes');
  if (s.grantedBytes > s.usedBytes) throw why('grantedBytes > usedBytes');
  if (s.requestedBytes > s.grantedBytes) throw why('requestedBytes > grantedBytes');
  if (s.peakUsedBytes < s.usedBytes) throw why('peakUsedBytes < usedBytes');
  if ((s.liveBlocks === 0) !== (s.grantedBytes === 0)) throw why('liveBlocks vs grantedBytes');
  if ((s.freeBlocks === 0) !== (s.freeBytes === 0)) throw why('freeBlocks vs freeBytes');
  const ext = s.freeBytes === 0 ? 0 : 1 - s.largestFreeBytes / s.freeBytes;
  const int = s.grantedBytes === 0 ? 0 : 1 - s.requestedBytes / s.grantedBytes;
  if (Math.abs(s.externalFragmentation - ext) > 1e-12) throw why('externalFragmentation');
  if (Math.abs(s.internalFragmentation - int) > 1e-12) throw why('internalFragmentation');
}

/** Checks a walk: ascending, non-overlapping, inside the arena, sums equal to the stats. */
export function expectWalkMatchesStats(arena: Allocator): Array<[number, number, boolean]> {
  const w = walkList(arena);
  const s = arena.stats();
  let end = 0;
  let used = 0;
  let free = 0;
  let nUsed = 0;
  let nFree = 0;
  let largest = 0;
  for (const [o, b, u] of w) {
    if (o < end || !(b > 0)) throw new Error(`walk visit ${o}+${b} overlaps the previous one ending at ${end}`);
    end = o + b;
    if (u) {
      used += b;
      nUsed++;
    } else {
      free += b;
      nFree++;
      largest = Math.max(largest, b);
    }
  }
  expect(end).toBeLessThanOrEqual(s.capacityBytes);
  expect({ used, free, nUsed, nFree, largest }).toEqual({
    used: s.usedBytes,
    free: s.freeBytes,
    nUsed: s.liveBlocks,
    nFree: s.freeBlocks,
    largest: s.largestFreeBytes,
  });
  return w;
}

/** An arena and its twin, driven identically except for the calls that must be rejected. */
class Pair {
  /** failedAllocCount the main arena has beyond the twin (from rejected calls). */
  extraFailed = 0;
  constructor(
    readonly main: Allocator,
    readonly twin: Allocator,
  ) {}

  /** Runs `f` on both; results must be equal. Returns the main arena's result. */
  both<T>(f: (a: Allocator) => T): T {
    const r1 = f(this.main);
    const r2 = f(this.twin);
    expect(r1, 'twin arenas diverged').toEqual(r2);
    return r1;
  }

  /**
   * Runs `f` on the main arena only; it must throw one of `classes` (and, for
   * `InvalidFreeError`, one of `reasons`), leaving the arena unchanged. Returns the error.
   */
  rejects(f: (a: Allocator) => unknown, classes: ErrorClass[], reasons?: string[]): Error {
    const a = this.main;
    const before = a.stats();
    const walkBefore = walkSignature(a);
    let error: unknown;
    let result: unknown;
    try {
      result = f(a);
    } catch (e) {
      error = e;
    }
    expect(error, `expected a throw, got ${String(result)}`).toBeInstanceOf(Error);
    const err = error as Error;
    expect(
      classes.some((c) => err instanceof c),
      `${err.name}: ${err.message} is not one of ${classes.map((c) => c.name).join(', ')}`,
    ).toBe(true);
    if (err instanceof InvalidFreeError) {
      expect(reasons ?? ARENA_REASONS, err.message).toContain(err.reason);
    }
    expect(err.message.length).toBeGreaterThan(0);
    this.expectUnchanged(before, walkBefore, err instanceof OutOfMemoryError ? 1 : 0);
    return err;
  }

  /** Asserts the main arena matches its snapshot (and its twin), then probes next allocations. */
  expectUnchanged(before: AllocatorStats, walkBefore: string, failedDelta: number) {
    const a = this.main;
    const after = a.stats();
    expect(stable(after)).toEqual(stable(before));
    expect(after.failedAllocCount).toBe(before.failedAllocCount + failedDelta);
    this.extraFailed += failedDelta;
    a.check();
    expectSameWalk(walkSignature(a), walkBefore, 'after the rejected call');
    this.expectSameAsTwin();
    // The next allocations return what the twin's return.
    const probes = [1, 16, 100];
    const got: number[] = [];
    for (const p of probes) {
      const r = this.both((x) => x.tryAlloc(p));
      if (r !== -1) got.push(r);
    }
    for (const o of got.reverse()) this.both((x) => x.free(o));
    this.expectSameAsTwin();
  }

  /** Same stats (modulo the rejected calls' failures) and same walk as the twin. */
  expectSameAsTwin(): void {
    const s1 = this.main.stats();
    const s2 = this.twin.stats();
    expect(stable(s1)).toEqual(stable(s2));
    expect(s1.failedAllocCount).toBe(s2.failedAllocCount + this.extraFailed);
    expectSameWalk(walkSignature(this.main), walkSignature(this.twin), 'arena vs twin');
  }
}

/** Size of a block that a small test can use: 16, or the fixed block size. */
function sizesFor(caps: ArenaCapabilities, bytes: number): number {
  return caps.fixedBlockBytes !== undefined ? Math.min(bytes, caps.fixedBlockBytes) : bytes;
}

/**
 * Registers the conformance suite for one arena.
 *
 * @param factory - builds a fresh arena from `{ sizeBytes, alignBytes?, buffer? }` (see module doc).
 * @param caps - what the arena supports; decides which cases apply and how they are adapted.
 */
export function describeArenaConformance(factory: ArenaFactory, caps: ArenaCapabilities): void {
  const fixed = caps.fixedBlockBytes;
  const doubleFree = caps.doubleFreeReason ?? 'not-allocated';
  const make = (sizeBytes: number, extra: ArenaFactoryOptions = {}) => factory({ sizeBytes, ...extra });
  const pair = (sizeBytes: number, extra: ArenaFactoryOptions = {}) =>
    new Pair(make(sizeBytes, extra), make(sizeBytes, extra));

  /** Validates a granted block against the contract and the arena's own rule. */
  const expectGoodBlock = (a: Allocator, offset: number, requested: number) => {
    const granted = a.sizeOf(offset);
    const cap = a.stats().capacityBytes;
    const msg =
      !Number.isInteger(offset) || offset < 0
        ? `offset ${offset} is not a non-negative integer`
        : offset % a.alignBytes !== 0
          ? `offset ${offset} not aligned to ${a.alignBytes}`
          : granted < requested
            ? `sizeOf(${offset}) = ${granted} < requested ${requested}`
            : granted > cap - offset
              ? `block ${offset}+${granted} runs past ${cap}`
              : fixed !== undefined && granted !== fixed
                ? `sizeOf(${offset}) = ${granted}, not the fixed ${fixed}`
                : caps.checkBlock?.(offset, granted, requested);
    if (msg) throw new Error(msg);
    return granted;
  };

  describe(`${caps.name}: conformance`, () => {
    it('options: sizeBytes, alignBytes, buffer (SharedArrayBuffer too); bad options throw', () => {
      const a = make(65536);
      expect(a.stats().capacityBytes).toBe(65536);
      expect(a.u8.buffer).toBe(a.buffer);
      expect(a.f64.buffer).toBe(a.buffer);
      expect(a.alignBytes).toBeGreaterThanOrEqual(8);
      const sab = new SharedArrayBuffer(65536);
      const s = make(65536, { buffer: sab });
      expect(s.buffer).toBe(sab);
      const p = s.alloc(16);
      s.u8[p] = 42;
      expect(new Uint8Array(sab)[p]).toBe(42);
      const aligned = make(65536, { alignBytes: 64 });
      for (let i = 0; i < 5; i++) expect(aligned.alloc(sizesFor(caps, 24 + i)) % 64).toBe(0);
      for (const bad of [0, -1, NaN, 1.5, Infinity, 2 ** 31 + 8]) {
        expect(() => make(bad), `sizeBytes ${bad}`).toThrow(RangeError);
      }
      expect(() => make('4096' as unknown as number)).toThrow(TypeError);
      expect(() => make(131072, { buffer: new ArrayBuffer(65536) })).toThrow(RangeError);
      for (const bad of [12, 4, 0, -8]) expect(() => make(65536, { alignBytes: bad })).toThrow(RangeError);
      expect(() => make(65536, { alignBytes: '8' as unknown as number })).toThrow(TypeError);
      expect(() => make(65536, { sizeByte: 4096 })).toThrow(TypeError);
    });

    it('stats(into) fills and returns into, equal to stats(), and allocates nothing', async () => {
      const a = make(65536);
      const p = a.alloc(sizesFor(caps, 40));
      a.alloc(sizesFor(caps, 100));
      a.free(p); // some free space that is not one block, so fragmentation is fractional
      const into = a.stats();
      const other = { note: 'kept' } as unknown as AllocatorStats;
      expect(a.stats(other)).toBe(other);
      expect(other).toEqual({ ...a.stats(), note: 'kept' });
      expect(() => a.stats(null as unknown as AllocatorStats)).toThrow(TypeError);
      expect(() => a.stats(7 as unknown as AllocatorStats)).toThrow(TypeError);
      const read = () => {
        let sum = 0;
        for (let i = 0; i < 200_000; i++) sum += a.stats(into).externalFragmentation;
        return sum;
      };
      for (let k = 0; k < 5; k++) read();
      const gc = await countGc(read);
      expect(into).toEqual(a.stats());
      expect(gc, JSON.stringify(gc)).toMatchObject({ count: 0 });
    });

    it('C1 zero size: alloc(0) throws RangeError, unchanged; then two alloc(16) differ', () => {
      const p = pair(65536);
      p.rejects((a) => a.alloc(0), [RangeError]);
      p.rejects((a) => a.tryAlloc(0), [RangeError]);
      const x = p.both((a) => a.alloc(16));
      const y = p.both((a) => a.alloc(16));
      expect(x).not.toBe(y);
      expectGoodBlock(p.main, x, 16);
      expectGoodBlock(p.main, y, 16);
      p.both((a) => a.free(x));
      p.both((a) => a.free(y));
      p.main.check();
      expect(p.main.stats().liveBlocks).toBe(0);
    });

    it('C2 sizes that wrap 32 bits fail cleanly, never a small block', () => {
      const p = pair(4096);
      p.both((a) => a.alloc(16)); // not empty: the tree / list has structure
      for (const n of [2 ** 32 - 4, 2 ** 32 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 16, 2 ** 53, Number.MAX_VALUE]) {
        p.rejects((a) => a.alloc(n), [RangeError]);
        const before = p.main.stats();
        const walkBefore = walkSignature(p.main);
        let r: number | undefined;
        let err: unknown;
        try {
          r = p.main.tryAlloc(n);
        } catch (e) {
          err = e;
        }
        if (err === undefined) {
          expect(r, `tryAlloc(${n})`).toBe(-1);
          p.expectUnchanged(before, walkBefore, 1);
        } else {
          expect(err).toBeInstanceOf(RangeError);
          p.expectUnchanged(before, walkBefore, err instanceof OutOfMemoryError ? 1 : 0);
        }
      }
    });

    it('C3 values that are not sizes throw TypeError or RangeError, unchanged', () => {
      const p = pair(65536);
      const bad: unknown[] = [NaN, 1.5, -1, -0.5, Infinity, -Infinity, '16', undefined, null, 16n, {}, [16], true];
      for (const v of bad) {
        for (const e of [
          p.rejects((a) => a.alloc(v as number), [TypeError, RangeError]),
          p.rejects((a) => a.tryAlloc(v as number), [TypeError, RangeError]),
        ]) {
          expect(e, `alloc(${String(v)}) is not out of memory`).not.toBeInstanceOf(OutOfMemoryError);
        }
      }
      const x = p.both((a) => a.alloc(16));
      const y = p.both((a) => a.alloc(16));
      expect(x).not.toBe(y);
      expectStatsConsistent(p.main.stats());
    });

    it('C4 the largest block: fits a fresh arena, one byte more fails', () => {
      const size = 1 << 20;
      const largest = caps.largestRequestBytes(size);
      const a = make(size);
      const initialFree = a.stats().freeBytes;
      const x = a.alloc(largest);
      expectGoodBlock(a, x, largest);
      a.check();
      expect(a.stats().largestFreeBytes).toBeLessThan(initialFree);
      a.free(x);
      a.check();
      const w = expectWalkMatchesStats(a);
      if (fixed === undefined) expect(w.filter(([, , u]) => !u)).toEqual([[expect.any(Number), initialFree, false]]);
      expect(a.alloc(largest)).toBe(x);
      const p = pair(size);
      const err = p.rejects((b) => b.alloc(largest + 1), [RangeError]);
      expect(err).toBeInstanceOf(OutOfMemoryError);
      expect((err as OutOfMemoryError).requested).toBe(largest + 1);
      expect(p.main.tryAlloc(largest + 1)).toBe(-1);
    });

    it('C5 the smallest block: alloc(1) until failure tiles the arena', () => {
      const a = make(65536);
      const model = new IntervalModel();
      for (let i = 0; i < 70000; i++) {
        const o = a.tryAlloc(1);
        if (o === -1) break;
        model.add({ offset: o, requestedBytes: 1, grantedBytes: expectGoodBlock(a, o, 1), seed: 0 });
      }
      expect(model.size).toBeGreaterThan(0);
      expect(() => a.alloc(1)).toThrow(OutOfMemoryError);
      a.check();
      const w = expectWalkMatchesStats(a);
      let j = 0;
      for (const b of model.list()) {
        while (j < w.length && w[j][0] + w[j][1] <= b.offset) j++;
        if (!(j < w.length && w[j][2] && w[j][0] <= b.offset)) throw new Error(`block ${b.offset} not in a used visit`);
      }
      const s = a.stats();
      expect(s.liveBlocks).toBe(model.size);
      expect(s.grantedBytes).toBe(model.grantedBytes);
      expect(s.requestedBytes).toBe(model.size);
    });

    it('C6 the end of the arena: alloc(1024) until failure stays inside, fails cleanly', () => {
      const p = pair(32768);
      const n = sizesFor(caps, 1024);
      let last = -1;
      for (let i = 0; i <= 32768 / n; i++) {
        const o = p.both((a) => a.tryAlloc(n));
        if (o === -1) break;
        expectGoodBlock(p.main, o, n);
        last = Math.max(last, o);
      }
      expect(last).toBeGreaterThanOrEqual(0);
      expect(last + p.main.sizeOf(last)).toBeLessThanOrEqual(32768);
      p.rejects((a) => a.alloc(n), [OutOfMemoryError]);
      p.main.check();
    });

    it('C8 invalid frees: not-allocated, interior, misaligned, out-of-range, double free; unchanged', () => {
      const p = pair(1024);
      p.rejects((a) => a.free(48), [InvalidFreeError], ['not-allocated']);
      const a0 = p.both((a) => a.alloc(64));
      p.rejects((a) => a.free(a0 + 16), [InvalidFreeError], ['interior']);
      expect(p.main.sizeOf(a0)).toBeGreaterThanOrEqual(64);
      p.rejects((a) => a.free(a0 + 3), [InvalidFreeError], ['misaligned', 'interior']);
      p.rejects((a) => a.sizeOf(a0 + 16), [InvalidFreeError], ['interior']);
      p.rejects((a) => a.realloc(a0 + 16, 8), [InvalidFreeError], ['interior']);
      for (const o of [4096, 1024, -16, -1, 2 ** 32, 2 ** 53]) {
        p.rejects((a) => a.free(o), [InvalidFreeError], ['out-of-range']);
      }
      for (const v of ['16', undefined, null, 16n, {}]) p.rejects((a) => a.free(v as number), [TypeError]);
      for (const v of [NaN, 1.5, Infinity]) p.rejects((a) => a.free(v), [RangeError, InvalidFreeError]);
      p.both((a) => a.free(a0));
      p.rejects((a) => a.free(a0), [InvalidFreeError], [doubleFree]);
      p.rejects((a) => a.sizeOf(a0), [InvalidFreeError], [doubleFree, 'not-allocated']);
      p.main.check();
      expect(p.main.stats().liveBlocks).toBe(0);
    });

    if (fixed === undefined) {
      it('C9 split bookkeeping: freeing a returns exactly its block; b stays intact and avoided', () => {
        const a = make(1024);
        const x = a.alloc(100);
        const y = a.alloc(100);
        const gy = a.sizeOf(y);
        writePattern(a.u8, y, gy, 7);
        const wholeX = visitContaining(walkList(a), x)![1];
        const free0 = a.stats().freeBytes;
        a.free(x);
        a.check();
        expect(a.stats().freeBytes).toBe(free0 + wholeX);
        expect(findPatternMismatch(a.u8, y, gy, 7)).toBe(-1);
        for (const n of [100, 16, 16, 100, 1, 8]) {
          const o = a.tryAlloc(n);
          if (o === -1) continue;
          const g = a.sizeOf(o);
          expect(o + g <= y || o >= y + gy, `block ${o}+${g} overlaps b ${y}+${gy}`).toBe(true);
          a.u8.fill(0xee, o, o + g);
          a.check();
        }
        expect(findPatternMismatch(a.u8, y, gy, 7)).toBe(-1);
      });
    }

    if (caps.boundaryTags) {
      for (const order of [
        ['C', 'B'],
        ['B', 'C'],
        ['A', 'C', 'B'],
        ['C', 'A', 'B'],
      ]) {
        it(`C10 coalescing both ways: free ${order.join(' then ')} gives one free block`, () => {
          const a = make(4096);
          const blocks: Record<string, number> = {};
          for (const k of ['A', 'B', 'C', 'D']) blocks[k] = a.alloc(64);
          const overhead = visitContaining(walkList(a), blocks.A)![1] - a.sizeOf(blocks.A);
          // Fill the rest so the only free space is what this case frees.
          for (let guard = 0; guard < 64 && a.stats().freeBytes > 0; guard++) {
            let n = a.stats().largestFreeBytes - overhead;
            while (n > 0 && a.tryAlloc(n) === -1) n -= 8;
            if (n <= 0) break;
          }
          const leftover = walkList(a).filter(([, , u]) => !u);
          for (const k of order) {
            a.free(blocks[k]);
            a.check();
          }
          const first = order.includes('A') ? 'A' : 'B';
          const start = visitContaining(walkList(a), blocks[first])!;
          expect(start[2]).toBe(false);
          const cEnd = blocks.C + 64;
          expect(start[0] + start[1]).toBeGreaterThanOrEqual(cEnd);
          expect(walkList(a).filter(([, , u]) => !u).length).toBe(leftover.length + 1);
          expect(a.alloc(start[1] - overhead)).toBe(blocks[first]);
          a.check();
        });
      }

      it(`C11 big free gaps (2^k - 8, 2^k, 2^k + 8 up to 2^25) stay free in ${(caps.bigGapArenaBytes ?? 64 * 2 ** 20) / 2 ** 20} MiB`, () => {
        const a = make(caps.bigGapArenaBytes ?? 64 * 2 ** 20);
        const free0 = a.stats().freeBytes;
        const small: number[] = [];
        for (let k = 4; k <= 25; k++) {
          for (const n of [2 ** k - 8, 2 ** k, 2 ** k + 8]) {
            const x = a.alloc(n);
            small.push(a.alloc(16));
            a.check();
            a.free(x);
            a.check();
            expect(a.stats().largestFreeBytes).toBeGreaterThanOrEqual(n);
            const y = a.alloc(n);
            a.check();
            a.free(y);
            a.check();
          }
        }
        for (const s of small) a.free(s);
        a.check();
        expect(a.stats().freeBytes).toBe(free0);
        expect(a.stats().freeBlocks).toBe(1);
      });
    }

    it('C12 odd arena sizes: minimum blocks until failure, freed in random order', () => {
      const sizes: number[] = [];
      for (let s = Math.ceil(caps.minArenaBytes / 8) * 8; s <= 4096; s += 8) sizes.push(s);
      // 50 seeded sizes, log-uniform in [4096, 2^24], multiples of 8.
      for (const k of fc.sample(fc.integer({ min: 0, max: 12_000 }), { seed: 12, numRuns: 50 })) {
        sizes.push(Math.floor((4096 * 2 ** (k / 1000)) / 8) * 8);
      }
      const isPow2 = (n: number) => Number.isInteger(Math.log2(n));
      for (const size of sizes) {
        if (caps.acceptsAnySize === false && !isPow2(size)) {
          expect(() => make(size), `sizeBytes ${size}`).toThrow(RangeError);
          continue;
        }
        const small = size <= 4096;
        const a = make(size);
        const s0 = a.stats();
        expectStatsConsistent(s0);
        const offsets: number[] = [];
        for (;;) {
          const o = a.tryAlloc(1);
          if (o === -1) break;
          offsets.push(o);
          if (offsets.length > size / 8) throw new Error(`sizeBytes ${size}: more blocks than fit`);
          if (small) {
            expectGoodBlock(a, o, 1);
            a.check();
          }
        }
        expect(offsets.length, `sizeBytes ${size}`).toBeGreaterThan(0);
        const sorted = Int32Array.from(offsets).sort();
        for (let i = 0; i < sorted.length; i++) {
          const end = sorted[i] + a.sizeOf(sorted[i]);
          const limit = i + 1 < sorted.length ? sorted[i + 1] : size;
          if (end > limit) throw new Error(`sizeBytes ${size}: block ${sorted[i]} ends at ${end}, past ${limit}`);
        }
        a.check();
        // Fisher-Yates over a seeded generator: fast-check's shuffledSubarray is quadratic in
        // the array's length, and the largest sizes hold about 10^6 blocks.
        const pick = randomInts(size);
        for (let i = offsets.length - 1; i > 0; i--) {
          const j = pick(i + 1);
          const t = offsets[i];
          offsets[i] = offsets[j];
          offsets[j] = t;
        }
        for (const o of offsets) {
          a.free(o);
          if (small) a.check();
        }
        a.check();
        const s1 = a.stats();
        expect(s1.freeBytes, `sizeBytes ${size}`).toBe(s0.freeBytes);
        expect(s1.largestFreeBytes).toBe(s0.largestFreeBytes);
        expect(s1.reservedBytes).toBe(s0.reservedBytes);
        expect(s1.liveBlocks).toBe(0);
      }
    });

    if (caps.reallocGrows) {
      it('C13 moving realloc frees the old block and keeps the contents', () => {
        const p = pair(4096);
        const a0 = p.both((a) => a.alloc(8));
        p.both((a) => a.alloc(8));
        writePattern(p.main.u8, a0, 8, 13);
        writePattern(p.twin.u8, a0, 8, 13);
        const a2 = p.both((a) => a.realloc(a0, 40));
        expectGoodBlock(p.main, a2, 40);
        expect(findPatternMismatch(p.main.u8, a2, 8, 13)).toBe(-1);
        expect(p.main.stats().liveBlocks).toBe(2);
        expect(p.main.stats().requestedBytes).toBe(48);
        expect(p.main.stats().allocCount).toBe(a2 === a0 ? 2 : 3);
        expect(p.main.stats().freeCount).toBe(a2 === a0 ? 0 : 1);
        if (a2 !== a0) p.rejects((a) => a.free(a0), [InvalidFreeError], ['not-allocated', 'interior']);
        p.main.check();
      });

      it('C14 grow in place to the very end of the arena', () => {
        const a = make(256);
        let done = false;
        for (let i = 0; i < 32 && !done; i++) {
          const c = a.tryAlloc(16);
          if (c === -1) break;
          const w = walkList(a);
          const [, lb, lu] = w[w.length - 1];
          const prev = w[w.length - 2];
          if (lu || !prev || !prev[2]) continue; // the last block must be free, right after a live one
          if (visitContaining(w, c) !== prev) continue;
          const n = a.sizeOf(c) + lb;
          if (caps.checkBlock?.(c, n, n)) continue; // not a block shape this arena can make
          writePattern(a.u8, c, 16, 14);
          expect(a.realloc(c, n)).toBe(c);
          expect(a.sizeOf(c)).toBe(n);
          expect(findPatternMismatch(a.u8, c, 16, 14)).toBe(-1);
          const w2 = walkList(a);
          expect(w2[w2.length - 1]).toEqual([prev[0], prev[1] + lb, true]);
          a.check();
          done = true;
        }
        expect(done, 'never found a last block with free space after it').toBe(true);
      });
    }

    it('C15 oversize realloc fails; the block stays live, same size, same contents', () => {
      const p = pair(4096);
      const x = p.both((a) => a.alloc(16));
      const g = p.main.sizeOf(x);
      writePattern(p.main.u8, x, g, 15);
      for (const n of [2 ** 32 - 4, 2 ** 31, 2 ** 53, 8192]) {
        p.rejects((a) => a.realloc(x, n), [RangeError]);
        expect(p.main.sizeOf(x)).toBe(g);
        expect(findPatternMismatch(p.main.u8, x, g, 15)).toBe(-1);
      }
      for (const v of [0, -1, NaN, 1.5]) p.rejects((a) => a.realloc(x, v), [RangeError]);
      p.rejects((a) => a.realloc(x, '16' as unknown as number), [TypeError]);
      expect(p.main.stats().liveBlocks).toBe(1);
      // Within the block: in place for every arena.
      expect(p.both((a) => a.realloc(x, Math.min(g, 12)))).toBe(x);
      expect(p.main.stats().requestedBytes).toBe(Math.min(g, 12));
      expect(findPatternMismatch(p.main.u8, x, Math.min(g, 12), 15)).toBe(-1);
    });

    if (fixed !== undefined) {
      it('C16 double free on a capacity-4 arena, then two allocs differ', () => {
        const p = pair(4 * fixed);
        const h = p.both((a) => a.alloc(1));
        p.both((a) => a.free(h));
        p.rejects((a) => a.free(h), [InvalidFreeError], [doubleFree]);
        const x = p.both((a) => a.alloc(1));
        const y = p.both((a) => a.alloc(1));
        expect(x).not.toBe(y);
        expect(Math.abs(x - y)).toBeGreaterThanOrEqual(fixed);
        p.both((a) => a.alloc(1));
        p.both((a) => a.alloc(1));
        p.rejects((a) => a.alloc(1), [OutOfMemoryError]);
        p.rejects((a) => a.alloc(fixed + 1), [OutOfMemoryError]);
      });
    }

    it('reset() makes the arena as new: stats, walk and next offsets', () => {
      const a = make(65536);
      const fresh = make(65536);
      const steps = fc.sample(
        fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: SIZE_STEPS - 1 }), fc.nat()),
        {
          seed: 99,
          numRuns: 350,
        },
      );
      const live: number[] = [];
      for (const [kind, size, pick] of steps.slice(0, 300)) {
        if (kind < 6) {
          const o = a.tryAlloc(sizesFor(caps, sizeOfStep(size, 2048)));
          if (o !== -1) live.push(o);
        } else if (live.length > 0) {
          a.free(live.splice(pick % live.length, 1)[0]);
        }
      }
      try {
        a.tryAlloc(65536 * 2); // bumps failedAllocCount (or throws RangeError)
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
      }
      a.reset();
      a.check();
      expect(a.stats()).toEqual(fresh.stats());
      expect(walkList(a)).toEqual(walkList(fresh));
      for (const [, size] of steps.slice(300)) {
        const n = sizesFor(caps, sizeOfStep(size, 1024));
        expect(a.tryAlloc(n)).toBe(fresh.tryAlloc(n));
      }
    });

    const runs = caps.randomRuns ?? [
      { sizeBytes: 1 << 20, maxRequestBytes: 65536, steps: 12000, seeds: [1, 2] },
      { sizeBytes: 65536, maxRequestBytes: 256, steps: 12000, seeds: [3, 4] },
    ];
    for (const run of runs) {
      for (const seed of run.seeds) {
        const maxReq = sizesFor(caps, run.maxRequestBytes);
        const maxLength = Math.max(8, Math.round(run.steps / COMMANDS_PER_STEP));
        it(`command model (fast-check): ${run.sizeBytes} B arena, requests 1..${maxReq} B, runs of up to ${maxLength} commands, seed ${seed}`, () => {
          fc.assert(
            fc.property(fc.array(arenaOp, { minLength: Math.ceil(maxLength / 2), maxLength, size: 'max' }), (ops) =>
              commandRun(factory, caps, run, maxReq, ops, expectGoodBlock),
            ),
            { seed, numRuns: RUNS_PER_SEED },
          );
        });
      }
    }
  });
}

/** One step of a command run (a fast-check array of them is a run; failures shrink). */
export type ArenaOp =
  | { op: 'alloc' | 'tryAlloc'; size: number; count: number }
  | { op: 'realloc'; pick: number; size: number }
  | { op: 'free'; pick: number; count: number }
  | { op: 'freeOldest' | 'freeNewest'; count: number }
  | { op: 'bad'; kind: number; pick: number };

/** Request sizes come as a fraction (0..1) of the log range, so shrinking goes to 1 byte. */
const SIZE_STEPS = 1 << 16;

/** Arbitrary of one {@link ArenaOp}; `count` makes bursts, so a short run can fill an arena. */
export const arenaOp: fc.Arbitrary<ArenaOp> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constantFrom('alloc' as const, 'tryAlloc' as const),
      size: fc.integer({ min: 0, max: SIZE_STEPS - 1 }),
      count: fc.integer({ min: 1, max: 24 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('realloc' as const),
      pick: fc.nat(),
      size: fc.integer({ min: 0, max: SIZE_STEPS - 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 24 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constantFrom('freeOldest' as const, 'freeNewest' as const),
      count: fc.integer({ min: 1, max: 24 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('bad' as const), kind: fc.integer({ min: 0, max: 4 }), pick: fc.nat() }),
  },
);

/** Log-uniform size in [1, max] from a step in [0, SIZE_STEPS). */
function sizeOfStep(step: number, max: number): number {
  return Math.min(max, Math.max(1, Math.floor(Math.exp((step / SIZE_STEPS) * Math.log(max + 1)))));
}

/**
 * One model-based command run: alloc / tryAlloc / free (random, oldest or newest first) /
 * realloc and rejected calls, on the arena and a twin driven identically; the model checks every
 * result, `check()` runs after every step, patterns are verified on free / realloc and for all
 * live blocks every 256 steps; at the end everything is freed and the free space is whole again.
 */
export function commandRun(
  factory: ArenaFactory,
  caps: ArenaCapabilities,
  run: RandomRunConfig,
  maxReq: number,
  ops: readonly ArenaOp[],
  expectGoodBlock: (a: Allocator, offset: number, requested: number) => number,
): void {
  const p = new Pair(factory({ sizeBytes: run.sizeBytes }), factory({ sizeBytes: run.sizeBytes }));
  const a = p.main;
  const model = new IntervalModel();
  const order: number[] = []; // live offsets in allocation order
  const recentlyFreed: number[] = [];
  let step = 0;
  let op = '';
  let nextSeed = 1;

  const verify = (b: ModelBlock, bytes = b.grantedBytes) => {
    const at = findPatternMismatch(a.u8, b.offset, bytes, b.seed);
    if (at !== -1) throw new Error(`block ${b.offset}+${b.grantedBytes}: pattern broken at byte ${at}`);
  };
  const compareStats = () => {
    const s = a.stats();
    expectStatsConsistent(s);
    const want = {
      liveBlocks: model.size,
      requestedBytes: model.requestedBytes,
      grantedBytes: model.grantedBytes,
      allocCount: model.allocCount,
      freeCount: model.freeCount,
      capacityBytes: run.sizeBytes,
    };
    for (const k of Object.keys(want) as (keyof typeof want)[]) {
      if (s[k] !== want[k]) expect(s).toMatchObject(want);
    }
  };
  const freeAt = (i: number) => {
    const o = order[i];
    order.splice(i, 1);
    op = `free(${o})`;
    verify(model.get(o) as ModelBlock);
    p.both((x) => x.free(o));
    model.remove(o);
    model.freeCount++;
    recentlyFreed.push(o);
    if (recentlyFreed.length > 32) recentlyFreed.shift();
  };
  const allocOne = (useTry: boolean, n: number): boolean => {
    op = `${useTry ? 'tryAlloc' : 'alloc'}(${n})`;
    const before = a.stats();
    const walkBefore = step % 8 === 0 ? walkSignature(a) : undefined;
    let o = -1;
    try {
      o = useTry ? a.tryAlloc(n) : a.alloc(n);
    } catch (e) {
      if (!(e instanceof OutOfMemoryError)) throw e;
    }
    let o2 = -1;
    try {
      o2 = useTry ? p.twin.tryAlloc(n) : p.twin.alloc(n);
    } catch (e) {
      if (!(e instanceof OutOfMemoryError)) throw e;
    }
    if (o !== o2) expect(o, 'twin arenas diverged').toBe(o2);
    if (o === -1) {
      const after = a.stats();
      expect(stable(after)).toEqual(stable(before));
      expect(after.failedAllocCount).toBe(before.failedAllocCount + 1);
      if (walkBefore) expectSameWalk(walkSignature(a), walkBefore, 'after a failed alloc');
      return false;
    }
    const g = expectGoodBlock(a, o, n);
    const b = { offset: o, requestedBytes: n, grantedBytes: g, seed: nextSeed++ };
    model.add(b);
    model.allocCount++;
    writePattern(a.u8, o, g, b.seed);
    order.push(o);
    return true;
  };

  try {
    for (const command of ops) {
      step++;
      switch (command.op) {
        case 'alloc':
        case 'tryAlloc': {
          const n = sizesFor(caps, sizeOfStep(command.size, maxReq));
          for (let k = 0; k < command.count; k++) if (!allocOne(command.op === 'tryAlloc', n)) break;
          break;
        }
        case 'free':
          for (let k = 0; k < command.count && order.length > 0; k++) freeAt((command.pick + k * 7919) % order.length);
          break;
        case 'freeOldest':
          for (let k = 0; k < command.count && order.length > 0; k++) freeAt(0);
          break;
        case 'freeNewest':
          for (let k = 0; k < command.count && order.length > 0; k++) freeAt(order.length - 1);
          break;
        case 'realloc': {
          if (order.length === 0) break;
          const i = command.pick % order.length;
          const o = order[i];
          const b = model.get(o) as ModelBlock;
          const n = sizeOfStep(command.size, maxReq);
          op = `realloc(${o}, ${n})`;
          let o1 = -1;
          try {
            o1 = a.realloc(o, n);
          } catch (e) {
            if (!(e instanceof OutOfMemoryError)) throw e;
          }
          let o2 = -1;
          try {
            o2 = p.twin.realloc(o, n);
          } catch (e) {
            if (!(e instanceof OutOfMemoryError)) throw e;
          }
          if (o1 !== o2) expect(o1, 'twin arenas diverged').toBe(o2);
          if (o1 === -1) {
            expect(a.sizeOf(o)).toBe(b.grantedBytes);
            verify(b);
            break;
          }
          model.remove(o);
          const g = expectGoodBlock(a, o1, n);
          const keep = Math.min(b.grantedBytes, n);
          const at = findPatternMismatch(a.u8, o1, keep, b.seed);
          if (at !== -1) throw new Error(`realloc lost contents at byte ${at} of ${keep}`);
          const nb = { offset: o1, requestedBytes: n, grantedBytes: g, seed: nextSeed++ };
          model.add(nb);
          if (o1 !== o) {
            model.allocCount++;
            model.freeCount++;
            recentlyFreed.push(o);
          }
          writePattern(a.u8, o1, g, nb.seed);
          order[i] = o1;
          break;
        }
        case 'bad': {
          // A call that must be rejected, on the main arena only.
          if (order.length === 0) {
            op = 'alloc(0)';
            p.rejects((x) => x.alloc(0), [RangeError]);
          } else {
            const victim = order[command.pick % order.length];
            const b = model.get(victim) as ModelBlock;
            const k = command.kind;
            if (k === 0 && recentlyFreed.length > 0 && !model.get(recentlyFreed[command.pick % recentlyFreed.length])) {
              const o = recentlyFreed[command.pick % recentlyFreed.length];
              op = `free(${o}) of a freed block`;
              p.rejects((x) => x.free(o), [InvalidFreeError]);
            } else if (k === 1 && b.grantedBytes > a.alignBytes) {
              op = `free(${victim} + ${a.alignBytes}) interior`;
              p.rejects((x) => x.free(victim + a.alignBytes), [InvalidFreeError], ['interior', 'misaligned']);
            } else if (k === 2) {
              op = `realloc(${victim}, 2**32 - 4)`;
              p.rejects((x) => x.realloc(victim, 2 ** 32 - 4), [RangeError]);
            } else if (k === 3) {
              op = 'alloc(0)';
              p.rejects((x) => x.alloc(0), [RangeError]);
            } else {
              op = `free(${run.sizeBytes + 8})`;
              p.rejects((x) => x.free(run.sizeBytes + 8), [InvalidFreeError], ['out-of-range']);
            }
            verify(b);
          }
          // The probe inside rejects() allocated and freed on both arenas.
          const s = a.stats();
          model.allocCount = s.allocCount;
          model.freeCount = s.freeCount;
          break;
        }
      }
      a.check();
      compareStats();
      if (step % 16 === 0) {
        const w = expectWalkMatchesStats(a);
        let j = 0;
        for (const b of model.list()) {
          while (j < w.length && w[j][0] + w[j][1] <= b.offset) j++;
          if (!(w[j]?.[2] && w[j][0] <= b.offset && b.offset + b.grantedBytes <= w[j][0] + w[j][1])) {
            throw new Error(`live block ${b.offset}+${b.grantedBytes} not inside a used walk visit`);
          }
        }
        p.expectSameAsTwin();
      }
      if (step % 256 === 0) for (const b of model.list()) verify(b);
    }
    // Free everything: the arena returns to its initial free space.
    while (order.length > 0) freeAt(order.length - 1);
    a.check();
    compareStats();
    const fresh = factory({ sizeBytes: run.sizeBytes }).stats();
    expect(a.stats().freeBytes).toBe(fresh.freeBytes);
    expect(a.stats().largestFreeBytes).toBe(fresh.largestFreeBytes);
  } catch (e) {
    const err = e as Error;
    err.message = `[${caps.name} command run sizeBytes=${run.sizeBytes} step=${step} op=${op}] ${err.message}`;
    throw err;
  }
}
