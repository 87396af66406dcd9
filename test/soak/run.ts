/**
 * `npm run soak`: every structure through at least 10^6 seeded random operations against a
 * simple model, with `check()` throughout (after every operation for the first 2,000, then every
 * 1,000), printing progress. Not part of `npm test` (it takes minutes). The random numbers come
 * from fast-check (seeded), drawn in blocks, so a run is the same for the same `--seed`.
 *
 * Usage: npm run soak -- [--ops N] [--seed S] [--only name[,name...]]
 */
import fc from 'fast-check';
import { addComponent, createEntityIndex, createWorld, removeEntity, withVersioning } from 'bitecs';
import { parseArgs } from 'node:util';
import type { Allocator } from '../../src/arena/allocator.ts';
import {
  EntityPool,
  clearWorld,
  createEntity,
  definePoolComponent,
  definePoolQuery,
  destroyEntity,
  isEntityAlive,
} from '../../src/ecs/index.ts';
import {
  BuddyArena,
  FrameProfiler,
  FreeListArena,
  MAX_POOL_CAPACITY,
  ObjectPool,
  SlabArena,
  StructPool,
  TreeArena,
  type Handle,
} from '../../src/index.ts';
import { IntervalModel, findPatternMismatch, writePattern, type ModelBlock } from '../arena/interval-model.ts';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: String(1_000_000) },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('Usage: npm run soak -- [--ops N] [--seed S] [--only name[,name...]]');
  process.exit(0);
}
const OPS = Number(values.ops);
const SEED = Number(values.seed);
if (!Number.isInteger(OPS) || OPS < 1 || !Number.isInteger(SEED)) {
  console.error(`soak: --ops must be a positive integer and --seed an integer (got ${values.ops}, ${values.seed})`);
  process.exit(2);
}

/** A stream of seeded 31-bit integers from fast-check, drawn in blocks of 65,536. */
class Draws {
  private block: number[] = [];
  private at = 0;
  private blocks = 0;
  constructor(private readonly seed: number) {}
  /** A uniform integer in `[0, n)`. */
  int(n: number): number {
    if (this.at === this.block.length) {
      this.block = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), {
        seed: this.seed * 7919 + this.blocks++,
        numRuns: 65_536,
      });
      this.at = 0;
    }
    return this.block[this.at++] % n;
  }
  /** A log-uniform integer in `[1, max]`. */
  size(max: number): number {
    return Math.min(max, Math.max(1, Math.floor(Math.exp((this.int(1 << 20) / (1 << 20)) * Math.log(max + 1)))));
  }
}

/** Throws with the structure, step and message when `ok` is false. */
function expect(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

/** Whether to run check() after operation `i`. */
const checkAt = (i: number) => i < 2000 || i % 1000 === 0;

type Soak = (ops: number, draw: Draws, progress: (i: number) => void) => string;

/** StructPool (growable, retiring): no handle is issued twice, dead ones never come back. */
const structPool: Soak = (ops, draw, progress) => {
  const pool = new StructPool({ v: 'f64', w: ['u16', 3] }, { capacity: 16, maxCapacity: MAX_POOL_CAPACITY });
  const live: Handle[] = [];
  const values = new Map<Handle, number>();
  const issued = new Set<Handle>();
  const recentDead: Handle[] = [];
  for (let i = 0; i < ops; i++) {
    const r = draw.int(100);
    if (r < 52 || live.length === 0) {
      const h = pool.alloc();
      expect(!issued.has(h), () => `handle ${h} issued twice`);
      issued.add(h);
      const s = pool.slotOf(h);
      expect(pool.fields.v[s] === 0, () => `slot ${s} not zeroed`);
      pool.fields.v[s] = i;
      values.set(h, i);
      live.push(h);
    } else if (r < 99) {
      const k = draw.int(live.length);
      const h = live[k];
      live[k] = live[live.length - 1];
      live.pop();
      expect(pool.fields.v[pool.slotOf(h)] === values.get(h), () => `handle ${h} lost its value`);
      pool.free(h);
      values.delete(h);
      recentDead.push(h);
      if (recentDead.length > 64) recentDead.shift();
    } else {
      pool.clear();
      for (const h of live) recentDead.push(h);
      live.length = 0;
      values.clear();
      while (recentDead.length > 64) recentDead.shift();
    }
    for (let d = 0; d < 2 && recentDead.length > 0; d++) {
      const h = recentDead[draw.int(recentDead.length)];
      expect(!pool.isAlive(h), () => `freed handle ${h} is alive again`);
    }
    expect(pool.size === live.length, () => `size ${pool.size}, model ${live.length}`);
    if (checkAt(i)) pool.check();
    progress(i);
  }
  const s = pool.stats();
  return `${issued.size} handles issued, none twice; ${s.retiredSlots} slots retired, capacity ${s.capacity}`;
};

/** ObjectPool: counts honest, no item handed out twice, trims and cap changes. */
const objectPool: Soak = (ops, draw, progress) => {
  const pool = new ObjectPool({ create: () => ({ n: 0 }), reset: (o) => (o.n = 0), capacity: 5000, maxRetained: 2000 });
  const used = new Set<object>();
  for (let i = 0; i < ops; i++) {
    const r = draw.int(1000);
    if (r < 520 && used.size < 5000) {
      const item = pool.acquire();
      expect(!used.has(item), () => 'an item handed out twice');
      used.add(item);
    } else if (r < 995 && used.size > 0) {
      const item = used.values().next().value as { n: number };
      used.delete(item);
      pool.release(item);
    } else if (r < 998) {
      pool.trim(draw.int(pool.freeItems + 1));
    } else {
      pool.setMaxRetained(draw.int(5001));
    }
    expect(pool.liveItems === used.size, () => `liveItems ${pool.liveItems}, model ${used.size}`);
    if (checkAt(i)) pool.check();
    progress(i);
  }
  return `${pool.stats().createdCount} items created, ${pool.stats().droppedCount} dropped`;
};

/** An arena against the interval model: no overlap, contents kept, counters equal. */
const arena =
  (make: () => Allocator, maxBytes: number): Soak =>
  (ops, draw, progress) => {
    const a = make();
    const model = new IntervalModel();
    const live: number[] = [];
    let failed = 0;
    for (let i = 0; i < ops; i++) {
      const r = draw.int(100);
      if (r < 50 || live.length === 0) {
        const n = draw.size(maxBytes);
        const o = a.tryAlloc(n);
        if (o === -1) failed++;
        else {
          model.add({ offset: o, requestedBytes: n, grantedBytes: a.sizeOf(o), seed: i + 1 });
          model.allocCount++;
          writePattern(a.u8, o, a.sizeOf(o), i + 1);
          live.push(o);
        }
      } else if (r < 90) {
        const k = draw.int(live.length);
        const o = live[k];
        const b = model.remove(o);
        expect(findPatternMismatch(a.u8, o, b.grantedBytes, b.seed) === -1, () => `block ${o} lost its contents`);
        a.free(o);
        model.freeCount++;
        live[k] = live[live.length - 1];
        live.pop();
      } else {
        const k = draw.int(live.length);
        const o = live[k];
        const b = model.get(o) as ModelBlock;
        const n = draw.size(maxBytes);
        let moved = -1;
        try {
          moved = a.realloc(o, n);
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          failed++;
        }
        if (moved !== -1) {
          const kept = Math.min(n, b.grantedBytes);
          expect(findPatternMismatch(a.u8, moved, kept, b.seed) === -1, () => `realloc lost contents of ${o}`);
          model.remove(o); // add() below throws if the moved block overlaps a live one
          if (moved !== o) {
            model.allocCount++;
            model.freeCount++;
          }
          model.add({ offset: moved, requestedBytes: n, grantedBytes: a.sizeOf(moved), seed: i + 1 });
          writePattern(a.u8, moved, a.sizeOf(moved), i + 1);
          live[k] = moved;
        }
      }
      const s = a.stats();
      expect(
        s.liveBlocks === model.size && s.requestedBytes === model.requestedBytes && s.allocCount === model.allocCount,
        () => `stats ${JSON.stringify(s)} disagree with the model (${model.size} live)`,
      );
      if (checkAt(i)) a.check();
      progress(i);
    }
    return `${a.stats().allocCount} allocations, ${failed} refused for room`;
  };

/**
 * The bitECS bridge: entities, pool components, an entity pool, queries and clears. Bare bitECS
 * `removeEntity` only in an unversioned world: in a versioned one bitECS 0.4.0's own index fault
 * (see `entity-ids.ts`) can make it skip an entity another bare removal moved.
 */
const bridge =
  (versioned: boolean): Soak =>
  (ops, draw, progress) => {
    const world = versioned ? createWorld(createEntityIndex(withVersioning(8))) : createWorld();
    const A = definePoolComponent(world, { x: 'f32' }, { layout: 'entity', membership: 'bitecs' });
    const B = definePoolComponent(world, { y: 'f64' }, { layout: 'slot', membership: 'pool' });
    const D = definePoolComponent(world, { hp: 'f32' }, { layout: 'slot', membership: 'pool' });
    const pool = new EntityPool(world, { components: [D], capacity: 64, maxCapacity: 1 << 16 });
    const join = definePoolQuery([A, B]);
    const entities: number[] = [];
    const handles: number[] = [];
    const deadHandles: number[] = [];
    const check = () => {
      for (const c of [A, B, D]) c.check();
      pool.check();
      join.update();
      join.check();
    };
    for (let i = 0; i < ops; i++) {
      const r = draw.int(1000);
      if (r < 250) {
        entities.push(createEntity(world));
      } else if (r < 400 && entities.length > 0) {
        const k = draw.int(entities.length);
        const e = entities[k];
        entities[k] = entities[entities.length - 1];
        entities.pop();
        if (!versioned && draw.int(4) === 0) removeEntity(world, e);
        else destroyEntity(world, draw.int(2) === 0 ? e : e >>> 0);
        expect(!isEntityAlive(world, e), () => `destroyed entity ${e} still alive`);
      } else if (r < 650 && entities.length > 0) {
        const e = entities[draw.int(entities.length)];
        const C = draw.int(2) === 0 ? A : B;
        if (draw.int(2) === 0) C.add(e);
        else C.remove(e);
      } else if (r < 820) {
        const e = pool.spawn();
        handles.push(pool.handleOf(e));
      } else if (r < 990 && handles.length > 0) {
        const k = draw.int(handles.length);
        const h = handles[k];
        handles[k] = handles[handles.length - 1];
        handles.pop();
        const e = pool.entityOf(h);
        expect(e !== -1, () => `live handle ${h} lost its entity`);
        pool.despawn(e);
        deadHandles.push(h);
        if (deadHandles.length > 64) deadHandles.shift();
      } else if (r < 992) {
        clearWorld(world);
        for (const c of [A, B, D]) c.resetAfterWorldReset();
        pool.resetAfterWorldReset();
        for (const h of handles) deadHandles.push(h);
        entities.length = 0;
        handles.length = 0;
        while (deadHandles.length > 64) deadHandles.shift();
      } else if (entities.length > 0) {
        addComponent(world, entities[draw.int(entities.length)], A);
      }
      for (let d = 0; d < 2 && deadHandles.length > 0; d++) {
        const h = deadHandles[draw.int(deadHandles.length)];
        expect(pool.entityOf(h) === -1, () => `despawned handle ${h} is live again`);
      }
      if (i % 100 === 0) for (const e of entities) expect(isEntityAlive(world, e), () => `entity ${e} reads dead`);
      if (i < 2000 ? i % 10 === 0 : i % 5000 === 0) check();
      progress(i);
    }
    check();
    return `${pool.createdCount} pooled entities, ${pool.slots.stats().retiredSlots} slots retired`;
  };

/** FrameProfiler: random frames, GCs and windows; the ring stays consistent. */
const profiler: Soak = (ops, draw, progress) => {
  const prof = new FrameProfiler({ capacity: 4096 });
  for (let i = 0; i < ops; i++) {
    const r = draw.int(100);
    if (r < 90)
      prof.record(draw.int(100_000) / 1000, draw.int(2) === 0 ? Number.NaN : draw.int(20_000) / 1000, draw.int(5000));
    else if (r < 95) prof.noteGc(draw.int(3), draw.int(5000) / 1000);
    else if (r < 99) prof.windowPercentile(draw.int(101), draw.int(5000));
    else prof.histogram(1 + draw.int(100), 0, 1e-300 + draw.int(100));
    if (checkAt(i)) prof.check();
    progress(i);
  }
  return `${prof.frames} frames held, p99 ${prof.summary().p99Ms.toFixed(2)} ms`;
};

const SOAKS: Record<string, Soak> = {
  StructPool: structPool,
  ObjectPool: objectPool,
  BuddyArena: arena(() => new BuddyArena({ sizeBytes: 1 << 20, minBlockBytes: 16 }), 8192),
  'FreeListArena first': arena(() => new FreeListArena({ sizeBytes: 1 << 20, fit: 'first' }), 8192),
  'FreeListArena next': arena(() => new FreeListArena({ sizeBytes: 1 << 20, fit: 'next' }), 8192),
  'FreeListArena best': arena(() => new FreeListArena({ sizeBytes: 1 << 20, fit: 'best' }), 8192),
  TreeArena: arena(() => new TreeArena({ sizeBytes: 1 << 20 }), 8192),
  SlabArena: arena(() => new SlabArena({ sizeBytes: 1 << 20, blockBytes: 64 }), 64),
  'bitECS bridge, versioned world': bridge(true),
  'bitECS bridge, unversioned world': bridge(false),
  FrameProfiler: profiler,
};

const only = values.only?.split(',').map((s) => s.trim().toLowerCase());
const chosen = Object.entries(SOAKS).filter(([name]) => !only || only.some((o) => name.toLowerCase().includes(o)));
if (chosen.length === 0) {
  console.error(`soak: --only matched nothing; structures: ${Object.keys(SOAKS).join(', ')}`);
  process.exit(2);
}
console.log(`soak: ${chosen.length} structures x ${OPS.toLocaleString('en')} operations, seed ${SEED}`);
const started = performance.now();
let failures = 0;
for (const [index, [name, soak]] of chosen.entries()) {
  const t0 = performance.now();
  let lastPrint = t0;
  const progress = (i: number) => {
    if ((i & 1023) !== 0) return;
    const now = performance.now();
    if (now - lastPrint < 2000) return;
    lastPrint = now;
    process.stdout.write(`  ${name}: ${((100 * i) / OPS).toFixed(0)}% (${i.toLocaleString('en')} ops)\n`);
  };
  try {
    const summary = soak(OPS, new Draws(SEED + index), progress);
    console.log(
      `[${index + 1}/${chosen.length}] ${name}: ok, ${OPS.toLocaleString('en')} ops in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${summary}`,
    );
  } catch (error) {
    failures++;
    console.log(
      `[${index + 1}/${chosen.length}] ${name}: FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${(error as Error).stack}`,
    );
  }
}
console.log(
  `soak: ${failures === 0 ? 'all passed' : `${failures} failed`} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(failures === 0 ? 0 : 1);
