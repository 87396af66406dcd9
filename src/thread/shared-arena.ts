/**
 * Arenas shared with workers: the owner's `share()` / `drainRemoteFrees()` / `unshare()` (the
 * hooks every arena gets from its chassis call these) and the view a worker gets from
 * `attach()`. The model is in `ownership.ts`.
 *
 * The arena's buffer is a `SharedArrayBuffer` (option `shared: true`, or one passed as `buffer`);
 * its metadata (buddy tree, slab stack, free-block tree) stays the owner's, in ordinary memory.
 * A worker reads and writes the byte ranges it was handed through the view's whole-buffer views,
 * and gives a block back with `free(offset)`, which queues the offset for the owner.
 *
 * @module
 */
import { InvalidFreeError, describeValue } from '../errors.js';
import { DESCRIPTOR_KINDS, DESCRIPTOR_VERSION, ownerOnly } from './ownership.js';
import { OwnerSharing, type RemoteFreeLaneDescriptor, type ShareOptions } from './remote-free-queue.js';
import { RemoteFreeSender, checkLaneDescriptor } from './remote-free-sender.js';

/** Lane capacity of an arena's `share()` without `queueCapacity`, entries. */
export const ARENA_QUEUE_CAPACITY = 4096;

/**
 * What an arena's `share()` returns: structured-cloneable (post it to one worker; call `share()`
 * again for the next), attached there with `BuddyArena.attach(descriptor)` (any arena class's
 * `attach` takes any arena's descriptor).
 */
export interface SharedArenaDescriptor {
  readonly kind: typeof DESCRIPTOR_KINDS.arena;
  readonly version: typeof DESCRIPTOR_VERSION;
  /** The owner's class: `'BuddyArena'`, `'FreeListArena'`, `'TreeArena'` or `'SlabArena'`. */
  readonly arena: string;
  /** The arena's buffer. */
  readonly buffer: SharedArrayBuffer;
  /** Bytes the arena manages (`sizeBytes`); offsets are below it. */
  readonly capacityBytes: number;
  /** Alignment of every offset, bytes. */
  readonly alignBytes: number;
  /** This share's lane of the arena's remote-free queue. */
  readonly lane: RemoteFreeLaneDescriptor;
}

/** The part of an arena the sharing code needs. */
export interface ShareableArena {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly alignBytes: number;
  readonly capacityBytes: number;
  free(offset: number): void;
}

/** An arena's owner-side sharing state, made by its first `share()` (see `OwnerSharing`). */
export class ArenaSharing extends OwnerSharing {
  /**
   * @param arena - the owner's arena.
   * @param className - its class name, for descriptors and messages.
   */
  constructor(
    private readonly arena: ShareableArena,
    private readonly className: string,
  ) {
    super(arena, ARENA_QUEUE_CAPACITY);
  }

  /**
   * A descriptor of the arena for one worker (a new lane of the queue). O(queueCapacity).
   *
   * @throws TypeError when the arena's buffer is not a `SharedArrayBuffer`; TypeError /
   *   RangeError for bad {@link ShareOptions}.
   */
  share(options: ShareOptions | undefined): SharedArenaDescriptor {
    const buffer = this.arena.buffer;
    if (typeof SharedArrayBuffer !== 'function' || !(buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(
        `${this.className}.share(): the arena's buffer is an ArrayBuffer, which other threads cannot see; create it with { shared: true } (or pass a SharedArrayBuffer as buffer)`,
      );
    }
    return {
      kind: DESCRIPTOR_KINDS.arena,
      version: DESCRIPTOR_VERSION,
      arena: this.className,
      buffer,
      capacityBytes: this.arena.capacityBytes,
      alignBytes: this.arena.alignBytes,
      lane: this.queue.share(options),
    };
  }

  /**
   * Ends one worker's share (see `RemoteFreeQueue.unshare`).
   *
   * @throws TypeError when `descriptor` is not a descriptor this arena's `share()` returned.
   */
  unshare(descriptor: SharedArenaDescriptor): void {
    const d = descriptor as Partial<SharedArenaDescriptor> | null;
    if (typeof d !== 'object' || d === null || d.kind !== DESCRIPTOR_KINDS.arena || d.buffer !== this.arena.buffer) {
      throw new TypeError(
        `${this.className}.unshare: expected a descriptor returned by this arena's share(), got ${describeValue(descriptor)}`,
      );
    }
    this.queue.unshare(d.lane as RemoteFreeLaneDescriptor);
  }
}

/**
 * A worker's view of an arena owned by another thread: the same buffer and whole-buffer views,
 * and a `free` that queues the offset for the owner. The owner's metadata is not visible here,
 * so there is no `sizeOf`, `stats`, `walk` or `check`; `alloc`, `tryAlloc`, `realloc` and
 * `reset` throw {@link OwnershipError}.
 *
 * ```ts
 * // owner
 * const arena = new BuddyArena({ sizeBytes: 1 << 20, shared: true });
 * const p = arena.alloc(256);
 * worker.postMessage({ arena: arena.share(), p });
 * // worker
 * const view = BuddyArena.attach(data.arena);
 * view.f32[data.p >> 2] = 1.5;     // write the range it was handed
 * view.free(data.p);                // queued; the owner's drainRemoteFrees() frees it
 * view.flush();
 * ```
 */
export class AttachedArena {
  /** The owner's class name. */
  readonly arena: string;
  /** The arena's buffer (shared). */
  readonly buffer: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  /** Alignment of every offset, bytes. */
  readonly alignBytes: number;
  /** Bytes the arena manages; offsets are below it. */
  readonly capacityBytes: number;
  private readonly sender: RemoteFreeSender;

  private constructor(descriptor: SharedArenaDescriptor, sender: RemoteFreeSender) {
    const buffer = descriptor.buffer;
    const words = Math.floor(buffer.byteLength / 8) * 2;
    this.arena = descriptor.arena;
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer, 0, words);
    this.u32 = new Uint32Array(buffer, 0, words);
    this.f32 = new Float32Array(buffer, 0, words);
    this.f64 = new Float64Array(buffer, 0, words / 2);
    this.alignBytes = descriptor.alignBytes;
    this.capacityBytes = descriptor.capacityBytes;
    this.sender = sender;
  }

  /**
   * Attaches this thread to a shared arena. O(1) (makes five views).
   *
   * @throws TypeError when `descriptor` is not an arena descriptor of this library version;
   *   OwnershipError when it was attached before (call `share()` once per worker) or the owner
   *   ended it; see `RemoteFreeSender.attach`.
   */
  static attach(descriptor: SharedArenaDescriptor): AttachedArena {
    const d = descriptor as Partial<SharedArenaDescriptor> | null;
    if (typeof d !== 'object' || d === null || d.kind !== DESCRIPTOR_KINDS.arena) {
      throw new TypeError(`attach: expected an arena descriptor from arena.share(), got ${describeValue(descriptor)}`);
    }
    checkLaneDescriptor(d.lane);
    if (typeof SharedArrayBuffer !== 'function' || !(d.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(
        'attach: the descriptor has no SharedArrayBuffer (was it copied by JSON instead of postMessage?)',
      );
    }
    return new AttachedArena(d as SharedArenaDescriptor, RemoteFreeSender.attach(d.lane));
  }

  /**
   * Queues the block at `offset` to be freed by the owner at its next `drainRemoteFrees()`. The
   * block stays allocated until then: stop using it now. O(1); one atomic operation per
   * `batchSize` frees. Only the offset's shape is checked here; the owner checks that it is a
   * live block (and counts and reports it if not).
   *
   * @throws TypeError / RangeError for a non-integer; InvalidFreeError `'out-of-range'` or
   *   `'misaligned'` at once; QueueFullError when the queue is full (see `ShareOptions.whenFull`;
   *   the offset is not queued then); OwnershipError after `detach()` or `unshare`.
   */
  free(offset: number): void {
    if (
      typeof offset === 'number' &&
      (offset | 0) === offset &&
      offset >= 0 &&
      offset < this.capacityBytes &&
      (offset & (this.alignBytes - 1)) === 0
    ) {
      this.sender.sendChecked(offset);
      return;
    }
    this.rejectOffset(offset);
  }

  /** Publishes the queued frees now (end of a step). O(1). See `RemoteFreeSender.flush`. */
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
  alloc(_bytes: number): number {
    throw ownerOnly(this.arena, 'alloc');
  }

  /** @throws OwnershipError: only the owner allocates. */
  tryAlloc(_bytes: number): number {
    throw ownerOnly(this.arena, 'tryAlloc');
  }

  /** @throws OwnershipError: only the owner reallocates (it moves blocks). */
  realloc(_offset: number, _bytes: number): number {
    throw ownerOnly(this.arena, 'realloc');
  }

  /** @throws OwnershipError: only the owner resets. */
  reset(): void {
    throw ownerOnly(this.arena, 'reset');
  }

  /** The exact error for an offset that failed `free`'s fast test. Cold path. */
  private rejectOffset(offset: unknown): never {
    if (typeof offset !== 'number') {
      throw new TypeError(`${this.arena} view.free: offset must be a number, got ${describeValue(offset)}`);
    }
    if (!Number.isInteger(offset)) {
      throw new RangeError(
        `${this.arena} view.free: offset must be an integer byte offset, got ${describeValue(offset)}`,
      );
    }
    const reason = offset < 0 || offset >= this.capacityBytes ? 'out-of-range' : 'misaligned';
    const detail =
      reason === 'out-of-range'
        ? `outside [0, ${this.capacityBytes})`
        : `not a multiple of alignBytes ${this.alignBytes}`;
    throw new InvalidFreeError(reason, offset, `${this.arena} view.free(${offset}): ${reason}, ${detail}`);
  }
}
