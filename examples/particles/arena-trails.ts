/**
 * Comet trails in an arena: the demo's variable-size data. Each comet (every `cometEvery`-th
 * particle) keeps its recent positions, a trail whose length varies from comet to comet and over
 * its life, in one block of a steadyheap arena (a `BuddyArena` by default): allocated when the
 * comet spawns, grown with `realloc` while the trail lengthens, shrunk with `realloc` while it
 * retracts as the comet fades, freed when the comet dies. Every frame some of each happen, so
 * the arena's live bytes, free bytes and largest free block (the overlay shows them) move as the
 * blocks come and go. The naive mode holds the same points in `new Float32Array(n)`s.
 *
 * A trail is a ring of `full` points (x, y as f32, `TRAIL_POINT_BYTES` each) inside a block of
 * `capacity` points, `capacity` a power of two: while it grows (`length < full`) the points sit
 * at `[0, length)`, in order; once full, each new point overwrites the oldest at `head`. A
 * trail that starts retracting before it was full becomes a ring of `capacity` points then, so
 * the ring always fits its block once `head` moves. The
 * per-comet fields (block offset, length, head, full length, capacity) are columns of the
 * particle pool. Nothing here allocates JS objects after construction.
 *
 * Runs in Node (no DOM, no PixiJS).
 *
 * @module
 */
import { type Allocator, BuddyArena, FreeListArena, TreeArena } from 'steadyheap';
import { TRAIL_MAX_POINTS, TRAIL_POINT_BYTES } from './physics.ts';

/** The arenas the demo can hold its trails in (`?arena=`). */
export type TrailArenaKind = 'buddy' | 'free-list' | 'tree';

/** Every {@link TrailArenaKind}, the default first. */
export const TRAIL_ARENA_KINDS: readonly TrailArenaKind[] = ['buddy', 'free-list', 'tree'];

/** Points of a new trail's block. */
export const INITIAL_TRAIL_CAPACITY = 4;

/**
 * The columns of a particle pool {@link ArenaTrails} uses: the position it records (read), and
 * the trail's own fields (read and written).
 */
export interface TrailColumns {
  /** Position, px: each `push` appends the slot's current position. */
  x: Float32Array;
  y: Float32Array;
  /** Byte offset of the trail's block in the arena; -1 when the particle has no trail. */
  trailAt: Int32Array;
  /** Points stored. */
  trailLength: Uint16Array;
  /** Ring index of the oldest point (0 until the trail is full). */
  trailHead: Uint16Array;
  /** Points of the ring: the trail's full length, lowered as the comet fades. */
  trailFull: Uint16Array;
  /** Points the block holds (a power of two). */
  trailCapacity: Uint16Array;
}

/** Counters of trail operations, kept in one typed array (indices below). */
export const TRAIL_ALLOCS = 0;
export const TRAIL_GROWS = 1;
export const TRAIL_SHRINKS = 2;
export const TRAIL_FREES = 3;
/** Trails dropped because the arena had no room (should stay 0: the arena is sized for the worst case). */
export const TRAIL_FAILURES = 4;
const TRAIL_COUNTERS = 5;

/** Bytes of the largest trail block: `TRAIL_MAX_POINTS` rounded up to a power of two. */
export const MAX_TRAIL_BLOCK_BYTES = 2 ** Math.ceil(Math.log2(TRAIL_MAX_POINTS)) * TRAIL_POINT_BYTES;

/**
 * Arena bytes for `comets` live comets at most: four largest blocks each (room for a buddy
 * arena's rounding and for fragmentation), a power of two, at least 64 KiB. O(1).
 */
export function trailArenaBytes(comets: number): number {
  return 2 ** Math.max(16, Math.ceil(Math.log2(Math.max(1, comets) * MAX_TRAIL_BLOCK_BYTES * 4)));
}

/** Creates the trail arena of `kind`, `sizeBytes` bytes. Allocates the arena's buffer. */
export function createTrailArena(kind: TrailArenaKind, sizeBytes: number): Allocator {
  switch (kind) {
    case 'buddy':
      return new BuddyArena({ sizeBytes });
    case 'free-list':
      return new FreeListArena({ sizeBytes, fit: 'first' });
    case 'tree':
      return new TreeArena({ sizeBytes });
  }
}

/** The trails of one particle pool in one arena. See the module docs. */
export class ArenaTrails {
  /** Operation counters: `[TRAIL_ALLOCS, TRAIL_GROWS, TRAIL_SHRINKS, TRAIL_FREES, TRAIL_FAILURES]`, since construction or `reset`. */
  readonly counters = new Float64Array(TRAIL_COUNTERS);
  /** Scratch for re-ordering a ring before it shrinks: x, y of up to `TRAIL_MAX_POINTS` points. */
  private readonly scratch = new Float32Array(TRAIL_MAX_POINTS * 2);

  constructor(
    readonly arena: Allocator,
    private readonly columns: TrailColumns,
  ) {}

  /**
   * Gives `slot` a trail of `fullPoints` points at most, starting at its position. O(1) (an
   * arena `tryAlloc`); allocation-free. When the arena has no room the particle simply has no
   * trail. (Positions are read from the columns, not passed: a fractional number passed to a
   * call V8 does not inline is boxed into a new heap number.)
   */
  start(slot: number, fullPoints: number): void {
    const c = this.columns;
    const at = this.arena.tryAlloc(INITIAL_TRAIL_CAPACITY * TRAIL_POINT_BYTES);
    if (at < 0) {
      c.trailAt[slot] = -1;
      this.counters[TRAIL_FAILURES]++;
      return;
    }
    this.counters[TRAIL_ALLOCS]++;
    c.trailAt[slot] = at;
    c.trailLength[slot] = 1;
    c.trailHead[slot] = 0;
    c.trailFull[slot] = fullPoints;
    c.trailCapacity[slot] = INITIAL_TRAIL_CAPACITY;
    const f32 = this.arena.f32;
    f32[at >> 2] = c.x[slot];
    f32[(at >> 2) + 1] = c.y[slot];
  }

  /**
   * Appends the current position of `slot` to its trail and trims the trail to `targetPoints`
   * (never lengthening past its full length): grows the block with `realloc` when it is full
   * and the trail still lengthens, shrinks it to half when the trail fits in a quarter.
   * O(targetPoints) at worst (a shrink re-orders the ring), O(1) usually; allocation-free.
   */
  push(slot: number, targetPoints: number): void {
    const c = this.columns;
    let at = c.trailAt[slot];
    if (at < 0) return;
    let length = c.trailLength[slot];
    let head = c.trailHead[slot];
    let full = c.trailFull[slot];
    const capacity = c.trailCapacity[slot];
    if (length < full && length === capacity) {
      const grown = Math.min(capacity * 2, 2 ** Math.ceil(Math.log2(full)));
      at = this.resize(slot, at, grown, TRAIL_GROWS);
      if (at < 0) return;
      c.trailCapacity[slot] = grown;
    }
    const f32 = this.arena.f32;
    const base = at >> 2;
    const i = base + (length < full ? ((head + length) % full) * 2 : head * 2);
    f32[i] = c.x[slot];
    f32[i + 1] = c.y[slot];
    if (length < full) length++;
    else head = (head + 1) % full;
    // Retract: drop the oldest points beyond the target. A trail retracting before it reached
    // its full length becomes a ring of the points its block holds (the ring must fit the block
    // once its head moves).
    if (length > targetPoints && length > 1 && full > c.trailCapacity[slot]) {
      full = c.trailCapacity[slot];
      c.trailFull[slot] = full;
    }
    while (length > targetPoints && length > 1) {
      head = (head + 1) % full;
      length--;
    }
    const cap = c.trailCapacity[slot];
    if (length * 4 <= cap && cap > INITIAL_TRAIL_CAPACITY) {
      // Re-order the ring to [0, length) and make it exactly `length` long, then halve the block.
      const scratch = this.scratch;
      for (let k = 0; k < length; k++) {
        const from = base + ((head + k) % full) * 2;
        scratch[k * 2] = f32[from];
        scratch[k * 2 + 1] = f32[from + 1];
      }
      for (let k = 0; k < length * 2; k++) f32[base + k] = scratch[k];
      head = 0;
      full = length;
      c.trailFull[slot] = full;
      const halved = cap / 2;
      if (this.resize(slot, at, halved, TRAIL_SHRINKS) < 0) return;
      c.trailCapacity[slot] = halved;
    }
    c.trailLength[slot] = length;
    c.trailHead[slot] = head;
  }

  /** Frees the trail of `slot`, if it has one. O(arena free); allocation-free. */
  end(slot: number): void {
    const c = this.columns;
    const at = c.trailAt[slot];
    if (at < 0) return;
    this.arena.free(at);
    c.trailAt[slot] = -1;
    c.trailLength[slot] = 0;
    this.counters[TRAIL_FREES]++;
  }

  /** Empties the arena and zeroes the counters (the pool's trail columns must be reset too). O(arena reset). */
  reset(): void {
    this.arena.reset();
    this.counters.fill(0);
  }

  /**
   * `realloc`s the block of `slot` to `points` points and counts it in `counter`. Returns the new
   * offset, or -1 after dropping the trail when the arena has no room (the old block stays valid
   * on failure, as `realloc` promises, and is freed here).
   */
  private resize(slot: number, at: number, points: number, counter: number): number {
    try {
      const moved = this.arena.realloc(at, points * TRAIL_POINT_BYTES);
      this.columns.trailAt[slot] = moved;
      this.counters[counter]++;
      return moved;
    } catch {
      this.counters[TRAIL_FAILURES]++;
      this.end(slot);
      return -1;
    }
  }
}
