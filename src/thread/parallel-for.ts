/**
 * ParallelFor: the owner splits `[0, count)` into one contiguous chunk per worker, wakes the
 * workers, and waits until every chunk is done, through `Atomics.wait` / `Atomics.notify` on a
 * small control block in a `SharedArrayBuffer`. No message is posted per step and nothing is
 * allocated per step (on the owner, in `start` / `wait` / `done`; on a worker, in `serve`'s loop).
 *
 * Typical use (the ownership model is in `ownership.ts`): the owner drains remote frees and
 * spawns, then `run(pool.size)`; each worker updates the records at `dense[start..end)` (or the
 * slots `[start, end)` of the columns, see below) and queues the frees of its chunk through its
 * pool view, then the owner drains again.
 *
 * What a chunk covers is the caller's choice of `count`:
 * - **positions in `dense`** (`count = pool.size`): every worker gets the same number of live
 *   records; their slots are wherever `dense` puts them, so workers read and write columns in a
 *   scattered order, and two workers may write different slots of one cache line;
 * - **slots** (`count = pool.capacity`, and the body skips free slots by a field of its own,
 *   such as a life of 0): each worker walks a contiguous run of the columns, in memory order, with
 *   no cache line written by two workers (chunk starts are multiples of `alignItems`, 64 by
 *   default); workers get unequal live counts when free slots cluster.
 * `bench/README.md`, section Workers, measures both.
 *
 * Control block layout (`Int32Array`; then `paramCount` doubles, 8-byte aligned):
 *
 * ```
 *  [EPOCH]    step number; the owner bumps it to start a step (workers sleep on it)
 *  [COUNT]    items of the current step
 *  [PENDING]  workers that have not finished the current step (the owner sleeps on it)
 *  [CLOSED]   1 once the owner called close() (serve() returns)
 *  [FAILED]   workers whose body threw in the current step
 *  [CLAIM + i]  1 while worker index i is attached
 *  [DONE + i]   the last step worker i finished
 * ```
 *
 * Chunk `i` of `n` over `count` items aligned to `a`: the `u = ceil(count / a)` units of `a`
 * items are dealt out evenly, the first `u % n` chunks taking one unit more ({@link chunkStart}).
 *
 * Source: the fork-join barrier of OpenMP's `parallel for` with a static schedule (OpenMP API
 * 5.2, §11.5.3 "schedule(static)"); the futex-style sleep on a counter after Drepper, "Futexes
 * Are Tricky" (2011).
 *
 * @module
 */
import { checkInteger, checkOptions, describeValue } from '../errors.js';
import { DESCRIPTOR_KINDS, DESCRIPTOR_VERSION, OwnershipError, canBlock, requireSharedMemory } from './ownership.js';

const EPOCH = 0;
const COUNT = 1;
const PENDING = 2;
const CLOSED = 3;
const FAILED = 4;
/** First worker claim word. */
const CLAIM = 8;

/** Most workers of one ParallelFor. */
export const MAX_PARALLEL_WORKERS = 256;
/** Most parameters (doubles) of one ParallelFor. */
export const MAX_PARALLEL_PARAMS = 4096;
/** Largest `count` of one step: 2^30 (a pool holds at most 2^24 slots). */
export const MAX_PARALLEL_COUNT = 2 ** 30;

/** Options of {@link ParallelFor}. */
export interface ParallelForOptions {
  /** Workers that will attach, one chunk each: an integer in `[1, 256]`. */
  workers: number;
  /**
   * Doubles in {@link ParallelFor.params}, the per-step inputs the owner writes before `start`
   * (a step length, a time): an integer in `[0, 4096]`. Default 8.
   */
  paramCount?: number;
  /**
   * Chunk starts are multiples of this many items, so two workers walking slots in memory order
   * never write one cache line (64 items covers every column kind of 1 to 8 bytes): an integer
   * in `[1, 2^20]`. Default 64. A chunk may then be empty when `count` is small.
   */
  alignItems?: number;
}

/** What {@link ParallelFor.share} returns: structured-cloneable, the same for every worker. */
export interface ParallelForDescriptor {
  readonly kind: typeof DESCRIPTOR_KINDS.parallelFor;
  readonly version: typeof DESCRIPTOR_VERSION;
  readonly buffer: SharedArrayBuffer;
  readonly workers: number;
  readonly paramCount: number;
  readonly alignItems: number;
}

/**
 * A chunk's work on a worker: the items `[start, end)` of the current step (`end - start` may be
 * 0). Read the step's inputs from `worker.params`.
 */
export type ChunkBody = (start: number, end: number, worker: ParallelForWorker) => void;

/** Int32 words of the control block for `workers` workers, rounded up to whole doubles. */
function controlWords(workers: number): number {
  const words = CLAIM + 2 * workers;
  return words + (words % 2);
}

/**
 * Start of chunk `index` of `workers` over `count` items aligned to `alignItems` (chunk `index`
 * is `[chunkStart(.., index, ..), chunkStart(.., index + 1, ..))`). The `u = ceil(count / a)`
 * units of `a` items are dealt out evenly, the first `u % workers` chunks taking one unit more.
 * Integer arithmetic only (no fractional intermediate), so it allocates nothing even before V8
 * optimizes it. O(1).
 */
export function chunkStart(count: number, workers: number, index: number, alignItems: number): number {
  return startOfChunk(count, workers, index, alignItems);
}

/** {@link chunkStart}, module-private for `serve`'s loop (which then reads no exported binding). */
function startOfChunk(count: number, workers: number, index: number, alignItems: number): number {
  const rounded = count + alignItems - 1;
  const units = (rounded - (rounded % alignItems)) / alignItems;
  const extra = units % workers;
  const perChunk = (units - extra) / workers;
  return Math.min(count, (index * perChunk + Math.min(index, extra)) * alignItems);
}

/**
 * The owner's side: splits each step's items among the attached workers and waits for them. See
 * the module doc.
 *
 * ```ts
 * const team = new ParallelFor({ workers: 2 });
 * for (const w of workers) w.postMessage({ team: team.share(), pool: pool.share() });
 * // each frame:
 * pool.drainRemoteFrees();
 * team.params[0] = dtMs;
 * team.run(pool.size);            // start + wait; the workers update dense[start..end)
 * ```
 */
export class ParallelFor {
  /** Workers (chunks per step). */
  readonly workers: number;
  /** Chunk starts are multiples of this many items. */
  readonly alignItems: number;
  /**
   * Per-step inputs, shared: the owner writes them before `start`; workers read them in their
   * body (`worker.params`). Writing them during a step races with the workers.
   */
  readonly params: Float64Array;
  private readonly buffer: SharedArrayBuffer;
  private readonly control: Int32Array;
  private readonly done: number;
  private epoch = 0;

  /**
   * @throws TypeError when this thread has no `SharedArrayBuffer` or for bad options;
   *   RangeError for an option out of its range.
   */
  constructor(options: ParallelForOptions) {
    requireSharedMemory('ParallelFor');
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`ParallelFor options must be an object, got ${describeValue(options)}`);
    }
    const o = checkOptions('ParallelFor options', options, ['workers', 'paramCount', 'alignItems']);
    this.workers = checkInteger('workers', o.workers, 1, MAX_PARALLEL_WORKERS);
    const paramCount =
      o.paramCount === undefined ? 8 : checkInteger('paramCount', o.paramCount, 0, MAX_PARALLEL_PARAMS);
    this.alignItems = o.alignItems === undefined ? 64 : checkInteger('alignItems', o.alignItems, 1, 2 ** 20);
    const words = controlWords(this.workers);
    this.buffer = new SharedArrayBuffer(words * 4 + paramCount * 8);
    this.control = new Int32Array(this.buffer, 0, words);
    this.params = new Float64Array(this.buffer, words * 4, paramCount);
    this.done = CLAIM + this.workers;
  }

  /** A descriptor for the workers (the same one for all: each `attach` claims a free index). */
  share(): ParallelForDescriptor {
    return {
      kind: DESCRIPTOR_KINDS.parallelFor,
      version: DESCRIPTOR_VERSION,
      buffer: this.buffer,
      workers: this.workers,
      paramCount: this.params.length,
      alignItems: this.alignItems,
    };
  }

  /** Workers attached now. O(workers). */
  get attached(): number {
    let n = 0;
    for (let i = 0; i < this.workers; i++) n += Atomics.load(this.control, CLAIM + i);
    return n;
  }

  /** True when no step is running (every worker finished the last one). O(1), allocation-free. */
  get isDone(): boolean {
    return Atomics.load(this.control, PENDING) === 0;
  }

  /** Steps started so far. */
  get steps(): number {
    return this.epoch;
  }

  /**
   * Starts a step over the items `[0, count)`: each worker gets its chunk (see the module doc)
   * and is woken. Returns at once. O(1), allocation-free. Workers that attach later run the
   * step when they attach.
   *
   * @throws TypeError / RangeError when `count` is not an integer in `[0, 2^30]`; Error when the
   *   previous step is still running or the team was closed.
   */
  start(count: number): void {
    const control = this.control;
    if (!(typeof count === 'number' && (count | 0) === count && count >= 0 && count <= MAX_PARALLEL_COUNT)) {
      checkInteger('count', count, 0, MAX_PARALLEL_COUNT);
    }
    if (Atomics.load(control, PENDING) !== 0) {
      throw new Error(`ParallelFor.start: step ${this.epoch} is still running; wait for it first`);
    }
    if (Atomics.load(control, CLOSED) !== 0) throw new Error('ParallelFor.start: the team was closed');
    Atomics.store(control, COUNT, count);
    Atomics.store(control, FAILED, 0);
    Atomics.store(control, PENDING, this.workers);
    this.epoch = (this.epoch + 1) | 0;
    Atomics.store(control, EPOCH, this.epoch);
    Atomics.notify(control, EPOCH);
  }

  /**
   * Sleeps until the running step is done (`Atomics.wait`). Returns true when it is done (or
   * none runs), false when `timeoutMs` passed without any worker finishing its chunk (a dead or
   * stuck worker: see {@link ParallelFor.unfinished} and {@link ParallelFor.release}). Reads no
   * clock and allocates nothing. On a browser's main thread, which cannot sleep, poll
   * {@link ParallelFor.isDone} each frame or `await waitAsync()`.
   *
   * @param timeoutMs - longest time without progress, ms: a number >= 0 (default `Infinity`).
   * @throws TypeError on a thread that cannot block; RangeError for a bad `timeoutMs`; Error
   *   when a worker's body threw in this step (it names how many).
   */
  wait(timeoutMs = Number.POSITIVE_INFINITY): boolean {
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      throw new RangeError(`timeoutMs must be a number >= 0, got ${describeValue(timeoutMs)}`);
    }
    const control = this.control;
    let pending = Atomics.load(control, PENDING);
    if (pending !== 0 && !canBlock()) {
      throw new TypeError(
        "ParallelFor.wait: this thread cannot block (a browser's main thread): poll isDone each frame, or await waitAsync()",
      );
    }
    while (pending !== 0) {
      // 'not-equal' and 'ok' both mean a worker finished meanwhile: progress, so wait afresh.
      if (Atomics.wait(control, PENDING, pending, timeoutMs) === 'timed-out') {
        pending = Atomics.load(control, PENDING);
        if (pending !== 0) return false;
        break;
      }
      pending = Atomics.load(control, PENDING);
    }
    this.throwIfFailed();
    return true;
  }

  /**
   * As {@link ParallelFor.wait}, without blocking the thread: `Atomics.waitAsync` where the
   * runtime has it, else a 1 ms poll. For a browser's main thread. Allocates a promise per call
   * (and per wake-up); for zero allocation, poll `isDone` once per frame instead.
   */
  async waitAsync(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const control = this.control;
    const deadline = performance.now() + timeoutMs;
    const waitAsync = (
      Atomics as unknown as {
        waitAsync?: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<unknown> };
      }
    ).waitAsync;
    for (;;) {
      const pending = Atomics.load(control, PENDING);
      if (pending === 0) break;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      if (typeof waitAsync === 'function') {
        const r = waitAsync(control, PENDING, pending, left);
        if (r.async) await r.value;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    this.throwIfFailed();
    return true;
  }

  /**
   * `start(count)` then `wait(timeoutMs)`: one whole step. Allocation-free.
   *
   * @throws Error naming the workers that did not finish when `timeoutMs` passed without
   *   progress (dead, terminated, or never attached); see `start` and `wait` for the rest.
   */
  run(count: number, timeoutMs = Number.POSITIVE_INFINITY): void {
    this.start(count);
    if (!this.wait(timeoutMs)) {
      throw new Error(
        `ParallelFor.run: step ${this.epoch} not done after ${timeoutMs} ms; workers not finished: ${this.unfinished().join(', ')} (${this.attached} of ${this.workers} attached)`,
      );
    }
  }

  /** Indices of the workers that have not finished the current step. O(workers); allocates the array. */
  unfinished(): number[] {
    const out: number[] = [];
    if (Atomics.load(this.control, PENDING) === 0) return out;
    for (let i = 0; i < this.workers; i++) if (Atomics.load(this.control, this.done + i) !== this.epoch) out.push(i);
    return out;
  }

  /**
   * Frees worker index `index` for another `attach`: for a worker that died or was terminated.
   * A replacement that attaches runs the current step's chunk if the dead worker had not
   * finished it (so part of that chunk may run twice). O(1).
   *
   * @throws TypeError / RangeError when `index` is not an integer in `[0, workers)`.
   */
  release(index: number): void {
    checkInteger('index', index, 0, this.workers - 1);
    Atomics.store(this.control, CLAIM + index, 0);
  }

  /** Ends the team: every worker's `serve` returns (after its current chunk). O(1). */
  close(): void {
    Atomics.store(this.control, CLOSED, 1);
    // Bump the epoch too: a worker about to sleep on the old value then returns at once.
    Atomics.add(this.control, EPOCH, 1);
    Atomics.notify(this.control, EPOCH);
  }

  private throwIfFailed(): void {
    const failed = Atomics.load(this.control, FAILED);
    if (failed !== 0) {
      throw new Error(
        `ParallelFor: ${failed} worker${failed === 1 ? '' : 's'}' body threw in step ${this.epoch} (see the worker's error event); their chunks may be partly done`,
      );
    }
  }
}

/**
 * A worker's side of a {@link ParallelFor}: its chunk index, the shared params, and `serve`, the
 * loop that runs each step's chunk.
 *
 * ```ts
 * const worker = ParallelForWorker.attach(data.team);
 * const pool = StructPool.attach(data.pool);
 * worker.serve((start, end) => {
 *   const dtS = worker.params[0] / 1000;
 *   for (let i = start; i < end; i++) { const s = pool.dense[i]; ... }
 *   pool.flush();                  // publish this chunk's frees before reporting done
 * });
 * ```
 */
export class ParallelForWorker {
  /** This worker's chunk index, in `[0, workers)`. */
  readonly index: number;
  /** Chunks per step. */
  readonly workers: number;
  /** Chunk starts are multiples of this many items. */
  readonly alignItems: number;
  /** The per-step inputs the owner wrote (shared). */
  readonly params: Float64Array;
  private readonly control: Int32Array;
  private readonly doneWord: number;
  /** The last step this worker finished. */
  private finished = 0;

  private constructor(descriptor: ParallelForDescriptor, index: number, control: Int32Array) {
    const words = controlWords(descriptor.workers);
    this.index = index;
    this.workers = descriptor.workers;
    this.alignItems = descriptor.alignItems;
    this.control = control;
    this.params = new Float64Array(descriptor.buffer, words * 4, descriptor.paramCount);
    this.doneWord = CLAIM + descriptor.workers + index;
    this.finished = Atomics.load(control, this.doneWord);
  }

  /**
   * Joins the team under the lowest free index. O(workers).
   *
   * @throws TypeError for something that is not a ParallelFor descriptor of this version, or on
   *   a thread that cannot block (a browser's main thread); OwnershipError when every index is
   *   taken (`workers` workers are attached already).
   */
  static attach(descriptor: ParallelForDescriptor): ParallelForWorker {
    const d = descriptor as Partial<ParallelForDescriptor> | null;
    if (typeof d !== 'object' || d === null || d.kind !== DESCRIPTOR_KINDS.parallelFor) {
      throw new TypeError(
        `ParallelForWorker.attach: expected a descriptor from ParallelFor.share(), got ${describeValue(d)}`,
      );
    }
    if (d.version !== DESCRIPTOR_VERSION) {
      throw new TypeError(
        `ParallelForWorker.attach: descriptor version ${describeValue(d.version)}, expected ${DESCRIPTOR_VERSION}`,
      );
    }
    if (!canBlock()) {
      throw new TypeError(
        "ParallelForWorker.attach: serve() sleeps in Atomics.wait, which this thread cannot (a browser's main thread)",
      );
    }
    const desc = d as ParallelForDescriptor;
    const control = new Int32Array(desc.buffer, 0, controlWords(desc.workers));
    for (let i = 0; i < desc.workers; i++) {
      if (Atomics.compareExchange(control, CLAIM + i, 0, 1) === 0) return new ParallelForWorker(desc, i, control);
    }
    throw new OwnershipError(
      `ParallelForWorker.attach: all ${desc.workers} worker indices are taken; create the ParallelFor with more workers, or release() a dead worker's index`,
    );
  }

  /**
   * Runs `body` on this worker's chunk of every step until the owner calls `close()`, sleeping in
   * `Atomics.wait` between steps; then gives the index back and returns. The loop allocates
   * nothing. When `body` throws, the step is reported done and failed (the owner's `wait`
   * throws), the index is given back, and the error propagates out of `serve`.
   */
  serve(body: ChunkBody): void {
    if (typeof body !== 'function') {
      throw new TypeError(`serve: body must be a function, got ${describeValue(body)}`);
    }
    const control = this.control;
    try {
      for (;;) {
        // EPOCH before CLOSED: close() sets CLOSED before it bumps EPOCH, so a worker that sees
        // the bumped epoch also sees CLOSED and never runs it as a step.
        const epoch = Atomics.load(control, EPOCH);
        if (Atomics.load(control, CLOSED) !== 0) return;
        if (epoch === this.finished) {
          Atomics.wait(control, EPOCH, epoch);
          continue;
        }
        this.runStep(body, epoch);
      }
    } finally {
      Atomics.store(control, CLAIM + this.index, 0);
    }
  }

  /** Runs one step's chunk and reports it done (and failed, if `body` threw). */
  private runStep(body: ChunkBody, epoch: number): void {
    const control = this.control;
    const count = Atomics.load(control, COUNT);
    const start = startOfChunk(count, this.workers, this.index, this.alignItems);
    const end = startOfChunk(count, this.workers, this.index + 1, this.alignItems);
    let threw = true;
    try {
      body(start, end, this);
      threw = false;
    } finally {
      if (threw) Atomics.add(control, FAILED, 1);
      this.finished = epoch;
      Atomics.store(control, this.doneWord, epoch);
      if (Atomics.sub(control, PENDING, 1) === 1) Atomics.notify(control, PENDING);
    }
  }
}
