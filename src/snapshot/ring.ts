/**
 * `SnapshotRing`: the last N frames of a set of structures, saved and restored by copying bytes,
 * for rollback netcode.
 *
 * Rollback (GGPO): each frame the game saves its state, simulates with the inputs it has
 * (predicting a remote player's late input as a repeat of their last one), and when the real
 * input arrives and differs, restores the state of the frame before it and re-simulates up to
 * the present with the corrected inputs. Both peers compare a checksum of the same frame's
 * state to detect a desync. This class is the save / restore / checksum part: one preallocated
 * buffer of `capacity` frame slots, frame `f` in slot `f % capacity`.
 *
 * Source: T. Cannon, GGPO (https://github.com/pond3r/ggpo): `save_game_state` /
 * `load_game_state` / checksum callbacks and the sync layer's saved-state ring
 * (`src/lib/ggpo/sync.cpp`, 8 frames of prediction by default); the checksum is xxHash32
 * (`checksum.ts`).
 *
 * @module
 */
import { checkInteger, checkOptions, describeValue } from '../errors.js';
import { hashRange } from './checksum.js';
import { statePartsOf } from './state-parts.js';
import {
  applyRecord,
  pad8,
  readRecord,
  requireLittleEndian,
  stateBytesOf,
  ViewCache,
  writeRecord,
  type Snapshotable,
  type StateParts,
} from './state-record.js';

/** Options of {@link SnapshotRing}. */
export interface SnapshotRingOptions {
  /**
   * Frames kept: the ring holds the last `capacity` saved frames (frame `f` in slot
   * `f % capacity`). An integer in [1, 65536]. Default 16: GGPO's default prediction window of
   * 8 frames, twice.
   */
  capacity?: number;
  /**
   * Bytes reserved per frame slot, at least what the structures need now. Default: their
   * `stateBytes` now plus a quarter, rounded up to 8. A save that needs more grows every slot
   * (one allocation and a copy of the frames held; `growCount` counts them): give room for the
   * largest state you expect (for example the pools at `maxCapacity`) to never grow mid-game.
   */
  frameBytes?: number;
}

/** Largest `capacity` of a ring, in frames. */
export const MAX_RING_FRAMES = 2 ** 16;

/** Default `capacity`: 16 frames. */
const DEFAULT_RING_FRAMES = 16;

/** "No frame" in a slot. */
const EMPTY_SLOT = -1;

/**
 * The last `capacity` frames of a fixed set of structures, in one preallocated buffer.
 *
 * ```ts
 * const ring = new SnapshotRing([particles, arena], { capacity: 16 });
 * ring.save(frame);                          // every frame, after simulating it
 * // a late input for frame 37 arrived: go back and re-simulate
 * ring.restore(36);
 * for (let f = 37; f <= frame; f++) { simulate(f); ring.save(f); }
 * const sum = ring.checksum(frame);          // compare with the peer's for this frame
 * ```
 *
 * Structures of this library are saved and restored through their internal state layout, so
 * `save` and `restore` allocate nothing (tested with Node's `perf_hooks` GC observer over many
 * frames), and `restore` validates every structure's saved record before it changes any. Any
 * other object with `stateBytes` / `saveState` / `loadState` (see `Snapshotable`) can be in the
 * set; its allocation and validation are its own, and it is loaded before ours.
 *
 * Costs: `save` and `restore` O(state bytes), one memory copy per typed array of each structure
 * (figures in `bench/README.md`, section Snapshots); `checksum` O(state bytes) the first time for
 * a frame, O(1) after; `has` O(1).
 */
export class SnapshotRing {
  /** The structures saved, in order. */
  readonly structures: readonly Snapshotable[];
  /** Frames kept. */
  readonly capacity: number;
  /** Each structure's state parts (ours), or null (saved through its public methods). */
  private readonly parts: (StateParts | null)[];
  private slotBytes: number;
  private bytes: Uint8Array;
  private words: Int32Array;
  /** Per slot: its frame number or EMPTY_SLOT, bytes used, checksum (or -1 until computed). */
  private readonly frameOf: Float64Array;
  private readonly usedBytes: Float64Array;
  private readonly checksums: Float64Array;
  /** Per slot and structure: where its record starts (absolute byte index). */
  private readonly recordStart: Float64Array;
  /** Per slot and structure: the views a restore copies from. */
  private readonly views: ViewCache[];
  private grows = 0;

  /**
   * @param structures - the structures to save, in a fixed order (each at most once): arenas,
   *   pools, bridge components, `TypedArrayState`, or any `Snapshotable`.
   * @param options - {@link SnapshotRingOptions}.
   * @throws TypeError when `structures` is not an array of `Snapshotable`s or lists one twice;
   *   TypeError / RangeError for bad options (`capacity` outside [1, 65536], `frameBytes`
   *   below the structures' state bytes); SnapshotError `'byte-order'` on a big-endian host.
   */
  constructor(structures: readonly Snapshotable[], options?: SnapshotRingOptions) {
    requireLittleEndian();
    if (!Array.isArray(structures)) {
      throw new TypeError(`structures must be an array, got ${describeValue(structures)}`);
    }
    const opts = checkOptions('SnapshotRing options', options, ['capacity', 'frameBytes']);
    this.capacity =
      opts.capacity === undefined ? DEFAULT_RING_FRAMES : checkInteger('capacity', opts.capacity, 1, MAX_RING_FRAMES);
    this.structures = [...structures];
    this.parts = this.structures.map((s, i) => partsOrPublic(s, i, this.structures));
    const needed = this.neededBytes();
    this.slotBytes =
      opts.frameBytes === undefined
        ? pad8(Math.ceil(needed * 1.25))
        : pad8(checkInteger('frameBytes', opts.frameBytes, needed, Number.MAX_SAFE_INTEGER));
    this.bytes = new Uint8Array(this.capacity * this.slotBytes);
    this.words = new Int32Array(this.bytes.buffer);
    this.frameOf = new Float64Array(this.capacity).fill(EMPTY_SLOT);
    this.usedBytes = new Float64Array(this.capacity);
    this.checksums = new Float64Array(this.capacity).fill(-1);
    this.recordStart = new Float64Array(this.capacity * this.structures.length);
    this.views = Array.from({ length: this.capacity * this.structures.length }, () => new ViewCache());
  }

  /** Bytes reserved per frame slot (grows when a save needs more). */
  get frameBytes(): number {
    return this.slotBytes;
  }

  /** Times a save found its slot too small and grew every slot. */
  get growCount(): number {
    return this.grows;
  }

  /**
   * Saves every structure's state as frame `frame`, over whatever its slot held (frame
   * `frame - capacity`, or a frame of a timeline a rollback replaced). O(state bytes);
   * allocates nothing unless the state outgrew `frameBytes` (then every slot grows).
   * @returns bytes saved.
   * @throws TypeError / RangeError when `frame` is not an integer in [0, 2^53).
   */
  save(frame: number): number {
    const slot = this.slotOf(frame, 'save');
    const needed = this.neededBytes();
    if (needed > this.slotBytes) this.grow(needed);
    const n = this.structures.length;
    let pos = slot * this.slotBytes;
    this.frameOf[slot] = EMPTY_SLOT; // until the whole frame is written (a structure of yours may throw)
    for (let k = 0; k < n; k++) {
      this.recordStart[slot * n + k] = pos;
      const parts = this.parts[k];
      if (parts !== null) {
        pos += writeRecord(parts, this.bytes, pos, stateBytesOf(parts));
      } else {
        const s = this.structures[k];
        const expected = s.stateBytes;
        const wrote = s.saveState(this.bytes, pos);
        if (wrote !== expected) {
          throw new RangeError(
            `SnapshotRing.save: structure ${k} wrote ${wrote} bytes but its stateBytes said ${expected}`,
          );
        }
        this.bytes.fill(0, pos + wrote, pos + pad8(wrote)); // deterministic padding
        pos += pad8(wrote);
      }
    }
    this.frameOf[slot] = frame;
    this.usedBytes[slot] = pos - slot * this.slotBytes;
    this.checksums[slot] = -1;
    return this.usedBytes[slot];
  }

  /**
   * Restores every structure to its state at frame `frame` and drops the frames saved after it
   * (they belong to the timeline being replaced; re-simulating saves them again). Every
   * structure's record is checked before any is written, so a refused restore changes nothing
   * (structures that are not ours are loaded first and validate themselves). Views the user
   * holds (columns, `dense`, arena buffers) stay valid. O(state bytes); allocates nothing
   * unless a structure must grow to the saved size.
   * @throws TypeError / RangeError when `frame` is not an integer in [0, 2^53) or is not held
   *   (the message names the frames held); SnapshotError when a saved record no longer fits its
   *   structure.
   */
  restore(frame: number): void {
    const slot = this.heldSlot(frame, 'restore');
    const n = this.structures.length;
    const end = slot * this.slotBytes + this.usedBytes[slot];
    for (let k = 0; k < n; k++) {
      const parts = this.parts[k];
      if (parts !== null) readRecord(parts, this.bytes, this.recordStart[slot * n + k], end, 'SnapshotRing.restore');
    }
    for (let k = 0; k < n; k++) {
      if (this.parts[k] === null) this.structures[k].loadState(this.bytes, this.recordStart[slot * n + k]);
    }
    for (let k = 0; k < n; k++) {
      const parts = this.parts[k];
      if (parts !== null) applyRecord(parts, this.views[slot * n + k]);
    }
    for (let s = 0; s < this.capacity; s++) if (this.frameOf[s] > frame) this.frameOf[s] = EMPTY_SLOT;
  }

  /**
   * The xxHash32 of frame `frame`'s saved bytes: equal on two peers whose structures were in the
   * same state at that frame (the bytes are a function of the state alone). O(state bytes) the
   * first time, then cached until the slot is saved again; allocates nothing.
   * @throws as {@link SnapshotRing.restore} for a frame not held.
   */
  checksum(frame: number): number {
    const slot = this.heldSlot(frame, 'checksum');
    if (this.checksums[slot] < 0) {
      this.checksums[slot] = hashRange(this.bytes, slot * this.slotBytes, this.usedBytes[slot], 0, this.words);
    }
    return this.checksums[slot];
  }

  /** Whether frame `frame` is held (saved, not overwritten, not dropped by a restore). O(1). */
  has(frame: number): boolean {
    if (!(Number.isInteger(frame) && frame >= 0)) return false;
    return this.frameOf[frame % this.capacity] === frame;
  }

  /**
   * The saved bytes of frame `frame`: a view into the ring (no copy), valid until that slot is
   * saved again or the ring grows. For a delta against another frame (`encodeDelta`) or to
   * write to disk (the records are those of `saveSnapshot`, without its header). Allocates the
   * view.
   * @throws as {@link SnapshotRing.restore} for a frame not held.
   */
  bytesOf(frame: number): Uint8Array {
    const slot = this.heldSlot(frame, 'bytesOf');
    return this.bytes.subarray(slot * this.slotBytes, slot * this.slotBytes + this.usedBytes[slot]);
  }

  /** The newest frame held, or -1 when none. O(capacity). */
  get newestFrame(): number {
    let newest = EMPTY_SLOT;
    for (let s = 0; s < this.capacity; s++) if (this.frameOf[s] > newest) newest = this.frameOf[s];
    return newest;
  }

  /** The oldest frame held, or -1 when none. O(capacity). */
  get oldestFrame(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (let s = 0; s < this.capacity; s++) {
      if (this.frameOf[s] !== EMPTY_SLOT && this.frameOf[s] < oldest) oldest = this.frameOf[s];
    }
    return oldest === Number.POSITIVE_INFINITY ? EMPTY_SLOT : oldest;
  }

  /** Forgets every frame (the buffer is kept). O(capacity). */
  clear(): void {
    this.frameOf.fill(EMPTY_SLOT);
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Bytes every structure's state needs now, records padded to 8. */
  private neededBytes(): number {
    let bytes = 0;
    for (let k = 0; k < this.structures.length; k++) {
      const parts = this.parts[k];
      bytes += parts !== null ? stateBytesOf(parts) : pad8(this.structures[k].stateBytes);
    }
    return bytes;
  }

  /** The slot of `frame`, after checking it is a frame number. */
  private slotOf(frame: number, method: string): number {
    if (!(typeof frame === 'number' && Number.isInteger(frame) && frame >= 0 && frame <= Number.MAX_SAFE_INTEGER)) {
      checkInteger(`SnapshotRing.${method}: frame`, frame, 0, Number.MAX_SAFE_INTEGER);
    }
    return frame % this.capacity;
  }

  /** The slot of a held `frame`; throws naming the frames held otherwise. */
  private heldSlot(frame: number, method: string): number {
    const slot = this.slotOf(frame, method);
    if (this.frameOf[slot] !== frame) {
      const oldest = this.oldestFrame;
      const held =
        oldest === EMPTY_SLOT ? 'no frames' : `frames ${oldest} to ${this.newestFrame} (not all, after a restore)`;
      throw new RangeError(`SnapshotRing.${method}: frame ${frame} is not held; the ring holds ${held}`);
    }
    return slot;
  }

  /** Grows every slot to hold `needed` bytes (and a quarter more), keeping the frames held. */
  private grow(needed: number): void {
    const slotBytes = pad8(Math.ceil(needed * 1.25));
    const bytes = new Uint8Array(this.capacity * slotBytes);
    const n = this.structures.length;
    for (let s = 0; s < this.capacity; s++) {
      const from = s * this.slotBytes;
      bytes.set(this.bytes.subarray(from, from + this.usedBytes[s]), s * slotBytes);
      for (let k = 0; k < n; k++) this.recordStart[s * n + k] += s * (slotBytes - this.slotBytes);
    }
    this.bytes = bytes;
    this.words = new Int32Array(bytes.buffer);
    this.slotBytes = slotBytes;
    this.grows++;
  }
}

/** Structure `i`'s state parts when it is ours, else null after checking it is a `Snapshotable`. */
function partsOrPublic(s: unknown, i: number, all: readonly unknown[]): StateParts | null {
  if (typeof s !== 'object' || s === null) {
    throw new TypeError(`structures[${i}] must be a structure with saveState / loadState, got ${describeValue(s)}`);
  }
  if (all.indexOf(s) !== i) throw new TypeError(`structures[${i}] is listed twice (first at ${all.indexOf(s)})`);
  const parts = statePartsOf(s);
  if (parts !== undefined) return parts;
  const maybe = s as Partial<Snapshotable>;
  if (
    typeof maybe.saveState !== 'function' ||
    typeof maybe.loadState !== 'function' ||
    typeof maybe.stateBytes !== 'number'
  ) {
    throw new TypeError(`structures[${i}] has no stateBytes / saveState / loadState`);
  }
  return null;
}
