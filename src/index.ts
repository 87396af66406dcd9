/**
 * steadyheap: garbage-free memory for JavaScript games. Every public export is listed by name.
 *
 * @module
 */

// errors
export {
  OutOfMemoryError,
  InvalidFreeError,
  NULL_OFFSET,
  NULL_HANDLE,
  type ArenaFreeReason,
  type PoolFreeReason,
  type InvalidFreeReason,
} from './errors.js';

// pool (src/pool/)
// -- pool exports --

// arena (src/arena/)
export {
  MAX_ARENA_BYTES,
  MIN_ALIGN_BYTES,
  type Allocator,
  type AllocatorStats,
  type ArenaOptions,
  type BlockVisitor,
} from './arena/allocator.js';
// -- arena exports --

// profile (src/profile/)
// -- profile exports --
