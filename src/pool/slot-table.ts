/**
 * The slot table of `StructPool` and its free queue: with the pool's `dense` array and its
 * counters, the whole state of a pool. Their layout is here, with the cold code that reads them
 * whole (initialisation, growth, error classification, validation); the O(1) `alloc` / `free`
 * paths that touch them one slot at a time are in `struct-pool.ts`.
 *
 * State of a pool with `capacity` slots, `size` of them live:
 * - `dense[0..size)` are the live slots, packed (the rest of `dense` is unused);
 * - `slots[(slot << SLOT_SHIFT) + POSITION]` is, for a live slot, its index in `dense` (`< size`);
 *   for a free slot {@link FREE}; for a retired slot {@link RETIRED}. Both are above any `size`,
 *   so `position < size` is the liveness test;
 * - `slots[(slot << SLOT_SHIFT) + HANDLE]` is the handle of its current occupant (live slot), of
 *   its next one (free slot), or the bare slot index, generation 0 (retired slot). Generations
 *   run from 1: generation 0 is never issued, so no handle equals its slot index;
 * - the **free queue**, a ring buffer `queue` of `capacity + 1` int32s holding the free slots
 *   from `queue[queueHead]` (the next `alloc` takes it) up to `queue[queueTail]` exclusive; one
 *   entry always stays unused, so `queueHead === queueTail` means empty. An array, not a list
 *   linked through the slot table, so that a burst of `alloc`s reads independent entries instead
 *   of chasing links (measured: `bench/README.md`, Pools).
 *
 * The queue is FIFO: `alloc` takes its head, `free` appends at its tail. Reusing the free slot
 * that waited longest spreads generations over every free slot instead of wearing out the most
 * recently freed one, so with `N` slots free a slot comes round again only after `N` frees. A
 * free whose generation bump would wrap to 0 **retires** the slot instead of queueing it: it is
 * never allocated again, so a freed handle never validates again (option `generationWrap:
 * 'reuse'` requeues it at generation 1 instead).
 *
 * Source: a generational index (bitECS `EntityIndex.ts`, Rust `slotmap`) with delayed, FIFO
 * recycling as in bitECS 0.3's removed-entity queue and becsy, and slot retirement on generation
 * overflow as in Rust `generational-arena`'s and `thunderdome`'s documented limit handling.
 *
 * @module
 */
import { InvalidFreeError, InvalidHandleError, Violations, checkInteger, describeValue } from '../errors.js';
import { HANDLE_LIMIT } from './handle.js';
import type { AnyColumn, FieldLayout } from './schema.js';

/**
 * Int32 elements per slot in the slot table, as a shift: `slot << SLOT_SHIFT` is the slot's
 * entry (a shift, not `* 2`, so TurboFan needs no overflow check; slots are below 2^24). An
 * entry holds the slot's position in `dense` (or its free-queue link), then a handle. One
 * interleaved table instead of two arrays, so `free` validates and updates a slot through one
 * typed array.
 */
export const SLOT_SHIFT = 1;
/** Int32 elements per slot in the slot table: `2 ** SLOT_SHIFT`. */
export const SLOT_STRIDE = 2 ** SLOT_SHIFT;
/** Offset of a slot's position in `dense` (or `FREE`, `RETIRED`) within its slot-table entry. */
export const POSITION = 0;
/** Offset of a slot's handle within its slot-table entry. */
export const HANDLE = 1;
/**
 * `2^31 - 1`: every handle bit. `(handle + generationStep) & HANDLE_MASK` bumps the generation
 * and wraps it to 0 past the largest one, leaving the slot bits alone.
 */
export const HANDLE_MASK = 0x7fffffff;
/** Position of a free slot (waiting in the free queue): `2^31 - 2`. */
export const FREE = 0x7ffffffe;
/** Position of a retired slot: `2^31 - 1`. Its handle is its slot index (generation 0). */
export const RETIRED = 0x7fffffff;

/** Makes slots `from .. to - 1` free at generation 1 (the caller queues them). O(to - from). */
export function initFreeSlots(slots: Int32Array, from: number, to: number, generationStep: number): void {
  for (let i = from; i < to; i++) {
    slots[(i << SLOT_SHIFT) + POSITION] = FREE;
    slots[(i << SLOT_SHIFT) + HANDLE] = generationStep + i; // generation 1
  }
}

/**
 * The slot table grown from `oldCap` to `newCap` slots: a copy of `slots` whose new slots are free
 * at generation 1. O(newCap); allocates the table.
 */
export function grownSlotTable(slots: Int32Array, oldCap: number, newCap: number, generationStep: number): Int32Array {
  const grown = new Int32Array(newCap * SLOT_STRIDE);
  grown.set(slots);
  initFreeSlots(grown, oldCap, newCap, generationStep);
  return grown;
}

/**
 * A free queue for `capacity` slots (`capacity + 1` entries) holding, in order, the slots queued
 * in `queue` from `head` to `tail` (an empty `queue` for a new pool), then slots `from .. to - 1`.
 * Its head is 0 and its tail the count. O(capacity); allocates the queue.
 */
export function grownQueue(
  queue: Int32Array,
  head: number,
  tail: number,
  capacity: number,
  from: number,
  to: number,
): Int32Array {
  const grown = new Int32Array(capacity + 1);
  let n = 0;
  for (let i = head; i !== tail; i = i + 1 === queue.length ? 0 : i + 1) grown[n++] = queue[i];
  for (let slot = from; slot < to; slot++) grown[n++] = slot;
  return grown;
}

/** Slots waiting in a free queue from `head` to `tail`. O(1). */
export function queuedCount(queue: Int32Array, head: number, tail: number): number {
  return tail >= head ? tail - head : tail + queue.length - head;
}

/**
 * Throws the error owed for `handle`, which `free` (`freeing`) or `slotOf` found not live:
 * TypeError for a non-number, RangeError for a value outside `[0, 2^31)` or fractional; for a
 * free, InvalidFreeError `'out-of-range'` (slot beyond `capacity`), `'double-free'` (a handle
 * whose slot was freed once since and has not been reused: still queued, or retired by that free)
 * or `'stale-handle'`; for a lookup, {@link InvalidHandleError} `'out-of-range'` or
 * `'stale-handle'`. Cold path.
 */
export function rejectHandle(
  handle: unknown,
  freeing: boolean,
  slots: Int32Array,
  size: number,
  capacity: number,
  indexBits: number,
): never {
  const what = freeing ? 'free' : 'slotOf';
  if (typeof handle !== 'number') {
    throw new TypeError(`${what}: handle must be a number, got ${describeValue(handle)}`);
  }
  checkInteger(`${what}: handle`, handle, 0, HANDLE_LIMIT - 1);
  const slot = handle % 2 ** indexBits;
  const generation = Math.floor(handle / 2 ** indexBits);
  if (slot >= capacity) {
    const message = `${what}: handle ${handle} names slot ${slot}, outside [0, ${capacity})`;
    throw freeing
      ? new InvalidFreeError('out-of-range', handle, message)
      : new InvalidHandleError('out-of-range', handle, message);
  }
  const current = slots[(slot << SLOT_SHIFT) + HANDLE] >>> indexBits;
  const position = slots[(slot << SLOT_SHIFT) + POSITION];
  const state = position < size ? 'live' : position === RETIRED ? 'retired' : 'free';
  const generationCount = 2 ** (31 - indexBits);
  if (freeing && state !== 'live' && generation !== 0 && (generation + 1) % generationCount === current) {
    throw new InvalidFreeError(
      'double-free',
      handle,
      `free: handle ${handle} (slot ${slot}, generation ${generation}) was already freed`,
    );
  }
  const why =
    generation === 0
      ? 'generation 0 is never issued (is it a slot index?)'
      : state === 'retired'
        ? 'the slot is retired (its generations ran out)'
        : `the slot is ${state} at generation ${current}`;
  const message = `${what}: handle ${handle} (slot ${slot}, generation ${generation}) is not live: ${why}`;
  throw freeing
    ? new InvalidFreeError('stale-handle', handle, message)
    : new InvalidHandleError('stale-handle', handle, message);
}

/** What {@link checkStructPool} reads of a pool: its whole state. */
export interface StructPoolState {
  readonly dense: Int32Array;
  readonly slots: Int32Array;
  readonly size: number;
  readonly capacity: number;
  readonly maxCapacity: number;
  readonly indexBits: number;
  readonly queue: Int32Array;
  readonly queueHead: number;
  readonly queueTail: number;
  readonly retired: number;
  /** False under `generationWrap: 'reuse'`, where nothing may be retired. */
  readonly retire: boolean;
  readonly peakSize: number;
  readonly layout: readonly FieldLayout[];
  readonly fields: Record<string, AnyColumn>;
}

/**
 * Validates a StructPool whole, in O(capacity + fields), and throws one `CorruptionError` listing
 * every violation: `0 <= size <= capacity <= maxCapacity`; `dense` and the slot table are
 * `capacity` long and every column `capacity * n`; the slot table holds (see
 * {@link checkSlotTable}); nothing retired under `'reuse'`; `size <= peakSize <= capacity`.
 */
export function checkStructPool(pool: StructPoolState): void {
  const v = new Violations('StructPool');
  const fail = v.report;
  const { size, capacity: cap, slots } = pool;
  if (!(size >= 0 && size <= cap && cap <= pool.maxCapacity)) {
    fail(`size ${size} / capacity ${cap} / maxCapacity ${pool.maxCapacity} out of order`);
  }
  if (pool.dense.length !== cap) fail(`dense.length ${pool.dense.length} !== capacity ${cap}`);
  if (slots.length !== cap * SLOT_STRIDE)
    fail(`slot table length ${slots.length} !== capacity ${cap} * ${SLOT_STRIDE}`);
  if (size >= 0 && size <= cap && slots.length === cap * SLOT_STRIDE) checkSlotTable(pool, fail);
  if (!pool.retire && pool.retired !== 0) fail(`${pool.retired} slots retired under generationWrap 'reuse'`);
  for (const f of pool.layout) {
    const length = pool.fields[f.name].length;
    if (length !== cap * f.elementsPerSlot)
      fail(`column ${f.name} has ${length} elements, expected ${cap * f.elementsPerSlot}`);
  }
  // alloc() relies on peakSize <= capacity.
  if (!(pool.peakSize >= size && pool.peakSize <= cap))
    fail(`peakSize ${pool.peakSize} outside [size ${size}, capacity ${cap}]`);
  v.throwIfAny();
}

/**
 * Reports each violation of the slot table and free queue of a pool: `dense[0..size)` holds
 * distinct slots whose positions point back at them; every other slot is free or retired; the
 * queue (`capacity + 1` entries, head and tail in range) holds every free slot exactly once and
 * nothing else; the retired count matches; every stored handle names its slot, with generation
 * 0 exactly for retired slots. O(capacity).
 */
export function checkSlotTable(pool: StructPoolState, report: (message: string) => void): void {
  const { dense, slots, size, capacity, indexBits, queue, queueHead, queueTail } = pool;
  let free = 0;
  let retired = 0;
  for (let i = 0; i < size; i++) {
    const slot = dense[i];
    if (!(slot >= 0 && slot < capacity)) report(`dense[${i}] = ${slot} outside [0, ${capacity})`);
    else if (slots[(slot << SLOT_SHIFT) + POSITION] !== i)
      report(`position of live slot ${slot} = ${slots[(slot << SLOT_SHIFT) + POSITION]}, expected ${i}`);
  }
  for (let s = 0; s < capacity; s++) {
    const position = slots[(s << SLOT_SHIFT) + POSITION];
    const handle = slots[(s << SLOT_SHIFT) + HANDLE];
    const named = handle >= 0 && handle % 2 ** indexBits === s;
    if (!named) report(`handle of slot ${s} = ${handle}, not a handle of slot ${s}`);
    const generation = named ? Math.floor(handle / 2 ** indexBits) : -1; // -1: not checked again
    if (position === RETIRED) {
      retired++;
      if (generation > 0) report(`retired slot ${s} has generation ${generation}, expected 0`);
    } else if (position === FREE) {
      free++;
      if (generation === 0) report(`free slot ${s} has generation 0, which is never issued`);
    } else if (position >= 0 && position < size) {
      if (dense[position] !== s) report(`live slot ${s} at position ${position}, but dense holds ${dense[position]}`);
      if (generation === 0) report(`live slot ${s} has generation 0, which is never issued`);
    } else {
      report(`slot ${s} has position ${position}: neither live, free nor retired`);
    }
  }
  if (size + free + retired !== capacity) {
    report(`${size} live + ${free} free + ${retired} retired slots !== capacity ${capacity}`);
  }
  if (retired !== pool.retired) report(`${retired} retired slots found, ${pool.retired} counted`);
  if (queue.length !== capacity + 1) report(`free queue has ${queue.length} entries, expected capacity + 1`);
  if (!(queueHead >= 0 && queueHead < queue.length && queueTail >= 0 && queueTail < queue.length)) {
    report(`free queue head ${queueHead} / tail ${queueTail} outside [0, ${queue.length})`);
    return;
  }
  const queued = queuedCount(queue, queueHead, queueTail);
  if (queued !== free) report(`free queue holds ${queued} slots, ${free} slots are free`);
  const seen = new Uint8Array(capacity);
  for (let i = queueHead; i !== queueTail; i = i + 1 === queue.length ? 0 : i + 1) {
    const s = queue[i];
    if (!(s >= 0 && s < capacity)) report(`free queue entry ${i} = ${s}, outside [0, ${capacity})`);
    else if (seen[s]++) report(`slot ${s} queued twice`);
    else if (slots[(s << SLOT_SHIFT) + POSITION] !== FREE) report(`queued slot ${s} is not free`);
  }
}
