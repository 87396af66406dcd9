/**
 * The reference model the arena conformance suite (`conformance.ts`) checks every arena against:
 * a plain interval set of the live blocks, each `[offset, offset + grantedBytes)` with the bytes
 * asked for and a pattern seed. It knows nothing of headers, trees or free lists; it only states
 * what any correct allocator must do: hand out ranges that lie inside the arena, are aligned,
 * never overlap a live range, and keep their contents until freed.
 *
 * Offsets are kept sorted (binary search, `splice` to insert), so overlap and containment queries
 * are O(log n) and updates O(n) memmove: fine for the few thousand live blocks a test holds.
 */

/** One live block as the model sees it. */
export interface ModelBlock {
  /** Byte offset returned by `alloc` / `realloc`. */
  offset: number;
  /** Bytes asked for. */
  requestedBytes: number;
  /** Bytes granted (`sizeOf(offset)`). */
  grantedBytes: number;
  /** Seed of the byte pattern written into the block. */
  seed: number;
}

/** Sorted interval set of live blocks, with running totals. */
export class IntervalModel {
  private readonly starts: number[] = [];
  private readonly blocks = new Map<number, ModelBlock>();
  /** Sum of `requestedBytes` over live blocks. */
  requestedBytes = 0;
  /** Sum of `grantedBytes` over live blocks. */
  grantedBytes = 0;
  /** Successful allocations recorded (a moving realloc counts one, as in `AllocatorStats`). */
  allocCount = 0;
  /** Successful frees recorded (a moving realloc counts one). */
  freeCount = 0;

  /** Number of live blocks. */
  get size(): number {
    return this.starts.length;
  }

  /** Index of the first start > `offset` (upper bound). O(log n). */
  private upperBound(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The live block containing byte `offset` (start included), or undefined. O(log n). */
  containing(offset: number): ModelBlock | undefined {
    const i = this.upperBound(offset) - 1;
    if (i < 0) return undefined;
    const b = this.blocks.get(this.starts[i])!;
    return offset < b.offset + b.grantedBytes ? b : undefined;
  }

  /** The live block starting exactly at `offset`, or undefined. */
  get(offset: number): ModelBlock | undefined {
    return this.blocks.get(offset);
  }

  /** True when `[offset, offset + bytes)` intersects a live block other than `except`. */
  overlaps(offset: number, bytes: number, except = -1): boolean {
    const i = this.upperBound(offset + bytes - 1) - 1;
    for (let j = i; j >= 0 && j >= i - 1; j--) {
      const b = this.blocks.get(this.starts[j])!;
      if (b.offset === except) continue;
      if (b.offset < offset + bytes && offset < b.offset + b.grantedBytes) return true;
    }
    return false;
  }

  /**
   * Records a new live block.
   * @throws Error when it overlaps a live block (the arena handed out memory twice).
   */
  add(block: ModelBlock): void {
    if (this.overlaps(block.offset, block.grantedBytes)) {
      const other = this.containing(block.offset) ?? this.containing(block.offset + block.grantedBytes - 1);
      throw new Error(
        `block [${block.offset}, +${block.grantedBytes}) overlaps live block ` +
          (other ? `[${other.offset}, +${other.grantedBytes})` : '(one inside it)'),
      );
    }
    this.starts.splice(this.upperBound(block.offset), 0, block.offset);
    this.blocks.set(block.offset, block);
    this.requestedBytes += block.requestedBytes;
    this.grantedBytes += block.grantedBytes;
  }

  /** Removes the live block at `offset` and returns it. @throws Error when there is none. */
  remove(offset: number): ModelBlock {
    const b = this.blocks.get(offset);
    if (!b) throw new Error(`model: no live block at ${offset}`);
    this.starts.splice(this.upperBound(offset) - 1, 1);
    this.blocks.delete(offset);
    this.requestedBytes -= b.requestedBytes;
    this.grantedBytes -= b.grantedBytes;
    return b;
  }

  /** Live blocks in address order (a copy). */
  list(): ModelBlock[] {
    return this.starts.map((s) => this.blocks.get(s)!);
  }

  /** Forgets everything (as after `reset()`), counters included. */
  clear(): void {
    this.starts.length = 0;
    this.blocks.clear();
    this.requestedBytes = 0;
    this.grantedBytes = 0;
    this.allocCount = 0;
    this.freeCount = 0;
  }
}

/** Byte `i` of the pattern with seed `seed`: cheap, position-dependent, seed-dependent. */
export function patternByte(seed: number, i: number): number {
  return (seed + i * 131 + (i >>> 8)) & 255;
}

/** Writes the pattern for `seed` into `u8[offset, offset + bytes)`. */
export function writePattern(u8: Uint8Array, offset: number, bytes: number, seed: number): void {
  for (let i = 0; i < bytes; i++) u8[offset + i] = patternByte(seed, i);
}

/**
 * Returns the index of the first byte of `u8[offset, offset + bytes)` that differs from the
 * pattern for `seed`, or -1 when all match.
 */
export function findPatternMismatch(u8: Uint8Array, offset: number, bytes: number, seed: number): number {
  for (let i = 0; i < bytes; i++) if (u8[offset + i] !== patternByte(seed, i)) return i;
  return -1;
}
