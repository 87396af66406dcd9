/**
 * Entity ids in a bitECS 0.4 world, keyed the safe way: by the raw index, with the version compared.
 *
 * bitECS 0.4.0 packs an entity id as `version << versionShift | rawIndex` when the world's entity
 * index was made with `withVersioning(versionBits)` (default 8 version bits, so 24 index bits).
 * Two rules follow, and every function in this bridge obeys them:
 *
 * - Never index a typed array with a versioned id (it can be up to 2^32 and negative as an int32):
 *   index with {@link rawIndexOf} and compare the stored full id to detect a stale one.
 * - Ask {@link isEntityAlive} rather than bitECS `entityExists` in a versioned world.
 *
 * **What a stored id can tell (the exact guarantee).** In a versioned world, removing an entity
 * advances the version of its raw index, so an id taken before the removal is dead once the
 * index is reused. The version has `versionBits` bits (8 by default): after 2^versionBits (256)
 * removals of one raw index the version wraps, and an id 256 lives old is alive again. In an
 * unversioned world (bitECS `createWorld()` without `withVersioning`) a removed id is handed out
 * again unchanged: no id-based check can tell the two lives apart; store an
 * {@link EntityPool.handleOf} handle or use versioning.
 *
 * **Clearing the world** (tested by 'E2: clearing the world kills every id and handle taken before
 * it' in `test/ecs/review-fixes.test.ts`). bitECS 0.4.0 `resetWorld` replaces the entity index with
 * a fresh, *unversioned* one whose ids restart at 1, so every id taken before the clear would be
 * alive again as soon as its number is reissued. {@link clearWorld} (or the first
 * `resetAfterWorldReset()` of a {@link PoolComponent} or {@link EntityPool} right after a bare
 * `resetWorld`) restores the versioning and carries every raw index over as dead with its version
 * advanced: an id from before the clear is dead after its index is reused (up to the version wrap
 * above). Unversioned worlds restart ids at 1 as bitECS does (nothing can tell them apart).
 *
 * **The bitECS 0.4.0 fault** (tested under 'versioned bitECS ids (case E8)' in
 * `test/ecs/entity-ids.test.ts`). Its `EntityIndex` writes `sparse[versionedId]` when it
 * recycles or swap-removes an id, but `isEntityIdAlive` reads `sparse[getId(id)]` (the raw key). Once
 * a recycled id is moved by the removal of another entity, bitECS reports it dead while it lives, so
 * `removeEntity` on it silently does nothing (its components leak and it stays in queries), and
 * `addComponent` on it throws. {@link createEntity} and {@link destroyEntity} wrap bitECS's own
 * `addEntity` / `removeEntity` and, after each, rewrite the raw-keyed `sparse` entries of the ids
 * that moved, so the raw key and the versioned key always agree. O(1) extra work, no allocation.
 * When more moved than the one removal (a bitECS observer that created or removed entities during
 * the removal, a relation cascade such as `withAutoRemoveSubject`), {@link destroyEntity} sees it
 * (the alive count, the index length, or a bridge call made inside) and rewrites every raw key,
 * O(ids ever issued), so such an entity is never left reading dead while bitECS lists it.
 *
 * **Id forms.** Every function here (and every bridge entry point that takes an id) accepts an id
 * in its int32 form (what bitECS returns; negative once a version sets the top bit) and in its
 * uint32 form (`eid >>> 0`, what a `Uint32Array` field holds).
 *
 * Reference: bitECS 0.4.0 `src/core/EntityIndex.ts` (dense/sparse swap-remove with versions).
 */
import { $internal, Prefab, addEntity, hasComponent, removeEntity, resetWorld, type World } from 'bitecs';
import { OutOfMemoryError, checkInteger } from '../errors.js';
// Referenced from the docs ({@link}) only.
import type { EntityPool } from './entity-pool.js';
import type { PoolComponent } from './pool-component.js';

/** The parts of bitECS's `EntityIndex` this bridge reads (plain data in bitECS 0.4.0). */
export interface BitecsEntityIndex {
  aliveCount: number;
  dense: number[];
  sparse: number[];
  maxId: number;
  versioning: boolean;
  versionBits: number;
  entityMask: number;
  versionShift: number;
  versionMask: number;
}

/** Smallest and largest value an entity id can have (int32 or uint32 views of 32 bits). */
const MIN_ID = -(2 ** 31);
const MAX_ID = 2 ** 32 - 1;

/**
 * The int32 form of an entity id: a uint32-form id (an integer in `[2^31, 2^32 - 1]`, what
 * `eid >>> 0` gives for a versioned id with version >= 128) becomes the negative int32 bitECS
 * stores; anything else (int32 ids, garbage) is returned unchanged, so validation still sees it.
 * O(1); one comparison for an ordinary id.
 *
 * @internal Every bridge entry point normalises with it before comparing stored ids.
 */
export function int32IdOf(eid: number): number {
  return eid > 0x7fffffff && eid <= MAX_ID && Number.isInteger(eid) ? eid | 0 : eid;
}

/**
 * Throws the documented error for an `eid` that is not an integer id: TypeError for a
 * non-number (string, BigInt...), RangeError for NaN, a fraction or a value outside
 * `[-2^31, 2^32 - 1]`. Returns normally for a well-formed id. Allocates nothing on success.
 *
 * @internal Shared by the bridge's entry points; not part of the public API.
 */
export function checkEntityId(eid: unknown): void {
  if (typeof eid !== 'number' || !Number.isInteger(eid) || eid < MIN_ID || eid > MAX_ID) {
    checkInteger('eid', eid, MIN_ID, MAX_ID);
  }
}

/**
 * The entity index of a bitECS world.
 *
 * @throws TypeError when `world` is not a bitECS 0.4 world.
 */
export function entityIndexOf(world: World): BitecsEntityIndex {
  const ctx = (world as { [$internal]?: { entityIndex?: BitecsEntityIndex } } | null)?.[$internal];
  if (!ctx?.entityIndex) {
    throw new TypeError(`world must be a bitECS 0.4 world (from createWorld), got ${String(world)}`);
  }
  return ctx.entityIndex;
}

/**
 * The raw index of an entity id: the key for typed arrays. O(1), allocates nothing. Works for
 * negative int32 ids (versions >= 128 with 8 version bits) because the mask keeps only the low
 * index bits.
 *
 * @throws TypeError when `eid` is not a number (a BigInt, a string); RangeError when it is not an
 *   integer in `[-2^31, 2^32 - 1]`.
 */
export function rawIndexOf(index: BitecsEntityIndex, eid: number): number {
  if (typeof eid !== 'number' || !Number.isInteger(eid) || eid < MIN_ID || eid > MAX_ID) checkEntityId(eid);
  return eid & index.entityMask;
}

/**
 * Whether `eid` (versioned or not, either id form) is alive in `world`: its raw slot in the index
 * holds exactly this id. After a bare bitECS `removeEntity` moved a recycled id (see the module
 * doc), its raw key is repaired here from the versioned key bitECS wrote. O(1), allocates nothing,
 * never throws for a wrong-typed or out-of-range id (returns false).
 */
export function isEntityAlive(world: World, eid: number): boolean {
  const index = entityIndexOf(world);
  if (typeof eid !== 'number' || !Number.isInteger(eid)) return false;
  const id = int32IdOf(eid); // bitECS stores the int32 form
  const raw = id & index.entityMask;
  const at = index.sparse[raw];
  if (at !== undefined && at < index.aliveCount && index.dense[at] === id) return true;
  return raw !== id && repairRawKey(index, id, raw);
}

/**
 * The slow path of {@link isEntityAlive} for a versioned id whose raw key does not name it: a
 * bare bitECS `removeEntity` (not {@link destroyEntity}) moved it and wrote only its versioned key,
 * which bitECS keeps right for every live id. When that key names it, the raw key is rewritten
 * (so bitECS's own `addComponent` on it works again) and the id is alive. O(1).
 */
function repairRawKey(index: BitecsEntityIndex, id: number, raw: number): boolean {
  const at = index.sparse[id];
  if (at === undefined || at >= index.aliveCount || index.dense[at] !== id) return false;
  index.sparse[raw] = at;
  return true;
}

/**
 * Entities inside their own bitECS `removeComponent` while a `'bitecs'`-membership PoolComponent's
 * `onRemove` callback runs (a stack: `removalWorlds[i]`, `removalIds[i]`). bitECS 0.4.0 fails
 * (`entityComponents.get(eid)` is undefined) when such a callback removes the entity, so
 * {@link destroyEntity} refuses it.
 */
const removalWorlds: World[] = [];
const removalIds: number[] = [];

/** @internal Marks `eid` of `world` as inside its own removeComponent (PoolComponent). */
export function enterRemoval(world: World, eid: number): void {
  removalWorlds.push(world);
  removalIds.push(eid);
}

/** @internal Ends the innermost {@link enterRemoval}. */
export function leaveRemoval(): void {
  removalWorlds.pop();
  removalIds.pop();
}

/**
 * What to call, per world, when {@link destroyEntity} removes a prefab: bitECS keeps prefabs out
 * of queries, so no `onRemove` hook hears of it, and a pool component would keep its slot.
 */
const prefabRemovalHooks = new WeakMap<World, Set<(eid: number) => void>>();

/**
 * Calls `hook(eid)` after {@link destroyEntity} removes a prefab of `world` (with its id).
 * Returns the function that unsubscribes it.
 *
 * @internal Used by PoolComponent.
 */
export function onPrefabRemoved(world: World, hook: (eid: number) => void): () => void {
  let hooks = prefabRemovalHooks.get(world);
  if (hooks === undefined) {
    hooks = new Set();
    prefabRemovalHooks.set(world, hooks);
  }
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}

/**
 * Bridge calls that changed an entity index (createEntity, destroyEntity), in every world: a
 * destroyEntity that sees it move during its bitECS removeEntity knows an observer called back.
 */
let bridgeOps = 0;

/**
 * Rewrites every raw-keyed `sparse` entry of `index` (and the versioned key of each live id) from
 * `dense`. O(ids ever issued). The slow path of {@link destroyEntity} after nested changes.
 */
function syncAllRawKeys(index: BitecsEntityIndex): void {
  const dense = index.dense;
  for (let i = 0; i < dense.length; i++) {
    const id = dense[i];
    const raw = id & index.entityMask;
    index.sparse[raw] = i;
    if (raw !== id && i < index.aliveCount) index.sparse[id] = i;
  }
}

/**
 * The raw index bitECS's next `addEntity` will use: the most recently removed one (recycled), or
 * `maxId + 1`. O(1).
 *
 * @internal Used by `EntityPool.spawn` to check its components' room before creating anything.
 */
export function nextRawIndex(index: BitecsEntityIndex): number {
  return index.aliveCount < index.dense.length ? index.dense[index.aliveCount] & index.entityMask : index.maxId + 1;
}

/**
 * Makes bitECS's raw-keyed `sparse` entry for `eid` agree with its versioned one. O(1).
 * Needed only in a versioned world; harmless otherwise.
 */
function syncRawKey(index: BitecsEntityIndex, eid: number): void {
  const raw = eid & index.entityMask;
  if (raw !== eid) index.sparse[raw] = index.sparse[eid];
}

/**
 * Creates an entity with bitECS `addEntity` and repairs the versioned index (see the module doc).
 * Add components afterwards (bitECS checks liveness inside `addComponent`, which needs the repair).
 *
 * O(1) amortized plus bitECS's own cost (which allocates one `Set` per entity; see
 * {@link EntityPool} for a garbage-free path).
 *
 * @returns the new (possibly versioned) entity id.
 * @throws OutOfMemoryError when a new raw index would spill into the version bits (bitECS would
 *   wrap silently): raise the entity bits by lowering `versionBits` in `withVersioning(versionBits)`.
 */
export function createEntity(world: World): number {
  const index = entityIndexOf(world);
  if (index.aliveCount >= index.dense.length && index.maxId >= index.entityMask) {
    throw new OutOfMemoryError(
      `createEntity: all ${index.entityMask} raw entity indices are in use; the next would overflow into the version bits (lower versionBits in withVersioning(versionBits), currently ${index.versioning ? index.versionBits : 'unversioned'})`,
      1,
      'slots',
      { aliveCount: index.aliveCount, maxId: index.maxId, entityMask: index.entityMask },
    );
  }
  bridgeOps++;
  const eid = addEntity(world);
  if (index.versioning) syncRawKey(index, eid);
  return eid;
}

/**
 * Removes an entity with bitECS `removeEntity` (so every `onRemove` hook runs: pooled components
 * free their slots) and repairs the versioned index. A dead or stale id is ignored, as in bitECS.
 *
 * O(components + queries) as bitECS; the repair is O(1).
 *
 * @returns whether the entity was alive (and is now removed).
 * @throws TypeError when `eid` is not a number; RangeError when it is not an integer in
 *   `[-2^31, 2^32 - 1]` (either form of an id is accepted).
 * @throws Error when called from an `onRemove` callback of a `'bitecs'`-membership PoolComponent
 *   for the entity losing that component (bitECS cannot remove it there; nothing changes).
 */
export function destroyEntity(world: World, eid: number): boolean {
  const index = entityIndexOf(world);
  checkEntityId(eid);
  const id = int32IdOf(eid);
  if (!isEntityAlive(world, id)) return false;
  for (let i = 0; i < removalIds.length; i++) {
    if (removalIds[i] === id && removalWorlds[i] === world) {
      throw new Error(
        `destroyEntity: entity ${eid} is inside its own bitECS removeComponent (an onRemove callback of a PoolComponent with 'bitecs' membership), where bitECS 0.4.0 cannot remove it; destroy it after the callback returns (nothing changed)`,
      );
    }
  }
  // bitECS reads sparse[id] with the versioned key: make it agree with the (correct) raw key.
  const mask = index.entityMask;
  const raw = id & mask;
  if (raw !== id) index.sparse[id] = index.sparse[raw];
  const last = index.dense[index.aliveCount - 1];
  if (last !== id && (last & mask) !== last) index.sparse[last] = index.sparse[last & mask];
  const alive = index.aliveCount;
  const length = index.dense.length;
  const ops = ++bridgeOps;
  const prefab = hasComponent(world, id, Prefab);
  removeEntity(world, id);
  if (prefab) for (const hook of prefabRemovalHooks.get(world) ?? []) hook(id);
  if (index.versioning) {
    if (bridgeOps === ops && index.aliveCount === alive - 1 && index.dense.length === length) {
      // The former last entity moved into id's place; id's slot now holds its next version.
      syncRawKey(index, last);
      index.sparse[raw] = index.sparse[id];
      const lastHome = last === id || index.dense[index.sparse[last & mask]] === last;
      if (lastHome && index.dense[index.sparse[raw]] !== id) return true;
    }
    // An observer created or removed entities meanwhile (or a relation cascade did): every id may
    // have moved.
    syncAllRawKeys(index);
  }
  return true;
}

/**
 * Carries a versioned world's ids across a bitECS `resetWorld` (see the module doc): when the
 * world's entity index is a fresh one that replaced `previous` (no id issued yet) and `previous`
 * was versioned, the fresh index gets `previous`'s versioning configuration and every raw index
 * `previous` ever issued, parked as dead with its version advanced past any id issued before.
 * The next `createEntity`/`addEntity` recycles those indices with the new versions.
 *
 * Idempotent: does nothing when the index was not replaced, was already carried over (by another
 * component's `resetAfterWorldReset`), or `previous` was unversioned. When ids were already issued
 * from the fresh unversioned index, it cannot carry anything (those ids are out) and does nothing.
 *
 * O(ids ever issued), allocates the new dense array. Reference: bitECS 0.4.0
 * `src/core/EntityIndex.ts` (`removeEntityId` parks the next version in `dense[aliveCount..)`).
 *
 * @returns the world's current entity index.
 * @internal Called by `resetAfterWorldReset` and {@link clearWorld}.
 */
export function carryVersionsAcrossReset(world: World, previous: BitecsEntityIndex): BitecsEntityIndex {
  const index = entityIndexOf(world);
  if (index === previous || !previous.versioning || index.versioning) return index;
  if (index.aliveCount !== 0 || index.dense.length !== 0 || index.maxId !== 0) return index;
  index.versioning = true;
  index.versionBits = previous.versionBits;
  index.entityMask = previous.entityMask;
  index.versionShift = previous.versionShift;
  index.versionMask = previous.versionMask;
  const versionLimit = 2 ** previous.versionBits;
  const n = previous.dense.length;
  for (let i = 0; i < n; i++) {
    let id = previous.dense[i];
    if (i < previous.aliveCount) {
      // Alive at the clear: park it with its next version, as removeEntityId would.
      const version = (Math.floor((id >>> 0) / 2 ** previous.versionShift) + 1) % versionLimit;
      id = ((id & previous.entityMask) + version * 2 ** previous.versionShift) | 0;
    }
    index.dense.push(id);
    index.sparse[id & previous.entityMask] = i; // >= aliveCount (0): dead
  }
  index.maxId = previous.maxId;
  return index;
}

/**
 * Clears the world: bitECS `resetWorld` (every entity, component mask, query and hook dropped),
 * then, in a versioned world, carries every raw index over as dead with its version advanced, so
 * an id taken before the clear is dead once its index is reused (see the module doc for the
 * version wrap). Call `resetAfterWorldReset()` on each {@link PoolComponent} and
 * {@link EntityPool} of the world afterwards (they re-subscribe their hooks).
 *
 * O(ids ever issued); allocates (bitECS rebuilds its world state).
 *
 * @throws TypeError when `world` is not a bitECS 0.4 world.
 */
export function clearWorld(world: World): void {
  const previous = entityIndexOf(world);
  resetWorld(world);
  carryVersionsAcrossReset(world, previous);
}
