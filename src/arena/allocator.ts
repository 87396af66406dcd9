/**
 * The contract every arena implements, so arenas swap freely and one conformance suite tests
 * them all (`test/arena/conformance.ts`, called from each arena's test file).
 *
 * An arena hands out byte ranges of one `ArrayBuffer` (or `SharedArrayBuffer`) as integer byte
 * offsets. Read and write them through the arena's whole-buffer views, never a new view per
 * allocation: `arena.f32[offset >> 2]`, `arena.u8[offset + i]`. Offsets are aligned to at least
 * 8 bytes and below {@link MAX_ARENA_BYTES} (2^31), so `offset >> 2` and `offset >> 3` are exact.
 *
 * @module
 */
import { checkInteger, checkOptions, checkPowerOfTwo, describeValue } from '../errors.js';
import { requireSharedMemory } from '../thread/ownership.js';

/** Largest arena, in bytes: 2^31, so every offset is a non-negative int32. */
export const MAX_ARENA_BYTES = 2 ** 31;

/** Smallest alignment any arena gives, in bytes. */
export const MIN_ALIGN_BYTES = 8;

/** Largest `alignBytes` any arena accepts: 2^16 (64 KiB). */
export const MAX_ALIGN_BYTES = 2 ** 16;

/**
 * Largest request any arena validates as a size: {@link MAX_ARENA_BYTES}. Above it `alloc`,
 * `tryAlloc` and `realloc` throw `RangeError` (no arena could ever serve it); at or below it a
 * request that does not fit throws `OutOfMemoryError` (`tryAlloc`: -1).
 */
export const MAX_REQUEST_BYTES = MAX_ARENA_BYTES;

/** Arena size when neither `sizeBytes` nor `buffer` is given, in bytes: 2^20 (1 MiB). */
export const DEFAULT_ARENA_BYTES = 2 ** 20;

/** Option names every arena accepts. */
const ARENA_OPTION_NAMES: readonly string[] = ['sizeBytes', 'buffer', 'alignBytes', 'shared'];

/**
 * Counters kept on every operation (never computed by a walk). All sizes in bytes.
 *
 * Accounting identity, checked by `check()`:
 * `usedBytes + freeBytes + reservedBytes === capacityBytes`.
 */
export interface AllocatorStats {
  /** Bytes of the buffer the arena manages (`sizeBytes`). */
  capacityBytes: number;
  /** Bytes of all live blocks, whole (headers, footers and padding included). */
  usedBytes: number;
  /** Bytes of all free blocks, whole. */
  freeBytes: number;
  /** Bytes that can never be allocated (sentinels, a masked tail). Constant for an arena. */
  reservedBytes: number;
  /** Number of live blocks. */
  liveBlocks: number;
  /** Number of free blocks. */
  freeBlocks: number;
  /** Whole size of the largest free block (0 when none). */
  largestFreeBytes: number;
  /** Sum of the sizes asked for by the live blocks' `alloc` / `realloc` calls. */
  requestedBytes: number;
  /** Sum of `sizeOf()` over live blocks: usable bytes granted. */
  grantedBytes: number;
  /** Highest `usedBytes` seen since creation or `reset()`. */
  peakUsedBytes: number;
  /** Successful `alloc`/`tryAlloc` calls (a moving `realloc` counts one alloc and one free). */
  allocCount: number;
  /** Successful `free` calls. */
  freeCount: number;
  /** `alloc`/`tryAlloc`/`realloc` calls that found no room. */
  failedAllocCount: number;
  /** `1 - largestFreeBytes / freeBytes`, 0 when nothing is free. 0 = one free block. */
  externalFragmentation: number;
  /** `1 - requestedBytes / grantedBytes`, 0 when nothing is live. Share of granted bytes unasked for. */
  internalFragmentation: number;
}

/** Called by {@link Allocator.walk} for each block, in address order. */
export type BlockVisitor = (offset: number, bytes: number, used: boolean) => void;

/**
 * The arena contract (DESIGN.md, "Allocator").
 *
 * Errors, for every method: a wrong type throws `TypeError`, an out-of-domain number
 * `RangeError`; `alloc` / `realloc` with no room throw `OutOfMemoryError`; `free` / `realloc` /
 * `sizeOf` of something that is not a live block throw `InvalidFreeError` with a reason
 * (`'out-of-range' | 'misaligned' | 'interior' | 'not-allocated'`; `SlabArena` also says
 * `'double-free'` for a block freed twice). A call that throws leaves the arena exactly as it was:
 * same blocks, same `check()` result, same future offsets, and the same `stats()` except
 * `failedAllocCount`, which counts the `OutOfMemoryError` (or `-1` from `tryAlloc`) itself.
 */
export interface Allocator {
  /** The managed buffer. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Whole-buffer views, created once. */
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  /** Alignment of every returned offset, in bytes (a power of two >= 8). */
  readonly alignBytes: number;
  /**
   * Allocates at least `bytes` usable bytes.
   * @returns the block's byte offset into `buffer`, aligned to `alignBytes`.
   * @throws OutOfMemoryError when no block fits.
   */
  alloc(bytes: number): number;
  /** As {@link Allocator.alloc}, but returns `NULL_OFFSET` (-1) when no block fits. */
  tryAlloc(bytes: number): number;
  /** Frees a live block. */
  free(offset: number): void;
  /**
   * Resizes a live block, keeping `min(old, new)` bytes of its contents.
   * @returns the new offset (may equal `offset`). On `OutOfMemoryError` the old block stays valid.
   */
  realloc(offset: number, bytes: number): number;
  /** Usable bytes of the live block at `offset` (>= what was asked for). */
  sizeOf(offset: number): number;
  /** Frees everything: the arena is as when new (stats counters included). */
  reset(): void;
  /**
   * A snapshot of the counters. O(1). Allocates the returned object, unless `into` is given: then
   * it fills `into` and returns it, allocating nothing (for a frame loop).
   */
  stats(into?: AllocatorStats): AllocatorStats;
  /**
   * Validates every invariant in O(n). Throws one `CorruptionError` listing every violation found
   * (and counting them), or reporting a buffer detached since construction.
   */
  check(): void;
  /** Visits every block in address order (live and free). */
  walk(visit: BlockVisitor): void;
}

/** Options common to every arena. */
export interface ArenaOptions {
  /** Bytes to manage; default: the whole `buffer`, else 1 MiB. At most {@link MAX_ARENA_BYTES}. */
  sizeBytes?: number;
  /** Bring your own buffer (a `SharedArrayBuffer` is allowed). Default: a new `ArrayBuffer`. */
  buffer?: ArrayBuffer | SharedArrayBuffer;
  /** Alignment of returned offsets: a power of two >= 8. Default 8. */
  alignBytes?: number;
  /**
   * Allocate the buffer as a `SharedArrayBuffer`, so the arena can be shared with workers
   * (`share()`, `attach()`; the ownership model is in the README, section Workers). Default
   * false. With `buffer` given, the buffer decides and this must be left out.
   */
  shared?: boolean;
}

/**
 * Validates the `buffer` option of an arena.
 *
 * The arena keeps whole-buffer views created once, so the buffer must keep its length: a
 * resizable `ArrayBuffer` or growable `SharedArrayBuffer` is rejected, and so is an empty or
 * detached one. Transferring the buffer later (`postMessage(..., [buffer])`, `structuredClone`
 * with `transfer`) detaches it: the arena must not be used after that; its `check()` reports it.
 *
 * @returns the buffer, or `undefined` when none was given.
 * @throws TypeError when `buffer` is not an `ArrayBuffer` / `SharedArrayBuffer`, or is resizable
 *   or growable; RangeError when it is empty (or detached).
 */
export function checkArenaBuffer(buffer: unknown): ArrayBuffer | SharedArrayBuffer | undefined {
  if (buffer === undefined) return undefined;
  const isShared = typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
  if (!(buffer instanceof ArrayBuffer) && !isShared) {
    throw new TypeError(`buffer must be an ArrayBuffer or SharedArrayBuffer, got ${describeValue(buffer)}`);
  }
  const b = buffer as ArrayBuffer & { resizable?: boolean; growable?: boolean };
  if (b.resizable === true || b.growable === true) {
    throw new TypeError('buffer must have a fixed length: resizable or growable buffers are not supported');
  }
  if (b.byteLength === 0) {
    throw new RangeError('buffer must not be empty (a transferred ArrayBuffer is detached and empty)');
  }
  return buffer as ArrayBuffer | SharedArrayBuffer;
}

/**
 * Validates the `shared` option: a boolean, not given together with `buffer`, and only where
 * this thread has `SharedArrayBuffer`.
 *
 * @throws TypeError for a non-boolean, for `shared` beside `buffer`, or when `SharedArrayBuffer`
 *   is unavailable (a browser page that is not cross-origin isolated).
 */
function checkSharedOption(className: string, shared: unknown, given: unknown): boolean {
  if (shared === undefined) return false;
  if (typeof shared !== 'boolean') {
    throw new TypeError(`${className} options.shared must be a boolean, got ${describeValue(shared)}`);
  }
  if (given !== undefined) {
    throw new TypeError(
      `${className} options: give shared or buffer, not both (a SharedArrayBuffer passed as buffer is shared already)`,
    );
  }
  if (shared) requireSharedMemory(`${className} options.shared`);
  return shared;
}

/** Whole-buffer views of one buffer, created once per arena. */
export interface BufferViews {
  u8: Uint8Array;
  i32: Int32Array;
  u32: Uint32Array;
  f32: Float32Array;
  f64: Float64Array;
}

/**
 * Creates the five whole-buffer views. `u8` covers the whole buffer; the wider views cover its
 * byte length rounded down to a multiple of 8 (arenas allocate their own buffers rounded up to 8,
 * so only a caller's buffer can have a tail that only `u8` reaches).
 */
export function createViews(buffer: ArrayBuffer | SharedArrayBuffer): BufferViews {
  const words = Math.floor(buffer.byteLength / 8) * 8;
  return {
    u8: new Uint8Array(buffer),
    i32: new Int32Array(buffer, 0, words / 4),
    u32: new Uint32Array(buffer, 0, words / 4),
    f32: new Float32Array(buffer, 0, words / 4),
    f64: new Float64Array(buffer, 0, words / 8),
  };
}

/** What {@link resolveArenaOptions} returns: the validated common options and the arena's buffer. */
export interface ResolvedArenaOptions<T extends ArenaOptions> {
  /** The options object as given (validated keys; `{}` for `undefined`). */
  options: Partial<T>;
  /** The caller's buffer, or a new `ArrayBuffer` of `sizeBytes` rounded up to a multiple of 8. */
  buffer: ArrayBuffer | SharedArrayBuffer;
  /** Whole-buffer views of `buffer` ({@link createViews}). */
  views: BufferViews;
  /** Validated alignment: a power of two in [{@link MIN_ALIGN_BYTES}, {@link MAX_ALIGN_BYTES}]. */
  alignBytes: number;
  /** Validated bytes to manage: an integer in [minSizeBytes, min(buffer.byteLength, 2^31)]. */
  sizeBytes: number;
}

/**
 * Validates the options every arena shares and makes its buffer and views, in this order:
 * option keys ({@link ArenaOptions} names plus `extraKeys`), `buffer` ({@link checkArenaBuffer}),
 * `alignBytes` (default 8), then `minSizeBytes(alignBytes, options)`, which validates the arena's
 * own options and returns the smallest `sizeBytes` it accepts, then `sizeBytes` (default: the
 * buffer's length capped at {@link MAX_ARENA_BYTES}, else {@link DEFAULT_ARENA_BYTES}; the default
 * is range-checked too).
 * Constructor-time only; O(1) plus the buffer allocation.
 *
 * @param className - names the options bag in errors (`'SlabArena options: unknown option ...'`).
 * @throws TypeError for a non-object, an unknown or `null` option, a non-number, or a buffer of
 *   the wrong type; RangeError for `alignBytes` out of [8, 65536] or not a power of two, a buffer
 *   shorter than `minSizeBytes`, or `sizeBytes` out of [minSizeBytes, min(buffer.byteLength, 2^31)].
 */
export function resolveArenaOptions<T extends ArenaOptions>(
  className: string,
  options: T | undefined,
  extraKeys: readonly string[],
  minSizeBytes: (alignBytes: number, options: Partial<T>) => number,
): ResolvedArenaOptions<T> {
  const opts = checkOptions(`${className} options`, options, [...ARENA_OPTION_NAMES, ...extraKeys]);
  const given = checkArenaBuffer(opts.buffer);
  const shared = checkSharedOption(className, opts.shared, given);
  const alignBytes =
    opts.alignBytes === undefined
      ? MIN_ALIGN_BYTES
      : checkPowerOfTwo('alignBytes', opts.alignBytes, MIN_ALIGN_BYTES, MAX_ALIGN_BYTES);
  const smallest = minSizeBytes(alignBytes, opts);
  if (given !== undefined && given.byteLength < smallest) {
    throw new RangeError(
      `buffer.byteLength must be at least ${smallest} bytes for these options (alignBytes ${alignBytes}), got ${given.byteLength}`,
    );
  }
  const largest = given === undefined ? MAX_ARENA_BYTES : Math.min(given.byteLength, MAX_ARENA_BYTES);
  const fallback = given === undefined ? DEFAULT_ARENA_BYTES : largest;
  const sizeBytes = checkInteger('sizeBytes', opts.sizeBytes ?? fallback, smallest, largest);
  const bufferBytes = Math.ceil(sizeBytes / 8) * 8;
  const buffer = given ?? (shared ? new SharedArrayBuffer(bufferBytes) : new ArrayBuffer(bufferBytes));
  return { options: opts, buffer, views: createViews(buffer), alignBytes, sizeBytes };
}
