/**
 * The slot table of `StructPool`: the private `Int32Array` that, with the pool's `dense` array
 * and its counters, is the whole free-list state of a pool. Its layout is here, with the cold
 * code that reads it whole (initialisation, error classification, validation); the O(1)
 * `alloc` / `free` paths that read it one slot at a time are in `struct-pool.ts`.
 *
 * State of a pool with `capacity` slots, `size` of them live:
 * - `dense[0..size)` are the live slots, packed (the rest of `dense` is unused);
 * - `slots[(slot << SLOT_SHIFT) + POSITION]` is, for a live slot, its index in `dense` (`< size`);
 *   for a free slot, a link in the **free queue**: `QUEUE_LINK + next` (the slot `alloc` takes
 *   after this one) or {@link QUEUE_END} (the last one); for a retired slot, {@link RETIRED}. Every
 *   non-live value is at least `2^30 - 1`, above any `size`, so `position < size` is the liveness
 *   test;
 * - `slots[(slot << SLOT_SHIFT) + HANDLE]` is the handle of its current occupant (live slot), of
 *   its next one (free slot), or the bare slot index, generation 0 (retired slot). Generations
 *   run from 1: generation 0 is never issued, so no handle equals its slot index.
 *
 * The free queue is FIFO: `alloc` takes its head, `free` appends at its tail (the pool keeps
 * `queueHead`, `-1` when empty, and `queueTail`). Reusing the free slot that waited longest spreads
 * generations over every free slot instead of wearing out the most recently freed one, so with
 * `N` slots free a slot comes back to the same generation only after `2^generationBits x N`
 * frees. A free whose generation bump would wrap to 0 **retires** the slot instead of queueing it:
 * it is never allocated again, so a freed handle never validates again (option
 * `generationWrap: 'reuse'` requeues it at generation 1 instead).
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
/** Offset of a slot's position in `dense` (or free-queue link) within its slot-table entry. */
export const POSITION = 0;
/** Offset of a slot's handle within its slot-table entry. */
export const HANDLE = 1;
/**
 * `2^31 - 1`: every handle bit. `(handle + generationStep) & HANDLE_MASK` bumps the generation
 * and wraps it to 0 past the largest one, leaving the slot bits alone.
 */
export const HANDLE_MASK = 0x7fffffff;
/** `2^30`: a free slot's position is `QUEUE_LINK + next`, `next` the following slot in the free queue. */
export const QUEUE_LINK = 0x40000000;
/** Position of the last slot in the free queue: `QUEUE_LINK - 1` (its link names slot -1, none). */
export const QUEUE_END = QUEUE_LINK - 1;
/** Position of a retired slot: `2^31 - 1`. Its handle is its slot index (generation 0). */
export const RETIRED = 0x7fffffff;
/** The empty free queue's head: no slot. */
export const NO_SLOT = -1;

/**
 * Makes slots `from .. to - 1` free at generation 1 and chains them, in order, into a queue of
 * their own: each links to the next, the last is {@link QUEUE_END}. The caller appends the chain
 * (`from` .. `to - 1`) to its free queue. O(to - from).
 */
export function initFreeSlots(slots: Int32Array, from: number, to: number, generationStep: number): void {
  for (let i = from; i < to; i++) {
    slots[(i << SLOT_SHIFT) + POSITION] = i + 1 < to ? QUEUE_LINK + i + 1 : QUEUE_END;
    slots[(i << SLOT_SHIFT) + HANDLE] = generationStep + i; // generation 1
  }
}

/**
 * The slot table grown from `oldCap` to `newCap` slots: a copy of `slots` whose new slots are free
 * at generation 1 and chained, in order, after the free queue's tail (`queueHead` -1: the queue
 * is empty, and they become it). O(newCap); allocates the table.
 */
export function grownSlotTable(
  slots: Int32Array,
  oldCap: number,
  newCap: number,
  generationStep: number,
  queueHead: number,
  queueTail: number,
): Int32Array {
  const grown = new Int32Array(newCap * SLOT_STRIDE);
  grown.set(slots);
  initFreeSlots(grown, oldCap, newCap, generationStep);
  if (queueHead >= 0) grown[(queueTail << SLOT_SHIFT) + POSITION] = QUEUE_LINK + oldCap;
  return grown;
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

export function checkSlotTable(pool: StructPoolState, report: (message: string) => void): void {
  const { dense, slots, size, capacity, indexBits, queueHead, queueTail } = pool;
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
    if (!(handle >= 0 && handle % 2 ** indexBits === s)) {
      report(`handle of slot ${s} = ${handle}, not a handle of slot ${s}`);
      continue;
    }
    const generation = Math.floor(handle / 2 ** indexBits);
    if (position === RETIRED) {
      retired++;
      if (generation !== 0) report(`retired slot ${s} has generation ${generation}, expected 0`);
    } else if (position >= QUEUE_END && position - QUEUE_LINK < capacity) {
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
  // Walk the queue: at most `free` steps, every step to a free slot, ending at the tail.
  const seen = new Uint8Array(capacity);
  let walked = 0;
  let last = NO_SLOT;
  for (let s = queueHead; s !== NO_SLOT; ) {
    if (!(s >= 0 && s < capacity)) {
      report(`free queue reaches slot ${s}, outside [0, ${capacity})`);
      break;
    }
    if (seen[s]++) {
      report(`free queue visits slot ${s} twice (a cycle)`);
      break;
    }
    const position = slots[(s << SLOT_SHIFT) + POSITION];
    if (!(position >= QUEUE_END && position - QUEUE_LINK < capacity)) {
      report(`free queue reaches slot ${s}, which is not free (position ${position})`);
      break;
    }
    walked++;
    last = s;
    s = position - QUEUE_LINK;
  }
  if (walked !== free) report(`free queue holds ${walked} slots, ${free} slots are free`);
  if (walked > 0 && last !== queueTail) report(`free queue ends at slot ${last}, tail is ${queueTail}`);
  if ((queueHead === NO_SLOT) !== (free === 0)) report(`free queue head ${queueHead} with ${free} free slots`);
}
