/**
 * Workload traces for the arena benchmarks, generated before any timing from a seeded PRNG, so
 * every allocator (ours and the peers) replays exactly the same requests in the same order and
 * the timed loops only read typed arrays.
 *
 * - {@link logUniformSizes}: request sizes in bytes, log-uniform between two bounds (small
 *   requests common, large ones rare, as in real heaps: Wilson et al. 1995, section 4).
 * - {@link randomVictims}: which live block each step frees, for the random free order.
 * - {@link gameTrace}: a frame-by-frame trace of a game's variable-size buffers (meshes, audio
 *   chunks, path buffers, strings) with lifetimes in frames, for the memory-efficiency figure.
 *
 * @module
 */

import { mulberry32 } from '../lib/random.ts';

/**
 * `count` request sizes in bytes, log-uniform in `[minBytes, maxBytes]` (integers).
 *
 * @param count - trace length (a power of two lets the replay wrap with a mask).
 * @param minBytes - smallest size, >= 1.
 * @param maxBytes - largest size, >= minBytes.
 * @param seed - PRNG seed.
 * @returns an Int32Array of sizes. O(count).
 */
export function logUniformSizes(count: number, minBytes: number, maxBytes: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const out = new Int32Array(count);
  const lo = Math.log(minBytes);
  const span = Math.log(maxBytes + 1) - lo;
  for (let i = 0; i < count; i++) {
    out[i] = Math.min(maxBytes, Math.floor(Math.exp(lo + rand() * span)));
  }
  return out;
}

/**
 * `count` indices uniform in `[0, liveBlocks)`: the live slot each random-order step frees.
 *
 * @returns an Int32Array. O(count).
 */
export function randomVictims(count: number, liveBlocks: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.floor(rand() * liveBlocks);
  return out;
}

/** Mean of a size trace, in bytes. */
export function meanBytes(sizes: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < sizes.length; i++) sum += sizes[i];
  return sum / sizes.length;
}

/** One category of the game trace: how many blocks per frame, their sizes and lifetimes. */
export interface BufferKind {
  name: string;
  /** Expected new blocks per frame (fractional: a Bernoulli draw for the remainder). */
  perFrame: number;
  minBytes: number;
  maxBytes: number;
  /** Lifetime in frames, uniform in [minFrames, maxFrames]. */
  minFrames: number;
  maxFrames: number;
}

/**
 * The game-like mix: a few large long-lived mesh buffers (streamed level chunks, 2 to 15 s),
 * audio chunks that live about a second, path-finding buffers for a few frames, and many short
 * strings and small records (up to 2 s). Sizes in bytes, lifetimes in frames at 60 fps. Kept to
 * a few hundred live blocks so the O(n) peer finishes its bisection in seconds.
 */
export const GAME_BUFFER_KINDS: readonly BufferKind[] = [
  { name: 'mesh', perFrame: 0.05, minBytes: 4 << 10, maxBytes: 256 << 10, minFrames: 120, maxFrames: 900 },
  { name: 'audio', perFrame: 0.5, minBytes: 16 << 10, maxBytes: 64 << 10, minFrames: 30, maxFrames: 120 },
  { name: 'path', perFrame: 2, minBytes: 64, maxBytes: 2 << 10, minFrames: 1, maxFrames: 20 },
  { name: 'string', perFrame: 5, minBytes: 16, maxBytes: 256, minFrames: 1, maxFrames: 120 },
];

/**
 * A replayable allocation trace. `ops[i] >= 0` allocates block id `ops[i]` of `sizes[ops[i]]`
 * bytes; `ops[i] < 0` frees block id `-ops[i] - 1`. Every block is freed by the end.
 */
export interface AllocationTrace {
  ops: Int32Array;
  /** Requested bytes per block id. */
  sizes: Int32Array;
  /** Highest sum of live requested bytes at any point of the trace. */
  peakLiveBytes: number;
  /** Highest number of live blocks. */
  peakLiveBlocks: number;
  frames: number;
}

/**
 * Generates a game trace of `frames` frames from `kinds`: each frame first frees the blocks whose
 * lifetime ended (in allocation order), then allocates that frame's new blocks (kinds
 * interleaved, sizes log-uniform per kind). At the end every block still live is freed.
 *
 * @returns the trace with its peak live requested bytes. O(total blocks).
 */
export function gameTrace(
  frames: number,
  seed: number,
  kinds: readonly BufferKind[] = GAME_BUFFER_KINDS,
): AllocationTrace {
  const rand = mulberry32(seed);
  const ops: number[] = [];
  const sizes: number[] = [];
  const deaths: number[][] = [];
  for (let f = 0; f <= frames; f++) deaths.push([]);
  const live = new Set<number>();
  let liveBytes = 0;
  let peakLiveBytes = 0;
  let peakLiveBlocks = 0;
  const free = (id: number) => {
    ops.push(-id - 1);
    liveBytes -= sizes[id];
    live.delete(id);
  };
  for (let f = 0; f < frames; f++) {
    for (const id of deaths[f]) free(id);
    for (const kind of kinds) {
      const whole = Math.floor(kind.perFrame);
      const n = whole + (rand() < kind.perFrame - whole ? 1 : 0);
      for (let j = 0; j < n; j++) {
        const lo = Math.log(kind.minBytes);
        const bytes = Math.min(kind.maxBytes, Math.floor(Math.exp(lo + rand() * (Math.log(kind.maxBytes + 1) - lo))));
        const id = sizes.length;
        sizes.push(bytes);
        ops.push(id);
        live.add(id);
        liveBytes += bytes;
        const life = kind.minFrames + Math.floor(rand() * (kind.maxFrames - kind.minFrames + 1));
        if (f + life < frames) deaths[f + life].push(id);
      }
    }
    if (liveBytes > peakLiveBytes) peakLiveBytes = liveBytes;
    if (live.size > peakLiveBlocks) peakLiveBlocks = live.size;
  }
  for (const id of [...live]) free(id);
  return { ops: Int32Array.from(ops), sizes: Int32Array.from(sizes), peakLiveBytes, peakLiveBlocks, frames };
}
