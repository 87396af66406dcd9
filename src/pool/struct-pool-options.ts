/**
 * The options and the stats of {@link StructPool}, and the validation of its options.
 *
 * @module
 */
import { checkInteger, checkOneOf, checkOptions, describeValue } from '../errors.js';
import { HAS_RESIZABLE_BUFFER, MAX_COLUMN_BYTES } from './column-buffer.js';
import { MAX_POOL_CAPACITY } from './handle.js';
import { requireSharedMemory } from '../thread/ownership.js';
import type { FieldLayout } from './schema.js';
// Referenced from the docs ({@link}) only.
import type { StructPool } from './struct-pool.js';

/** Options of {@link StructPool}. */
export interface StructPoolOptions {
  /**
   * Slots available at construction. Integer in `[1, maxCapacity]`. Default:
   * `min(1024, maxCapacity)`.
   */
  capacity?: number;
  /**
   * Hard limit on slots; the pool doubles its capacity up to this. Integer in
   * `[capacity, MAX_POOL_CAPACITY]` (2^24). Default: `capacity` (no growth). It also fixes the
   * handle layout: `indexBits = ceil(log2(maxCapacity))`, generation bits `31 - indexBits`.
   *
   * Growth: when `capacity < maxCapacity` the pool doubles its capacity (up to `maxCapacity`)
   * when an `alloc` finds no free slot. Handles, slots and values are kept, and column views stay
   * valid: each column of a growable pool (and `dense`) is a length-tracking view over a resizable
   * `ArrayBuffer`, so a held `pool.fields.x` sees the new length (test 'C19 views across
   * growth'). Such views are slower in Node 20 than fixed ones (`bench/README.md`, Pools): a pool
   * with `capacity === maxCapacity` (the default) never grows and uses fixed views. Without
   * resizable buffers a growable pool allocates `maxCapacity` slots up front. Growth allocates
   * (new internal index arrays); steady-state `alloc`/`free` do not.
   */
  maxCapacity?: number;
  /**
   * Zero a slot's fields in `alloc` / `tryAlloc` (default `true`), so a record starts at 0
   * whatever its slot held before. `false` skips it: the slot keeps its previous occupant's
   * values (or 0 if it never had one). Zeroing costs one typed-array store per scalar field per
   * alloc (about 2.5-3.5 ns a field on the bench machine, `bench/README.md`), the largest part of
   * `alloc`; code that writes every field right after `alloc` (a particle spawn) can turn it off.
   */
  zeroOnAlloc?: boolean;
  /**
   * What a `free` does to a slot whose generation would wrap to 0 after its
   * `2^generationBits - 1`th reuse. `'retire'` (default): the slot leaves service for good (counted
   * in `stats().retiredSlots`), so a freed handle never validates again, at the cost of one slot
   * per `2^generationBits - 1` frees (see the class docs). `'reuse'`: the slot goes back to the
   * free queue at generation 1, so a handle held across `2^generationBits - 1` reuses of its slot
   * would validate again; only for pools whose handles never leave your code (the bridge's
   * `'slot'`-layout components use it: they hand out slots, never handles).
   */
  generationWrap?: GenerationWrap;
  /**
   * Put the columns, `dense` and the slot table on `SharedArrayBuffer`s, so
   * workers can attach (`share()`, `StructPool.attach()`; the ownership model is in the README,
   * section Workers). Default false. The free queue stays the owner's (no other thread reads
   * it). A shared pool has a fixed capacity: `maxCapacity` must be left out or equal
   * `capacity`, because growing would replace buffers other threads hold (growable
   * `SharedArrayBuffer`s would avoid that, but Safari before 16.4 and Firefox before 128 have
   * none, and every worker's views would have to follow). Needs `SharedArrayBuffer`: in a
   * browser, a cross-origin-isolated page.
   */
  shared?: boolean;
}

/** See {@link StructPoolOptions.generationWrap}. */
export type GenerationWrap = 'retire' | 'reuse';

/** Counters and sizes of a {@link StructPool}, from `stats()`. Counts are in slots. */
export interface StructPoolStats {
  /** Live slots. */
  liveSlots: number;
  /** `capacity - liveSlots - retiredSlots`: the allocations possible without growing. */
  freeSlots: number;
  /**
   * Slots retired because their generations ran out (option `generationWrap: 'retire'`): never
   * allocated again. With FIFO reuse a slot retires after `2^generationBits - 1` frees of it, so
   * a pool retires one slot per `2^generationBits - 1` frees on average, and none before
   * `(2^generationBits - 1) x N` frees when `N` slots are free.
   */
  retiredSlots: number;
  /** Slots the columns hold now. */
  capacity: number;
  /** Hard limit on `capacity`. */
  maxCapacity: number;
  /** @deprecated Use `liveSlots` (ObjectPool's `size` means live plus free); kept until the next major version. */
  size: number;
  /** @deprecated Use `freeSlots` (`free` is the pool's method); kept until the next major version. */
  free: number;
  /** Highest `liveSlots` since construction or `clear()`. */
  peakSize: number;
  /** Successful `alloc`/`tryAlloc` calls since construction (`freeCount + clearedCount + liveSlots`). */
  allocCount: number;
  /** Successful `free` calls since construction (not counting `clear()`). */
  freeCount: number;
  /** Slots freed by `clear()` since construction. */
  clearedCount: number;
  /** `alloc`/`tryAlloc` calls that found the pool full at `maxCapacity`. */
  failedAllocCount: number;
  /** Times the pool grew (by `alloc` doubling, or by `reserve`, which can grow 4x or more at once). */
  growCount: number;
  /** Bytes of one slot over all columns. */
  bytesPerSlot: number;
  /** Bytes of all columns now: `capacity * bytesPerSlot`. */
  columnBytes: number;
  /** Slot bits of a handle. */
  indexBits: number;
  /** Generation bits of a handle. */
  generationBits: number;
  /** True when columns live in resizable `ArrayBuffer`s with length-tracking views. */
  lengthTracking: boolean;
  /** The `zeroOnAlloc` option. */
  zeroOnAlloc: boolean;
  /** The `generationWrap` option. */
  generationWrap: GenerationWrap;
}

/** A {@link StructPool}'s validated options. */
export interface ResolvedStructPoolOptions {
  /** Slots to create now: `capacity`, or `maxCapacity` on a runtime without resizable buffers. */
  capacity: number;
  maxCapacity: number;
  zeroOnAlloc: boolean;
  generationWrap: GenerationWrap;
  /** True when the pool can grow: its columns are length-tracking views over resizable buffers. */
  tracking: boolean;
  /** Option `shared`. */
  shared: boolean;
}

/**
 * Validates a {@link StructPool}'s options against its parsed schema. O(fields).
 *
 * @throws TypeError for options of the wrong type, an unknown option, a non-boolean
 *   `zeroOnAlloc` or `shared`, or `shared` without `SharedArrayBuffer`; RangeError for a
 *   `generationWrap` other than `'retire'` / `'reuse'`, for `capacity` outside
 *   `[1, maxCapacity]`, `maxCapacity` outside `[1, 2^24]` (or above `capacity` with `shared`),
 *   or a column above `MAX_COLUMN_BYTES` (2^32) bytes.
 */
export function resolveStructPoolOptions(
  layout: readonly FieldLayout[],
  options: StructPoolOptions | undefined,
): ResolvedStructPoolOptions {
  const opts = checkOptions('options', options, ['capacity', 'maxCapacity', 'zeroOnAlloc', 'generationWrap', 'shared']);
  const generationWrap = checkOneOf('options.generationWrap', opts.generationWrap ?? 'retire', [
    'retire',
    'reuse',
  ] as const);
  if (opts.zeroOnAlloc !== undefined && typeof opts.zeroOnAlloc !== 'boolean') {
    throw new TypeError(`options.zeroOnAlloc must be a boolean, got ${describeValue(opts.zeroOnAlloc)}`);
  }
  if (opts.shared !== undefined && typeof opts.shared !== 'boolean') {
    throw new TypeError(`options.shared must be a boolean, got ${describeValue(opts.shared)}`);
  }
  const shared = opts.shared === true;
  let maxCapacity: number;
  let capacity: number;
  if (opts.maxCapacity !== undefined) {
    maxCapacity = checkInteger('options.maxCapacity', opts.maxCapacity, 1, MAX_POOL_CAPACITY);
    capacity =
      opts.capacity === undefined
        ? Math.min(1024, maxCapacity)
        : checkInteger('options.capacity', opts.capacity, 1, maxCapacity);
  } else {
    capacity =
      opts.capacity === undefined ? 1024 : checkInteger('options.capacity', opts.capacity, 1, MAX_POOL_CAPACITY);
    maxCapacity = capacity;
  }
  for (const f of layout) {
    if (f.bytesPerSlot * maxCapacity > MAX_COLUMN_BYTES) {
      throw new RangeError(
        `options.maxCapacity: column ${f.name} would need ${f.bytesPerSlot * maxCapacity} bytes, above ${MAX_COLUMN_BYTES}; lower maxCapacity (got ${maxCapacity})`,
      );
    }
  }
  if (shared) {
    if (capacity < maxCapacity) {
      throw new RangeError(
        `options.maxCapacity: a shared pool has a fixed capacity (other threads hold views of its buffers), so maxCapacity must equal capacity ${capacity}, got ${maxCapacity}`,
      );
    }
    requireSharedMemory('StructPool options.shared');
  }
  const growable = capacity < maxCapacity;
  const tracking = growable && HAS_RESIZABLE_BUFFER;
  if (growable && !tracking) capacity = maxCapacity; // no resizable buffers: never grow

  return { capacity, maxCapacity, zeroOnAlloc: opts.zeroOnAlloc ?? true, generationWrap, tracking, shared };
}
