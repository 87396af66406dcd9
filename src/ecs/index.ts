/**
 * `steadyheap/bitecs`: the bitECS 0.4 bridge. Pool-backed components (two layouts, hooks that
 * cannot be bypassed), cached joins over them (`PoolQuery`), garbage-free entity churn through an
 * entity pool, entity churn with real deletion and no garbage through an entity registry and its
 * membership sets (tags), and entity-id helpers that key by the raw index and compare the version (working
 * around bitECS 0.4.0's versioned index fault). bitecs is an optional peer dependency: only this entry point imports it.
 *
 * @module steadyheap/bitecs
 */
export {
  clearWorld,
  createEntity,
  destroyEntity,
  entityIndexOf,
  isEntityAlive,
  rawIndexOf,
  type BitecsEntityIndex,
} from './entity-ids.js';
export {
  MAX_COLUMN_BYTES,
  PoolComponent,
  definePoolComponent,
  type ComponentLayout,
  type ComponentMembership,
  type PoolComponentOptions,
  type PoolComponentStats,
} from './pool-component.js';
export { EntityPool, type EntityPoolOptions } from './entity-pool.js';
export { PoolQuery, definePoolQuery } from './pool-query.js';
export {
  EntityRegistry,
  defineEntityRegistry,
  type EntityRegistryOptions,
  type EntityRegistryStats,
} from './entity-registry.js';
export { EntitySet } from './entity-set.js';
