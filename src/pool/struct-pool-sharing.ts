/**
 * The owner's side of a StructPool shared with workers (option `shared: true`): `share`,
 * `attach`, `drainRemoteFrees`, `unshare`, `remoteFreeStats`. `StructPool` extends
 * {@link StructPoolSharing}; the machinery (lanes, views) is in `src/thread/`, the ownership
 * model in `src/thread/ownership.ts`.
 *
 * @module
 */
import { describeValue } from '../errors.js';
import type { Handle } from './handle.js';
import type { Columns, FieldLayout, Schema } from './schema.js';
import {
  emptyRemoteFreeStats,
  type RemoteFreeRejected,
  type RemoteFreeStats,
  type ShareOptions,
} from '../thread/remote-free-queue.js';
import { AttachedStructPool, PoolSharing, type SharedStructPoolDescriptor } from '../thread/shared-pool.js';

/** What `share()` hands a worker besides the lane: the pool's layout and its shared buffers. */
export interface StructPoolMemory {
  readonly layout: readonly FieldLayout[];
  readonly capacity: number;
  readonly maxCapacity: number;
  /** The slot table (`slot-table.ts`). */
  readonly slots: Int32Array;
  /** `dense`. */
  readonly dense: Int32Array;
  /** The columns, in layout order. */
  readonly columns: readonly ArrayBuffer[];
}

/**
 * The sharing part of `StructPool` (see the module doc). Not part of the public API: its methods
 * are documented as `StructPool`'s.
 */
export abstract class StructPoolSharing<S extends Schema> {
  /** The owner's lanes, made by the first `share()`. */
  private sharing: PoolSharing | null = null;

  /** The pool's layout and buffers, for `share()`. */
  protected abstract sharedMemory(): StructPoolMemory;

  /** True for a pool created with `shared: true` (its memory is on `SharedArrayBuffer`s). */
  get shared(): boolean {
    return this.sharedMemory().dense.buffer instanceof SharedArrayBuffer;
  }

  /**
   * Shares the pool with one worker (call it once per worker): returns a structured-cloneable
   * descriptor to `postMessage`; `StructPool.attach(descriptor)` there makes a view of the same
   * columns, `dense` and slot table whose `free(handle)` queues the handle for this (the owner)
   * thread, applied by `drainRemoteFrees`. The model (README, section
   * Workers): only the owner allocates and frees; a worker writes only the slots it was handed
   * for the step. O(queueCapacity): allocates the worker's lane.
   *
   * @param options - the lane's `ShareOptions`; `queueCapacity` defaults to the pool's capacity
   *   rounded up to a power of two (at most 65536).
   * @throws TypeError when the pool was not created with `shared: true`, or for bad options;
   *   RangeError for an option out of range.
   */
  share(options?: ShareOptions): SharedStructPoolDescriptor<Columns<S>> {
    if (!this.shared) {
      throw new TypeError(
        'StructPool.share(): this pool is not shared; create it with { shared: true } (its memory must be on SharedArrayBuffers)',
      );
    }
    if (this.sharing === null) {
      const m = this.sharedMemory();
      const shared = (b: ArrayBufferLike) => b as SharedArrayBuffer;
      this.sharing = new PoolSharing(
        {
          layout: m.layout,
          capacity: m.capacity,
          maxCapacity: m.maxCapacity,
          columns: m.columns.map(shared),
          dense: shared(m.dense.buffer),
          slots: shared(m.slots.buffer),
        },
        this as unknown as { free(handle: Handle): void },
      );
    }
    return this.sharing.share(options) as SharedStructPoolDescriptor<Columns<S>>;
  }

  /**
   * A worker's view of a pool shared by another thread (`pool.share()` there): `fields`,
   * `dense`, `size`, `isAlive`, `slotOf`, `handleOf` (the owner's liveness test and errors:
   * `InvalidHandleError` for a lookup), and `free(handle)`, which queues the free for the owner;
   * `alloc` throws `OwnershipError`. O(fields).
   *
   * @throws TypeError for something that is not a pool descriptor; OwnershipError when the
   *   descriptor was attached before or its share ended.
   */
  static attach<C extends object>(descriptor: SharedStructPoolDescriptor<C>): AttachedStructPool<C> {
    return AttachedStructPool.attach(descriptor);
  }

  /**
   * Applies the frees workers queued (the owner's sync point: call it when no worker iterates
   * the pool, for example after `ParallelFor.run`). Each queued handle is freed as `free(handle)`
   * would; one that is not live (stale, freed twice, garbage) is counted
   * (`remoteFreeStats().rejected`) and passed to `onRejected` with its reason, never applied.
   * O(queued frees + shares); allocates nothing unless a handle is refused.
   *
   * @returns how many records were freed (0 before any `share()`).
   * @throws TypeError when `onRejected` is not a function; Error when called from `onRejected`.
   */
  drainRemoteFrees(onRejected?: RemoteFreeRejected): number {
    if (onRejected !== undefined && typeof onRejected !== 'function') {
      throw new TypeError(
        `StructPool.drainRemoteFrees: onRejected must be a function, got ${describeValue(onRejected)}`,
      );
    }
    return this.sharing === null ? 0 : this.sharing.drain(onRejected);
  }

  /**
   * Ends one worker's share: what it published is still applied by the next drain; its later
   * frees throw `OwnershipError`. For a worker that exited or was terminated. O(shares).
   *
   * @throws TypeError when `descriptor` did not come from this pool's `share()`.
   */
  unshare(descriptor: SharedStructPoolDescriptor<object>): void {
    if (this.sharing === null) throw new TypeError('StructPool.unshare: this pool was never shared');
    this.sharing.unshare(descriptor);
  }

  /**
   * Counters of the remote frees: shares still drained, handles received, applied and rejected,
   * drains. O(1); fills `into` when given (allocation-free).
   */
  remoteFreeStats(into?: RemoteFreeStats): RemoteFreeStats {
    return this.sharing === null ? emptyRemoteFreeStats(into) : this.sharing.stats(into);
  }
}
