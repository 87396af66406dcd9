/**
 * The slot table of `StructPool`: the private `Int32Array` that, with the pool's `dense`
 * array and its live count, is the whole free-list state of a pool. Its layout is here, with the
 * cold code that reads it whole (initialisation, error classification, validation); the O(1)
 * `alloc` / `free` paths that read it one slot at a time are in `struct-pool.ts`.
 *
 * State of a pool with `capacity` slots, `size` of them live:
 * - `dense[0..size)` are the live slots, `dense[size..capacity)` the free ones (a stack: the
 *   next `alloc` takes `dense[size]`);
 * - `slots[(slot << SLOT_SHIFT) + POSITION]` is `slot`'s index in `dense` (live iff `< size`);
 * - `slots[(slot << SLOT_SHIFT) + HANDLE]` is the handle of its current occupant (live slot) or
 *   of its next one (free slot): slot index in the low `indexBits` bits, generation above.
 *
 * @module
 */
import { InvalidFreeError, checkInteger, describeValue } from '../errors.js';
import { HANDLE_LIMIT } from './handle.js';

/**
 * Int32 elements per slot in the slot table, as a shift: `slot << SLOT_SHIFT` is the slot's
 * entry (a shift, not `* 2`, so TurboFan needs no overflow check; slots are below 2^24). An
 * entry holds the slot's position in `dense`, then the handle of its current (live slot) or
 * next (free slot) occupant. One interleaved table instead of two arrays, so `free` validates
 * and updates a slot through one typed array.
 */
export const SLOT_SHIFT = 1;
/** Int32 elements per slot in the slot table: `2 ** SLOT_SHIFT`. */
export const SLOT_STRIDE = 2 ** SLOT_SHIFT;
/** Offset of a slot's position in `dense` within its slot-table entry. */
export const POSITION = 0;
/** Offset of a slot's current handle within its slot-table entry. */
export const HANDLE = 1;
/**
 * `2^31 - 1`: every handle bit. `(handle + generationStep) & HANDLE_MASK` bumps the generation
 * and wraps it to 0 past the largest one, leaving the slot bits alone.
 */
export const HANDLE_MASK = 0x7fffffff;

/**
 * Makes slots `from .. to - 1` free, in order, at generation 0: each at its own position in
 * `dense`, its stored handle its slot index. O(to - from).
 */
export function initFreeSlots(dense: Int32Array, slots: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    dense[i] = i;
    slots[(i << SLOT_SHIFT) + POSITION] = i;
    slots[(i << SLOT_SHIFT) + HANDLE] = i; // generation 0
  }
}

/**
 * Throws the error owed for `handle`, which `free` (`freeing`) or `slotOf` found not live:
 * TypeError for a non-number, RangeError for a value outside `[0, 2^31)` or fractional,
 * InvalidFreeError `'out-of-range'` (slot beyond `capacity`), `'double-free'` (a free's handle
 * whose slot was freed once since and is still free) or `'stale-handle'`. Cold path.
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
    throw new InvalidFreeError(
      'out-of-range',
      handle,
      `${what}: handle ${handle} names slot ${slot}, outside [0, ${capacity})`,
    );
  }
  const current = slots[(slot << SLOT_SHIFT) + HANDLE] >>> indexBits;
  const slotLive = slots[(slot << SLOT_SHIFT) + POSITION] < size;
  const generationCount = 2 ** (31 - indexBits);
  if (freeing && !slotLive && (generation + 1) % generationCount === current) {
    throw new InvalidFreeError(
      'double-free',
      handle,
      `free: handle ${handle} (slot ${slot}, generation ${generation}) was already freed`,
    );
  }
  throw new InvalidFreeError(
    'stale-handle',
    handle,
    `${what}: handle ${handle} (slot ${slot}, generation ${generation}) is not live: the slot is ${slotLive ? 'live' : 'free'} at generation ${current}`,
  );
}

/**
 * Reports each violation of the slot table of a pool of `capacity` slots: `dense` and the
 * positions are not inverse permutations of `[0, capacity)` (so the free list would not be
 * acyclic, in range and disjoint from the live slots), or a slot's stored handle is negative or
 * does not name that slot. O(capacity).
 */
export function checkSlotTable(
  dense: Int32Array,
  slots: Int32Array,
  capacity: number,
  indexMask: number,
  report: (message: string) => void,
): void {
  for (let i = 0; i < capacity; i++) {
    const slot = dense[i];
    const at = slots[(slot << SLOT_SHIFT) + POSITION];
    if (!(slot >= 0 && slot < capacity)) report(`dense[${i}] = ${slot} outside [0, ${capacity})`);
    else if (at !== i) report(`position of slot ${slot} = ${at}, expected ${i}`);
    const handle = slots[(i << SLOT_SHIFT) + HANDLE];
    if (!(handle >= 0 && (handle & indexMask) === i))
      report(`handle of slot ${i} = ${handle}, not a handle of slot ${i}`);
  }
}
