/**
 * Workers: what sharing a pool with worker threads costs and buys.
 *
 * 1. **Remote free.** A free queued by a view and applied by the owner's drain, against a local
 *    free, on one shared `StructPool` of 4096 live records: batched (256 frees per atomic
 *    publish, the default), unbatched (one atomic publish per free) and from another thread
 *    (a worker frees, the owner drains; the wake-up is in the time). Only the free phase is
 *    timed (see `remoteFreeCases`).
 * 2. **Particle update scaling.** 1M particles (five f32 columns) stepped by the owner alone and by
 *    `ParallelFor` teams of 1, 2 (and more: `--workers=1,2,4,8`) workers, each frame draining the
 *    remote frees and respawning (about 1% of the particles die per step), in both chunk orders
 *    (`dense` positions, `slots` in memory order). Rounds interleave the configurations so that
 *    machine drift hits them alike; a frame's time is a round's time over its frames; reported as
 *    the median over rounds with the min-max. GC counts for the owner and for every worker over
 *    the measured rounds.
 *
 * Options of its own: `--workers=1,2` (team sizes), `--particles=N`, `--rounds=N`,
 * `--frames=N` (per round), `--warmup=N` (frames per configuration before measuring),
 * `--order=dense|slots|both`. Method and results: `bench/README.md`,
 * section Workers.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { ParallelFor, StructPool } from 'steadyheap';
import { formatNumber, formatTable } from '../lib/format.ts';
import { countGc, type GcCount } from '../lib/gc.ts';
import { ratiosOf, type BenchSuite, type CaseResult, type SuiteResult } from '../lib/harness.ts';
import {
  ORDER_DENSE,
  ORDER_SLOTS,
  PARAM_ORDER,
  PARAM_STEP_MS,
  PARTICLE_SCHEMA,
  spawnUntilFull,
  stepChunk,
} from '../workers/particles.ts';

const BOOTSTRAP = new URL('../../scripts/ts-worker.mjs', import.meta.url);
const PARTICLE_WORKER = new URL('../workers/particle-worker.ts', import.meta.url);
const FREER_WORKER = new URL('../workers/freer-worker.ts', import.meta.url);
const STEP_MS = 1000 / 60;

/** `--name=value` from the command line, or `fallback`. */
function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const arg = process.argv.find((a) => a.startsWith(prefix));
  return arg === undefined ? fallback : arg.slice(prefix.length);
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`workers: --${name} must be a positive integer, got ${text}`);
  return n;
}

function startWorker(module: URL, data: Record<string, unknown>): Worker {
  return new Worker(BOOTSTRAP, { workerData: { ...data, entry: module.href } });
}

function message<T>(worker: Worker, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== type) return;
      worker.off('message', onMessage);
      resolve(m as T);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

/** A free variant of part 1: frees every handle of the list, by its own path, and drains. */
interface FreeVariant {
  name: string;
  /** Frees `handles[0..N)` (and drains, for the remote ones). */
  free: () => void;
}

/**
 * Part 1: remote frees against local ones. Each round frees the same 4096 records by every
 * variant in turn (interleaved, so drift hits them alike) and times only that phase, two
 * `performance.now()` calls around it; the records are allocated again between phases, untimed.
 * Per variant: the median and the quartiles over rounds of the phase time per free.
 */
async function remoteFreeCases(quick: boolean): Promise<{ cases: CaseResult[]; freeNs: Record<string, number> }> {
  const N = 4096;
  const pool = new StructPool({ x: 'f32' }, { capacity: 2 * N, shared: true });
  const handles = new Int32Array(new SharedArrayBuffer(4 * N));
  const allocAll = () => {
    for (let i = 0; i < N; i++) handles[i] = pool.alloc();
  };
  allocAll();
  const batched = StructPool.attach(pool.share({ batchSize: 256, queueCapacity: 2 * N }));
  const unbatched = StructPool.attach(pool.share({ batchSize: 1, queueCapacity: 2 * N }));
  const team = new ParallelFor({ workers: 1 });
  const freer = startWorker(FREER_WORKER, { team: team.share(), pool: pool.share({ queueCapacity: 2 * N }), handles });
  await message(freer, 'attached');

  const variants: FreeVariant[] = [
    {
      name: 'local free',
      free: () => {
        for (let i = 0; i < N; i++) pool.free(handles[i]);
      },
    },
    {
      name: 'remote free, 256 per publish, + drain',
      free: () => {
        for (let i = 0; i < N; i++) batched.free(handles[i]);
        batched.flush();
        pool.drainRemoteFrees();
      },
    },
    {
      name: 'remote free, 1 per publish, + drain',
      free: () => {
        for (let i = 0; i < N; i++) unbatched.free(handles[i]);
        pool.drainRemoteFrees();
      },
    },
    {
      name: 'remote free from a worker, 256 per publish, + wake + drain',
      free: () => {
        team.run(N);
        pool.drainRemoteFrees();
      },
    },
  ];
  const rounds = quick ? 300 : 3000;
  const samples = variants.map(() => new Float64Array(rounds));
  for (let r = -Math.floor(rounds / 5); r < rounds; r++) {
    for (let v = 0; v < variants.length; v++) {
      const t0 = performance.now();
      variants[v].free();
      const t1 = performance.now();
      if (pool.size !== 0) throw new Error(`workers bench: ${variants[v].name} left ${pool.size} records live`);
      allocAll();
      if (r >= 0) samples[v][r] = ((t1 - t0) * 1e6) / N;
    }
  }
  team.close();
  await message(freer, 'closed');
  await freer.terminate();
  pool.check();

  const freeNs: Record<string, number> = {};
  const cases = variants.map((v, i) => {
    const sorted = [...samples[i]].sort((a, b) => a - b);
    const q = (f: number) => sorted[Math.floor(f * (sorted.length - 1))];
    const median = q(0.5);
    freeNs[v.name] = median;
    return {
      name: v.name,
      nsPerOp: median,
      opsPerSec: 1e9 / median,
      // Half the interquartile range, percent of the median (the harness's ±% column).
      rmePct: (100 * (q(0.75) - q(0.25))) / 2 / median,
      samples: rounds,
    };
  });
  return { cases, freeNs };
}

interface Config {
  /** 0: the owner alone. */
  workers: number;
  order: number;
  label: string;
}

interface ScalingRow {
  config: string;
  workers: number;
  order: string;
  /** Median over rounds of a round's time over its frames, ms. */
  frameMs: number;
  minMs: number;
  maxMs: number;
  /** The one-thread median of the same order over this one's. */
  speedup: number;
}

interface ScalingGc {
  measuredFrames: number;
  /** Collections that started on the owner during the measured rounds. */
  owner: number;
  /** The same for each worker. */
  workers: Record<string, number>;
  loadDuringRounds: { min: number; max: number };
  particles: number;
}

interface Team {
  pf: ParallelFor;
  threads: Worker[];
}

/** Part 2: the particle update, one thread against teams. */
async function scaling(
  quick: boolean,
  say: (line: string) => void,
): Promise<{ rows: ScalingRow[]; table: string; gc: ScalingGc }> {
  const teamSizes = option('workers', '1,2')
    .split(',')
    .map((t) => positiveInteger('workers', t));
  const particles = positiveInteger('particles', option('particles', quick ? '200000' : '1000000'));
  const rounds = positiveInteger('rounds', option('rounds', quick ? '2' : '7'));
  const frames = positiveInteger('frames', option('frames', quick ? '10' : '30'));
  // Until V8 has optimized a worker's chunk loop (about 100 frames here), it boxes doubles and
  // collects: the warm-up runs every configuration this many frames first.
  const warmupFrames = positiveInteger('warmup', option('warmup', '150'));
  const orderOption = option('order', 'both');
  const orders =
    orderOption === 'both' ? [ORDER_DENSE, ORDER_SLOTS] : orderOption === 'slots' ? [ORDER_SLOTS] : [ORDER_DENSE];
  const orderName = (o: number) => (o === ORDER_DENSE ? 'dense' : 'slots');

  const pool = new StructPool(PARTICLE_SCHEMA, { capacity: particles, shared: true, zeroOnAlloc: false });
  const seed = new Uint32Array([12345]);
  spawnUntilFull(pool, seed);
  // Spread lives so deaths are steady from the first frame.
  for (let s = 0; s < particles; s++) pool.fields.lifeMs[s] = 1 + (s % 3000);

  const teams = new Map<number, Team>();
  for (const n of teamSizes) {
    const pf = new ParallelFor({ workers: n, paramCount: 4 });
    const threads = Array.from({ length: n }, () =>
      startWorker(PARTICLE_WORKER, { team: pf.share(), pool: pool.share() }),
    );
    await Promise.all(threads.map((t) => message(t, 'attached')));
    teams.set(n, { pf, threads });
  }
  const configs: Config[] = [];
  for (const order of orders) {
    configs.push({ workers: 0, order, label: `1 thread, ${orderName(order)}` });
    for (const n of teamSizes)
      configs.push({ workers: n, order, label: `${n} worker${n > 1 ? 's' : ''}, ${orderName(order)}` });
  }

  // One frame of a configuration: the owner's sync point (drain, respawn), then the update.
  const frame = (c: Config) => {
    pool.drainRemoteFrees();
    spawnUntilFull(pool, seed);
    if (c.workers === 0) {
      const end = c.order === ORDER_DENSE ? pool.size : pool.capacity;
      stepChunk(pool.fields, pool.dense, c.order, 0, end, STEP_MS, pool);
      return;
    }
    const pf = (teams.get(c.workers) as Team).pf;
    pf.params[PARAM_STEP_MS] = STEP_MS;
    pf.params[PARAM_ORDER] = c.order;
    pf.run(c.order === ORDER_DENSE ? pool.size : pool.capacity);
  };
  const roundMs = (c: Config): number => {
    const t0 = performance.now();
    for (let f = 0; f < frames; f++) frame(c);
    return (performance.now() - t0) / frames;
  };

  say(
    `  particle update: ${particles.toLocaleString('en-US')} particles, teams ${teamSizes.join(', ')}, ${rounds} rounds of ${frames} frames`,
  );
  for (const c of configs) for (let w = 0; w < warmupFrames; w++) frame(c);
  const times = new Map<string, number[]>(configs.map((c) => [c.label, []]));
  const load: number[] = [];
  let from = 0;
  let to = 0;
  const ownerGc: GcCount = await countGc(() => {
    from = performance.timeOrigin + performance.now();
    for (let r = 0; r < rounds; r++) {
      for (const c of configs) times.get(c.label)?.push(roundMs(c));
      load.push(loadavg()[0]);
      say(`  round ${r + 1}/${rounds}, load ${loadavg()[0].toFixed(2)}`);
    }
    to = performance.timeOrigin + performance.now();
  });
  const measuredFrames = rounds * frames * configs.length;

  const workerGc: Record<string, number> = {};
  for (const [n, team] of teams) {
    team.pf.close();
    const closed = await Promise.all(team.threads.map((t) => message<{ gcStarts: number[] }>(t, 'closed')));
    closed.forEach((c, i) => {
      workerGc[`team ${n}, worker ${i}`] = c.gcStarts.filter((t) => t >= from && t <= to).length;
    });
    await Promise.all(team.threads.map((t) => t.terminate()));
  }
  pool.check();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = configs.map((c) => {
    const xs = times.get(c.label) as number[];
    const base = median(times.get(`1 thread, ${orderName(c.order)}`) as number[]);
    return {
      config: c.label,
      workers: c.workers,
      order: orderName(c.order),
      frameMs: median(xs),
      minMs: Math.min(...xs),
      maxMs: Math.max(...xs),
      speedup: base / median(xs),
    };
  });
  const table = formatTable(
    ['configuration', 'frame ms (median)', 'min-max', 'speed-up vs 1 thread'],
    rows.map((r) => [
      r.config,
      formatNumber(r.frameMs),
      `${formatNumber(r.minMs)}-${formatNumber(r.maxMs)}`,
      `${formatNumber(r.speedup)}x`,
    ]),
    [false, true, true, true],
  );
  return {
    rows,
    table,
    gc: {
      measuredFrames,
      owner: ownerGc.count,
      workers: workerGc,
      loadDuringRounds: { min: Math.min(...load), max: Math.max(...load) },
      particles,
    },
  };
}

const suite: BenchSuite = {
  name: 'workers',
  options: ['workers', 'particles', 'rounds', 'frames', 'warmup', 'order'],
  async run(options) {
    const say = process.argv.includes('--json') ? console.error : console.log;
    const { cases, freeNs } = await remoteFreeCases(options.quick);
    for (const c of cases) options.onCase?.('workers', c);
    const scale = await scaling(options.quick, say);
    say(`\n${scale.table}`);
    const best2 = Math.max(...scale.rows.filter((r) => r.workers === 2).map((r) => r.speedup), 0);
    const out: SuiteResult & { scaling: typeof scale } = {
      suite: 'workers',
      cases,
      ratios: ratiosOf(cases, [
        {
          name: 'remote free (256 per publish) + drain vs local free',
          numerator: 'remote free, 256 per publish, + drain',
          denominator: 'local free',
          targetMax: 3,
        },
        {
          name: 'remote free (1 per publish) + drain vs local free',
          numerator: 'remote free, 1 per publish, + drain',
          denominator: 'local free',
        },
        {
          name: 'remote free from a worker + wake + drain vs local free',
          numerator: 'remote free from a worker, 256 per publish, + wake + drain',
          denominator: 'local free',
        },
      ]),
      notes: {
        'free phase, ns per free (median over rounds)': Object.fromEntries(
          Object.entries(freeNs).map(([k, v]) => [k, +v.toFixed(2)]),
        ),
        '2 workers vs 1 thread, best order (target >= 1.7x)': best2 ? `${formatNumber(best2)}x` : 'not run',
        'GC during the measured frames': `owner ${scale.gc.owner}, workers ${JSON.stringify(scale.gc.workers)} over ${scale.gc.measuredFrames} frames (target 0)`,
        'load average during the rounds': `${scale.gc.loadDuringRounds.min.toFixed(2)}-${scale.gc.loadDuringRounds.max.toFixed(2)}`,
      },
      scaling: scale,
    };
    return out;
  },
};

export default suite;
