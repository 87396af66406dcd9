/**
 * Finding and launching the Chromium the profiler drives through playwright-core.
 *
 * playwright-core is an optional peer dependency of steadyheap (a library for games should not
 * pull a browser driver into every game's install); it is loaded when a profile starts, and its
 * absence is reported with what to install. The browser is never downloaded: the one named by
 * `CHROMIUM_PATH`, else a system Chromium or Chrome, else the one a Playwright install put on the
 * machine (`npx playwright install chromium`).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Where a system Chromium or Chrome usually lives, in the order tried after `CHROMIUM_PATH`. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

/** How to get a browser, printed when none is found. */
export const CHROMIUM_HINT =
  'Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`; or Google Chrome; or `npx playwright install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.';

/** How to get playwright-core, printed when it is missing. */
export const PLAYWRIGHT_HINT =
  'steadyheap profile drives Chromium through playwright-core, an optional peer dependency that is not installed here. ' +
  'Install it beside steadyheap (`npm install --save-dev playwright-core chart.js`), or run ' +
  '`npx -p steadyheap -p playwright-core -p chart.js steadyheap profile <url>`.';

/**
 * Flags for a profiled Chromium: software WebGL when there is no GPU (SwiftShader), no background
 * connections, no sandbox (CI runs as root), and animation frames at full rate in a background or
 * headless tab.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** Thrown when the profiler cannot start: no playwright-core, no browser. Its message says what to install. */
export class ProfilerSetupError extends Error {
  override name = 'ProfilerSetupError';
}

type PlaywrightChromium = typeof import('playwright-core').chromium;

/**
 * Loads playwright-core (or the full `playwright` package, which includes it).
 *
 * @throws ProfilerSetupError naming what to install when neither is installed.
 */
export async function loadPlaywright(): Promise<PlaywrightChromium> {
  for (const name of ['playwright-core', 'playwright']) {
    try {
      const mod = (await import(name)) as {
        chromium?: PlaywrightChromium;
        default?: { chromium?: PlaywrightChromium };
      };
      const chromium = mod.chromium ?? mod.default?.chromium;
      if (chromium) return chromium;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new ProfilerSetupError(PLAYWRIGHT_HINT);
}

/**
 * The path of a Chromium or Chrome binary: `CHROMIUM_PATH` (which must exist), else the first of
 * {@link CHROMIUM_CANDIDATES} that exists, else Playwright's own download when there is one.
 *
 * @param playwrightChromium - playwright's `chromium`, asked for its own browser last.
 * @returns the path, or undefined when none is installed.
 */
export function findChromium(playwrightChromium?: { executablePath(): string }): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const system = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (system) return system;
  try {
    const own = playwrightChromium?.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // playwright throws when it has no browser of its own
  }
  return undefined;
}

/** Options of {@link launchBrowser}. */
export interface LaunchOptions {
  /** Show the browser window. Default false (headless). */
  headed?: boolean;
  /** More command-line flags. */
  extraArgs?: readonly string[];
  /** Binary to run; default {@link findChromium}. */
  executablePath?: string;
}

/**
 * Launches Chromium (headless unless `headed`) through playwright-core.
 *
 * @returns the browser and the binary's path.
 * @throws ProfilerSetupError when playwright-core or a browser is missing, or `CHROMIUM_PATH`
 *   names a file that does not exist.
 */
export async function launchBrowser(
  options: LaunchOptions = {},
): Promise<{ browser: Browser; executablePath: string }> {
  const chromium = await loadPlaywright();
  const executablePath = options.executablePath ?? findChromium(chromium);
  if (!executablePath) {
    const env = process.env.CHROMIUM_PATH;
    throw new ProfilerSetupError(
      env ? `CHROMIUM_PATH is ${env}, which does not exist. ${CHROMIUM_HINT}` : `No Chromium found. ${CHROMIUM_HINT}`,
    );
  }
  const browser = await chromium.launch({
    executablePath,
    headless: !options.headed,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
  });
  return { browser, executablePath };
}
