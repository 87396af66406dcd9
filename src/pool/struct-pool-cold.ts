// biome-ignore-all lint/complexity/useLiteralKeys: reads the pool's private counters by element access, which TypeScript checks against the class
/**
 * The cold code of `StructPool` that reads its private state whole: `stats()`'s filling,
 * `check()`'s gathering, and its out-of-memory errors. Out of `struct-pool.ts` to keep that file
 * to its hot paths and contracts.
 *
 * @module
 */
import { OutOfMemoryError } from '../errors.js';
import { MAX_POOL_CAPACITY } from './handle.js';
import type { AnyColumn, Schema } from './schema.js';
import { checkStructPool } from './slot-table.js';
import type { StructPool } from './struct-pool.js';
import type { StructPoolStats } from './struct-pool-options.js';

/** Fills `s` with the counters of `pool` and returns it (`StructPool.stats`). O(1), allocates nothing. */
export function fillPoolStats(pool: StructPool<Schema>, s: StructPoolStats): StructPoolStats {
  const live = pool['live'];
  const retired = pool['retiredCount'];
  const capacity = pool['slotCapacity'];
  s.liveSlots = s.size = live;
  s.freeSlots = s.free = capacity - live - retired;
  s.retiredSlots = retired;
  s.capacity = capacity;
  s.maxCapacity = pool.maxCapacity;
  s.peakSize = pool['peakSize'];
  s.allocCount = pool['freeCount'] + pool['clearedCount'] + live;
  s.freeCount = pool['freeCount'];
  s.clearedCount = pool['clearedCount'];
  s.failedAllocCount = pool['failedAllocCount'];
  s.growCount = pool['growCount'];
  s.bytesPerSlot = pool.bytesPerSlot;
  s.columnBytes = capacity * pool.bytesPerSlot;
  s.indexBits = pool.indexBits;
  s.generationBits = pool.generationBits;
  s.lengthTracking = pool['lengthTracking'];
  s.zeroOnAlloc = pool.zeroOnAlloc;
  s.generationWrap = pool.generationWrap;
  return s;
}

/** The OutOfMemoryError of a pool that has no free slot and cannot grow. Cold path. */
export function fullPoolError(pool: StructPool<Schema>): OutOfMemoryError {
  const retired = pool['retiredCount'];
  const retiredNote =
    retired === 0 ? '' : ` (${retired} of them retired: their generations ran out, see StructPool's docs)`;
  const capacity = pool['slotCapacity'];
  return new OutOfMemoryError(
    capacity >= pool.maxCapacity
      ? `StructPool is full: all ${pool.maxCapacity} slots are live or retired, ${pool['live']} live${retiredNote}; raise options.maxCapacity (at most ${MAX_POOL_CAPACITY})`
      : `StructPool could not grow past ${capacity} slots (maxCapacity ${pool.maxCapacity}): the runtime refused the memory`,
    1,
    'slots',
    pool.stats(),
  );
}

/**
 * The OutOfMemoryError of a growth to `capacity` slots the runtime refused (`reserve`, a load of
 * a larger saved state); `where` names the caller for the message. Cold path.
 */
export function growRefusedError(pool: StructPool<Schema>, capacity: number, where: string): OutOfMemoryError {
  const current = pool['slotCapacity'];
  return new OutOfMemoryError(
    `${where} could not grow from ${current} to ${capacity} slots: the runtime refused the memory`,
    capacity - current,
    'slots',
    pool.stats(),
  );
}

/** `StructPool.check()`: hands the pool's whole state to `checkStructPool` (`slot-table.ts`). */
export function checkPool(pool: StructPool<Schema>): void {
  checkStructPool({
    dense: pool['denseArray'],
    slots: pool['slots'],
    size: pool['live'],
    capacity: pool['slotCapacity'],
    maxCapacity: pool.maxCapacity,
    indexBits: pool.indexBits,
    queue: pool['queue'],
    queueHead: pool['queueHead'],
    queueTail: pool['queueTail'],
    retired: pool['retiredCount'],
    retire: pool['retire'],
    peakSize: pool['peakSize'],
    layout: pool.layout,
    fields: pool.fields as Record<string, AnyColumn>,
  });
}
