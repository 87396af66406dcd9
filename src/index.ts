/**
 * steadyheap: garbage-free memory for JavaScript games. Every public export is listed by name.
 *
 * @module steadyheap
 */

// errors
export {
  OutOfMemoryError,
  InvalidFreeError,
  InvalidHandleError,
  CorruptionError,
  MAX_LISTED_VIOLATIONS,
  NULL_OFFSET,
  NULL_HANDLE,
  type ArenaFreeReason,
  type PoolFreeReason,
  type HandleLookupReason,
  type InvalidFreeReason,
} from './errors.js';

// pool (src/pool/)
// -- pool exports --
export {
  StructPool,
  type GenerationWrap,
  type StructPoolOptions,
  type StructPoolStats,
} from './pool/struct-pool.js';
export {
  ObjectPool,
  DEFAULT_MAX_RETAINED,
  MAX_OBJECT_POOL_CAPACITY,
  type ObjectPoolOptions,
  type ObjectPoolStats,
} from './pool/object-pool.js';
export {
  HANDLE_BITS,
  HANDLE_LIMIT,
  MAX_POOL_CAPACITY,
  MIN_GENERATION_BITS,
  handleLayoutFor,
  isHandleShaped,
  type Handle,
  type HandleLayout,
} from './pool/handle.js';
export {
  FIELD_KINDS,
  MAX_VECTOR_LENGTH,
  MAX_FIELDS,
  parseSchema,
  type FieldKind,
  type FieldSpec,
  type Schema,
  type Columns,
  type ColumnOf,
  type ColumnTypes,
  type AnyColumn,
  type ColumnConstructor,
  type FieldLayout,
  type KindOf,
} from './pool/schema.js';

// arena (src/arena/)
export {
  DEFAULT_ARENA_BYTES,
  MAX_ARENA_BYTES,
  MAX_ALIGN_BYTES,
  MAX_REQUEST_BYTES,
  MIN_ALIGN_BYTES,
  type Allocator,
  type AllocatorStats,
  type ArenaOptions,
  type BlockVisitor,
} from './arena/allocator.js';
// -- arena exports --
export { BuddyArena, type BuddyArenaOptions } from './arena/buddy-arena.js';
export { SlabArena, type SlabArenaOptions } from './arena/slab-arena.js';
export { FreeListArena, FIT_POLICIES, type FitPolicy, type FreeListArenaOptions } from './arena/free-list-arena.js';
export { TreeArena, type TreeArenaOptions } from './arena/tree-arena.js';

// thread (src/thread/): sharing pools and arenas with workers
// -- thread exports --
export {
  OwnershipError,
  OWNERSHIP_RULE,
  isSharedMemoryAvailable,
} from './thread/ownership.js';
export {
  RemoteFreeQueue,
  QueueFullError,
  DEFAULT_BATCH_SIZE,
  DEFAULT_WAIT_TIMEOUT_MS,
  MIN_QUEUE_CAPACITY,
  MAX_QUEUE_CAPACITY,
  type ShareOptions,
  type WhenFull,
  type RemoteFreeLaneDescriptor,
  type RemoteFreeStats,
  type RemoteFreeTarget,
  type RemoteFreeRejected,
} from './thread/remote-free-queue.js';
export { RemoteFreeSender } from './thread/remote-free-sender.js';
export { AttachedArena, type SharedArenaDescriptor } from './thread/shared-arena.js';
export { AttachedStructPool, type SharedStructPoolDescriptor } from './thread/shared-pool.js';
export {
  ParallelFor,
  ParallelForWorker,
  chunkStart,
  MAX_PARALLEL_WORKERS,
  MAX_PARALLEL_PARAMS,
  MAX_PARALLEL_COUNT,
  type ParallelForOptions,
  type ParallelForDescriptor,
  type ChunkBody,
} from './thread/parallel-for.js';

// snapshot (src/snapshot/)
// -- snapshot exports --
export { SnapshotRing, MAX_RING_FRAMES, type SnapshotRingOptions } from './snapshot/ring.js';
export { TypedArrayState, type AnyTypedArray } from './snapshot/typed-array-state.js';
export {
  saveSnapshot,
  loadSnapshot,
  snapshotBytes,
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_HEADER_BYTES,
} from './snapshot/format.js';
export { encodeDelta, applyDelta, maxDeltaBytes, DELTA_FORMAT_VERSION } from './snapshot/delta.js';
export { checksum32 } from './snapshot/checksum.js';
export { SnapshotError, type SnapshotErrorReason } from './snapshot/snapshot-error.js';
export { STATE_RECORD_VERSION, type Snapshotable } from './snapshot/state-record.js';

// profile (src/profile/)
// -- profile exports --
export {
  FrameProfiler,
  FRAME_CSV_COLUMNS,
  MAX_FRAME_MS,
  MAX_FRAME_US,
  MAX_PROFILER_CAPACITY,
  UNKNOWN_CPU_US,
  type FrameProfilerOptions,
  type FrameSummary,
  type FrameHistogram,
  type PerFrameGc,
} from './profile/frame-profiler.js';
export { HITCH_RULES, countHitches, type HitchCounts } from './profile/hitches.js';
export {
  PERCENTILE_DEFINITION,
  LOW_FPS_TIME_WEIGHTED_DEFINITION,
  LOW_FPS_PERCENTILE_DEFINITION,
} from './profile/statistics.js';
// GcTracker imports no Node module (it uses process.getBuiltinModule at run time): browser-safe.
export { GcTracker, type GcKind, type GcStats, type GcSink, type GcTrackerOptions } from './profile/gc-tracker.js';
