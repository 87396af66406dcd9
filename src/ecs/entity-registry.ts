/**
 * Garbage-free entity churn with real deletion: steadyheap's own entity bookkeeping underneath a
 * bitECS 0.4 world.
 *
 * bitECS 0.4.0 allocates on every entity it creates or removes: `addEntity` makes a `Set` and
 * adds a key to a `Map`; `removeEntity` makes a queue array, a `Set` and closures, walks every
 * query, and deletes the `Map` key (the `Map` then rehashes every few hundred deletions). At a
 * thousand creations and removals a frame that is about a megabyte of garbage per frame (figures
 * in `bench/README.md`, section ECS). `EntityPool` avoids it by never removing entities;
 * this registry removes them for real and still allocates nothing:
 *
 * - It installs an `EntityComponentTable` in place of bitECS's `entityComponents` `Map`: one
 *   reusable `Set` per raw index, whose rows are exactly the entities alive in bitECS's entity
 *   index (so creating or destroying an entity writes nothing there). bitECS keeps using it
 *   through the same `get`/`set`/`delete`/`keys` calls; its deletes tell the registry of every
 *   removal bitECS makes.
 * - {@link EntityRegistry.create} and {@link EntityRegistry.destroy} write bitECS's own entity
 *   index (the same dense/sparse arrays `addEntity`/`removeEntity` write), so the ids are
 *   ordinary bitECS entities: `entityExists`, `getAllEntities`, `addComponent` and queries of
 *   bitECS components on them all work.
 * - Membership lives in {@link EntitySet}s (tags, or components whose data the program keeps in
 *   its own typed arrays), which `destroy` empties of the entity through per-entity membership
 *   bits (one bit per set; a word per 32 sets).
 *
 * Cost (figures in `bench/README.md`, section ECS): `create(set)` is an id recycled from
 * bitECS's index plus an append to the set; `destroy` is a liveness check, one swap-remove per
 * set the entity is in and bitECS's index swap (skipped when the entity is the last created,
 * as when entities die in the reverse order of their creation). Hot paths are kept small so V8
 * inlines them into the caller's loop; everything unusual goes through a separate slow path.
 *
 * When bitECS's own bookkeeping is needed, the registry hands over to bitECS (allocating, as
 * bitECS does): `destroy` of an entity that has bitECS components or relations (its `Set` is not
 * empty) calls `removeEntity` (so hooks, observers, `'pool'` anchors and relation cascades run);
 * `create` and `destroy` in a world with `Not(...)` queries, or a versioned world (`withVersioning`),
 * use bitECS's `addEntity`/`removeEntity` through the bridge's {@link createEntity} and
 * {@link destroyEntity}. The garbage-free path is: an unversioned world (bitECS's default),
 * no `Not` queries, entities whose membership is in `EntitySet`s.
 *
 * A bare bitECS `removeEntity` (or `destroyEntity`) on a registry entity is safe: the table's
 * delete hook takes it out of every set. After bitECS `resetWorld`, the next call reinstalls the
 * table and empties every set (`resetAfterWorldReset`).
 *
 * Ids: in an unversioned world a destroyed id is handed out again (LIFO, as bitECS does); a
 * stored id cannot tell the lives apart. Store ids only while the entity is known to live, or use
 * a versioned world (slower path) or `EntityPool` handles.
 *
 * Reference: bitECS 0.4.0 `src/core/EntityIndex.ts` (`addEntityId`, `removeEntityId`) and
 * `src/core/Entity.ts` (`addEntity`, `removeEntity`), whose effects the fast paths reproduce.
 *
 * @module
 */
import { $internal, type World } from 'bitecs';
import { OutOfMemoryError, checkInteger, checkOptions } from '../errors.js';
import { EntityComponentTable } from './entity-component-table.js';
import {
  checkEntityId,
  createEntity,
  destroyEntity,
  entityIndexOf,
  int32IdOf,
  type BitecsEntityIndex,
} from './entity-ids.js';
import { EntitySet } from './entity-set.js';
import { registryStateParts } from '../snapshot/registry-state.js';
import { STATE_PARTS } from '../snapshot/state-parts.js';
import { loadStateOf, saveStateOf, stateBytesOf, type StateParts } from '../snapshot/state-record.js';

/** The parts of bitECS 0.4.0's world context the registry reads or replaces. */
interface BitecsContext {
  entityIndex: BitecsEntityIndex;
  entityComponents: Map<number, Set<object>> | EntityComponentTable;
  notQueries: Set<unknown>;
}

/** Options of {@link defineEntityRegistry}. */
export interface EntityRegistryOptions {
  /** Raw indices reserved up front (arrays grow by doubling beyond it). Default 1024. */
  capacity?: number;
}

/** Counters of an {@link EntityRegistry}. */
export interface EntityRegistryStats {
  /** Entities alive in the world (bitECS's count, whoever created them). */
  alive: number;
  /** Membership sets defined. */
  sets: number;
  /** `create`/`destroy` calls handed to bitECS (see the module doc for when); the others took the garbage-free path. */
  bitecsCreates: number;
  bitecsDestroys: number;
}

const OPTION_KEYS = ['capacity'] as const;
const registries = new WeakMap<World, EntityRegistry>();

/** Steadyheap's entity bookkeeping for one bitECS world. Get it with {@link defineEntityRegistry}. */
export class EntityRegistry {
  /** The bitECS world. */
  declare readonly world: World;
  /** `2^entityBits - 1` of the world's entity index: `eid & entityMask` is the raw index. */
  declare entityMask: number;
  /**
   * Membership bits: `memberBits[setId >> 5][raw]` has bit `setId & 31` set while the entity
   * with raw index `raw` is in set `setId`. Arrays are replaced when they grow.
   *
   * @internal Read and written by {@link EntitySet}.
   */
  declare readonly memberBits: Int32Array[];
  /** `memberBits[0]` (sets 0-31), kept in a field of its own for the destroy path. */
  declare private memberBits0: Int32Array;
  declare private readonly sets: EntitySet[];
  declare private readonly context: BitecsContext;
  declare private index: BitecsEntityIndex;
  declare private table: EntityComponentTable;
  declare private rawCapacity: number;
  declare private bitecsCreates: number;
  declare private bitecsDestroys: number;

  /** Use {@link defineEntityRegistry}. @internal */
  constructor(world: World, capacity: number) {
    this.index = entityIndexOf(world); // validates the world
    this.world = world;
    this.context = (world as unknown as { [$internal]: BitecsContext })[$internal];
    this.entityMask = this.index.entityMask;
    this.memberBits = [];
    this.memberBits0 = new Int32Array(0);
    this.sets = [];
    this.rawCapacity = capacity;
    this.bitecsCreates = 0;
    this.bitecsDestroys = 0;
    this.table = this.install();
  }

  /**
   * Defines a membership set (a tag). O(capacity); allocates its arrays.
   */
  defineSet(): EntitySet {
    const id = this.sets.length;
    if ((id & 31) === 0) this.memberBits.push(new Int32Array(this.rawCapacity));
    this.memberBits0 = this.memberBits[0];
    const set = new EntitySet(this, id, Math.min(this.rawCapacity, 1024));
    this.sets.push(set);
    return set;
  }

  /**
   * Creates an entity (an ordinary bitECS entity) and, when `set` is given, adds it to that set
   * (the same as `set.add(registry.create())`, without checking again that the new entity
   * lives). O(1); allocates nothing once the world's arrays have reached their peak size, on the
   * garbage-free path (see the module doc).
   *
   * @param set - an {@link EntitySet} of this registry to put the new entity in.
   * @returns the entity id.
   * @throws TypeError when `set` is not an EntitySet of this registry (nothing is created);
   *   OutOfMemoryError when every raw index below the entity mask is in use.
   */
  create(set?: EntitySet): number {
    const ctx = this.context;
    const index = this.index;
    const alive = index.aliveCount;
    // The hot path is kept small so V8 inlines it into the caller's loop; the rest is createSlow.
    // (bitECS resetWorld replaces the index and the component map together: checking the index
    // covers both.)
    if (
      ctx.entityIndex !== index ||
      index.versioning ||
      ctx.notQueries.size !== 0 ||
      alive >= index.dense.length ||
      (set !== undefined && set.registry !== this)
    ) {
      return this.createSlow(set);
    }
    // bitECS addEntityId, unversioned, recycling: the id parked at dense[aliveCount]. Its row in
    // the table exists (every id in the index has one, see install) and is empty.
    const eid = index.dense[alive];
    index.sparse[eid] = alive;
    index.aliveCount = alive + 1;
    if (set !== undefined) this.join(set, eid, eid);
    return eid;
  }

  /** Adds the entity just created (`eid`, raw index `raw`) to `set`, which must be this registry's. */
  private join(set: EntitySet, eid: number, raw: number): void {
    if (set.registry !== this) {
      throw new TypeError('EntityRegistry.create: set must be an EntitySet of this registry (defineSet)');
    }
    set.addCreated(eid, raw);
  }

  /** `create` off the recycling path: after a reset, through bitECS, or issuing a new id. */
  private createSlow(set: EntitySet | undefined): number {
    if (set !== undefined && set.registry !== this) this.join(set, 0, 0); // throws before any change
    const ctx = this.context;
    if (ctx.entityComponents !== this.table || ctx.entityIndex !== this.index) this.resetAfterWorldReset();
    const index = this.index;
    if (index.versioning || ctx.notQueries.size !== 0) {
      this.bitecsCreates++;
      const eid = createEntity(this.world);
      this.reserveRaw(eid & this.entityMask);
      if (set !== undefined) this.join(set, eid, eid & this.entityMask);
      return eid;
    }
    const alive = index.aliveCount;
    if (alive < index.dense.length) return this.create(set);
    // bitECS addEntityId, unversioned, new id.
    if (index.maxId >= this.entityMask) {
      throw new OutOfMemoryError(
        `EntityRegistry.create: all ${this.entityMask} raw entity indices are in use`,
        1,
        'slots',
        this.stats(),
      );
    }
    const eid = ++index.maxId;
    index.dense.push(eid);
    index.sparse[eid] = alive;
    index.aliveCount = alive + 1;
    this.reserveRaw(eid);
    this.table.open(eid);
    if (set !== undefined) this.join(set, eid, eid);
    return eid;
  }

  /**
   * Destroys a live entity for good: takes it out of every {@link EntitySet}, then removes it
   * from the world (bitECS `entityExists` is false afterwards and its id is free for reuse).
   * O(sets it is in) and allocation-free on the garbage-free path; an entity with bitECS
   * components or relations goes through bitECS `removeEntity` (hooks run, allocates).
   *
   * @returns false when `eid` is not a live entity (ignored, as bitECS `removeEntity` does).
   * @throws TypeError when `eid` is not a number; RangeError when it is not an integer id.
   */
  destroy(eid: number): boolean {
    const ctx = this.context;
    const index = this.index;
    const table = this.table;
    // Liveness, raw-keyed (also rejects garbage: a string or fraction never equals a stored id).
    const id = eid > 0x7fffffff ? int32IdOf(eid) : eid;
    const raw = id & this.entityMask;
    const at = index.sparse[raw];
    if (
      ctx.entityIndex !== index ||
      at === undefined ||
      at >= index.aliveCount ||
      index.dense[at] !== id ||
      id === 0 ||
      index.versioning ||
      ctx.notQueries.size !== 0
    ) {
      return this.destroySlow(eid);
    }
    this.leaveSets(raw);
    const components = table.sets[raw];
    if (components === undefined || components.size !== 0) return this.destroySlow(eid);
    // bitECS removeEntityId, unversioned: swap with the last alive id (nothing to swap when the
    // entity is the last one, as when entities die in the reverse order of their creation).
    const last = index.aliveCount - 1;
    if (at !== last) {
      const lastId = index.dense[last];
      index.sparse[lastId] = at;
      index.dense[at] = lastId;
      index.sparse[id] = last;
      index.dense[last] = id;
    }
    index.aliveCount = last;
    return true;
  }

  /** `destroy` off the fast path: dead or bad ids, a reset world, or through bitECS. */
  private destroySlow(eid: number): boolean {
    const ctx = this.context;
    if (ctx.entityComponents !== this.table || ctx.entityIndex !== this.index) this.resetAfterWorldReset();
    const id = int32IdOf(eid);
    if (!this.isAlive(id)) {
      checkEntityId(eid);
      return false;
    }
    this.leaveSets(id & this.entityMask);
    this.bitecsDestroys++;
    destroyEntity(this.world, id); // the table's delete hook finds no membership left
    return true;
  }

  /** Whether `eid` is alive in the world (bitECS's index, raw-keyed). O(1); never throws. */
  isAlive(eid: number): boolean {
    if (typeof eid !== 'number') return false;
    const id = int32IdOf(eid);
    const index = this.index;
    const at = index.sparse[id & this.entityMask];
    return at !== undefined && at < index.aliveCount && index.dense[at] === id && id !== 0;
  }

  /**
   * `isAlive` for a number id already in int32 form, with its raw index. O(1).
   *
   * @internal The sets' fast path.
   */
  isAliveRaw(id: number, raw: number): boolean {
    const index = this.index;
    const at = index.sparse[raw];
    return at !== undefined && at < index.aliveCount && index.dense[at] === id && id !== 0;
  }

  /** Entities alive in the world. */
  get aliveCount(): number {
    return this.index.aliveCount;
  }

  /** Counters, O(1); allocates the returned object. */
  stats(): EntityRegistryStats {
    return {
      alive: this.index.aliveCount,
      sets: this.sets.length,
      bitecsCreates: this.bitecsCreates,
      bitecsDestroys: this.bitecsDestroys,
    };
  }

  /**
   * Bytes `saveState` writes now: the world's entity index up to `maxId` and the membership bits.
   * O(1).
   */
  get stateBytes(): number {
    return stateBytesOf(this[STATE_PARTS]());
  }

  /**
   * Writes the world's entity ids (bitECS's entity index: which ids are alive, which are parked
   * for reuse, `maxId`) and the registry's membership bits into `into` from `at`. Save it with
   * every `EntitySet` of the registry (their members are theirs). O(maxId x (1 + sets / 32));
   * allocates nothing. See `src/snapshot/registry-state.ts` for what a snapshot of a bitECS
   * world covers.
   * @returns bytes written. @throws as `Snapshotable.saveState`.
   */
  saveState(into: Uint8Array, at = 0): number {
    return saveStateOf(this[STATE_PARTS](), into, at);
  }

  /**
   * Restores the world's entity ids and the membership bits saved by `saveState`: the same ids
   * alive, the same ids recycled next. Refused (SnapshotError, nothing changed) for a registry
   * with another number of sets or versioning (`'options'`), a damaged record, and, reason
   * `'world'`, when an entity alive before or after the load has bitECS components (bitECS's
   * component state is not in a snapshot) or the world was reset since. O(maxId x (1 + sets / 32)).
   * @returns bytes read.
   */
  loadState(from: Uint8Array, at = 0): number {
    return loadStateOf(this[STATE_PARTS](), from, at, null);
  }

  /** @internal The registry's state layout (`src/snapshot/registry-state.ts`). */
  [STATE_PARTS](): StateParts {
    return registryStateParts(this);
  }

  /**
   * Validates in O(ids ever issued + sets x capacity): the table is installed, every id in the
   * entity index has a row, no dead raw index keeps components, and every set is consistent
   * (`EntitySet.check`).
   *
   * @throws Error describing the first violation.
   */
  check(): void {
    const fail = (msg: string): never => {
      throw new Error(`EntityRegistry.check: ${msg}`);
    };
    if (this.context.entityComponents !== this.table)
      fail('the component table is not installed (call resetAfterWorldReset)');
    const index = this.index;
    for (let i = 0; i < index.aliveCount; i++) {
      if (this.table.get(index.dense[i]) === undefined) fail(`alive entity ${index.dense[i]} has no row`);
    }
    const mask = this.entityMask;
    for (let i = index.aliveCount; i < index.dense.length; i++) {
      const parked = this.table.sets[index.dense[i] & mask];
      if (parked === undefined) fail(`parked id ${index.dense[i]} has no row`);
      else if (parked.size !== 0) fail(`dead raw index ${index.dense[i] & mask} keeps components`);
    }
    for (const set of this.sets) set.check();
  }

  /**
   * Follows the world after bitECS `resetWorld` (or `clearWorld`), which replaced the entity
   * index and the component map: empties every set, installs a fresh table (keeping rows bitECS
   * made since), and carries on. `create` and `destroy` call it when they see the reset.
   * O(sets x count + alive); allocates.
   */
  resetAfterWorldReset(): void {
    if (this.context.entityComponents === this.table && this.context.entityIndex === this.index) return;
    for (const set of this.sets) set.clear();
    this.index = entityIndexOf(this.world);
    this.entityMask = this.index.entityMask;
    this.table = this.install();
  }

  /**
   * Raw indices every membership-bit array covers (a set's positions never cover more).
   *
   * @internal
   */
  rawCapacityOf(): number {
    return this.rawCapacity;
  }

  /**
   * Makes every per-raw-index array cover `raw` (doubling). Allocates when it grows.
   *
   * @internal Called by {@link EntitySet} and the create paths.
   */
  reserveRaw(raw: number): void {
    if (raw < this.rawCapacity) return;
    let capacity = this.rawCapacity;
    while (capacity <= raw) capacity *= 2;
    for (let w = 0; w < this.memberBits.length; w++) {
      const bits = new Int32Array(capacity);
      bits.set(this.memberBits[w]);
      this.memberBits[w] = bits;
    }
    if (this.memberBits.length > 0) this.memberBits0 = this.memberBits[0];
    for (const set of this.sets) set.bits = this.memberBits[set.word];
    this.rawCapacity = capacity;
  }

  /**
   * Takes the entity with raw index `raw` out of every set it is in. O(memberships). The removal
   * is `EntitySet.removeAt` written out here: the destroy loop is hot and V8 inlines it whole.
   */
  private leaveSets(raw: number): void {
    const row = this.memberBits0;
    if (raw < row.length) {
      const bits = row[raw];
      if (bits !== 0) {
        row[raw] = 0;
        this.removeFromSets(bits, 0, raw);
      }
    }
    if (this.memberBits.length > 1) this.leaveMoreSets(raw);
  }

  /** `leaveSets` for sets 32 and up. */
  private leaveMoreSets(raw: number): void {
    const words = this.memberBits;
    for (let w = 1; w < words.length; w++) {
      const row = words[w];
      if (raw >= row.length) continue;
      const bits = row[raw];
      if (bits === 0) continue;
      row[raw] = 0;
      this.removeFromSets(bits, w << 5, raw);
    }
  }

  /** Removes raw index `raw` from the sets `first + k` for each bit `k` set in `bits`. */
  private removeFromSets(bits: number, first: number, raw: number): void {
    const mask = this.entityMask;
    const sets = this.sets;
    let rest = bits;
    while (rest !== 0) {
      const low = rest & -rest;
      const set = sets[first + 31 - Math.clz32(low)];
      const entities = set.entities;
      const positions = set.positionOf;
      const at = positions[raw];
      const last = set.count - 1;
      if (at !== last) {
        const moved = entities[last];
        entities[at] = moved;
        positions[moved & mask] = at;
      }
      set.count = last;
      rest ^= low;
    }
  }

  /** Replaces the world's component map by a table holding the same rows, and returns it. */
  private install(): EntityComponentTable {
    const ctx = this.context;
    const index = this.index;
    const table = new EntityComponentTable(index.entityMask, {
      isAlive: (eid) => this.isAlive(eid),
      aliveIds: () => index.dense.slice(0, index.aliveCount),
      rowDeleted: (_eid, raw) => this.leaveSets(raw),
    });
    const previous = ctx.entityComponents;
    if (previous instanceof Map) for (const [eid, components] of previous) table.set(eid, components);
    // Ids parked in the index (removed before the registry came) get their empty row now, so
    // create's recycling path never has to check for one.
    for (let i = index.aliveCount; i < index.dense.length; i++) table.open(index.dense[i] & index.entityMask);
    ctx.entityComponents = table;
    return table;
  }
}

/**
 * The {@link EntityRegistry} of `world`, made (and its component table installed) on the first
 * call; later calls return the same registry. O(entities alive) the first time, O(1) after.
 *
 * @param world - a bitECS 0.4 world.
 * @param options - {@link EntityRegistryOptions}; read only on the first call.
 * @throws TypeError for a non-world or an unknown option; RangeError for a capacity outside
 *   `[1, 2^30]`.
 */
export function defineEntityRegistry(world: World, options?: EntityRegistryOptions): EntityRegistry {
  const existing = registries.get(world);
  if (existing) return existing;
  const opts = checkOptions('options', options, OPTION_KEYS);
  const capacity = checkInteger('options.capacity', opts.capacity ?? 1024, 1, 2 ** 30);
  const registry = new EntityRegistry(world, capacity);
  registries.set(world, registry);
  return registry;
}
