// biome-ignore-all lint/complexity/useLiteralKeys: reads the pool's private arrays by element access, which TypeScript checks against the class
/**
 * The validation of an {@link EntityPool}: the cold code that reads its arrays whole, apart from
 * the O(1) paths in `entity-pool.ts`.
 *
 * @module
 */
import { NULL_HANDLE, Violations } from '../errors.js';
import { isEntityAlive } from './entity-ids.js';
import type { EntityPool } from './entity-pool.js';

/**
 * Validates in O(capacity + parked): the slot pool's own check; every live slot's entity is
 * alive in the world, maps back to its slot, has the slot's live handle and every pooled
 * component; every parked entity is alive, maps back to its stack position and has none;
 * `createdCount` is live plus parked.
 *
 * @throws CorruptionError listing every violation found.
 */
export function checkEntityPool(pool: EntityPool): void {
  const v = new Violations('EntityPool');
  const fail = v.report;
  v.include('slots: ', () => pool.slots.check());
  const mask = pool['index'].entityMask;
  const slots = pool.slots;
  for (let s = 0; s < pool['eidOfSlot'].length; s++) {
    const eid = pool['eidOfSlot'][s];
    const h = pool['handleOfSlot'][s];
    const live = s < slots.capacity && slots.isAlive(h) && (h & pool['slotMask']) === s;
    if (eid === 0) {
      if (h !== NULL_HANDLE) fail(`free slot ${s} has handle ${h}`);
      continue;
    }
    if (!live) fail(`slot ${s} holds entity ${eid} but handle ${h} is not live`);
    if (!isEntityAlive(pool.world, eid)) fail(`entity ${eid} of slot ${s} is not alive`);
    if (pool['slotOfRaw'][eid & mask] !== s + 1) fail(`slot map of ${eid} is wrong`);
    for (const c of pool['components']) if (!c.has(eid)) fail(`live entity ${eid} lacks a pooled component`);
  }
  for (let i = 0; i < slots.size; i++) {
    if (pool['eidOfSlot'][slots.dense[i]] === 0) fail(`live slot ${slots.dense[i]} has no entity`);
  }
  for (let p = 0; p < pool['parkedCount']; p++) {
    const eid = pool['parked'][p];
    if (!isEntityAlive(pool.world, eid)) fail(`parked entity ${eid} is not alive`);
    if (pool['slotOfRaw'][eid & mask] !== -(p + 1)) fail(`slot map of parked ${eid} is wrong`);
    for (const c of pool['components']) if (c.has(eid)) fail(`parked entity ${eid} has a pooled component`);
  }
  if (pool['created'] !== slots.size + pool['parkedCount']) {
    fail(`createdCount ${pool['created']} !== ${slots.size} live + ${pool['parkedCount']} parked`);
  }
  v.throwIfAny();
}
