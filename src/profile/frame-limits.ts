/**
 * The limits of {@link FrameProfiler}'s arguments and their checks: every number it records is
 * validated here before it reaches the ring. The `is*` tests are the hot paths' (one comparison
 * chain, no message); the `check*` / `reject*` functions build the message on failure only.
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
// Referenced from the docs ({@link}) only.
import type { FrameProfiler } from './frame-profiler.js';

/** Largest ring the profiler accepts, in frames (about 4.6 hours at 60 fps). */
export const MAX_PROFILER_CAPACITY = 1 << 20;

/**
 * Longest frame, CPU time or GC pause the profiler accepts, ms (one hour). A longer value is a
 * unit mistake or a suspended process; rejecting it keeps every sum (`seconds`, `meanMs`) finite:
 * even 2^53 frames of one hour sum to about 3e22 ms.
 */
export const MAX_FRAME_MS = 3_600_000;

/**
 * Longest frame or CPU time {@link FrameProfiler.recordUs} accepts, µs: {@link MAX_FRAME_MS} in
 * microseconds (3.6e9). Frame times in practice are far below 2^30 µs (18 minutes), the range of
 * V8's small integers.
 */
export const MAX_FRAME_US = MAX_FRAME_MS * 1000;

/** The `cpuUs` of {@link FrameProfiler.recordUs} that means "CPU time unknown" (recorded as NaN ms). */
export const UNKNOWN_CPU_US = -1;

/** Largest count a `live` / `spawned` / `freed` / GC-count column can hold (Uint32). */
export const MAX_COUNT = 0xffff_ffff;

/** Throws the error owed for a ms argument outside `[0, MAX_FRAME_MS]` (or NaN, when allowed). */
export function checkMs(name: string, value: number, allowNaN: boolean): void {
  // Hot path: a single comparison chain on success, the message only on failure.
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  if (value >= 0 && value <= MAX_FRAME_MS) return;
  if (allowNaN && value !== value) return;
  throw new RangeError(
    `${name} must be a number of ms in [0, ${MAX_FRAME_MS}] (MAX_FRAME_MS, one hour)${allowNaN ? ' or NaN' : ''}, got ${describeValue(value)}`,
  );
}

/** Throws the error owed for a clock reading that is not a finite number (failure path only). */
export function rejectClock(value: unknown): never {
  if (typeof value !== 'number') {
    throw new TypeError(`FrameProfiler: options.clock() must return a number of ms, got ${describeValue(value)}`);
  }
  throw new RangeError(`FrameProfiler: options.clock() must return a finite number of ms, got ${describeValue(value)}`);
}

/** True for a count: an integer in `[0, 2^32)`. */
export function isCount(value: number): boolean {
  return typeof value === 'number' && value >= 0 && value <= MAX_COUNT && Number.isInteger(value);
}

/** True for a whole number of µs in [0, MAX_FRAME_US]. */
export function isUs(value: number): boolean {
  return typeof value === 'number' && value >= 0 && value <= MAX_FRAME_US && Number.isInteger(value);
}

/** Throws the error owed for a µs argument of `recordUs` (failure path only). */
export function checkUs(name: string, value: number, allowUnknown: boolean): void {
  if (isUs(value) || (allowUnknown && value === UNKNOWN_CPU_US)) return;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of µs, got ${describeValue(value)}`);
  throw new RangeError(
    `${name} must be an integer number of µs in [0, ${MAX_FRAME_US}] (MAX_FRAME_US, one hour)` +
      `${allowUnknown ? ' or -1 (UNKNOWN_CPU_US)' : ''}, got ${describeValue(value)}`,
  );
}

/** Throws the error that `recordUs` owes for its arguments (failure path only). */
export function rejectFrameUs(frameUs: number, cpuUs: number, live: number, spawned: number, freed: number): never {
  checkUs('frameUs', frameUs, false);
  checkUs('cpuUs', cpuUs, true);
  checkCount('live', live);
  checkCount('spawned', spawned);
  checkCount('freed', freed);
  throw new RangeError('frame rejected'); // unreachable: one of the checks above throws
}

/** Throws the error that `record` owes for its arguments (failure path only). */
export function rejectFrame(frameMs: number, cpuMs: number, live: number, spawned: number, freed: number): never {
  checkMs('frameMs', frameMs, false);
  checkMs('cpuMs', cpuMs, true);
  checkCount('live', live);
  checkCount('spawned', spawned);
  checkCount('freed', freed);
  throw new RangeError('frame rejected'); // unreachable: one of the checks above throws
}

/** Throws the error owed for a count that is not an integer in `[0, 2^32)`. */
export function checkCount(name: string, value: number): void {
  if (isCount(value)) return;
  checkInteger(name, value, 0, MAX_COUNT);
}
