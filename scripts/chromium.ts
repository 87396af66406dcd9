/**
 * Finds and launches the Chromium that the browser tests and `npm run profile` drive through
 * playwright-core. playwright-core never downloads a browser here: it drives the system Chromium
 * (Debian's `chromium` package, `/usr/bin/chromium`) or the one named by `CHROMIUM_PATH`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import {
  CHROMIUM_ARGS as PROFILER_CHROMIUM_ARGS,
  CHROMIUM_HINT,
  findChromium,
} from '../src/profile/browser/chromium.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One list of places and one hint for the tests, `npm test` and the profiler.
export { CHROMIUM_CANDIDATES, CHROMIUM_HINT, findChromium } from '../src/profile/browser/chromium.ts';

/**
 * Flags for the tests' headless Chromium: the profiler's (no background connections, no sandbox,
 * animation frames at full rate) plus SwiftShader forced, so every machine renders the same way.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--use-angle=swiftshader',
  ...PROFILER_CHROMIUM_ARGS,
];

/**
 * Launches Chromium with a fresh, throw-away profile (`launchPersistentContext`), so no state
 * leaks between runs.
 *
 * @param options.viewport - page size in CSS pixels (default 1024x768).
 * @param options.extraArgs - more command-line flags.
 * @returns the context, its first page, and `close()` that also removes the profile folder.
 * @throws Error naming {@link CHROMIUM_HINT} when no Chromium is installed.
 */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; extraArgs?: string[] } = {},
) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`No Chromium found. ${CHROMIUM_HINT}`);
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'steadyheap-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    viewport: options.viewport ?? { width: 1024, height: 768 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    executablePath,
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
