/**
 * `TypedArrayState`: a game's own typed arrays (a random generator's state, the frame counter,
 * an input history) as one structure a `SnapshotRing` or `saveSnapshot` saves beside the pools
 * and arenas.
 *
 * @module
 */
import { describeValue } from '../errors.js';
import { PartsBase, STATE_PARTS, bytesOf, cachedParts } from './state-parts.js';
import {
  STATE_KINDS,
  loadStateOf,
  saveStateOf,
  stateBytesOf,
  type IncomingRecord,
  type Snapshotable,
  type StateParts,
} from './state-record.js';

/** Any typed array (`Float32Array`, `Uint32Array`, `BigInt64Array`, ...). */
export type AnyTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/**
 * Named typed arrays saved and loaded as one structure. The arrays are yours and stay yours:
 * `loadState` copies into them (views and references you hold stay valid). Their names, element
 * types and lengths are the options a saved state must match.
 *
 * ```ts
 * const game = new TypedArrayState({ rng: new Uint32Array(4), frame: new Float64Array(1) });
 * const ring = new SnapshotRing([particles, game]);
 * ```
 * `stateBytes`, `saveState`, `loadState` as every structure (O(total bytes), allocation-free).
 */
export class TypedArrayState implements Snapshotable {
  /** The arrays, by name (the object given, frozen copy of its entries). */
  readonly arrays: Readonly<Record<string, AnyTypedArray>>;

  /**
   * @param arrays - name to typed array, at least one; each keeps its length (a length-tracking
   *   view of a resizable buffer is refused, since its length would change under the saved state).
   * @throws TypeError when `arrays` is not an object of typed arrays, is empty, or holds a
   *   length-tracking view.
   */
  constructor(arrays: Record<string, AnyTypedArray>) {
    if (typeof arrays !== 'object' || arrays === null || Array.isArray(arrays)) {
      throw new TypeError(`arrays must be an object of typed arrays, got ${describeValue(arrays)}`);
    }
    const names = Object.keys(arrays);
    if (names.length === 0) throw new TypeError('arrays must name at least one typed array');
    for (const name of names) {
      const a = arrays[name] as unknown;
      if (!ArrayBuffer.isView(a) || a instanceof DataView) {
        throw new TypeError(`arrays.${name} must be a typed array, got ${describeValue(a)}`);
      }
      const b = a.buffer as ArrayBuffer & { resizable?: boolean; growable?: boolean };
      if (b.resizable === true || b.growable === true) {
        throw new TypeError(
          `arrays.${name} is a view of a resizable buffer: its length could change, give a fixed one`,
        );
      }
    }
    this.arrays = Object.freeze({ ...arrays });
  }

  /** Bytes `saveState` writes: the arrays' bytes and a header. O(arrays). */
  get stateBytes(): number {
    return stateBytesOf(this[STATE_PARTS]());
  }

  /**
   * Copies every array into `into` from `at`. O(bytes); allocates nothing.
   * @returns bytes written.
   * @throws TypeError / RangeError for bad arguments or too little room (nothing written);
   *   SnapshotError `'byte-order'` on a big-endian host.
   */
  saveState(into: Uint8Array, at = 0): number {
    return saveStateOf(this[STATE_PARTS](), into, at);
  }

  /**
   * Copies a saved state back into the arrays. O(bytes).
   * @returns bytes read.
   * @throws SnapshotError when the state was saved from other names, types or lengths
   *   (`'options'`) or is not a `TypedArrayState`'s (`'kind'`), truncated or corrupt; nothing
   *   changes then.
   */
  loadState(from: Uint8Array, at = 0): number {
    return loadStateOf(this[STATE_PARTS](), from, at, null);
  }

  /** @internal The state layout, for `src/snapshot/`. */
  [STATE_PARTS](): StateParts {
    return cachedParts(this, ArraysParts);
  }
}

class ArraysParts extends PartsBase {
  private readonly views: Uint8Array[];

  constructor(state: TypedArrayState) {
    const names = Object.keys(state.arrays);
    const options = names
      .map((name) => `${name}:${state.arrays[name].constructor.name}[${state.arrays[name].length}]`)
      .join(' ');
    super(STATE_KINDS.TypedArrayState, 'TypedArrayState', options, [], names);
    this.views = names.map((name) => bytesOf(state.arrays[name]));
  }

  readCounters(): void {}

  sectionView(i: number): Uint8Array {
    return this.views[i];
  }

  sectionBytes(i: number): number {
    return this.views[i].length;
  }

  validate(incoming: IncomingRecord): string {
    return this.fixedSections(incoming, 0, this.views.length - 1);
  }

  writeCounters(): void {}
}
