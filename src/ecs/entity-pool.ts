/**
 * Garbage-free entity churn for bitECS 0.4: recycle entities through a pool instead of removing
 * them.
 *
 * bitECS 0.4.0's own `addEntity` allocates a `Set` per entity and `removeEntity` allocates a queue
 * array, a `Set` and closures on every call: 500 creates and removes per frame cost about 60 minor
 * GCs per 1,000 frames on our machine (figures in `bench/README.md`, section ecs). An
 * {@link EntityPool} creates a bitECS entity only when no parked one is left, and afterwards
 * `spawn`/`despawn` only move entities between a live set (a {@link StructPool} of slots) and a
 * stack of parked entities and add/remove their `'pool'`-membership components, all O(1)
 * typed-array writes: steady-state churn allocates nothing.
 *
 * The trade, stated plainly:
 * - A despawned entity stays alive in the bitECS world, parked: bitECS `entityExists` says true
 *   and bitECS queries over tags given in `tags` still match it. Systems find live pooled
 *   entities through the pool (`dense`/`entityOfSlot`) or through the `'pool'`-membership
 *   components listed in `components` (removed on despawn, added zeroed on spawn).
 * - A respawned entity may get back a bitECS id it had before, so a stored id cannot tell an old
 *   life from a new one. Store the pool handle ({@link EntityPool.handleOf}) instead: it is a
 *   {@link StructPool} handle, so **once despawned it is never live again** (the slot pool reuses
 *   slots first in, first out and retires a slot whose generation would wrap; with the default
 *   `maxCapacity` of 2^20, 11 generation bits, the pool retires one slot per 2,047 despawns: see
 *   StructPool's docs), and {@link EntityPool.entityOf} returns -1 for it (tested by 'handles go
 *   stale' in `test/ecs/entity-pool.test.ts`).
 * - Memory is held at the pool's peak population: parked entities are reused last in, first out
 *   (call `dispose()` to really remove them).
 * - A bare bitECS `removeEntity` on a pooled entity (live or parked) is safe: a private tag's
 *   `onRemove` hook despawns it and forgets it. (In a versioned world prefer `destroyEntity`:
 *   bitECS 0.4.0's own `removeEntity` can skip an entity that an earlier bare removal moved in its
 *   index; see `entity-ids.ts`.)
 * - Clearing the world (bitECS `resetWorld` or `clearWorld`) kills every pooled entity: call
 *   {@link EntityPool.resetAfterWorldReset} (the next `spawn` also notices and does it), which
 *   frees every slot, so every handle taken before the clear is stale for good.
 * - Snapshots (`saveState` / `loadState`, a `SnapshotRing`): save the pool with its components;
 *   a load restores live entities, handles and the parked order, and is refused while the pool's
 *   set of entities differs from the saved one (see `src/snapshot/entity-pool-state.ts`). For
 *   rollback, spawn and despawn the peak population once at start-up.
 *
 * Callbacks that re-enter (a component's `onRemove`, a bitECS observer on a tag): they may spawn
 * and despawn other entities. Despawning the entity being despawned is a no-op (`false`);
 * despawning the entity being spawned, or clearing the world's pools from inside, throws an
 * `Error` at once. A `spawn` that throws (a full component, a throwing observer) undoes what it
 * did: components attached are removed, the slot is freed, an entity it created is removed from
 * the world. A `despawn` always completes, and a callback's error propagates after it.
 *
 * Iteration contract: as {@link StructPool.dense}: iterate `dense[0..size)` backward; despawning
 * the current entity visits every entity live at the start exactly once.
 *
 * Source: object pooling (Nystrom, *Game Programming Patterns*, "Object Pool"), applied to ECS
 * entities; the slots are a {@link StructPool}.
 *
 * @module
 */
import { $internal, addComponent, observe, onRemove, type World } from 'bitecs';
import * as errors from '../errors.js';
import { OutOfMemoryError, checkInteger, checkOptions, describeValue } from '../errors.js';
import { grownCopy } from '../pool/column-buffer.js';
import { HANDLE_LIMIT, MAX_POOL_CAPACITY } from '../pool/handle.js';
import { StructPool } from '../pool/struct-pool.js';
import {
  carryVersionsAcrossReset,
  checkEntityId,
  createEntity,
  destroyEntity,
  entityIndexOf,
  int32IdOf,
  nextRawIndex,
  type BitecsEntityIndex,
} from './entity-ids.js';
import { checkEntityPool } from './entity-pool-check.js';
import type { PoolComponent } from './pool-component.js';
import { entityPoolStateParts } from '../snapshot/entity-pool-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import { loadStateOf, saveStateOf, stateBytesOf, type StateParts } from '../snapshot/state-record.js';
import type { Schema } from '../pool/schema.js';

/**
 * Module-local copy of `NULL_HANDLE` for `spawn`/`despawn`/`handleOf`: reading an imported binding
 * on a hot path measured slower (bench/README.md, section Arenas, "Module bindings on hot paths").
 */
const { NULL_HANDLE } = errors;

/** Options of {@link EntityPool}. */
export interface EntityPoolOptions {
  /** `'pool'`-membership components every spawned entity gets (zeroed), removed on despawn. */
  components?: readonly PoolComponent<Schema>[];
  /** bitECS components or tags added once when the entity is first created; never removed. */
  tags?: readonly object[];
  /** Slots reserved at construction (entities are created lazily). Default 1024. */
  capacity?: number;
  /** Most live entities; `spawn` beyond it throws OutOfMemoryError naming it. Default 2^20. */
  maxCapacity?: number;
}

const OPTION_KEYS = ['components', 'tags', 'capacity', 'maxCapacity'] as const;

/** `handleOfSlot` value while the slot's entity is being spawned (its components attached). */
const SPAWNING = -2;

/** A pool of recycled bitECS entities. See the module documentation for the trade. */
export class EntityPool {
  // Fields set in the constructor are `declare`d, as in StructPool (bench/README.md, section
  // Pools, "Things that moved these figures").

  /** The bitECS world the entities live in. */
  declare readonly world: World;
  /**
   * Live slots in `dense[0..size)`; a slot's entity is `entityOfSlot[slot]` (the pool's one
   * `eid` column is never written, as a StructPool needs a field; `zeroOnAlloc` is off).
   */
  declare readonly slots: StructPool<{ eid: 'i32' }>;
  declare private readonly components: readonly PoolComponent<Schema>[];
  declare private readonly tags: readonly object[];
  /** The world's entity index (bitECS `resetWorld` replaces it: see `resetAfterWorldReset`). */
  declare private index: BitecsEntityIndex;
  /** The world's bitECS context, whose `entityIndex` `spawn` compares with `index`. */
  declare private readonly context: { entityIndex: BitecsEntityIndex };
  /** Unsubscribes the anchor's `onRemove` hook. */
  declare private unsubscribe: () => void;
  /**
   * [raw entity index] -> where the entity this pool created lives: `slot + 1` (live),
   * `-(position + 1)` (parked at `parked[position]`), 0 (not this pool's).
   */
  declare private slotOfRaw: Int32Array;
  /** [slot] -> live handle of the slot, `NULL_HANDLE` when free or despawning, `SPAWNING`. */
  declare private handleOfSlot: Int32Array;
  /** [slot] -> the bitECS entity of a live slot (0: free). */
  declare private eidOfSlot: Int32Array;
  /** Parked entities, `parked[0..parkedCount)`: a stack (the last parked is spawned first). */
  declare private parked: Int32Array;
  declare private parkedCount: number;
  declare private created: number;
  /** spawn / despawn calls in progress (a callback inside one must not reset the pool). */
  declare private busy: number;
  /**
   * `2^indexBits - 1` of the slot pool: `handle & slotMask` is the slot. Handles are integers in
   * `[0, 2^31)`, so the 32-bit AND is exact (not `%`: bench/README.md, section Pools).
   */
  declare private readonly slotMask: number;
  /**
   * A private bitECS tag on every entity this pool created. Its `onRemove` hook runs when a bare
   * bitECS `removeEntity` (or `destroyEntity`) removes one behind the pool's back: the entity is
   * despawned if live and forgotten, so `spawn` never has to check liveness with bitECS.
   */
  declare private readonly anchor: object;

  /**
   * @param world - a bitECS 0.4 world.
   * @param options - {@link EntityPoolOptions}.
   * @throws TypeError for a non-world, an unknown option, `components`/`tags` that are not arrays
   *   (of objects), or a component with `'bitecs'` membership or from another world; RangeError
   *   for bad capacities.
   */
  constructor(world: World, options?: EntityPoolOptions) {
    this.index = entityIndexOf(world);
    this.context = (world as unknown as { [$internal]: { entityIndex: BitecsEntityIndex } })[$internal];
    const opts = checkOptions('options', options, OPTION_KEYS);
    const maxCapacity = checkInteger('options.maxCapacity', opts.maxCapacity ?? 2 ** 20, 1, MAX_POOL_CAPACITY);
    const capacity = checkInteger('options.capacity', opts.capacity ?? Math.min(1024, maxCapacity), 1, maxCapacity);
    if (opts.components !== undefined && !Array.isArray(opts.components)) {
      throw new TypeError(
        `options.components must be an array of PoolComponents, got ${describeValue(opts.components)}`,
      );
    }
    if (opts.tags !== undefined && !Array.isArray(opts.tags)) {
      throw new TypeError(`options.tags must be an array of bitECS components, got ${describeValue(opts.tags)}`);
    }
    for (const tag of opts.tags ?? []) {
      if (tag === null || (typeof tag !== 'object' && typeof tag !== 'function')) {
        throw new TypeError(`options.tags: each must be a bitECS component (an object), got ${describeValue(tag)}`);
      }
    }
    this.components = opts.components ?? [];
    for (const c of this.components) {
      if (c === null || typeof c !== 'object' || c.world !== world || c.membership !== 'pool') {
        throw new TypeError("options.components: each must be a PoolComponent of this world with membership 'pool'");
      }
    }
    this.tags = opts.tags ?? [];
    this.world = world;
    // The binding lives in eidOfSlot; the `eid` column is unused (zeroOnAlloc off: never touched).
    this.slots = new StructPool({ eid: 'i32' }, { capacity, maxCapacity, zeroOnAlloc: false });
    this.slotMask = (2 ** this.slots.indexBits - 1) | 0;
    this.slotOfRaw = new Int32Array(1024);
    this.handleOfSlot = new Int32Array(capacity).fill(NULL_HANDLE);
    this.eidOfSlot = new Int32Array(capacity);
    this.parked = new Int32Array(capacity);
    this.parkedCount = 0;
    this.created = 0;
    this.busy = 0;
    this.anchor = {};
    this.unsubscribe = observe(world, onRemove(this.anchor), (eid: number) => this.unbind(eid));
  }

  /** Live pooled entities. */
  get size(): number {
    return this.slots.size;
  }

  /** Live slots packed in `dense[0..size)`: iterate backward (see the module doc). */
  get dense(): Int32Array {
    return this.slots.dense;
  }

  /** [slot] -> bitECS entity id of the live slot (0: free). Read-only to callers. */
  get entityOfSlot(): Int32Array {
    return this.eidOfSlot;
  }

  /** bitECS entities this pool has created and not removed: live plus parked (its peak population). */
  get createdCount(): number {
    return this.created;
  }

  /** Parked entities: created, despawned, waiting in the world for the next `spawn`. */
  get parkedEntities(): number {
    return this.parkedCount;
  }

  /**
   * Takes the most recently parked entity (or creates one when none is parked) and gives it each
   * of `components`, zeroed. O(components); allocates nothing while a parked entity is left.
   * After a bitECS `resetWorld` it first runs {@link EntityPool.resetAfterWorldReset}.
   *
   * @returns the entity id.
   * @throws OutOfMemoryError when `maxCapacity` entities are live (naming `maxCapacity`), or when
   *   a component is full (naming its `maxCapacity`); checked before anything changes.
   * @throws whatever a bitECS observer throws while the entity is created or its components are
   *   added; the spawn is undone (components removed, slot freed, a new entity removed again).
   * @throws Error when a callback removed the entity from the world during its own spawn.
   */
  spawn(): number {
    if (this.context.entityIndex !== this.index) this.resetAfterWorldReset();
    const slots = this.slots;
    const h = slots.tryAlloc();
    if (h === NULL_HANDLE) {
      throw new OutOfMemoryError(
        `EntityPool is full: all ${slots.maxCapacity} entities are live${slots.retiredSlots > 0 ? ` or retired (${slots.retiredSlots} slots retired: see StructPool's docs)` : ''}; raise options.maxCapacity`,
        1,
        'slots',
        slots.stats(),
      );
    }
    // A fresh handle from tryAlloc is live: take its slot bits without slotOf's validation.
    const slot = h & this.slotMask;
    if (slot >= this.eidOfSlot.length) this.growSlotArrays();
    const fresh = this.parkedCount === 0;
    let eid = fresh ? 0 : this.parked[this.parkedCount - 1];
    const raw = fresh ? nextRawIndex(this.index) : eid & this.index.entityMask;
    const components = this.components;
    for (let i = 0; i < components.length; i++) {
      const full = components[i].roomFor(raw);
      if (full !== null) {
        slots.free(h);
        throw full;
      }
    }
    this.handleOfSlot[slot] = SPAWNING;
    this.busy++;
    let added = 0;
    try {
      if (fresh) {
        eid = this.createBound(slot);
      } else {
        this.parkedCount--;
        this.eidOfSlot[slot] = eid;
        this.slotOfRaw[raw] = slot + 1;
      }
      for (; added < components.length; added++) {
        components[added].attachLive(eid, raw);
        if (this.eidOfSlot[slot] !== eid) break; // removed from the world by a callback
      }
    } catch (error) {
      this.undoSpawn(h, slot, eid, fresh, added);
      this.busy--;
      throw error;
    }
    this.busy--;
    if (this.eidOfSlot[slot] !== eid) {
      this.undoSpawn(h, slot, eid, false, added);
      throw new Error(`EntityPool.spawn: entity ${eid} was removed from the world by a callback during its spawn`);
    }
    this.handleOfSlot[slot] = h;
    return eid;
  }

  /**
   * Parks a live pooled entity: removes its `components` (freeing their slots) and frees its pool
   * slot, so its handle is dead for good. O(components), allocates nothing. Removal always
   * completes: when a component's `onRemove` callback throws, the rest is still done and the first
   * error propagates afterwards.
   *
   * @returns false when `eid` is not a live entity of this pool (ignored, like bitECS
   *   `removeEntity`), also when it is being despawned already (a callback re-entering).
   * @throws TypeError when `eid` is not a number; RangeError when it is not an integer in
   *   `[-2^31, 2^32 - 1]`; Error when `eid` is being spawned (a callback inside its spawn).
   */
  despawn(eid: number): boolean {
    const h = this.handleOf(eid);
    if (h === NULL_HANDLE) {
      checkEntityId(eid);
      if (this.stateOf(eid) === SPAWNING) {
        throw new Error(`EntityPool.despawn: entity ${eid} is being spawned (called from a callback inside its spawn)`);
      }
      return false;
    }
    const id = int32IdOf(eid);
    const slot = h & this.slotMask;
    this.handleOfSlot[slot] = NULL_HANDLE; // despawning: a nested despawn(eid) is a no-op
    this.busy++;
    let failure: unknown = null;
    const components = this.components;
    for (let i = 0; i < components.length; i++) {
      try {
        components[i].remove(id);
      } catch (error) {
        failure ??= error;
      }
    }
    this.busy--;
    const bound = this.eidOfSlot[slot] === id; // false when a callback removed it from the world
    this.eidOfSlot[slot] = 0;
    this.slots.free(h);
    if (bound) this.park(id);
    if (failure !== null) throw failure;
    return true;
  }

  /**
   * The pool handle of a live pooled entity (generation-tagged; store it: once the entity is
   * despawned it never validates again), or `NULL_HANDLE` (-1; also for a non-number, a stale or
   * parked id, or an entity being spawned or despawned). O(1), allocates nothing, never throws.
   */
  handleOf(eid: number): number {
    if (typeof eid !== 'number') return NULL_HANDLE;
    const id = int32IdOf(eid); // a uint32-form id names the same entity
    const raw = id & this.index.entityMask;
    if (raw >= this.slotOfRaw.length) return NULL_HANDLE;
    const slot = this.slotOfRaw[raw] - 1;
    if (slot < 0 || this.eidOfSlot[slot] !== id) return NULL_HANDLE;
    const h = this.handleOfSlot[slot];
    return h < 0 ? NULL_HANDLE : h;
  }

  /**
   * The entity of a live handle, or -1 when the handle is stale (despawned since, or taken before
   * the world was cleared): once -1, always -1 for that handle. O(1), allocates nothing.
   *
   * @throws TypeError when `handle` is not a number; RangeError when it is not an integer in
   *   `[-1, 2^31)` (the handle range; -1 is the "none" value and returns -1).
   */
  entityOf(handle: number): number {
    if (!this.slots.isAlive(handle) || this.handleOfSlot[handle & this.slotMask] !== handle) {
      checkInteger('handle', handle, -1, HANDLE_LIMIT - 1);
      return -1;
    }
    // A live handle: take its slot bits without slotOf's validation (as spawn does).
    return this.eidOfSlot[handle & this.slotMask];
  }

  /** Whether `eid` is a live (spawned, not despawned) entity of this pool. O(1), never throws. */
  isLive(eid: number): boolean {
    return this.handleOf(eid) !== NULL_HANDLE;
  }

  /**
   * Despawns every live entity (O(size)); their handles are dead for good. Entities a callback
   * spawns meanwhile stay live. A callback's error propagates after every entity is despawned.
   */
  clear(): void {
    let failure: unknown = null;
    const slots = this.slots;
    for (let i = slots.size - 1; i >= 0; i = Math.min(i, slots.size) - 1) {
      const slot = slots.dense[i];
      if (this.handleOfSlot[slot] < 0) continue; // being spawned or despawned by an outer call
      try {
        this.despawn(this.eidOfSlot[slot]);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  }

  /**
   * Forgets every entity after bitECS `resetWorld` (or `clearWorld`), which removed them all
   * without running hooks: frees every live slot (so every handle taken before the clear is dead,
   * for good), forgets every parked entity (the next spawns create new ones), re-subscribes the
   * removal hook to the reset world and carries a versioned world's ids over (see `clearWorld`).
   * Components of this pool that still follow the old index are reset too
   * (`PoolComponent.resetAfterWorldReset`). Does nothing when the world was not reset since the
   * last call (idempotent); `spawn` calls it when it sees the world was reset. O(capacity);
   * allocates.
   *
   * @throws Error when called from a callback inside this pool's spawn or despawn (nothing changes).
   */
  resetAfterWorldReset(): void {
    if (this.context.entityIndex === this.index) return;
    this.rejectIfBusy('resetAfterWorldReset');
    this.unsubscribe();
    const slots = this.slots;
    for (let i = slots.size - 1; i >= 0; i--) slots.free(slots.handleOf(slots.dense[i]));
    this.handleOfSlot.fill(NULL_HANDLE);
    this.eidOfSlot.fill(0);
    this.slotOfRaw.fill(0);
    this.parkedCount = 0;
    this.created = 0;
    this.index = carryVersionsAcrossReset(this.world, this.index);
    for (const c of this.components) if (c.followsStaleIndex) c.resetAfterWorldReset();
    this.unsubscribe = observe(this.world, onRemove(this.anchor), (eid: number) => this.unbind(eid));
  }

  /**
   * Despawns everything and really removes every created entity from the world (allocates). The
   * pool stays usable (its next spawns create new entities); its removal hook stays subscribed
   * to the world for as long as the world lives.
   *
   * @throws Error when called from a callback inside this pool's spawn or despawn (nothing changes).
   */
  dispose(): void {
    this.rejectIfBusy('dispose');
    this.clear();
    while (this.parkedCount > 0) {
      const eid = this.parked[this.parkedCount - 1];
      destroyEntity(this.world, eid); // the anchor hook forgets it
      if (this.parkedCount > 0 && this.parked[this.parkedCount - 1] === eid) this.forgetParked(eid);
    }
  }

  /**
   * Validates in O(capacity + parked): the slot pool's own check; every live slot's entity is
   * alive in the world, maps back to its slot, has the slot's live handle and every pooled
   * component; every parked entity is alive, maps back to its stack position and has none;
   * `createdCount` is live plus parked.
   *
   * @throws CorruptionError listing every violation found.
   */
  check(): void {
    checkEntityPool(this);
  }

  /** Bytes `saveState` writes now (layout: `src/snapshot/entity-pool-state.ts`). O(1). */
  get stateBytes(): number {
    return stateBytesOf(this[STATE_PARTS]());
  }

  /** Writes the whole state into `into` from `at` (see `Snapshotable`); bytes written. O(capacity). */
  saveState(into: Uint8Array, at = 0): number {
    return saveStateOf(this[STATE_PARTS](), into, at);
  }

  /** Loads a state `saveState` wrote; bytes read. @throws SnapshotError: see `src/snapshot/entity-pool-state.ts`. */
  loadState(from: Uint8Array, at = 0): number {
    return loadStateOf(this[STATE_PARTS](), from, at, null);
  }

  /** @internal The pool's state layout (`src/snapshot/entity-pool-state.ts`). */
  [STATE_PARTS](): StateParts {
    return entityPoolStateParts(this);
  }

  /** `handleOfSlot` of `eid`'s slot when `eid` is bound to one (`SPAWNING`, a handle, -1), else -1. */
  private stateOf(eid: number): number {
    if (typeof eid !== 'number') return NULL_HANDLE;
    const id = int32IdOf(eid);
    const raw = id & this.index.entityMask;
    if (raw >= this.slotOfRaw.length) return NULL_HANDLE;
    const slot = this.slotOfRaw[raw] - 1;
    return slot >= 0 && this.eidOfSlot[slot] === id ? this.handleOfSlot[slot] : NULL_HANDLE;
  }

  /** Pushes a despawned, still existing entity onto the parked stack. */
  private park(eid: number): void {
    if (this.parkedCount === this.parked.length) this.parked = grownCopy(this.parked, this.parked.length * 2);
    this.parked[this.parkedCount] = eid;
    this.slotOfRaw[eid & this.index.entityMask] = -(this.parkedCount + 1);
    this.parkedCount++;
  }

  /** Removes a parked entity from the stack (it left the world). O(1). */
  private forgetParked(eid: number): void {
    const raw = eid & this.index.entityMask;
    const at = -this.slotOfRaw[raw] - 1;
    const last = this.parkedCount - 1;
    const moved = this.parked[last];
    this.parked[at] = moved;
    this.slotOfRaw[moved & this.index.entityMask] = -(at + 1);
    this.slotOfRaw[raw] = 0;
    this.parkedCount = last;
    this.created--;
  }

  /**
   * Undoes a spawn that threw: removes the components attached (`0..added`, and the one that
   * threw), frees the slot, and parks the entity again, or removes it from the world when the
   * spawn created it (`fresh`) or a callback already did.
   */
  private undoSpawn(h: number, slot: number, eid: number, fresh: boolean, added: number): void {
    const bound = eid !== 0 && this.eidOfSlot[slot] === eid;
    for (let i = 0; i <= added && i < this.components.length; i++) {
      try {
        if (bound) this.components[i].remove(eid);
      } catch {
        // The removal completed; the spawn's own error is the one to report.
      }
    }
    this.handleOfSlot[slot] = NULL_HANDLE;
    this.eidOfSlot[slot] = 0;
    if (this.slots.isAlive(h)) this.slots.free(h);
    if (!bound) return;
    this.park(eid);
    if (fresh) destroyEntity(this.world, eid); // the anchor hook forgets it
  }

  /**
   * The anchor's `onRemove` hook: `eid` is being removed from the world (by `dispose`, or by a bare
   * bitECS `removeEntity`). Despawns it if live and forgets it.
   */
  private unbind(eid: number): void {
    const raw = eid & this.index.entityMask;
    if (raw >= this.slotOfRaw.length) return;
    const at = this.slotOfRaw[raw];
    if (at > 0) {
      const slot = at - 1;
      if (this.eidOfSlot[slot] !== eid) return;
      if (this.handleOfSlot[slot] >= 0) {
        this.despawn(eid); // parks it, then it is forgotten below
      } else {
        // Being spawned or despawned by an outer call, which sees the slot unbound and copes.
        this.eidOfSlot[slot] = 0;
        this.slotOfRaw[raw] = 0;
        this.created--;
        return;
      }
    }
    const parkedAt = -this.slotOfRaw[raw] - 1;
    if (parkedAt >= 0 && parkedAt < this.parkedCount && this.parked[parkedAt] === eid) this.forgetParked(eid);
  }

  /** Grows the per-slot arrays to the slot pool's capacity (after it doubled). */
  private growSlotArrays(): void {
    const n = this.slots.capacity;
    const handles = new Int32Array(n).fill(NULL_HANDLE);
    handles.set(this.handleOfSlot);
    this.handleOfSlot = handles;
    this.eidOfSlot = grownCopy(this.eidOfSlot, n);
  }

  /**
   * Creates a bitECS entity for `slot` with the anchor and the tags and records it as the slot's.
   * Allocates (bitECS). When an observer throws, the entity is removed again and the error
   * propagates.
   */
  private createBound(slot: number): number {
    const eid = createEntity(this.world);
    const raw = eid & this.index.entityMask;
    if (raw >= this.slotOfRaw.length) {
      let n = this.slotOfRaw.length;
      while (n <= raw) n *= 2;
      this.slotOfRaw = grownCopy(this.slotOfRaw, n);
    }
    this.created++;
    this.eidOfSlot[slot] = eid;
    this.slotOfRaw[raw] = slot + 1;
    try {
      addComponent(this.world, eid, this.anchor);
      for (let i = 0; i < this.tags.length; i++) addComponent(this.world, eid, this.tags[i]);
    } catch (error) {
      if (this.eidOfSlot[slot] === eid) {
        this.eidOfSlot[slot] = 0;
        this.slotOfRaw[raw] = 0;
        this.created--;
      }
      destroyEntity(this.world, eid);
      throw error;
    }
    return eid;
  }

  /** Throws when a spawn or despawn is in progress (a callback inside one called `what`). */
  private rejectIfBusy(what: string): void {
    if (this.busy > 0) {
      throw new Error(
        `EntityPool.${what}: called from a callback inside this pool's spawn or despawn (nothing changed)`,
      );
    }
  }
}
