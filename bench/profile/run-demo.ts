/**
 * `runDemoProfile(options)`: the whole `npm run profile` as a function (bench/profile.ts and the
 * e2e test call it). Serves the demo (Vite's dev server by default, so our code and PixiJS are
 * separate scripts; or the production build; or a server already running), then profiles each
 * mode with the `steadyheap/profile` engine, runs interleaved (run 1 of every mode, then run 2...)
 * so machine drift hits the modes alike, and writes the engine's files per mode plus one report
 * with the modes side by side and the demo's targets.
 *
 * Files in `outDir`: `labels/<mode>/profile.json` and `frames.csv` per mode, `report.html`
 * (+ `chart.umd.min.js`) and `report.png`, `targets.json`.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  aggregateRuns,
  browserMetadata,
  launchBrowser,
  profileRun,
  resolveOptions,
  runOptionsOf,
  screenshotReport,
  writeProfileFiles,
  writeReport,
  type PageProfile,
  type ProfileProgress,
  type RunProfile,
} from 'steadyheap/profile';
import {
  DEMO_PROFILE_DEFAULTS,
  checkTargets,
  demoUrl,
  MODES,
  samplingIntervalFor,
  targetsHtml,
  type DemoParams,
  type DemoTarget,
} from './demo.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Options of `npm run profile`. Durations in ms. */
export interface DemoProfileOptions extends DemoParams {
  modes: string[];
  runs: number;
  durationMs: number;
  warmupMs: number;
  outDir: string;
  /** 'dev': Vite's dev server (readable owners); 'build': the production build; or a base URL. */
  serve: 'dev' | 'build' | { url: string };
  png: boolean;
  log: (line: string) => void;
  onProgress?: (p: ProfileProgress & { mode: string }) => void;
}

/**
 * Defaults: the demo's own settings for the renderer (its software preset on software WebGL),
 * and the runs, windows and warm-up of `DEMO_PROFILE_DEFAULTS` (bench/profile/demo.ts says why).
 */
export const DEFAULT_DEMO_OPTIONS: DemoProfileOptions = {
  modes: [...MODES],
  runs: DEMO_PROFILE_DEFAULTS.runs,
  seed: 1,
  durationMs: DEMO_PROFILE_DEFAULTS.durationMs,
  warmupMs: DEMO_PROFILE_DEFAULTS.warmupMs,
  outDir: 'reports',
  serve: 'dev',
  png: true,
  log: (line) => console.log(line),
};

/** What `runDemoProfile` returns. */
export interface DemoProfileResult {
  profiles: Record<string, PageProfile>;
  targets: DemoTarget[];
  files: string[];
}

async function startServer(serve: DemoProfileOptions['serve']): Promise<{ url: string; close: () => Promise<void> }> {
  if (typeof serve === 'object')
    return { url: serve.url.endsWith('/') ? serve.url : `${serve.url}/`, close: async () => {} };
  const { build, createServer, preview } = await import('vite');
  const configFile = join(root, 'vite.config.ts');
  if (serve === 'build') {
    await build({ root, configFile, logLevel: 'warn' });
    const server = await preview({ root, configFile, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('preview server has no port');
    return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
  }
  const server = await createServer({
    root,
    configFile,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, open: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('dev server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** Runs the profile. See the module comment for what it writes. */
export async function runDemoProfile(o: DemoProfileOptions): Promise<DemoProfileResult> {
  const started = new Date();
  const loadStart = loadavg()[0];
  const server = await startServer(o.serve);
  const { browser } = await launchBrowser();
  try {
    const resolved = Object.fromEntries(
      o.modes.map((mode) => [
        mode,
        resolveOptions({
          url: demoUrl(server.url, mode, o),
          label: mode,
          runs: o.runs,
          durationMs: o.durationMs,
          warmupMs: o.warmupMs,
          samplingIntervalBytes: samplingIntervalFor(mode),
          onProgress: (p) => o.onProgress?.({ ...p, mode }),
        }),
      ]),
    );
    if (o.serve === 'dev') {
      // The dev server optimizes the dependencies on the first load and may reload the page once.
      const context = await browser.newContext();
      await (await context.newPage()).goto(resolved[o.modes[0]].url, { waitUntil: 'load' });
      await new Promise((r) => setTimeout(r, 3000));
      await context.close();
    }
    const bmeta = await browserMetadata(browser);
    o.log(
      `${bmeta.browser}, ${bmeta.renderer.api}: ${bmeta.renderer.renderer}${bmeta.renderer.software ? ' (software)' : ''}; served by ${typeof o.serve === 'object' ? o.serve.url : o.serve === 'dev' ? "Vite's dev server" : 'the production build'}`,
    );
    const runs: Record<string, RunProfile[]> = Object.fromEntries(o.modes.map((m) => [m, []]));
    for (let run = 1; run <= o.runs; run++) {
      for (const mode of o.modes) {
        const r = await profileRun(browser, runOptionsOf(resolved[mode], run));
        runs[mode].push(r);
        o.log(
          `[${(run - 1) * o.modes.length + o.modes.indexOf(mode) + 1}/${o.runs * o.modes.length}] ${mode.padEnd(11)} run ${run}: ` +
            `${r.frames.count} frames, p50 ${r.frames.p50Ms.toFixed(1)} ms, p99 ${r.frames.p99Ms.toFixed(1)} ms, ` +
            `missed ${r.frames.missed} (${r.gc.missedFramesWithGc} with GC), GC ${r.gc.count} (${r.gc.totalMs.toFixed(1)} ms), ` +
            `${r.allocation.bytesPerFrame.toFixed(0)} B/frame, page work p50 ${r.frames.raf.p50Ms.toFixed(2)} ms`,
        );
      }
    }
    const profiles: Record<string, PageProfile> = {};
    for (const mode of o.modes) profiles[mode] = aggregateRuns(resolved[mode], runs[mode], bmeta, started, loadStart);
    const targets = checkTargets(profiles);
    mkdirSync(o.outDir, { recursive: true });
    const files: string[] = [];
    for (const mode of o.modes) files.push(...writeProfileFiles(join(o.outDir, 'labels', mode), profiles[mode]));
    const targetsFile = join(o.outDir, 'targets.json');
    writeFileSync(targetsFile, `${JSON.stringify(targets, (_, v) => (Number.isNaN(v) ? null : v), 2)}\n`);
    files.push(targetsFile);
    const report = writeReport(
      o.outDir,
      o.modes.map((m) => ({ profile: profiles[m], rows: profiles[m].rows ?? [] })),
      { title: `steadyheap particle demo: ${o.modes.join(' vs ')}`, sectionHtml: targetsHtml(targets) },
    );
    files.push(report.file);
    if (o.png) {
      const png = join(o.outDir, 'report.png');
      await screenshotReport(browser, report.file, png);
      files.push(png);
    }
    return { profiles, targets, files };
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}
