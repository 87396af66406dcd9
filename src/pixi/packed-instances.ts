/**
 * The packed upload of {@link PoolParticles}: when the live slots are spread thinly over the
 * pool (a FIFO free queue spreads them over the whole capacity), the mapped columns' values of
 * the live slots are gathered into preallocated arrays, and only `live` elements a column are
 * uploaded, instead of the whole span of slots that holds live particles.
 *
 * The gather runs in slot order, not `dense` order: `dense` is shuffled by swap-remove frees,
 * and reading a column at shuffled slots misses the cache on nearly every read once the
 * columns outgrow it (measured: `bench/README.md`). So the live slots are first marked in a
 * bitmap (`O(live)` writes into `capacity / 8` bytes), the bitmap's words over the span are
 * scanned into an ascending slot list, and each column is copied along that list (reads in
 * increasing address order). Pure typed-array code: no WebGL, no PixiJS (runs in Node).
 *
 * @module
 */
import type { ColumnArray } from './particle-gpu.js';

/** How {@link PoolParticles} uploads the live instances each frame. */
export type PoolParticlesUpload = 'auto' | 'range' | 'packed';

/** The upload modes, for checks and messages. */
export const UPLOAD_MODES: readonly PoolParticlesUpload[] = ['auto', 'range', 'packed'];

/**
 * Whether `auto` keeps the contiguous-range upload for `live` particles whose slots span
 * `[lo, hi)`: while the span holds at most one slot in nine that is free (`(hi - lo) * 8 <=
 * live * 9`). Then the range upload sends at most 1/8 more column bytes than the packed one and
 * spares the gather pass; below that density the packed upload sends fewer bytes for the same
 * draw. O(1).
 */
export function rangeIsDense(live: number, lo: number, hi: number): boolean {
  return (hi - lo) * 8 <= live * 9;
}

/** One mapped column and its packed copy, viewed as same-width integers for a bit-exact copy. */
interface PackedColumn {
  /** The pool's column, viewed with an integer type of its element width. */
  readonly source: Int32Array | Int16Array | Int8Array;
  /** The packed copy, the same integer view. */
  readonly target: Int32Array | Int16Array | Int8Array;
  /** The packed copy with the column's own element type (what `texSubImage2D` must be given). */
  readonly upload: ColumnArray;
  /** Elements per slot (1 or 2). */
  readonly components: number;
}

/** An integer view of the same width over `array`'s bytes. */
function integerView(array: ColumnArray): Int32Array | Int16Array | Int8Array {
  const { buffer, byteOffset, length, BYTES_PER_ELEMENT: width } = array;
  if (width === 4) return new Int32Array(buffer, byteOffset, length);
  if (width === 2) return new Int16Array(buffer, byteOffset, length);
  return new Int8Array(buffer, byteOffset, length);
}

/** Copies `source[order[i]]` to `target[i]` for `i` in `[0, live)`. */
function gather1(source: Int32Array, target: Int32Array, order: Int32Array, live: number): void {
  for (let i = 0; i < live; i++) target[i] = source[order[i]];
}

/** Copies the two elements of slot `order[i]` to `target[2i], target[2i + 1]`. */
function gather2(source: Int32Array, target: Int32Array, order: Int32Array, live: number): void {
  for (let i = 0; i < live; i++) {
    const s = order[i] << 1;
    target[i << 1] = source[s];
    target[(i << 1) + 1] = source[s + 1];
  }
}

/** {@link gather1} for 2-byte columns. */
function gather1Short(source: Int16Array, target: Int16Array, order: Int32Array, live: number): void {
  for (let i = 0; i < live; i++) target[i] = source[order[i]];
}

/** {@link gather2} for 2-byte columns. */
function gather2Short(source: Int16Array, target: Int16Array, order: Int32Array, live: number): void {
  for (let i = 0; i < live; i++) {
    const s = order[i] << 1;
    target[i << 1] = source[s];
    target[(i << 1) + 1] = source[s + 1];
  }
}

/** {@link gather1} for 1-byte columns. */
function gather1Byte(source: Int8Array, target: Int8Array, order: Int32Array, live: number): void {
  for (let i = 0; i < live; i++) target[i] = source[order[i]];
}

/** {@link gather2} for 1-byte columns. */
function gather2Byte(source: Int8Array, target: Int8Array, order: Int32Array, live: number): void {
  for (let i = 0; i < live; i++) {
    const s = order[i] << 1;
    target[i << 1] = source[s];
    target[(i << 1) + 1] = source[s + 1];
  }
}

/**
 * Writes the slots marked in `marks` words `[first, last]` to `order` in ascending order and
 * clears those words; returns how many were written.
 */
function drainMarks(marks: Int32Array, first: number, last: number, order: Int32Array): number {
  let n = 0;
  for (let w = first; w <= last; w++) {
    let bits = marks[w];
    if (bits === 0) continue;
    marks[w] = 0;
    const base = w << 5;
    while (bits !== 0) {
      order[n++] = base + 31 - Math.clz32(bits & -bits);
      bits &= bits - 1;
    }
  }
  return n;
}

/**
 * Packed copies of a pool's mapped columns, one element run per live particle in ascending
 * slot order: the `i`-th lowest live slot's values at elements `[i * components, (i + 1) *
 * components)`. Memory: `capacity * (bytesPerSlot + 4) + capacity / 8` bytes, allocated once
 * by the constructor.
 */
export class PackedInstances {
  /** The packed arrays, in the order of the columns given; upload `[0, live)` slots of each. */
  readonly arrays: readonly ColumnArray[];
  /** The live slots in ascending order, `[0, live)` after {@link gather}. */
  readonly order: Int32Array;
  private readonly columns: readonly PackedColumn[];
  /** One bit per slot: the live slots being sorted (all zero between gathers). */
  private readonly marks: Int32Array;

  /**
   * @param columns - the pool's columns to pack (each `capacity * components` elements long).
   * @param components - elements per slot of each column (1 or 2).
   * @param capacity - the pool's capacity, slots.
   */
  constructor(columns: readonly ColumnArray[], components: readonly number[], capacity: number) {
    this.columns = columns.map((column, i) => {
      const ctor = column.constructor as new (length: number) => ColumnArray;
      const upload = new ctor(column.length);
      return { source: integerView(column), target: integerView(upload), upload, components: components[i] };
    });
    this.arrays = this.columns.map((c) => c.upload);
    this.order = new Int32Array(capacity);
    this.marks = new Int32Array(Math.ceil(capacity / 32));
  }

  /**
   * Gathers the values of the live slots `dense[0, live)`, all in `[lo, hi)`, of every column
   * into {@link arrays} in ascending slot order, bit for bit (a float's NaN payload included).
   * O(live * columns + (hi - lo) / 32); allocation-free.
   *
   * @param dense - distinct slots, each in `[lo, hi)` (the pool's `dense`).
   */
  gather(dense: Int32Array, live: number, lo: number, hi: number): void {
    const marks = this.marks;
    for (let i = 0; i < live; i++) {
      const s = dense[i];
      marks[s >> 5] |= 1 << (s & 31);
    }
    const order = this.order;
    drainMarks(marks, lo >> 5, (hi - 1) >> 5, order);
    const columns = this.columns;
    for (let c = 0; c < columns.length; c++) {
      const { source, target, components } = columns[c];
      const width = source.BYTES_PER_ELEMENT;
      if (width === 4) {
        if (components === 1) gather1(source as Int32Array, target as Int32Array, order, live);
        else gather2(source as Int32Array, target as Int32Array, order, live);
      } else if (width === 2) {
        if (components === 1) gather1Short(source as Int16Array, target as Int16Array, order, live);
        else gather2Short(source as Int16Array, target as Int16Array, order, live);
      } else if (components === 1) gather1Byte(source as Int8Array, target as Int8Array, order, live);
      else gather2Byte(source as Int8Array, target as Int8Array, order, live);
    }
  }
}
