/**
 * Arena suite: our arenas (BuddyArena, FreeListArena first/next/best fit, TreeArena, SlabArena)
 * beside the same workloads on the peers: `@thi.ng/malloc` `MemPool`, `typedarray-pool`, and
 * `new Float32Array(n)` (the garbage-collected baseline). See `bench/README.md`, section arena.
 *
 * Workloads (traces from a seeded PRNG, generated before any timing; `bench/arena/traces.ts`):
 * - fixed-size churn: 64-byte blocks, 10k live, random free order; SlabArena against a
 *   hand-written Int32Array free-stack (the floor).
 * - variable-size churn: sizes log-uniform in 16 B .. 1 KiB, 1k / 10k / 100k live blocks,
 *   random / FIFO / LIFO free orders (`bench/arena/churn.ts`).
 * - scaling series: ns per alloc+free pair at 1k, 10k, 100k, 1M live blocks, random order, sizes
 *   log-uniform in 8 .. 256 B (smaller, so 1M live blocks fit in a few hundred MiB), beside a
 *   memory floor (a free-stack touching one word of each block: what cache misses alone cost as
 *   the live set grows). MemPool is capped at 100k (its free walks the used list and compacts the
 *   free list: 0.3-0.6 ms per op at 100k, tens of ms at 1M).
 * - memory efficiency: smallest arena (bisection on `sizeBytes`) / peak live requested bytes on a
 *   game trace (`bench/arena/memory.ts`). Not timed.
 *
 * One op = one alloc+free pair. Each case is measured by `runCases` on its own, with its batch
 * calibrated to about 2 ms per timed call (1 ms with `--quick`); ratios are then computed from
 * cases of the same run. In a full run the fixed-size cases, the random-order cases (those of
 * the speed targets) and the scaling series run {@link ROUNDS} rounds and keep each case's fastest median:
 * the bench machine is shared, and a round that overlaps another job's burst is not the code's
 * cost. `--quick` runs one round. Arenas run `check()` after timing.
 */
import { BuddyArena, FreeListArena, SlabArena, TreeArena, type Allocator, type FitPolicy } from 'steadyheap';
import { ratiosOf, type BenchRatio, type BenchSuite, type CaseResult, type SuiteResult } from '../lib/harness.ts';
import { measureChurn, type ChurnGc, type ChurnResult, type ChurnSpec, type FreeOrder } from '../arena/churn.ts';
import { smallestArena, type MemoryFigure, type ReplayTarget } from '../arena/memory.ts';
import {
  Int32FreeStack,
  MemPoolPeer,
  NewFloat32ArrayPeer,
  TouchingFreeStack,
  TypedArrayPoolPeer,
  clearTypedArrayPool,
  type ChurnTarget,
} from '../arena/peers.ts';
import { gameTrace, logUniformSizes, meanBytes, randomVictims } from '../arena/traces.ts';

const SUITE = 'arena';
/** Trace length: a power of two, longer than any calibrated batch of the slow cases. */
const TRACE_LENGTH = 1 << 17;
const SEED = 0x5eed_a7e4;
/** Bytes of every boundary-tag block's header + footer (for sizing arenas). */
const TAG_OVERHEAD_BYTES = 16;
const FIXED_BLOCK_BYTES = 64;
const FIXED_LIVE = 10_000;
const CHURN_LIVE = [1_000, 10_000, 100_000];
const SCALING_LIVE = [1_000, 10_000, 100_000, 1_000_000];
const MEMPOOL_SCALING_CAP = 100_000;
/** Rounds of the fixed-size and scaling cases in a full run (quick: 1). */
const ROUNDS = 3;
const ORDERS: FreeOrder[] = ['random', 'fifo', 'lifo'];
/** Frames of the game trace for the memory figures (30 s at 60 fps; same in quick runs). */
const GAME_FRAMES = 1800;

/** `1_000` -> `'1k'`, `1_000_000` -> `'1M'`. */
function count(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
}

function pow2Ceil(n: number): number {
  return 2 ** Math.ceil(Math.log2(n));
}

/**
 * Arena bytes for a churn case: three times the expected live bytes (tags included) plus room for
 * a LIFO batch of the largest size, rounded up to a power of two (so the buddy tree is whole).
 */
function churnArenaBytes(liveBlocks: number, sizes: Int32Array, maxBytes: number): number {
  const expected = liveBlocks * (meanBytes(sizes) + TAG_OVERHEAD_BYTES);
  return Math.min(2 ** 30, pow2Ceil(3 * expected + 1024 * (maxBytes + TAG_OVERHEAD_BYTES)));
}

/** An allocator under test: name, how to build it for `sizeBytes`, handle kind. */
interface Contender {
  name: string;
  make: (sizeBytes: number) => ChurnTarget<never>;
  handles: 'offset' | 'object';
  /** Runs the structure's own `check()` after timing. */
  after?: (target: never) => void;
}

const checkArena = (arena: never) => (arena as Allocator).check();
const freeList = (fit: FitPolicy): Contender => ({
  name: `FreeListArena ${fit} fit`,
  make: (sizeBytes) => new FreeListArena({ sizeBytes, fit }) as never,
  handles: 'offset',
  after: checkArena,
});
const BUDDY: Contender = {
  name: 'BuddyArena',
  make: (sizeBytes) => new BuddyArena({ sizeBytes }) as never,
  handles: 'offset',
  after: checkArena,
};
const TREE: Contender = {
  name: 'TreeArena',
  make: (sizeBytes) => new TreeArena({ sizeBytes }) as never,
  handles: 'offset',
  after: checkArena,
};
const MEMPOOL: Contender = {
  name: 'MemPool (@thi.ng/malloc)',
  make: (sizeBytes) => new MemPoolPeer(sizeBytes) as never,
  handles: 'offset',
};
const TA_POOL: Contender = {
  name: 'typedarray-pool',
  make: () => new TypedArrayPoolPeer() as never,
  handles: 'object',
  after: () => clearTypedArrayPool(),
};
const NEW_F32: Contender = {
  name: 'new Float32Array',
  make: () => new NewFloat32ArrayPeer() as never,
  handles: 'object',
};

const VARIABLE: Contender[] = [
  BUDDY,
  freeList('first'),
  freeList('next'),
  freeList('best'),
  TREE,
  MEMPOOL,
  TA_POOL,
  NEW_F32,
];
/** Bytes per block of the scaling series' memory floor: about the mean block there, tags included. */
const TOUCH_BLOCK_BYTES = 64;
const TOUCH_FLOOR: Contender = {
  name: 'free-stack touching its blocks (memory floor)',
  make: (sizeBytes) => new TouchingFreeStack(sizeBytes, TOUCH_BLOCK_BYTES) as never,
  handles: 'offset',
};
const SCALING: Contender[] = [TOUCH_FLOOR, BUDDY, TREE, freeList('first'), freeList('best'), MEMPOOL];

/** Case name of a variable-size churn case. */
const churnName = (live: number, order: FreeOrder, who: string) =>
  `variable churn, ${count(live)} live, ${order}: ${who}`;
const scalingName = (live: number, who: string) => `scaling, ${count(live)} live, random: ${who}`;
const fixedName = (who: string) => `fixed 64 B churn, ${count(FIXED_LIVE)} live, random: ${who}`;
const FLOOR = 'Int32Array free-stack (floor)';

/** The game trace's memory figure for every variable-size arena and MemPool. */
function memoryFigures(): Record<string, unknown> {
  const trace = gameTrace(GAME_FRAMES, SEED);
  const maxBytes = pow2Ceil(4 * trace.peakLiveBytes);
  const arenas: [string, (sizeBytes: number) => ReplayTarget][] = [
    ['BuddyArena', (sizeBytes) => new BuddyArena({ sizeBytes })],
    ['FreeListArena first fit', (sizeBytes) => new FreeListArena({ sizeBytes, fit: 'first' })],
    ['FreeListArena next fit', (sizeBytes) => new FreeListArena({ sizeBytes, fit: 'next' })],
    ['FreeListArena best fit', (sizeBytes) => new FreeListArena({ sizeBytes, fit: 'best' })],
    ['TreeArena', (sizeBytes) => new TreeArena({ sizeBytes })],
    ['MemPool (@thi.ng/malloc)', (sizeBytes) => new MemPoolPeer(sizeBytes)],
  ];
  const figures: Record<string, MemoryFigure> = {};
  for (const [name, make] of arenas) figures[name] = smallestArena(trace, make, maxBytes);
  return {
    trace: `game trace, ${trace.frames} frames: ${trace.sizes.length} blocks, peak ${trace.peakLiveBlocks} live, peak ${trace.peakLiveBytes} live requested bytes`,
    peakLiveBytes: trace.peakLiveBytes,
    smallestArenaBytes: Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, f.sizeBytes])),
    arenaBytesPerLiveByte: Object.fromEntries(
      Object.entries(figures).map(([k, f]) => [k, +f.bytesPerLiveByte.toFixed(3)]),
    ),
  };
}

export default {
  name: SUITE,
  async run(options) {
    const started = performance.now();
    const sectionSeconds: Record<string, number> = {};
    let sectionStart = started;
    const endSection = (name: string) => {
      const now = performance.now();
      sectionSeconds[name] = +((now - sectionStart) / 1000).toFixed(1);
      sectionStart = now;
    };
    // Results by case name. A case measured in several rounds keeps its fastest median.
    const results = new Map<string, ChurnResult>();
    const gcCounts = new Map<string, ChurnGc>();
    const measure = async (spec: ChurnSpec) => {
      const r = await measureChurn(SUITE, spec, options);
      if (r.gc) gcCounts.set(spec.name, r.gc);
      const previous = results.get(spec.name);
      if (!previous || r.nsPerOp < previous.nsPerOp) results.set(spec.name, r);
      globalThis.gc?.();
    };
    const rounds = options.quick ? 1 : ROUNDS;

    // Fixed-size churn: the floor and the slab first, while their call sites are fresh.
    const fixedSizes = new Int32Array(TRACE_LENGTH).fill(FIXED_BLOCK_BYTES);
    const fixedVictims = randomVictims(TRACE_LENGTH, FIXED_LIVE, SEED + 1);
    const fixedBlocks = FIXED_LIVE * 2;
    const fixedArenaBytes = pow2Ceil(fixedBlocks * (FIXED_BLOCK_BYTES + TAG_OVERHEAD_BYTES));
    const fixed: Contender[] = [
      { name: FLOOR, make: () => new Int32FreeStack(fixedBlocks, FIXED_BLOCK_BYTES) as never, handles: 'offset' },
      {
        name: 'SlabArena',
        make: () =>
          new SlabArena({ sizeBytes: fixedBlocks * FIXED_BLOCK_BYTES, blockBytes: FIXED_BLOCK_BYTES }) as never,
        handles: 'offset',
        after: checkArena,
      },
      BUDDY,
      freeList('first'),
      TREE,
      MEMPOOL,
      TA_POOL,
      NEW_F32,
    ];
    for (let round = 0; round < rounds; round++) {
      for (const c of fixed) {
        await measure({
          name: fixedName(c.name),
          make: () => c.make(fixedArenaBytes),
          handles: c.handles,
          order: 'random',
          liveBlocks: FIXED_LIVE,
          sizes: fixedSizes,
          victims: fixedVictims,
          after: c.after,
          countGc: round === 0,
        });
      }
    }
    endSection('fixed churn');

    // Variable-size churn.
    const churnSizes = logUniformSizes(TRACE_LENGTH, 16, 1024, SEED + 2);
    for (const live of CHURN_LIVE) {
      const victims = randomVictims(TRACE_LENGTH, live, SEED + 3 + live);
      const sizeBytes = churnArenaBytes(live, churnSizes, 1024);
      for (const order of ORDERS) {
        // The random-order cases (those of the speed targets) get the extra rounds too.
        const orderRounds = order === 'random' ? rounds : 1;
        for (let round = 0; round < orderRounds; round++) {
          for (const c of VARIABLE) {
            await measure({
              name: churnName(live, order, c.name),
              make: () => c.make(sizeBytes),
              handles: c.handles,
              order,
              liveBlocks: live,
              sizes: churnSizes,
              victims,
              after: c.after,
              countGc: round === 0 && live === 10_000 && order === 'random',
            });
          }
        }
      }
    }
    endSection('variable churn');

    // Scaling series.
    const scalingSizes = logUniformSizes(TRACE_LENGTH, 8, 256, SEED + 4);
    for (let round = 0; round < rounds; round++) {
      for (const live of SCALING_LIVE) {
        const victims = randomVictims(TRACE_LENGTH, live, SEED + 5 + live);
        const sizeBytes = churnArenaBytes(live, scalingSizes, 256);
        for (const c of SCALING) {
          if (c === MEMPOOL && live > MEMPOOL_SCALING_CAP) continue;
          await measure({
            name: scalingName(live, c.name),
            make: () => c.make(sizeBytes),
            handles: c.handles,
            order: 'random',
            liveBlocks: live,
            sizes: scalingSizes,
            victims,
            after: c.after,
          });
        }
      }
    }
    endSection('scaling');
    const memory = memoryFigures();
    endSection('memory');

    const mp = MEMPOOL.name;
    const ratios: BenchRatio[] = [
      // Targets: what the arenas are held to. 300x MemPool: an O(log n) free against an O(n) one
      // must show as orders of magnitude at 10k live blocks, not as a constant factor.
      {
        name: 'BuddyArena vs MemPool speed, 10k live, random',
        numerator: churnName(10_000, 'random', 'BuddyArena'),
        denominator: churnName(10_000, 'random', mp),
        targetMax: 1 / 300,
        shownAs: 'speed',
      },
      {
        name: 'TreeArena vs MemPool speed, 10k live, random',
        numerator: churnName(10_000, 'random', 'TreeArena'),
        denominator: churnName(10_000, 'random', mp),
        targetMax: 1 / 300,
        shownAs: 'speed',
      },
      ...CHURN_LIVE.map((live) => ({
        name: `TreeArena (best fit) / FreeListArena first fit, ${count(live)} live, random`,
        numerator: churnName(live, 'random', 'TreeArena'),
        denominator: churnName(live, 'random', 'FreeListArena first fit'),
        targetMax: 3,
      })),
      {
        name: 'SlabArena / Int32Array free-stack floor (fixed 64 B)',
        numerator: fixedName('SlabArena'),
        denominator: fixedName(FLOOR),
        targetMax: 2,
      },
      ...['BuddyArena', 'TreeArena', 'FreeListArena first fit', 'FreeListArena best fit'].map((who) => ({
        name: `scaling ${who}: 1M / 1k live`,
        numerator: scalingName(1_000_000, who),
        denominator: scalingName(1_000, who),
        targetMax: who.startsWith('FreeListArena') ? undefined : 2,
      })),
      {
        name: `scaling ${TOUCH_FLOOR.name}: 1M / 1k live`,
        numerator: scalingName(1_000_000, TOUCH_FLOOR.name),
        denominator: scalingName(1_000, TOUCH_FLOOR.name),
      },
      {
        name: 'scaling MemPool: 100k / 1k live',
        numerator: scalingName(100_000, mp),
        denominator: scalingName(1_000, mp),
      },
      ...['BuddyArena', 'TreeArena', 'typedarray-pool'].map((who) => ({
        name: `${who} / new Float32Array, 10k live, random`,
        numerator: churnName(10_000, 'random', who),
        denominator: churnName(10_000, 'random', 'new Float32Array'),
      })),
    ];
    const cases: CaseResult[] = [...results.values()].map(({ batch: _batch, gc: _gc, ...c }) => c);
    const suite: SuiteResult = {
      suite: SUITE,
      cases,
      ratios: ratiosOf(cases, ratios),
      notes: {
        pattern:
          'live blocks held constant; random/FIFO: each op frees one live block and allocates the next trace size into its slot; LIFO: each call allocates a batch above the residents and frees it newest-first; 1 op = 1 alloc+free pair',
        sizes: 'variable churn: log-uniform 16..1024 B; scaling: log-uniform 8..256 B; fixed: 64 B',
        mempoolScalingCap: `MemPool measured up to ${count(MEMPOOL_SCALING_CAP)} live blocks only (O(n) free)`,
        rounds: `fixed-size churn, variable churn in random order, and the scaling series: ${rounds} round(s), each case keeping its fastest median (this machine is shared); FIFO and LIFO cases: 1 round`,
        gc: Object.fromEntries(
          [...gcCounts].map(([name, g]) => [
            name,
            `${g.collections} collections (${g.gcMs.toFixed(1)} ms) in ${g.pairs} pairs`,
          ]),
        ),
        batches: Object.fromEntries([...results.values()].map((r) => [r.name, r.batch])),
        memory,
        seconds: +((performance.now() - started) / 1000).toFixed(1),
        sectionSeconds,
      },
    };
    return suite;
  },
} satisfies BenchSuite;
