/**
 * StructPools shared with workers: the owner's sharing state (made by the first `share()` of a
 * pool created with `shared: true`) and the view a worker gets from `StructPool.attach`. The
 * model is in `ownership.ts`.
 *
 * What is shared: the columns, `dense` and the slot table (positions and handles with their
 * generations), each on a `SharedArrayBuffer` the owner created at construction. A view builds
 * its own typed arrays over the same memory, so `view.fields.x[s]` and `pool.fields.x[s]` are
 * the same float. What stays the owner's: the free queue (a ring of free slots: a view never
 * allocates), the live count, the peak and the counters, and every change to the slot table.
 *
 * No live-count word: the owner's `alloc`/`free` store nothing for other threads beyond the
 * slot table and `dense` they update anyway (a mirrored count cost about 1 ns per alloc+free
 * pair on every pool, shared or not: `bench/README.md`, Workers). A view derives what it needs:
 * - liveness: the table holds the handle for its slot and the slot's position is below
 *   `capacity`. The owner tests `position < size`; the two agree, because a slot that is not
 *   live has position `FREE` or `RETIRED` (both above any capacity, `slot-table.ts`). So a stale
 *   handle is caught on any thread, with the owner's errors (`rejectHandle`).
 * - `size`: `dense[i]`'s slot has position `i` exactly for `i < size` (the live slots are packed
 *   at the front; an entry past `size` is left over and names a free slot or one live at another
 *   position), so a binary search finds it in O(log capacity).
 *
 * The view sees the owner's state as of its last change; between the owner's sync points (while
 * workers run) that state does not change.
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import { handleLayoutFor, type Handle } from '../pool/handle.js';
import {
  parseSchema,
  type AnyColumn,
  type Columns,
  type FieldLayout,
  type FieldSpec,
  type Schema,
} from '../pool/schema.js';
import * as slotTable from '../pool/slot-table.js';
import { rejectHandle } from '../pool/slot-table.js';
import { DESCRIPTOR_KINDS, DESCRIPTOR_VERSION, ownerOnly } from './ownership.js';
import {
  OwnerSharing,
  defaultQueueCapacity,
  type RemoteFreeLaneDescriptor,
  type ShareOptions,
} from './remote-free-queue.js';
import { RemoteFreeSender, checkLaneDescriptor } from './remote-free-sender.js';

const { HANDLE, POSITION, SLOT_SHIFT, SLOT_STRIDE } = slotTable;

/** Largest default lane capacity of a pool's `share()`, entries (a pool's capacity rounded up, at most this). */
export const POOL_QUEUE_CAPACITY = 65536;

/**
 * What `pool.share()` returns: structured-cloneable (post it to one worker; call `share()` again
 * for the next), attached there with `StructPool.attach(descriptor)`.
 */
export interface SharedStructPoolDescriptor<C extends object = Columns<Schema>> {
  readonly kind: typeof DESCRIPTOR_KINDS.pool;
  readonly version: typeof DESCRIPTOR_VERSION;
  /** The schema, field name to kind or `[kind, n]`, in column order. */
  readonly schema: Schema;
  /**
   * Never set: carries the columns' types (`Columns<S>` of the owner's schema `S`) to `attach`,
   * so a view's `fields` are typed as the owner's.
   */
  readonly columnTypes?: C;
  /** Slots (fixed: shared pools do not grow). */
  readonly capacity: number;
  /** The pool's `maxCapacity`, which fixes the handle layout. */
  readonly maxCapacity: number;
  /** One buffer per field, in schema order. */
  readonly columns: readonly SharedArrayBuffer[];
  /** `dense`: the live slots packed at the front. */
  readonly dense: SharedArrayBuffer;
  /** The slot table (`slot-table.ts`). */
  readonly slots: SharedArrayBuffer;
  /** This share's lane of the pool's remote-free queue. */
  readonly lane: RemoteFreeLaneDescriptor;
}

/** The memory of a pool created with `shared: true`, handed by the pool to {@link PoolSharing}. */
export interface SharedPoolMemory {
  readonly layout: readonly FieldLayout[];
  readonly capacity: number;
  readonly maxCapacity: number;
  readonly columns: readonly SharedArrayBuffer[];
  readonly dense: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
}

/** The schema a layout was parsed from (a scalar for one element, `[kind, n]` for more). */
function schemaOf(layout: readonly FieldLayout[]): Schema {
  const schema: Record<string, FieldSpec> = {};
  for (const f of layout) schema[f.name] = f.elementsPerSlot === 1 ? f.kind : [f.kind, f.elementsPerSlot];
  return schema;
}

/** A pool's owner-side sharing state, made by its first `share()` (see `OwnerSharing`). */
export class PoolSharing extends OwnerSharing {
  private readonly schema: Schema;

  /**
   * @param memory - the pool's shared buffers.
   * @param pool - the pool (its `free` applies a queued handle).
   */
  constructor(
    private readonly memory: SharedPoolMemory,
    pool: { free(handle: Handle): void },
  ) {
    super(pool, defaultQueueCapacity(memory.capacity, POOL_QUEUE_CAPACITY));
    this.schema = schemaOf(memory.layout);
  }

  /** A descriptor of the pool for one worker (a new lane). O(queueCapacity). */
  share(options: ShareOptions | undefined): SharedStructPoolDescriptor {
    const m = this.memory;
    return {
      kind: DESCRIPTOR_KINDS.pool,
      version: DESCRIPTOR_VERSION,
      schema: this.schema,
      capacity: m.capacity,
      maxCapacity: m.maxCapacity,
      columns: m.columns,
      dense: m.dense,
      slots: m.slots,
      lane: this.queue.share(options),
    };
  }

  /**
   * Ends one worker's share (see `RemoteFreeQueue.unshare`).
   *
   * @throws TypeError when `descriptor` is not a descriptor this pool's `share()` returned.
   */
  unshare(descriptor: SharedStructPoolDescriptor<object>): void {
    const d = descriptor as Partial<SharedStructPoolDescriptor<object>> | null;
    if (typeof d !== 'object' || d === null || d.kind !== DESCRIPTOR_KINDS.pool || d.slots !== this.memory.slots) {
      throw new TypeError(
        `StructPool.unshare: expected a descriptor returned by this pool's share(), got ${describeValue(descriptor)}`,
      );
    }
    this.queue.unshare(d.lane as RemoteFreeLaneDescriptor);
  }
}

/**
 * A worker's view of a {@link StructPool} owned by another thread (`pool.share()` there): the
 * same columns, `dense` and live count, handle checks against the shared slot table, and a
 * `free` that queues the handle for the owner. `alloc`, `tryAlloc`, `clear` and `reserve` throw
 * {@link OwnershipError}.
 *
 * ```ts
 * const view = StructPool.attach(descriptor);        // descriptor: from pool.share(), posted here
 * for (let i = start; i < end; i++) {                // the chunk of dense the owner handed over
 *   const s = view.dense[i];
 *   view.fields.x[s] += view.fields.vx[s] * dtS;
 *   if (dead) view.free(view.handleOf(s));           // queued; the owner's drainRemoteFrees() frees it
 * }
 * view.flush();
 * ```
 */
export class AttachedStructPool<C extends object = Columns<Schema>> {
  /** The columns, over the owner's memory (see `StructPool.fields`). */
  readonly fields: C;
  /** The parsed schema, in key order. */
  readonly layout: readonly FieldLayout[];
  /** Slots (fixed). */
  readonly capacity: number;
  /** Slot bits of a handle. */
  readonly indexBits: number;
  /** Generation bits of a handle. */
  readonly generationBits: number;
  private readonly denseArray: Int32Array;
  private readonly slots: Int32Array;
  private readonly indexMask: number;
  private readonly sender: RemoteFreeSender;

  private constructor(descriptor: SharedStructPoolDescriptor<C>, layout: FieldLayout[], sender: RemoteFreeSender) {
    const fields: Record<string, AnyColumn> = {};
    layout.forEach((f, i) => {
      fields[f.name] = new f.ctor(descriptor.columns[i] as unknown as ArrayBuffer);
    });
    const handles = handleLayoutFor(descriptor.maxCapacity);
    this.fields = Object.freeze(fields) as unknown as C;
    this.layout = layout;
    this.capacity = descriptor.capacity;
    this.indexBits = handles.indexBits;
    this.generationBits = handles.generationBits;
    this.indexMask = handles.indexMask | 0;
    this.denseArray = new Int32Array(descriptor.dense);
    this.slots = new Int32Array(descriptor.slots);
    this.sender = sender;
  }

  /**
   * Attaches this thread to a shared pool. O(fields).
   *
   * @throws TypeError when `descriptor` is not a pool descriptor of this library version or its
   *   buffers do not match its schema; OwnershipError when it was attached before (call
   *   `share()` once per worker) or the owner ended it.
   */
  static attach<C extends object>(descriptor: SharedStructPoolDescriptor<C>): AttachedStructPool<C> {
    const d = descriptor as Partial<SharedStructPoolDescriptor<C>> | null;
    if (typeof d !== 'object' || d === null || d.kind !== DESCRIPTOR_KINDS.pool) {
      throw new TypeError(
        `StructPool.attach: expected a descriptor from pool.share(), got ${describeValue(descriptor)}`,
      );
    }
    checkLaneDescriptor(d.lane);
    const layout = parseSchema(d.schema);
    const capacity = d.capacity as number;
    const buffers = [...(d.columns ?? []), d.dense, d.slots];
    const sizes = [...layout.map((f) => f.bytesPerSlot * capacity), 4 * capacity, 4 * SLOT_STRIDE * capacity];
    if (
      buffers.length !== sizes.length ||
      buffers.some((b, i) => !(b instanceof SharedArrayBuffer) || b.byteLength !== sizes[i])
    ) {
      throw new TypeError(
        "StructPool.attach: the descriptor's buffers do not match its schema and capacity (was it copied by JSON instead of postMessage?)",
      );
    }
    return new AttachedStructPool(
      d as SharedStructPoolDescriptor<C>,
      layout,
      RemoteFreeSender.attach(d.lane as RemoteFreeLaneDescriptor),
    );
  }

  /**
   * Live slots, as of the owner's last change (it changes only at the owner's sync points).
   * O(log capacity): a binary search for the end of the live slots in `dense` (see the module
   * doc); read it once per loop, not per item.
   */
  get size(): number {
    const dense = this.denseArray;
    const slots = this.slots;
    const capacity = this.capacity;
    let live = 0; // dense[i] points back at i for every i < live ...
    let end = capacity; // ... and for no i >= end
    while (live < end) {
      const i = (live + end) >>> 1;
      const slot = dense[i];
      if (slot >= 0 && slot < capacity && slots[(slot << SLOT_SHIFT) + POSITION] === i) live = i + 1;
      else end = i;
    }
    return live;
  }

  /** The live slots packed in `dense[0..size)` (see `StructPool.dense`). Read only. */
  get dense(): Int32Array {
    return this.denseArray;
  }

  /**
   * True when `handle` names a live record. Never throws. O(1). The owner's test, with
   * `capacity` for `size` (equivalent: see the module doc).
   */
  isAlive(handle: unknown): boolean {
    if (typeof handle !== 'number') return false;
    const slot = handle & this.indexMask;
    return (
      slot < this.capacity &&
      this.slots[(slot << SLOT_SHIFT) + HANDLE] === handle &&
      this.slots[(slot << SLOT_SHIFT) + POSITION] < this.capacity
    );
  }

  /**
   * The slot of a live handle. O(1).
   *
   * @throws TypeError / RangeError for garbage; the owner's error for a handle that is not live
   *   (`InvalidHandleError` `'out-of-range'` or `'stale-handle'`, as `StructPool.slotOf`).
   */
  slotOf(handle: Handle): number {
    if (this.isAlive(handle)) return handle & this.indexMask;
    return this.reject(handle, false);
  }

  /**
   * The handle of the live record in `slot` (a slot read from `dense`). O(1).
   *
   * @throws TypeError / RangeError when `slot` is not an integer in `[0, capacity)` or is free.
   */
  handleOf(slot: number): Handle {
    if (typeof slot !== 'number' || (slot | 0) !== slot || slot < 0 || slot >= this.capacity) {
      checkInteger('slot', slot, 0, this.capacity - 1);
    }
    if (this.slots[(slot << SLOT_SHIFT) + POSITION] >= this.capacity) {
      throw new RangeError(`slot must be a live slot, got ${slot}, which is free`);
    }
    return this.slots[(slot << SLOT_SHIFT) + HANDLE];
  }

  /**
   * Queues the record named by `handle` to be freed by the owner at its next
   * `drainRemoteFrees()`. The record stays live until then (stop writing it now). O(1); one
   * atomic operation per `batchSize` frees. The handle is checked here against the shared slot
   * table, and again by the owner (two workers freeing one handle: the second is refused there).
   *
   * @throws TypeError / RangeError for garbage; InvalidFreeError `'out-of-range'`,
   *   `'double-free'` or `'stale-handle'` for a handle that is not live (as `StructPool.free`);
   *   QueueFullError when the queue is full (`ShareOptions.whenFull`; not queued then);
   *   OwnershipError after `detach()` or the owner's `unshare`.
   */
  free(handle: Handle): void {
    if (this.isAlive(handle)) {
      this.sender.sendChecked(handle);
      return;
    }
    this.reject(handle, true);
  }

  /** Publishes the queued frees now: call it at the end of each chunk. O(1). */
  flush(): void {
    this.sender.flush();
  }

  /** Publishes the queued frees and gives the share back (see `RemoteFreeSender.detach`). */
  detach(): void {
    this.sender.detach();
  }

  /** Frees queued here and not yet published. */
  get pendingFrees(): number {
    return this.sender.pending;
  }

  /** @throws OwnershipError: only the owner allocates. */
  alloc(): Handle {
    throw ownerOnly('StructPool', 'alloc');
  }

  /** @throws OwnershipError: only the owner allocates. */
  tryAlloc(): Handle {
    throw ownerOnly('StructPool', 'tryAlloc');
  }

  /** @throws OwnershipError: only the owner clears. */
  clear(): void {
    throw ownerOnly('StructPool', 'clear');
  }

  /** @throws OwnershipError: only the owner grows (and shared pools do not grow). */
  reserve(_capacity: number): void {
    throw ownerOnly('StructPool', 'reserve');
  }

  private reject(handle: unknown, freeing: boolean): never {
    // `capacity` for `size`: the same classification (module doc).
    rejectHandle(handle, freeing, this.slots, this.capacity, this.capacity, this.indexBits);
  }
}
