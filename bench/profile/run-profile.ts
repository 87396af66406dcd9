/**
 * `runProfile(options)`: the whole `npm run profile` as a function (the CLI in bench/profile.ts
 * and the e2e test both call it). Builds and serves the demo (or uses `options.baseUrl`), runs
 * every mode `runs` times in headless Chromium, interleaving modes so that machine drift hits
 * them alike, samples allocations, then writes the reports and prints the comparison table.
 *
 * Files written to `outDir`:
 * - `frames-<mode>-run<k>.csv`: per-frame CSV of the untraced window (GC columns 0: unknown there)
 * - `frames-<mode>-run<k>-traced.csv`: the traced window, GC columns from the trace
 * - `profile-summary.json`: metadata, options, per-run summaries and figures, medians, GC event
 *   names seen, allocation profiles, and the issue's targets (`targets.ts`) with their verdicts
 * - `profile-report.html` (+ `chart.umd.min.js`) and `profile-report.png`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/chromium.ts';
import { buildDemos, serveDemos } from '../../scripts/serve.ts';
import { formatComparisonTable, medianFigures, type FigureRow, type Figures } from '../../src/profile/report.ts';
import { HITCH_RULES } from '../../src/profile/hitches.ts';
import {
  LOW_FPS_PERCENTILE_DEFINITION,
  LOW_FPS_TIME_WEIGHTED_DEFINITION,
  PERCENTILE_DEFINITION,
} from '../../src/profile/statistics.ts';
import { screenshotReport, writeHtmlReport, type ModeReport } from './html-report.ts';
import type { ProfileOptions } from './options.ts';
import { browserMetadata, frameCsv, runOnce, sampleAllocations, tracedCsv, type RunResult } from './runner.ts';
import type { AllocationProfile } from './sampling.ts';
import { checkTargets, formatTargets, type TargetCheck } from './targets.ts';
import { gcPerFrame } from './trace.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Rows of the terminal and HTML tables (keys into the run figures). */
export const TABLE_ROWS: readonly FigureRow[] = [
  { key: 'frames', label: 'frames', digits: 0 },
  { key: 'live', label: 'live particles (window end)', digits: 0 },
  { key: 'avgFps', label: 'average fps', digits: 1 },
  { key: 'meanMs', label: 'mean (ms)' },
  { key: 'p50Ms', label: 'p50 (ms)' },
  { key: 'p90Ms', label: 'p90 (ms)' },
  { key: 'p95Ms', label: 'p95 (ms)' },
  { key: 'p99Ms', label: 'p99 (ms)' },
  { key: 'p999Ms', label: 'p99.9 (ms)' },
  { key: 'maxMs', label: 'max (ms)' },
  { key: 'stdDevMs', label: 'std dev (ms)' },
  { key: 'p99OverP50', label: 'p99 / p50', digits: 3 },
  { key: 'low1PctFps', label: '1% low fps (time-weighted)', digits: 1 },
  { key: 'low01PctFps', label: '0.1% low fps (time-weighted)', digits: 1 },
  { key: 'low1PctFpsFromP99', label: '1% low fps (1000/p99)', digits: 1 },
  { key: 'hitches.any', label: 'hitches (any rule)', digits: 0 },
  { key: 'hitches.twiceRollingMedian', label: '  > 2x rolling median', digits: 0 },
  { key: 'hitches.jumpOverBudget', label: '  >= 1.5x prev, over budget', digits: 0 },
  { key: 'hitches.over50Ms', label: '  > 50 ms', digits: 0 },
  { key: 'stutterPct', label: 'stutter time (%)', digits: 2 },
  { key: 'cpuMeanMs', label: 'CPU per frame (ms)' },
  { key: 'gcCount', label: 'GC count (traced window)', digits: 0 },
  { key: 'gcMinor', label: '  minor', digits: 0 },
  { key: 'gcMajor', label: '  major', digits: 0 },
  { key: 'gcTotalMs', label: 'GC pause total (ms)' },
  { key: 'gcMaxMs', label: 'GC pause max (ms)' },
  { key: 'tracedP99Ms', label: 'p99 while tracing (ms)' },
  { key: 'heapMinMB', label: 'JS heap min (MB)' },
  { key: 'heapMaxMB', label: 'JS heap max (MB)' },
  { key: 'allocBytesPerFrame', label: 'sampled alloc (B/frame)', digits: 0 },
  { key: 'allocOursBytesPerFrame', label: '  in steadyheap + demo', digits: 0 },
];

/** What `runProfile` returns (also written as profile-summary.json). */
export interface ProfileResult {
  meta: Record<string, string | number | boolean>;
  medians: Record<string, Figures>;
  runs: RunResult[];
  allocations: Record<string, AllocationProfile>;
  /** The issue's targets, evaluated on `medians` and `allocations`. */
  targets: TargetCheck[];
  files: string[];
  /** The comparison table, as printed. */
  table: string;
  /** The targets, as printed. */
  targetsText: string;
}

async function startDevServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import('vite');
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, open: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('dev server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** Runs the whole profile. See the module comment for what it writes. */
export async function runProfile(o: ProfileOptions): Promise<ProfileResult> {
  const started = new Date();
  const loadAtStart = loadavg()[0]; // other work on the machine shows up as hitches: say how busy it was
  const closers: Array<() => Promise<void>> = [];
  let base = o.baseUrl;
  if (!base) {
    o.log('building the demo…');
    await buildDemos();
    const server = await serveDemos();
    closers.push(server.close);
    base = server.url;
  }
  const chromium = await launchChromium({ viewport: { width: 1024, height: 768 } });
  closers.unshift(chromium.close);
  try {
    const { page } = chromium;
    const session = await page.context().newCDPSession(page);
    await page.goto(`${base}${o.pagePath}?overlay=0`);
    const browser = await browserMetadata(page, session);
    o.log(
      `${browser.browser}, ${browser.webgl.api}: ${browser.webgl.renderer}${browser.software ? ' (software)' : ''}`,
    );

    const runs: RunResult[] = [];
    const total = o.runs * o.modes.length;
    for (let run = 1; run <= o.runs; run++) {
      for (const mode of o.modes) {
        const r = await runOnce(page, session, base, o, mode, run);
        runs.push(r);
        const f = r.figures;
        o.log(
          `[${runs.length}/${total}] ${mode.padEnd(11)} run ${run}: ${f.frames} frames, ${f.avgFps.toFixed(1)} fps, ` +
            `p50 ${f.p50Ms.toFixed(2)} ms, p99 ${f.p99Ms.toFixed(2)} ms, max ${f.maxMs.toFixed(1)} ms, hitches ${f['hitches.any']}, ` +
            `GC ${Number.isFinite(f.gcCount) ? `${f.gcCount} (${f.gcTotalMs.toFixed(1)} ms)` : '-'}, ` +
            `heap ${f.heapMinMB.toFixed(1)}-${f.heapMaxMB.toFixed(1)} MB, live ${r.live}`,
        );
      }
    }

    const allocations: Record<string, AllocationProfile> = {};
    let samplingServed = base;
    if (o.samplingMs > 0) {
      // Unminified modules keep function names and file paths, so sites are readable.
      let sampleBase = base;
      if (!o.baseUrl) {
        const dev = await startDevServer();
        closers.push(dev.close);
        sampleBase = dev.url;
        samplingServed = 'by the Vite dev server (unminified)';
        await page.goto(`${sampleBase}${o.pagePath}?overlay=0`); // let Vite optimize deps once
        await page.waitForTimeout(1500);
      }
      for (const mode of o.modes) {
        const profile = await sampleAllocations(page, session, sampleBase, o, mode);
        allocations[mode] = profile;
        o.log(
          `allocation sampling, ${mode}: ${profile.bytesPerFrame.toFixed(0)} B/frame over ${profile.frames} frames (` +
            Object.entries(profile.byOrigin)
              .map(([k, v]) => `${k} ${v.toFixed(0)}`)
              .join(', ') +
            ')',
        );
        for (const site of profile.ourSites.slice(0, 5)) {
          o.log(
            `  our code: ${site.bytesPerFrame.toFixed(0)} B/frame in ${site.functionName} (${site.where}) <- ${site.callers.slice(0, 2).join(' <- ')}`,
          );
        }
      }
    }

    const medians: Record<string, Figures> = {};
    for (const mode of o.modes) {
      const m = medianFigures(runs.filter((r) => r.mode === mode).map((r) => r.figures));
      m.p99OverP50 = m.p99Ms / m.p50Ms;
      const a = allocations[mode];
      m.allocBytesPerFrame = a ? a.bytesPerFrame : NaN;
      m.allocOursBytesPerFrame = a ? (a.byOrigin.steadyheap ?? 0) + (a.byOrigin.demo ?? 0) : NaN;
      medians[mode] = m;
    }
    const table = formatComparisonTable(
      o.modes.map((m) => [m, medians[m]] as const),
      TABLE_ROWS,
    );
    const targets = checkTargets(medians, allocations);
    const targetsText = formatTargets(targets);

    mkdirSync(o.outDir, { recursive: true });
    const files: string[] = [];
    const write = (name: string, text: string) => {
      const p = join(o.outDir, name);
      writeFileSync(p, text);
      files.push(p);
    };
    for (const r of runs) {
      write(`frames-${r.mode}-run${r.run}.csv`, frameCsv(r.frames));
      const traced = tracedCsv(r);
      if (traced) write(`frames-${r.mode}-run${r.run}-traced.csv`, traced);
    }
    const meta = {
      date: started.toISOString(),
      browser: browser.browser,
      v8: browser.v8,
      renderer: `${runs[0]?.renderer ?? '?'} via ${browser.webgl.api}: ${browser.webgl.renderer}`,
      gpu: browser.software ? 'software (no GPU)' : 'GPU',
      webgpuAvailable: browser.webgl.webgpu,
      modes: o.modes.join(', '),
      runsPerMode: o.runs,
      spawnPerFrame: o.spawn,
      capacity: o.capacity,
      windowSeconds: o.durationMs / 1000,
      warmupSeconds: o.warmupMs / 1000,
      traced: o.trace,
      seed: o.seed,
      cpus: cpus().length,
      loadAverage1mAtStart: Math.round(loadAtStart * 100) / 100,
      loadAverage1mAtEnd: Math.round(loadavg()[0] * 100) / 100,
    };
    const definitions = {
      percentile: PERCENTILE_DEFINITION,
      lowFpsTimeWeighted: LOW_FPS_TIME_WEIGHTED_DEFINITION,
      lowFpsFromPercentile: LOW_FPS_PERCENTILE_DEFINITION,
      ...Object.fromEntries(Object.entries(HITCH_RULES).map(([k, v]) => [`hitch ${k}`, v])),
      stutterTime: 'share of time in frames flagged by any hitch rule',
      gc: 'MinorGC / MajorGC slices on the renderer main thread (CrRendererMain), traced window',
      medians: `median over ${o.runs} run(s) per mode; frame figures from the untraced window`,
    };
    write(
      'profile-summary.json',
      `${JSON.stringify(
        {
          meta,
          definitions,
          medians,
          targets,
          runs: runs.map((r) => ({
            mode: r.mode,
            run: r.run,
            figures: r.figures,
            summary: r.summary,
            tracedSummary: r.traced?.summary,
            gc: r.traced ? { ...r.traced.gc, slices: r.traced.gc.slices } : undefined,
          })),
          allocations,
        },
        (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v),
        2,
      )}\n`,
    );

    const modeReports: ModeReport[] = o.modes.map((mode) => {
      const mine = runs.filter((r) => r.mode === mode);
      const target = medians[mode].p99Ms;
      const mid = [...mine].sort((a, b) => Math.abs(a.figures.p99Ms - target) - Math.abs(b.figures.p99Ms - target))[0];
      const source = mid.traced?.frames ?? mid.frames;
      const gc = mid.traced ? gcPerFrame(mid.traced.gc.slices, mid.traced.frames.tMs) : undefined;
      return {
        mode,
        medians: medians[mode],
        lineRun: {
          tMs: source.tMs,
          frameMs: source.frameMs,
          gcFrames: gc ? gc.count.flatMap((c, i) => (c > 0 ? [i] : [])) : [],
          traced: !!mid.traced,
        },
        allFrameMs: mine.flatMap((r) => r.frames.frameMs),
      };
    });
    // Sites in detail for the pooled mode (our code's target) and the zero-object mode (what
    // Pixi's render path still allocates without per-particle objects); origins for every mode.
    const detailed = o.modes.filter((m) => (m === 'pooled' || m === 'zero-object') && allocations[m]);
    if (detailed.length === 0) detailed.push(...o.modes.filter((m) => allocations[m]).slice(0, 1));
    const html = writeHtmlReport(o.outDir, {
      title: `steadyheap profile: ${o.modes.join(' vs ')}`,
      meta,
      modes: modeReports,
      rows: TABLE_ROWS,
      allocations: Object.keys(allocations).length
        ? { profiles: allocations, detailed, served: samplingServed }
        : undefined,
      targets,
      definitions,
    });
    files.push(html, join(o.outDir, 'chart.umd.min.js'));
    if (o.screenshot) {
      const png = join(o.outDir, 'profile-report.png');
      await screenshotReport(page, html, png);
      files.push(png);
    }
    return { meta, medians, runs, allocations, targets, files, table, targetsText };
  } finally {
    for (const close of closers) await close().catch(() => {});
  }
}
