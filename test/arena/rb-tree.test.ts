/**
 * RedBlackTree (CLRS ch. 13) against a sorted-array model: red-black invariants (`check()`:
 * black root, no red-red, equal black height, BST order, parent links, count) after every insert
 * and remove (and re-key with `update`) of seeded random runs, and every query compared with the
 * model.
 */
import { describe, expect, it } from 'vitest';
import { NIL_NODE, RedBlackTree } from '../../src/arena/rb-tree.ts';
import { assertShrinkableRun, type ShrinkableRandom } from '../support/random.ts';

/** Sorted array of keys `[size, offset]`, the reference model. */
class SortedKeys {
  readonly keys: Array<[number, number]> = [];
  private lowerBound(s: number, o: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const [ms, mo] = this.keys[mid];
      if (ms < s || (ms === s && mo < o)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  has(s: number, o: number): boolean {
    const i = this.lowerBound(s, o);
    return i < this.keys.length && this.keys[i][0] === s && this.keys[i][1] === o;
  }
  insert(s: number, o: number): void {
    this.keys.splice(this.lowerBound(s, o), 0, [s, o]);
  }
  remove(s: number, o: number): void {
    this.keys.splice(this.lowerBound(s, o), 1);
  }
  /** Smallest key with size >= s. */
  ceiling(s: number): [number, number] | undefined {
    return this.keys[this.lowerBound(s, 0)];
  }
}

const keyOf = (t: RedBlackTree, n: number): [number, number] | undefined =>
  n === NIL_NODE ? undefined : [t.sizeOf(n), t.offsetOf(n)];

describe('RedBlackTree', () => {
  it('starts empty; queries return NIL_NODE; black height 0', () => {
    const t = new RedBlackTree(4);
    expect(t.size).toBe(0);
    expect(t.min()).toBe(NIL_NODE);
    expect(t.max()).toBe(NIL_NODE);
    expect(t.ceiling(0)).toBe(NIL_NODE);
    t.check();
    expect(t.blackHeight()).toBe(0);
  });

  it('rejects bad capacities and duplicate keys (unchanged after)', () => {
    expect(() => new RedBlackTree(0)).toThrow(RangeError);
    expect(() => new RedBlackTree(1.5)).toThrow(RangeError);
    expect(() => new RedBlackTree('8' as unknown as number)).toThrow(TypeError);
    const t = new RedBlackTree(2);
    t.insert(5, 1);
    expect(() => t.insert(5, 1)).toThrow(/already present/);
    expect(t.size).toBe(1);
    t.check();
  });

  it('ascending and descending inserts stay balanced (height bound 2 log2(n + 1))', () => {
    for (const dir of [1, -1]) {
      const t = new RedBlackTree(8); // grows several times
      const n = 4096;
      for (let i = 0; i < n; i++) t.insert(dir > 0 ? i : n - i, i);
      t.check();
      const bh = t.blackHeight();
      // Black height bh implies at least 2^bh - 1 nodes, and height <= 2 bh.
      expect(2 ** bh - 1).toBeLessThanOrEqual(n);
      expect(bh).toBeGreaterThanOrEqual(Math.floor(Math.log2(n + 1) / 2));
      expect(t.capacity).toBeGreaterThanOrEqual(n);
    }
  });

  for (const seed of [1, 2, 3]) {
    it(`seeded random inserts/removes/updates against a sorted array, check() after every operation (seed ${seed})`, () => {
      assertShrinkableRun(seed, 8000 * 6, (rng) => randomTreeRun(seed, rng));
    });
  }

  /** One run of the test above over `rng` (fast-check's shrinkable random source). */
  function randomTreeRun(seed: number, rng: ShrinkableRandom): void {
    {
      const t = new RedBlackTree(16);
      const model = new SortedKeys();
      const nodes = new Map<string, number>();
      let op = '';
      try {
        for (let step = 0; step < 8000 && !rng.exhausted; step++) {
          // Small key space: many equal sizes (ties broken by offset), many removals.
          const grow = step % 4000 < 2600; // phases of growth and shrinkage
          if (model.keys.length > 0 && rng() < 0.3) {
            // Re-key: half the time a small nudge (often keeps its rank: in place), else anywhere.
            const [s, o] = model.keys[Math.floor(rng() * model.keys.length)];
            const near = rng() < 0.5;
            const s2 = near ? Math.max(0, s + (Math.floor(rng() * 3) - 1) * 8) : Math.floor(rng() * 200) * 8;
            const o2 = near ? o + 8 : Math.floor(rng() * 100000) * 8;
            if (model.has(s2, o2)) continue;
            op = `update((${s}, ${o}) -> (${s2}, ${o2}))`;
            const node = nodes.get(`${s},${o}`)!;
            const before = model.keys.findIndex(([ks, ko]) => ks === s && ko === o);
            model.remove(s, o);
            model.insert(s2, o2);
            const after = model.keys.findIndex(([ks, ko]) => ks === s2 && ko === o2);
            const id = t.update(node, s2, o2);
            if (before === after) expect(id, 'same rank: re-keyed in place, same id').toBe(node);
            nodes.delete(`${s},${o}`);
            nodes.set(`${s2},${o2}`, id);
            expect(t.find(s2, o2)).toBe(id);
          } else if (rng() < (grow ? 0.65 : 0.35) || model.keys.length === 0) {
            const s = Math.floor(rng() * 200) * 8;
            const o = Math.floor(rng() * 100000) * 8;
            if (model.has(s, o)) continue;
            op = `insert(${s}, ${o})`;
            nodes.set(`${s},${o}`, t.insert(s, o));
            model.insert(s, o);
          } else {
            const [s, o] = model.keys[Math.floor(rng() * model.keys.length)];
            op = `remove(${s}, ${o})`;
            const node = nodes.get(`${s},${o}`)!;
            expect(t.find(s, o)).toBe(node);
            t.remove(node);
            nodes.delete(`${s},${o}`);
            model.remove(s, o);
          }
          t.check();
          expect(t.size).toBe(model.keys.length);
          const q = Math.floor(rng() * 1700);
          expect(keyOf(t, t.ceiling(q)), `ceiling(${q})`).toEqual(model.ceiling(q));
          expect(keyOf(t, t.min())).toEqual(model.keys[0]);
          expect(keyOf(t, t.max())).toEqual(model.keys[model.keys.length - 1]);
          if (model.keys.length > 0) {
            const i = Math.floor(rng() * model.keys.length);
            const n = nodes.get(`${model.keys[i][0]},${model.keys[i][1]}`)!;
            expect(keyOf(t, t.predecessor(n)), 'predecessor').toEqual(model.keys[i - 1]);
            expect(keyOf(t, t.successor(n)), 'successor').toEqual(model.keys[i + 1]);
          }
          if (step % 500 === 0) {
            const inOrder: Array<[number, number]> = [];
            t.forEach((s, o) => {
              inOrder.push([s, o]);
            });
            expect(inOrder).toEqual(model.keys);
          }
        }
      } catch (e) {
        (e as Error).message = `[seed ${seed}, ${op}] ${(e as Error).message}`;
        throw e;
      }
    }
  }

  it('check() detects a broken invariant', () => {
    const t = new RedBlackTree(8);
    for (let i = 0; i < 7; i++) t.insert(i, 0);
    t.check();
    // Corrupt through the private node records (8 words per node: colour at 3, size key at 4).
    const inner = t as unknown as { links: Int32Array; keys: Uint32Array; root: number };
    inner.links[inner.root * 8 + 3] = 0;
    expect(() => t.check()).toThrow(/root is red/);
    inner.links[inner.root * 8 + 3] = 1;
    t.check();
    const leaf = t.max();
    inner.keys[leaf * 8 + 4] = 0;
    expect(() => t.check()).toThrow(/out of order/);
  });

  it('check() detects a stale cached minimum', () => {
    const t = new RedBlackTree(8);
    for (let i = 0; i < 7; i++) t.insert(i, 0);
    const inner = t as unknown as { minNode: number };
    inner.minNode = t.max();
    expect(() => t.check()).toThrow(/cached minimum/);
  });

  it('update() re-keys in place when the rank is kept, re-inserts when it is not', () => {
    const t = new RedBlackTree(8);
    const a = t.insert(10, 0);
    const b = t.insert(20, 0);
    const c = t.insert(30, 0);
    expect(t.update(b, 25, 0)).toBe(b); // 10 < 25 < 30: in place
    expect(t.update(b, 11, 0)).toBe(b);
    t.check();
    const moved = t.update(a, 40, 0); // passes 11 and 30: removed and inserted
    t.check();
    expect([t.sizeOf(t.min()), t.sizeOf(t.max())]).toEqual([11, 40]);
    expect(t.find(40, 0)).toBe(moved);
    expect(t.predecessor(moved)).toBe(c);
    expect(t.successor(moved)).toBe(NIL_NODE);
    expect(t.predecessor(t.min())).toBe(NIL_NODE);
  });

  it('clear() empties the tree and recycles node ids', () => {
    const t = new RedBlackTree(4);
    for (let i = 0; i < 10; i++) t.insert(i, i);
    t.clear();
    expect(t.size).toBe(0);
    t.check();
    expect(t.insert(3, 3)).toBe(1);
    t.check();
  });
});
