/**
 * The rollback example's game world: 10,000 entities in a steadyheap `StructPool` (position and
 * velocity as four f32 columns, a lifetime) pulled or pushed by two players' attractors, with
 * entities expiring and respawning every frame, so the pool's free list and handles change as
 * well as its values. Every piece of state is in typed arrays: the pool and a `TypedArrayState`
 * (the players, the frame number, the random generator), so a `SnapshotRing` over
 * {@link World.structures} saves and restores the whole game.
 *
 * Deterministic: the same inputs from the same state give the same bytes on every peer, which
 * rollback needs. Only `+ - * /` and comparisons on doubles stored into `Float32Array`s (exactly
 * rounded in IEEE 754), and a xorshift generator in a `Uint32Array`: no `Math.sin`, `Math.exp` or
 * `Math.random`, whose results may differ between engines. Runs in Node and in the browser.
 *
 * @module
 */
import { StructPool, TypedArrayState, type Snapshotable } from 'steadyheap';

/** Width and height of the playfield, in world units (pixels in the demo). */
export const WORLD_WIDTH = 640;
export const WORLD_HEIGHT = 400;

/** Input bits of one player for one frame. */
export const INPUT_LEFT = 1;
export const INPUT_RIGHT = 2;
export const INPUT_UP = 4;
export const INPUT_DOWN = 8;
/** Held: the player's attractor pushes entities away instead of pulling them. */
export const INPUT_PUSH = 16;

/** Attractor speed, in world units per frame. */
const PLAYER_SPEED = 4;
/** Strength of an attractor (world units^3 per frame^2) and its softening (units^2). */
const PULL = 60;
const SOFTENING = 2500;
/** Velocity kept per frame. */
const DAMPING = 0.985;
/** Lifetime of a spawned entity, in frames: `MIN_LIFE + rng % LIFE_SPREAD`. */
const MIN_LIFE = 90;
const LIFE_SPREAD = 600;

/** The entity schema: four f32 fields (the benchmark's world) and a lifetime. */
export const ENTITY_SCHEMA = { x: 'f32', y: 'f32', vx: 'f32', vy: 'f32', life: 'u16' } as const;

/** Where game state other than the entities lives (indices into `vars`). */
const FRAME = 0;

/** A world: its entities, its game variables, and the structures to snapshot. */
export interface World {
  /** The entities (all `entityCount` of them live at the end of every step). */
  readonly entities: StructPool<typeof ENTITY_SCHEMA>;
  /** Players' attractors: `[x0, y0, x1, y1]`. */
  readonly players: Float32Array;
  /** `[frame]`: frames simulated since creation. */
  readonly vars: Float64Array;
  /** xorshift32 state. */
  readonly rng: Uint32Array;
  /** Entities kept alive. */
  readonly entityCount: number;
  /** What a `SnapshotRing` saves: the pool and the game variables. */
  readonly structures: readonly Snapshotable[];
}

/**
 * A new world of `entityCount` entities placed from `seed` (two worlds from the same arguments
 * are identical to the byte).
 * @throws RangeError for an `entityCount` outside [1, 2^20].
 */
export function createWorld(entityCount: number, seed = 1): World {
  if (!(Number.isInteger(entityCount) && entityCount >= 1 && entityCount <= 2 ** 20)) {
    throw new RangeError(`entityCount must be an integer in [1, 2^20], got ${entityCount}`);
  }
  const entities = new StructPool(ENTITY_SCHEMA, { capacity: entityCount });
  const players = new Float32Array([WORLD_WIDTH / 3, WORLD_HEIGHT / 2, (2 * WORLD_WIDTH) / 3, WORLD_HEIGHT / 2]);
  const vars = new Float64Array(1);
  const rng = new Uint32Array([seed >>> 0 || 1]);
  const game = new TypedArrayState({ players, vars, rng });
  const world: World = { entities, players, vars, rng, entityCount, structures: [entities, game] };
  spawnUpTo(world);
  return world;
}

/** The frame a world is at (frames simulated). */
export function frameOf(world: World): number {
  return world.vars[FRAME];
}

/**
 * The next value of the xorshift32 generator whose state is `state[0]` (G. Marsaglia,
 * "Xorshift RNGs", 2003): an unsigned 32-bit integer. Allocates nothing.
 */
export function next(state: Uint32Array): number {
  let x = state[0];
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  state[0] = x;
  return state[0]; // unsigned (x may read negative as an int32)
}

/** Allocates entities until `entityCount` are live, each placed and aimed from the generator. */
function spawnUpTo(world: World): void {
  const { entities, rng } = world;
  const { x, y, vx, vy, life } = entities.fields;
  while (entities.size < world.entityCount) {
    const s = entities.slotOf(entities.alloc());
    x[s] = next(rng) % WORLD_WIDTH;
    y[s] = next(rng) % WORLD_HEIGHT;
    vx[s] = ((next(rng) % 2001) - 1000) / 1000;
    vy[s] = ((next(rng) % 2001) - 1000) / 1000;
    life[s] = MIN_LIFE + (next(rng) % LIFE_SPREAD);
  }
}

/** Moves player `p`'s attractor by its input, inside the playfield. */
function movePlayer(players: Float32Array, p: number, input: number): void {
  const dx = (input & INPUT_RIGHT ? PLAYER_SPEED : 0) - (input & INPUT_LEFT ? PLAYER_SPEED : 0);
  const dy = (input & INPUT_DOWN ? PLAYER_SPEED : 0) - (input & INPUT_UP ? PLAYER_SPEED : 0);
  players[p * 2] = Math.min(WORLD_WIDTH, Math.max(0, players[p * 2] + dx));
  players[p * 2 + 1] = Math.min(WORLD_HEIGHT, Math.max(0, players[p * 2 + 1] + dy));
}

/**
 * Simulates one frame with both players' inputs: the attractors move, every entity is pulled
 * (or pushed) by both and moves, bounces off the walls and ages; expired entities are freed and
 * as many respawn. O(entities); allocates nothing.
 */
export function step(world: World, input0: number, input1: number): void {
  const { entities, players } = world;
  movePlayer(players, 0, input0);
  movePlayer(players, 1, input1);
  const p0x = players[0];
  const p0y = players[1];
  const p1x = players[2];
  const p1y = players[3];
  const k0 = input0 & INPUT_PUSH ? -PULL : PULL;
  const k1 = input1 & INPUT_PUSH ? -PULL : PULL;
  const { x, y, vx, vy, life } = entities.fields;
  const dense = entities.dense;
  for (let i = entities.size - 1; i >= 0; i--) {
    const s = dense[i];
    const ex = x[s];
    const ey = y[s];
    const d0x = p0x - ex;
    const d0y = p0y - ey;
    const d1x = p1x - ex;
    const d1y = p1y - ey;
    const f0 = k0 / (d0x * d0x + d0y * d0y + SOFTENING);
    const f1 = k1 / (d1x * d1x + d1y * d1y + SOFTENING);
    let nvx = (vx[s] + d0x * f0 + d1x * f1) * DAMPING;
    let nvy = (vy[s] + d0y * f0 + d1y * f1) * DAMPING;
    let nx = ex + nvx;
    let ny = ey + nvy;
    if (nx < 0 || nx > WORLD_WIDTH) {
      nvx = -nvx;
      nx = nx < 0 ? -nx : 2 * WORLD_WIDTH - nx;
    }
    if (ny < 0 || ny > WORLD_HEIGHT) {
      nvy = -nvy;
      ny = ny < 0 ? -ny : 2 * WORLD_HEIGHT - ny;
    }
    x[s] = nx;
    y[s] = ny;
    vx[s] = nvx;
    vy[s] = nvy;
    if (--life[s] === 0) entities.free(entities.handleOf(s)); // swap-removes: safe going backward
  }
  spawnUpTo(world);
  world.vars[FRAME]++;
}
