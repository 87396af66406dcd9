/**
 * The particle demo's shared physics: a seeded random source, a colour palette and the emitter
 * that decides where each new particle starts. Both simulations (pooled and naive) draw their
 * spawns from here, in the same order, so with the same seed they spawn the same particles and
 * keep the same live counts frame after frame (the Node tests check that).
 *
 * Nothing here allocates after construction: mutable state lives in typed arrays (a double kept in
 * a typed array is never boxed, whatever the engine's small-integer range), and each spawn is
 * written into a caller-owned `Float64Array` record laid out by the `SPAWN_*` constants.
 *
 * Runs in Node and in the browser: no DOM, no PixiJS.
 *
 * @module
 */
import { checkInteger, describeValue } from './checks.ts';

/** Gravity, pixels per second squared (y grows downward, as on screen). */
export const GRAVITY_PX_PER_S2 = 420;
/** Fraction of vertical speed kept when a particle bounces on the floor. */
export const FLOOR_RESTITUTION = 0.45;
/** Shortest particle life, milliseconds (an integer, so f32 and f64 storage count it down alike). */
export const MIN_LIFE_MS = 500;
/** Longest particle life, milliseconds (exclusive upper bound of the integer draw). */
export const MAX_LIFE_MS = 1500;
/** Slowest launch speed, pixels per second. */
export const MIN_SPEED_PX_PER_S = 120;
/** Fastest launch speed, pixels per second. */
export const MAX_SPEED_PX_PER_S = 460;
/** Half-angle of the upward launch cone, radians (about 32 degrees). */
export const CONE_HALF_ANGLE_RAD = 0.56;
/** Sprite scale of the slowest particles (scale grows with launch speed). */
export const MIN_SCALE = 0.35;
/** Sprite scale of the fastest particles. */
export const MAX_SCALE = 1.0;
/** Number of entries in the hue palette. */
export const PALETTE_SIZE = 256;

/**
 * Layout of one spawn record (a `Float64Array` of at least {@link SPAWN_RECORD_LENGTH}):
 * position in pixels, velocity in pixels per second, life in milliseconds, tint as a 24-bit
 * `0xBBGGRR` number (PixiJS's internal order) and the sprite scale.
 */
export const SPAWN_X = 0; // position x, px
export const SPAWN_Y = 1; // position y, px (down is positive)
export const SPAWN_VX = 2; // velocity x, px/s
export const SPAWN_VY = 3; // velocity y, px/s
export const SPAWN_LIFE_MS = 4; // life, ms (an integer in [MIN_LIFE_MS, MAX_LIFE_MS))
export const SPAWN_TINT = 5; // 0xBBGGRR
export const SPAWN_SCALE = 6; // sprite scale in [MIN_SCALE, MAX_SCALE]
/** Doubles in one spawn record. */
export const SPAWN_RECORD_LENGTH = 7;

/**
 * A seeded pseudo-random source: Mulberry32 (Tommy Ettinger, 2017, public domain; a 32-bit
 * state advanced by a Weyl sequence and mixed with two multiply-xorshift rounds). Fast, good
 * enough for visuals, and reproducible from a 32-bit seed. Not for cryptography.
 *
 * The state is held in a `Uint32Array(1)` so that advancing it never boxes a number.
 */
export class SeededRandom {
  private readonly state = new Uint32Array(1);

  /**
   * @param seed - any integer; only its low 32 bits are used (`seed >>> 0` is safe here: a seed
   *   is an identifier, not a size).
   */
  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Restarts the sequence from `seed`. O(1). */
  reseed(seed: number): void {
    this.state[0] = seed >>> 0;
  }

  /** The next number in `[0, 1)`, with 32 random bits. O(1), allocation-free. */
  next(): number {
    const s = (this.state[0] + 0x6d2b79f5) >>> 0;
    this.state[0] = s;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/**
 * Converts a hue (turns, `[0, 1)`) at full saturation and the given value to PixiJS's `0xBBGGRR`
 * tint. Standard HSV to RGB (Foley & van Dam, "Computer Graphics", 13.3.4). Only used to fill the
 * palette once.
 */
function hueToBgr(hue: number, value: number): number {
  const h6 = (hue - Math.floor(hue)) * 6;
  const sector = Math.floor(h6);
  const f = h6 - sector;
  const v = Math.round(255 * value);
  const up = Math.round(255 * value * f);
  const down = v - up;
  let r = 0;
  let g = 0;
  let b = 0;
  switch (sector) {
    case 0:
      r = v;
      g = up;
      break;
    case 1:
      r = down;
      g = v;
      break;
    case 2:
      g = v;
      b = up;
      break;
    case 3:
      g = down;
      b = v;
      break;
    case 4:
      r = up;
      b = v;
      break;
    default:
      r = v;
      b = down;
      break;
  }
  // Pale the colour towards white a little so additive-looking sparks stay bright.
  r = Math.min(255, r + 60);
  g = Math.min(255, g + 60);
  b = Math.min(255, b + 60);
  return b * 65536 + g * 256 + r;
}

/** Options of an {@link Emitter}. */
export interface EmitterOptions {
  /** Seed of the random source (an integer). */
  seed: number;
  /** World width, pixels (a positive number). */
  widthPx: number;
  /** World height, pixels (a positive number). */
  heightPx: number;
}

/** Indices into the emitter's `Float64Array` state. */
const STATE_TIME_MS = 0;
const STATE_WIDTH_PX = 1;
const STATE_HEIGHT_PX = 2;
const STATE_LENGTH = 3;

/**
 * A fountain emitter that drifts along a slow Lissajous path and cycles its hue over time.
 * Each {@link Emitter.emit} call consumes exactly four random numbers, so two simulations that
 * call it the same number of times per frame spawn identical particles.
 */
export class Emitter {
  /** Seeded random source; shared order of draws is what makes the two modes comparable. */
  readonly random: SeededRandom;
  /** Tints by hue, `0xBBGGRR`, filled once. */
  readonly palette = new Uint32Array(PALETTE_SIZE);
  private readonly state = new Float64Array(STATE_LENGTH);

  /** @param options - see {@link EmitterOptions}; not validated here (the simulation does it). */
  constructor(options: EmitterOptions) {
    this.random = new SeededRandom(options.seed);
    for (let i = 0; i < PALETTE_SIZE; i++) this.palette[i] = hueToBgr(i / PALETTE_SIZE, 1);
    this.state[STATE_WIDTH_PX] = options.widthPx;
    this.state[STATE_HEIGHT_PX] = options.heightPx;
  }

  /** Simulated time since the last reset, milliseconds. */
  get timeMs(): number {
    return this.state[STATE_TIME_MS];
  }

  /** World width, pixels. */
  get widthPx(): number {
    return this.state[STATE_WIDTH_PX];
  }

  /** World height (the floor's y), pixels. */
  get heightPx(): number {
    return this.state[STATE_HEIGHT_PX];
  }

  /** Changes the world size (for a window resize). O(1). */
  resize(widthPx: number, heightPx: number): void {
    this.state[STATE_WIDTH_PX] = widthPx;
    this.state[STATE_HEIGHT_PX] = heightPx;
  }

  /** Restarts time and the random sequence. O(1). */
  reset(seed: number): void {
    this.random.reseed(seed);
    this.state[STATE_TIME_MS] = 0;
  }

  /** Advances the emitter's clock (moves it along its path). O(1). */
  advance(dtMs: number): void {
    this.state[STATE_TIME_MS] += dtMs;
  }

  /**
   * As {@link Emitter.advance}, reading `dtMs` from `record[index]`: for a caller whose step is a
   * fractional number, which V8 would box into a new heap number if passed to a call it does not
   * inline. O(1), allocation-free.
   */
  advanceFrom(record: Float64Array, index: number): void {
    this.state[STATE_TIME_MS] += record[index];
  }

  /**
   * Writes the next particle's start state into `out` (layout: the `SPAWN_*` constants).
   * O(1), allocation-free; consumes four random numbers.
   *
   * @param out - a record of at least {@link SPAWN_RECORD_LENGTH} doubles.
   */
  emit(out: Float64Array): void {
    const random = this.random;
    const t = this.state[STATE_TIME_MS] / 1000;
    const w = this.state[STATE_WIDTH_PX];
    const h = this.state[STATE_HEIGHT_PX];
    const angle = -Math.PI / 2 + (random.next() * 2 - 1) * CONE_HALF_ANGLE_RAD;
    const speed = MIN_SPEED_PX_PER_S + random.next() * (MAX_SPEED_PX_PER_S - MIN_SPEED_PX_PER_S);
    out[SPAWN_X] = w * (0.5 + 0.32 * Math.sin(t * 0.7));
    out[SPAWN_Y] = h * (0.78 + 0.08 * Math.sin(t * 1.3));
    out[SPAWN_VX] = Math.cos(angle) * speed;
    out[SPAWN_VY] = Math.sin(angle) * speed;
    out[SPAWN_LIFE_MS] = MIN_LIFE_MS + Math.floor(random.next() * (MAX_LIFE_MS - MIN_LIFE_MS));
    // Hue cycles once every 6 s, with a per-particle jitter of a fifth of the colour wheel.
    const hueIndex = Math.floor((t / 6 + random.next() * 0.2) * PALETTE_SIZE);
    out[SPAWN_TINT] = this.palette[hueIndex % PALETTE_SIZE];
    out[SPAWN_SCALE] =
      MIN_SCALE + ((MAX_SCALE - MIN_SCALE) * (speed - MIN_SPEED_PX_PER_S)) / (MAX_SPEED_PX_PER_S - MIN_SPEED_PX_PER_S);
  }
}

/**
 * Longest simulated step, milliseconds. A frame that took longer (a hitch, a background tab) is
 * simulated as this long, so particles never jump through the floor and every particle lives at
 * least `MIN_LIFE_MS / MAX_STEP_MS` steps.
 */
export const MAX_STEP_MS = 50;

/** Largest pool capacity the demo accepts, particles. */
export const MAX_CAPACITY = 1_000_000;
/** Largest spawn rate the demo accepts, particles per frame. */
export const MAX_SPAWN_PER_FRAME = 100_000;

/** Options shared by both simulations. */
export interface SimulationOptions {
  /** Most particles alive at once: the pool's fixed capacity. Integer in `[1, MAX_CAPACITY]`. */
  capacity: number;
  /** Particles spawned per step while there is room. Integer in `[0, MAX_SPAWN_PER_FRAME]`. */
  spawnPerFrame: number;
  /** Seed of the random source. Integer in `[0, 2^32 - 1]`; default 1. */
  seed?: number;
  /** World width, pixels (finite, > 0); default 1024. */
  widthPx?: number;
  /** World height, pixels (finite, > 0); default 768. */
  heightPx?: number;
}

/** {@link SimulationOptions} with every default filled in. */
export type ResolvedSimulationOptions = Required<SimulationOptions>;

/** Checks a positive finite number of pixels. */
function checkPixels(name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number of pixels, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number of pixels > 0, got ${describeValue(value)}`);
  }
  return value;
}

/**
 * Validates simulation options and fills in defaults. O(1).
 *
 * @throws TypeError when `options` is not an object or a field has the wrong type.
 * @throws RangeError when a number is outside the range documented on {@link SimulationOptions}.
 */
export function resolveSimulationOptions(options: SimulationOptions): ResolvedSimulationOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describeValue(options)}`);
  }
  return {
    capacity: checkInteger('capacity', options.capacity, 1, MAX_CAPACITY),
    spawnPerFrame: checkInteger('spawnPerFrame', options.spawnPerFrame, 0, MAX_SPAWN_PER_FRAME),
    seed: options.seed === undefined ? 1 : checkInteger('seed', options.seed, 0, 2 ** 32 - 1),
    widthPx: options.widthPx === undefined ? 1024 : checkPixels('widthPx', options.widthPx),
    heightPx: options.heightPx === undefined ? 768 : checkPixels('heightPx', options.heightPx),
  };
}

/**
 * Validates a step length: a finite number of milliseconds >= 0. Steps longer than
 * {@link MAX_STEP_MS} are allowed here and clamped by the simulations.
 *
 * @throws TypeError / RangeError naming `dtMs`.
 */
export function checkStepMs(dtMs: unknown): number {
  if (typeof dtMs !== 'number') {
    throw new TypeError(`dtMs must be a number of milliseconds, got ${describeValue(dtMs)}`);
  }
  if (!(dtMs >= 0) || dtMs === Infinity) {
    throw new RangeError(`dtMs must be a finite number of milliseconds >= 0, got ${describeValue(dtMs)}`);
  }
  return dtMs;
}

/**
 * Validates a step length in whole microseconds: an integer in `[0, 2^53 - 1]`. O(1),
 * allocation-free on success: the check is inline comparisons, and `checkInteger` (which takes
 * the bound 2^53 - 1, a double that V8 may box when passing it to a call it does not inline) is
 * only called to build the error.
 *
 * @throws TypeError / RangeError naming `dtUs` (see `checkInteger`).
 */
export function checkStepUs(dtUs: unknown): number {
  if (typeof dtUs === 'number' && dtUs >= 0 && dtUs <= Number.MAX_SAFE_INTEGER && Number.isInteger(dtUs)) return dtUs;
  return checkInteger('dtUs', dtUs as number, 0, Number.MAX_SAFE_INTEGER);
}

/**
 * The range the live count should be in once a simulation has run for a second or more, with
 * steps no longer than {@link MAX_STEP_MS}; the tests (Node and browser) check it, independent of
 * frame rate.
 *
 * - Upper bound, exact: the pool never holds more than `capacity`.
 * - Lower bound, a floor with margin: every particle lives at least
 *   `minSteps = ceil(MIN_LIFE_MS / MAX_STEP_MS)` steps (10), so while the pool has room all the
 *   particles spawned in the last `minSteps` steps are alive: `spawnPerFrame * minSteps`. Once the
 *   pool has filled, lives spread over a whole second keep it near full. The floor is half of
 *   `min(capacity, spawnPerFrame * minSteps)`: only a freak run of lifetimes that all end in the
 *   same few steps could go below it.
 *
 * O(1).
 */
export function expectedLiveRange(capacity: number, spawnPerFrame: number): { min: number; max: number } {
  const minSteps = Math.ceil(MIN_LIFE_MS / MAX_STEP_MS);
  return { min: Math.floor(Math.min(capacity, spawnPerFrame * minSteps) / 2), max: capacity };
}
