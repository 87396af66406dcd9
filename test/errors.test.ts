import { describe, expect, it } from 'vitest';
import {
  InvalidFreeError,
  OutOfMemoryError,
  checkInteger,
  checkOneOf,
  checkOptions,
  checkPowerOfTwo,
  checkSize,
  describeValue,
  isPowerOfTwo,
} from '../src/errors.ts';

describe('errors', () => {
  it('OutOfMemoryError is a RangeError carrying the request and the stats', () => {
    const e = new OutOfMemoryError('no room', 64, 'bytes', { usedBytes: 1 });
    expect(e).toBeInstanceOf(RangeError);
    expect(e).toMatchObject({ name: 'OutOfMemoryError', requested: 64, unit: 'bytes', stats: { usedBytes: 1 } });
  });

  it('InvalidFreeError carries its reason and target', () => {
    const e = new InvalidFreeError('interior', 24, 'free: 24 is inside a block');
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'InvalidFreeError', reason: 'interior', target: 24 });
  });

  it('checkInteger: TypeError for non-numbers, RangeError naming argument, value and range', () => {
    for (const v of ['16', null, undefined, 16n, {}, [], Symbol('x')]) {
      expect(() => checkInteger('bytes', v, 1, 10)).toThrow(TypeError);
    }
    for (const v of [NaN, Infinity, -Infinity, 1.5, 0, 11, -1, 2 ** 32 + 1]) {
      expect(() => checkInteger('bytes', v, 1, 10)).toThrow(RangeError);
    }
    expect(() => checkInteger('bytes', 11, 1, 10)).toThrow('bytes must be an integer in [1, 10], got 11');
    expect(checkInteger('bytes', 10, 1, 10)).toBe(10);
    expect(checkSize('n', 1, 1)).toBe(1);
    expect(() => checkSize('n', 0, 5)).toThrow(RangeError);
  });

  it('powers of two are decided without 32-bit wrap', () => {
    expect(isPowerOfTwo(2 ** 40)).toBe(true);
    expect(isPowerOfTwo(2 ** 32 + 2 ** 31)).toBe(false);
    expect(isPowerOfTwo(0)).toBe(false);
    expect(isPowerOfTwo(2 ** 31)).toBe(true);
    expect(checkPowerOfTwo('alignBytes', 64, 8, 1024)).toBe(64);
    expect(() => checkPowerOfTwo('alignBytes', 24, 8, 1024)).toThrow(/power of two in \[8, 1024\], got 24/);
  });

  it('checkOneOf and checkOptions', () => {
    expect(checkOneOf('fit', 'best', ['first', 'best'] as const)).toBe('best');
    expect(() => checkOneOf('fit', 'worst', ['first', 'best'])).toThrow(RangeError);
    expect(() => checkOneOf('fit', 1, ['first', 'best'])).toThrow(TypeError);
    expect(checkOptions('o', undefined, ['a'])).toEqual({});
    expect(() => checkOptions('o', { b: 1 } as object, ['a'])).toThrow(/unknown option "b"/);
    expect(() => checkOptions('o', { a: null } as object, ['a'])).toThrow(/must not be null/);
    expect(() => checkOptions('o', null as unknown as object, ['a'])).toThrow(TypeError);
    expect(() => checkOptions('o', [] as unknown as object, ['a'])).toThrow(TypeError);
    expect(checkOptions('o', { a: undefined } as object, ['a'])).toEqual({ a: undefined });
  });

  it('describeValue never throws', () => {
    const hostile = {
      toString() {
        throw new Error('no');
      },
    };
    expect(describeValue(hostile)).toBe('an object');
    expect(describeValue(16n)).toBe('16n');
    expect(describeValue('x'.repeat(100))).toContain('…');
  });
});
