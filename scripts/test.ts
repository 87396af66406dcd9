/**
 * `npm test`: type-check, the API reference (TypeDoc, warnings are errors), unit tests in Node, then
 * the browser tests in headless Chromium.
 *
 * Under CI (`CI` set) a missing Chromium is a failure. On a developer machine without one, the
 * browser tests are skipped with a loud banner that says how to install it.
 * Extra arguments are passed to Vitest (for example `npm test -- test/pool`).
 */
import { spawnSync } from 'node:child_process';
import { CHROMIUM_HINT, findChromium } from './chromium.ts';

const extra = process.argv.slice(2);
const isCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

function run(cmd: string, args: string[]): void {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
// The API reference builds from the docstrings with TypeDoc warnings as errors (broken links,
// public types that reference unexported ones); about 4 s. Output: docs/api/ (git-ignored).
run('npx', ['typedoc']);

const chromium = findChromium();
if (chromium) {
  console.log(`Browser tests use ${chromium}`);
  run('npx', ['vitest', 'run', ...extra]);
} else if (isCI) {
  console.error(`\nERROR: CI is set and no Chromium was found; the browser tests are required.\n${CHROMIUM_HINT}`);
  process.exit(1);
} else {
  run('npx', ['vitest', 'run', '--project', 'unit', ...extra]);
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! BROWSER TESTS SKIPPED: no Chromium found.\n!! ${CHROMIUM_HINT}\n!! Then run \`npm test\` again.\n${line}\n`,
  );
}
