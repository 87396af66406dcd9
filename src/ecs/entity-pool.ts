/**
 * Garbage-free entity churn for bitECS 0.4: recycle entities through a pool instead of removing
 * them.
 *
 * bitECS 0.4.0's own `addEntity` allocates a `Set` per entity and `removeEntity` allocates a queue
 * array, a `Set` and closures on every call: 500 creates and removes per frame cost about 60 minor
 * GCs per 1,000 frames on our machine (figures in `bench/README.md`, section ecs). An
 * {@link EntityPool} creates each bitECS entity once, the first time its pool slot is used, and
 * afterwards `spawn`/`despawn` only move it between a live list and a free list (a
 * {@link StructPool}) and add/remove its `'pool'`-membership components, all O(1) typed-array
 * writes: steady-state churn allocates nothing.
 *
 * The trade, stated plainly:
 * - A despawned entity stays alive in the bitECS world, parked: bitECS `entityExists` says true
 *   and bitECS queries over tags given in `tags` still match it. Systems find live pooled
 *   entities through the pool (`dense`/`entityOfSlot`) or through the `'pool'`-membership
 *   components listed in `components` (removed on despawn, added zeroed on spawn).
 * - A respawned entity keeps its bitECS id, so a stored id cannot tell an old life from a new
 *   one. Store the pool handle ({@link EntityPool.handleOf}) instead: its generation changes on
 *   every despawn, and {@link EntityPool.entityOf} returns -1 for a stale handle (tested by
 *   '...handles go stale... (E3 on the pool path)' in `test/ecs/entity-pool.test.ts`).
 * - Memory is held at the pool's peak population (call `dispose()` to really remove them).
 * - A bare bitECS `removeEntity` on a pooled entity (live or parked) is safe: a private tag's
 *   `onRemove` hook despawns it and unbinds its slot, which gets a new entity on its next use.
 * - Clearing the world (bitECS `resetWorld` or `clearWorld`) kills every pooled entity: call
 *   {@link EntityPool.resetAfterWorldReset} (the next `spawn` also notices and does it), which
 *   frees every slot, so every handle taken before the clear is stale for good.
 *
 * Iteration contract: as {@link StructPool.dense}: iterate `dense[0..size)` backward; despawning
 * the current entity visits every entity live at the start exactly once.
 *
 * Source: object pooling (Nystrom, *Game Programming Patterns*, "Object Pool"), applied to ECS
 * entities; the free list is the sparse/dense set of Briggs and Torczon (1993).
 *
 * @module
 */
import { $internal, addComponent, observe, onRemove, type World } from 'bitecs';
import * as errors from '../errors.js';
import { OutOfMemoryError, Violations, checkInteger, checkOptions, describeValue } from '../errors.js';
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
  isEntityAlive,
  type BitecsEntityIndex,
} from './entity-ids.js';
import type { PoolComponent } from './pool-component.js';
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

/** A pool of recycled bitECS entities. See the module documentation for the trade. */
export class EntityPool {
  // Fields set in the constructor are `declare`d, as in StructPool (bench/README.md, section
  // Pools, "Things that moved these figures").

  /** The bitECS world the entities live in. */
  declare readonly world: World;
  /**
   * Live slots in `dense[0..size)`; a slot's entity is `entityOfSlot[slot]` (the only copy: the
   * pool's one `eid` column is never written, as a StructPool needs a field; `zeroOnAlloc` is off).
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
  /** [raw entity index] -> slot + 1 (0: not from this pool). */
  declare private slotOfRaw: Int32Array;
  /** [slot] -> live handle of the slot, `NULL_HANDLE` when parked or unused. */
  declare private handleOfSlot: Int32Array;
  /** [slot] -> the bitECS entity bound to the slot for good (0: not created yet). */
  declare private eidOfSlot: Int32Array;
  declare private created: number;
  /**
   * `2^indexBits - 1` of the slot pool: `handle & slotMask` is the slot. Handles are integers in
   * `[0, 2^31)`, so the 32-bit AND is exact (not `%`: bench/README.md, section Pools).
   */
  declare private readonly slotMask: number;
  /**
   * A private bitECS tag on every entity this pool created. Its `onRemove` hook runs when a bare
   * bitECS `removeEntity` (or `destroyEntity`) removes one behind the pool's back: the slot is
   * unbound (and freed if live), so `spawn` never has to check liveness with bitECS.
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
    this.created = 0;
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

  /** [slot] -> bitECS entity id bound to that slot (0: none created yet). Read-only to callers. */
  get entityOfSlot(): Int32Array {
    return this.eidOfSlot;
  }

  /** bitECS entities this pool has created (its peak population). */
  get createdCount(): number {
    return this.created;
  }

  /**
   * Takes a parked entity (or creates one the first time a slot is used) and gives it each of
   * `components`, zeroed. O(components); allocates nothing once every slot has been used once.
   * An entity removed from the world behind the pool's back (bare bitECS `removeEntity`) is
   * unbound from its slot by a hook (its handle goes stale) and replaced on the slot's next use.
   *
   * @returns the entity id.
   * After a bitECS `resetWorld` it first runs {@link EntityPool.resetAfterWorldReset} (and that of
   * each of its components still following the old index).
   *
   * @throws OutOfMemoryError when `maxCapacity` entities are live (naming `maxCapacity`), or when
   *   a component is full (naming its `maxCapacity`); nothing changes.
   */
  spawn(): number {
    if (this.context.entityIndex !== this.index) this.resetAfterWorldReset();
    const slots = this.slots;
    const h = slots.tryAlloc();
    if (h === NULL_HANDLE) {
      throw new OutOfMemoryError(
        `EntityPool is full: all ${slots.maxCapacity} entities are live; raise options.maxCapacity`,
        1,
        'slots',
        slots.stats(),
      );
    }
    // A fresh handle from tryAlloc is live: take its slot bits without slotOf's validation.
    const slot = h & this.slotMask;
    if (slot >= this.eidOfSlot.length) this.growSlotArrays();
    let eid = this.eidOfSlot[slot]; // alive in the world when bound: the anchor hook unbinds it
    if (eid === 0) {
      try {
        eid = this.bindNewEntity(slot);
      } catch (error) {
        slots.free(h);
        throw error;
      }
    }
    const raw = eid & this.index.entityMask;
    this.handleOfSlot[slot] = h;
    const components = this.components;
    let added = 0;
    try {
      for (; added < components.length; added++) components[added].attachLive(eid, raw);
    } catch (error) {
      // A full component: undo, so the throwing call leaves the pool as it was.
      for (let i = 0; i < added; i++) this.components[i].remove(eid);
      this.handleOfSlot[slot] = NULL_HANDLE;
      this.slots.free(h);
      throw error;
    }
    return eid;
  }

  /**
   * Parks a live pooled entity: removes its `components` (freeing their slots) and frees its pool
   * slot, so its handle goes stale. O(components), allocates nothing.
   *
   * @returns false when `eid` is not a live entity of this pool (ignored, like bitECS `removeEntity`).
   * @throws TypeError when `eid` is not a number; RangeError when it is not an integer in
   *   `[-2^31, 2^32 - 1]`.
   */
  despawn(eid: number): boolean {
    const h = this.handleOf(eid);
    if (h === NULL_HANDLE) {
      checkEntityId(eid);
      return false;
    }
    const components = this.components;
    for (let i = 0; i < components.length; i++) components[i].remove(eid);
    this.handleOfSlot[h & this.slotMask] = NULL_HANDLE;
    this.slots.free(h);
    return true;
  }

  /**
   * The pool handle of a live pooled entity (generation-tagged; store it), or `NULL_HANDLE` (-1; also for a
   * non-number or a stale id). O(1), allocates nothing, never throws.
   */
  handleOf(eid: number): number {
    if (typeof eid !== 'number') return NULL_HANDLE;
    const id = int32IdOf(eid); // a uint32-form id names the same entity
    const raw = id & this.index.entityMask;
    if (raw >= this.slotOfRaw.length) return NULL_HANDLE;
    const slot = this.slotOfRaw[raw] - 1;
    if (slot < 0 || this.eidOfSlot[slot] !== id) return NULL_HANDLE;
    return this.handleOfSlot[slot];
  }

  /**
   * The entity of a live handle, or -1 when the handle is stale (despawned since, or taken before
   * the world was cleared). O(1), allocates nothing.
   *
   * @throws TypeError when `handle` is not a number; RangeError when it is not an integer in
   *   `[-1, 2^31)` (the handle range; -1 is the "none" value and returns -1).
   */
  entityOf(handle: number): number {
    if (!this.slots.isAlive(handle)) {
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

  /** Despawns every live entity (O(size)). Their handles go stale. */
  clear(): void {
    const dense = this.slots.dense;
    for (let i = this.slots.size - 1; i >= 0; i--) this.despawn(this.eidOfSlot[dense[i]]);
  }

  /**
   * Forgets every entity after bitECS `resetWorld` (or `clearWorld`), which removed them all
   * without running hooks: frees every live slot (so every handle taken before the clear is stale,
   * and stays stale: the slot pool's generations advance), unbinds every slot (the next spawns
   * create new entities), re-subscribes the removal hook to the reset world and carries a
   * versioned world's ids over (see `clearWorld`). Components of this pool that still follow the
   * old index are reset too (`PoolComponent.resetAfterWorldReset`). Does nothing when the world
   * was not reset since the last call (idempotent); `spawn` calls it when it sees the world was
   * reset. O(capacity); allocates.
   */
  resetAfterWorldReset(): void {
    if (this.context.entityIndex === this.index) return;
    this.unsubscribe();
    const slots = this.slots;
    const dense = slots.dense;
    for (let i = slots.size - 1; i >= 0; i--) {
      const slot = dense[i];
      slots.free(this.handleOfSlot[slot]);
      this.handleOfSlot[slot] = NULL_HANDLE;
    }
    this.eidOfSlot.fill(0);
    this.slotOfRaw.fill(0);
    this.created = 0;
    this.index = carryVersionsAcrossReset(this.world, this.index);
    for (const c of this.components) if (c.followsStaleIndex) c.resetAfterWorldReset();
    this.unsubscribe = observe(this.world, onRemove(this.anchor), (eid: number) => this.unbind(eid));
  }

  /**
   * Despawns everything and really removes every created entity from the world (allocates). The
   * pool stays usable (its next spawns create new entities); its removal hook stays subscribed
   * to the world for as long as the world lives.
   */
  dispose(): void {
    this.clear();
    const eids = this.eidOfSlot;
    for (let s = 0; s < eids.length; s++) {
      if (eids[s] !== 0) destroyEntity(this.world, eids[s]);
      eids[s] = 0;
    }
    this.slotOfRaw.fill(0);
    this.created = 0;
  }

  /**
   * Validates in O(capacity): the slot pool's own check; every created entity is alive in the
   * world and maps back to its slot; live entities have every pooled component, parked ones none.
   *
   * @throws CorruptionError listing every violation found.
   */
  check(): void {
    const v = new Violations('EntityPool');
    const fail = v.report;
    v.include('slots: ', () => this.slots.check());
    const eids = this.eidOfSlot;
    let created = 0;
    for (let s = 0; s < eids.length; s++) {
      const eid = eids[s];
      if (eid === 0) continue;
      created++;
      if (!isEntityAlive(this.world, eid)) fail(`entity ${eid} of slot ${s} is not alive`);
      if (this.slotOfRaw[eid & this.index.entityMask] !== s + 1) fail(`slot map of ${eid} is wrong`);
      const live = this.handleOfSlot[s] !== NULL_HANDLE;
      if (live !== this.slots.isAlive(this.handleOfSlot[s])) fail(`handle of slot ${s} is wrong`);
      for (const c of this.components) {
        if (c.has(eid) !== live) {
          fail(`${live ? 'live' : 'parked'} entity ${eid} ${live ? 'lacks' : 'has'} a pooled component`);
        }
      }
    }
    if (created !== this.created) fail(`${created} entities found, ${this.created} created`);
    v.throwIfAny();
  }

  /**
   * The anchor's `onRemove` hook: `eid` is being removed from the world (by `dispose`, or by a bare
   * bitECS `removeEntity`). Despawns it if live (its handle goes stale) and unbinds its slot.
   */
  private unbind(eid: number): void {
    const raw = eid & this.index.entityMask;
    if (raw >= this.slotOfRaw.length) return;
    const slot = this.slotOfRaw[raw] - 1;
    if (slot < 0 || this.eidOfSlot[slot] !== eid) return;
    this.despawn(eid);
    this.eidOfSlot[slot] = 0;
    this.slotOfRaw[raw] = 0;
    this.created--;
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
   * Creates the bitECS entity of `slot` (first use, or its entity was removed from the world
   * behind the pool's back) with the tags, and records the binding. Allocates (bitECS).
   */
  private bindNewEntity(slot: number): number {
    const eid = createEntity(this.world);
    addComponent(this.world, eid, this.anchor);
    for (let i = 0; i < this.tags.length; i++) addComponent(this.world, eid, this.tags[i]);
    const raw = eid & this.index.entityMask;
    if (raw >= this.slotOfRaw.length) {
      let n = this.slotOfRaw.length;
      while (n <= raw) n *= 2;
      this.slotOfRaw = grownCopy(this.slotOfRaw, n);
    }
    this.created++;
    this.eidOfSlot[slot] = eid;
    this.slotOfRaw[raw] = slot + 1;
    return eid;
  }
}
