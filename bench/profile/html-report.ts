/**
 * The HTML report of `npm run profile`: a card per mode, the issue's targets with their verdicts,
 * a frame-time line graph with 16.7 / 33.3 ms budget lines and GC markers, a frame-time histogram
 * and a percentile curve overlaying the modes, the median table, allocation by origin for every
 * mode and the allocation sites of the pooled and zero-object modes, and the run metadata. Drawn with Chart.js (its UMD build is copied
 * next to the report, so the report opens offline), and photographed to PNG in Chromium.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { percentileCurve, type FigureRow, type Figures } from '../../src/profile/report.ts';
import type { AllocationProfile } from './sampling.ts';
import { verdictWord, type TargetCheck } from './targets.ts';

/** Colour per mode (the same in every chart). */
export const MODE_COLORS: Record<string, string> = {
  pooled: '#2b8a3e',
  naive: '#e8590c',
  'zero-object': '#1971c2',
};

/** Percentiles at which the percentile curve is drawn. */
export const CURVE_PERCENTILES = [
  ...Array.from({ length: 90 }, (_, i) => i), // 0..89
  ...Array.from({ length: 90 }, (_, i) => 90 + i / 10), // 90..98.9
  ...Array.from({ length: 10 }, (_, i) => 99 + i / 10), // 99..99.9
  99.95,
];

/** Where percentile `p` sits on the curve's "nines" axis: 0 at p0, 1 at p90, 2 at p99, 3 at p99.9. */
export function ninesOf(p: number): number {
  return -Math.log10(1 - p / 100);
}

/** What the report shows for one mode. */
export interface ModeReport {
  mode: string;
  medians: Figures;
  /** The run whose p99 is the median (shown in the line graph), traced window. */
  lineRun: { tMs: number[]; frameMs: number[]; gcFrames: number[]; traced: boolean };
  /** Frame times of every run's untraced window, pooled. */
  allFrameMs: number[];
}

/** Inputs of {@link writeHtmlReport}. */
export interface ReportInput {
  title: string;
  meta: Record<string, string | number | boolean>;
  modes: ModeReport[];
  rows: readonly FigureRow[];
  /**
   * Allocation profiles by mode; `detailed` lists the modes whose sites are tabled (the others
   * get a line in the by-origin table); `served` says how the sampled pages were served.
   */
  allocations?: { profiles: Record<string, AllocationProfile>; detailed: string[]; served: string };
  /** The issue's targets (`targets.ts`); omitted: no targets section. */
  targets?: readonly TargetCheck[];
  definitions: Record<string, unknown>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function fmt(v: number | undefined, digits = 2): string {
  return v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** Histogram of frame times in 1 ms bins from 0 to `maxMs` (the last bin takes everything above), in % of frames. */
export function histogramPercent(frameMs: readonly number[], maxMs: number): number[] {
  const bins = new Array<number>(maxMs).fill(0);
  for (const v of frameMs) bins[Math.min(maxMs - 1, Math.max(0, Math.floor(v)))]++;
  return bins.map((c) => (frameMs.length ? (100 * c) / frameMs.length : 0));
}

/**
 * Writes `profile-report.html` and `chart.umd.min.js` into `outDir`.
 *
 * @returns the path of the HTML file.
 */
export function writeHtmlReport(outDir: string, input: ReportInput): string {
  const require = createRequire(import.meta.url);
  const chartUmd = join(require.resolve('chart.js').replace(/chart\.cjs$/, ''), 'chart.umd.min.js');
  copyFileSync(chartUmd, join(outDir, 'chart.umd.min.js'));
  const histMaxMs = Math.max(
    40,
    Math.min(100, Math.ceil(Math.max(...input.modes.map((m) => m.medians.p999Ms || 0)) / 10) * 10 + 10),
  );
  // Clip the y axes a little above the worst p99.9 so one freak frame does not flatten the rest.
  const yMaxMs = Math.max(40, Math.ceil((Math.max(...input.modes.map((m) => m.medians.p999Ms || 0)) * 1.2) / 10) * 10);
  const data = {
    budgets: [1000 / 60, 2000 / 60],
    yMaxMs,
    histMaxMs,
    curvePercentiles: CURVE_PERCENTILES,
    modes: input.modes.map((m) => ({
      mode: m.mode,
      color: MODE_COLORS[m.mode] ?? '#555',
      line: m.lineRun.tMs.map((t, i) => ({ x: t / 1000, y: m.lineRun.frameMs[i] })),
      gc: m.lineRun.gcFrames.map((i) => ({ x: m.lineRun.tMs[i] / 1000, y: m.lineRun.frameMs[i] })),
      traced: m.lineRun.traced,
      hist: histogramPercent(m.allFrameMs, histMaxMs),
      curve: percentileCurve(m.allFrameMs, CURVE_PERCENTILES).map((y, i) => ({ x: ninesOf(CURVE_PERCENTILES[i]), y })),
    })),
  };
  const head = `<tr><th></th>${input.modes.map((m) => `<th style="color:${MODE_COLORS[m.mode] ?? '#555'}">${escapeHtml(m.mode)}</th>`).join('')}</tr>`;
  const body = input.rows
    .map(
      (r) =>
        `<tr><td${r.label.startsWith(' ') ? ' class="sub"' : ''}>${escapeHtml(r.label.trim())}</td>${input.modes.map((m) => `<td>${fmt(m.medians[r.key], r.digits ?? 2)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const cards = input.modes
    .map(
      (m) => `<div class="card" style="border-top-color:${MODE_COLORS[m.mode] ?? '#555'}">
  <div class="mode">${escapeHtml(m.mode)}</div>
  <div class="big">${fmt(m.medians.p99Ms, 1)} <small>ms p99</small></div>
  <div>p50 ${fmt(m.medians.p50Ms, 1)} ms · max ${fmt(m.medians.maxMs, 1)} ms</div>
  <div>1% low ${fmt(m.medians.low1PctFps, 0)} fps · hitches ${fmt(m.medians['hitches.any'], 0)}</div>
  <div>GC ${fmt(m.medians.gcCount, 0)} × · ${fmt(m.medians.gcTotalMs, 1)} ms paused</div>
</div>`,
    )
    .join('\n');
  const alloc = input.allocations;
  const origins = alloc
    ? [...new Set(Object.values(alloc.profiles).flatMap((p) => Object.keys(p.byOrigin)))].sort()
    : [];
  const sitesHtml = (mode: string, profile: AllocationProfile) => `<h3>${escapeHtml(mode)}: heaviest sites</h3>
<table class="sites"><tr><th>bytes/frame</th><th>origin</th><th>function</th><th>where</th><th>called from</th></tr>
${profile.topSites
  .map(
    (s) =>
      `<tr><td>${fmt(s.bytesPerFrame, 0)}</td><td>${escapeHtml(s.origin)}</td><td><code>${escapeHtml(s.functionName)}</code></td><td><code>${escapeHtml(s.where)}</code></td><td class="callers">${s.callers.map(escapeHtml).join(' ← ')}</td></tr>`,
  )
  .join('\n')}
</table>
<p class="note"><b>In our code</b> (steadyheap and the demo), ${escapeHtml(mode)}: ${
    profile.ourSites.length === 0
      ? 'no sample in the window: under one sampling interval per window, i.e. effectively zero per frame.'
      : profile.ourSites
          .slice(0, 8)
          .map(
            (s) =>
              `<code>${escapeHtml(s.functionName)}</code> (${escapeHtml(s.where)}) ${fmt(s.bytesPerFrame, 0)} B/frame`,
          )
          .join('; ')
  }</p>`;
  const allocHtml = alloc
    ? `<h2>Where each frame allocates</h2>
<p class="note">CDP allocation sampling (<code>HeapProfiler.startSampling</code>, objects collected by minor and major GC included),
one sample per ${Object.values(alloc.profiles)[0]?.samplingIntervalBytes ?? '?'} bytes on average, served ${escapeHtml(alloc.served)},
with the page's overlay and CPU-time probe off (<code>?overlay=0&amp;cpu=0</code>: the probe's two <code>performance.now()</code> calls
return heap numbers the browser allocates, 32 B/frame, attributed to the demo's frame function).
Sampled bytes per frame by owner of the allocating code:</p>
<table><tr><th>mode</th><th>frames</th>${origins.map((o) => `<th>${escapeHtml(o)}</th>`).join('')}<th>total</th></tr>
${Object.entries(alloc.profiles)
  .map(
    ([mode, p]) =>
      `<tr><td style="color:${MODE_COLORS[mode] ?? '#555'};font-weight:600">${escapeHtml(mode)}</td><td>${p.frames}</td>${origins
        .map((o) => `<td>${fmt(p.byOrigin[o] ?? 0, 0)}</td>`)
        .join('')}<td><b>${fmt(p.bytesPerFrame, 0)}</b></td></tr>`,
  )
  .join('\n')}
</table>
${alloc.detailed.map((m) => sitesHtml(m, alloc.profiles[m])).join('\n')}`
    : '';
  const targetsHtml = input.targets
    ? `<h2>Targets</h2>
<table class="targets"><tr><th>target</th><th>measured</th><th>limit</th><th>verdict</th><th>how</th></tr>
${input.targets
  .map(
    (t) =>
      `<tr><td>${escapeHtml(t.label)}</td><td>${fmt(t.value, t.unit === 'x' ? 3 : t.unit === '%' ? 1 : 0)} ${escapeHtml(t.unit)}</td><td>≤ ${t.limit} ${escapeHtml(t.unit)}</td><td class="${t.met === null ? 'na' : t.met ? 'met' : 'missed'}">${verdictWord(t.met)}</td><td class="how">${escapeHtml(t.detail)}</td></tr>`,
  )
  .join('\n')}
</table>`
    : '';
  const meta = Object.entries(input.meta)
    .map(([k, v]) => `<span><b>${escapeHtml(k)}</b> ${escapeHtml(String(v))}</span>`)
    .join(' ');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 40px; }
  h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 26px 0 8px; }
  .meta { color: #4a5363; font-size: 12.5px; display: flex; flex-wrap: wrap; gap: 4px 14px; margin-bottom: 16px; }
  .cards { display: flex; gap: 14px; margin: 12px 0 6px; }
  .card { flex: 1; background: #fff; border-radius: 8px; padding: 12px 16px; border-top: 5px solid; box-shadow: 0 1px 3px #0001; }
  .card .mode { font-weight: 700; text-transform: uppercase; letter-spacing: .04em; font-size: 12px; color: #4a5363; }
  .card .big { font-size: 28px; font-weight: 700; } .card small { font-size: 13px; font-weight: 400; color: #4a5363; }
  .panel { background: #fff; border-radius: 8px; padding: 14px 16px; box-shadow: 0 1px 3px #0001; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; margin-top: 14px; }
  .chart { position: relative; height: 300px; } .wide .chart { height: 320px; }
  table { border-collapse: collapse; background: #fff; border-radius: 8px; overflow: hidden; box-shadow: 0 1px 3px #0001; }
  th, td { padding: 4px 12px; text-align: right; border-bottom: 1px solid #eceef2; font-variant-numeric: tabular-nums; }
  td:first-child, th:first-child { text-align: left; } table.sites td, table.sites th { text-align: left; font-size: 12.5px; }
  td.callers { color: #4a5363; font-size: 11.5px; } td.sub { padding-left: 28px; color: #4a5363; }
  .note { color: #4a5363; font-size: 12.5px; } code { font-size: 12px; }
  .cols { display: grid; grid-template-columns: auto 1fr; gap: 20px; align-items: start; }
  .defs { font-size: 12px; color: #4a5363; } .defs li { margin-bottom: 3px; }
  h3 { font-size: 14px; margin: 18px 0 6px; }
  table.targets td { text-align: left; } td.how { color: #4a5363; font-size: 12px; max-width: 560px; }
  td.met { color: #2b8a3e; font-weight: 700; } td.missed { color: #c92a2a; font-weight: 700; } td.na { color: #868e96; }
</style></head>
<body><main>
<h1>${escapeHtml(input.title)}</h1>
<div class="meta">${meta}</div>
<div class="cards">${cards}</div>
${targetsHtml}
<div class="panel wide" style="margin-top:14px"><div class="chart"><canvas id="line"></canvas></div>
<div class="note">Frames above the top of the axis are clipped (see max in the table). Frame time of the median run of each mode (traced window: triangles mark frames in which the renderer main thread ran a GC). Dashed: 16.7 ms (60 fps) and 33.3 ms (30 fps) budgets.</div></div>
<div class="grid">
  <div class="panel"><div class="chart"><canvas id="hist"></canvas></div><div class="note">Share of frames per 1 ms bin, all runs (untraced windows); the last bin holds everything longer.</div></div>
  <div class="panel"><div class="chart"><canvas id="curve"></canvas></div><div class="note">Frame time at each percentile, all runs (untraced windows), on a "nines" axis that widens the tail (p90, p99, p99.9 equally spaced). Flat is steady; the rise at the right is the hitches.</div></div>
</div>
<h2>Median of runs</h2>
<div class="cols"><table>${head}${body}</table>
<ul class="defs">${Object.entries(input.definitions)
    .map(([k, v]) => `<li><b>${escapeHtml(k)}</b>: ${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</li>`)
    .join('')}</ul></div>
${allocHtml}
</main>
<script src="chart.umd.min.js"></script>
<script>
const data = ${JSON.stringify(data)};
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#4a5363';
const budgetDatasets = (xMax) => data.budgets.map((b, i) => ({
  label: i === 0 ? '16.7 ms budget (60 fps)' : '33.3 ms (30 fps)', data: [{ x: 0, y: b }, { x: xMax, y: b }],
  borderColor: i === 0 ? '#868e96' : '#c92a2a', borderDash: [6, 4], borderWidth: 1.2, pointRadius: 0, type: 'line' }));
const xMax = Math.max(...data.modes.map((m) => m.line.length ? m.line[m.line.length - 1].x : 0));
new Chart(document.getElementById('line'), {
  type: 'line',
  data: { datasets: [
    ...data.modes.map((m) => ({ label: m.mode + ' frame time', data: m.line, borderColor: m.color, backgroundColor: m.color, borderWidth: 1.1, pointRadius: 0 })),
    ...data.modes.map((m) => ({ label: m.mode + ' GC', data: m.gc, type: 'scatter', pointStyle: 'triangle', pointRadius: 7, borderWidth: 1.5, borderColor: '#212529', backgroundColor: m.color })),
    ...budgetDatasets(xMax),
  ] },
  options: { maintainAspectRatio: false, parsing: false, normalized: true,
    scales: { x: { type: 'linear', title: { display: true, text: 'time in window (s)' }, min: 0, max: xMax },
              y: { title: { display: true, text: 'frame time (ms)' }, min: 0, max: data.yMaxMs } },
    plugins: { title: { display: true, text: 'Frame time', font: { size: 15 } }, legend: { position: 'bottom' } } },
});
new Chart(document.getElementById('hist'), {
  type: 'bar',
  data: { labels: data.modes[0].hist.map((_, i) => i === data.histMaxMs - 1 ? '≥' + i : String(i)),
    datasets: data.modes.map((m) => ({ label: m.mode, data: m.hist, backgroundColor: m.color + 'b0', borderColor: m.color, borderWidth: 1, barPercentage: 1, categoryPercentage: 0.9 })) },
  options: { maintainAspectRatio: false,
    scales: { x: { title: { display: true, text: 'frame time (ms, 1 ms bins)' } }, y: { type: 'logarithmic', title: { display: true, text: '% of frames (log)' } } },
    plugins: { title: { display: true, text: 'Frame-time histogram', font: { size: 15 } }, legend: { position: 'bottom' } } },
});
const ninesMax = -Math.log10(1 - 99.95 / 100);
const ninesTicks = [[0, 'p0'], [-Math.log10(0.5), 'p50'], [1, 'p90'], [-Math.log10(0.05), 'p95'], [2, 'p99'], [3, 'p99.9']];
new Chart(document.getElementById('curve'), {
  type: 'line',
  data: { datasets: [
    ...data.modes.map((m) => ({ label: m.mode, data: m.curve, borderColor: m.color, backgroundColor: m.color, borderWidth: 2, pointRadius: 0 })),
    ...budgetDatasets(ninesMax),
  ] },
  options: { maintainAspectRatio: false, parsing: false,
    scales: { x: { type: 'linear', min: 0, max: ninesMax, title: { display: true, text: 'percentile of frames (nines scale)' },
                   afterBuildTicks: (axis) => { axis.ticks = ninesTicks.map(([v]) => ({ value: v })); },
                   ticks: { callback: (v) => (ninesTicks.find(([x]) => Math.abs(x - v) < 1e-9) || [0, ''])[1] } },
              y: { min: 0, max: data.yMaxMs, title: { display: true, text: 'frame time (ms)' } } },
    plugins: { title: { display: true, text: 'Percentile curve', font: { size: 15 } }, legend: { position: 'bottom' } } },
});
window.__chartsReady = true;
</script>
</body></html>
`;
  const path = join(outDir, 'profile-report.html');
  writeFileSync(path, html);
  return path;
}

/** Opens the report in Chromium and writes a full-page PNG next to it. */
export async function screenshotReport(page: Page, htmlPath: string, pngPath: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(resolve(htmlPath)).href);
  await page.waitForFunction('window.__chartsReady === true', null, { timeout: 30_000 });
  await page.screenshot({ path: pngPath, fullPage: true });
}
