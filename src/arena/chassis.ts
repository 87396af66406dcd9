/**
 * The arena chassis: what every arena shares, written once. `BuddyArena`, the boundary-tag
 * arenas (`FreeListArena`, `TreeArena`) and `SlabArena` extend
 * {@link ArenaChassis}, which holds:
 *
 * - the managed buffer and its five whole-buffer views, made once (`resolveArenaOptions`);
 * - `alloc(bytes)` = `tryAlloc(bytes)` + an {@link OutOfMemoryError} when it returns -1;
 * - the offset prelude of `free` / `realloc` / `sizeOf`: type, integer, range and alignment of
 *   an offset, each with its exact error ({@link ArenaChassis.checkOffset});
 * - the error builders: {@link InvalidFreeError} with the arena's name, the method, the offset
 *   and the reason; {@link OutOfMemoryError} with the request, the arena's `stats()` and the
 *   arena's own account of what was missing ({@link ArenaChassis.shortfall});
 * - the start of every `check()`: a buffer transferred (detached) since construction; every
 *   `check()` collects its violations and throws one `CorruptionError` (`Violations`);
 * - sharing with workers (`share`, `attach`, `drainRemoteFrees`, `unshare`,
 *   `remoteFreeStats`), delegated to `src/thread/shared-arena.ts`.
 *
 * A new arena extends it, calls `resolveArenaOptions` then `super(...)`, and supplies the
 * contract's other methods. Its hot paths test the valid case inline and call the prelude only
 * when that test fails, so the prelude costs a valid call nothing (`bench/README.md`, section
 * arena).
 *
 * @module
 */
import * as errors from '../errors.js';
import { InvalidFreeError, OutOfMemoryError, describeValue, type ArenaFreeReason } from '../errors.js';
import type { Allocator, AllocatorStats, BlockVisitor, BufferViews } from './allocator.js';
import {
  emptyRemoteFreeStats,
  type RemoteFreeRejected,
  type RemoteFreeStats,
  type ShareOptions,
} from '../thread/remote-free-queue.js';
import { ArenaSharing, AttachedArena, type SharedArenaDescriptor } from '../thread/shared-arena.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import {
  loadStateOf,
  saveStateOf,
  stateBytesOf,
  type Snapshotable,
  type StateParts,
} from '../snapshot/state-record.js';

/**
 * Module-local copies of imported constants for the hot paths: reading the imports there measured
 * 20% slower (bench/README.md, section Pools, "Things that moved these figures").
 */
const { NULL_OFFSET } = errors;

/** What an arena's constructor hands to {@link ArenaChassis}: `resolveArenaOptions`' result. */
export interface ChassisParts {
  buffer: ArrayBuffer | SharedArrayBuffer;
  views: BufferViews;
  alignBytes: number;
  sizeBytes: number;
}

/** A stats object with every field 0, for {@link ArenaChassis.stats} to fill. */
function emptyStats(): AllocatorStats {
  return {
    capacityBytes: 0,
    usedBytes: 0,
    freeBytes: 0,
    reservedBytes: 0,
    liveBlocks: 0,
    freeBlocks: 0,
    largestFreeBytes: 0,
    requestedBytes: 0,
    grantedBytes: 0,
    peakUsedBytes: 0,
    allocCount: 0,
    freeCount: 0,
    failedAllocCount: 0,
    externalFragmentation: 0,
    internalFragmentation: 0,
  };
}

/** The shared part of every arena (see the module doc). Not part of the public API. */
export abstract class ArenaChassis implements Allocator, Snapshotable {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  /** Alignment of every returned offset, in bytes (a power of two >= 8). */
  readonly alignBytes: number;
  /** Bytes managed (`sizeBytes`). */
  readonly capacityBytes: number;
  /** Bytes that can never be allocated (sentinels, a masked tail). Constant for an arena. */
  readonly reservedBytes: number;
  /** The concrete arena's name, for messages (not `constructor.name`: minifiers rename it). */
  protected readonly className: string;
  /** Sharing with workers: made by the first `share()`. */
  private sharing: ArenaSharing | null = null;

  /**
   * @param className - the arena's name in messages (`'BuddyArena'`).
   * @param parts - the validated buffer, views, alignment and size.
   * @param reservedBytes - bytes of the buffer no block can ever cover.
   */
  protected constructor(className: string, parts: ChassisParts, reservedBytes: number) {
    this.buffer = parts.buffer;
    this.u8 = parts.views.u8;
    this.i32 = parts.views.i32;
    this.u32 = parts.views.u32;
    this.f32 = parts.views.f32;
    this.f64 = parts.views.f64;
    this.alignBytes = parts.alignBytes;
    this.capacityBytes = parts.sizeBytes;
    this.reservedBytes = reservedBytes;
    this.className = className;
  }

  /**
   * Allocates at least `bytes` usable bytes: {@link Allocator.tryAlloc}, and an
   * `OutOfMemoryError` when it finds no room (the arena then is unchanged except
   * `failedAllocCount`).
   * @returns the block's byte offset into `buffer`, a multiple of `alignBytes`.
   * @throws TypeError / RangeError when `bytes` is not an integer in [1, 2^31]
   *   (`MAX_REQUEST_BYTES`); OutOfMemoryError when no block fits.
   */
  alloc(bytes: number): number {
    const offset = this.tryAlloc(bytes);
    if (offset === NULL_OFFSET) throw this.outOfMemory('alloc', bytes);
    return offset;
  }

  /**
   * Bytes `saveState` writes now: the managed bytes of the buffer, the
   * bookkeeping outside it (tree, free stack, live map, free-block trees) and the counters,
   * with a small header. Constant for an arena, except a `TreeArena`'s, which follows its number
   * of free-block tree nodes. O(1) (`TreeArena`: O(bins)).
   */
  get stateBytes(): number {
    return stateBytesOf(this[STATE_PARTS]());
  }

  /**
   * Writes the arena's whole state into `into` from byte `at` (layout: `state-record.ts` in
   * `src/snapshot/`): everything that decides what it does next, so a `loadState` of these bytes
   * makes it behave exactly as now (same live blocks, same next offsets, same `stats()`).
   * O(stateBytes), one memory copy per part; allocates nothing.
   * @returns bytes written, `stateBytes`.
   * @throws TypeError when `into` is not a `Uint8Array`; RangeError when `at` is not an integer
   *   in `[0, into.length]` or the state does not fit from `at` (nothing written);
   *   SnapshotError `'byte-order'` on a big-endian host.
   */
  saveState(into: Uint8Array, at = 0): number {
    return saveStateOf(this[STATE_PARTS](), into, at);
  }

  /**
   * Replaces the arena's whole state with the one `saveState` wrote at `from[at ..]`, by an
   * arena of the same class and options. The contents are copied into the arena's own buffer and
   * arrays, so `buffer`, `u8` ... `f64` and every view you made over the buffer stay valid and
   * show the restored bytes. Every check runs before the first write: a refused load changes
   * nothing. O(stateBytes); allocates nothing (`TreeArena` may make or grow a free-block tree
   * the saved state needs and it lacks).
   * @returns bytes read.
   * @throws TypeError / RangeError for bad arguments; SnapshotError `'kind'` (another arena's
   *   state), `'options'` (other options), `'truncated'`, `'not-a-snapshot'`, `'version'`,
   *   `'corrupt'` (sizes or counters impossible for this arena), `'byte-order'`.
   */
  loadState(from: Uint8Array, at = 0): number {
    return loadStateOf(this[STATE_PARTS](), from, at, null);
  }

  /** @internal The arena's state layout, for `src/snapshot/`. */
  abstract [STATE_PARTS](): StateParts;

  abstract tryAlloc(bytes: number): number;
  abstract free(offset: number): void;
  abstract realloc(offset: number, bytes: number): number;
  abstract sizeOf(offset: number): number;
  abstract reset(): void;
  abstract check(): void;

  /**
   * A snapshot of the counters ({@link AllocatorStats}). O(1), except `largestFreeBytes` of the
   * boundary-tag arenas (see theirs).
   * @param into - an object to fill and return instead of a new one, so a frame loop that reads
   *   the stats every frame allocates nothing; its other properties are left alone.
   * @throws TypeError when `into` is given and is not an object.
   */
  stats(into?: AllocatorStats): AllocatorStats {
    if (into !== undefined && (into === null || typeof into !== 'object')) {
      throw new TypeError(`${this.className}.stats: into must be an object or undefined, got ${describeValue(into)}`);
    }
    const s = into ?? emptyStats();
    this.fillCounters(s);
    s.externalFragmentation = s.freeBytes === 0 ? 0 : 1 - s.largestFreeBytes / s.freeBytes;
    s.internalFragmentation = s.grantedBytes === 0 ? 0 : 1 - s.requestedBytes / s.grantedBytes;
    return s;
  }

  /** Writes every counter of `s` but the two fragmentation figures, which `stats` derives. */
  protected abstract fillCounters(s: AllocatorStats): void;
  abstract walk(visit: BlockVisitor): void;

  /**
   * What a failed request of `bytes` lacked, in words, ending with the option to raise
   * (`'needs a free block of 64 bytes (order 2); largest free block is 32 bytes of 96 free
   * (raise sizeBytes)'`). Failure path only.
   */
  protected abstract shortfall(bytes: number, stats: AllocatorStats): string;

  /**
   * The offset prelude, for failure paths: throws the exact error for an `offset` that is not a
   * number (TypeError), not an integer (RangeError), outside `[0, endBytes)` (InvalidFreeError
   * `'out-of-range'`) or not a multiple of `alignBytes` (`'misaligned'`); returns normally for an
   * offset that passes all four (the arena then names the remaining reason).
   */
  protected checkOffset(offset: unknown, method: string, endBytes: number): void {
    if (typeof offset !== 'number') {
      throw new TypeError(`${this.className}.${method}: offset must be a number, got ${describeValue(offset)}`);
    }
    if (!Number.isInteger(offset)) {
      throw new RangeError(
        `${this.className}.${method}: offset must be an integer byte offset, got ${describeValue(offset)}`,
      );
    }
    if (offset < 0 || offset >= endBytes) {
      throw this.invalidFree('out-of-range', offset, method, `outside the blocks [0, ${endBytes})`);
    }
    if (offset % this.alignBytes !== 0) {
      throw this.invalidFree('misaligned', offset, method, `not a multiple of alignBytes ${this.alignBytes}`);
    }
  }

  /** The `InvalidFreeError` of `method(offset)` for `reason`, with a detail. Failure path only. */
  protected invalidFree(reason: ArenaFreeReason, offset: number, method: string, detail: string): InvalidFreeError {
    return new InvalidFreeError(reason, offset, `${this.className}.${method}(${offset}): ${reason}, ${detail}`);
  }

  /**
   * The `OutOfMemoryError` of a failed `method(bytes)`, carrying a `stats()` snapshot and the
   * arena's {@link ArenaChassis.shortfall}. Failure path only.
   */
  protected outOfMemory(method: string, bytes: number): OutOfMemoryError {
    const stats = this.stats();
    return new OutOfMemoryError(
      `${this.className}.${method}(${bytes}): ${this.shortfall(bytes, stats)}`,
      bytes,
      'bytes',
      stats,
    );
  }

  /**
   * The start of every `check()`: reports a buffer that no longer has the length the views were
   * made for (it was transferred and detached). Returns whether it is intact (the rest of the
   * check reads it only then).
   */
  protected bufferIntact(report: (violation: string) => void): boolean {
    if (this.u8.byteLength >= this.capacityBytes) return true;
    report(
      `buffer is ${this.u8.byteLength} bytes, the arena manages ${this.capacityBytes}: it was detached (transferred) and the arena can no longer be used`,
    );
    return false;
  }

  /**
   * Shares the arena with one worker: returns a structured-cloneable descriptor to `postMessage`
   * to it, where `attach(descriptor)` makes a view over the same buffer whose `free(offset)`
   * queues the offset for this (the owner) thread. Call it once per worker. The ownership model
   * (README, section Workers): only the owner allocates and frees; a worker writes only the
   * byte ranges it was handed; the owner applies queued frees in {@link drainRemoteFrees}.
   * Offsets carry no generation: drain before `reset()`, or a queued offset frees whatever block
   * holds it afterwards. O(queueCapacity) (allocates the worker's lane).
   *
   * @throws TypeError when the arena's buffer is not a `SharedArrayBuffer` (create it with
   *   `shared: true`) or for bad options; RangeError for an option out of range.
   */
  share(options?: ShareOptions): SharedArenaDescriptor {
    this.sharing ??= new ArenaSharing(this, this.className);
    return this.sharing.share(options);
  }

  /**
   * A worker's view of an arena shared by another thread (`arena.share()` there). Any arena
   * class's `attach` takes any arena's descriptor. O(1).
   *
   * @throws TypeError for something that is not an arena descriptor; OwnershipError when the
   *   descriptor was attached before or its share ended.
   */
  static attach(descriptor: SharedArenaDescriptor): AttachedArena {
    return AttachedArena.attach(descriptor);
  }

  /**
   * Applies the frees workers queued (the owner's sync point): each queued offset is freed as
   * `free(offset)` would, and one that is not a live block's offset is counted
   * (`remoteFreeStats().rejected`) and passed to `onRejected`, never applied. O(queued frees +
   * shares); allocates nothing unless an offset is refused.
   *
   * @returns how many blocks were freed (0 before any `share()`).
   * @throws TypeError when `onRejected` is not a function; Error when called from `onRejected`.
   */
  drainRemoteFrees(onRejected?: RemoteFreeRejected): number {
    if (onRejected !== undefined && typeof onRejected !== 'function') {
      throw new TypeError(
        `${this.className}.drainRemoteFrees: onRejected must be a function, got ${describeValue(onRejected)}`,
      );
    }
    return this.sharing === null ? 0 : this.sharing.drain(onRejected);
  }

  /**
   * Ends one worker's share: what it published is still applied by the next drain; its later
   * frees throw `OwnershipError`. For a worker that exited or was terminated. O(shares).
   *
   * @throws TypeError when `descriptor` did not come from this arena's `share()`.
   */
  unshare(descriptor: SharedArenaDescriptor): void {
    if (this.sharing === null) {
      throw new TypeError(`${this.className}.unshare: this arena was never shared`);
    }
    this.sharing.unshare(descriptor);
  }

  /**
   * Counters of the remote frees: lanes still drained, entries received, applied and rejected,
   * drains. O(1); fills `into` when given (allocation-free).
   */
  remoteFreeStats(into?: RemoteFreeStats): RemoteFreeStats {
    return this.sharing === null ? emptyRemoteFreeStats(into) : this.sharing.stats(into);
  }
}
