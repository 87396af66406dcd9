/**
 * Sharing pools and arenas with workers: the ownership model every shared structure follows.
 *
 * A pool or arena that other threads see (Web Workers, Node `worker_threads`) keeps the same
 * typed arrays, now over `SharedArrayBuffer`s, and one rule about who may change what:
 *
 * 1. **One owner.** The thread that created the structure owns it. Only the owner allocates,
 *    frees for real, clears, resets, grows or checks it. Its free list, slot table and counters
 *    change on the owner's thread only, so they need no locks and the single-thread code runs
 *    unchanged (the same O(1) `alloc` / `free`, no atomic operation in them).
 * 2. **Other threads read, and write only what they were handed.** A worker attaches a view
 *    (`StructPool.attach(descriptor)`, `BuddyArena.attach(descriptor)`, ...) and reads columns,
 *    `dense`, `size` and handle liveness freely. It writes only the slots (or byte ranges) the
 *    owner handed it for this step, typically a contiguous chunk of `dense` from
 *    {@link ParallelFor}. Two workers never write the same slot in one step.
 * 3. **Structural changes travel back to the owner.** A worker that wants a record gone calls
 *    the view's `free(handle)` (or `free(offset)`): the handle goes into a remote-free queue in
 *    shared memory, batched (one atomic operation per batch of, by default, 256 frees, not one
 *    per free). The owner applies the queued frees at a sync point it chooses,
 *    `drainRemoteFrees()`, typically once per frame after the workers finished their step and
 *    before it allocates again. `alloc` on a view throws {@link OwnershipError}.
 * 4. **Generations cross threads.** Handles keep their generations in the shared slot table, so
 *    a stale handle is caught on any thread: `isAlive` / `slotOf` on a view see the owner's
 *    latest applied state, and the owner validates every queued free again when it applies it:
 *    a stale, double or garbage handle in the queue is counted and reported, never applied.
 * 5. **Sync points.** Between two sync points the owner does not change the structure while
 *    workers iterate it (it waits for them, or does other work). The owner's reads of columns
 *    during a step see values from before or after a worker's write, never torn ones of another
 *    slot; structural state (free list, `dense`, `size`) changes only at the owner's sync points.
 *
 * Failure: a worker that dies or is terminated mid-batch loses only the frees it had not yet
 * published (the owner never received them: those records stay live until the owner frees them
 * itself); everything published before is applied at the next drain, and nothing is corrupted,
 * because a batch becomes visible to the owner by one atomic store after its entries are
 * written. A full queue never overwrites: the sender waits for the owner's next drain, or
 * throws {@link QueueFullError} (option `whenFull`).
 *
 * Memory order: plain (non-atomic) typed-array writes a worker makes before an atomic operation
 * (publishing a batch, or reporting a `ParallelFor` chunk done) are visible to the owner after it
 * observes that operation (ECMAScript memory model: atomics synchronize), so a column written by
 * workers reads back correctly on the owner once the step is done.
 *
 * `SharedArrayBuffer` is only available where the page is cross-origin isolated (browsers) or
 * always (Node): see {@link isSharedMemoryAvailable}, and the README section "Workers" for the
 * two headers a server must send.
 *
 * Source: the ownership split of mimalloc's thread-local heaps with a per-page "thread free"
 * list for frees from other threads (D. Leijen, B. Zorn, L. de Moura, "Mimalloc: Free List
 * Sharding in Action", APLAS 2019); batched publishing as in snmalloc's message passing of
 * remote deallocations (P. Liétar et al., "snmalloc: A Message Passing Allocator", ISMM 2019).
 *
 * @module
 */

/**
 * Thrown when a thread does what the ownership model reserves for the owner: `alloc` (or
 * `tryAlloc`, `clear`, `realloc`, ...) on an attached view, attaching one descriptor twice, or
 * publishing frees after the owner ended the share (`unshare`). Its message names the rule.
 */
export class OwnershipError extends Error {
  /**
   * @param message - what was attempted and the rule that forbids it.
   */
  constructor(message: string) {
    super(message);
    this.name = 'OwnershipError';
  }
}

/** The rule, as quoted in every {@link OwnershipError} a view throws. */
export const OWNERSHIP_RULE =
  'only the owner thread allocates and frees; other threads read, write only the slots or byte ranges handed to them, and queue frees with free(), which the owner applies in drainRemoteFrees()';

/**
 * The error an attached view throws from an owner-only method. Failure path only.
 *
 * @param structure - `'StructPool'`, `'BuddyArena'`, ...
 * @param method - the method called on the view, `'alloc'`.
 */
export function ownerOnly(structure: string, method: string): OwnershipError {
  return new OwnershipError(
    `${structure} view.${method}(): this is an attached view in another thread, and ${OWNERSHIP_RULE}. Call ${method}() on the owner's ${structure}.`,
  );
}

/**
 * True when this thread can use `SharedArrayBuffer`: always in Node; in a browser only when the
 * page is cross-origin isolated (served with `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`, so `globalThis.crossOriginIsolated` is true).
 * O(1), never throws.
 */
export function isSharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

/**
 * Throws a clear error when this thread has no `SharedArrayBuffer`, naming what needs it.
 *
 * @throws TypeError naming `what` and the headers to send.
 */
export function requireSharedMemory(what: string): void {
  if (isSharedMemoryAvailable()) return;
  throw new TypeError(
    `${what} needs SharedArrayBuffer, which this page does not have: serve it cross-origin isolated (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)`,
  );
}

let blockingProbe: boolean | undefined;

/**
 * True when this thread may block in `Atomics.wait`: Node threads and Web Workers may; a
 * browser's main thread may not (it throws `TypeError`). Probed once, with a value that does not
 * match, so the probe never sleeps. O(1) after the first call.
 */
export function canBlock(): boolean {
  if (blockingProbe === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingProbe = true;
    } catch {
      blockingProbe = false;
    }
  }
  return blockingProbe;
}

/** The descriptor tags `attach` checks, so a descriptor of one kind is not taken for another. */
export const DESCRIPTOR_KINDS = {
  lane: 'steadyheap.remote-free-lane',
  arena: 'steadyheap.arena',
  pool: 'steadyheap.struct-pool',
  parallelFor: 'steadyheap.parallel-for',
} as const;

/** Version of the descriptor layouts; `attach` refuses another (a worker built from other code). */
export const DESCRIPTOR_VERSION = 1;
