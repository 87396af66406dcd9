/**
 * The ECS example's simulation, free of any renderer (it runs in Node too): turrets on a bitECS
 * world spray bullets with lifetimes; bullets are recycled through an {@link EntityPool} and carry
 * pool-backed components, so the steady state allocates nothing.
 *
 * - `Turret` ({ x, y, angle, spin }, entity layout, bitECS membership): found with a bitECS query.
 * - `Position` / `Velocity` / `Life` (entity layout, pool membership): given to each spawned bullet
 *   by the pool, removed on despawn; systems iterate their packed lists backward (the iteration
 *   contract of PoolComponent).
 *
 * Units: positions in CSS pixels, velocities in pixels per frame, lifetimes in frames.
 *
 * @module
 */
import { createWorld, query, type World } from 'bitecs';
import { EntityPool, createEntity, definePoolComponent } from 'steadyheap/bitecs';

/** Most bullets alive at once (pool capacity, fixed: no growth, plain typed arrays). */
export const MAX_BULLETS = 2048;
/** Bullets each turret fires per frame. */
export const BULLETS_PER_TURRET_FRAME = 3;
/** Bullet lifetime range, frames. */
export const MIN_LIFE_FRAMES = 60;
export const MAX_LIFE_FRAMES = 110;

/** The scene: world, components, pool and the per-frame step. */
export interface EcsScene {
  world: World;
  widthPx: number;
  heightPx: number;
  Turret: ReturnType<typeof makeTurret>;
  Position: ReturnType<typeof makeVec2>;
  Velocity: ReturnType<typeof makeVec2>;
  Life: ReturnType<typeof makeLife>;
  bullets: EntityPool;
  /** Frames stepped so far. */
  frame: number;
  /** Advances one frame: fire, move, age (despawning expired or off-screen bullets). */
  step: () => void;
}

function makeTurret(world: World) {
  return definePoolComponent(
    world,
    { x: 'f32', y: 'f32', angle: 'f32', spin: 'f32' },
    { capacity: 64, maxCapacity: 64 },
  );
}
function makeVec2(world: World) {
  return definePoolComponent(world, { x: 'f32', y: 'f32' }, { membership: 'pool', capacity: 4096, maxCapacity: 4096 });
}
function makeLife(world: World) {
  return definePoolComponent(
    world,
    { frames: 'i32', maxFrames: 'i32' },
    { membership: 'pool', capacity: 4096, maxCapacity: 4096 },
  );
}

/**
 * Builds the scene with `turrets` turrets on a circle inside a `widthPx` x `heightPx` field.
 * Allocates (setup); `step()` allocates nothing once the pool has created its entities.
 */
export function createEcsScene(widthPx: number, heightPx: number, turrets = 6): EcsScene {
  const world = createWorld();
  const Turret = makeTurret(world);
  const Position = makeVec2(world);
  const Velocity = makeVec2(world);
  const Life = makeLife(world);
  const bullets = new EntityPool(world, {
    components: [Position, Velocity, Life],
    capacity: MAX_BULLETS,
    maxCapacity: MAX_BULLETS,
  });
  for (let i = 0; i < turrets; i++) {
    const e = createEntity(world);
    const at = Turret.add(e);
    const a = (i / turrets) * Math.PI * 2;
    Turret.fields.x[at] = widthPx / 2 + Math.cos(a) * widthPx * 0.3;
    Turret.fields.y[at] = heightPx / 2 + Math.sin(a) * heightPx * 0.3;
    Turret.fields.angle[at] = a;
    Turret.fields.spin[at] = (i % 2 === 0 ? 1 : -1) * 0.05;
  }
  const turretTerms = [Turret];
  let seed = 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };

  const scene: EcsScene = {
    world,
    widthPx,
    heightPx,
    Turret,
    Position,
    Velocity,
    Life,
    bullets,
    frame: 0,
    step() {
      // Fire: a bitECS query over the bitECS-membership Turret component.
      const ts = query(world, turretTerms);
      const tx = Turret.fields.x;
      const ty = Turret.fields.y;
      const ta = Turret.fields.angle;
      for (let i = 0; i < ts.length; i++) {
        const t = ts[i];
        ta[t] += Turret.fields.spin[t];
        for (let k = 0; k < BULLETS_PER_TURRET_FRAME && bullets.size < MAX_BULLETS; k++) {
          const e = bullets.spawn();
          const a = ta[t] + (k - 1) * 0.35;
          const speed = 2 + random() * 2;
          const p = Position.indexOf(e);
          Position.fields.x[p] = tx[t];
          Position.fields.y[p] = ty[t];
          const v = Velocity.indexOf(e);
          Velocity.fields.x[v] = Math.cos(a) * speed;
          Velocity.fields.y[v] = Math.sin(a) * speed;
          const l = Life.indexOf(e);
          const frames = MIN_LIFE_FRAMES + Math.floor(random() * (MAX_LIFE_FRAMES - MIN_LIFE_FRAMES));
          Life.fields.frames[l] = frames;
          Life.fields.maxFrames[l] = frames;
        }
      }
      // Move: entity layout, so Position and Velocity share the index (the raw entity id).
      const px = Position.fields.x;
      const py = Position.fields.y;
      const vx = Velocity.fields.x;
      const vy = Velocity.fields.y;
      const idx = Velocity.indices;
      for (let i = Velocity.count - 1; i >= 0; i--) {
        const at = idx[i];
        px[at] += vx[at];
        py[at] += vy[at];
      }
      // Age and despawn: backward iteration, removing only the current entity (PoolComponent's
      // iteration contract).
      const frames = Life.fields.frames;
      const lifeIdx = Life.indices;
      const lifeEnts = Life.entities;
      for (let i = Life.count - 1; i >= 0; i--) {
        const at = lifeIdx[i];
        frames[at] -= 1;
        const x = px[at];
        const y = py[at];
        if (frames[at] <= 0 || x < 0 || y < 0 || x > widthPx || y > heightPx) bullets.despawn(lifeEnts[i]);
      }
      scene.frame++;
    },
  };
  return scene;
}
