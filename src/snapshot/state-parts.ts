/**
 * Building blocks for the {@link StateParts} of each structure: a base class holding what every
 * one has (kind, options and their hash, counters, the incoming scratch) and the checks most
 * `validate`s run (fixed section lengths, counters that are counts).
 *
 * The concrete parts (`arena-state.ts`, `pool-state.ts`, ...) read and write the structures'
 * private fields by element access (`arena['usedBytes']`): TypeScript checks that form against
 * the class, so a renamed field fails the type check instead of silently saving nothing. The
 * classes themselves only gain `stateBytes` / `saveState` / `loadState` and the internal
 * `[STATE_PARTS]()`.
 *
 * @module
 */
import { hashRange } from './checksum.js';
import { IncomingRecord, isCount, type StateParts } from './state-record.js';

/**
 * The internal method through which a structure hands its {@link StateParts} to the snapshot
 * code (`SnapshotRing`, `saveSnapshot`): `structure[STATE_PARTS]()`. Structures that lack it
 * (your own) are saved through their public `saveState` / `loadState`.
 */
export const STATE_PARTS: unique symbol = Symbol('steadyheap.stateParts');

/** An object that can hand out its state parts. */
export interface HasStateParts {
  [STATE_PARTS](): StateParts;
}

/** The structure's parts when it is one of ours, else `undefined`. */
export function statePartsOf(structure: object): StateParts | undefined {
  const method = (structure as Partial<HasStateParts>)[STATE_PARTS];
  return typeof method === 'function' ? method.call(structure) : undefined;
}

/** Parts made so far, one per structure instance (held weakly: no field is added to the class). */
const made = new WeakMap<object, StateParts>();

/**
 * The cached parts of `structure`, made as `new Parts(structure, extra)` the first time. O(1) and
 * allocation-free after, in every tier: callers pass a class, not an arrow function, which an
 * unoptimized caller would allocate as a new closure on every call (about 56 B per `saveState`
 * measured in Node before this signature).
 */
export function cachedParts<T extends object, E = undefined>(
  structure: T,
  Parts: new (structure: T, extra: E) => StateParts,
  extra?: E,
): StateParts {
  let parts = made.get(structure);
  if (parts === undefined) {
    parts = new Parts(structure, extra as E);
    made.set(structure, parts);
  }
  return parts;
}

/** xxHash32 of a string's UTF-8 bytes (option descriptions). Construction time only. */
export function hashText(text: string): number {
  const bytes = new TextEncoder().encode(text);
  return hashRange(bytes, 0, bytes.length, 0, null);
}

/** A byte view over a whole typed array (its `byteOffset` and `byteLength`). */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * What every structure's parts share. A subclass names its counters (`counterNames`, in saved
 * order), supplies the section views and lengths, and overrides `validate` / `prepare` /
 * `writeCounters` / `readCounters`.
 */
export abstract class PartsBase implements StateParts {
  readonly optionsHash: number;
  readonly counters: Float64Array;
  readonly incoming: IncomingRecord;

  /**
   * @param kind - the `STATE_KINDS` value.
   * @param structure - the class name, for messages.
   * @param options - the options that must match, in words; hashed into the record.
   * @param counterNames - the counters, in the order they are saved (for messages).
   * @param sectionNames - the sections, in order (for messages).
   */
  protected constructor(
    readonly kind: number,
    readonly structure: string,
    readonly options: string,
    protected readonly counterNames: readonly string[],
    protected readonly sectionNames: readonly string[],
  ) {
    this.optionsHash = hashText(`${structure} ${options}`);
    this.counters = new Float64Array(counterNames.length);
    this.incoming = new IncomingRecord(counterNames.length, sectionNames.length);
  }

  get sectionCount(): number {
    return this.sectionNames.length;
  }

  abstract readCounters(): void;
  abstract sectionView(i: number): Uint8Array;
  abstract sectionBytes(i: number): number;
  abstract validate(incoming: IncomingRecord): string;
  abstract writeCounters(incoming: IncomingRecord): void;

  /** Default: the sections never change length, so there is nothing to resize. */
  prepare(_incoming: IncomingRecord): void {}

  /**
   * `''` when sections `first .. last` of `incoming` have exactly this structure's lengths
   * (sections fixed by the options), else which one differs.
   */
  protected fixedSections(incoming: IncomingRecord, first: number, last: number): string {
    for (let i = first; i <= last; i++) {
      if (incoming.sectionBytes[i] !== this.sectionBytes(i)) {
        return `section ${this.sectionNames[i]} has ${incoming.sectionBytes[i]} bytes, this one has ${this.sectionBytes(i)}`;
      }
    }
    return '';
  }

  /** `''` when counter `i` of `incoming` is an integer in `[min, max]`, else what is wrong. */
  protected countIn(incoming: IncomingRecord, i: number, min: number, max: number): string {
    const value = incoming.counters[i];
    return isCount(value, min, max) ? '' : `${this.counterNames[i]} ${value} is not an integer in [${min}, ${max}]`;
  }

  /** `''` when every counter is an integer in `[0, 2^53)`, else the first that is not. */
  protected allCounts(incoming: IncomingRecord): string {
    for (let i = 0; i < this.counterNames.length; i++) {
      const problem = this.countIn(incoming, i, 0, Number.MAX_SAFE_INTEGER);
      if (problem !== '') return problem;
    }
    return '';
  }
}

/**
 * Hands the part of `incoming` that belongs to a nested structure (a pool inside a bridge
 * structure's record: its counters from `firstCounter`, its sections from `firstSection`) to that
 * structure's own parts, in their scratch, and returns it. O(counters + sections), no allocation.
 */
export function nestedIncoming(
  nested: StateParts,
  incoming: IncomingRecord,
  firstCounter: number,
  firstSection: number,
): IncomingRecord {
  const part = nested.incoming;
  part.from = incoming.from;
  part.at = incoming.at;
  part.recordBytes = incoming.recordBytes;
  for (let i = 0; i < part.counters.length; i++) part.counters[i] = incoming.counters[firstCounter + i];
  for (let i = 0; i < nested.sectionCount; i++) {
    part.sectionBytes[i] = incoming.sectionBytes[firstSection + i];
    part.sectionStart[i] = incoming.sectionStart[firstSection + i];
  }
  return part;
}

/** Names for a nested structure's counters and sections in messages: `'<prefix> counter 3'`. */
export function nestedNames(nested: StateParts, prefix: string): { counters: string[]; sections: string[] } {
  return {
    counters: Array.from({ length: nested.counters.length }, (_, i) => `${prefix} counter ${i}`),
    sections: Array.from({ length: nested.sectionCount }, (_, i) => `${prefix} section ${i}`),
  };
}
