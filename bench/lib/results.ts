/**
 * Where benchmark results go. A deliberate full-length run with `--save` writes the tracked
 * `bench/results/<name>.json` that `bench/README.md` cites; every other run (quick, partial, or
 * simply not saved) writes `bench/results/local/<name>.json`, which git ignores, so trying the
 * benchmarks leaves `git status` clean.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const projectRoot = join(import.meta.dirname, '..', '..');

/** The tracked results folder (`--save` runs). */
export const SAVED_RESULTS_DIR = join(projectRoot, 'bench', 'results');
/** The git-ignored results folder (every other run). */
export const LOCAL_RESULTS_DIR = join(SAVED_RESULTS_DIR, 'local');

/**
 * Writes `data` as pretty JSON to `<name>.json` in the saved or the local results folder.
 *
 * @param name - file name without `.json`, for example `latest` or `pool`.
 * @param save - true for a `--save` run.
 * @returns the path written, relative to the project root (for the message to the user).
 */
export function writeResults(name: string, data: unknown, save: boolean): string {
  const dir = save ? SAVED_RESULTS_DIR : LOCAL_RESULTS_DIR;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return relative(projectRoot, file);
}
