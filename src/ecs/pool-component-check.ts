// biome-ignore-all lint/complexity/useLiteralKeys: reads the component's private arrays by element access, which TypeScript checks against the class
/**
 * The validation of a {@link PoolComponent}: the cold code that reads its arrays whole, apart from
 * the O(1) paths in `pool-component.ts`.
 *
 * @module
 */
import { Prefab, hasComponent } from 'bitecs';
import { Violations } from '../errors.js';
import type { Schema } from '../pool/schema.js';
import type { StructPool } from '../pool/struct-pool.js';
import { isEntityAlive } from './entity-ids.js';
import type { PoolComponent } from './pool-component.js';

/**
 * Validates the invariants of a pool component in O(count + entityCapacity + live entities):
 * packed entries and owners agree, every owner is alive in the world (and, for `'bitecs'`, has
 * the bitECS component), column indices are distinct and in range, all per-entity arrays and
 * columns agree on capacity, and the pool (slot layout) is consistent with `count`. For
 * `'bitecs'` membership also the converse: no live entity but a prefab has the bitECS component
 * without a slot (what a bare bitECS `addComponent` on a full component leaves behind: `query()`
 * lists the entity but it has no data; a prefab added that way has no slot by design, and its
 * heirs start at zero).
 *
 * @throws CorruptionError listing every violation found.
 */
export function checkPoolComponent(c: PoolComponent<Schema>): void {
  const { world } = c;
  const index = c['index'];
  const layouts = c['layouts'];
  const ownerOf = c['ownerOf'];
  const packedOf = c['packedOf'];
  const anchoredOf = c['anchoredOf'];
  const capacityValue = c['capacityValue'];
  const v = new Violations('PoolComponent');
  const fail = v.report;
  if (packedOf.length !== ownerOf.length || anchoredOf.length !== ownerOf.length) {
    fail('per-entity arrays disagree on capacity');
  }
  if (c.entities.length !== c.indices.length) fail('packed arrays disagree on capacity');
  if (c.count < 0 || c.count > c.entities.length) fail(`count ${c.count} out of range`);
  if (c.layout === 'entity') {
    for (const f of layouts) {
      const column = (c.fields as Record<string, { length: number }>)[f.name];
      if (column.length !== capacityValue * f.elementsPerSlot) fail(`column ${f.name} has the wrong length`);
    }
    if (ownerOf.length !== capacityValue) fail('owner array and columns disagree on capacity');
  } else {
    const pool = c.pool as StructPool<Schema>;
    v.include('pool: ', () => pool.check());
    if (pool.size !== c.count) fail(`pool size ${pool.size} != count ${c.count}`);
  }
  const seen = new Set<number>();
  const packed = Math.min(c.count, c.entities.length);
  for (let i = 0; i < packed; i++) {
    const eid = c.entities[i];
    const raw = eid & index.entityMask;
    if (ownerOf[raw] !== eid) fail(`packed entity ${eid} does not own raw index ${raw}`);
    if (packedOf[raw] !== i) fail(`packed position of ${eid} is wrong`);
    const at = c.indices[i];
    if (at < 0 || at >= c.capacity) fail(`column index ${at} out of range`);
    if (c.layout === 'entity' && at !== raw) fail(`entity layout index ${at} != raw ${raw}`);
    if (seen.has(at)) fail(`column index ${at} used twice`);
    seen.add(at);
    if (!isEntityAlive(world, eid)) fail(`entity ${eid} has the component but is dead`);
    if (c.membership === 'bitecs' && !hasComponent(world, eid, c)) fail(`bitECS mask of ${eid} lacks the component`);
  }
  let owners = 0;
  for (let raw = 0; raw < ownerOf.length; raw++) if (ownerOf[raw] !== 0) owners++;
  if (owners !== c.count) fail(`${owners} owners recorded but count is ${c.count}`);
  if (c.membership === 'bitecs' && !c.followsStaleIndex) {
    for (let i = 0; i < index.aliveCount; i++) {
      const eid = index.dense[i];
      if (hasComponent(world, eid, c) && c.indexOf(eid) === -1 && !hasComponent(world, eid, Prefab)) {
        fail(`entity ${eid} has the bitECS component (query() lists it) but no slot`);
      }
    }
  }
  v.throwIfAny();
}
