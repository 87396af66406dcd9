/**
 * Generation-tagged handles: the layout of the integer a {@link StructPool} hands out.
 *
 * A handle is a non-negative int32 (below 2^31). Where V8's small integers (Smis) are 32 bits
 * (Node's default build) every handle is one, and storing it in an array or object field
 * allocates nothing; where pointer compression makes them 31 bits (Chrome, Electron) a handle of
 * 2^30 or above (a generation in the upper half of its range) is stored there as a heap number.
 * An `Int32Array` holds any handle without allocating, everywhere. It packs two numbers:
 *
 * ```
 *  bit 30 ............................ indexBits ... 0
 *  [        generation           ][      slot index      ]
 *   HANDLE_BITS - indexBits bits     indexBits bits
 * ```
 *
 * `indexBits` is chosen per pool from its `maxCapacity`: `indexBits = ceil(log2(maxCapacity))`,
 * so every slot below `maxCapacity` fits and a slot index can never spill into the generation
 * bits (the pool refuses to grow past `maxCapacity`). The generation gets the remaining
 * `31 - indexBits` bits: at least {@link MIN_GENERATION_BITS}, because `maxCapacity` is capped at
 * {@link MAX_POOL_CAPACITY}.
 *
 * Generations run from 1 (so a handle is never its bare slot index: `fields.x[h]` written for
 * `fields.x[slotOf(h)]` reads `undefined` at once) to `2^generationBits - 1`. Each free bumps its
 * slot's generation; a free that would wrap it back to 0 **retires** the slot (it is never
 * allocated again), so a freed handle never validates again: the ABA problem every generational
 * index has after `2^generationBits` reuses (bitECS's 8 version bits: 256) cannot happen.
 *
 * What that costs: each slot absorbs `2^generationBits - 1` frees before it retires, so a pool
 * gives up one slot per that many frees; with FIFO reuse over `N` free slots the first retirement
 * comes only after `(2^generationBits - 1) x N` frees. By `maxCapacity`:
 *
 * | maxCapacity | generation bits | frees per retired slot | first retirement, N = 1000 free |
 * | ----------- | --------------- | ---------------------- | ------------------------------- |
 * | 1024        | 21              | 2,097,151              | 2.1 x 10^9 frees                |
 * | 65536       | 15              | 32,767                 | 3.3 x 10^7 frees                |
 * | 2^20        | 11              | 2,047                  | 2.0 x 10^6 frees                |
 * | 2^24        | 7               | 127                    | 1.3 x 10^5 frees                |
 *
 * At 1,000 frees a second, a 2^20 pool retires one slot every 2 s once its turn comes (a few
 * bytes a slot; its columns stay allocated), a 65536 pool one every 33 s. Pools whose handles
 * never leave their owner can choose option `generationWrap: 'reuse'` instead.
 *
 * Source: the generational index of bitECS `EntityIndex.ts` (version bits above the entity id)
 * and of slot maps (Bitsquid/Stingray "packed array" ids, Rust `slotmap`).
 *
 * Handles are decoded with 32-bit bitwise operators only after a check that the value is an
 * integer in `[0, 2^31)`, where those operators are exact.
 *
 * @module
 */

/**
 * A pool handle: slot index in the low `indexBits` bits, generation above. `-1` is null.
 *
 * A plain `number`, not a branded type: a brand would not stop `fields.x[h]` (a branded number
 * still indexes a typed array), and every handle read back from an `Int32Array` (how pools of
 * handles are kept without garbage) would need a cast. Generations starting at 1 catch that
 * mistake at run time instead: `fields.x[h]` reads `undefined` from the first handle on.
 */
export type Handle = number;

/** Bits in a handle: 31, so every handle is a non-negative int32 (see the module docs for V8's small integers). */
export const HANDLE_BITS = 31;

/** Largest `maxCapacity` of a pool, in slots: 2^24. */
export const MAX_POOL_CAPACITY = 2 ** 24;

/** Fewest generation bits any pool has: `HANDLE_BITS - log2(MAX_POOL_CAPACITY)` = 7. */
export const MIN_GENERATION_BITS = HANDLE_BITS - 24;

/** Largest handle value plus one: handles are integers in `[0, HANDLE_LIMIT)`. */
export const HANDLE_LIMIT = 2 ** HANDLE_BITS;

/** A pool's handle layout, derived from its `maxCapacity` by {@link handleLayoutFor}. */
export interface HandleLayout {
  /**
   * Bits of the slot index: `ceil(log2(maxCapacity))` (0 when `maxCapacity` is 1). Also the
   * shift that brings the generation to bit 0.
   */
  readonly indexBits: number;
  /** `2^indexBits - 1`: `handle & indexMask` is the slot. */
  readonly indexMask: number;
  /** Bits of the generation: `HANDLE_BITS - indexBits`. */
  readonly generationBits: number;
  /** `2^generationBits - 1`: the largest generation; the next one wraps to 0. */
  readonly generationMask: number;
}

/**
 * The smallest `b` with `2^b >= n`, for an integer `n >= 1`. O(log n); no bitwise operators, so
 * it is exact for any safe integer.
 */
function ceilLog2(n: number): number {
  let bits = 0;
  let span = 1;
  while (span < n) {
    span *= 2;
    bits++;
  }
  return bits;
}

/**
 * The handle layout of a pool that may hold up to `maxCapacity` slots.
 *
 * @param maxCapacity - integer in `[1, MAX_POOL_CAPACITY]` (validated by the caller).
 */
export function handleLayoutFor(maxCapacity: number): HandleLayout {
  const indexBits = ceilLog2(maxCapacity);
  const generationBits = HANDLE_BITS - indexBits;
  return {
    indexBits,
    indexMask: 2 ** indexBits - 1,
    generationBits,
    generationMask: 2 ** generationBits - 1,
  };
}

/**
 * True when `value` is a number and an integer in `[0, 2^31)`: the only values a handle can
 * be. Never throws and never calls `valueOf`. O(1).
 */
export function isHandleShaped(value: unknown): value is Handle {
  return typeof value === 'number' && (value | 0) === value && value >= 0;
}
