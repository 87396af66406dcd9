/**
 * `npm run profile [-- options]`: the particle demo's modes side by side, profiled by the
 * `steadyheap profile` engine (the same measurement as for any page), with the demo's targets.
 * `--help` lists the options; the work is in bench/profile/run-demo.ts, what is particular to the
 * demo (modes, URLs, our code, targets) in bench/profile/demo.ts.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { COMPARISON_ROWS, fmt, progressLine } from 'steadyheap/profile';
import { formatTargets, loadWarning, MODES, oursOf } from './profile/demo.ts';
import { DEFAULT_DEMO_OPTIONS, runDemoProfile, type DemoProfileOptions } from './profile/run-demo.ts';

const D = DEFAULT_DEMO_OPTIONS;
const USAGE = `npm run profile -- [options]

The particle demo's modes in headless Chromium, profiled one after the other (runs interleaved):
frame times, missed frames with a GC inside, GC pauses, bytes per frame (whole page and our code),
the page's own work per frame, each as the median of the runs with their spread, and the demo's
targets. Writes reports/ (a report.html comparing the modes, its PNG, profile.json per mode).

  --modes a,b,...   modes in column order (default ${MODES.join(',')})
  --runs N          runs per mode, each in a fresh browser context (default ${D.runs})
  --spawn N         particles spawned per frame (default: the demo's, by renderer)
  --capacity N      pool capacity, the most live particles (default: the demo's, by renderer)
  --seed N          the demo's random seed (default ${D.seed})
  --duration S      measured seconds per run (default ${D.durationMs / 1000})
  --warmup S        seconds after load before measuring (default ${D.warmupMs / 1000}: V8 optimizes
                    once-per-frame code late, and unoptimized code boxes numbers into garbage;
                    V8's memory reducer also runs its start-up GCs about 30 s after load)
  --out DIR         report folder (default ${D.outDir})
  --build           profile the production build (one bundle: our code and PixiJS not told apart)
  --url URL         profile a demo already served at URL (its root, ending in /)
  --no-png          skip the PNG of the report
  --quick           1 run, 2 s warm-up, 3 s windows (a smoke test, not a measurement)
  -h, --help        this text
`;

function num(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || v > max)
    throw new RangeError(`--${name} must be a number in [${min}, ${max}], got ${text}`);
  return v;
}

/** Parses the options (unknown ones are errors); null for --help. */
function parseDemoArgs(argv: string[]): DemoProfileOptions | null {
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      modes: { type: 'string' },
      runs: { type: 'string' },
      spawn: { type: 'string' },
      capacity: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      out: { type: 'string' },
      build: { type: 'boolean' },
      url: { type: 'string' },
      'no-png': { type: 'boolean' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return null;
  const modes = v.modes === undefined ? [...MODES] : v.modes.split(',').filter(Boolean);
  for (const m of modes)
    if (!MODES.includes(m)) throw new RangeError(`--modes: unknown mode ${m} (modes: ${MODES.join(', ')})`);
  if (modes.length === 0) throw new RangeError('--modes needs at least one mode');
  const o: DemoProfileOptions = {
    ...D,
    modes,
    runs: Math.round(num('runs', v.runs, D.runs, 1, 100)),
    spawn: v.spawn === undefined ? undefined : Math.round(num('spawn', v.spawn, 0, 0, 1e5)),
    capacity: v.capacity === undefined ? undefined : Math.round(num('capacity', v.capacity, 1, 1, 1e6)),
    seed: Math.round(num('seed', v.seed, D.seed, 0, 2 ** 31 - 1)),
    durationMs: num('duration', v.duration, D.durationMs / 1000, 0.5, 3600) * 1000,
    warmupMs: num('warmup', v.warmup, D.warmupMs / 1000, 0, 3600) * 1000,
    outDir: v.out ?? D.outDir,
    serve: v.url ? { url: v.url } : v.build ? 'build' : 'dev',
    png: !v['no-png'],
  };
  if (v.quick) Object.assign(o, { runs: 1, warmupMs: 2000, durationMs: 3000 });
  return o;
}

let options: DemoProfileOptions | null;
try {
  options = parseDemoArgs(process.argv.slice(2));
} catch (error) {
  console.error(`npm run profile: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (!options) {
  console.log(USAGE);
  process.exit(0);
}
const t0 = Date.now();
const startWarning = loadWarning(loadavg()[0], cpus().length);
if (startWarning) console.log(startWarning);
const interactive = process.stderr.isTTY;
const result = await runDemoProfile({
  ...options,
  onProgress: (p) => {
    if (interactive) process.stderr.write(`\r${`${p.mode}: ${progressLine(p)}`.padEnd(78)}\r`);
  },
});
const modes = options.modes;
const ours = modes.map((m) => oursOf(result.profiles[m]));
const rows = [
  ...COMPARISON_ROWS.map((r) => [r.label, ...modes.map((m) => r.value(result.profiles[m]))]),
  [
    'bytes per frame, our code',
    ...ours.map((o) => (o.samples === 0 && Number.isFinite(o.bytesPerFrame) ? '0' : fmt(o.bytesPerFrame))),
  ],
  ...['frames.p99Ms', 'gc.count', 'gc.totalMs', 'allocation.bytesPerFrame'].map((path) => [
    `  runs' range of ${path}`,
    ...modes.map((m) => {
      const s = result.profiles[m].spread[path];
      return s && Number.isFinite(s.min)
        ? `${fmt(s.min, path.endsWith('Ms') ? 1 : 0)}-${fmt(s.max, path.endsWith('Ms') ? 1 : 0)}`
        : '-';
    }),
  ]),
];
const cells = [['', ...modes], ...rows];
const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
console.log(
  `\n${cells.map((r) => r.map((x, c) => (c ? x.padStart(widths[c]) : x.padEnd(widths[c]))).join('  ')).join('\n')}\n`,
);
console.log(`${formatTargets(result.targets)}\n`);
const warning = loadWarning(loadavg()[0], cpus().length);
if (warning) console.log(`${warning}\n`);
console.log(`Reports (${((Date.now() - t0) / 1000).toFixed(0)} s):`);
for (const f of result.files) console.log(`  ${f}`);
