/**
 * `npm run build` (and `npm ci`, `npm pack` and an install from git, through `prepare`): writes
 * the library to `dist/` from a clean slate, then checks that every file package.json promises
 * (`main`, `types`, `bin`, each `exports` target, each `typesVersions` target) was built, so a
 * renamed or new entry point cannot ship a package that fails to resolve.
 *
 * `dist/` is removed first: a module renamed or deleted under `src/` must not ship its stale copy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** Every relative file path in a package.json value (strings, arrays, nested condition maps). */
function pathsIn(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith('./') || value.startsWith('dist/') ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(pathsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(pathsIn);
  return [];
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const promised = [pkg.main, pkg.types, pkg.bin, pkg.exports, pkg.typesVersions].flatMap(pathsIn);
const missing = promised.filter((p) => !existsSync(join(root, p)));
if (missing.length) {
  console.error(`build: package.json names files that were not built: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`build: dist/ written; the ${promised.length} files package.json names all exist`);
