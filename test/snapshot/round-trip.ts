/**
 * The round-trip property every snapshotable structure must have, for fast-check:
 *
 * run operations A on X, save; run A on a twin Z (the reference); load the save into a fresh Y;
 * run operations B on X, then load the save back into X. Now X, Y and Z must be
 * indistinguishable: the same saved bytes, the same observations (stats, walk, liveness of every
 * handle or offset handed out), `check()` passing, and the same outcomes (offsets, handles,
 * errors) for any further operations C run on all three.
 */
import { expect } from 'vitest';
import type { Snapshotable } from '../../src/index.ts';

/** How to drive one kind of structure. `Ctx` is what the test remembers (live handles, ...). */
export interface RoundTripHarness<S extends Snapshotable, Op, Ctx> {
  make(): S;
  newContext(): Ctx;
  cloneContext(ctx: Ctx): Ctx;
  /** Applies `op`; returns its outcome (an offset, a handle, an error reason), compared across twins. */
  apply(s: S, ctx: Ctx, op: Op): unknown;
  /** What must be equal between twins in the same state (stats, walk, live set). */
  observe(s: S, ctx: Ctx): unknown;
  check(s: S): void;
}

/** Expects two byte arrays to be equal, naming the first difference (fast on large arrays). */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (actual.length === expected.length && Buffer.from(actual).equals(Buffer.from(expected))) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  expect.fail(
    `${what} differ: lengths ${actual.length} and ${expected.length}, first difference at byte ${i} (${actual[i]} vs ${expected[i]})`,
  );
}

/** Saves `s` into a new array of exactly `stateBytes` bytes. */
export function saved(s: Snapshotable): Uint8Array {
  const bytes = new Uint8Array(s.stateBytes);
  expect(s.saveState(bytes)).toBe(bytes.length);
  return bytes;
}

/** The round-trip property for one set of operation lists (see the module doc). */
export function roundTrip<S extends Snapshotable, Op, Ctx>(
  h: RoundTripHarness<S, Op, Ctx>,
  a: readonly Op[],
  b: readonly Op[],
  c: readonly Op[],
): void {
  const x = h.make();
  const ctxX = h.newContext();
  for (const op of a) h.apply(x, ctxX, op);
  // Saved somewhere inside a larger array, at an odd offset: `at` is honoured.
  const at = 3;
  const frame = new Uint8Array(x.stateBytes + 11).fill(0xcd);
  const written = x.saveState(frame, at);
  expect(written).toBe(x.stateBytes);
  expect(frame[at - 1]).toBe(0xcd);
  expect(frame[at + written]).toBe(0xcd);
  const state = frame.slice(at, at + written);

  const z = h.make();
  const ctxZ = h.newContext();
  for (const op of a) h.apply(z, ctxZ, op);

  const y = h.make();
  expect(y.loadState(frame, at)).toBe(written);

  const ctxB = h.cloneContext(ctxX);
  for (const op of b) h.apply(x, ctxB, op);
  expect(x.loadState(frame, at)).toBe(written);

  const twins: [S, Ctx][] = [
    [x, h.cloneContext(ctxX)],
    [y, h.cloneContext(ctxX)],
    [z, ctxZ],
  ];
  for (const [s, ctx] of twins) {
    h.check(s);
    expectSameBytes(saved(s), state, 'saved states');
    expect(h.observe(s, ctx)).toEqual(h.observe(z, ctxZ));
  }
  const outcomes = twins.map(([s, ctx]) => c.map((op) => h.apply(s, ctx, op)));
  expect(outcomes[0]).toEqual(outcomes[2]);
  expect(outcomes[1]).toEqual(outcomes[2]);
  for (const [s, ctx] of twins) {
    h.check(s);
    expect(h.observe(s, ctx)).toEqual(h.observe(z, ctxZ));
    expectSameBytes(saved(s), saved(z), 'saved states after C');
  }
}

/**
 * A refused load must change nothing: the state saved before and after the attempt is the
 * same, byte for byte. Returns the error thrown.
 */
export function refusedUnchanged(s: Snapshotable, load: () => unknown): unknown {
  const before = saved(s);
  let thrown: unknown;
  try {
    load();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'the load was expected to throw').toBeDefined();
  expectSameBytes(saved(s), before, 'states before and after the refused load');
  return thrown;
}
