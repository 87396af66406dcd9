/**
 * `ByteScratch`: bytes whose length changes from save to save, with views that always cover
 * exactly the current length, so `TypedArray.set` copies them whole and no view is made per save.
 * Over a resizable `ArrayBuffer` (length-tracking views); where the runtime lacks them, over a
 * plain buffer with views made again when the length changes (allocation, documented there).
 *
 * @module
 */
import { HAS_RESIZABLE_BUFFER } from '../pool/column-buffer.js';

type Resizable = ArrayBuffer & { resize(bytes: number): void; readonly maxByteLength: number };

/** A variable-length byte area, a multiple of 4 bytes long, for packed state. */
export class ByteScratch {
  private buffer: ArrayBuffer;
  /** The bytes, exactly {@link ByteScratch.length} long. */
  bytes: Uint8Array;
  /** The same bytes as int32 words. */
  words: Int32Array;

  /** @param maxBytes - bytes reserved (grows past it by doubling, with an allocation). */
  constructor(maxBytes: number) {
    this.buffer = ByteScratch.make(0, maxBytes);
    this.bytes = new Uint8Array(this.buffer, 0, 0);
    this.words = new Int32Array(this.buffer, 0, 0);
    this.resize(0);
  }

  /**
   * A resizable buffer of `bytes` reserving `maxBytes`; without resizable buffers, a plain one of
   * `bytes` (at least 4 KiB), grown by replacement.
   */
  private static make(bytes: number, maxBytes: number): ArrayBuffer {
    return HAS_RESIZABLE_BUFFER
      ? new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(bytes, {
          maxByteLength: maxBytes,
        })
      : new ArrayBuffer(Math.max(bytes, 4096));
  }

  /** Bytes in use. */
  get length(): number {
    return this.bytes.length;
  }

  /**
   * Sets the length to `bytes` (a multiple of 4); contents up to the old length are kept.
   * Allocates nothing while `bytes` stays within the reservation.
   */
  resize(bytes: number): void {
    const max = HAS_RESIZABLE_BUFFER ? (this.buffer as Resizable).maxByteLength : this.buffer.byteLength;
    if (bytes > max) {
      const old = this.bytes;
      this.buffer = ByteScratch.make(bytes, Math.max(bytes, max * 2));
      new Uint8Array(this.buffer).set(old);
      this.bytes = new Uint8Array(this.buffer);
      this.words = new Int32Array(this.buffer);
    }
    if (HAS_RESIZABLE_BUFFER) {
      (this.buffer as Resizable).resize(bytes);
      if (this.bytes.buffer !== this.buffer || this.bytes.length !== bytes) {
        this.bytes = new Uint8Array(this.buffer); // length-tracking from here on
        this.words = new Int32Array(this.buffer);
      }
    } else if (this.bytes.length !== bytes) {
      this.bytes = new Uint8Array(this.buffer, 0, bytes);
      this.words = new Int32Array(this.buffer, 0, bytes >>> 2);
    }
  }
}
