/**
 * Memory efficiency of the arenas: the smallest buffer each one needs to replay a game trace
 * without running out of memory, divided by the trace's peak live requested bytes. 1.0 would be
 * a perfect allocator; headers, rounding (buddy powers of two) and fragmentation push it up.
 *
 * The smallest size is found by bisection on `sizeBytes` (to {@link GRANULE_BYTES}). Bisection
 * assumes that a larger arena never fails where a smaller one succeeded, which is not guaranteed
 * for first/next fit (a different layout can fragment differently), so the figure is "the
 * smallest size the bisection found", and it is re-run once to confirm it succeeds.
 *
 * @module
 */
import type { AllocationTrace } from './traces.ts';

/** Bisection resolution, bytes. */
export const GRANULE_BYTES = 4096;

/** An allocator built for one replay: `tryAlloc` returns -1 when full. */
export interface ReplayTarget {
  tryAlloc(bytes: number): number;
  free(handle: number): void;
}

/**
 * Replays `trace` into a fresh allocator of `sizeBytes`.
 *
 * @returns true when every allocation succeeded. O(trace ops x allocator cost).
 */
export function replayFits(
  trace: AllocationTrace,
  make: (sizeBytes: number) => ReplayTarget,
  sizeBytes: number,
): boolean {
  const target = make(sizeBytes);
  const handles = new Int32Array(trace.sizes.length);
  const ops = trace.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op >= 0) {
      const h = target.tryAlloc(trace.sizes[op]);
      if (h < 0) return false;
      handles[op] = h;
    } else {
      target.free(handles[-op - 1]);
    }
  }
  return true;
}

/** Result of {@link smallestArena}. */
export interface MemoryFigure {
  /** Smallest `sizeBytes` found that replays the trace. */
  sizeBytes: number;
  /** `sizeBytes / trace.peakLiveBytes`. */
  bytesPerLiveByte: number;
  /** Replays run by the bisection. */
  probes: number;
}

/**
 * Bisects `sizeBytes` in multiples of {@link GRANULE_BYTES} between the trace's peak live bytes
 * and `maxBytes` for the smallest arena that replays the trace.
 *
 * @param make - builds an allocator managing exactly `sizeBytes` bytes.
 * @param maxBytes - an upper bound that must succeed.
 * @throws Error when even `maxBytes` fails, or the found size fails on a re-run.
 */
export function smallestArena(
  trace: AllocationTrace,
  make: (sizeBytes: number) => ReplayTarget,
  maxBytes: number,
): MemoryFigure {
  let lo = Math.floor(trace.peakLiveBytes / GRANULE_BYTES); // granules known to fail (or untried)
  let hi = Math.ceil(maxBytes / GRANULE_BYTES); // granules known to fit
  let probes = 1;
  if (!replayFits(trace, make, hi * GRANULE_BYTES)) throw new Error(`trace does not fit in ${maxBytes} bytes`);
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    probes++;
    if (replayFits(trace, make, mid * GRANULE_BYTES)) hi = mid;
    else lo = mid;
  }
  const sizeBytes = hi * GRANULE_BYTES;
  if (!replayFits(trace, make, sizeBytes)) throw new Error(`bisection result ${sizeBytes} does not replay`);
  return { sizeBytes, bytesPerLiveByte: sizeBytes / trace.peakLiveBytes, probes: probes + 1 };
}
