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
/**
 * Shortest particle life, milliseconds, by default (an integer, so f32 and f64 storage count it
 * down alike). The simulation options `lifeMinMs` / `lifeMaxMs` override it.
 */
export const MIN_LIFE_MS = 500;
/** Longest particle life by default, milliseconds (exclusive upper bound of the integer draw). */
export const MAX_LIFE_MS = 1500;
/** Upper bound of `lifeMaxMs`, milliseconds. */
export const LIFE_LIMIT_MS = 60_000;
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
 * Fraction of its life left below which a particle fades: above it, full brightness and size;
 * below it, brightness falls linearly to 0 and the trail of a comet retracts.
 */
export const FADE_START_FRACTION = 0.5;
/** Size factor of a fully faded particle (1 at full brightness). */
export const FADED_SIZE_FACTOR = 0.4;

/** Fewest points a comet's trail holds at full length (the slowest comets). */
export const TRAIL_MIN_POINTS = 8;
/** Most points a comet's trail holds at full length (the fastest comets). */
export const TRAIL_MAX_POINTS = 48;
/** Bytes of one trail point: x and y as f32. */
export const TRAIL_POINT_BYTES = 8;
/** Default spacing of comets: every this many spawns, the new particle is a comet with a trail. */
export const COMET_EVERY = 16;

/** Brightness in `[0, 1]` from the life left: 1, then fading linearly to 0 at the end. O(1). */
export function fadeOf(lifeMs: number, maxLifeMs: number): number {
  const f = lifeMs / maxLifeMs;
  return f > FADE_START_FRACTION ? 1 : f / FADE_START_FRACTION;
}

/** Size factor from the brightness: 1 at full brightness, shrinking to `FADED_SIZE_FACTOR`. O(1). */
export function sizeFactorOf(fade: number): number {
  return FADED_SIZE_FACTOR + (1 - FADED_SIZE_FACTOR) * fade;
}

/**
 * Full length of a comet's trail, points: from {@link TRAIL_MIN_POINTS} for the slowest
 * (smallest) particles to {@link TRAIL_MAX_POINTS} for the fastest, by sprite scale. O(1).
 */
export function trailPointsFor(scale: number): number {
  const t = (scale - MIN_SCALE) / (MAX_SCALE - MIN_SCALE);
  return TRAIL_MIN_POINTS + Math.round((TRAIL_MAX_POINTS - TRAIL_MIN_POINTS) * Math.min(1, Math.max(0, t)));
}

/**
 * Points a comet's trail should show now: its full length until the particle starts fading,
 * then shrinking with the fade (at least 1). O(1).
 */
export function trailTargetPoints(fullPoints: number, fade: number): number {
  return fade >= 1 ? fullPoints : Math.max(1, Math.floor(fullPoints * fade));
}

/**
 * Layout of one spawn record (a `Float64Array` of at least {@link SPAWN_RECORD_LENGTH}):
 * position in pixels, velocity in pixels per second, life in milliseconds, tint as a 24-bit
 * `0xRRGGBB` number and the sprite scale.
 */
export const SPAWN_X = 0; // position x, px
export const SPAWN_Y = 1; // position y, px (down is positive)
export const SPAWN_VX = 2; // velocity x, px/s
export const SPAWN_VY = 3; // velocity y, px/s
export const SPAWN_LIFE_MS = 4; // life, ms (an integer in [lifeMinMs, lifeMaxMs))
export const SPAWN_TINT = 5; // 0xRRGGBB
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
 * Converts a hue (turns, `[0, 1)`) at full saturation and the given value to a `0xRRGGBB` tint
 * (Pixi's `tint` order). Standard HSV to RGB (Foley & van Dam, "Computer Graphics", 13.3.4).
 * Only used to fill the palette once.
 */
function hueToRgb(hue: number, value: number): number {
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
  return r * 65536 + g * 256 + b;
}

/** Options of an {@link Emitter}. */
export interface EmitterOptions {
  /** Seed of the random source (an integer). */
  seed: number;
  /** World width, pixels (a positive number). */
  widthPx: number;
  /** World height, pixels (a positive number). */
  heightPx: number;
  /** Shortest life, ms (an integer); default {@link MIN_LIFE_MS}. */
  lifeMinMs?: number;
  /** Longest life, ms, exclusive (an integer above `lifeMinMs`); default {@link MAX_LIFE_MS}. */
  lifeMaxMs?: number;
}

/** Indices into the emitter's `Float64Array` state. */
const STATE_TIME_MS = 0;
const STATE_WIDTH_PX = 1;
const STATE_HEIGHT_PX = 2;
const STATE_LIFE_MIN_MS = 3;
const STATE_LIFE_SPAN_MS = 4;
const STATE_LENGTH = 5;

/**
 * A fountain emitter that drifts along a slow Lissajous path and cycles its hue over time.
 * Each {@link Emitter.emit} call consumes exactly four random numbers, so two simulations that
 * call it the same number of times per frame spawn identical particles.
 */
export class Emitter {
  /** Seeded random source; shared order of draws is what makes the two modes comparable. */
  readonly random: SeededRandom;
  /** Tints by hue, `0xRRGGBB`, filled once. */
  readonly palette = new Uint32Array(PALETTE_SIZE);
  private readonly state = new Float64Array(STATE_LENGTH);

  /** @param options - see {@link EmitterOptions}; not validated here (the simulation does it). */
  constructor(options: EmitterOptions) {
    this.random = new SeededRandom(options.seed);
    for (let i = 0; i < PALETTE_SIZE; i++) this.palette[i] = hueToRgb(i / PALETTE_SIZE, 1);
    this.state[STATE_WIDTH_PX] = options.widthPx;
    this.state[STATE_HEIGHT_PX] = options.heightPx;
    const lifeMinMs = options.lifeMinMs ?? MIN_LIFE_MS;
    this.state[STATE_LIFE_MIN_MS] = lifeMinMs;
    this.state[STATE_LIFE_SPAN_MS] = (options.lifeMaxMs ?? MAX_LIFE_MS) - lifeMinMs;
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
    out[SPAWN_LIFE_MS] = this.state[STATE_LIFE_MIN_MS] + Math.floor(random.next() * this.state[STATE_LIFE_SPAN_MS]);
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
  /** Shortest particle life, ms. Integer in `[MAX_STEP_MS, LIFE_LIMIT_MS)`; default {@link MIN_LIFE_MS}. */
  lifeMinMs?: number;
  /** Longest particle life, ms, exclusive. Integer in `(lifeMinMs, LIFE_LIMIT_MS]`; default {@link MAX_LIFE_MS}. */
  lifeMaxMs?: number;
  /**
   * Every `cometEvery`-th spawn is a comet that leaves a trail (0: no comets). Integer in
   * `[0, 1,000,000]`; default {@link COMET_EVERY}.
   */
  cometEvery?: number;
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
  const lifeMinMs =
    options.lifeMinMs === undefined
      ? MIN_LIFE_MS
      : checkInteger('lifeMinMs', options.lifeMinMs, MAX_STEP_MS, LIFE_LIMIT_MS - 1);
  return {
    capacity: checkInteger('capacity', options.capacity, 1, MAX_CAPACITY),
    spawnPerFrame: checkInteger('spawnPerFrame', options.spawnPerFrame, 0, MAX_SPAWN_PER_FRAME),
    seed: options.seed === undefined ? 1 : checkInteger('seed', options.seed, 0, 2 ** 32 - 1),
    widthPx: options.widthPx === undefined ? 1024 : checkPixels('widthPx', options.widthPx),
    heightPx: options.heightPx === undefined ? 768 : checkPixels('heightPx', options.heightPx),
    lifeMinMs,
    lifeMaxMs:
      options.lifeMaxMs === undefined
        ? Math.max(MAX_LIFE_MS, lifeMinMs + 1)
        : checkInteger('lifeMaxMs', options.lifeMaxMs, lifeMinMs + 1, LIFE_LIMIT_MS),
    cometEvery:
      options.cometEvery === undefined ? COMET_EVERY : checkInteger('cometEvery', options.cometEvery, 0, 1_000_000),
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
 *   `minSteps = ceil(lifeMinMs / MAX_STEP_MS)` steps (10 by default), so while the pool has room all the
 *   particles spawned in the last `minSteps` steps are alive: `spawnPerFrame * minSteps`. Once the
 *   pool has filled, lives spread over a whole second keep it near full. The floor is half of
 *   `min(capacity, spawnPerFrame * minSteps)`: only a freak run of lifetimes that all end in the
 *   same few steps could go below it.
 *
 * O(1).
 */
export function expectedLiveRange(
  capacity: number,
  spawnPerFrame: number,
  lifeMinMs: number = MIN_LIFE_MS,
): { min: number; max: number } {
  const minSteps = Math.ceil(lifeMinMs / MAX_STEP_MS);
  return { min: Math.floor(Math.min(capacity, spawnPerFrame * minSteps) / 2), max: capacity };
}
