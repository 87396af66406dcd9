import { describe, expect, it } from 'vitest';
import { countGc } from './gc.ts';

describe('countGc (test support)', () => {
  it('sees collections when a loop allocates', async () => {
    const keep: unknown[] = [];
    const gc = await countGc(() => {
      for (let i = 0; i < 2_000_000; i++) {
        const o = { i, s: [i] };
        if (i % 100_000 === 0) keep.push(o);
      }
    });
    expect(keep.length).toBe(20);
    expect(gc.minor).toBeGreaterThan(0);
  });

  it('sees none when a warmed-up loop only writes a typed array', async () => {
    // Interpreted code boxes doubles in heap numbers until it is optimized: warm up first, as
    // every GC test must.
    const a = new Float64Array(1024);
    const spin = () => {
      for (let i = 0; i < 2_000_000; i++) a[i & 1023] += i;
    };
    for (let k = 0; k < 5; k++) spin(); // one call is not enough: the next call re-enters the interpreter until V8 optimizes the function itself
    const gc = await countGc(spin);
    expect(a[0]).toBeGreaterThan(0);
    expect(gc, JSON.stringify(gc)).toMatchObject({ count: 0 });
  });
});
