/**
 * TypedArrayState: the user's arrays saved and loaded in place (references stay valid), their
 * names, types and lengths as the options a state must match, and argument checks.
 */
import { describe, expect, it } from 'vitest';
import { SnapshotError, TypedArrayState } from '../../src/index.ts';
import { refusedUnchanged, saved } from './round-trip.ts';

describe('TypedArrayState', () => {
  it('saves and loads the arrays in place', () => {
    const rng = new Uint32Array([1, 2, 3, 4]);
    const big = new BigInt64Array([-5n]);
    const odd = new Uint8Array(5).fill(9);
    const state = new TypedArrayState({ rng, big, odd });
    expect(state.stateBytes).toBe(saved(state).length);
    const bytes = saved(state);
    rng.fill(0);
    big[0] = 0n;
    odd.fill(0);
    expect(state.loadState(bytes)).toBe(bytes.length);
    expect(Array.from(rng)).toEqual([1, 2, 3, 4]);
    expect(big[0]).toBe(-5n);
    expect(Array.from(odd)).toEqual([9, 9, 9, 9, 9]);
    expect(state.arrays.rng).toBe(rng);
  });

  it('refuses a state of other names, types or lengths, and changes nothing', () => {
    const mine = new TypedArrayState({ a: new Float32Array([1, 2]) });
    for (const other of [
      new TypedArrayState({ b: new Float32Array(2) }),
      new TypedArrayState({ a: new Int32Array(2) }),
      new TypedArrayState({ a: new Float32Array(3) }),
      new TypedArrayState({ a: new Float32Array(2), b: new Uint8Array(1) }),
    ]) {
      const e = refusedUnchanged(mine, () => mine.loadState(saved(other)));
      expect(e).toBeInstanceOf(SnapshotError);
      expect((e as SnapshotError).reason).toBe('options');
    }
  });

  it('checks its arguments', () => {
    expect(() => new TypedArrayState({})).toThrow(/at least one/);
    expect(() => new TypedArrayState({ a: [1, 2] as never })).toThrow(/typed array/);
    expect(() => new TypedArrayState({ a: new DataView(new ArrayBuffer(4)) as never })).toThrow(/typed array/);
    expect(() => new TypedArrayState(null as never)).toThrow(TypeError);
    const resizable = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(8, {
      maxByteLength: 16,
    });
    expect(() => new TypedArrayState({ a: new Uint8Array(resizable) })).toThrow(/resizable/);
  });
});
