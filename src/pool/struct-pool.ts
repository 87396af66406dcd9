/**
 * StructPool: fixed-size records stored as structure-of-arrays typed-array columns, handed out
 * and taken back in O(1) through generation-tagged handles.
 *
 * @module
 */
import { NULL_HANDLE, type OutOfMemoryError, checkInteger, statsTarget } from '../errors.js';
import { makeColumnBuffer, makeColumns, resizeColumnBuffers } from './column-buffer.js';
import { handleLayoutFor, type Handle } from './handle.js';
import { parseSchema, type Columns, type FieldLayout, type Schema } from './schema.js';
import * as slotTable from './slot-table.js';
import { grownQueue, grownSlotTable, initFreeSlots, queuedCount, rejectHandle } from './slot-table.js';
import {
  resolveStructPoolOptions,
  type GenerationWrap,
  type StructPoolOptions,
  type StructPoolStats,
} from './struct-pool-options.js';
import { StructPoolSharing, type StructPoolMemory } from './struct-pool-sharing.js';
import { checkPool, fillPoolStats, fullPoolError, growRefusedError } from './struct-pool-cold.js';
import { poolStateParts } from '../snapshot/pool-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import { loadStateOf, saveStateOf, stateBytesOf, type StateParts } from '../snapshot/state-record.js';

/**
 * Module-local copies of imported constants for the hot paths: reading the imports there measured
 * 20% slower (bench/README.md, section Pools, "Things that moved these figures").
 */
const { FREE, HANDLE, HANDLE_MASK, POSITION, RETIRED, SLOT_SHIFT, SLOT_STRIDE } = slotTable;

export type { GenerationWrap, StructPoolOptions, StructPoolStats } from './struct-pool-options.js';

/** A view used to zero one slot of a column in as few stores as possible. */
type ZeroView = Int32Array | Uint8Array;

/**
 * A pool of fixed-size records ("structs") in structure-of-arrays layout: one typed array per
 * field (a column), indexed by slot. Records are named by {@link Handle}s: slot index plus a
 * generation that changes on every free, so a stale handle is detected instead of reading the
 * slot's next occupant.
 *
 * **The handle promise.** Once freed (by `free` or `clear`), a handle is never alive again:
 * `isAlive` is false for it, `slotOf` and `free` throw, for the lifetime of the pool. A slot
 * whose generation would wrap is retired instead of reused (see "Retirement" below). And a
 * handle never equals its slot index (generations start at 1), so `fields.x[h]` written by
 * mistake for `fields.x[pool.slotOf(h)]` reads `undefined` at once instead of working until
 * the first reuse.
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
 * **Free queue.** The live slots are packed at the front of {@link StructPool.dense}
 * (`dense[0..size)`); a private slot table gives each live slot's position there and its current
 * handle, and links the free slots into a FIFO queue (layout in `slot-table.ts`). `alloc` takes
 * the slot free the longest; `free` checks the handle against the stored one (one comparison
 * rejects stale, double and garbage frees), swap-removes it from `dense`, bumps its generation
 * and queues it last. Both O(1), no allocation. Source: the sparse/dense set of Briggs and
 * Torczon, "An efficient representation for sparse sets" (1993), as in bitECS `EntityIndex.ts`,
 * with a generation per slot (bitECS, Rust `slotmap`) and FIFO reuse (bitECS 0.3, becsy).
 *
 * **Handles and retirement** (layout and figures in `handle.ts`). The low `indexBits` bits hold
 * the slot, the `generationBits = 31 - indexBits` above its generation, 1 to
 * `2^generationBits - 1`. A free that would wrap a generation retires the slot instead: it is
 * never allocated again (`stats().retiredSlots`). The cost: one slot per
 * `2^generationBits - 1` frees (EntityPool's default 2^20 `maxCapacity`: one per 2,047), and,
 * with FIFO reuse over `N` free slots, none before `(2^generationBits - 1) x N` frees. A growable
 * pool grows past retired slots up to `maxCapacity`; a full one throws `OutOfMemoryError` (the
 * message counts them). Option `generationWrap: 'reuse'` requeues instead, for pools whose
 * handles never leave your code.
 *
 * **Zeroing.** `alloc` zeroes the new slot's fields unless option `zeroOnAlloc` is false.
 *
 * **Growth and column views.** When `capacity < maxCapacity` the pool doubles its capacity (up
 * to `maxCapacity`) when an `alloc` finds no free slot. Handles, slots and values are kept, and
 * column views stay valid: each column of a growable pool (and `dense`) is a length-tracking view
 * over a resizable `ArrayBuffer`, so a held `pool.fields.x` sees the new length (test 'C19 views
 * across growth'). Such views are slower in Node 20 than fixed ones (`bench/README.md`, Pools):
 * a pool with `capacity === maxCapacity` (the default) never grows and uses fixed views. Without
 * resizable buffers a growable pool allocates `maxCapacity` slots up front. Growth allocates
 * (new internal index arrays); steady-state `alloc`/`free` do not.
 *
 * **Workers.** With option `shared: true` the columns, `dense` and the slot table are on
 * `SharedArrayBuffer`s: `share()` gives a worker a descriptor, `StructPool.attach` there a
 * view that reads them and queues frees, applied here by `drainRemoteFrees()` (README, Workers).
 *
 * **Errors** (DESIGN.md policy): wrong types throw `TypeError`, out-of-domain numbers
 * `RangeError`; a full pool throws {@link OutOfMemoryError} from `alloc` and makes `tryAlloc`
 * return `NULL_HANDLE` (-1); freeing what is not live throws `InvalidFreeError`, looking up
 * (`slotOf`) what is not live throws `InvalidHandleError`. A call that throws leaves the pool
 * unchanged (except the `failedAllocCount` counter of a full pool).
 */
export class StructPool<const S extends Schema> extends StructPoolSharing<S> {
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
  /** Option `generationWrap`: `'retire'` (the default: the handle promise holds) or `'reuse'`. */
  declare readonly generationWrap: GenerationWrap;

  declare private readonly indexMask: number;
  /** `2^indexBits`: adding it to a handle adds 1 to the generation. */
  declare private readonly generationStep: number;
  declare private readonly lengthTracking: boolean;
  declare private readonly buffers: ArrayBuffer[];
  declare private readonly zeroViews: ZeroView[];
  declare private readonly zeroWords: Int32Array;
  declare private denseBuffer: ArrayBuffer;
  declare private denseArray: Int32Array;
  /** The slot table (layout in `slot-table.ts`): position or queue link, and handle, per slot. */
  declare private slots: Int32Array;
  /** True for `generationWrap: 'retire'`. */
  declare private readonly retire: boolean;
  private live = 0;
  /** The free queue: a ring of `capacity + 1` slots (layout in `slot-table.ts`). */
  declare private queue: Int32Array;
  /** Index in `queue` of the next slot `alloc` takes (`=== queueTail`: no free slot). */
  private queueHead = 0;
  /** Index in `queue` where `free` appends. */
  private queueTail = 0;
  declare private slotCapacity: number;
  private peakSize = 0;
  private retiredCount = 0;
  private freeCount = 0;
  private clearedCount = 0;
  private failedAllocCount = 0;
  private growCount = 0;

  /**
   * Creates the columns for `capacity` slots, all free. O(capacity + fields).
   *
   * @param schema - field name to kind (`'f32'`) or vector (`['f32', 2]`); see `parseSchema`.
   * @param options - {@link StructPoolOptions}.
   * @throws TypeError for a schema or options of the wrong type, an unknown option, a
   *   non-boolean `zeroOnAlloc` or `shared`, `shared` without `SharedArrayBuffer`; RangeError
   *   for `maxCapacity !== capacity` with `shared`, a bad field kind or vector length, `capacity`
   *   outside `[1, maxCapacity]`, `maxCapacity` outside `[1, 2^24]`, a `generationWrap` other
   *   than `'retire'`/`'reuse'`, or a column above `MAX_COLUMN_BYTES` (2^32) bytes.
   */
  constructor(schema: S, options?: StructPoolOptions) {
    super();
    const layout = parseSchema(schema);
    const resolved = resolveStructPoolOptions(layout, options);
    const { capacity, maxCapacity, zeroOnAlloc, generationWrap, tracking, shared } = resolved;
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
    this.generationStep = (2 ** handles.indexBits) | 0; // <= 2^24; `| 0` as for the masks above
    this.slotCapacity = capacity;
    this.zeroOnAlloc = zeroOnAlloc;
    this.generationWrap = generationWrap;
    this.retire = generationWrap === 'retire';

    // Not growable (or no resizable buffers): capacity === maxCapacity, plain buffers (shared
    // ones with `shared`: what other threads read).
    const columns = makeColumns(layout, capacity, maxCapacity, shared);
    this.buffers = columns.buffers;
    this.zeroViews = columns.zeroViews;
    this.zeroWords = Int32Array.from(columns.zeroWords);
    this.fields = Object.freeze(columns.fields) as unknown as Columns<S>;
    this.bytesPerSlot = columns.bytesPerRecord;

    this.denseBuffer = makeColumnBuffer(4 * capacity, 4 * maxCapacity, shared);
    this.denseArray = new Int32Array(this.denseBuffer);
    this.slots = new Int32Array(makeColumnBuffer(4 * SLOT_STRIDE * capacity, 4 * SLOT_STRIDE * capacity, shared));
    initFreeSlots(this.slots, 0, capacity, this.generationStep);
    this.queue = grownQueue(new Int32Array(1), 0, 0, capacity, 0, capacity);
    this.queueTail = capacity;
  }

  /** Live slots, as {@link StructPool.liveSlots} (the name iteration loops use). */
  get size(): number {
    return this.live;
  }

  /** Live slots: allocated and not yet freed. */
  get liveSlots(): number {
    return this.live;
  }

  /** Free slots: `capacity - liveSlots - retiredSlots`, the allocations possible without growing. */
  get freeSlots(): number {
    return this.slotCapacity - this.live - this.retiredCount;
  }

  /** Slots retired because their generations ran out (see the class docs); never allocated again. */
  get retiredSlots(): number {
    return this.retiredCount;
  }

  /** Slots the columns hold now (`size` of them live). */
  get capacity(): number {
    return this.slotCapacity;
  }

  /**
   * The live slots packed in `dense[0..size)`, in no particular order (the rest is unused; do not
   * write to `dense`: `check()` detects it). Iterate **backward**:
   * `for (let i = pool.size - 1; i >= 0; i--) { const s = pool.dense[i]; ... }`. `free`
   * swap-removes (the last live slot moves into the freed position), so freeing the current item
   * visits every item live at the start exactly once; `alloc` appends at `size`, unvisited. A
   * length-tracking view on growable pools (valid across growth); its `length` is `capacity`.
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
    const h = this.tryAlloc();
    return h >= 0 ? h : this.throwFull();
  }

  /**
   * As {@link StructPool.alloc}, but returns `NULL_HANDLE` (-1) instead of throwing when the pool
   * is full at `maxCapacity`. O(1) amortised; allocates nothing unless the pool grows.
   */
  tryAlloc(): Handle {
    const size = this.live;
    let head = this.queueHead;
    // One test covers both rare cases (an empty queue: `head ^ queueTail` is 0; a new peak:
    // `peakSize - size - 1` is negative), so steady state pays one branch.
    if ((((head ^ this.queueTail) - 1) | (this.peakSize - size - 1)) < 0) {
      if (!this.prepareAlloc(size)) {
        this.failedAllocCount++;
        return NULL_HANDLE;
      }
      head = this.queueHead; // growth rebuilds the queue
    }
    const queue = this.queue;
    const slot = queue[head];
    this.queueHead = head + 1 === queue.length ? 0 : head + 1;
    const slots = this.slots;
    const entry = slot << SLOT_SHIFT;
    slots[entry + POSITION] = size;
    this.denseArray[size] = slot;
    this.live = size + 1;
    // `=== true`, not a truthiness test: bench/README.md, section Pools.
    if (this.zeroOnAlloc === true) this.zeroSlot(slot);
    return slots[entry + HANDLE];
  }

  /**
   * Frees the record named by `handle`: its generation is bumped, so `handle` (and every copy of
   * it) is dead for good, and its slot joins the tail of the free queue (or retires, when its
   * generations ran out: see the class docs). O(1), allocates nothing. Swap-removes from `dense`
   * (see {@link StructPool.dense} for iteration).
   *
   * @param handle - a live handle of this pool.
   * @throws TypeError when `handle` is not a number.
   * @throws RangeError when `handle` is not an integer in `[0, 2^31)` (NaN, -1, 1.5, 2^31).
   * @throws InvalidFreeError `'out-of-range'` when its slot is `>= capacity`; `'double-free'`
   *   when it was freed and its slot has not been reused since; `'stale-handle'` when its slot
   *   was reused since, or it was never issued. The pool is unchanged.
   */
  free(handle: Handle): void {
    // `slots[entry + HANDLE] === handle` alone rejects NaN, 1.5, -1, 2^31 (their `& indexMask`
    // lands on a slot whose handle differs), stale and double frees; the position then says
    // whether the slot is live. reject() (cold) classifies the rest.
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
          this.live = last;
          this.freeCount++;
          // `| 0` wraps to int32 (exact: both terms are below 2^31): negative exactly when the
          // carry leaves the top generation bit, the generation would wrap to 0.
          const next = (handle + this.generationStep) | 0;
          if (next >= 0) {
            slots[entry + HANDLE] = next;
            slots[entry + POSITION] = FREE;
            const queue = this.queue; // append to the free queue (FIFO)
            const tail = this.queueTail;
            queue[tail] = slot;
            this.queueTail = tail + 1 === queue.length ? 0 : tail + 1;
          } else {
            this.requeue(slot, next & HANDLE_MASK);
          }
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
   * @throws InvalidHandleError (a subclass of `InvalidFreeError`, for code written before lookups
   *   had their own error) `'out-of-range'` when the slot bits are `>= capacity`, and
   *   `'stale-handle'` for any handle that is not live (freed, reused, retired, never issued), so
   *   a dead handle can never read another record's data.
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
   * `free(handleOf(slot))` without `handleOf`'s validation (`free` still validates). O(1).
   * @internal Used by the bitECS bridge (`PoolComponent`), which keeps slots, not handles.
   */
  freeSlot(slot: number): void {
    this.free(this.slots[((slot & this.indexMask) << SLOT_SHIFT) + HANDLE]);
  }

  /**
   * Grows the pool now to at least `capacity` slots (doubling, capped at `maxCapacity`), so later
   * `alloc`s do not grow mid-frame; handles, values and views are kept. No-op when `capacity` is
   * already there. O(new capacity); allocates (new index arrays).
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
      throw growRefusedError(this as unknown as StructPool<Schema>, capacity, 'StructPool');
    }
  }

  /**
   * Frees every record: bumps the generation of each slot that was live (so every handle issued
   * before is dead for good) and appends those slots to the free queue in `dense` order (or
   * retires them, as `free` does). Capacity is kept. O(size); allocates nothing.
   */
  clear(): void {
    const dense = this.denseArray;
    const slots = this.slots;
    const step = this.generationStep;
    const n = this.live;
    for (let i = 0; i < n; i++) {
      const slot = dense[i];
      this.requeue(slot, ((slots[(slot << SLOT_SHIFT) + HANDLE] + step) | 0) & HANDLE_MASK); // as in free()
    }
    this.clearedCount += n;
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
    return fillPoolStats(this as unknown as StructPool<Schema>, statsTarget('StructPool.stats', into));
  }

  /** Bytes `saveState` writes now (layout: `src/snapshot/pool-state.ts`). O(fields). */
  get stateBytes(): number {
    return stateBytesOf(this[STATE_PARTS]());
  }

  /**
   * Writes the whole state into `into` from byte `at` (see `Snapshotable`); allocates nothing.
   * O(capacity x bytesPerSlot). @returns bytes written. @throws RangeError when it does not fit.
   */
  saveState(into: Uint8Array, at = 0): number {
    return saveStateOf(this[STATE_PARTS](), into, at);
  }

  /**
   * Replaces the whole state with one `saveState` wrote from a pool of the same schema and
   * options: the same handles live and dead, next handles, stats; held views stay valid (a
   * growable pool takes the saved capacity). O(capacity x bytesPerSlot). @returns bytes read.
   * @throws SnapshotError (pool unchanged): other options, truncated, corrupt.
   */
  loadState(from: Uint8Array, at = 0): number {
    return loadStateOf(this[STATE_PARTS](), from, at, null);
  }

  /** @internal The pool's state layout (`src/snapshot/pool-state.ts`). */
  [STATE_PARTS](): StateParts {
    return poolStateParts(this as unknown as StructPool<Schema>);
  }

  /**
   * Validates every invariant; O(capacity + fields). Throws a `CorruptionError` listing every
   * violation found:
   * `dense[0..size)` holds distinct live slots whose positions point back at them; every other
   * slot is free or retired; the free queue visits every free slot exactly once, in range,
   * without a cycle, and ends at its tail; the retired count matches (and is 0 with
   * `generationWrap: 'reuse'`); `0 <= size <= capacity <= maxCapacity`; every slot's stored
   * handle is in `[0, 2^31)` and names that slot, with generation 0 exactly for retired slots;
   * every column has `capacity * n` elements; `size <= peakSize <= capacity`.
   */
  check(): void {
    checkPool(this as unknown as StructPool<Schema>);
  }

  protected sharedMemory(): StructPoolMemory {
    const { layout, slotCapacity: capacity, maxCapacity, slots, denseArray: dense, buffers: columns } = this;
    return { layout, capacity, maxCapacity, slots, dense, columns };
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
   * The rare part of `alloc`: the free queue is empty (grow the pool when it can) or `size`
   * reaches `peakSize` (record the new peak). Returns false, changing nothing, when the queue is
   * empty and the pool cannot grow. Cold path.
   */
  private prepareAlloc(size: number): boolean {
    if (this.queueHead === this.queueTail && !this.grow()) return false;
    if (size >= this.peakSize) this.peakSize = size + 1;
    return true;
  }

  /**
   * Puts a slot just freed (by `clear`, or by `free` when its generation ran out) back: last in
   * the free queue with `next`, its bumped handle; or, when `next` has generation 0 (it wrapped),
   * retired under `'retire'` (its handle is the bare slot index, which no handle equals), requeued
   * at generation 1 under `'reuse'`. O(1). `free`'s common case inlines the queueing.
   */
  private requeue(slot: number, next: number): void {
    const slots = this.slots;
    const entry = slot << SLOT_SHIFT;
    let handle = next;
    if (handle < this.generationStep) {
      if (this.retire) {
        slots[entry + HANDLE] = handle;
        slots[entry + POSITION] = RETIRED;
        this.retiredCount++;
        return;
      }
      handle += this.generationStep;
    }
    slots[entry + HANDLE] = handle;
    slots[entry + POSITION] = FREE;
    const tail = this.queueTail;
    this.queue[tail] = slot;
    this.queueTail = tail + 1 === this.queue.length ? 0 : tail + 1;
  }

  /** Throws the OutOfMemoryError of a full pool (`tryAlloc` counted the failure). Cold path. */
  private throwFull(): never {
    throw fullPoolError(this as unknown as StructPool<Schema>);
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
   * pool is unchanged). New slots join the free queue's tail, zero; handles, values and views
   * are kept.
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
    // The new table first (it may fail to allocate), then columns and dense (4 bytes a slot).
    const slots = grownSlotTable(this.slots, oldCap, newCap, this.generationStep);
    const queue = grownQueue(this.queue, this.queueHead, this.queueTail, newCap, oldCap, newCap);
    const bytesPerSlot = [...this.layout.map((f) => f.bytesPerSlot), 4];
    if (!resizeColumnBuffers([...this.buffers, this.denseBuffer], bytesPerSlot, oldCap, newCap)) return false;
    this.queueTail = queuedCount(this.queue, this.queueHead, this.queueTail) + newCap - oldCap;
    this.queueHead = 0;
    this.queue = queue;
    this.slots = slots;
    this.slotCapacity = newCap;
    this.growCount++;
    return true;
  }
}
