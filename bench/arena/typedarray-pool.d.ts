/**
 * Types for the parts of `typedarray-pool` 1.2.0 the arena benchmarks use (the package ships
 * none). CommonJS module; imported as a default export.
 */
declare module 'typedarray-pool' {
  interface TypedArrayPool {
    /** A `Float32Array` of `n` elements over a pooled power-of-two `ArrayBuffer`. */
    mallocFloat32(n: number): Float32Array;
    /** Returns an array's buffer to its power-of-two bucket. */
    free(array: ArrayBufferView | ArrayBuffer): void;
    /** Empties every bucket. */
    clearCache(): void;
  }
  const pool: TypedArrayPool;
  export default pool;
}
