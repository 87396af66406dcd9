/**
 * Largest byte length of one column: V8's limit for a resizable `ArrayBuffer`'s `maxByteLength`
 * (2^32; a larger one throws "Invalid array buffer max length" in Node 20).
 */
export const MAX_COLUMN_BYTES = 2 ** 32;

/** True when this runtime has resizable `ArrayBuffer`s (ES2024; Node 20, Chromium 111+). */
export const HAS_RESIZABLE_BUFFER = typeof (ArrayBuffer.prototype as { resize?: unknown }).resize === 'function';

/**
 * A buffer of `bytes` bytes that can later grow in place up to `maxBytes`: resizable when
 * `maxBytes > bytes` (callers check {@link HAS_RESIZABLE_BUFFER} first and, without it, pass
 * `maxBytes === bytes`), a plain `ArrayBuffer` otherwise; with `shared`, a fixed
 * `SharedArrayBuffer` of `bytes` (`maxBytes` ignored). Both at most {@link MAX_COLUMN_BYTES}
 * (validated by the caller). O(bytes) (zero-filled); allocates the buffer.
 *
 * @throws RangeError from the runtime when the memory cannot be reserved.
 */
export function makeColumnBuffer(bytes: number, maxBytes: number, shared = false): ArrayBuffer {
  if (shared) return new SharedArrayBuffer(bytes) as unknown as ArrayBuffer;
  return maxBytes > bytes
    ? new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(bytes, {
        maxByteLength: maxBytes,
      })
    : new ArrayBuffer(bytes);
}

/**
 * Resizes a buffer made resizable by {@link makeColumnBuffer} to `bytes` (new bytes read 0).
 * Length-tracking views over it follow. O(new bytes).
 *
 * @throws RangeError from the runtime when `bytes` exceeds the buffer's `maxByteLength` or the
 *   memory cannot be committed (the buffer is unchanged).
 */
export function resizeColumnBuffer(buffer: ArrayBuffer, bytes: number): void {
  (buffer as ArrayBuffer & { resize(n: number): void }).resize(bytes);
}

/**
 * Resizes every buffer of `buffers` (made resizable by {@link makeColumnBuffer}) from
 * `oldRecords` to `newRecords` records of `bytesPerRecord[i]` bytes, all or none: when the
 * runtime cannot commit the memory for one, the ones already resized are restored and it returns
 * false. O(new bytes); allocates only the buffers' memory.
 */
export function resizeColumnBuffers(
  buffers: readonly ArrayBuffer[],
  bytesPerRecord: readonly number[],
  oldRecords: number,
  newRecords: number,
): boolean {
  let done = 0;
  try {
    for (; done < buffers.length; done++) resizeColumnBuffer(buffers[done], bytesPerRecord[done] * newRecords);
  } catch {
    for (let i = 0; i < done; i++) resizeColumnBuffer(buffers[i], bytesPerRecord[i] * oldRecords);
    return false;
  }
  return true;
}

/**
 * The view that zeroes one record of a column in as few stores as possible, and its stores per
 * record: an `Int32Array` over `buffer` and `bytesPerRecord / 4` words when a record is whole
 * 32-bit words, else a `Uint8Array` and `bytesPerRecord` bytes. One element kind per zeroing
 * loop whatever the field kinds (no polymorphic stores). O(1); allocates the view.
 */
export function zeroViewOf(
  buffer: ArrayBuffer,
  bytesPerRecord: number,
): { view: Int32Array | Uint8Array; words: number } {
  return bytesPerRecord % 4 === 0
    ? { view: new Int32Array(buffer), words: bytesPerRecord / 4 }
    : { view: new Uint8Array(buffer), words: bytesPerRecord };
}

/** Every typed array a column can be. */
export type AnyTypedArray =
  | Int32Array
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Uint32Array;
/** A constructor of one of them, over a whole buffer. */
export type TypedArrayConstructor = { new (buffer: ArrayBuffer): AnyTypedArray; readonly BYTES_PER_ELEMENT: number };

/**
 * A typed array of `length` elements that can later grow to `maxLength` without being replaced:
 * a view over {@link makeColumnBuffer}'s buffer (length-tracking when `maxLength > length`, a
 * plain fixed array otherwise). O(length); allocates the buffer.
 */
export function makeColumnArray<T extends AnyTypedArray>(
  ctor: TypedArrayConstructor,
  length: number,
  maxLength: number,
): T {
  const bytesPerElement = ctor.BYTES_PER_ELEMENT;
  return new ctor(makeColumnBuffer(length * bytesPerElement, maxLength * bytesPerElement)) as T;
}

/** Grows an array made by {@link makeColumnArray} in place to `length` elements (new ones read 0). */
export function growColumnArray(array: AnyTypedArray, length: number): void {
  if (array.length >= length) return;
  resizeColumnBuffer(array.buffer as ArrayBuffer, length * array.BYTES_PER_ELEMENT);
}

/**
 * A copy of `array` lengthened to `length` elements (new ones read 0), for private index arrays
 * that are replaced, not resized, when they grow (fixed arrays: the fastest element access).
 * O(length); allocates the copy.
 */
export function grownCopy(array: Int32Array, length: number): Int32Array {
  const copy = new Int32Array(length);
  copy.set(array);
  return copy;
}

/** The columns of a schema, from {@link makeColumns}. */
export interface SchemaColumns {
  /** Field name -> column (a view over its own buffer). */
  readonly fields: Record<string, AnyTypedArray>;
  /** Each column's buffer, in schema order. */
  readonly buffers: ArrayBuffer[];
  /** Each column's zeroing view and its stores per record (see {@link zeroViewOf}). */
  readonly zeroViews: (Int32Array | Uint8Array)[];
  readonly zeroWords: number[];
  /** Bytes of one record over all columns. */
  readonly bytesPerRecord: number;
}

/**
 * One column per field of `layouts` for `capacity` records, each able to grow in place to
 * `maxCapacity` records (see {@link makeColumnBuffer}), with its zeroing view; with `shared`,
 * on fixed `SharedArrayBuffer`s instead (`capacity === maxCapacity`). Used by StructPool and
 * the bridge's entity-layout components. O(capacity x fields); allocates.
 */
export function makeColumns(
  layouts: readonly { name: string; bytesPerSlot: number; ctor: TypedArrayConstructor }[],
  capacity: number,
  maxCapacity: number,
  shared = false,
): SchemaColumns {
  const fields: Record<string, AnyTypedArray> = {};
  const buffers: ArrayBuffer[] = [];
  const zeroViews: (Int32Array | Uint8Array)[] = [];
  const zeroWords: number[] = [];
  let bytesPerRecord = 0;
  for (const f of layouts) {
    const buffer = makeColumnBuffer(f.bytesPerSlot * capacity, f.bytesPerSlot * maxCapacity, shared);
    buffers.push(buffer);
    fields[f.name] = new f.ctor(buffer);
    const zero = zeroViewOf(buffer, f.bytesPerSlot);
    zeroViews.push(zero.view);
    zeroWords.push(zero.words);
    bytesPerRecord += f.bytesPerSlot;
  }
  return { fields, buffers, zeroViews, zeroWords, bytesPerRecord };
}
