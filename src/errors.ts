/**
 * Errors and argument checks shared by every steadyheap structure.
 *
 * One policy everywhere (see DESIGN.md, "Errors"):
 * - A wrong type throws `TypeError`; a number outside its domain (NaN, ±Infinity, fractional,
 *   negative, zero where a positive size is needed, above the maximum) throws `RangeError`. The
 *   message names the argument, the value and the allowed range.
 * - Running out of space throws {@link OutOfMemoryError} from `alloc*`; `tryAlloc*` returns
 *   {@link NULL_OFFSET} / {@link NULL_HANDLE} instead.
 * - Freeing what is not a live allocation throws {@link InvalidFreeError} with a `reason`.
 * - A call that throws leaves the structure exactly as it was.
 *
 * The checks here compare plain JavaScript numbers (IEEE doubles) and never use the 32-bit bitwise
 * operators, so a size such as `2 ** 32 - 4` can never wrap into a small one.
 *
 * @module
 */

/** Returned by an arena's `tryAlloc` when no block fits. */
export const NULL_OFFSET = -1;

/** Returned by a pool's `tryAlloc` when no slot is free. */
export const NULL_HANDLE = -1;

/**
 * Why an arena refused a `free(offset)`. `'double-free'` is given only by `SlabArena`, whose state
 * byte per block tells a block freed twice from one never allocated (`'not-allocated'`).
 */
export type ArenaFreeReason = 'out-of-range' | 'misaligned' | 'interior' | 'not-allocated' | 'double-free';

/** Why a pool refused a `free(handle)` or `release(item)`. */
export type PoolFreeReason = 'out-of-range' | 'stale-handle' | 'double-free' | 'foreign';

/** Every reason an {@link InvalidFreeError} can carry. */
export type InvalidFreeReason = ArenaFreeReason | PoolFreeReason;

/**
 * Thrown by `alloc*` when the structure has no room for the request. A `RangeError` subclass, so
 * code that catches range errors catches it too.
 *
 * Carries the request (`requested`, in `unit`s) and a snapshot of the allocator's `stats()` taken
 * when the request failed. Constructing it allocates; it is only built on the failure path.
 */
export class OutOfMemoryError extends RangeError {
  /** What was asked for, in {@link OutOfMemoryError.unit}s. */
  readonly requested: number;
  /** `'bytes'` for arenas, `'slots'` for pools. */
  readonly unit: 'bytes' | 'slots';
  /** The structure's `stats()` at the time of the failure. */
  readonly stats: unknown;

  /**
   * @param message - human-readable reason; should name the option to raise where there is one.
   * @param requested - the request that failed, in `unit`s.
   * @param unit - `'bytes'` or `'slots'`.
   * @param stats - the structure's stats snapshot.
   */
  constructor(message: string, requested: number, unit: 'bytes' | 'slots', stats: unknown) {
    super(message);
    this.name = 'OutOfMemoryError';
    this.requested = requested;
    this.unit = unit;
    this.stats = stats;
  }
}

/**
 * Thrown when `free` / `release` is given something that is not a live allocation of the
 * structure. The structure is left unchanged.
 */
export class InvalidFreeError extends Error {
  /** Machine-readable reason; see {@link ArenaFreeReason} and {@link PoolFreeReason}. */
  readonly reason: InvalidFreeReason;
  /** The offset, handle or item that was passed. */
  readonly target: unknown;

  /**
   * @param reason - why the free was refused.
   * @param target - the offending argument.
   * @param message - human-readable detail.
   */
  constructor(reason: InvalidFreeReason, target: unknown, message: string) {
    super(message);
    this.name = 'InvalidFreeError';
    this.reason = reason;
    this.target = target;
  }
}

/** Why a pool refused to look a handle up (`slotOf`): the reasons a free gives for a value that is not live. */
export type HandleLookupReason = 'out-of-range' | 'stale-handle';

/**
 * Thrown by a handle lookup (`StructPool.slotOf`) given a handle that is not live: freed, reused,
 * retired or never issued (`'stale-handle'`), or naming a slot beyond the pool's capacity
 * (`'out-of-range'`). A lookup is not a free, so it has its own class; the pool is unchanged.
 *
 * It extends {@link InvalidFreeError} only so that code written when lookups threw
 * `InvalidFreeError` (`catch (e) { if (e instanceof InvalidFreeError) ... }`) keeps working; test
 * `instanceof InvalidHandleError` (or `name`) to tell a lookup from a free. That inheritance
 * goes in the next major version.
 */
export class InvalidHandleError extends InvalidFreeError {
  /** Machine-readable reason; see {@link HandleLookupReason}. */
  declare readonly reason: HandleLookupReason;

  /**
   * @param reason - why the lookup was refused.
   * @param target - the offending handle.
   * @param message - human-readable detail.
   */
  constructor(reason: HandleLookupReason, target: unknown, message: string) {
    super(reason, target, message);
    this.name = 'InvalidHandleError';
  }
}

/** Most violations a {@link CorruptionError} lists; `count` counts them all. */
export const MAX_LISTED_VIOLATIONS = 50;

/**
 * Thrown by `check()` when a structure's invariants do not hold: its memory was corrupted (a
 * write through a stale view, a foreign write into its typed arrays or buffer) or it has a bug.
 * Every structure's `check()` has this one shape, after tlsf's `tlsf_check`, which counts
 * violations instead of stopping at the first: it validates everything it can reach, then throws
 * once, listing what it found. A walk that meets a broken link stops there (it cannot go on
 * safely), so `count` is a lower bound when the damage is structural.
 *
 * Source: M. Masmano et al., TLSF reference implementation (mattconte/tlsf `tlsf_check`).
 */
export class CorruptionError extends Error {
  /** The structure that failed its check: `'StructPool'`, `'BuddyArena'`, ... */
  readonly structure: string;
  /** The violations found, in the order found, at most {@link MAX_LISTED_VIOLATIONS}. */
  readonly violations: readonly string[];
  /** How many violations were found (also those not listed). */
  readonly count: number;

  /**
   * @param structure - the structure's class name.
   * @param violations - the violations to list (at most {@link MAX_LISTED_VIOLATIONS} are kept).
   * @param count - how many were found; default `violations.length`.
   * @param method - what found them, for the message: `'check'` (default), or the operation
   *   that met the damage (`'free(1032)'`).
   */
  constructor(structure: string, violations: readonly string[], count: number = violations.length, method = 'check') {
    const listed = violations.slice(0, MAX_LISTED_VIOLATIONS);
    const more = count > listed.length ? `; and ${count - listed.length} more` : '';
    super(`${structure}.${method}: ${count} violation${count === 1 ? '' : 's'}: ${listed.join('; ')}${more}`);
    this.name = 'CorruptionError';
    this.structure = structure;
    this.violations = Object.freeze(listed);
    this.count = count;
  }
}

/**
 * Collects the violations one `check()` finds and throws them as one {@link CorruptionError}.
 * `report` is a bound function, so it can be handed to the walks that find them.
 */
export class Violations {
  private readonly found: string[] = [];
  private total = 0;

  /** @param structure - the checked structure's class name. */
  constructor(readonly structure: string) {}

  /** Records one violation (the message lists at most {@link MAX_LISTED_VIOLATIONS}). */
  readonly report = (violation: string): void => {
    this.total++;
    if (this.found.length < MAX_LISTED_VIOLATIONS) this.found.push(violation);
  };

  /** Violations recorded so far. */
  get count(): number {
    return this.total;
  }

  /**
   * Runs the `check()` of a structure this one is built on, recording its violations under
   * `prefix` (`'pool: '`) instead of letting its CorruptionError escape. Other errors propagate.
   */
  include(prefix: string, check: () => void): void {
    try {
      check();
    } catch (error) {
      if (!(error instanceof CorruptionError)) throw error;
      for (const v of error.violations) this.report(`${prefix}${v}`);
      this.total += error.count - error.violations.length;
    }
  }

  /** Throws the {@link CorruptionError} when anything was recorded. */
  throwIfAny(): void {
    if (this.total > 0) throw new CorruptionError(this.structure, this.found, this.total);
  }
}

/**
 * The object a `stats(into?)` fills: `into` when given (so a frame loop allocates nothing), else a
 * new one. O(1).
 *
 * @throws TypeError naming `what` when `into` is given and is not an object.
 */
export function statsTarget<T extends object>(what: string, into: T | undefined): T {
  if (into !== undefined && (into === null || typeof into !== 'object')) {
    throw new TypeError(`${what}: into must be an object or undefined, got ${describeValue(into)}`);
  }
  return into ?? ({} as T);
}

/**
 * Renders any value for an error message without throwing (symbols, bigints, objects with
 * hostile `toString`). Only called on failure paths.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : 'an object';
    default:
      return String(value);
  }
}

/**
 * Checks that `value` is a number and an integer in `[min, max]`.
 *
 * @param name - the argument's name, used in the message (for example `'bytes'`).
 * @param value - the value to check.
 * @param min - smallest allowed value (inclusive).
 * @param max - largest allowed value (inclusive).
 * @returns `value`, typed as a number.
 * @throws TypeError when `value` is not of type `number` (strings, bigints, `null`, ...).
 * @throws RangeError when `value` is NaN, infinite, fractional, or outside `[min, max]`.
 */
export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Checks a size: an integer in `[1, max]`. Zero is rejected because no structure here hands out
 * empty blocks.
 *
 * @throws TypeError / RangeError as {@link checkInteger}.
 */
export function checkSize(name: string, value: unknown, max: number): number {
  return checkInteger(name, value, 1, max);
}

/** True when `value` is a positive integer power of two (exact for all doubles up to 2^53). */
export function isPowerOfTwo(value: number): boolean {
  if (!Number.isSafeInteger(value) || value < 1) return false;
  // Divide instead of `value & (value - 1)`, which would cut sizes to 32 bits.
  let v = value;
  while (v > 1) {
    if (v % 2 !== 0) return false;
    v /= 2;
  }
  return true;
}

/**
 * Checks that `value` is a power of two in `[min, max]`.
 *
 * @throws TypeError when not a number; RangeError when not an integer power of two in range.
 */
export function checkPowerOfTwo(name: string, value: unknown, min: number, max: number): number {
  checkInteger(name, value, min, max);
  if (!isPowerOfTwo(value as number)) {
    throw new RangeError(`${name} must be a power of two in [${min}, ${max}], got ${describeValue(value)}`);
  }
  return value as number;
}

/**
 * Checks that `value` is one of `allowed`.
 *
 * @throws TypeError when `value` is not a string; RangeError when it is not in `allowed`.
 */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be one of ${allowed.join(' | ')}, got ${describeValue(value)}`);
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${name} must be one of ${allowed.join(' | ')}, got ${describeValue(value)}`);
  }
  return value as T;
}

/**
 * Checks an options bag: `undefined` or a plain object whose keys are all in `known`. Unknown
 * keys are rejected so that a misspelt option (`capacty`) fails loudly instead of being ignored,
 * and `null` values are rejected rather than silently taken as "default".
 *
 * @returns the options object, or an empty object for `undefined`.
 * @throws TypeError for a non-object, an unknown key, or a key whose value is `null`.
 */
export function checkOptions<T extends object>(
  name: string,
  options: T | undefined,
  known: readonly string[],
): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${name} must be an object or undefined, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${name}: unknown option ${JSON.stringify(key)}; known: ${known.join(', ')}`);
    }
    // `null` is a value, not "use the default": leave an option out (or pass `undefined`) for that.
    if ((options as Record<string, unknown>)[key] === null) {
      throw new TypeError(`${name}: option ${key} must not be null (leave it out for the default)`);
    }
  }
  return options;
}
