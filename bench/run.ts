/**
 * `npm run bench -- [options] [suite...]`: runs the suites in `bench/suites/` (all, or those whose
 * file name contains one of the given words), prints a progress line per measured case and a
 * table per suite, and writes the results as JSON with the date, the machine and the load.
 *
 * Where results go (`bench/lib/results.ts`): `bench/results/local/` (git-ignored) unless
 * `--save`, which writes the tracked `bench/results/`: `latest.json` for a run of every suite,
 * `<suite>.json` for a run of some. `--save` refuses `--quick`: quick figures are too short to
 * cite. Run `npm run bench -- --help` for the options.
 */
import { readdirSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatProgress, formatSuite } from './lib/format.ts';
import type { BenchSuite, SuiteResult } from './lib/harness.ts';
import { writeResults } from './lib/results.ts';

const USAGE = `Usage: npm run bench -- [options] [suite...]

Runs the benchmark suites of bench/suites/ (all of them, or those whose name contains a given
word: pool, arena, ecs) and prints a table per suite. Method and published figures:
bench/README.md.

Options:
  --quick   short timings (about a minute for every suite); figures for a smoke test only
  --save    write the tracked bench/results/ (latest.json for every suite, <suite>.json for
            some): a deliberate full-length run whose figures bench/README.md will cite.
            Without it, results go to bench/results/local/ (git-ignored).
  --json    print the results as JSON on stdout (progress and tables go to stderr)
  --help    this text

Examples:
  npm run bench -- --quick          every suite, short timings
  npm run bench -- arena            one suite, full length, results in bench/results/local/
  npm run bench -- --save           every suite, full length, into bench/results/latest.json`;

const benchDir = import.meta.dirname;
const { values, positionals, tokens } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    save: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  allowPositionals: true,
  strict: false,
  tokens: true,
});
const fail = (message: string): never => {
  console.error(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
};
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.save && values.quick) {
  fail('--save keeps figures for bench/README.md, and --quick figures are too short for that: drop one of them');
}
const quick = values.quick === true;
const save = values.save === true;
const json = values.json === true;
// Terminal output goes to stderr under --json, so that stdout is the JSON alone.
const say = json ? (line: string) => console.error(line) : (line: string) => console.log(line);

const available = readdirSync(join(benchDir, 'suites'))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const files = available.filter((f) => positionals.length === 0 || positionals.some((q) => f.includes(q)));
if (files.length === 0) {
  fail(
    `no suite matches ${positionals.join(', ')} (suites: ${available.map((f) => f.replace('.bench.ts', '')).join(', ')})`,
  );
}

const suites: BenchSuite[] = [];
for (const file of files) {
  suites.push(((await import(pathToFileURL(join(benchDir, 'suites', file)).href)) as { default: BenchSuite }).default);
}
// Options neither run.ts nor a selected suite knows are mistakes (a typo would otherwise start a
// full-length run).
const suiteOptions = new Set(suites.flatMap((s) => s.options ?? []));
const unknown = tokens
  .filter(
    (t) => t.kind === 'option' && !['quick', 'save', 'json', 'help'].includes(t.name) && !suiteOptions.has(t.name),
  )
  .map((t) => (t.kind === 'option' ? t.rawName : ''));
if (unknown.length) fail(`unknown option ${unknown.join(', ')}`);

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
};
const load = () => loadavg().map((l) => +l.toFixed(2));
const loadAtStart = load();
say(
  `steadyheap benchmarks${quick ? ' (quick)' : ''}: ${suites.map((s) => s.name).join(', ')}\n` +
    `${machine.cpu} x${machine.cores}, Node ${machine.node}, load average ${loadAtStart.join(' ')}\n` +
    (save
      ? 'results: bench/results/ (--save)'
      : 'results: bench/results/local/ (git-ignored; --save writes bench/results/ for bench/README.md)'),
);

const started = performance.now();
const results: SuiteResult[] = [];
for (const suite of suites) {
  say(`\n${suite.name}: measuring (a line per case)`);
  let index = 0;
  const result = await suite.run({
    quick,
    save,
    onCase: (name, c) => say(formatProgress(name, ++index, c, performance.now() - started)),
  });
  say(formatSuite(result));
  results.push(result);
}

const seconds = +((performance.now() - started) / 1000).toFixed(1);
const out = {
  date: new Date().toISOString(),
  quick,
  machine,
  loadAverage: { start: loadAtStart, end: load() },
  seconds,
  suites: results,
};
const everySuite = files.length === available.length;
const written = everySuite
  ? [writeResults('latest', out, save)]
  : results.map((r) => writeResults(r.suite, { ...out, suites: [r] }, save));
say(`\nwrote ${written.join(', ')} (${seconds} s, load average ${out.loadAverage.end.join(' ')} at the end)`);
if (json) console.log(JSON.stringify(out, null, 2));
