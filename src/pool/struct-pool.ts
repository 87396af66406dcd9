/**
 * StructPool: fixed-size records stored as structure-of-arrays typed-array columns, handed out
 * and taken back in O(1) through generation-tagged handles.
 *
 * @module
 */
import { InvalidFreeError, NULL_HANDLE, OutOfMemoryError, Violations, checkInteger, describeValue } from '../errors.js';
import { makeColumnBuffer, resizeColumnBuffers, zeroViewOf } from './column-buffer.js';
import { MAX_POOL_CAPACITY, handleLayoutFor, type Handle } from './handle.js';
import { parseSchema, type AnyColumn, type Columns, type FieldLayout, type Schema } from './schema.js';
import * as slotTable from './slot-table.js';
import { checkSlotTable, initFreeSlots, rejectHandle } from './slot-table.js';
import { resolveStructPoolOptions, type StructPoolOptions, type StructPoolStats } from './struct-pool-options.js';

/**
 * Module-local copies of imported constants for the hot paths: reading the imports there measured
 * 20% slower (bench/README.md, section Pools, "Things that moved these figures").
 */
const { HANDLE, HANDLE_MASK, POSITION, SLOT_SHIFT, SLOT_STRIDE } = slotTable;

export type { StructPoolOptions, StructPoolStats } from './struct-pool-options.js';

/** A view used to zero one slot of a column in as few stores as possible. */
type ZeroView = Int32Array | Uint8Array;

/**
 * A pool of fixed-size records ("structs") in structure-of-arrays layout: one typed array per
 * field (a column), indexed by slot. Records are named by {@link Handle}s: slot index plus a
 * generation that changes on every free, so a stale handle is detected instead of reading the
 * slot's next occupant.
 *
 * ```ts
 * const particles = new StructPool({ x: 'f32', y: 'f32', vel: ['f32', 2], color: 'u32' },
 *                                  { capacity: 4096, maxCapacity: 65536 });
 * const h = particles.alloc();
 * const s = particles.slotOf(h);
 * particles.fields.x[s] = 10;
 * particles.fields.vel[s * 2 + 1] = -1;   // vectors are strided
 * particles.free(h);
 * ```
 *
 * **Free list.** The live slots are packed at the front of {@link StructPool.dense}
 * (`dense[0..size)`) and the free slots fill the rest (`dense[size..capacity)`): the tail of the
 * dense array *is* the free list, a stack in a typed array. A private slot table (one
 * `Int32Array`, two entries a slot) gives each slot's position in `dense` and its current
 * handle. `alloc` takes `dense[size]` and returns the stored handle; `free` checks the handle
 * against the stored one (one comparison rejects stale, double and garbage frees), swaps the
 * slot with the last live one, bumps the stored handle's generation and shrinks `size`. Both
 * O(1), no allocation. The most recently freed slot is reused first (LIFO, cache-warm).
 * Source: the sparse/dense set of Briggs and Torczon, "An efficient representation for sparse
 * sets" (1993), as used by bitECS `EntityIndex.ts`, with a generation per slot as in bitECS
 * and Rust `slotmap`; keeping the whole handle rather than the bare generation saves packing
 * it in `alloc` and unpacking it in `free`.
 *
 * **Handles.** `indexBits = ceil(log2(maxCapacity))` low bits hold the slot, the
 * `generationBits = 31 - indexBits` bits above hold the slot's generation (see `handle.ts`),
 * so a slot never spills into the generation and a handle stays a V8 small integer. `free` and
 * `clear` bump the generation, which wraps to 0 after `2^generationBits` frees of one slot: a
 * handle kept across exactly that many reuses would look alive again (32768 reuses with
 * `maxCapacity` 65536; 128 at the largest `maxCapacity`, 2^24).
 *
 * **Zeroing.** By default `alloc` zeroes the new slot's fields, so a record always starts at 0
 * whatever its slot held before; option `zeroOnAlloc: false` skips that (see
 * {@link StructPoolOptions.zeroOnAlloc}).
 *
 * **Growth and column views.** When `capacity < maxCapacity` the pool doubles its capacity (up
 * to `maxCapacity`) when an `alloc` finds it full. Handles, slots and values are kept. Column
 * views stay valid: each column of a growable pool is a length-tracking view over a resizable
 * `ArrayBuffer`, so `const xs = pool.fields.x` held across a growth sees the new length and
 * every write lands in the pool (tested by 'C19 views across growth' in
 * `test/pool/struct-pool.test.ts`). The same holds for `dense`. Cost: in Node 20 (V8
 * 11.3) element access through length-tracking views is measurably slower than through fixed
 * views (figures in `bench/README.md`, section pool). A pool created with
 * `capacity === maxCapacity` (the default) never grows and uses plain buffers and fixed views;
 * choose that for the hottest loops. On a runtime without resizable buffers, a growable pool
 * allocates `maxCapacity` slots up front (so views still never go stale) and `capacity` reports
 * that. Growth itself allocates (new internal index arrays); steady-state `alloc`/`free` do not.
 *
 * **Errors** (DESIGN.md policy): wrong types throw `TypeError`, out-of-domain numbers
 * `RangeError`; a full pool throws {@link OutOfMemoryError} from `alloc` and makes `tryAlloc`
 * return `NULL_HANDLE` (-1); freeing what is not live throws {@link InvalidFreeError}. A call
 * that throws leaves the pool unchanged (except the `failedAllocCount` counter of a full pool).
 */
export class StructPool<const S extends Schema> {
  // Fields set in the constructor are `declare`d: see bench/README.md, section Pools, "Things
  // that moved these figures" (as are the hidden-class order, `| 0` and `=== true` below).

  /**
   * The columns, one typed array per field, keyed by field name (`'f32'` -> `Float32Array`, ...).
   * Column `f` of a scalar field holds slot `s` at `f[s]`; a vector field `[kind, n]` holds
   * element `k` at `f[s * n + k]`. Length: `capacity * n`. The object is frozen; the views stay
   * valid across growth (see the class docs).
   */
  declare readonly fields: Columns<S>;
  /** The parsed schema, in key order. */
  declare readonly layout: readonly FieldLayout[];
  /** Hard limit on `capacity`, in slots. */
  declare readonly maxCapacity: number;
  /** Slot bits of a handle: `ceil(log2(maxCapacity))`. Also the generation shift. */
  declare readonly indexBits: number;
  /** Generation bits of a handle: `31 - indexBits`. */
  declare readonly generationBits: number;
  /** Bytes of one slot over all columns. */
  declare readonly bytesPerSlot: number;
  /** Whether `alloc` zeroes the new slot's fields (option `zeroOnAlloc`). */
  declare readonly zeroOnAlloc: boolean;

  declare private readonly indexMask: number;
  declare private readonly generationMask: number;
  /** `2^indexBits`: adding it to a handle adds 1 to the generation. */
  declare private readonly generationStep: number;
  declare private readonly lengthTracking: boolean;
  declare private readonly buffers: ArrayBuffer[];
  declare private readonly zeroViews: ZeroView[];
  declare private readonly zeroWords: Int32Array;
  declare private denseBuffer: ArrayBuffer;
  declare private denseArray: Int32Array;
  /**
   * The slot table, `SLOT_STRIDE` int32s per slot: `slots[(slot << SLOT_SHIFT) + POSITION]` is
   * the slot's index in `dense` (live iff `< size`), `slots[(slot << SLOT_SHIFT) + HANDLE]` the
   * handle of its current occupant (live slot) or of its next one (free slot). Storing the whole
   * handle, not just the generation, lets `free` validate with one comparison and lets `alloc`
   * return it without packing.
   */
  declare private slots: Int32Array;
  private live = 0;
  declare private slotCapacity: number;
  private peakSize = 0;
  private freeCount = 0;
  private clearedCount = 0;
  private failedAllocCount = 0;
  private growCount = 0;

  /**
   * Creates the columns for `capacity` slots, all free. O(capacity + fields).
   *
   * @param schema - field name to kind (`'f32'`) or vector (`['f32', 2]`); see `parseSchema`.
   * @param options - {@link StructPoolOptions}.
   * @throws TypeError for a schema or options of the wrong type or an unknown option.
   * @throws TypeError when `zeroOnAlloc` is not a boolean.
   * @throws RangeError for an invalid field kind or vector length, `capacity` outside
   *   `[1, maxCapacity]`, `maxCapacity` outside `[1, 2^24]`, or a column above `MAX_COLUMN_BYTES` (2^32) bytes.
   */
  constructor(schema: S, options?: StructPoolOptions) {
    const layout = parseSchema(schema);
    const { capacity, maxCapacity, zeroOnAlloc, tracking } = resolveStructPoolOptions(layout, options);
    const handles = handleLayoutFor(maxCapacity);
    // Growable pools define their first two properties in the other order: a hidden class of
    // their own (bench/README.md, section Pools).
    if (tracking) {
      this.lengthTracking = tracking;
      this.layout = layout;
    } else {
      this.layout = layout;
      this.lengthTracking = tracking;
    }
    this.maxCapacity = maxCapacity;
    this.indexBits = handles.indexBits;
    this.generationBits = handles.generationBits;
    // `| 0` keeps these small integers, not heap numbers (bench/README.md, section Pools).
    this.indexMask = handles.indexMask | 0;
    this.generationMask = handles.generationMask | 0;
    this.generationStep = (2 ** handles.indexBits) | 0; // <= 2^24; `| 0` as for the masks above
    this.slotCapacity = capacity;
    this.zeroOnAlloc = zeroOnAlloc;

    const fields: Record<string, AnyColumn> = {};
    this.buffers = [];
    this.zeroViews = [];
    this.zeroWords = new Int32Array(layout.length);
    let bytesPerSlot = 0;
    layout.forEach((f, i) => {
      // Not growable (or no resizable buffers): capacity === maxCapacity, so a plain buffer.
      const buffer = makeColumnBuffer(f.bytesPerSlot * capacity, f.bytesPerSlot * maxCapacity);
      this.buffers.push(buffer);
      fields[f.name] = new f.ctor(buffer);
      const zero = zeroViewOf(buffer, f.bytesPerSlot);
      this.zeroViews.push(zero.view);
      this.zeroWords[i] = zero.words;
      bytesPerSlot += f.bytesPerSlot;
    });
    this.fields = Object.freeze(fields) as unknown as Columns<S>;
    this.bytesPerSlot = bytesPerSlot;

    this.denseBuffer = makeColumnBuffer(4 * capacity, 4 * maxCapacity);
    this.denseArray = new Int32Array(this.denseBuffer);
    this.slots = new Int32Array(capacity * SLOT_STRIDE);
    initFreeSlots(this.denseArray, this.slots, 0, capacity);
  }

  /** Live slots (the same as {@link StructPool.liveSlots}; the name iteration loops use). */
  get size(): number {
    return this.live;
  }

  /** Live slots: allocated and not yet freed. */
  get liveSlots(): number {
    return this.live;
  }

  /** Free slots: `capacity - liveSlots`, the allocations possible without growing. */
  get freeSlots(): number {
    return this.slotCapacity - this.live;
  }

  /** Slots the columns hold now (`size` of them live). */
  get capacity(): number {
    return this.slotCapacity;
  }

  /**
   * The live slots packed in `dense[0..size)`, in no particular order (the rest of the array is
   * the free list: do not write to it; `check()` detects it). Iterate
   * `for (let i = pool.size - 1; i >= 0; i--) { const s = pool.dense[i]; ... }`.
   *
   * Iteration contract under removal: `free` swap-removes. Freeing the slot at position `i`
   * moves the last live slot (position `size - 1`) into position `i`. Iterating **backward**
   * and freeing only the current item visits every item that was live at the start exactly
   * once (the moved item was already visited). Forward iteration would skip the moved item.
   * `alloc` during iteration appends at position `size` (not visited by a backward loop that
   * started above it). A length-tracking view on growable pools, so it stays valid across
   * growth; its `length` is `capacity`, not `size`.
   */
  get dense(): Int32Array {
    return this.denseArray;
  }

  /**
   * Takes a free slot and returns its handle; the slot's fields read 0 (unless `zeroOnAlloc` is
   * false). O(1) amortised (a growth is O(capacity)); allocates nothing unless the pool grows.
   *
   * @returns a handle, an integer in `[0, 2^31)`.
   * @throws OutOfMemoryError (a `RangeError`, `unit` `'slots'`) when all `maxCapacity` slots
   *   are live, naming `maxCapacity`. The pool is unchanged apart from `failedAllocCount`.
   */
  alloc(): Handle {
    const size = this.live;
    // One test covers both rare cases: `peakSize <= capacity`, so a full pool also has
    // `size === peakSize`. In steady state (`size < peakSize`) it is the only test.
    if (size >= this.peakSize && !this.raisePeak(size)) return this.throwFull();
    const slot = this.denseArray[size];
    // The slot's POSITION is `size` already: dense and the positions are inverse permutations.
    this.live = size + 1;
    // `=== true`, not a truthiness test: bench/README.md, section Pools.
    if (this.zeroOnAlloc === true) this.zeroSlot(slot);
    return this.slots[(slot << SLOT_SHIFT) + HANDLE];
  }

  /**
   * As {@link StructPool.alloc}, but returns `NULL_HANDLE` (-1) instead of throwing when the pool
   * is full at `maxCapacity`. O(1) amortised; allocates nothing unless the pool grows.
   */
  tryAlloc(): Handle {
    const size = this.live;
    if (size >= this.peakSize && !this.raisePeak(size)) {
      this.failedAllocCount++;
      return NULL_HANDLE;
    }
    const slot = this.denseArray[size];
    this.live = size + 1;
    if (this.zeroOnAlloc === true) this.zeroSlot(slot); // `=== true`: as in alloc()
    return this.slots[(slot << SLOT_SHIFT) + HANDLE];
  }

  /**
   * Frees the record named by `handle`: its slot goes back to the free list and its generation
   * is bumped, so `handle` (and every copy of it) is dead from now on. O(1), allocates nothing.
   * Swap-removes from `dense` (see {@link StructPool.dense} for iteration).
   *
   * @param handle - a live handle of this pool.
   * @throws TypeError when `handle` is not a number.
   * @throws RangeError when `handle` is not an integer in `[0, 2^31)` (NaN, -1, 1.5, 2^31).
   * @throws InvalidFreeError `'out-of-range'` when its slot is `>= capacity`; `'double-free'`
   *   when it was freed and its slot has not been reused; `'stale-handle'` when its slot was
   *   reused since, or it was never issued. The pool is unchanged.
   */
  free(handle: Handle): void {
    // Validation: the slot table holds each slot's current handle, and handles are int32s in
    // [0, 2^31), so `slots[entry + HANDLE] === handle` alone rejects NaN, 1.5, -1, 2^31 (their
    // `& indexMask` lands on some slot whose handle differs), stale and double frees; the
    // position then says whether the slot is live. Anything odd goes to reject() (cold), which
    // classifies it. Validation and the swap-remove share their loads.
    if (typeof handle === 'number') {
      const slot = handle & this.indexMask;
      if (slot < this.slotCapacity) {
        const slots = this.slots;
        const entry = slot << SLOT_SHIFT;
        const at = slots[entry + POSITION];
        const last = this.live - 1;
        if (slots[entry + HANDLE] === handle && at <= last) {
          const dense = this.denseArray;
          const lastSlot = dense[last];
          dense[at] = lastSlot;
          slots[(lastSlot << SLOT_SHIFT) + POSITION] = at;
          dense[last] = slot;
          slots[entry + POSITION] = last;
          // `| 0` wraps to int32 (exact: both terms are below 2^31), `& HANDLE_MASK` drops the
          // carry out of the top generation bit: the generation wraps to 0.
          slots[entry + HANDLE] = ((handle + this.generationStep) | 0) & HANDLE_MASK;
          this.live = last;
          this.freeCount++;
          return;
        }
      }
    }
    this.reject(handle, true);
  }

  /**
   * True when `handle` names a live record of this pool. Never throws: anything that is not a
   * live handle (garbage, stale, freed, `NULL_HANDLE`) gives `false`. O(1).
   */
  isAlive(handle: unknown): boolean {
    if (typeof handle !== 'number') return false;
    const slot = handle & this.indexMask; // any number: garbage fails the handle comparison
    return (
      slot < this.slotCapacity &&
      this.slots[(slot << SLOT_SHIFT) + HANDLE] === handle &&
      this.slots[(slot << SLOT_SHIFT) + POSITION] < this.live
    );
  }

  /**
   * The column index (slot) of a live handle, for `pool.fields.x[slot]`. O(1).
   *
   * @throws TypeError / RangeError for garbage, as {@link StructPool.free}.
   * @throws InvalidFreeError `'out-of-range'` when the slot bits are `>= capacity`, and
   *   `'stale-handle'` for any handle that is not live (freed, reused, never issued), so a dead
   *   handle can never read another record's data.
   */
  slotOf(handle: Handle): number {
    return this.liveSlot(handle);
  }

  /**
   * The handle of the live record in `slot` (for example a slot read from `dense`). O(1).
   *
   * @throws TypeError when `slot` is not a number.
   * @throws RangeError when `slot` is not an integer in `[0, capacity)` or the slot is free.
   */
  handleOf(slot: number): Handle {
    if (typeof slot !== 'number' || (slot | 0) !== slot || slot < 0 || slot >= this.slotCapacity) {
      checkInteger('slot', slot, 0, this.slotCapacity - 1);
    }
    if (this.slots[(slot << SLOT_SHIFT) + POSITION] >= this.live) {
      throw new RangeError(`slot must be a live slot, got ${slot}, which is free`);
    }
    return this.slots[(slot << SLOT_SHIFT) + HANDLE];
  }

  /**
   * Frees the record in `slot`, a slot the caller knows is live (for example one it got from
   * `alloc` and kept): `free(handleOf(slot))` without `handleOf`'s validation; `free` still
   * validates the stored handle, so a slot that is not live throws as `free` documents. O(1).
   *
   * @internal Used by the bitECS bridge (`PoolComponent`), which keeps slots, not handles.
   */
  freeSlot(slot: number): void {
    this.free(this.slots[((slot & this.indexMask) << SLOT_SHIFT) + HANDLE]);
  }

  /**
   * Grows the pool now so that it holds at least `capacity` slots (rounded up by doubling,
   * capped at `maxCapacity`), so later `alloc`s do not grow mid-frame. Handles, values and views
   * are kept, as in growth by `alloc`. No-op when `capacity` is already available. O(new
   * capacity); allocates (new index arrays).
   *
   * @throws TypeError when `capacity` is not a number.
   * @throws RangeError when `capacity` is not an integer in `[1, maxCapacity]`.
   * @throws OutOfMemoryError when the runtime refuses the memory; the pool is unchanged.
   */
  reserve(capacity: number): void {
    checkInteger('capacity', capacity, 1, this.maxCapacity);
    if (capacity <= this.slotCapacity) return;
    let newCap = this.slotCapacity;
    while (newCap < capacity) newCap *= 2;
    if (!this.growTo(Math.min(newCap, this.maxCapacity))) {
      throw new OutOfMemoryError(
        `StructPool could not grow from ${this.slotCapacity} to ${capacity} slots: the runtime refused the memory`,
        capacity - this.slotCapacity,
        'slots',
        this.stats(),
      );
    }
  }

  /**
   * Frees every record and bumps the generation of each slot that was live, so every handle
   * issued before is dead. Capacity is kept. O(size); allocates nothing.
   */
  clear(): void {
    const dense = this.denseArray;
    const slots = this.slots;
    const step = this.generationStep;
    for (let i = 0; i < this.live; i++) {
      const entry = (dense[i] << SLOT_SHIFT) + HANDLE;
      slots[entry] = ((slots[entry] + step) | 0) & HANDLE_MASK; // as in free()
    }
    this.clearedCount += this.live;
    this.live = 0;
    this.peakSize = 0;
  }

  /**
   * A snapshot of the counters. O(1).
   * @param into - an object to fill and return instead of a new one, so a frame loop that reads
   *   the stats allocates nothing; its other properties are left alone.
   * @throws TypeError when `into` is given and is not an object.
   */
  stats(into?: StructPoolStats): StructPoolStats {
    if (into !== undefined && (into === null || typeof into !== 'object')) {
      throw new TypeError(`StructPool.stats: into must be an object or undefined, got ${describeValue(into)}`);
    }
    const s = into ?? ({} as StructPoolStats);
    s.liveSlots = this.live;
    s.freeSlots = this.slotCapacity - this.live;
    s.capacity = this.slotCapacity;
    s.maxCapacity = this.maxCapacity;
    s.size = this.live;
    s.free = this.slotCapacity - this.live;
    s.peakSize = this.peakSize;
    s.allocCount = this.freeCount + this.clearedCount + this.live;
    s.freeCount = this.freeCount;
    s.clearedCount = this.clearedCount;
    s.failedAllocCount = this.failedAllocCount;
    s.growCount = this.growCount;
    s.bytesPerSlot = this.bytesPerSlot;
    s.columnBytes = this.slotCapacity * this.bytesPerSlot;
    s.indexBits = this.indexBits;
    s.generationBits = this.generationBits;
    s.lengthTracking = this.lengthTracking;
    s.zeroOnAlloc = this.zeroOnAlloc;
    return s;
  }

  /**
   * Validates every invariant; O(capacity + fields). Throws a `CorruptionError` listing every
   * violation found:
   * `dense` and the slot table's positions are inverse permutations of `[0, capacity)` (so the
   * free list is acyclic, in range and disjoint from the live slots); `0 <= size <= capacity <=
   * maxCapacity`; every slot's stored handle is in `[0, 2^31)` and names that slot (so its
   * generation is `<= 2^generationBits - 1`); every column has `capacity * n` elements;
   * `size <= peakSize <= capacity`.
   */
  check(): void {
    const v = new Violations('StructPool');
    const fail = v.report;
    const cap = this.slotCapacity;
    const size = this.live;
    if (!(size >= 0 && size <= cap && cap <= this.maxCapacity)) {
      fail(`size ${size} / capacity ${cap} / maxCapacity ${this.maxCapacity} out of order`);
    }
    if (this.denseArray.length !== cap) fail(`dense.length ${this.denseArray.length} !== capacity ${cap}`);
    const slots = this.slots;
    if (slots.length !== cap * SLOT_STRIDE) {
      fail(`slot table length ${slots.length} !== capacity ${cap} * ${SLOT_STRIDE}`);
    }
    checkSlotTable(this.denseArray, slots, cap, this.indexMask, fail);
    for (const f of this.layout) {
      const column = (this.fields as Record<string, AnyColumn>)[f.name];
      if (column.length !== cap * f.elementsPerSlot) {
        fail(`column ${f.name} has ${column.length} elements, expected ${cap * f.elementsPerSlot}`);
      }
    }
    // alloc() relies on peakSize <= capacity (its single steady-state test).
    if (!(this.peakSize >= size && this.peakSize <= cap)) {
      fail(`peakSize ${this.peakSize} outside [size ${size}, capacity ${cap}]`);
    }
    v.throwIfAny();
  }

  /**
   * Zeroes every field of `slot`. O(bytesPerSlot / 4); scalar columns take one store each.
   * `PoolComponent` has its own copy of this loop on purpose (measured: bench/README.md, section
   * Pools, "Things that moved these figures").
   */
  private zeroSlot(slot: number): void {
    const views = this.zeroViews;
    const words = this.zeroWords;
    for (let c = 0; c < views.length; c++) {
      const view = views[c];
      const n = words[c];
      if (n === 1) {
        view[slot] = 0;
      } else {
        const start = slot * n;
        for (let k = 0; k < n; k++) view[start + k] = 0;
      }
    }
  }

  /**
   * The rare part of `alloc` when `size` reaches `peakSize` (`size === peakSize`): grows the pool
   * if it is full, then records the new peak. Returns false, changing nothing, when the pool is
   * full and cannot grow. Cold path.
   */
  private raisePeak(size: number): boolean {
    if (size === this.slotCapacity && !this.grow()) return false;
    this.peakSize = size + 1;
    return true;
  }

  /** Counts the failure and throws the OutOfMemoryError of a full pool. Cold path. */
  private throwFull(): never {
    this.failedAllocCount++;
    throw new OutOfMemoryError(
      this.live >= this.maxCapacity
        ? `StructPool is full: all ${this.maxCapacity} slots are live; raise options.maxCapacity (at most ${MAX_POOL_CAPACITY})`
        : `StructPool could not grow past ${this.slotCapacity} slots (maxCapacity ${this.maxCapacity}): the runtime refused the memory`,
      1,
      'slots',
      this.stats(),
    );
  }

  /**
   * Decodes and validates `handle`; returns its slot when live. Kept small so `slotOf` inlines
   * it; the error classification is out of line in {@link StructPool.reject}.
   */
  private liveSlot(handle: Handle): number {
    if (typeof handle === 'number') {
      const slot = handle & this.indexMask; // garbage fails the handle comparison, as in free()
      if (
        slot < this.slotCapacity &&
        this.slots[(slot << SLOT_SHIFT) + HANDLE] === handle &&
        this.slots[(slot << SLOT_SHIFT) + POSITION] < this.live
      ) {
        return slot;
      }
    }
    return this.reject(handle, false);
  }

  /** Throws the right error for a value that is not a live handle. Cold path. */
  private reject(handle: unknown, freeing: boolean): never {
    rejectHandle(handle, freeing, this.slots, this.live, this.slotCapacity, this.indexBits);
  }

  /**
   * Doubles the capacity (capped at `maxCapacity`). Returns false when already at
   * `maxCapacity`, or when the runtime cannot commit the memory (every buffer is restored, the
   * pool is unchanged). New slots are free and zero; handles, values and views are kept.
   */
  private grow(): boolean {
    const oldCap = this.slotCapacity;
    if (oldCap >= this.maxCapacity || !this.lengthTracking) return false;
    return this.growTo(Math.min(oldCap * 2, this.maxCapacity));
  }

  /**
   * Grows the capacity to `newCap` (`capacity < newCap <= maxCapacity`, length-tracking pools
   * only). Returns false, with every buffer restored, when the runtime cannot commit the memory.
   */
  private growTo(newCap: number): boolean {
    const oldCap = this.slotCapacity;
    const slots = new Int32Array(newCap * SLOT_STRIDE);
    slots.set(this.slots);
    // The columns, then dense (4 bytes a slot); the runtime may refuse: then the pool is full.
    const bytesPerSlot = [...this.layout.map((f) => f.bytesPerSlot), 4];
    if (!resizeColumnBuffers([...this.buffers, this.denseBuffer], bytesPerSlot, oldCap, newCap)) return false;
    initFreeSlots(this.denseArray, slots, oldCap, newCap);
    this.slots = slots;
    this.slotCapacity = newCap;
    this.growCount++;
    return true;
  }
}
