/**
 * The ECS table: every noctjs/ecs-benchmark workload for steadyheap and each peer, each cell in its
 * own Node process (`cell.ts`), cells interleaved round by round, then summarised: op/s, bytes per
 * frame, GCs and pause per second (medians with min-max over the processes), the no-op detector
 * (each cell again at 4x the entities: its frame time must grow) and the semantics columns.
 *
 * Run through `npm run bench -- ecs` (the `ecs` suite) or directly:
 *
 *   node --expose-gc --import tsx bench/ecs/table.ts [--quick] [--rounds=N] [--window-ms=N]
 *     [--libs=steadyheap,piecs] [--workloads=packed_5,entity_cycle] [--save]
 *
 * Run directly it writes `bench/results/local/ecs-table.json` (git-ignored), or the tracked
 * `bench/results/ecs-table.json` with `--save` on a full run (`bench/lib/results.ts`).
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeResults } from '../lib/results.ts';
import type { CellResult } from './cell.ts';
import { CONTROL_BYTES, type ControlId } from './control.ts';
import { LIBRARY_IDS, loadLibrary, workloadsOf } from './libraries/index.ts';
import { WORKLOADS, type LibraryAdapter, type Semantics, type Workload } from './workloads.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');

/** Options of {@link runTable}. */
export interface TableOptions {
  /** Processes per cell at 1x (default 6; quick 1). */
  rounds: number;
  /** Measured window per process, ms (default 700; quick 250). */
  windowMs: number;
  /** Processes per cell at 4x for the no-op detector (default 2; quick 1). */
  scaleRounds: number;
  libraries: readonly string[];
  workloads: readonly Workload[];
  quick: boolean;
}

/** Median and range of one figure over a cell's processes. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One cell of the table, summarised. */
export interface CellSummary {
  library: string;
  libraryName: string;
  workload: Workload;
  processes: number;
  opsPerSec: Spread;
  bytesPerFrame: Spread;
  gcPerSec: Spread;
  gcPauseMsPerSec: Spread;
  /** Median ms/frame at 4x the entities over median ms/frame at 1x. */
  growthAt4x: number | null;
  /** The no-op detector fired: frame time grew less than {@link MIN_GROWTH_AT_4X}x at 4x. */
  noOpSuspect: boolean;
  /** Frames whose entity counts were checked, over all processes. */
  verifiedFrames: number;
  semantics: Semantics;
  /** Error text when a process failed (the cell then has no figures). */
  error?: string;
}

/** At 4x the entities a frame that does its work takes clearly longer (linear work: about 4x). */
export const MIN_GROWTH_AT_4X = 1.5;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs: number[]): Spread => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });

/** Runs one cell process and parses its JSON line. */
function runCell(library: string, workload: string, scale: number, windowMs: number): Promise<CellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(here, 'cell.ts'), library, workload, String(scale), String(windowMs)],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as CellResult);
      else reject(new Error(`${library} ${workload} x${scale}: exit ${code}: ${err.trim().split('\n')[0] ?? ''}`));
    });
  });
}

const fmtOps = (x: number): string =>
  x >= 1e6
    ? `${(x / 1e6).toFixed(2)}M`
    : x >= 1e4
      ? `${(x / 1e3).toFixed(1)}k`
      : x >= 1e3
        ? `${(x / 1e3).toFixed(2)}k`
        : x.toFixed(0);
const fmtBytes = (x: number): string =>
  Math.abs(x) >= 1e6
    ? `${(x / 1e6).toFixed(2)}M`
    : Math.abs(x) >= 1e4
      ? `${(x / 1e3).toFixed(1)}K`
      : x.toFixed(Math.abs(x) < 10 ? 1 : 0);
const fmtRate = (x: number): string => (x === 0 ? '0' : x < 10 ? x.toFixed(1) : x.toFixed(0));

/** Everything a run produces: summaries, controls, the machine and the load. */
export interface TableResult {
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string };
  loadAverage: { start: number[]; end: number[]; max1m: number };
  seconds: number;
  options: TableOptions;
  /** Fixed bytes of the measurement itself per window (median of control-0), subtracted from every cell. */
  overheadBytes: number;
  controls: { id: ControlId; expectedBytesPerFrame: number; bytesPerFrame: Spread; ok: boolean }[];
  cells: CellSummary[];
  changes: { library: string; name: string; changes: readonly string[] }[];
}

/** Runs the whole table. Prints progress (through `say`) as each process ends. */
export async function runTable(options: TableOptions, say: (line: string) => void = console.log): Promise<TableResult> {
  const started = Date.now();
  const adapters = new Map<string, LibraryAdapter>();
  for (const id of options.libraries) adapters.set(id, await loadLibrary(id));
  const cells: { library: string; workload: Workload }[] = [];
  for (const library of options.libraries) {
    for (const workload of workloadsOf(library))
      if (options.workloads.includes(workload)) cells.push({ library, workload });
  }
  const controls = Object.keys(CONTROL_BYTES) as ControlId[];
  const jobs: { library: string; workload: string; scale: number }[] = [];
  // Interleaved: every round runs every cell once, starting at a different cell each round.
  for (let r = 0; r < options.rounds; r++) {
    const round = [
      ...controls.map((c) => ({ library: c, workload: c, scale: 1 })),
      ...cells.map((c) => ({ ...c, scale: 1 })),
    ];
    const shift = Math.floor((r * round.length) / options.rounds);
    jobs.push(...round.slice(shift), ...round.slice(0, shift));
  }
  for (let r = 0; r < options.scaleRounds; r++) jobs.push(...cells.map((c) => ({ ...c, scale: 4 })));

  const load0 = loadavg();
  let maxLoad = load0[0];
  say(
    `ECS table: ${cells.length} cells + ${controls.length} controls, ${options.rounds} processes each, ${options.scaleRounds} more per cell at 4x: ${jobs.length} processes, ${options.windowMs} ms windows (load average ${load0.map((x) => x.toFixed(2)).join(' ')})`,
  );
  const results = new Map<string, CellResult[]>();
  const errors = new Map<string, string>();
  const key = (library: string, workload: string, scale: number) => `${library}|${workload}|${scale}`;
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    const k = key(job.library, job.workload, job.scale);
    const tag = `[${String(i + 1).padStart(String(jobs.length).length)}/${jobs.length}] ${job.library} ${job.workload}${job.scale > 1 ? ` x${job.scale}` : ''}`;
    if (errors.has(k)) continue;
    try {
      const r = await runCell(job.library, job.workload, job.scale, options.windowMs);
      if (!results.has(k)) results.set(k, []);
      results.get(k)?.push(r);
      say(
        `${tag}: ${fmtOps(r.frames / r.seconds)} op/s, ${fmtBytes(r.bytes / r.frames)} B/frame raw, ${fmtRate(r.gcCount / r.seconds)} GC/s`,
      );
    } catch (error) {
      errors.set(k, (error as Error).message);
      say(`${tag}: FAILED ${(error as Error).message}`);
    }
    maxLoad = Math.max(maxLoad, loadavg()[0]);
  }

  const overheadRuns = results.get(key('control-0', 'control-0', 1)) ?? [];
  const overheadBytes = overheadRuns.length ? median(overheadRuns.map((r) => r.bytes)) : 0;
  const perFrame = (r: CellResult) => (r.bytes - overheadBytes) / r.frames;
  const controlSummaries = controls.map((id) => {
    const runs = results.get(key(id, id, 1)) ?? [];
    const bytesPerFrame = spread(runs.length ? runs.map(perFrame) : [Number.NaN]);
    const expected = CONTROL_BYTES[id];
    // Within 1 B/frame or 2% of the known size, in every process.
    const ok = runs.length > 0 && runs.every((r) => Math.abs(perFrame(r) - expected) <= Math.max(1, expected * 0.02));
    return { id, expectedBytesPerFrame: expected, bytesPerFrame, ok };
  });

  const summaries: CellSummary[] = cells.map(({ library, workload }) => {
    const adapter = adapters.get(library) as LibraryAdapter;
    const base = {
      library,
      libraryName: adapter.name,
      workload,
      semantics: adapter.semantics(workload),
    };
    const runs = results.get(key(library, workload, 1)) ?? [];
    const runs4 = results.get(key(library, workload, 4)) ?? [];
    const error = errors.get(key(library, workload, 1)) ?? errors.get(key(library, workload, 4));
    if (runs.length === 0) {
      const nan = spread([Number.NaN]);
      return {
        ...base,
        processes: 0,
        opsPerSec: nan,
        bytesPerFrame: nan,
        gcPerSec: nan,
        gcPauseMsPerSec: nan,
        growthAt4x: null,
        noOpSuspect: true,
        verifiedFrames: 0,
        error: error ?? 'no result',
      };
    }
    const growthAt4x = runs4.length
      ? median(runs4.map((r) => r.msPerFrame)) / median(runs.map((r) => r.msPerFrame))
      : null;
    return {
      ...base,
      processes: runs.length,
      opsPerSec: spread(runs.map((r) => r.frames / r.seconds)),
      bytesPerFrame: spread(runs.map(perFrame)),
      gcPerSec: spread(runs.map((r) => r.gcCount / r.seconds)),
      gcPauseMsPerSec: spread(runs.map((r) => r.gcPauseMs / r.seconds)),
      growthAt4x,
      noOpSuspect: growthAt4x === null || growthAt4x < MIN_GROWTH_AT_4X,
      verifiedFrames: [...runs, ...runs4].reduce((s, r) => s + r.verifiedFrames, 0),
      ...(error ? { error } : {}),
    };
  });

  const load1 = loadavg();
  return {
    date: new Date(started).toISOString(),
    quick: options.quick,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${platform()} ${release()}`,
      node: process.version,
    },
    loadAverage: { start: load0, end: load1, max1m: Math.max(maxLoad, load1[0]) },
    seconds: (Date.now() - started) / 1000,
    options,
    overheadBytes,
    controls: controlSummaries,
    cells: summaries,
    changes: [...adapters.values()].map((a) => ({ library: a.id, name: a.name, changes: a.changes })),
  };
}

/** `op/s · B/frame · GC/s` for the headline table; flags a failed, unverified or no-op cell. */
function headline(c: CellSummary | undefined): string {
  if (!c) return '—';
  if (c.error) return `FAILED`;
  const flag = c.noOpSuspect ? ' (no-op?)' : '';
  return `${fmtOps(c.opsPerSec.median)} · ${fmtBytes(Math.max(0, c.bytesPerFrame.median))} · ${fmtRate(c.gcPerSec.median)}${flag}`;
}

/** The tables as Markdown: the headline, then every cell with spreads and semantics. */
export function formatTable(result: TableResult): string {
  const lines: string[] = [];
  const libs = [...new Set(result.cells.map((c) => c.library))];
  const works = WORKLOADS.filter((w) => result.cells.some((c) => c.workload === w));
  const find = (l: string, w: Workload) => result.cells.find((c) => c.library === l && c.workload === w);
  // Fastest per workload among cells that passed every check.
  const best = new Map<Workload, string>();
  for (const w of works) {
    let top: CellSummary | undefined;
    for (const c of result.cells) {
      if (c.workload !== w || c.error || c.noOpSuspect) continue;
      if (!top || c.opsPerSec.median > top.opsPerSec.median) top = c;
    }
    if (top) best.set(w, top.library);
  }
  lines.push(`| op/s · bytes/frame · GCs/s | ${works.join(' | ')} |`);
  lines.push(`| --- | ${works.map(() => '---').join(' | ')} |`);
  for (const l of libs) {
    const name = result.cells.find((c) => c.library === l)?.libraryName ?? l;
    const row = works.map((w) => {
      const text = headline(find(l, w));
      return best.get(w) === l ? `**${text}**` : text;
    });
    lines.push(`| ${name} | ${row.join(' | ')} |`);
  }
  lines.push('');
  lines.push(
    '| library | workload | op/s median (min-max) | bytes/frame median (min-max) | GCs/s | GC pause ms/s | frame time at 4x | query index | deletes | B | verified frames |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const c of result.cells) {
    if (c.error) {
      lines.push(`| ${c.libraryName} | ${c.workload} | FAILED: ${c.error.replace(/\|/g, '/')} | | | | | | | | |`);
      continue;
    }
    const s = c.semantics;
    lines.push(
      `| ${c.libraryName} | ${c.workload} | ${fmtOps(c.opsPerSec.median)} (${fmtOps(c.opsPerSec.min)}-${fmtOps(c.opsPerSec.max)}) | ${fmtBytes(c.bytesPerFrame.median)} (${fmtBytes(c.bytesPerFrame.min)}-${fmtBytes(c.bytesPerFrame.max)}) | ${fmtRate(c.gcPerSec.median)} | ${c.gcPauseMsPerSec.median.toFixed(2)} | ${c.growthAt4x === null ? '—' : `${c.growthAt4x.toFixed(2)}x`}${c.noOpSuspect ? ' **no-op?**' : ''} | ${s.keepsQueryIndexes ? 'yes' : 'no (scan)'} | ${s.reallyDeletes === null ? '' : s.reallyDeletes ? 'yes' : 'no (parked)'} | ${s.b ?? ''} | ${c.verifiedFrames} |`,
    );
  }
  lines.push('');
  const ctl = result.controls
    .map(
      (c) =>
        `${c.id}: ${c.bytesPerFrame.median.toFixed(1)} B/frame (${c.bytesPerFrame.min.toFixed(1)}-${c.bytesPerFrame.max.toFixed(1)}; known ${c.expectedBytesPerFrame}) ${c.ok ? 'ok' : 'OFF'}`,
    )
    .join('; ');
  lines.push(
    `Controls: ${ctl}. Measurement overhead ${result.overheadBytes} bytes per window, subtracted. ${result.date}, ${result.machine.cpu} x${result.machine.cores}, Node ${result.machine.node}, load average ${result.loadAverage.start.map((x) => x.toFixed(2)).join(' ')} at start, ${result.loadAverage.end.map((x) => x.toFixed(2)).join(' ')} at end (1-minute max ${result.loadAverage.max1m.toFixed(2)}), ${result.seconds.toFixed(0)} s.`,
  );
  return lines.join('\n');
}

/** The table's own command-line options (names without `--`). */
export const TABLE_OPTIONS = ['libs', 'workloads', 'rounds', 'window-ms', 'scale-rounds'] as const;

/**
 * Libraries of a `--quick` run: steadyheap and the three peers that lead some workload, so a smoke
 * run takes well under a minute (the whole table takes about 15). `--libs` overrides it.
 */
export const QUICK_LIBRARY_IDS: readonly string[] = ['steadyheap', 'piecs', 'wolf-ecs', 'bitecs-0.4'];

/** Parses `--name=a,b` style options shared by the suite and the command line. */
export function tableOptionsFrom(argv: readonly string[], quick: boolean): TableOptions {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (name: string) => get(name)?.split(',').filter(Boolean);
  const libraries = list('libs') ?? [...(quick ? QUICK_LIBRARY_IDS : LIBRARY_IDS)];
  for (const l of libraries)
    if (!(LIBRARY_IDS as readonly string[]).includes(l)) throw new RangeError(`--libs: unknown library ${l}`);
  const workloads = (list('workloads') ?? [...WORKLOADS]) as Workload[];
  for (const w of workloads) if (!WORKLOADS.includes(w)) throw new RangeError(`--workloads: unknown workload ${w}`);
  const int = (name: string, fallback: number) => {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer, got ${v}`);
    return n;
  };
  return {
    quick,
    rounds: int('rounds', quick ? 1 : 6),
    windowMs: int('window-ms', quick ? 250 : 700),
    scaleRounds: int('scale-rounds', quick ? 1 : 2),
    libraries,
    workloads,
  };
}

/** Whether `options` is a full run (every library and workload, default rounds): only it is written. */
export function isFullRun(options: TableOptions): boolean {
  return (
    !options.quick &&
    options.rounds >= 6 &&
    options.libraries.length === LIBRARY_IDS.length &&
    options.workloads.length === WORKLOADS.length
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const options = tableOptionsFrom(argv, argv.includes('--quick'));
  const save = argv.includes('--save') && isFullRun(options);
  const result = await runTable(options);
  console.log(`\n${formatTable(result)}`);
  const file = writeResults('ecs-table', { ...result, markdown: formatTable(result) }, save);
  console.log(`\nwrote ${file}`);
}
