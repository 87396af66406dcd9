/**
 * The state record: the bytes one structure's `saveState(into, at)` writes and its
 * `loadState(from, at)` reads, and the internal protocol ({@link StateParts}) through which each
 * structure lists what its state is. Every structure (arenas, pools, the bitECS bridge) and
 * `SnapshotRing`, `saveSnapshot` / `loadSnapshot` go through the functions here.
 *
 * ## Record layout (little-endian, every field 8-byte aligned from the record's start)
 * ```
 * offset  size  field
 *      0     4  magic 0x54534853 ('SHST' in byte order)
 *      4     2  kind: which structure (STATE_KINDS)
 *      6     2  record version (STATE_RECORD_VERSION)
 *      8     4  options hash: xxHash32 of the structure's options and schema (immutable ones)
 *     12     2  counter count C
 *     14     2  section count S
 *     16     8  record bytes (f64, a multiple of 8): the whole record, header included
 *     24   8*S  section byte lengths (f64)
 *  24+8S   8*C  counters (f64: every integer below 2^53 is exact)
 *      …        the sections, in order, each followed by zero bytes up to a multiple of 8
 * ```
 * A section is the used part of one typed array of the structure (an arena's managed bytes, a
 * pool's column, a slot table), copied as it is in memory with one `TypedArray.set` (memcpy).
 * Zero padding and only-used parts make the bytes a function of the state alone, so two
 * structures in the same state save the same bytes (peers compare checksums of them).
 *
 * ## Byte order
 * Header and counters are written little-endian byte by byte. Sections are copied in the host's
 * byte order, which is little-endian on every platform JavaScript engines ship for in practice
 * (x86-64, ARM64, RISC-V, WebAssembly); a big-endian host (IBM Z, big-endian POWER) would write
 * numbers in an order other hosts cannot read, so there every save and load throws
 * `SnapshotError` with reason `'byte-order'` rather than writing bytes that differ from the
 * format. Snapshots are portable between every little-endian host.
 *
 * ## Loading: all checks first
 * `loadState` reads the header and checks magic, version, kind, options hash, sizes against the
 * input's length and the structure's own limits (its `validate`), and only then writes: a refused
 * load changes nothing. The sections' contents are not validated (that is O(state) and would
 * make a restore cost more than the copy): an in-memory record is trusted as written; on disk and
 * over the wire the checksum of the file format guards them (`format.ts`). `check()` after a load
 * validates everything.
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import { HOST_LITTLE_ENDIAN } from './checksum.js';
import { SnapshotError, type SnapshotErrorReason } from './snapshot-error.js';

/** First word of every state record: the bytes 'SHST'. */
export const STATE_MAGIC = 0x54534853;

/** Version of the record layout this build writes and reads. */
export const STATE_RECORD_VERSION = 1;

/** Bytes of a record's fixed header (before the section lengths). */
export const STATE_HEADER_BYTES = 24;

/** The kinds of structure a record can hold, by name: the record's `kind` field. */
export const STATE_KINDS = {
  BuddyArena: 1,
  SlabArena: 2,
  FreeListArena: 3,
  TreeArena: 4,
  StructPool: 5,
  EntityPool: 6,
  PoolComponent: 7,
  EntityIds: 8,
  TypedArrayState: 9,
  EntitySet: 10,
} as const;

/** A structure's name from a record's kind, for messages. */
function kindName(kind: number): string {
  for (const [name, k] of Object.entries(STATE_KINDS)) if (k === kind) return name;
  return `unknown kind ${kind}`;
}

/** Largest record: every size is a double, exact below 2^53. */
const MAX_RECORD_BYTES = Number.MAX_SAFE_INTEGER;

/** Sections shorter than a full view up to this many bytes are copied by a loop (no view made). */
const LOOP_COPY_BYTES = 4096;

/**
 * Anything whose state can be saved into bytes and loaded back: every arena, `StructPool`, the
 * bitECS bridge's `EntityPool`, pool components and entity ids, `TypedArrayState`, and your own
 * structures (a `SnapshotRing` accepts any object with these three members).
 */
export interface Snapshotable {
  /** Bytes `saveState` writes now (changes when the structure grows or shrinks). O(1). */
  readonly stateBytes: number;
  /**
   * Writes the whole state into `into` from byte `at`.
   * @returns bytes written (`stateBytes`).
   */
  saveState(into: Uint8Array, at?: number): number;
  /**
   * Replaces the whole state with the one saved at `from[at ..]`.
   * @returns bytes read.
   */
  loadState(from: Uint8Array, at?: number): number;
}

/**
 * A record being loaded, read and checked but not yet applied: its counters, the length and
 * position of each section. One per structure, reused by every load (no allocation).
 */
export class IncomingRecord {
  /** The input and the record's first byte in it. */
  from: Uint8Array = new Uint8Array(0);
  at = 0;
  /** The record's whole length, in bytes. */
  recordBytes = 0;
  /** The saved counters, in the structure's order. */
  readonly counters: Float64Array;
  /** Each section's byte length. */
  readonly sectionBytes: Float64Array;
  /** Each section's first byte in `from`. */
  readonly sectionStart: Float64Array;

  constructor(counterCount: number, sectionCount: number) {
    this.counters = new Float64Array(counterCount);
    this.sectionBytes = new Float64Array(sectionCount);
    this.sectionStart = new Float64Array(sectionCount);
  }

  /** The little-endian int32 at element `index` of section `section`, read before loading. */
  i32(section: number, index: number): number {
    const i = this.sectionStart[section] + index * 4;
    const b = this.from;
    return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
  }
}

/**
 * What a structure's state is, for the functions of this module (internal protocol): a fixed
 * number of f64 counters and of sections, each section the used prefix of a byte view over one
 * of the structure's typed arrays. Made once per structure instance and cached; none of its
 * methods allocates in steady state.
 */
export interface StateParts {
  /** {@link STATE_KINDS} value. */
  readonly kind: number;
  /** The structure's name for messages (`'BuddyArena'`). */
  readonly structure: string;
  /** The options that must match for a record to load, in words (`'sizeBytes=65536 ...'`). */
  readonly options: string;
  /** xxHash32 of {@link StateParts.options}. */
  readonly optionsHash: number;
  /** Counters the structure keeps in plain fields, written by {@link StateParts.readCounters}. */
  readonly counters: Float64Array;
  /** Number of sections. */
  readonly sectionCount: number;
  /** The scratch every load of this structure fills. */
  readonly incoming: IncomingRecord;
  /** Copies the structure's counters into {@link StateParts.counters}. */
  readCounters(): void;
  /** A byte view over section `i`'s typed array; its first `sectionBytes(i)` bytes are the state. */
  sectionView(i: number): Uint8Array;
  /** Bytes of section `i` that are state now. */
  sectionBytes(i: number): number;
  /**
   * Checks an incoming record against the structure's limits (counters in range, section
   * lengths that fit): `''` when it can be applied, else what is wrong. Reads only; O(1) or
   * O(sections).
   */
  validate(incoming: IncomingRecord): string;
  /**
   * Optional: what the structure's surroundings must satisfy for the record to load (for the
   * bitECS bridge: the world's state the snapshot does not cover). `''` when satisfied. Reads
   * only; runs with the other checks, before any structure is written.
   */
  precondition?(incoming: IncomingRecord): string;
  /**
   * Resizes the structure so that each `sectionView(i)` holds `incoming.sectionBytes[i]` bytes
   * (a pool that grew since the save shrinks back; one that is smaller grows). Called after
   * {@link StateParts.validate} accepted, before any copy. May allocate when it grows.
   */
  prepare(incoming: IncomingRecord): void;
  /** Sets the structure's counters from `incoming.counters`, after the sections were copied. */
  writeCounters(incoming: IncomingRecord): void;
}

/**
 * Views of ranges of an input, kept per section between loads of the same place (a
 * `SnapshotRing` slot), so a load copies with `TypedArray.set` and makes no view. A view is
 * made again only when the range moved or changed length.
 */
export class ViewCache {
  private readonly views: Uint8Array[] = [];

  /** A view of `from[start .. start + length)`, reused while the range is the same. */
  view(i: number, from: Uint8Array, start: number, length: number): Uint8Array {
    const v = this.views[i];
    if (
      v !== undefined &&
      v.buffer === from.buffer &&
      v.byteOffset === from.byteOffset + start &&
      v.length === length
    ) {
      return v;
    }
    const made = from.subarray(start, start + length);
    this.views[i] = made;
    return made;
  }
}

/** Rounds up to a multiple of 8. */
export function pad8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** Throws the `'byte-order'` SnapshotError on a big-endian host (see the module doc). */
export function requireLittleEndian(littleEndian: boolean = HOST_LITTLE_ENDIAN): void {
  if (!littleEndian) {
    throw new SnapshotError(
      'byte-order',
      'steadyheap snapshots need a little-endian host: this one stores numbers big-endian, and the state of its typed arrays would not be in the format byte order',
    );
  }
}

/** Bytes `saveStateOf(parts, ...)` writes now. O(sections). */
export function stateBytesOf(parts: StateParts): number {
  let bytes = STATE_HEADER_BYTES + 8 * (parts.sectionCount + parts.counters.length);
  for (let i = 0; i < parts.sectionCount; i++) bytes += pad8(parts.sectionBytes(i));
  return bytes;
}

/** Scratch for moving one f64 to and from bytes. */
const SCRATCH_F64 = new Float64Array(1);
const SCRATCH_BYTES = new Uint8Array(SCRATCH_F64.buffer);

/** Writes `value` as a little-endian f64 at `bytes[i .. i + 8)` (the host is little-endian). */
export function writeF64(bytes: Uint8Array, i: number, value: number): void {
  SCRATCH_F64[0] = value;
  for (let k = 0; k < 8; k++) bytes[i + k] = SCRATCH_BYTES[k];
}

/** Reads the little-endian f64 at `bytes[i .. i + 8)`. */
export function readF64(bytes: Uint8Array, i: number): number {
  for (let k = 0; k < 8; k++) SCRATCH_BYTES[k] = bytes[i + k];
  return SCRATCH_F64[0];
}

/** Writes `value` (an integer in [0, 2^32)) as little-endian u32 at `bytes[i .. i + 4)`. */
export function writeU32(bytes: Uint8Array, i: number, value: number): void {
  bytes[i] = value & 0xff;
  bytes[i + 1] = (value >>> 8) & 0xff;
  bytes[i + 2] = (value >>> 16) & 0xff;
  bytes[i + 3] = value >>> 24;
}

/** Reads the little-endian u32 at `bytes[i .. i + 4)`. */
export function readU32(bytes: Uint8Array, i: number): number {
  return (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
}

/** Reads the little-endian u16 at `bytes[i .. i + 2)`. */
function readU16(bytes: Uint8Array, i: number): number {
  return bytes[i] | (bytes[i + 1] << 8);
}

/**
 * Checks the `bytes` argument of a save or load (a `Uint8Array`) and `at` (an integer in
 * `[0, bytes.length]`). Throws TypeError / RangeError naming the method and argument.
 */
export function checkBytesArgument(method: string, name: string, bytes: unknown, at: unknown): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${method}: ${name} must be a Uint8Array, got ${describeValue(bytes)}`);
  }
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at > bytes.length) {
    checkInteger(`${method}: at`, at, 0, bytes.length);
  }
}

/** {@link checkBytesArgument} for `structure.method`: the name is only built when it throws. */
function checkStructureBytes(structure: string, method: string, name: string, bytes: unknown, at: unknown): void {
  if (
    !(bytes instanceof Uint8Array && typeof at === 'number' && Number.isInteger(at) && at >= 0 && at <= bytes.length)
  ) {
    checkBytesArgument(`${structure}.${method}`, name, bytes, at);
  }
}

/** A SnapshotError naming `method`, for `throw`. Failure path only. */
function refuse(reason: SnapshotErrorReason, method: string, detail: string): SnapshotError {
  return new SnapshotError(reason, `${method}: ${detail}`);
}

/**
 * Writes `parts`' state at `into[at ..]` (see the module doc for the layout) and returns the
 * bytes written. O(state bytes): one `TypedArray.set` per section. Allocates nothing (a section
 * longer than 4 KiB that is only partly used makes one view).
 * @throws TypeError when `into` is not a `Uint8Array`; RangeError when `at` is not an integer in
 *   `[0, into.length]` or the state does not fit from `at` (nothing is written then);
 *   SnapshotError `'byte-order'` on a big-endian host.
 */
export function saveStateOf(parts: StateParts, into: Uint8Array, at: number): number {
  checkStructureBytes(parts.structure, 'saveState', 'into', into, at);
  requireLittleEndian();
  const bytes = stateBytesOf(parts);
  if (bytes > into.length - at) {
    throw new RangeError(
      `${parts.structure}.saveState: into must have room for the state, ${bytes} bytes from at ${at}, but has ${into.length - at}`,
    );
  }
  return writeRecord(parts, into, at, bytes);
}

/** {@link saveStateOf} without the argument checks: `bytes === stateBytesOf(parts)` fits. */
export function writeRecord(parts: StateParts, into: Uint8Array, at: number, bytes: number): number {
  parts.readCounters();
  const sections = parts.sectionCount;
  const counters = parts.counters;
  writeU32(into, at, STATE_MAGIC);
  into[at + 4] = parts.kind & 0xff;
  into[at + 5] = parts.kind >>> 8;
  into[at + 6] = STATE_RECORD_VERSION & 0xff;
  into[at + 7] = STATE_RECORD_VERSION >>> 8;
  writeU32(into, at + 8, parts.optionsHash);
  into[at + 12] = counters.length & 0xff;
  into[at + 13] = counters.length >>> 8;
  into[at + 14] = sections & 0xff;
  into[at + 15] = sections >>> 8;
  writeF64(into, at + 16, bytes);
  let pos = at + STATE_HEADER_BYTES;
  for (let i = 0; i < sections; i++, pos += 8) writeF64(into, pos, parts.sectionBytes(i));
  for (let i = 0; i < counters.length; i++, pos += 8) writeF64(into, pos, counters[i]);
  for (let i = 0; i < sections; i++) {
    const length = parts.sectionBytes(i);
    copyOut(into, pos, parts.sectionView(i), length);
    const padded = pad8(length);
    if (padded !== length) into.fill(0, pos + length, pos + padded);
    pos += padded;
  }
  return bytes;
}

/** Copies the first `length` bytes of `view` to `into[pos ..]`. */
function copyOut(into: Uint8Array, pos: number, view: Uint8Array, length: number): void {
  if (length === view.length) into.set(view, pos);
  else if (length <= LOOP_COPY_BYTES) for (let k = 0; k < length; k++) into[pos + k] = view[k];
  else into.set(view.subarray(0, length), pos);
}

/**
 * Replaces `parts`' state with the record at `from[at ..]` and returns its length in bytes.
 * Every check runs first ({@link readRecord}, then the structure's `validate`); only then does it
 * resize the structure if needed and copy: O(record bytes), one `TypedArray.set` per section.
 * `views` (a `SnapshotRing` slot's cache) makes it allocate nothing; without it, one view per
 * section is made.
 * @throws TypeError / RangeError for bad arguments; SnapshotError when the record does not fit
 *   this structure (see {@link readRecord}); nothing has changed then.
 */
export function loadStateOf(parts: StateParts, from: Uint8Array, at: number, views: ViewCache | null): number {
  checkStructureBytes(parts.structure, 'loadState', 'from', from, at);
  requireLittleEndian();
  readRecord(parts, from, at, from.length, 'loadState');
  return applyRecord(parts, views);
}

/**
 * Reads and checks the record at `from[at .. end)` into `parts.incoming`: magic, version, kind,
 * options hash, counts, sizes (within `end`, adding up), counters (numbers), then the
 * structure's own `validate`. Writes nothing to the structure. O(sections + counters).
 * Allocates nothing unless it throws.
 * @param method - names the caller in messages; `'loadState'` (or any name without a dot) is
 *   prefixed with the structure's name.
 * @throws SnapshotError `'truncated'`, `'not-a-snapshot'`, `'version'`, `'kind'`, `'options'`
 *   or `'corrupt'`, naming `method`.
 */
export function readRecord(parts: StateParts, from: Uint8Array, at: number, end: number, method: string): void {
  const available = end - at;
  if (available >= 4 && readU32(from, at) !== STATE_MAGIC) throw recordError(parts, method, 'magic', from, at, end);
  if (available < STATE_HEADER_BYTES) throw recordError(parts, method, 'header', from, at, end);
  if (readU16(from, at + 6) !== STATE_RECORD_VERSION) throw recordError(parts, method, 'version', from, at, end);
  if (readU16(from, at + 4) !== parts.kind) throw recordError(parts, method, 'kind', from, at, end);
  if (readU32(from, at + 8) !== parts.optionsHash) throw recordError(parts, method, 'options', from, at, end);
  const incoming = parts.incoming;
  const counterCount = readU16(from, at + 12);
  const sectionCount = readU16(from, at + 14);
  if (counterCount !== incoming.counters.length || sectionCount !== parts.sectionCount) {
    throw recordError(parts, method, 'counts', from, at, end);
  }
  const recordBytes = readF64(from, at + 16);
  const fixed = STATE_HEADER_BYTES + 8 * (sectionCount + counterCount);
  if (
    !(Number.isInteger(recordBytes) && recordBytes >= fixed && recordBytes % 8 === 0 && recordBytes <= MAX_RECORD_BYTES)
  ) {
    throw recordError(parts, method, 'length', from, at, end);
  }
  if (recordBytes > available) throw recordError(parts, method, 'truncated', from, at, end);
  let pos = at + STATE_HEADER_BYTES;
  let sectionPos = at + fixed;
  for (let i = 0; i < sectionCount; i++, pos += 8) {
    const length = readF64(from, pos);
    if (!(Number.isInteger(length) && length >= 0 && sectionPos + pad8(length) <= at + recordBytes)) {
      throw recordError(parts, method, 'sections', from, at, end);
    }
    incoming.sectionBytes[i] = length;
    incoming.sectionStart[i] = sectionPos;
    sectionPos += pad8(length);
  }
  if (sectionPos !== at + recordBytes) throw recordError(parts, method, 'sections', from, at, end);
  for (let i = 0; i < counterCount; i++, pos += 8) {
    const value = readF64(from, pos);
    if (Number.isNaN(value)) throw recordError(parts, method, 'nan', from, at, end);
    incoming.counters[i] = value;
  }
  incoming.from = from;
  incoming.at = at;
  incoming.recordBytes = recordBytes;
  if (parts.validate(incoming) !== '') throw recordError(parts, method, 'validate', from, at, end);
  if (parts.precondition !== undefined && parts.precondition(incoming) !== '') {
    throw recordError(parts, method, 'precondition', from, at, end);
  }
}

/** What {@link readRecord} found wrong, for {@link recordError}. */
type RecordProblem =
  | 'magic'
  | 'header'
  | 'version'
  | 'kind'
  | 'options'
  | 'counts'
  | 'length'
  | 'truncated'
  | 'sections'
  | 'nan'
  | 'validate'
  | 'precondition';

/** The SnapshotError for a record problem, with the values that explain it. Failure path only. */
function recordError(
  parts: StateParts,
  method: string,
  problem: RecordProblem,
  from: Uint8Array,
  at: number,
  end: number,
): SnapshotError {
  const name = method.includes('.') || method.includes(':') ? method : `${parts.structure}.${method}`;
  const available = end - at;
  const kind = readU16(from, at + 4);
  const hash = readU32(from, at + 8);
  const recordBytes = available >= STATE_HEADER_BYTES ? readF64(from, at + 16) : 0;
  const counts = `${readU16(from, at + 12)} counters and ${readU16(from, at + 14)} sections`;
  switch (problem) {
    case 'magic':
      return refuse(
        'not-a-snapshot',
        name,
        `no state record at byte ${at} (magic 0x${readU32(from, at).toString(16)}, expected 0x${STATE_MAGIC.toString(16)})`,
      );
    case 'header':
      return refuse(
        'truncated',
        name,
        `a state record needs a ${STATE_HEADER_BYTES}-byte header, the input has ${available} bytes from ${at}`,
      );
    case 'version':
      return refuse(
        'version',
        name,
        `the record has version ${readU16(from, at + 6)}; this build reads version ${STATE_RECORD_VERSION}`,
      );
    case 'kind':
      return refuse('kind', name, `the record holds the state of a ${kindName(kind)}, not of a ${parts.structure}`);
    case 'options':
      return refuse(
        'options',
        name,
        `the record was saved by a ${parts.structure} created with other options (options hash 0x${hash.toString(16)}); this one has ${parts.options} (0x${parts.optionsHash.toString(16)})`,
      );
    case 'counts':
      return refuse(
        'corrupt',
        name,
        `the record has ${counts}; a ${parts.structure} has ${parts.incoming.counters.length} and ${parts.sectionCount}`,
      );
    case 'length':
      return refuse('corrupt', name, `record length ${recordBytes} is not a multiple of 8 covering its header`);
    case 'truncated':
      return refuse(
        'truncated',
        name,
        `the record declares ${recordBytes} bytes, the input has ${available} from ${at}`,
      );
    case 'sections':
      return refuse('corrupt', name, `its section lengths do not add up to the record's ${recordBytes} bytes`);
    case 'nan':
      return refuse('corrupt', name, 'a counter is NaN');
    case 'validate':
      return refuse(
        'corrupt',
        name,
        `the record does not fit this ${parts.structure}: ${parts.validate(parts.incoming)}`,
      );
    case 'precondition':
      return refuse('world', name, parts.precondition?.(parts.incoming) ?? '');
  }
}

/**
 * Applies the record {@link readRecord} accepted into `parts.incoming`: resizes the structure if
 * needed, copies every section, sets the counters. Returns the record's length.
 */
export function applyRecord(parts: StateParts, views: ViewCache | null): number {
  const incoming = parts.incoming;
  parts.prepare(incoming);
  const from = incoming.from;
  for (let i = 0; i < parts.sectionCount; i++) {
    const length = incoming.sectionBytes[i];
    if (length === 0) continue;
    const start = incoming.sectionStart[i];
    const source = views === null ? from.subarray(start, start + length) : views.view(i, from, start, length);
    parts.sectionView(i).set(source, 0);
  }
  parts.writeCounters(incoming);
  incoming.from = EMPTY_BYTES; // hold no reference to the caller's input
  return incoming.recordBytes;
}

const EMPTY_BYTES = new Uint8Array(0);

/** True when `value` is an integer in `[min, max]`: the usual counter check of a `validate`. */
export function isCount(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
