/**
 * Deltas between two snapshots: the bytes that changed, as an XOR difference whose runs of
 * zeros (unchanged bytes) are run-length coded. For sending state over a network when the
 * receiver holds an earlier snapshot (a frame both peers agreed on): most of a frame's bytes do
 * not change from one frame to the next, so the delta is a small fraction of the state.
 *
 * ## Layout (little-endian)
 * ```
 * offset  size  field
 *      0     4  magic 0x4c444853 ('SHDL' in byte order)
 *      4     4  delta checksum: xxHash32 of bytes [8, deltaBytes)
 *      8     2  version (DELTA_FORMAT_VERSION), then 2 bytes 0
 *     12     4  base checksum: xxHash32 of the base
 *     16     4  target checksum: xxHash32 of the target
 *     20     4  0
 *     24     8  base bytes (f64)
 *     32     8  target bytes (f64)
 *     40     8  delta bytes (f64), header included
 *     48        runs, until the target is covered: LEB128 zero-run length, LEB128 literal
 *               length, that many literal bytes (target XOR base; the base reads 0 past its end)
 * ```
 * A zero run shorter than 4 bytes stays inside the literal (its length bytes would cost more).
 * The delta is not compressed further: a general compressor (the platform's
 * `CompressionStream('deflate-raw')`, or `zlib`) shrinks the literals of float data further if
 * bandwidth matters more than time.
 *
 * Source: XOR delta with run-length coded zeros, as in the delta-compressed snapshots of
 * Quake 3's network protocol and G. Fiedler, "Snapshot Compression" (gafferongames.com, 2015).
 *
 * @module
 */
import { describeValue } from '../errors.js';
import { hashRange } from './checksum.js';
import { SnapshotError } from './snapshot-error.js';
import { checkBytesArgument, readF64, readU32, writeF64, writeU32 } from './state-record.js';

/** First word of a delta: the bytes 'SHDL'. */
export const DELTA_MAGIC = 0x4c444853;

/** Version of the delta layout this build writes and reads. */
export const DELTA_FORMAT_VERSION = 1;

/** Bytes of a delta's header. */
const HEADER_BYTES = 48;

/** Shortest zero run coded as a run; shorter ones stay in the literal. */
const MIN_ZERO_RUN = 4;

/**
 * Largest delta of a `targetBytes`-byte target, whatever the base: `2 * targetBytes + 56`
 * (every literal and zero run costs at most its own length in length bytes). For sizing the
 * `into` of {@link encodeDelta}.
 * @throws RangeError unless `targetBytes` is an integer in [0, 2^52].
 */
export function maxDeltaBytes(targetBytes: number): number {
  if (!(Number.isInteger(targetBytes) && targetBytes >= 0 && targetBytes <= 2 ** 52)) {
    throw new RangeError(`targetBytes must be an integer in [0, 2^52], got ${describeValue(targetBytes)}`);
  }
  return HEADER_BYTES + 8 + 2 * targetBytes;
}

/** Writes `value` (an integer in [0, 2^53)) as LEB128 at `into[pos]`; returns the next position. */
function writeVarint(into: Uint8Array, pos: number, value: number): number {
  let v = value;
  let p = pos;
  while (v >= 128) {
    into[p++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  into[p++] = v;
  return p;
}

/** Bytes {@link writeVarint} takes for `value`. */
function varintBytes(value: number): number {
  let n = 1;
  for (let v = value; v >= 128; v = Math.floor(v / 128)) n++;
  return n;
}

/** Position after the varint at `pos`, its value in `varintValue`; -1 when it runs past `end`. */
let varintValue = 0;
function readVarint(bytes: Uint8Array, pos: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let p = pos; p < end && scale <= 2 ** 56; p++) {
    const b = bytes[p];
    value += (b & 127) * scale;
    if (b < 128) {
      varintValue = value;
      return p + 1;
    }
    scale *= 128;
  }
  return -1;
}

/**
 * The delta from `base` to `target` (both any bytes; typically two frames of a `SnapshotRing`
 * via `bytesOf`, or two `saveSnapshot`s), into a new array, or into `into` from `at`.
 * O(target bytes): equal stretches are skipped 4 bytes at a time when both start 4-aligned.
 * @returns the delta, or its length in bytes when `into` is given.
 * @throws TypeError when an argument is not a `Uint8Array`; RangeError when `at` is out of
 *   range or the delta does not fit (size `into` with {@link maxDeltaBytes}).
 */
export function encodeDelta(base: Uint8Array, target: Uint8Array): Uint8Array;
export function encodeDelta(base: Uint8Array, target: Uint8Array, into: Uint8Array, at?: number): number;
export function encodeDelta(base: Uint8Array, target: Uint8Array, into?: Uint8Array, at = 0): Uint8Array | number {
  checkBytesArgument('encodeDelta', 'base', base, 0);
  checkBytesArgument('encodeDelta', 'target', target, 0);
  const bound = maxDeltaBytes(target.length);
  const out = into ?? new Uint8Array(bound);
  checkBytesArgument('encodeDelta', 'into', out, at);
  const written = writeRuns(base, target, out, at + HEADER_BYTES, at + Math.min(out.length - at, bound));
  if (written < 0) {
    throw new RangeError(
      `encodeDelta: into has ${out.length - at} bytes from at ${at}, the delta needs more (up to ${bound})`,
    );
  }
  const total = written - at;
  writeU32(out, at, DELTA_MAGIC);
  out[at + 8] = DELTA_FORMAT_VERSION & 0xff;
  out[at + 9] = DELTA_FORMAT_VERSION >>> 8;
  out[at + 10] = 0;
  out[at + 11] = 0;
  writeU32(out, at + 12, hashRange(base, 0, base.length, 0, null));
  writeU32(out, at + 16, hashRange(target, 0, target.length, 0, null));
  writeU32(out, at + 20, 0);
  writeF64(out, at + 24, base.length);
  writeF64(out, at + 32, target.length);
  writeF64(out, at + 40, total);
  writeU32(out, at + 4, hashRange(out, at + 8, total - 8, 0, null));
  return into === undefined ? out.slice(0, total) : total;
}

/**
 * Writes the runs of `target XOR base` at `out[pos .. limit)`; returns the end, or -1 when they
 * do not fit.
 */
function writeRuns(base: Uint8Array, target: Uint8Array, out: Uint8Array, pos: number, limit: number): number {
  const length = target.length;
  const shared = Math.min(length, base.length);
  const aligned = (base.byteOffset & 3) === 0 && (target.byteOffset & 3) === 0;
  const baseWords = aligned ? new Int32Array(base.buffer, base.byteOffset, shared >>> 2) : null;
  const targetWords = aligned ? new Int32Array(target.buffer, target.byteOffset, shared >>> 2) : null;
  const xorAt = (i: number): number => (i < shared ? target[i] ^ base[i] : target[i]);
  let p = pos;
  let i = 0;
  while (i < length) {
    // The zero run: whole equal words first when aligned.
    let z = i;
    for (;;) {
      if (baseWords !== null && targetWords !== null && (z & 3) === 0) {
        while (z + 4 <= shared && baseWords[z >>> 2] === targetWords[z >>> 2]) z += 4;
      }
      if (z < length && xorAt(z) === 0) z++;
      else break;
    }
    // The literal: up to a zero run of MIN_ZERO_RUN bytes, or the end.
    let j = z;
    while (j < length) {
      if (xorAt(j) !== 0) {
        j++;
        continue;
      }
      let k = j;
      while (k < length && k - j < MIN_ZERO_RUN && xorAt(k) === 0) k++;
      if (k - j >= MIN_ZERO_RUN || k === length) break;
      j = k;
    }
    if (p + varintBytes(z - i) + varintBytes(j - z) + (j - z) > limit) return -1;
    p = writeVarint(out, p, z - i);
    p = writeVarint(out, p, j - z);
    for (let k = z; k < j; k++) out[p++] = xorAt(k);
    i = j;
  }
  return p;
}

/**
 * Rebuilds the target of `delta` from `base`, into a new array, or into `into` from `at`
 * (`into` may be `base` itself: the target then replaces the base in place). Everything is
 * checked first (magic, version, lengths, the delta's checksum, that `base` is the base it was
 * computed from, that its runs cover the target exactly): a refused delta writes nothing.
 * O(target bytes).
 * @returns the target, or its length in bytes when `into` is given.
 * @throws TypeError / RangeError for bad arguments or too small an `into`; SnapshotError
 *   `'not-a-snapshot'`, `'version'`, `'truncated'`, `'checksum'` (the delta was changed),
 *   `'base'` (another base), `'corrupt'`.
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array;
export function applyDelta(base: Uint8Array, delta: Uint8Array, into: Uint8Array, at?: number): number;
export function applyDelta(base: Uint8Array, delta: Uint8Array, into?: Uint8Array, at = 0): Uint8Array | number {
  checkBytesArgument('applyDelta', 'base', base, 0);
  checkBytesArgument('applyDelta', 'delta', delta, 0);
  const fail = (reason: ConstructorParameters<typeof SnapshotError>[0], detail: string): never => {
    throw new SnapshotError(reason, `applyDelta: ${detail}`);
  };
  if (delta.length >= 4 && readU32(delta, 0) !== DELTA_MAGIC) fail('not-a-snapshot', 'not a delta (magic differs)');
  if (delta.length < HEADER_BYTES)
    fail('truncated', `a delta needs a ${HEADER_BYTES}-byte header, got ${delta.length} bytes`);
  const version = delta[8] | (delta[9] << 8);
  if (version !== DELTA_FORMAT_VERSION)
    fail('version', `delta version ${version}; this build reads ${DELTA_FORMAT_VERSION}`);
  const total = readF64(delta, 40);
  if (!(Number.isInteger(total) && total >= HEADER_BYTES)) fail('corrupt', `delta length ${total} is impossible`);
  if (total > delta.length) fail('truncated', `the delta declares ${total} bytes, got ${delta.length}`);
  if (readU32(delta, 4) !== hashRange(delta, 8, total - 8, 0, null)) {
    fail('checksum', 'the delta was changed or damaged (its checksum differs)');
  }
  const baseBytes = readF64(delta, 24);
  const targetBytes = readF64(delta, 32);
  if (!(Number.isInteger(targetBytes) && targetBytes >= 0))
    fail('corrupt', `target length ${targetBytes} is impossible`);
  if (baseBytes !== base.length || readU32(delta, 12) !== hashRange(base, 0, base.length, 0, null)) {
    fail(
      'base',
      `the delta was computed from another base (${baseBytes} bytes, checksum 0x${readU32(delta, 12).toString(16)})`,
    );
  }
  // The runs must cover the target exactly within the delta.
  let p = HEADER_BYTES;
  let covered = 0;
  while (covered < targetBytes) {
    p = readVarint(delta, p, total);
    if (p < 0) break;
    covered += varintValue;
    p = readVarint(delta, p, total);
    if (p < 0) break;
    covered += varintValue;
    p += varintValue;
    if (p > total) break;
  }
  if (p < 0 || p !== total || covered !== targetBytes) fail('corrupt', 'its runs do not cover the target exactly');
  const out = into ?? new Uint8Array(targetBytes);
  checkBytesArgument('applyDelta', 'into', out, at);
  if (targetBytes > out.length - at) {
    throw new RangeError(
      `applyDelta: into has ${out.length - at} bytes from at ${at}, the target needs ${targetBytes}`,
    );
  }
  const shared = Math.min(base.length, targetBytes);
  if (!(out.buffer === base.buffer && out.byteOffset + at === base.byteOffset)) out.set(base.subarray(0, shared), at);
  out.fill(0, at + shared, at + targetBytes);
  p = HEADER_BYTES;
  let i = at;
  while (i < at + targetBytes) {
    p = readVarint(delta, p, total);
    i += varintValue;
    p = readVarint(delta, p, total);
    const end = p + varintValue;
    for (; p < end; p++) out[i++] ^= delta[p];
  }
  if (hashRange(out, at, targetBytes, 0, null) !== readU32(delta, 16)) {
    fail('checksum', 'the rebuilt target differs from the one the delta was computed for');
  }
  return into === undefined ? out : targetBytes;
}
