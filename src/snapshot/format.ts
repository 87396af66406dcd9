/**
 * The snapshot file and wire format: the state of a list of structures, with a header that lets
 * a reader refuse what it cannot apply (another format version, other structures or options,
 * truncated or changed bytes) before changing anything.
 *
 * ## Layout (little-endian)
 * ```
 * offset  size  field
 *      0     4  magic 0x4e534853 ('SHSN' in byte order)
 *      4     2  format version (SNAPSHOT_FORMAT_VERSION)
 *      6     2  structure count N
 *      8     4  schema hash: xxHash32 over each structure's (kind, options hash), in order
 *     12     4  checksum: xxHash32 of bytes [16, total)
 *     16     8  total bytes (f64), header included
 *     24     4  byte-order mark 0x01020304 (reads 0x04030201 on a reader of the other order)
 *     28     4  reserved, 0
 *     32        N state records, back to back (each a multiple of 8 bytes; see state-record.ts)
 * ```
 * The records are exactly what each structure's `saveState` writes (and what a `SnapshotRing`
 * frame holds), so a ring frame can be written to disk by prefixing this header.
 *
 * Loading checks, in order: magic, version, byte-order mark, total length against the input,
 * structure count, schema hash (a mismatch is reported for the first structure that differs,
 * by kind or options), checksum, then every record's header and limits; only then does it write.
 * A refused load throws `SnapshotError` and changes nothing.
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import { hashRange } from './checksum.js';
import { SnapshotError, type SnapshotErrorReason } from './snapshot-error.js';
import { statePartsOf } from './state-parts.js';
import {
  applyRecord,
  checkBytesArgument,
  pad8,
  readF64,
  readRecord,
  readU32,
  requireLittleEndian,
  stateBytesOf,
  writeF64,
  writeRecord,
  writeU32,
  type Snapshotable,
  type StateParts,
} from './state-record.js';

/** First word of a snapshot: the bytes 'SHSN'. */
export const SNAPSHOT_MAGIC = 0x4e534853;

/** Version of the snapshot format this build writes and reads. */
export const SNAPSHOT_FORMAT_VERSION = 1;

/** Bytes of the snapshot header. */
export const SNAPSHOT_HEADER_BYTES = 32;

/** The byte-order mark, written little-endian. */
const BYTE_ORDER_MARK = 0x01020304;

/** Most structures in one snapshot (the count is a u16). */
const MAX_STRUCTURES = 0xffff;

/** Checks `structures` and returns their parts (null for structures that are not ours). */
function partsList(method: string, structures: readonly Snapshotable[]): (StateParts | null)[] {
  if (!Array.isArray(structures)) {
    throw new TypeError(`${method}: structures must be an array, got ${describeValue(structures)}`);
  }
  checkInteger(`${method}: structures.length`, structures.length, 1, MAX_STRUCTURES);
  return structures.map((s, i) => {
    if (typeof s !== 'object' || s === null) {
      throw new TypeError(`${method}: structures[${i}] must be a structure, got ${describeValue(s)}`);
    }
    if (structures.indexOf(s) !== i) throw new TypeError(`${method}: structures[${i}] is listed twice`);
    const parts = statePartsOf(s);
    if (parts === undefined && (typeof s.saveState !== 'function' || typeof s.loadState !== 'function')) {
      throw new TypeError(`${method}: structures[${i}] has no saveState / loadState`);
    }
    return parts ?? null;
  });
}

/** Bytes one structure's record takes. */
function recordBytesOf(s: Snapshotable, parts: StateParts | null): number {
  return parts !== null ? stateBytesOf(parts) : pad8(s.stateBytes);
}

/** xxHash32 over each structure's (kind, options hash); 0, 0 for structures that are not ours. */
function schemaHash(parts: readonly (StateParts | null)[]): number {
  const bytes = new Uint8Array(parts.length * 8);
  parts.forEach((p, i) => {
    writeU32(bytes, i * 8, p?.kind ?? 0);
    writeU32(bytes, i * 8 + 4, p?.optionsHash ?? 0);
  });
  return hashRange(bytes, 0, bytes.length, 0, null);
}

/**
 * Bytes {@link saveSnapshot} writes for `structures` now: the header plus every state. O(N).
 * @throws TypeError when `structures` is not a non-empty array of `Snapshotable`s.
 */
export function snapshotBytes(structures: readonly Snapshotable[]): number {
  const parts = partsList('snapshotBytes', structures);
  let bytes = SNAPSHOT_HEADER_BYTES;
  for (let i = 0; i < parts.length; i++) bytes += recordBytesOf(structures[i], parts[i]);
  return bytes;
}

/**
 * Writes the state of `structures` in the snapshot format (see the module doc) into `into` from
 * `at`, or into a new `Uint8Array` when `into` is omitted. O(state bytes): one memory copy per
 * typed array, plus one checksum pass.
 *
 * ```ts
 * const file = saveSnapshot([particles, arena]);             // Uint8Array
 * await writeFile('save.bin', file);
 * loadSnapshot([particles, arena], await readFile('save.bin'));
 * ```
 * @returns the new array, or bytes written when `into` is given.
 * @throws TypeError for bad `structures` or `into`; RangeError when `at` is out of range or the
 *   snapshot does not fit from `at` (nothing written); SnapshotError `'byte-order'` on a
 *   big-endian host.
 */
export function saveSnapshot(structures: readonly Snapshotable[]): Uint8Array;
export function saveSnapshot(structures: readonly Snapshotable[], into: Uint8Array, at?: number): number;
export function saveSnapshot(structures: readonly Snapshotable[], into?: Uint8Array, at = 0): Uint8Array | number {
  const parts = partsList('saveSnapshot', structures);
  requireLittleEndian();
  const total = snapshotBytes(structures);
  const target = into ?? new Uint8Array(total);
  checkBytesArgument('saveSnapshot', 'into', target, at);
  if (total > target.length - at) {
    throw new RangeError(
      `saveSnapshot: into must have room for ${total} bytes from at ${at}, but has ${target.length - at}`,
    );
  }
  let pos = at + SNAPSHOT_HEADER_BYTES;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p !== null) {
      pos += writeRecord(p, target, pos, stateBytesOf(p));
    } else {
      const wrote = structures[i].saveState(target, pos);
      target.fill(0, pos + wrote, pos + pad8(wrote));
      pos += pad8(wrote);
    }
  }
  writeU32(target, at, SNAPSHOT_MAGIC);
  target[at + 4] = SNAPSHOT_FORMAT_VERSION & 0xff;
  target[at + 5] = SNAPSHOT_FORMAT_VERSION >>> 8;
  target[at + 6] = parts.length & 0xff;
  target[at + 7] = parts.length >>> 8;
  writeU32(target, at + 8, schemaHash(parts));
  writeF64(target, at + 16, total);
  writeU32(target, at + 24, BYTE_ORDER_MARK);
  writeU32(target, at + 28, 0);
  writeU32(target, at + 12, hashRange(target, at + 16, total - 16, 0, null));
  return into === undefined ? target : total;
}

/**
 * Replaces the state of `structures` with a snapshot {@link saveSnapshot} wrote, from
 * `from[at ..]`. The structures must be the same kinds, with the same options and schemas, in
 * the same order. Every check runs before the first write (see the module doc), so a refused
 * snapshot changes nothing (structures that are not ours are loaded first, after the header
 * and checksum checks, and validate themselves). Column views and arena buffers you hold stay
 * valid. O(state bytes).
 * @returns bytes read.
 * @throws TypeError / RangeError for bad arguments; SnapshotError with reason
 *   `'not-a-snapshot' | 'version' | 'byte-order' | 'truncated' | 'kind' | 'options' |
 *   'checksum' | 'corrupt'`.
 */
export function loadSnapshot(structures: readonly Snapshotable[], from: Uint8Array, at = 0): number {
  const parts = partsList('loadSnapshot', structures);
  checkBytesArgument('loadSnapshot', 'from', from, at);
  requireLittleEndian();
  const fail = (reason: SnapshotErrorReason, detail: string): never => {
    throw new SnapshotError(reason, `loadSnapshot: ${detail}`);
  };
  const available = from.length - at;
  if (available >= 4 && readU32(from, at) !== SNAPSHOT_MAGIC) {
    fail(
      'not-a-snapshot',
      `no snapshot at byte ${at} (magic 0x${readU32(from, at).toString(16)}, expected 0x${SNAPSHOT_MAGIC.toString(16)})`,
    );
  }
  if (available < SNAPSHOT_HEADER_BYTES) {
    fail(
      'truncated',
      `a snapshot needs a ${SNAPSHOT_HEADER_BYTES}-byte header, the input has ${available} bytes from ${at}`,
    );
  }
  const version = from[at + 4] | (from[at + 5] << 8);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    fail('version', `the snapshot has format version ${version}; this build reads version ${SNAPSHOT_FORMAT_VERSION}`);
  }
  const mark = readU32(from, at + 24);
  if (mark !== BYTE_ORDER_MARK) {
    fail(
      mark === 0x04030201 ? 'byte-order' : 'corrupt',
      `byte-order mark 0x${mark.toString(16)}, expected 0x${BYTE_ORDER_MARK.toString(16)}`,
    );
  }
  const total = readF64(from, at + 16);
  if (!(Number.isInteger(total) && total >= SNAPSHOT_HEADER_BYTES && total % 8 === 0)) {
    fail('corrupt', `total length ${total} is not a multiple of 8 of at least ${SNAPSHOT_HEADER_BYTES}`);
  }
  if (total > available)
    fail('truncated', `the snapshot declares ${total} bytes, the input has ${available} from ${at}`);
  const count = from[at + 6] | (from[at + 7] << 8);
  if (count !== parts.length) {
    fail('kind', `the snapshot holds ${count} structures, ${parts.length} were given`);
  }
  if (readU32(from, at + 8) !== schemaHash(parts)) {
    const detail = firstSchemaDifference(parts, from, at + SNAPSHOT_HEADER_BYTES, at + total);
    fail(detail.reason, detail.message);
  }
  const sum = readU32(from, at + 12);
  const actual = hashRange(from, at + 16, total - 16, 0, null);
  if (sum !== actual) {
    fail(
      'checksum',
      `checksum 0x${actual.toString(16)} of the bytes differs from the 0x${sum.toString(16)} written: the snapshot was changed or damaged`,
    );
  }
  // Every record's header and limits, then the writes.
  const starts = new Float64Array(parts.length);
  let pos = at + SNAPSHOT_HEADER_BYTES;
  for (let i = 0; i < parts.length; i++) {
    starts[i] = pos;
    const p = parts[i];
    if (p !== null) {
      readRecord(p, from, pos, at + total, `loadSnapshot: structures[${i}]`);
      pos += p.incoming.recordBytes;
    } else {
      pos += pad8(structures[i].stateBytes); // a structure of yours keeps its size
    }
  }
  if (pos !== at + total) fail('corrupt', `the records end at byte ${pos - at}, the header says ${total}`);
  for (let i = 0; i < parts.length; i++) if (parts[i] === null) structures[i].loadState(from, starts[i]);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p !== null) applyRecord(p, null);
  }
  return total;
}

/**
 * Which structure makes the schema hashes differ: the first record whose kind or options hash is
 * not the given structure's. Failure path only.
 */
function firstSchemaDifference(
  parts: readonly (StateParts | null)[],
  from: Uint8Array,
  start: number,
  end: number,
): { reason: SnapshotErrorReason; message: string } {
  let pos = start;
  for (let i = 0; i < parts.length && pos + 24 <= end; i++) {
    if (parts[i] === null) break; // a structure of yours: its record is its own
    const kind = from[pos + 4] | (from[pos + 5] << 8);
    const hash = readU32(from, pos + 8);
    const p = parts[i];
    if (p !== null && kind !== p.kind) {
      return {
        reason: 'kind',
        message: `structures[${i}] is a ${p.structure}, the snapshot holds another kind there (kind ${kind})`,
      };
    }
    if (p !== null && hash !== p.optionsHash) {
      return {
        reason: 'options',
        message: `structures[${i}] (${p.structure}, ${p.options}) has other options or another schema than the one saved (options hash 0x${hash.toString(16)}, this one 0x${p.optionsHash.toString(16)})`,
      };
    }
    const bytes = readF64(from, pos + 16);
    if (!(Number.isInteger(bytes) && bytes >= 24)) break;
    pos += bytes;
  }
  return { reason: 'options', message: 'the snapshot was saved from other structures (its schema hash differs)' };
}
