/**
 * `npm run bench [-- --quick] [-- name-filter...]`: runs every suite in `bench/suites/`, prints
 * its tables and writes `bench/results/latest.json` with the date and the machine.
 */
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { printSuite, type BenchSuite, type SuiteResult } from './lib/harness.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.filter((a) => !a.startsWith('--'));

const files = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
  .sort();

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()}`,
  node: process.version,
};
console.log(
  `steadyheap benchmarks ${quick ? '(quick) ' : ''}on ${machine.cpu} x${machine.cores}, Node ${machine.node}`,
);

const suites: SuiteResult[] = [];
const started = Date.now();
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, 'suites', file)).href)) as { default: BenchSuite };
  const result = await mod.default.run({ quick });
  printSuite(result);
  suites.push(result);
}

mkdirSync(join(here, 'results'), { recursive: true });
const out = {
  date: new Date().toISOString(),
  quick,
  machine,
  seconds: (Date.now() - started) / 1000,
  suites,
};
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`\nwrote bench/results/latest.json (${out.seconds.toFixed(1)} s)`);
