/**
 * Pool-backed bitECS components: component data in typed-array columns that steadyheap owns,
 * added and freed in O(1) through bitECS hooks that no add/remove path can bypass.
 *
 * Two layouts, `'entity'` (columns indexed by raw entity index) and `'slot'` (a StructPool with an
 * id -> slot map), and two memberships, `'bitecs'` (hooks; visible to bitECS queries) and `'pool'`
 * (O(1), garbage-free): see {@link ComponentLayout} and {@link ComponentMembership}.
 *
 * Iteration contract: `entities[0..count)` and `indices[0..count)` are packed; a removal swaps
 * the last entry into the removed position. Iterate **backward** (`for (i = count - 1; i >= 0;
 * i--)`): removing the current entity (its component or the whole entity) moves an
 * already-visited entry into `i`, so every entity present at the start is visited exactly once
 * (test 'E4: removal during backward iteration ...' in `test/ecs/pool-component.test.ts`).
 * Adding during a backward pass appends at the end (not visited this pass). Removing an entity
 * other than the current one during a pass is not covered: defer it (collect ids, remove after).
 *
 * Joins: to iterate the entities that have several components, use a {@link PoolQuery}
 * (`pool-query.ts`): a cached join, rebuilt only when a member's {@link PoolComponent.changeCount}
 * moved, so steady-state systems iterate packed index arrays with no per-entity lookup.
 *
 * Errors: predicates (`has`, `indexOf`) never throw; mutators (`add`, `remove`) throw TypeError
 * for a non-number id and RangeError for a non-integer or out-of-range one. `add` checks room
 * before it touches bitECS, so its `OutOfMemoryError` changes nothing; a bare bitECS
 * `addComponent` on a full component throws it from inside the hook, after bitECS set its mask
 * (`query()` then lists an entity without a slot, which `check()` reports): prefer `add`.
 *
 * Clearing the world: after bitECS `resetWorld`, call `resetAfterWorldReset()` (or use
 * `clearWorld`); in a versioned world ids from before the clear then stay dead after reuse (see
 * `entity-ids.ts`; tests 'E2: ...' in `test/ecs/pool-component.test.ts`). Versioned ids: every
 * per-entity array is keyed by the raw index and stores the full id; `has(eid)` compares it, so
 * a stale versioned id reads as absent.
 *
 * bitECS features: prefabs, `IsA` inheritance of values, `set`/`setComponent`/`getComponent`,
 * relation cascades and hierarchy queries work with pool components; how, and the limits, are in
 * `pool-component-data.ts` (tested in `test/ecs/prefabs.test.ts`).
 *
 * Reference: bitECS 0.4.0 `observe`/`onAdd`/`onRemove` (`src/core/Query.ts`); the packed array of
 * slot maps (Bitsquid "packed array", Rust `slotmap`).
 *
 * @module
 */
import { addComponent, hasComponent, observe, onAdd, onRemove, removeComponent, type World } from 'bitecs';
import { type OutOfMemoryError, checkInteger } from '../errors.js';
import { growColumnArray, grownCopy, makeColumnArray, makeColumns, type AnyTypedArray } from '../pool/column-buffer.js';
import type { Columns, FieldLayout, Schema } from '../pool/schema.js';
import { StructPool } from '../pool/struct-pool.js';
import {
  carryVersionsAcrossReset,
  checkEntityId,
  enterRemoval,
  int32IdOf,
  entityIndexOf,
  isEntityAlive,
  leaveRemoval,
  onPrefabRemoved,
  type BitecsEntityIndex,
} from './entity-ids.js';
import { checkPoolComponent } from './pool-component-check.js';
import { observeRecords } from './pool-component-data.js';
import { componentStateParts } from '../snapshot/component-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import { loadStateOf, saveStateOf, stateBytesOf, type StateParts } from '../snapshot/state-record.js';
// Referenced from the docs ({@link}) only.
import type { EntityPool } from './entity-pool.js';
import type { PoolQuery } from './pool-query.js';
import {
  DEFAULT_CAPACITY,
  componentStats,
  fullComponentError,
  resolvePoolComponentOptions,
  type ComponentLayout,
  type ComponentMembership,
  type PoolComponentOptions,
  type PoolComponentStats,
} from './pool-component-options.js';

export type {
  ComponentLayout,
  ComponentMembership,
  PoolComponentOptions,
  PoolComponentStats,
} from './pool-component-options.js';

/** Largest byte length of one column (V8's limit for a resizable `ArrayBuffer`'s `maxByteLength`). */
export { MAX_COLUMN_BYTES } from '../pool/column-buffer.js';

/**
 * A pool-backed component attached to one bitECS world. Construct with {@link definePoolComponent}.
 *
 * @typeParam S - the schema, for example `{ x: 'f32', y: 'f32', vel: ['f32', 2] }`.
 */
export class PoolComponent<S extends Schema> {
  // Fields set in the constructor are `declare`d, as in StructPool (bench/README.md, section
  // Pools, "Things that moved these figures").

  /** The world whose hooks this component listens to. */
  declare readonly world: World;
  /** Column layout. */
  declare readonly layout: ComponentLayout;
  /** Membership. */
  declare readonly membership: ComponentMembership;
  /** Hard limit (raw indices for `'entity'`, slots for `'slot'`). */
  declare readonly maxCapacity: number;
  /**
   * The columns, by field name: index with {@link indexOf} (or `indices[i]` while iterating).
   * The object and its typed arrays are stable: a growable component's columns are
   * length-tracking views resized in place (see the module doc), so a held column stays valid.
   */
  declare readonly fields: Columns<S>;
  /** The bitECS tag that anchors `'pool'` membership (the component itself for `'bitecs'`). */
  declare readonly anchor: object;
  /** The StructPool holding the data in the `'slot'` layout (`null` for `'entity'`). */
  declare readonly pool: StructPool<S> | null;

  /** Packed ids of the entities that have the component, `[0, count)`; see the iteration contract. */
  declare readonly entities: Int32Array;
  /** Column index of each packed entry (raw index or slot), `[0, count)`. */
  declare readonly indices: Int32Array;
  /** Number of entities that have the component. */
  count = 0;

  /** The world's entity index (bitECS `resetWorld` replaces it: see `resetAfterWorldReset`). */
  declare private index: BitecsEntityIndex;
  declare private readonly layouts: FieldLayout[];
  /** `'entity'` layout: each column's zeroing view and its stores per entity (`zeroViewOf`). */
  private readonly zeroViews: (Int32Array | Uint8Array)[] = [];
  private readonly zeroWords: number[] = [];
  // The private per-entity arrays are fixed Int32Arrays replaced on growth (bench/README.md,
  // section Pools, "Decision on growth").
  /** [raw] -> full entity id that has the component, 0 when none (bitECS ids start at 1). */
  declare private ownerOf: Int32Array;
  /** [raw] -> packed position in `entities`/`indices`. */
  declare private packedOf: Int32Array;
  /** `'pool'` membership: [raw] -> entity known to carry the anchor tag (skips a bitECS lookup). */
  declare private anchoredOf: Int32Array;
  declare private capacityValue: number;
  /** `'slot'` layout: `2^indexBits - 1` of the pool (`handle & slotMask` is the slot); else 0. */
  declare private readonly slotMask: number;
  private adds = 0;
  private removes = 0;
  private growths = 0;
  private readonly unsubscribe: (() => void)[] = [];
  /** `options.onRemove`, or null. */
  declare private readonly onRemoveCallback: ((eid: number, index: number) => void) | null;
  /** Entities whose `onRemove` callback is running, `removing[0..removingDepth)` (re-entrancy). */
  private readonly removing: number[] = [];
  private removingDepth = 0;

  /** Use {@link definePoolComponent}. */
  constructor(world: World, schema: S, options?: PoolComponentOptions) {
    this.index = entityIndexOf(world);
    const { layouts, layout, membership, capacity, maxCapacity, onRemove } = resolvePoolComponentOptions(
      schema,
      options,
    );
    this.layouts = layouts;
    this.layout = layout;
    this.membership = membership;
    this.maxCapacity = maxCapacity;
    this.onRemoveCallback = onRemove;
    this.world = world;
    this.capacityValue = capacity;
    const entityLimit = this.layout === 'entity' ? this.maxCapacity : this.index.entityMask + 1;
    const entityCapacity = this.layout === 'entity' ? capacity : Math.min(DEFAULT_CAPACITY, entityLimit);
    this.ownerOf = new Int32Array(entityCapacity);
    this.packedOf = new Int32Array(entityCapacity);
    this.anchoredOf = new Int32Array(entityCapacity);
    this.entities = makeColumnArray(Int32Array, capacity, this.maxCapacity);
    this.indices = makeColumnArray(Int32Array, capacity, this.maxCapacity);
    if (this.layout === 'slot') {
      // Slots never leave the component as handles, so wrapped generations are reused, not retired.
      this.pool = new StructPool(schema, { capacity, maxCapacity: this.maxCapacity, generationWrap: 'reuse' });
      this.fields = this.pool.fields as Columns<S>;
      this.slotMask = (2 ** this.pool.indexBits - 1) | 0;
    } else {
      this.pool = null;
      this.slotMask = 0;
      const columns = makeColumns(this.layouts, capacity, this.maxCapacity);
      this.fields = columns.fields as unknown as Columns<S>;
      this.zeroViews.push(...columns.zeroViews);
      this.zeroWords.push(...columns.zeroWords);
    }
    this.anchor = this.membership === 'bitecs' ? this : {};
    this.subscribe();
  }

  /** Capacity of the columns: raw indices (`'entity'`) or slots (`'slot'`). */
  get capacity(): number {
    return this.layout === 'slot' ? (this.pool as StructPool<S>).capacity : this.capacityValue;
  }

  /** Column index of `eid`'s data, or -1 when it lacks the component (or is not an id). O(1), never throws. */
  indexOf(eid: number): number {
    if (typeof eid !== 'number') return -1;
    const id = int32IdOf(eid);
    const raw = id & this.index.entityMask;
    if (raw >= this.ownerOf.length) return -1;
    const owner = this.ownerOf[raw]; // bitECS ids are int32 values (versions >= 128 are negative)
    if (owner === 0 || owner !== id) return -1;
    return this.indices[this.packedOf[raw]];
  }

  /**
   * Adds plus removes: strictly increasing, so it moves whenever membership or a column index
   * does; {@link PoolQuery} compares it to know when its cached join is stale. O(1).
   */
  get changeCount(): number {
    return this.adds + this.removes;
  }

  /** Whether `eid` (either id form) has the component. O(1), allocates nothing, never throws. */
  has(eid: number): boolean {
    return this.indexOf(eid) !== -1;
  }

  /**
   * Adds the component to a live entity and returns its column index (data zeroed). With
   * `'bitecs'` membership this calls bitECS `addComponent` (the hook takes the slot); with
   * `'pool'` it is O(1) and allocates nothing once the entity carries the anchor tag.
   * Already present: returns the existing index, data untouched.
   *
   * @throws TypeError when `eid` is not a number; RangeError when it is not a live entity of the world.
   * @throws OutOfMemoryError when full at `maxCapacity`; nothing changes (checked before bitECS).
   * @throws Error when called for `eid` from its own `onRemove` callback (nothing changes).
   */
  add(id: number): number {
    if (typeof id !== 'number') checkEntityId(id); // throws TypeError
    const eid = int32IdOf(id);
    const index = this.index;
    const raw = eid & index.entityMask;
    const owners = this.ownerOf;
    if (raw < owners.length && owners[raw] === eid && eid !== 0) {
      if (this.removingDepth > 0 && this.isRemoving(eid)) this.rejectAddDuringRemoval(eid);
      return this.indices[this.packedOf[raw]];
    }
    // Liveness, inlined from isEntityAlive (the raw key is kept right by createEntity/destroyEntity).
    const at = index.sparse[raw];
    if ((at === undefined || at >= index.aliveCount || index.dense[at] !== eid) && !isEntityAlive(this.world, eid)) {
      checkEntityId(eid);
      throw new RangeError(`eid must be a live entity of this world, got ${eid}`);
    }
    this.reserveFor(eid);
    if (this.membership === 'bitecs') {
      addComponent(this.world, eid, this);
      // bitECS tells no hook about a prefab's components (it keeps prefabs out of queries).
      if (this.indexOf(eid) === -1 && this.ownerOf[raw] !== eid) this.attach(eid);
      return this.indexOf(eid);
    }
    if (this.anchoredOf[raw] !== eid) {
      if (!hasComponent(this.world, eid, this.anchor)) addComponent(this.world, eid, this.anchor);
      this.anchoredOf[raw] = eid;
    }
    this.attachReserved(eid, raw);
    return this.indices[this.packedOf[raw]];
  }

  /**
   * Removes the component from `eid`, freeing its slot (O(1)); returns whether it was present
   * (false also when its removal is already under way: a call from its own `onRemove` callback).
   * With `'bitecs'` membership this calls bitECS `removeComponent` (the hook frees the slot).
   * `options.onRemove` runs first. Allocates nothing with `'pool'` membership.
   *
   * @throws TypeError when `eid` is not a number; RangeError when it is not an integer in
   *   `[-2^31, 2^32 - 1]` (a dead or stale id returns false).
   */
  remove(id: number): boolean {
    if (typeof id !== 'number' || !Number.isInteger(id)) checkEntityId(id);
    const eid = int32IdOf(id);
    const raw = eid & this.index.entityMask;
    if (raw >= this.ownerOf.length || this.ownerOf[raw] !== eid || eid === 0) {
      checkEntityId(eid);
      return false;
    }
    if (this.removingDepth > 0 && this.isRemoving(eid)) return false;
    if (this.membership === 'bitecs') {
      removeComponent(this.world, eid, this);
      // A prefab's removal reaches no hook (see add): free its slot here.
      if (this.ownerOf[raw] === eid) this.detach(eid);
    } else {
      this.detachOwned(eid, raw);
    }
    return true;
  }

  /**
   * {@link EntityPool.spawn}'s `add` for a live entity with raw index `raw`: skips the liveness
   * check and the anchor lookup when it carries the anchor already; else `add`. O(fields).
   * @internal
   */
  attachLive(eid: number, raw: number): void {
    const anchored = this.anchoredOf;
    if (raw >= anchored.length || anchored[raw] !== eid || this.ownerOf[raw] === eid || this.membership !== 'pool') {
      this.add(eid);
      return;
    }
    // anchoredOf covers raw, so an 'entity' column does too (per-entity arrays share capacity).
    const pool = this.pool;
    if (pool !== null && pool.size >= this.maxCapacity) this.reserveFor(eid); // throws OutOfMemoryError
    this.attachReserved(eid, raw);
  }

  /**
   * `null` when the component can take an entity with raw index `raw`, else the
   * `OutOfMemoryError` adding it would throw (not thrown). O(1). @internal For `EntityPool.spawn`.
   */
  roomFor(raw: number): OutOfMemoryError | null {
    if (this.layout === 'entity') {
      return raw < this.maxCapacity ? null : fullComponentError(this, raw);
    }
    return (this.pool as StructPool<S>).size < this.maxCapacity ? null : fullComponentError(this, raw);
  }

  /**
   * Raises the capacity of every column and per-entity array together (test 'E6'). O(capacity).
   *
   * @throws RangeError when `capacity` is not an integer in `[1, maxCapacity]`.
   */
  reserve(capacity: number): void {
    checkInteger('capacity', capacity, 1, this.maxCapacity);
    if (this.layout === 'entity') {
      this.growEntity(capacity - 1);
    } else {
      const pool = this.pool as StructPool<S>;
      if (capacity > pool.capacity) pool.reserve(capacity);
      if (this.entities.length < capacity) this.growPacked(capacity);
    }
  }

  /**
   * Removes the component from every entity (O(count)). `'bitecs'` membership: through bitECS
   * `removeComponent`, so queries and hooks agree. Slots are freed, so their generations advance.
   * Each removal counts in `stats().removes` (counters are never reset). When an `onRemove`
   * callback throws, every removal still happens and the first error propagates afterwards.
   */
  clear(): void {
    const failure = this.forEachEntity((eid) => this.remove(eid));
    if (failure !== null) throw failure;
  }

  /**
   * Calls `f` on each entity that has the component, last packed first, going on when one throws
   * or removes others; returns the first error (or null). O(count).
   */
  private forEachEntity(f: (eid: number) => unknown): unknown {
    let failure: unknown = null;
    for (let i = this.count - 1; i >= 0; i = Math.min(i, this.count) - 1) {
      try {
        f(this.entities[i]);
      } catch (error) {
        failure ??= error;
      }
    }
    return failure;
  }

  /**
   * Forgets every entity without telling bitECS, right after bitECS `resetWorld` (or
   * `clearWorld`): calls `options.onRemove` for each (the first error propagates once all are
   * forgotten), frees every slot, re-subscribes the hooks, and in a versioned world carries the
   * ids over (see `clearWorld`), so an id from before is dead once its raw index is reused: call
   * it before creating entities in the reset world. O(count + ids ever issued).
   */
  resetAfterWorldReset(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe.length = 0;
    const failure = this.forEachEntity((eid) => this.detach(eid));
    this.anchoredOf.fill(0);
    this.index = carryVersionsAcrossReset(this.world, this.index);
    this.subscribe();
    if (failure !== null) throw failure;
  }

  /** Whether bitECS `resetWorld` replaced the index since `resetAfterWorldReset`. O(1). @internal */
  get followsStaleIndex(): boolean {
    return entityIndexOf(this.world) !== this.index;
  }

  /** Unsubscribes the hooks. The component no longer follows the world. */
  dispose(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe.length = 0;
  }

  /** Counters, O(1); allocates the returned object. */
  stats(): PoolComponentStats {
    return componentStats(this as unknown as PoolComponent<Schema>);
  }

  /**
   * Validates every invariant in O(count + entityCapacity + live entities); what it checks is
   * listed on `checkPoolComponent` (`pool-component-check.ts`).
   *
   * @throws CorruptionError listing every violation found.
   */
  check(): void {
    checkPoolComponent(this as unknown as PoolComponent<Schema>);
  }

  /** Bytes `saveState` writes now (layout: `src/snapshot/component-state.ts`). O(1). */
  get stateBytes(): number {
    return stateBytesOf(this[STATE_PARTS]());
  }

  /** Writes the whole state into `into` from `at` (see `Snapshotable`); bytes written. O(capacity). */
  saveState(into: Uint8Array, at = 0): number {
    return saveStateOf(this[STATE_PARTS](), into, at);
  }

  /** Loads a state `saveState` wrote; bytes read. @throws SnapshotError: see `src/snapshot/component-state.ts`. */
  loadState(from: Uint8Array, at = 0): number {
    return loadStateOf(this[STATE_PARTS](), from, at, null);
  }

  /** @internal The component's state layout (`src/snapshot/component-state.ts`). */
  [STATE_PARTS](): StateParts {
    return componentStateParts(this as unknown as PoolComponent<Schema>);
  }

  private subscribe(): void {
    const world = this.world;
    if (this.membership === 'bitecs') {
      this.unsubscribe.push(observe(world, onAdd(this), (eid: number) => this.attach(eid)));
    }
    this.unsubscribe.push(
      observe(world, onRemove(this.anchor), (eid: number) => {
        const raw = eid & this.index.entityMask;
        if (raw < this.anchoredOf.length && this.anchoredOf[raw] === eid) this.anchoredOf[raw] = 0;
        this.detach(eid);
      }),
      ...observeRecords(world, this, this.layouts),
      onPrefabRemoved(world, (eid: number) => this.detach(eid)),
    );
  }

  /** Makes room for `eid` or throws OutOfMemoryError; changes nothing observable on throw. */
  private reserveFor(eid: number): void {
    const raw = eid & this.index.entityMask;
    const full = this.roomFor(raw);
    if (full !== null) throw full;
    if (this.layout === 'entity') {
      if (raw >= this.ownerOf.length) this.growEntity(raw);
    } else if (raw >= this.ownerOf.length) {
      let length = this.ownerOf.length; // slot layout: the id -> slot map covers `raw`, doubling
      while (length <= raw) length *= 2;
      this.growPerEntity(Math.min(length, this.index.entityMask + 1));
      this.growths++;
    }
  }

  /** Records that `eid` has the component (onAdd hook): takes a slot unless it has one. */
  private attach(eid: number): void {
    const raw = eid & this.index.entityMask;
    if (raw < this.ownerOf.length && this.ownerOf[raw] === (eid | 0)) {
      if (this.removingDepth > 0 && this.isRemoving(eid | 0)) this.rejectAddDuringRemoval(eid);
      return;
    }
    this.reserveFor(eid);
    this.attachReserved(eid, raw);
  }

  /** Takes a slot for `eid`, which has none and for which `reserveFor` has made room. O(fields). */
  private attachReserved(eid: number, raw: number): void {
    let at: number;
    if (this.layout === 'entity') {
      at = raw;
      const views = this.zeroViews;
      const words = this.zeroWords;
      for (let k = 0; k < views.length; k++) {
        const view = views[k];
        const n = words[k];
        if (n === 1) view[raw] = 0;
        else for (let j = raw * n, end = j + n; j < end; j++) view[j] = 0;
      }
    } else {
      const pool = this.pool as StructPool<S>;
      at = pool.alloc() & this.slotMask; // a fresh handle is live: no slotOf; StructPool zeroes the slot
      if (this.entities.length < pool.capacity) this.growPacked(pool.capacity);
    }
    const n = this.count;
    this.entities[n] = eid;
    this.indices[n] = at;
    this.ownerOf[raw] = eid;
    this.packedOf[raw] = n;
    this.count = n + 1;
    this.adds++;
  }

  /**
   * Forgets that `eid` has the component: frees its slot, swap-removes its packed entry. A no-op
   * for an entity whose `onRemove` callback is running (the outer removal frees it).
   */
  private detach(eid: number): void {
    const raw = eid & this.index.entityMask;
    if (raw >= this.ownerOf.length || this.ownerOf[raw] !== (eid | 0)) return;
    if (this.removingDepth > 0 && this.isRemoving(eid | 0)) return;
    this.detachOwned(eid, raw);
  }

  /**
   * `detach` of an `eid` known to own `raw`: runs `options.onRemove`, then frees (also when it
   * throws). While it runs, `eid` is marked removing: a nested `remove(eid)` or hook is a no-op, a
   * nested `add(eid)` throws, and with `'bitecs'` membership so does `destroyEntity(eid)`. O(1).
   */
  private detachOwned(eid: number, raw: number): void {
    const callback = this.onRemoveCallback;
    if (callback === null) {
      this.freeOwned(eid, raw);
      return;
    }
    const bitecs = this.membership === 'bitecs';
    this.removing[this.removingDepth++] = eid | 0;
    if (bitecs) enterRemoval(this.world, eid | 0);
    try {
      callback(eid, this.indices[this.packedOf[raw]]);
    } finally {
      this.removingDepth--;
      if (bitecs) leaveRemoval();
      this.freeOwned(eid, raw);
    }
  }

  /** Whether `eid`'s `onRemove` callback is running. O(depth), 1 in practice. */
  private isRemoving(eid: number): boolean {
    for (let i = 0; i < this.removingDepth; i++) if (this.removing[i] === eid) return true;
    return false;
  }

  /** The error of an add of `eid` from its own `onRemove` callback. Cold path. */
  private rejectAddDuringRemoval(eid: number): never {
    throw new Error(
      `PoolComponent.add: entity ${eid} is losing this component (called from its onRemove callback); add it after the callback returns`,
    );
  }

  /** Frees the slot of an `eid` known to own `raw` and swap-removes its packed entry. O(1). */
  private freeOwned(_eid: number, raw: number): void {
    const at = this.packedOf[raw];
    if (this.layout === 'slot') {
      const pool = this.pool as StructPool<S>;
      pool.freeSlot(this.indices[at]); // one validation (free's), not handleOf's too
    }
    const last = this.count - 1;
    if (at !== last) {
      const moved = this.entities[last];
      this.entities[at] = moved;
      this.indices[at] = this.indices[last];
      this.packedOf[moved & this.index.entityMask] = at;
    }
    this.ownerOf[raw] = 0;
    this.count = last;
    this.removes++;
  }

  /** Entity layout: grows columns and per-entity arrays together to cover `raw` (doubling). */
  private growEntity(raw: number): void {
    let capacity = this.capacityValue;
    while (capacity <= raw) capacity = Math.min(capacity * 2, this.maxCapacity);
    if (capacity === this.capacityValue) return;
    const fields = this.fields as Record<string, AnyTypedArray>;
    for (const f of this.layouts) growColumnArray(fields[f.name], capacity * f.elementsPerSlot);
    this.growPerEntity(capacity);
    this.growPacked(capacity);
    this.capacityValue = capacity;
    this.growths++;
  }

  /** Replaces the per-entity arrays by copies of `length` elements (new entries read 0). */
  private growPerEntity(length: number): void {
    if (this.ownerOf.length >= length) return;
    this.ownerOf = grownCopy(this.ownerOf, length);
    this.packedOf = grownCopy(this.packedOf, length);
    this.anchoredOf = grownCopy(this.anchoredOf, length);
  }

  private growPacked(length: number): void {
    growColumnArray(this.entities, length);
    growColumnArray(this.indices, length);
  }
}

/**
 * Defines a pool-backed component on `world` and subscribes its hooks. Construction allocates;
 * adds and removes afterwards are O(1) amortized (doubling growth).
 *
 * @param world - a bitECS 0.4 world (`createWorld()`, versioned or not).
 * @param schema - field name to kind (`'f32'`...) or `[kind, n]`; see `src/pool/schema.ts`.
 * @param options - {@link PoolComponentOptions}.
 * @throws TypeError for a non-world, a bad schema or an unknown option; RangeError for a
 *   capacity out of `[1, maxCapacity]` or a layout/membership not in its set.
 */
export function definePoolComponent<S extends Schema>(
  world: World,
  schema: S,
  options?: PoolComponentOptions,
): PoolComponent<S> {
  return new PoolComponent(world, schema, options);
}
