// biome-ignore-all lint/complexity/useLiteralKeys: the parts read the pool's private fields by element access, which TypeScript checks against the class (see state-parts.ts)
/**
 * The state of a `StructPool`, as {@link StateParts} (layout of the arrays in
 * `src/pool/slot-table.ts`):
 *
 * | sections | counters |
 * |---|---|
 * | every column and `dense` (`capacity` slots each), the slot table (`capacity` entries), the free-queue ring (`capacity + 1` int32s) | capacity, live slots, peak size, queue head, queue tail, retired slots, frees, cleared, failed allocs, growths |
 *
 * After a load the pool behaves exactly as it did at the save: the same handles live, the same
 * handles dead (stale and retired ones included), the same free-queue order and so the same next
 * handles, the same `stats()`. Every array is saved whole, as it lies (the ring with its head and
 * tail, `dense` past `size`, the columns of free slots), so every section has a length fixed by
 * the capacity and a load is one `TypedArray.set` per array, allocating nothing; two pools with
 * the same history save the same bytes.
 *
 * Options: a state loads only into a pool of the same schema (names, kinds, vector lengths, in
 * order), `maxCapacity` (and so `indexBits` / `generationBits`), `zeroOnAlloc`, `generationWrap`
 * and growability; anything else is refused with `SnapshotError` reason `'options'` and the pool
 * is unchanged.
 *
 * Capacity: a growable pool's capacity is state (`stats().capacity`, the slots the next handles
 * come from). Loading a state saved at another capacity resizes the pool to it first: a pool that
 * grew since the save shrinks back (its columns and `dense` are length-tracking views over
 * resizable buffers, so the views you hold shrink with them and stay valid), one that is smaller
 * grows (through its own all-or-none growth). Either allocates a new slot table and free queue;
 * loading a state of the same capacity allocates nothing. A pool with `capacity === maxCapacity`
 * (not growable) has one capacity, always.
 *
 * @module
 */
import { resizeColumnBuffers } from '../pool/column-buffer.js';
import type { Schema } from '../pool/schema.js';
import { SLOT_STRIDE } from '../pool/slot-table.js';
import type { StructPool } from '../pool/struct-pool.js';
import { growRefusedError } from '../pool/struct-pool-cold.js';
import { PartsBase, bytesOf, cachedParts } from './state-parts.js';
import { STATE_KINDS, type IncomingRecord, type StateParts } from './state-record.js';

/** Counters, in saved order. */
const POOL_COUNTERS = [
  'capacity',
  'liveSlots',
  'peakSize',
  'queueHead',
  'queueTail',
  'retiredSlots',
  'freeCount',
  'clearedCount',
  'failedAllocCount',
  'growCount',
] as const;
const CAPACITY = 0;
const LIVE = 1;
const PEAK = 2;
const HEAD = 3;
const TAIL = 4;
const RETIRED = 5;

/** The options of a pool that a saved state must match, in words. */
export function poolOptions(pool: StructPool<Schema>): string {
  const fields = pool.layout.map((f) => `${f.name}:${f.kind}${f.elementsPerSlot > 1 ? `[${f.elementsPerSlot}]` : ''}`);
  return (
    `{${fields.join(' ')}} maxCapacity=${pool.maxCapacity} generationBits=${pool.generationBits} ` +
    `zeroOnAlloc=${pool.zeroOnAlloc} generationWrap=${pool.generationWrap} growable=${pool['lengthTracking']}`
  );
}

class PoolParts extends PartsBase {
  /** Byte views of the columns then `dense` (length-tracking for a growable pool). */
  private readonly views: Uint8Array[];
  /** Bytes per slot of the columns. */
  private readonly columnBytes: number[];
  /** Section indexes of `dense`, the slot table and the free queue. */
  private readonly denseSection: number;
  /** The slot table's and the queue's byte views, and the arrays they were made over (replaced on growth). */
  private slotsView: Uint8Array;
  private slotsSource: Int32Array;
  private queueView: Uint8Array;
  private queueSource: Int32Array;

  constructor(private readonly pool: StructPool<Schema>) {
    const columns = pool.layout.map((f) => `column ${f.name}`);
    super(STATE_KINDS.StructPool, 'StructPool', poolOptions(pool), POOL_COUNTERS, [
      ...columns,
      'dense',
      'slot table',
      'free queue',
    ]);
    // Whole-buffer views: length-tracking over a growable pool's resizable buffers.
    this.views = [...pool['buffers'].map((b) => new Uint8Array(b)), new Uint8Array(pool['denseBuffer'])];
    this.columnBytes = pool.layout.map((f) => f.bytesPerSlot);
    this.denseSection = columns.length;
    this.slotsSource = pool['slots'];
    this.slotsView = bytesOf(this.slotsSource);
    this.queueSource = pool['queue'];
    this.queueView = bytesOf(this.queueSource);
  }

  readCounters(): void {
    const p = this.pool;
    const c = this.counters;
    c[0] = p['slotCapacity'];
    c[1] = p['live'];
    c[2] = p['peakSize'];
    c[3] = p['queueHead'];
    c[4] = p['queueTail'];
    c[5] = p['retiredCount'];
    c[6] = p['freeCount'];
    c[7] = p['clearedCount'];
    c[8] = p['failedAllocCount'];
    c[9] = p['growCount'];
  }

  sectionView(i: number): Uint8Array {
    if (i <= this.denseSection) return this.views[i];
    if (i === this.denseSection + 1) {
      const slots = this.pool['slots'];
      if (slots !== this.slotsSource) {
        this.slotsSource = slots; // replaced by growth (or a load at another capacity)
        this.slotsView = bytesOf(slots);
      }
      return this.slotsView;
    }
    const queue = this.pool['queue'];
    if (queue !== this.queueSource) {
      this.queueSource = queue;
      this.queueView = bytesOf(queue);
    }
    return this.queueView;
  }

  sectionBytes(i: number): number {
    return this.bytesFor(i, this.pool['slotCapacity']);
  }

  /** Bytes of section `i` in a pool of `capacity` slots. */
  private bytesFor(i: number, capacity: number): number {
    const d = this.denseSection;
    if (i < d) return capacity * this.columnBytes[i];
    if (i === d) return capacity * 4;
    if (i === d + 1) return capacity * SLOT_STRIDE * 4;
    return (capacity + 1) * 4;
  }

  validate(incoming: IncomingRecord): string {
    const c = incoming.counters;
    const p = this.pool;
    const capacity = c[CAPACITY];
    const problem =
      this.allCounts(incoming) ||
      this.countIn(incoming, CAPACITY, 1, p.maxCapacity) ||
      this.countIn(incoming, LIVE, 0, capacity) ||
      this.countIn(incoming, PEAK, c[LIVE], capacity) ||
      this.countIn(incoming, HEAD, 0, capacity) ||
      this.countIn(incoming, TAIL, 0, capacity) ||
      this.countIn(incoming, RETIRED, 0, p['retire'] ? capacity - c[LIVE] : 0);
    if (problem !== '') return problem;
    if (!p['lengthTracking'] && capacity !== p['slotCapacity']) {
      return `capacity ${capacity}, this pool cannot grow from ${p['slotCapacity']}`;
    }
    const queued = c[TAIL] >= c[HEAD] ? c[TAIL] - c[HEAD] : c[TAIL] + capacity + 1 - c[HEAD];
    if (queued !== capacity - c[LIVE] - c[RETIRED]) {
      return `the free queue holds ${queued} slots, capacity - live - retired is ${capacity - c[LIVE] - c[RETIRED]}`;
    }
    for (let i = 0; i < this.sectionCount; i++) {
      const expected = this.bytesFor(i, capacity);
      if (incoming.sectionBytes[i] !== expected) {
        return `section ${this.sectionNames[i]} has ${incoming.sectionBytes[i]} bytes, ${expected} expected for ${capacity} slots`;
      }
    }
    return '';
  }

  /**
   * Resizes the pool to the saved capacity (see the module doc). Growth goes through the pool's
   * own all-or-none growth (the copy then overwrites every slot and the queue); shrinking resizes
   * its buffers down and takes a shorter slot table and queue.
   * @throws OutOfMemoryError when the runtime refuses the memory for a growth (nothing changed).
   */
  override prepare(incoming: IncomingRecord): void {
    const p = this.pool;
    const capacity = incoming.counters[CAPACITY];
    const current = p['slotCapacity'];
    if (capacity === current) return;
    if (capacity > current) {
      if (!p['growTo'](capacity)) {
        throw growRefusedError(p, capacity, 'StructPool.loadState');
      }
      return;
    }
    resizeColumnBuffers([...p['buffers'], p['denseBuffer']], [...this.columnBytes, 4], current, capacity);
    p['slots'] = p['slots'].slice(0, capacity * SLOT_STRIDE);
    p['queue'] = new Int32Array(capacity + 1);
    p['slotCapacity'] = capacity;
  }

  /** Sets the counters; `| 0` keeps the slot counts small integers, as the pool's constructor does. */
  writeCounters(incoming: IncomingRecord): void {
    const p = this.pool;
    const c = incoming.counters;
    p['slotCapacity'] = c[0] | 0;
    p['live'] = c[1] | 0;
    p['peakSize'] = c[2] | 0;
    p['queueHead'] = c[3] | 0;
    p['queueTail'] = c[4] | 0;
    p['retiredCount'] = c[5] | 0;
    p['freeCount'] = c[6];
    p['clearedCount'] = c[7];
    p['failedAllocCount'] = c[8];
    p['growCount'] = c[9];
  }
}

/** The state parts of a `StructPool`, made once per pool. */
export function poolStateParts(pool: StructPool<Schema>): StateParts {
  return cachedParts(pool, PoolParts);
}
