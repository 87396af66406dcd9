/**
 * The remote-free queue: how frees from other threads travel to a structure's owner (see
 * `ownership.ts` for the model).
 *
 * **Lanes.** The queue is a set of lanes, one per `share()`: each lane is a single-producer,
 * single-consumer ring of int32 entries (handles or byte offsets) in its own `SharedArrayBuffer`,
 * written by one attached view and read by the owner. One producer per lane means a sender
 * never contends with another sender, and a lane's memory is never handed to a second producer
 * (a new `share()` makes a new lane), so a late write from a dead or revoked view cannot land in
 * someone else's batch.
 *
 * Lane layout (`Int32Array` over the lane's buffer; positions count entries modulo 2^30):
 *
 * ```
 *  [LANE_STATE] ISSUED, ATTACHED or DETACHED (attach claims ISSUED -> ATTACHED once)
 *  [LANE_HEAD]  entries the owner has taken out (written by the owner only)
 *  [LANE_TAIL]  entries the sender has published (written by the sender only; REVOKED after unshare)
 *  [LANE_WAITING] 1 while a sender sleeps for room (so the owner notifies only then)
 *  [LANE_HEADER_WORDS ..] the ring: capacity entries, entry at position p in cell p & (capacity - 1)
 * ```
 *
 * **Batches.** A sender writes each entry into the ring past the published tail with a plain
 * store (the owner never reads past the tail), and publishes a whole batch with one atomic
 * compare-and-exchange of the tail: one atomic operation per batch, not per free (measured in
 * `bench/README.md`, section Workers). Everything the owner reads was written before the tail
 * that covers it was published, so a sender that dies at any instruction leaves only whole,
 * published batches behind. The compare-and-exchange fails once the owner has revoked the lane
 * (`unshare`), so a revoked sender throws instead of writing.
 *
 * **Full lane.** A sender whose lane has no room first publishes what it holds, then, by its
 * `whenFull` option, throws {@link QueueFullError} (default) or sleeps in `Atomics.wait` until
 * the owner drains (at most `waitTimeoutMs`, then throws). It never overwrites an entry the owner
 * has not taken. A browser's main thread cannot sleep, so `'wait'` is refused there.
 *
 * **Drain.** The owner takes every published entry of every lane and hands each to the
 * structure (`RemoteFreeTarget.applyRemoteFree`), which validates it as a local `free` would;
 * an invalid entry is counted and reported, never applied. O(entries + lanes), no allocation.
 *
 * Source: the single-producer single-consumer ring with cached indices (L. Lamport, "Specifying
 * Concurrent Program Modules", TOPLAS 1983; the FastForward and Lamport-queue line of work);
 * batched remote frees after snmalloc and mimalloc (see `ownership.ts`).
 *
 * @module
 */
import { InvalidFreeError, checkInteger, checkOneOf, checkOptions, checkPowerOfTwo, describeValue } from '../errors.js';
import type { InvalidFreeReason } from '../errors.js';
import { DESCRIPTOR_KINDS, DESCRIPTOR_VERSION, OwnershipError, requireSharedMemory } from './ownership.js';

/*
 * The lane layout. The hot paths (send, drain) use these module-private constants: a read of an
 * exported binding, even by its own module, goes through the export cell on every use (measured:
 * bench/README.md, section Pools). The exported names below are copies for other modules.
 */
const STATE = 0;
const HEAD = 1;
const TAIL = 2;
const WAITING = 3;
const HEADER_WORDS = 4;

/** Index of a lane's state word: issued, attached or detached. */
export const LANE_STATE = STATE;
/** Index of a lane's head: entries the owner has taken out, modulo 2^30. */
export const LANE_HEAD = HEAD;
/** Index of a lane's tail: entries the sender has published, modulo 2^30, or -1 once revoked. */
export const LANE_TAIL = TAIL;
/** Index of a lane's waiting flag: 1 while its sender sleeps for room. */
export const LANE_WAITING = WAITING;
/** Int32 words before a lane's ring. */
export const LANE_HEADER_WORDS = HEADER_WORDS;

/** Lane state: handed out by `share()`, not attached yet. */
const ISSUED = 1;
/** Lane state: claimed by one `attach`. */
const ATTACHED = 2;
/** Lane state: its sender detached after publishing everything (the owner retires it once drained). */
const DETACHED = 3;
/** Tail value once the owner revoked the lane (`unshare`): no position is negative. */
const REVOKED = -1;
/** Positions wrap at 2^30: every capacity (a power of two <= 2^20) divides it. */
const POSITION_MASK = 0x3fffffff;
/** Copies of the lane states, the revoked tail and the position mask for `remote-free-sender.ts`. */
export const LANE_CODES = { ISSUED, ATTACHED, DETACHED, REVOKED, POSITION_MASK } as const;

/** Smallest lane capacity, entries. */
export const MIN_QUEUE_CAPACITY = 16;
/** Largest lane capacity, entries: 2^20 (4 MiB of ring). */
export const MAX_QUEUE_CAPACITY = 2 ** 20;
/** Frees per published batch unless `batchSize` says otherwise. */
export const DEFAULT_BATCH_SIZE = 256;
/** Longest sleep of `whenFull: 'wait'` unless `waitTimeoutMs` says otherwise, ms. */
export const DEFAULT_WAIT_TIMEOUT_MS = 1000;
/** Largest `waitTimeoutMs`: 2^31 - 1 ms (about 24.8 days). */
const MAX_WAIT_TIMEOUT_MS = 2 ** 31 - 1;

/** What a sender does when its lane is full: throw {@link QueueFullError}, or wait for a drain. */
export type WhenFull = 'throw' | 'wait';

/** Options of one share (`pool.share(options)`, `arena.share(options)`, `queue.share(options)`). */
export interface ShareOptions {
  /**
   * Entries this share's lane holds between two drains of the owner: a power of two in
   * `[16, 2^20]`. Default: the structure's (a pool: its capacity rounded up to a power of two,
   * at most 65536; an arena: 4096). 4 bytes an entry.
   */
  queueCapacity?: number;
  /**
   * Frees a view collects before it publishes them with one atomic operation: an integer in
   * `[1, queueCapacity]`. Default 256. `flush()` publishes a partial batch.
   */
  batchSize?: number;
  /**
   * What the view's `free` does when the lane is full: `'throw'` (default) throws
   * {@link QueueFullError} at once; `'wait'` sleeps until the owner drains, at most
   * `waitTimeoutMs`, then throws it. Not `'wait'` on a browser's main thread, which cannot sleep.
   * A worker that waits while the owner waits for that worker (a `ParallelFor` step) waits out
   * its timeout: size `queueCapacity` for the frees of one step instead.
   */
  whenFull?: WhenFull;
  /** Longest wait of `whenFull: 'wait'`, ms: an integer in `[0, 2^31 - 1]`. Default 1000. */
  waitTimeoutMs?: number;
}

/**
 * A structured-cloneable description of one lane: post it to a worker (inside a pool's or an
 * arena's descriptor) and attach it there. Attach it once: a second `attach` throws.
 */
export interface RemoteFreeLaneDescriptor {
  readonly kind: typeof DESCRIPTOR_KINDS.lane;
  readonly version: typeof DESCRIPTOR_VERSION;
  /** The lane's id within its queue (for `unshare`). */
  readonly id: number;
  /** The lane: header and ring. */
  readonly buffer: SharedArrayBuffer;
  /** Ring entries (a power of two). */
  readonly queueCapacity: number;
  readonly batchSize: number;
  readonly whenFull: WhenFull;
  readonly waitTimeoutMs: number;
}

/** Counters of a queue, from {@link RemoteFreeQueue.stats}. Counts since construction. */
export interface RemoteFreeStats {
  /** Lanes the owner still drains (shared, attached, or detached with entries left). */
  lanes: number;
  /** Entries taken out of the queue by drains. */
  received: number;
  /** Entries applied (freed). */
  applied: number;
  /** Entries refused by the structure (stale, double, foreign...): counted and reported, never applied. */
  rejected: number;
  /** Calls of `drain` (`drainRemoteFrees`). */
  drains: number;
}

/**
 * What a queue drains into: the owner's structure. Validates `value` as its own `free` would and
 * frees it, returning `null`, or returns why it refused (and changes nothing).
 */
export interface RemoteFreeTarget {
  applyRemoteFree(value: number): InvalidFreeReason | null;
}

/**
 * Called for each refused entry during a drain, with the entry and the reason. Must not drain
 * the same structure again (that throws).
 */
export type RemoteFreeRejected = (value: number, reason: InvalidFreeReason) => void;

/**
 * Thrown by a view's `free` (or `flush`) when its lane has no room and `whenFull` is `'throw'`,
 * or a `'wait'` timed out. The free that threw was not queued (call it again after the owner
 * drained); the frees queued before it were published. A `RangeError`, as running out of space is
 * elsewhere ({@link OutOfMemoryError}).
 */
export class QueueFullError extends RangeError {
  /** Entries the lane holds. */
  readonly queueCapacity: number;
  /** How long the sender waited for room, ms (0 with `whenFull: 'throw'`). */
  readonly waitedMs: number;

  /**
   * @param message - what filled and what to raise.
   * @param queueCapacity - the lane's capacity, entries.
   * @param waitedMs - time spent waiting, ms.
   */
  constructor(message: string, queueCapacity: number, waitedMs: number) {
    super(message);
    this.name = 'QueueFullError';
    this.queueCapacity = queueCapacity;
    this.waitedMs = waitedMs;
  }
}

const SHARE_OPTION_NAMES = ['queueCapacity', 'batchSize', 'whenFull', 'waitTimeoutMs'] as const;
const WHEN_FULL: readonly WhenFull[] = ['throw', 'wait'];

/** Validated share options. */
interface ResolvedShareOptions {
  queueCapacity: number;
  batchSize: number;
  whenFull: WhenFull;
  waitTimeoutMs: number;
}

/**
 * Validates {@link ShareOptions} against a structure's default capacity. O(1).
 *
 * @throws TypeError / RangeError naming the option, its value and its range.
 */
export function resolveShareOptions(options: ShareOptions | undefined, defaultCapacity: number): ResolvedShareOptions {
  const o = checkOptions('share options', options, SHARE_OPTION_NAMES);
  const queueCapacity =
    o.queueCapacity === undefined
      ? defaultCapacity
      : checkPowerOfTwo('queueCapacity', o.queueCapacity, MIN_QUEUE_CAPACITY, MAX_QUEUE_CAPACITY);
  const batchSize =
    o.batchSize === undefined
      ? Math.min(DEFAULT_BATCH_SIZE, queueCapacity)
      : checkInteger('batchSize', o.batchSize, 1, queueCapacity);
  const whenFull = o.whenFull === undefined ? 'throw' : checkOneOf('whenFull', o.whenFull, WHEN_FULL);
  const waitTimeoutMs =
    o.waitTimeoutMs === undefined
      ? DEFAULT_WAIT_TIMEOUT_MS
      : checkInteger('waitTimeoutMs', o.waitTimeoutMs, 0, MAX_WAIT_TIMEOUT_MS);
  return { queueCapacity, batchSize, whenFull, waitTimeoutMs };
}

/**
 * The smallest power of two >= `n`, clamped to `[MIN_QUEUE_CAPACITY, max]`: a structure's default
 * lane capacity. O(log n).
 */
export function defaultQueueCapacity(n: number, max: number): number {
  let c = MIN_QUEUE_CAPACITY;
  while (c < n && c < max) c *= 2;
  return c;
}

/** The owner's record of one lane. */
interface Lane {
  readonly id: number;
  readonly words: Int32Array;
  readonly mask: number;
  /** The tail when the owner revoked the lane, else -1. */
  revokedTail: number;
}

/** Indices of the owner's counters (doubles, so a count past 2^30 never boxes a number). */
const RECEIVED = 0;
const APPLIED = 1;
const REJECTED = 2;
const DRAINS = 3;

/**
 * The owner's side of a remote-free queue: hands out lanes (`share`), takes them back
 * (`unshare`), and applies what senders published (`drain`). See the module doc. Used by
 * `StructPool` and the arenas; usable for any structure whose frees are int32 values >= 0.
 *
 * ```ts
 * const queue = new RemoteFreeQueue();
 * worker.postMessage(queue.share({ batchSize: 64 }));   // the worker: RemoteFreeSender.attach(lane)
 * const target = { applyRemoteFree: (id: number) => (mine.delete(id) ? null : 'not-allocated' as const) };
 * queue.drain(target);                                  // at the owner's sync point
 * ```
 */
export class RemoteFreeQueue {
  /** Lane capacity of a `share()` without `queueCapacity`, entries. */
  readonly defaultQueueCapacity: number;
  private readonly lanes: Lane[] = [];
  private readonly counts = new Float64Array(4);
  private nextId = 1;
  private draining = false;

  /**
   * @param defaultCapacity - lane capacity of a `share()` without `queueCapacity`: a power of
   *   two in `[16, 2^20]`. Default 4096.
   * @throws TypeError / RangeError for a bad capacity.
   */
  constructor(defaultCapacity = 4096) {
    this.defaultQueueCapacity = checkPowerOfTwo(
      'defaultCapacity',
      defaultCapacity,
      MIN_QUEUE_CAPACITY,
      MAX_QUEUE_CAPACITY,
    );
  }

  /**
   * Makes a new lane for one sender and returns its descriptor (structured-cloneable: post it to
   * the worker, which attaches it once). O(queueCapacity) to allocate the lane's buffer.
   *
   * @throws TypeError when this thread has no `SharedArrayBuffer`; TypeError / RangeError for
   *   bad {@link ShareOptions}.
   */
  share(options?: ShareOptions): RemoteFreeLaneDescriptor {
    requireSharedMemory('share()');
    const o = resolveShareOptions(options, this.defaultQueueCapacity);
    const buffer = new SharedArrayBuffer((HEADER_WORDS + o.queueCapacity) * 4);
    const words = new Int32Array(buffer);
    words[STATE] = ISSUED;
    const id = this.nextId++;
    this.lanes.push({ id, words, mask: o.queueCapacity - 1, revokedTail: -1 });
    return {
      kind: DESCRIPTOR_KINDS.lane,
      version: DESCRIPTOR_VERSION,
      id,
      buffer,
      queueCapacity: o.queueCapacity,
      batchSize: o.batchSize,
      whenFull: o.whenFull,
      waitTimeoutMs: o.waitTimeoutMs,
    };
  }

  /**
   * Ends a share whose sender is gone (its worker exited or was terminated) or must stop: what it
   * published is still applied by the next drain, after which the lane is retired; a later
   * publish by its view throws {@link OwnershipError}. Frees the view held unpublished are lost
   * (the owner never received them). O(lanes). Ending a share that already ended does nothing.
   *
   * @param lane - the lane's descriptor (or its id) as `share()` returned it.
   * @throws TypeError when `lane` is not a lane descriptor or id of this queue.
   */
  unshare(lane: RemoteFreeLaneDescriptor | number): void {
    const id = typeof lane === 'number' ? lane : (lane as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id >= this.nextId) {
      throw new TypeError(`unshare: expected a lane descriptor or id returned by share(), got ${describeValue(lane)}`);
    }
    const record = this.lanes.find((l) => l.id === id);
    if (record === undefined || record.revokedTail !== -1) return; // retired or revoked already
    record.revokedTail = Atomics.exchange(record.words, TAIL, REVOKED);
  }

  /** Lanes still drained: shared and not yet retired. */
  get laneCount(): number {
    return this.lanes.length;
  }

  /**
   * Takes every published entry of every lane and hands it to `target.applyRemoteFree`; refused
   * entries are counted and passed to `onRejected`. Retires the lanes whose sender detached or
   * was revoked once they are empty, and wakes senders waiting for room. O(entries + lanes);
   * allocates nothing unless an entry is refused (the target builds its error then).
   *
   * An entry is received once its lane's head moves past it, even when `target` or `onRejected`
   * throws: then the drain stops there, the rest stays queued for the next drain, and the error
   * propagates.
   *
   * @returns how many entries were applied.
   * @throws Error when called again from inside `target` or `onRejected` (re-entrant drain).
   */
  drain(target: RemoteFreeTarget, onRejected?: RemoteFreeRejected): number {
    if (this.draining) throw new Error('drainRemoteFrees: called again while draining (from onRejected?)');
    this.draining = true;
    const counts = this.counts;
    counts[DRAINS] += 1;
    let received = 0;
    let applied = 0;
    try {
      const lanes = this.lanes;
      for (let l = lanes.length - 1; l >= 0; l--) {
        const lane = lanes[l];
        const words = lane.words;
        // The state before the tail: a sender publishes everything, then sets DETACHED, so a
        // tail read after seeing DETACHED is its last.
        const state = Atomics.load(words, STATE);
        const tail = lane.revokedTail === -1 ? Atomics.load(words, TAIL) : lane.revokedTail;
        let head = words[HEAD];
        if (head !== tail) {
          const mask = lane.mask;
          try {
            while (head !== tail) {
              const value = words[HEADER_WORDS + (head & mask)];
              head = (head + 1) & POSITION_MASK;
              received++;
              const reason = target.applyRemoteFree(value);
              if (reason === null) {
                applied++;
              } else {
                counts[REJECTED] += 1;
                if (onRejected !== undefined) onRejected(value, reason);
              }
            }
          } finally {
            Atomics.store(words, HEAD, head);
            if (Atomics.load(words, WAITING) !== 0) Atomics.notify(words, HEAD);
          }
        }
        if (state === DETACHED || lane.revokedTail !== -1) lanes.splice(l, 1); // empty now: retire
      }
    } finally {
      counts[RECEIVED] += received;
      counts[APPLIED] += applied;
      this.draining = false;
    }
    return applied;
  }

  /**
   * The counters ({@link RemoteFreeStats}). O(1). Fills and returns `into` when given
   * (allocation-free), else a new object.
   */
  stats(into?: RemoteFreeStats): RemoteFreeStats {
    const s = into ?? ({} as RemoteFreeStats);
    s.lanes = this.lanes.length;
    s.received = this.counts[RECEIVED];
    s.applied = this.counts[APPLIED];
    s.rejected = this.counts[REJECTED];
    s.drains = this.counts[DRAINS];
    return s;
  }
}

/** Fills `into` (or a new object) with the counters of a structure never shared: all 0. O(1). */
export function emptyRemoteFreeStats(into?: RemoteFreeStats): RemoteFreeStats {
  const s = into ?? ({} as RemoteFreeStats);
  s.lanes = 0;
  s.received = 0;
  s.applied = 0;
  s.rejected = 0;
  s.drains = 0;
  return s;
}

/**
 * The owner's sharing state of one structure (a pool or an arena): its remote-free queue, and
 * the target that applies a queued value with the structure's own `free`, which validates it: a
 * refused value (the `free` threw {@link InvalidFreeError}, leaving the structure as it was) is
 * reported by its reason, never applied. Other errors propagate. The valid path throws nothing
 * and allocates nothing. `StructPool` and the arenas extend it with their descriptors.
 */
export class OwnerSharing implements RemoteFreeTarget {
  /** The structure's queue: one lane per `share()`. */
  readonly queue: RemoteFreeQueue;

  /**
   * @param structure - the owner's structure (its `free` applies a queued value).
   * @param defaultCapacity - lane capacity of a `share()` without `queueCapacity`.
   */
  constructor(
    private readonly structure: { free(value: number): void },
    defaultCapacity: number,
  ) {
    this.queue = new RemoteFreeQueue(defaultCapacity);
  }

  /** Frees `value` in the structure, or returns why it refused (the structure unchanged). */
  applyRemoteFree(value: number): InvalidFreeReason | null {
    try {
      this.structure.free(value);
      return null;
    } catch (error) {
      if (error instanceof InvalidFreeError) return error.reason;
      throw error;
    }
  }

  /** Applies the queued frees (see {@link RemoteFreeQueue.drain}). */
  drain(onRejected: RemoteFreeRejected | undefined): number {
    return this.queue.drain(this, onRejected);
  }

  /** The queue's counters. */
  stats(into?: RemoteFreeStats): RemoteFreeStats {
    return this.queue.stats(into);
  }
}
