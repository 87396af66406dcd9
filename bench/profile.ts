/**
 * `npm run profile [-- options]`: the particle demo in headless Chromium, each mode (pooled,
 * naive, zero-object) several times, frame-time jitter and GC pauses side by side, and the
 * issue's targets checked. `--help` lists the options; the work is in
 * bench/profile/run-profile.ts.
 */
import { parseArgs, USAGE } from './profile/options.ts';
import { runProfile } from './profile/run-profile.ts';

const options = parseArgs(process.argv.slice(2));
if (!options) {
  console.log(USAGE);
  process.exit(0);
}
const t0 = Date.now();
const result = await runProfile(options);
console.log(`\n${result.table}\n`);
console.log(`${result.targetsText}\n`);
console.log(`Reports (${((Date.now() - t0) / 1000).toFixed(0)} s):`);
for (const f of result.files.filter((f) => !f.includes('/frames-'))) console.log(`  ${f}`);
console.log(`  ${result.files.filter((f) => f.includes('/frames-')).length} per-frame CSV files in ${options.outDir}/`);
