/**
 * The sender's side of a remote-free lane (`RemoteFreeSender`, inside a pool's or an arena's view)
 * and the check of a lane descriptor. The lane layout, the batches and the full-lane rule are
 * described in `remote-free-queue.ts`, the owner's side.
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import { DESCRIPTOR_KINDS, DESCRIPTOR_VERSION, OwnershipError, canBlock } from './ownership.js';
import * as queue from './remote-free-queue.js';
import { QueueFullError, type RemoteFreeLaneDescriptor, type WhenFull } from './remote-free-queue.js';

// Module-private copies of the lane layout: the hot path (send) reads no exported binding
// (bench/README.md, section Pools).
const { LANE_STATE: STATE, LANE_HEAD: HEAD, LANE_TAIL: TAIL, LANE_WAITING: WAITING } = queue;
const { LANE_HEADER_WORDS: HEADER_WORDS } = queue;
const { ISSUED, ATTACHED, DETACHED, REVOKED, POSITION_MASK } = queue.LANE_CODES;

/**
 * The sender's side of one lane, in the thread that attached it (inside a pool or arena view;
 * usable alone for a structure of your own). Not thread-safe: one thread per sender, as one
 * sender per lane.
 *
 * ```ts
 * const sender = RemoteFreeSender.attach(lane);   // lane: a descriptor from queue.share()
 * sender.send(handle);                            // O(1): a plain store; every batchSize sends, one atomic publish
 * sender.flush();                                 // publish the partial batch (end of the step)
 * ```
 */
export class RemoteFreeSender {
  /** Ring entries. */
  readonly queueCapacity: number;
  /** Entries per published batch. */
  readonly batchSize: number;
  /** What `send` does when the lane is full. */
  readonly whenFull: WhenFull;
  /** Longest wait for room, ms. */
  readonly waitTimeoutMs: number;
  private readonly words: Int32Array;
  private readonly mask: number;
  /** The tail this sender last published (its own copy: only it writes the tail). */
  private published = 0;
  /** Entries written past `published`, not yet published. */
  private held = 0;
  /** The owner's head as last read: room is `queueCapacity - (position - headSeen)`. */
  private headSeen = 0;
  private closed = false;

  private constructor(lane: RemoteFreeLaneDescriptor) {
    this.words = new Int32Array(lane.buffer);
    this.queueCapacity = lane.queueCapacity;
    this.mask = lane.queueCapacity - 1;
    this.batchSize = lane.batchSize;
    this.whenFull = lane.whenFull;
    this.waitTimeoutMs = lane.waitTimeoutMs;
  }

  /**
   * Claims a lane for this thread. O(1).
   *
   * @throws TypeError when `lane` is not a lane descriptor of this library version; TypeError
   *   when `whenFull` is `'wait'` on a thread that cannot block (a browser's main thread);
   *   OwnershipError when the lane was attached before (one sender per lane: call `share()`
   *   once per worker), detached, or revoked by the owner.
   */
  static attach(lane: RemoteFreeLaneDescriptor): RemoteFreeSender {
    checkLaneDescriptor(lane);
    if (lane.whenFull === 'wait' && !canBlock()) {
      throw new TypeError(
        "attach: whenFull 'wait' needs a thread that can block in Atomics.wait, and this one cannot (a browser's main thread): share with whenFull 'throw'",
      );
    }
    const words = new Int32Array(lane.buffer);
    if (Atomics.load(words, TAIL) === REVOKED) {
      throw new OwnershipError(`attach: the owner ended this share (unshare, lane ${lane.id})`);
    }
    const seen = Atomics.compareExchange(words, STATE, ISSUED, ATTACHED);
    if (seen !== ISSUED) {
      throw new OwnershipError(
        `attach: lane ${lane.id} was ${seen === ATTACHED ? 'attached already' : 'detached'}; one descriptor serves one thread: call share() once per worker`,
      );
    }
    const sender = new RemoteFreeSender(lane);
    sender.published = Atomics.load(words, TAIL);
    sender.headSeen = Atomics.load(words, HEAD);
    return sender;
  }

  /** Entries queued by `send` and not yet published. */
  get pending(): number {
    return this.held;
  }

  /** True after `detach()` or once the owner revoked the lane (sends then throw). */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Queues `value` for the owner; every `batchSize` values the batch is published with one
   * atomic operation. O(1) amortised; allocates nothing unless it throws.
   *
   * @param value - an integer in `[0, 2^31)` (a handle or a byte offset).
   * @throws TypeError / RangeError for another value; QueueFullError when the lane is full (see
   *   `ShareOptions.whenFull`: `value` is not queued then); OwnershipError after `detach()`
   *   or once the owner revoked the lane.
   */
  send(value: number): void {
    if (!(typeof value === 'number' && (value | 0) === value && value >= 0)) {
      checkInteger('value', value, 0, 2 ** 31 - 1);
    }
    this.sendChecked(value);
  }

  /**
   * {@link RemoteFreeSender.send} for a `value` the caller has checked already (an integer in
   * `[0, 2^31)`): the views call it after their own, stricter check. Not part of the public API.
   *
   * @internal
   */
  sendChecked(value: number): void {
    if (this.closed) throw this.closedError('send');
    const position = (this.published + this.held) & POSITION_MASK;
    if (((position - this.headSeen) & POSITION_MASK) >= this.queueCapacity) this.makeRoom(position);
    this.words[HEADER_WORDS + (position & this.mask)] = value;
    this.held++;
    if (this.held >= this.batchSize) this.publish();
  }

  /**
   * Publishes the queued values now (one atomic operation; nothing when none are queued). Call
   * it at the end of each step, so the owner's next drain sees every free of that step. O(1).
   *
   * @throws OwnershipError once the owner revoked the lane (the queued values are lost).
   */
  flush(): void {
    if (this.held > 0) this.publish();
  }

  /**
   * Publishes what is queued and gives the lane back: the owner applies it and retires the lane
   * at its next drain. Later sends throw. Detaching twice does nothing. O(1).
   *
   * @throws OwnershipError when the owner revoked the lane before everything was published.
   */
  detach(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    Atomics.store(this.words, STATE, DETACHED);
  }

  /** Publishes `held` entries: one compare-and-exchange of the tail. */
  private publish(): void {
    const next = (this.published + this.held) & POSITION_MASK;
    const seen = Atomics.compareExchange(this.words, TAIL, this.published, next);
    if (seen !== this.published) {
      this.closed = true;
      this.held = 0;
      throw this.closedError('publish');
    }
    this.published = next;
    this.held = 0;
  }

  /**
   * The lane looked full at `position`: read the owner's head again; if still full, publish what
   * is held and throw or wait, as `whenFull` says. Cold path.
   */
  private makeRoom(position: number): void {
    const words = this.words;
    this.headSeen = Atomics.load(words, HEAD);
    if (((position - this.headSeen) & POSITION_MASK) < this.queueCapacity) return;
    this.flush(); // let the owner drain what is here
    if (this.whenFull === 'throw') {
      throw new QueueFullError(
        `free: the remote-free queue is full (${this.queueCapacity} entries not yet drained by the owner); the owner must call drainRemoteFrees(), or share with a larger queueCapacity (or whenFull 'wait')`,
        this.queueCapacity,
        0,
      );
    }
    const start = performance.now();
    for (;;) {
      const waitedMs = performance.now() - start;
      if (waitedMs >= this.waitTimeoutMs) {
        throw new QueueFullError(
          `free: the remote-free queue stayed full for ${Math.round(waitedMs)} ms (waitTimeoutMs ${this.waitTimeoutMs}, ${this.queueCapacity} entries); the owner must call drainRemoteFrees() while this thread waits, or share with a larger queueCapacity`,
          this.queueCapacity,
          waitedMs,
        );
      }
      Atomics.store(words, WAITING, 1);
      Atomics.wait(words, HEAD, this.headSeen, this.waitTimeoutMs - waitedMs);
      Atomics.store(words, WAITING, 0);
      if (Atomics.load(words, TAIL) === REVOKED) {
        this.closed = true;
        throw this.closedError('send');
      }
      this.headSeen = Atomics.load(words, HEAD);
      if (((position - this.headSeen) & POSITION_MASK) < this.queueCapacity) return;
    }
  }

  private closedError(method: string): OwnershipError {
    return new OwnershipError(
      `${method}: this view's share has ended (${Atomics.load(this.words, TAIL) === REVOKED ? 'the owner called unshare' : 'detach() was called'}); frees from this thread need a new share()`,
    );
  }
}

/**
 * Throws unless `lane` is a lane descriptor of this library's layout. O(1).
 *
 * @throws TypeError naming what is wrong.
 */
export function checkLaneDescriptor(lane: unknown): asserts lane is RemoteFreeLaneDescriptor {
  const d = lane as Partial<RemoteFreeLaneDescriptor> | null;
  if (typeof d !== 'object' || d === null || d.kind !== DESCRIPTOR_KINDS.lane) {
    throw new TypeError(`attach: expected a remote-free lane descriptor from share(), got ${describeValue(lane)}`);
  }
  if (d.version !== DESCRIPTOR_VERSION) {
    throw new TypeError(
      `attach: descriptor version ${describeValue(d.version)}, this steadyheap reads version ${DESCRIPTOR_VERSION} (the worker runs another build)`,
    );
  }
  if (typeof SharedArrayBuffer !== 'function' || !(d.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(
      'attach: the descriptor has no SharedArrayBuffer (was it copied by JSON instead of postMessage?)',
    );
  }
  if (d.buffer.byteLength !== (HEADER_WORDS + (d.queueCapacity ?? 0)) * 4) {
    throw new TypeError('attach: the descriptor does not match its buffer (queueCapacity)');
  }
}
