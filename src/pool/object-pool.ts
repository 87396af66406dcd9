/**
 * ObjectPool: reuse of JavaScript objects a renderer needs (Pixi `Particle`s, `Sprite`s, ...),
 * with O(1), allocation-free detection of double and foreign release.
 *
 * @module
 */
import {
  InvalidFreeError,
  OutOfMemoryError,
  Violations,
  checkInteger,
  checkOptions,
  describeValue,
  statsTarget,
} from '../errors.js';

/** Options of {@link ObjectPool}. */
export interface ObjectPoolOptions<T extends object> {
  /**
   * Makes a new item when no free one is retained. Must return a new object each call. It must
   * not acquire from (or prefill) its own pool: such a nested call throws, changing nothing.
   */
  create: () => T;
  /**
   * Called on `release(item)` before the item becomes free: restore it to a neutral state. It
   * may use the pool (acquire, release other items, trim); releasing `item` itself again from
   * inside it throws `'double-free'`.
   */
  reset?: (item: T) => void;
  /**
   * Most items the pool tracks at once (`liveItems + freeItems`). Integer in
   * `[1, MAX_OBJECT_POOL_CAPACITY]`. Default: {@link MAX_OBJECT_POOL_CAPACITY}. At this cap with
   * every item in use, `acquire` throws and `tryAcquire` returns `undefined`.
   */
  capacity?: number;
  /**
   * Most free items kept for reuse. Integer in `[0, capacity]`. Default:
   * `min(DEFAULT_MAX_RETAINED, capacity)` (10,000, the default `maxSize` of Unity's
   * `UnityEngine.Pool.ObjectPool<T>`), so a spike of 100k sprites leaves at most 10k behind for
   * the rest of the game. A release that finds `freeItems === maxRetained` resets the item and
   * then forgets it (it leaves the pool; releasing it again is `'foreign'`). A game that churns
   * more objects than that every frame should raise it (or a release drops, and an acquire
   * creates, that many objects a frame); one that wants memory back after a spike can also call
   * `trim()` or lower it with `setMaxRetained()`.
   */
  maxRetained?: number;
}

/** Counters of an {@link ObjectPool}, from `stats()`. Counts are in items. */
export interface ObjectPoolStats {
  /** Live items: acquired and not yet released. */
  liveItems: number;
  /** Free items: retained for reuse. */
  freeItems: number;
  /** Cap on `liveItems + freeItems`. */
  capacity: number;
  /** Cap on `freeItems`. */
  maxRetained: number;
  /** Items tracked: `liveItems + freeItems`. @deprecated Use `liveItems + freeItems`. */
  size: number;
  /** @deprecated Use `liveItems`. */
  used: number;
  /** @deprecated Use `freeItems`. */
  free: number;
  /** Items made by `create` since construction. */
  createdCount: number;
  /** Items forgotten: released while `freeItems` was at `maxRetained`, or by `trim` / `setMaxRetained`. */
  droppedCount: number;
  /** Successful `acquire`/`tryAcquire` calls. */
  acquireCount: number;
  /** Successful `release` calls. */
  releaseCount: number;
  /** `acquire`/`tryAcquire` calls that found the pool at `capacity` with everything in use. */
  failedAcquireCount: number;
}

/** Default and largest `capacity` of an {@link ObjectPool}: 2^24 items. */
export const MAX_OBJECT_POOL_CAPACITY = 2 ** 24;

/**
 * Default `maxRetained` of an {@link ObjectPool} (capped at its `capacity`): 10,000 free items,
 * the default `maxSize` of Unity's `UnityEngine.Pool.ObjectPool<T>`.
 */
export const DEFAULT_MAX_RETAINED = 10_000;

/** `state[index]` values. */
const VACANT = 0; // no item at this index
const FREE = 1; // item retained, ready for acquire
const USED = 2; // item acquired
const RELEASING = 3; // inside `reset` during its release: a nested release of it is a double free

/** Internal arrays start this small and double as the pool grows. */
const INITIAL_TABLE = 16;

/**
 * A pool of JavaScript objects. `acquire()` hands out a free item (or creates one, up to
 * `capacity`); `release(item)` resets it and takes it back.
 *
 * ```ts
 * const pool = new ObjectPool({ create: () => new Particle(texture), reset: (p) => { p.alpha = 1; } });
 * const p = pool.acquire();
 * pool.release(p);
 * pool.release(p);          // InvalidFreeError 'double-free'
 * ```
 *
 * **How release is checked without allocating.** Each item gets an index into typed arrays when
 * it is created, kept in a `WeakMap` (one entry per created item, added once). `release` looks
 * the index up (`WeakMap.get` allocates nothing) and reads the item's state from a `Uint8Array`:
 * used, free or vacant. An object the map does not know is `'foreign'`; an item already free is
 * `'double-free'`. Free items are a stack of indices in an `Int32Array`; `acquire` pops, `release`
 * pushes: both O(1) and allocation-free once the pool holds its working set. The `WeakMap` means
 * a dropped item is not kept alive by the pool. Source: the free-list object pool of Nystrom,
 * *Game Programming Patterns*, "Object Pool"; PixiJS v8 `Pool` (`get`/`return`, `reset` hook),
 * here with ownership checks.
 *
 * **Counters** (StructPool's vocabulary: live, free, capacity): `liveItems` acquired, `freeItems` retained,
 * `liveItems + freeItems <= capacity` after every call (test 'E12 honest counters' in
 * `test/pool/object-pool.test.ts`); the pool never tracks more than `capacity` items at once.
 * The old names `size` (live plus free), `used` and `free` are deprecated aliases.
 *
 * **Memory after a spike.** At most `maxRetained` free items are kept (default
 * {@link DEFAULT_MAX_RETAINED}); the rest are forgotten as they come back, so the collector can
 * take them. `trim(keep)` forgets free items now, down to `keep`; `setMaxRetained(n)` lowers (or
 * raises) the cap later and trims to it.
 *
 * **Callbacks that re-enter.** `reset` may use the pool (acquire, release other items, trim);
 * `create` must not acquire or prefill from its own pool: such a call throws an `Error` at once,
 * changing nothing (otherwise the outer call would take a slot the nested one already counted,
 * and the pool would end above its `capacity`).
 *
 * **Errors.** Wrong option types throw `TypeError`, out-of-domain numbers `RangeError`;
 * `acquire` at the cap throws {@link OutOfMemoryError} (`tryAcquire` returns `undefined`);
 * `release` of a non-object throws `TypeError`, of an untracked object `InvalidFreeError`
 * `'foreign'`, of a free item `'double-free'`. A call that throws leaves the pool unchanged:
 * when `create` or `reset` throws, the error propagates and no counter moves.
 */
export class ObjectPool<T extends object> {
  /** Cap on `liveItems + freeItems` (items tracked). */
  readonly capacity: number;

  /** Cap on `freeItems`: see {@link ObjectPool.setMaxRetained}. */
  private retainCap: number;
  /** True while `create` runs: a nested acquire or prefill then throws. */
  private creating = false;
  private readonly create: () => T;
  private readonly reset: ((item: T) => void) | undefined;
  private readonly indexOf = new WeakMap<object, number>();
  private items: (T | undefined)[] = [];
  private state = new Uint8Array(INITIAL_TABLE);
  /** Stack of indices of free items, `freeStack[0..freeTop)`. */
  private freeStack = new Int32Array(INITIAL_TABLE);
  /** Stack of vacant indices below `items.length`, `vacantStack[0..vacantCount)`. */
  private vacantStack = new Int32Array(INITIAL_TABLE);
  private freeTop = 0;
  private vacantCount = 0;
  private liveTally = 0;
  private createdCount = 0;
  private droppedCount = 0;
  private acquireCount = 0;
  private releaseCount = 0;
  private failedAcquireCount = 0;

  /**
   * Creates an empty pool (nothing is created until `acquire` or `prefill`). O(1).
   *
   * @throws TypeError when `options` is not an object, has an unknown key, `create` is not a
   *   function, or `reset` is neither a function nor undefined.
   * @throws RangeError when `capacity` is not an integer in `[1, 2^24]` or `maxRetained` not an
   *   integer in `[0, capacity]`.
   */
  constructor(options: ObjectPoolOptions<T>) {
    if (options === undefined) throw new TypeError('options must be an object with a create function, got undefined');
    const opts = checkOptions('options', options, ['create', 'reset', 'capacity', 'maxRetained']);
    if (typeof opts.create !== 'function') {
      throw new TypeError(`options.create must be a function, got ${describeValue(opts.create)}`);
    }
    if (opts.reset !== undefined && typeof opts.reset !== 'function') {
      throw new TypeError(`options.reset must be a function or undefined, got ${describeValue(opts.reset)}`);
    }
    this.capacity =
      opts.capacity === undefined
        ? MAX_OBJECT_POOL_CAPACITY
        : checkInteger('options.capacity', opts.capacity, 1, MAX_OBJECT_POOL_CAPACITY);
    this.retainCap =
      opts.maxRetained === undefined
        ? Math.min(DEFAULT_MAX_RETAINED, this.capacity)
        : checkInteger('options.maxRetained', opts.maxRetained, 0, this.capacity);
    this.create = opts.create;
    this.reset = opts.reset;
  }

  /** Cap on `freeItems` (items retained for reuse); change it with {@link ObjectPool.setMaxRetained}. */
  get maxRetained(): number {
    return this.retainCap;
  }

  /** Live items: acquired and not yet released (as StructPool's `liveSlots`). */
  get liveItems(): number {
    return this.liveTally;
  }

  /** Free items: retained for reuse (as StructPool's `freeSlots`). `liveItems + freeItems <= capacity`. */
  get freeItems(): number {
    return this.freeTop;
  }

  /**
   * Items tracked: `liveItems + freeItems`.
   * @deprecated Use `liveItems + freeItems`. `size` on StructPool is the live count; this old name
   *   stays (with its old meaning) until the next major version.
   */
  get size(): number {
    return this.liveTally + this.freeTop;
  }

  /**
   * Items acquired and not yet released.
   * @deprecated Use {@link ObjectPool.liveItems}; kept until the next major version.
   */
  get used(): number {
    return this.liveTally;
  }

  /**
   * Items retained for reuse.
   * @deprecated Use {@link ObjectPool.freeItems} (StructPool's `free` is the method that frees a
   *   handle); kept until the next major version.
   */
  get free(): number {
    return this.freeTop;
  }

  /**
   * Returns an item that is not in use: the most recently released one, or a new one from
   * `create` while `liveItems + freeItems < capacity`. O(1); allocates nothing when a free item
   * is retained.
   *
   * @throws OutOfMemoryError (`unit` `'slots'`) when `capacity` items are tracked and every one is in
   *   use, naming `capacity`. Whatever `create` throws (the pool is then unchanged).
   * @throws Error when called from inside this pool's `create` (nothing changes).
   */
  acquire(): T {
    const item = this.tryAcquire();
    if (item === undefined) {
      throw new OutOfMemoryError(
        `ObjectPool is at capacity: all ${this.capacity} items are in use; raise options.capacity (at most ${MAX_OBJECT_POOL_CAPACITY})`,
        1,
        'slots',
        this.stats(),
      );
    }
    return item;
  }

  /**
   * As {@link ObjectPool.acquire}, but returns `undefined` at the cap instead of throwing.
   */
  tryAcquire(): T | undefined {
    if (this.creating) this.rejectReentry('tryAcquire');
    let index: number;
    if (this.freeTop > 0) {
      index = this.freeStack[--this.freeTop];
    } else if (this.liveTally < this.capacity) {
      index = this.createItem();
    } else {
      this.failedAcquireCount++;
      return undefined;
    }
    this.state[index] = USED;
    this.liveTally++;
    this.acquireCount++;
    return this.items[index];
  }

  /**
   * Takes an acquired item back: calls `reset(item)`, then keeps it for reuse (or forgets it
   * when `freeItems === maxRetained`). O(1); allocates nothing.
   *
   * @throws TypeError when `item` is not an object or function.
   * @throws InvalidFreeError `'foreign'` when the pool does not track `item` (never created here,
   *   or dropped by `maxRetained`); `'double-free'` when `item` is already free.
   *   Whatever `reset` throws. In every case the pool is unchanged.
   */
  release(item: T): void {
    if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
      throw new TypeError(`release: item must be an object acquired from this pool, got ${describeValue(item)}`);
    }
    const index = this.indexOf.get(item);
    if (index === undefined) {
      throw new InvalidFreeError('foreign', item, 'release: item was not acquired from this pool');
    }
    if (this.state[index] !== USED) {
      throw new InvalidFreeError('double-free', item, 'release: item is already free (released twice)');
    }
    if (this.reset !== undefined) {
      // Mark it first, so a second cleanup path reached from inside `reset` throws (test 'E10 a
      // second cleanup path reached from inside reset()' in test/pool/object-pool.test.ts)
      // 'double-free' instead of pushing the item twice; restore it if `reset` throws.
      this.state[index] = RELEASING;
      try {
        this.reset(item);
      } catch (error) {
        this.state[index] = USED;
        throw error;
      }
    }
    this.liveTally--;
    this.releaseCount++;
    if (this.freeTop < this.retainCap) {
      this.state[index] = FREE;
      this.freeStack[this.freeTop++] = index;
    } else {
      this.forget(index, item);
    }
  }

  /**
   * Forgets free items, most recently released first, until at most `keep` remain, so the
   * collector can take them (memory held after a spike). O(items forgotten); allocates nothing.
   *
   * @param keep - free items to keep, integer in `[0, capacity]`. Default 0.
   * @returns how many items were forgotten (counted in `stats().droppedCount`).
   * @throws TypeError / RangeError when `keep` is not an integer in `[0, capacity]`.
   */
  trim(keep = 0): number {
    checkInteger('keep', keep, 0, this.capacity);
    let dropped = 0;
    while (this.freeTop > keep) {
      const index = this.freeStack[--this.freeTop];
      this.forget(index, this.items[index] as T);
      dropped++;
    }
    return dropped;
  }

  /**
   * Changes `maxRetained`, the cap on free items, and trims the free items down to it when they
   * are more. O(items forgotten); allocates nothing.
   *
   * @param maxRetained - integer in `[0, capacity]`.
   * @returns how many items were forgotten.
   * @throws TypeError / RangeError when `maxRetained` is not an integer in `[0, capacity]`
   *   (nothing changes).
   */
  setMaxRetained(maxRetained: number): number {
    checkInteger('maxRetained', maxRetained, 0, this.capacity);
    this.retainCap = maxRetained;
    return this.trim(Math.min(this.freeTop, maxRetained));
  }

  /**
   * True when `item` is an item of this pool currently acquired. Never throws. O(1).
   */
  owns(item: unknown): boolean {
    if (item === null || (typeof item !== 'object' && typeof item !== 'function')) return false;
    const index = this.indexOf.get(item);
    return index !== undefined && this.state[index] === USED;
  }

  /**
   * Creates free items until `freeItems >= count` (bounded by `capacity` and `maxRetained`), so
   * later acquires allocate nothing. O(count); allocates.
   *
   * @throws TypeError / RangeError when `count` is not an integer in `[0, maxRetained]`.
   *   Whatever `create` throws (items created before that are kept).
   * @throws Error when called from inside this pool's `create` (nothing changes).
   */
  prefill(count: number): void {
    if (this.creating) this.rejectReentry('prefill');
    checkInteger('count', count, 0, this.retainCap);
    while (this.freeTop < count && this.liveTally + this.freeTop < this.capacity) {
      const index = this.createItem();
      this.state[index] = FREE;
      this.freeStack[this.freeTop++] = index;
    }
  }

  /**
   * A snapshot of the counters. O(1).
   * @param into - an object to fill and return instead of a new one, so a frame loop that reads
   *   the stats allocates nothing; its other properties are left alone.
   * @throws TypeError when `into` is given and is not an object.
   */
  stats(into?: ObjectPoolStats): ObjectPoolStats {
    const s = statsTarget('ObjectPool.stats', into);
    s.liveItems = this.liveTally;
    s.freeItems = this.freeTop;
    s.capacity = this.capacity;
    s.maxRetained = this.retainCap;
    s.size = this.liveTally + this.freeTop;
    s.used = this.liveTally;
    s.free = this.freeTop;
    s.createdCount = this.createdCount;
    s.droppedCount = this.droppedCount;
    s.acquireCount = this.acquireCount;
    s.releaseCount = this.releaseCount;
    s.failedAcquireCount = this.failedAcquireCount;
    return s;
  }

  /**
   * Validates every invariant; O(items). Throws a `CorruptionError` listing every
   * violation found: the free
   * stack holds distinct indices of `FREE` items and nothing else is `FREE`; the vacant stack
   * holds distinct indices of vacant entries; live + free + vacant entries = table length;
   * `liveItems + freeItems <= capacity`; `freeItems <= maxRetained`; every tracked item maps back
   * to its own index; `createdCount - droppedCount === liveItems + freeItems`.
   */
  check(): void {
    const v = new Violations('ObjectPool');
    const fail = v.report;
    const n = this.items.length;
    const seen = new Uint8Array(n);
    for (let i = 0; i < this.freeTop; i++) {
      const index = this.freeStack[i];
      if (!(index >= 0 && index < n)) fail(`freeStack[${i}] = ${index} out of range`);
      else if (seen[index]++) fail(`index ${index} twice in the free stack`);
      else if (this.state[index] !== FREE) fail(`free index ${index} has state ${this.state[index]}`);
    }
    for (let i = 0; i < this.vacantCount; i++) {
      const index = this.vacantStack[i];
      if (!(index >= 0 && index < n)) fail(`vacantStack[${i}] = ${index} out of range`);
      else if (seen[index]++) fail(`index ${index} both free and vacant, or twice vacant`);
      else if (this.state[index] !== VACANT) fail(`vacant index ${index} has state ${this.state[index]}`);
    }
    let used = 0;
    let free = 0;
    for (let i = 0; i < n; i++) {
      const item = this.items[i];
      const state = this.state[i];
      if (state === USED) used++;
      if (state === FREE) free++;
      if (state === VACANT) {
        if (item !== undefined) fail(`vacant index ${i} still holds an item`);
        if (!seen[i]) fail(`vacant index ${i} is not in the vacant stack`);
      } else if (item === undefined || this.indexOf.get(item) !== i) {
        fail(`item at index ${i} does not map back to ${i}`);
      }
    }
    const tracked = this.liveTally + this.freeTop;
    if (used !== this.liveTally) fail(`liveItems: counted ${used}, recorded ${this.liveTally}`);
    if (free !== this.freeTop) fail(`freeItems: counted ${free}, recorded ${this.freeTop}`);
    if (tracked > this.capacity) fail(`liveItems + freeItems ${tracked} above capacity ${this.capacity}`);
    if (this.freeTop > this.retainCap) fail(`freeItems ${this.freeTop} above maxRetained ${this.retainCap}`);
    if (this.createdCount - this.droppedCount !== tracked) {
      fail(
        `createdCount ${this.createdCount} - droppedCount ${this.droppedCount} !== liveItems + freeItems ${tracked}`,
      );
    }
    v.throwIfAny();
  }

  /**
   * Calls `create`, validates the result and gives it an index (a vacant one, or a new one at
   * the end of the table, doubling the typed arrays when needed). Leaves the pool unchanged when
   * `create` throws or returns something unusable. Allocates (creation path only).
   */
  private createItem(): number {
    let item: T;
    this.creating = true;
    try {
      item = this.create();
    } finally {
      this.creating = false;
    }
    if (item === null || (typeof item !== 'object' && typeof item !== 'function')) {
      throw new TypeError(`options.create must return an object, got ${describeValue(item)}`);
    }
    if (this.indexOf.has(item)) {
      throw new TypeError('options.create returned an object this pool already tracks; it must return a new object');
    }
    let index: number;
    if (this.vacantCount > 0) {
      index = this.vacantStack[--this.vacantCount];
    } else {
      index = this.items.length;
      if (index === this.state.length) this.growTables(index * 2);
    }
    this.items[index] = item;
    this.indexOf.set(item, index);
    this.createdCount++;
    return index;
  }

  /** Stops tracking the free or releasing item at `index` (dropped by `maxRetained` or `trim`). */
  private forget(index: number, item: T): void {
    this.state[index] = VACANT;
    this.items[index] = undefined;
    this.indexOf.delete(item);
    this.vacantStack[this.vacantCount++] = index;
    this.droppedCount++;
  }

  /** Throws the error of an acquire or prefill from inside `create`. Cold path. */
  private rejectReentry(what: string): never {
    throw new Error(
      `ObjectPool.${what}: called from inside options.create of the same pool; create must make a new object without acquiring from its own pool (nothing changed)`,
    );
  }

  /** Doubles the typed arrays to `length` entries. */
  private growTables(length: number): void {
    const state = new Uint8Array(length);
    const freeStack = new Int32Array(length);
    const vacantStack = new Int32Array(length);
    state.set(this.state);
    freeStack.set(this.freeStack);
    vacantStack.set(this.vacantStack);
    this.state = state;
    this.freeStack = freeStack;
    this.vacantStack = vacantStack;
  }
}
