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
 * **The bitECS 0.4.0 fault (case E8).** Its `EntityIndex` writes `sparse[versionedId]` when it
 * recycles or swap-removes an id, but `isEntityIdAlive` reads `sparse[getId(id)]` (the raw key). Once
 * a recycled id is moved by the removal of another entity, bitECS reports it dead while it lives, so
 * `removeEntity` on it silently does nothing (its components leak and it stays in queries), and
 * `addComponent` on it throws. {@link createEntity} and {@link destroyEntity} wrap bitECS's own
 * `addEntity` / `removeEntity` and, after each, rewrite the raw-keyed `sparse` entries of the ids
 * that moved, so the raw key and the versioned key always agree. O(1) extra work, no allocation.
 * Not covered: entities removed by a relation cascade (`withAutoRemoveSubject`) inside one call.
 *
 * Reference: bitECS 0.4.0 `src/core/EntityIndex.ts` (dense/sparse swap-remove with versions).
 */
import { $internal, addEntity, removeEntity, type World } from 'bitecs';
import { OutOfMemoryError, checkInteger } from '../errors.js';

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
}

/**
 * The entity index of a bitECS world.
 *
 * @throws TypeError when `world` is not a bitECS 0.4 world.
 */
export function entityIndexOf(world: World): BitecsEntityIndex {
  const ctx = (world as { [$internal]?: { entityIndex?: BitecsEntityIndex } } | null)?.[$internal];
  if (!ctx || !ctx.entityIndex) {
    throw new TypeError(`world must be a bitECS 0.4 world (from createWorld), got ${String(world)}`);
  }
  return ctx.entityIndex;
}

/**
 * The raw index of an entity id: the key for typed arrays. O(1). Works for negative int32 ids
 * (versions >= 128 with 8 version bits) because the mask keeps only the low index bits.
 */
export function rawIndexOf(index: BitecsEntityIndex, eid: number): number {
  return eid & index.entityMask;
}

/**
 * Whether `eid` (versioned or not) is alive in `world`: its raw slot in the index holds exactly
 * this id. O(1), allocates nothing, never throws for a wrong-typed or out-of-range id (returns false).
 */
export function isEntityAlive(world: World, eid: number): boolean {
  const index = entityIndexOf(world);
  if (typeof eid !== 'number' || !Number.isInteger(eid)) return false;
  const raw = eid & index.entityMask;
  const at = index.sparse[raw];
  return at !== undefined && at < index.aliveCount && index.dense[at] === eid;
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
 * @throws TypeError when `eid` is not an integer.
 */
export function destroyEntity(world: World, eid: number): boolean {
  const index = entityIndexOf(world);
  checkInteger('eid', eid, -(2 ** 31), 2 ** 32 - 1);
  if (!isEntityAlive(world, eid)) return false;
  // bitECS reads sparse[eid] with the versioned key: make it agree with the (correct) raw key.
  const raw = eid & index.entityMask;
  if (raw !== eid) index.sparse[eid] = index.sparse[raw];
  const last = index.dense[index.aliveCount - 1];
  if (last !== eid && (last & index.entityMask) !== last) index.sparse[last] = index.sparse[last & index.entityMask];
  removeEntity(world, eid);
  if (index.versioning) {
    // The former last entity moved into eid's place; eid's slot now holds its next version.
    syncRawKey(index, last);
    index.sparse[raw] = index.sparse[eid];
  }
  return true;
}
