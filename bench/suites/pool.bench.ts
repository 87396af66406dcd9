/**
 * Pool suite: StructPool alloc+free against a hand-written Int32Array free-stack (the floor);
 * ObjectPool acquire+release against PixiJS's `Pool` and plain `new` objects; and the cost of
 * length-tracking views (resizable ArrayBuffer) against fixed views, which decides how growable
 * pools keep their column views valid.
 *
 * Every alloc/free case runs the same pattern: 1024 records stay live, and each timed call
 * allocates a batch of 256 and then frees those 256 oldest-first. One op = one alloc+free pair.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ObjectPool, StructPool } from 'steadyheap';
import { runCases, type BenchCase, type BenchRatio, type BenchSuite } from '../lib/harness.ts';

const BATCH = 256;
const RESIDENT = 1024;
const CAPACITY = 4096;
const SWEEP = 16_384;

/** PixiJS v8's `Pool`, loaded from pixi.js's own module file (see `loadPixiPool`). */
type PixiPool<T> = { get(): T; return(item: T): void; readonly totalSize: number };
type PixiPoolClass = new <T>(ctor: new () => T, initialSize?: number) => PixiPool<T>;

/**
 * `import { Pool } from 'pixi.js'` fails in Node 20: pixi's entry module runs browser detection
 * at load time (`navigator is not defined`, from `isSafari()` in `glUploadVideoResource`). The
 * closest option, copying nothing: import pixi's own `lib/utils/pool/Pool.mjs` (a module with
 * no imports) by file URL, found from where `pixi.js` resolves. Same code the browser runs.
 *
 * The entry import is tried in a child process: a failed import in this process leaves pixi's
 * half-run modules behind and measurably slows every later case (StructPool alloc+free by about
 * 25% on the bench machine; V8 protectors invalidated by the partial load, we think).
 */
async function loadPixiPool(): Promise<{ Pool: PixiPoolClass; how: string }> {
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('pixi.js')"], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
  });
  if (probe.status === 0) {
    const mod = (await import('pixi.js')) as unknown as { Pool: PixiPoolClass };
    return { Pool: mod.Pool, how: "import { Pool } from 'pixi.js'" };
  }
  const reason = /(\w*Error: [^\n]*)/.exec(probe.stderr)?.[1] ?? `exit ${probe.status}`;
  const url = new URL('./utils/pool/Pool.mjs', import.meta.resolve('pixi.js')).href;
  const mod = (await import(url)) as { Pool: PixiPoolClass };
  return {
    Pool: mod.Pool,
    how: `pixi.js/lib/utils/pool/Pool.mjs by file URL ('pixi.js' entry fails in Node: ${reason})`,
  };
}

/** A Pixi-style poolable particle (Pixi calls `reset()` on return). */
class Particle {
  x = 0;
  y = 0;
  vx = 0;
  vy = 0;
  life = 0;
  reset(): void {
    this.life = 0;
  }
}

const PARTICLE_SCHEMA = {
  x: 'f32',
  y: 'f32',
  vx: 'f32',
  vy: 'f32',
  life: 'f32',
  scale: 'f32',
  color: 'u32',
} as const;

/**
 * The floor: a hand-written free-stack of slot indices in an Int32Array, no handles, no
 * generations, no checks beyond "empty". Reached through a holder object's field, with its
 * scratch array of handles, exactly as the pools are (see `structCase`), so neither side
 * benefits from TurboFan folding a constant (that is the "module constant" pair of cases).
 */
class Int32FreeStack {
  readonly stack: Int32Array;
  top: number;
  constructor(capacity: number, resident: number) {
    this.stack = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.stack[i] = capacity - 1 - i;
    this.top = capacity - resident;
  }
  alloc(): number {
    if (this.top === 0) throw new Error('empty');
    return this.stack[--this.top];
  }
  free(slot: number): void {
    this.stack[this.top++] = slot;
  }
}

/** Fills a pool with its resident records. */
function populate(pool: { alloc(): number }): void {
  for (let i = 0; i < RESIDENT; i++) pool.alloc();
}

/** A pool held in a module constant, like the floor's module-constant variant (TurboFan folds both). */
const CONSTANT_POOL = new StructPool({ x: 'f32' }, { capacity: CAPACITY, zeroOnAlloc: false });
populate(CONSTANT_POOL);

export default {
  name: 'pool',
  async run(options) {
    const { Pool, how } = await loadPixiPool();
    const handles = new Int32Array(BATCH);

    // Floor, and its module-constant variant (a closure constant TurboFan can fold).
    const floors = { stack: null as unknown as Int32FreeStack, handles: new Int32Array(0) };
    const stack = new Int32Array(CAPACITY);
    let top = 0;
    const constantSetup = () => {
      for (let i = 0; i < CAPACITY; i++) stack[i] = CAPACITY - 1 - i;
      top = CAPACITY - RESIDENT;
    };

    // Every alloc/free case reaches its structure and its scratch array of handles the same
    // way: through fields of a holder object, assigned in the case's setup, read once per call.
    // Assigned fields are never folded in as constants by TurboFan, so the scaffolding costs the
    // same in every case. (With the scratch array in a closure constant, the floor's single
    // closure let TurboFan fold the array, while the pool cases, several closures of one
    // literal, could not: the same StructPool code read 3.5x the floor that way and 2.4x in this
    // symmetric setup; see bench/README.md, pool.) Pools are built in each case's setup, in case order: the fixed-capacity cases
    // run before any growable pool exists, so their call sites are not yet polymorphic (plain
    // and length-tracking typed arrays have different maps in V8).
    type AnyPool = StructPool<{ x: 'f32' }> | StructPool<typeof PARTICLE_SCHEMA>;
    const structCase = (name: string, make: () => AnyPool): BenchCase => {
      const holder = { pool: null as unknown as AnyPool, handles: new Int32Array(0) };
      return {
        name,
        opsPerCall: BATCH,
        setup: () => {
          holder.pool = make();
          holder.handles = new Int32Array(BATCH);
          populate(holder.pool);
        },
        teardown: () => holder.pool.check(),
        fn: () => {
          const pool = holder.pool;
          const hs = holder.handles;
          for (let i = 0; i < BATCH; i++) hs[i] = pool.alloc();
          for (let i = 0; i < BATCH; i++) pool.free(hs[i]);
        },
      };
    };

    const objects = new ObjectPool({ create: () => new Particle(), reset: (p) => p.reset() });
    objects.prefill(RESIDENT + BATCH);
    const heldObjects: Particle[] = [];
    for (let i = 0; i < RESIDENT; i++) heldObjects.push(objects.acquire());
    const batchObjects: Particle[] = new Array(BATCH).fill(null);

    const pixi = new Pool(Particle, RESIDENT + BATCH);
    for (let i = 0; i < RESIDENT; i++) heldObjects.push(pixi.get());
    const ring: Particle[] = [];
    for (let i = 0; i < RESIDENT; i++) ring.push(new Particle());
    let ringHead = 0;

    // View speed: the same sweep over fixed views and over length-tracking views.
    const fixed = { x: new Float32Array(SWEEP), vx: new Float32Array(SWEEP) };
    const rab = () => new Float32Array(new ArrayBuffer(SWEEP * 4, { maxByteLength: SWEEP * 16 }));
    const tracking = { x: rab(), vx: rab() };
    fixed.vx.fill(1);
    tracking.vx.fill(1);

    // Iteration over a whole pool through dense: fixed pool vs growable (length-tracking) pool.
    let iterF = null as unknown as StructPool<typeof PARTICLE_SCHEMA>;
    let iterG = null as unknown as StructPool<typeof PARTICLE_SCHEMA>;

    const cases: BenchCase[] = [
      {
        name: 'Int32Array free-stack alloc+free (floor)',
        opsPerCall: BATCH,
        setup: () => {
          floors.stack = new Int32FreeStack(CAPACITY, RESIDENT);
          floors.handles = new Int32Array(BATCH);
        },
        fn: () => {
          const fs = floors.stack;
          const hs = floors.handles;
          for (let i = 0; i < BATCH; i++) hs[i] = fs.alloc();
          for (let i = 0; i < BATCH; i++) fs.free(hs[i]);
        },
      },
      {
        name: 'Int32Array free-stack alloc+free, module constant',
        opsPerCall: BATCH,
        setup: constantSetup,
        fn: () => {
          for (let i = 0; i < BATCH; i++) {
            if (top === 0) throw new Error('empty');
            handles[i] = stack[--top];
          }
          for (let i = 0; i < BATCH; i++) stack[top++] = handles[i];
        },
      },
      {
        name: 'StructPool alloc+free, 1 field, zeroOnAlloc false, module constant',
        opsPerCall: BATCH,
        fn: () => {
          for (let i = 0; i < BATCH; i++) handles[i] = CONSTANT_POOL.alloc();
          for (let i = 0; i < BATCH; i++) CONSTANT_POOL.free(handles[i]);
        },
      },
      // zeroOnAlloc false first: once alloc() has seen both settings its code keeps the zeroing
      // path, and every later case pays for it (see the "after mixed use" case at the end).
      structCase(
        'StructPool alloc+free, 1 field, zeroOnAlloc false',
        () => new StructPool({ x: 'f32' }, { capacity: CAPACITY, zeroOnAlloc: false }),
      ),
      structCase(
        'StructPool alloc+free, 7 fields, zeroOnAlloc false',
        () => new StructPool(PARTICLE_SCHEMA, { capacity: CAPACITY, zeroOnAlloc: false }),
      ),
      structCase('StructPool alloc+free, 1 field', () => new StructPool({ x: 'f32' }, { capacity: CAPACITY })),
      structCase('StructPool alloc+free, 7 fields', () => new StructPool(PARTICLE_SCHEMA, { capacity: CAPACITY })),
      {
        name: 'ObjectPool acquire+release',
        opsPerCall: BATCH,
        fn: () => {
          for (let i = 0; i < BATCH; i++) batchObjects[i] = objects.acquire();
          for (let i = 0; i < BATCH; i++) objects.release(batchObjects[i]);
        },
      },
      {
        name: 'PixiJS Pool get+return',
        opsPerCall: BATCH,
        fn: () => {
          for (let i = 0; i < BATCH; i++) batchObjects[i] = pixi.get();
          for (let i = 0; i < BATCH; i++) pixi.return(batchObjects[i]);
        },
      },
      {
        name: 'plain new objects',
        opsPerCall: BATCH,
        fn: () => {
          // Each new object replaces the oldest of RESIDENT held ones, so it really escapes.
          for (let i = 0; i < BATCH; i++) {
            ring[ringHead] = new Particle();
            ringHead = ringHead + 1 === RESIDENT ? 0 : ringHead + 1;
          }
        },
      },
      {
        name: 'column sweep, fixed views',
        opsPerCall: SWEEP,
        fn: () => {
          const x = fixed.x;
          const vx = fixed.vx;
          for (let i = 0; i < SWEEP; i++) x[i] += vx[i] * 0.016;
        },
      },
      {
        name: 'column sweep, length-tracking views',
        opsPerCall: SWEEP,
        fn: () => {
          const x = tracking.x;
          const vx = tracking.vx;
          for (let i = 0; i < SWEEP; i++) x[i] += vx[i] * 0.016;
        },
      },
      {
        name: 'StructPool dense iteration, fixed',
        opsPerCall: SWEEP,
        setup: () => {
          iterF = new StructPool(PARTICLE_SCHEMA, { capacity: SWEEP });
          for (let i = 0; i < SWEEP; i++) iterF.alloc();
        },
        fn: () => {
          const { x, y, vx, vy } = iterF.fields;
          const dense = iterF.dense;
          for (let i = iterF.size - 1; i >= 0; i--) {
            const s = dense[i];
            x[s] += vx[s] * 0.016;
            y[s] += vy[s] * 0.016;
          }
        },
      },
      structCase(
        'StructPool alloc+free, 7 fields, growable',
        () => new StructPool(PARTICLE_SCHEMA, { capacity: 64, maxCapacity: CAPACITY }),
      ),
      {
        name: 'StructPool dense iteration, growable',
        opsPerCall: SWEEP,
        setup: () => {
          iterG = new StructPool(PARTICLE_SCHEMA, { capacity: 64, maxCapacity: SWEEP });
          for (let i = 0; i < SWEEP; i++) iterG.alloc();
        },
        fn: () => {
          const { x, y, vx, vy } = iterG.fields;
          const dense = iterG.dense;
          for (let i = iterG.size - 1; i >= 0; i--) {
            const s = dense[i];
            x[s] += vx[s] * 0.016;
            y[s] += vy[s] * 0.016;
          }
        },
      },
      structCase(
        'StructPool alloc+free, 1 field, zeroOnAlloc false, after mixed use',
        () => new StructPool({ x: 'f32' }, { capacity: CAPACITY, zeroOnAlloc: false }),
      ),
    ];

    const floor = 'Int32Array free-stack alloc+free (floor)';
    // Target: StructPool within 2x of the bare free-stack. Handles, generations, validation and
    // packed dense slots may cost something, but not more than the allocation itself.
    const ratios: BenchRatio[] = [
      {
        name: 'floor / floor as module constant',
        numerator: floor,
        denominator: 'Int32Array free-stack alloc+free, module constant',
      },
      {
        name: 'StructPool (1 field, zeroOnAlloc false) / floor, both module constants',
        numerator: 'StructPool alloc+free, 1 field, zeroOnAlloc false, module constant',
        denominator: 'Int32Array free-stack alloc+free, module constant',
        targetMax: 2,
      },
      {
        name: 'StructPool (1 field) / floor',
        numerator: 'StructPool alloc+free, 1 field',
        denominator: floor,
        targetMax: 2,
      },
      {
        name: 'StructPool (1 field, zeroOnAlloc false) / floor',
        numerator: 'StructPool alloc+free, 1 field, zeroOnAlloc false',
        denominator: floor,
        targetMax: 2,
      },
      {
        name: 'StructPool (7 fields, zeroed) / floor',
        numerator: 'StructPool alloc+free, 7 fields',
        denominator: floor,
      },
      {
        name: 'StructPool (7 fields, zeroOnAlloc false) / floor',
        numerator: 'StructPool alloc+free, 7 fields, zeroOnAlloc false',
        denominator: floor,
        targetMax: 2,
      },
      {
        name: 'StructPool (1 field, zeroOnAlloc false) after mixed use / floor',
        numerator: 'StructPool alloc+free, 1 field, zeroOnAlloc false, after mixed use',
        denominator: floor,
      },
      {
        name: 'StructPool growable / fixed (7 fields)',
        numerator: 'StructPool alloc+free, 7 fields, growable',
        denominator: 'StructPool alloc+free, 7 fields',
      },
      {
        name: 'ObjectPool / PixiJS Pool',
        numerator: 'ObjectPool acquire+release',
        denominator: 'PixiJS Pool get+return',
      },
      { name: 'ObjectPool / plain new', numerator: 'ObjectPool acquire+release', denominator: 'plain new objects' },
      { name: 'PixiJS Pool / plain new', numerator: 'PixiJS Pool get+return', denominator: 'plain new objects' },
      {
        name: 'length-tracking / fixed views (sweep)',
        numerator: 'column sweep, length-tracking views',
        denominator: 'column sweep, fixed views',
      },
      {
        name: 'growable / fixed pool (dense iteration)',
        numerator: 'StructPool dense iteration, growable',
        denominator: 'StructPool dense iteration, fixed',
      },
    ];

    const result = await runCases('pool', cases, ratios, options, {
      pixiPool: how,
      pattern: `${RESIDENT} resident records; per call alloc ${BATCH} then free them oldest-first; 1 op = 1 alloc+free pair`,
      sweepElements: SWEEP,
    });
    objects.check();
    CONSTANT_POOL.check();
    iterF.check();
    iterG.check();
    if (pixi.totalSize !== RESIDENT + BATCH) throw new Error(`PixiJS Pool grew to ${pixi.totalSize}`);
    return result;
  },
} satisfies BenchSuite;
