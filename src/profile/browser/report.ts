/**
 * The HTML report of one or more labelled profiles, side by side: a card per label with the
 * headline figures, the gates, a frame-time graph with GC markers and the budget, a frame-time
 * histogram and a percentile curve (labels overlaid), a comparison table, bytes per frame by
 * package and script, and the top allocation sites with their call paths. Charts are drawn by
 * Chart.js (its UMD file is copied beside the report, so the report opens offline); without
 * Chart.js installed the report keeps its tables. `screenshotReport` photographs it to PNG.
 *
 * @module
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { percentileSorted } from '../statistics.js';
import { MISSED_FRAME_FACTOR, type FrameRow } from './frames.js';
import type { PageProfile } from './profile.js';
import { bytesPerFrameText, COMPARISON_ROWS, fmt, fmtBytes, type GateVerdict } from './summary.js';

/** Colours given to labels in order. */
export const LABEL_COLORS: readonly string[] = ['#1971c2', '#e8590c', '#2b8a3e', '#9c36b5', '#c92a2a', '#0c8599'];

/** Percentiles at which the percentile curve is drawn (denser in the tail). */
export const CURVE_PERCENTILES: readonly number[] = [
  ...Array.from({ length: 90 }, (_, i) => i),
  ...Array.from({ length: 90 }, (_, i) => 90 + i / 10),
  ...Array.from({ length: 10 }, (_, i) => 99 + i / 10),
  99.95,
];

/** A profile with its per-frame rows (one array per run). */
export interface ReportEntry {
  profile: PageProfile;
  rows: readonly (readonly Pick<FrameRow, 'beginMs' | 'frameMs' | 'gcCount' | 'missed'>[])[];
}

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Verdicts of the gates set for the profile labelled `gatesLabel` (default: the last entry's). */
  gates?: readonly GateVerdict[];
  gatesLabel?: string;
  /** Allocation sites listed per label. Default 10. */
  topSites?: number;
  /** Report title. Default `steadyheap profile: <label> vs <label>`. */
  title?: string;
  /** HTML placed after the cards (a caller's own checks, for example). Trusted: not escaped. */
  sectionHtml?: string;
}

/** The Chart.js UMD file, or undefined when chart.js is not installed. */
export function chartJsFile(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve('chart.js');
    return join(dirname(main), 'chart.umd.min.js');
  } catch {
    return undefined;
  }
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** Frame times in 1 ms bins from 0 to `maxMs` (the last bin takes the rest), in % of frames. */
export function histogramPercent(frameMs: readonly number[], maxMs: number): number[] {
  const bins = new Array<number>(maxMs).fill(0);
  for (const v of frameMs) bins[Math.min(maxMs - 1, Math.max(0, Math.floor(v)))]++;
  return bins.map((c) => (frameMs.length ? (100 * c) / frameMs.length : 0));
}

/** Frame time at each of `percentiles` (type-7 definition). O(n log n). */
export function percentileCurve(frameMs: readonly number[], percentiles: readonly number[]): number[] {
  const sorted = Float64Array.from(frameMs).sort();
  return percentiles.map((p) => percentileSorted(sorted, sorted.length, p));
}

function card(p: PageProfile, color: string): string {
  const f = p.frames;
  return `<div class="card" style="border-top-color:${color}">
  <div class="label">${esc(p.label)}</div>
  <div class="big">${fmt(f.p99Ms, 1)} <small>ms p99</small></div>
  <div>p50 ${fmt(f.p50Ms, 1)} ms · max ${fmt(f.maxMs, 1)} ms · ${fmt(f.avgFps, 1)} fps</div>
  <div><b>${fmt(f.missed)}</b> missed frames, <b>${fmt(p.gc.missedFramesWithGc)}</b> with a GC inside (${fmt(p.gc.gcMsInMissedFrames, 1)} ms)</div>
  <div>GC ${fmt(p.gc.count)} × · ${fmt(p.gc.totalMs, 1)} ms paused · longest ${fmt(p.gc.maxMs, 1)} ms</div>
  <div>${esc(bytesPerFrameText(p.allocation))} per frame</div>
  <div>page work p50 ${fmt(f.raf.p50Ms, 2)} / p99 ${fmt(f.raf.p99Ms, 2)} ms · heap ${fmtBytes(p.heap.minBytes)}–${fmtBytes(p.heap.maxBytes)}</div>
</div>`;
}

function sitesTable(p: PageProfile, topN: number): string {
  const sites = p.allocation.sites.slice(0, topN);
  if (!sites.length) return `<p class="note">${esc(p.label)}: no allocation sampled.</p>`;
  return `<table class="sites"><tr><th>bytes/frame</th><th>±95%</th><th>function</th><th>where</th><th>owner</th><th>called from</th></tr>
${sites
  .map(
    (s) =>
      `<tr><td class="num">${fmt(s.bytesPerFrame)}</td><td class="num">${fmt(s.error95BytesPerFrame)}</td><td><code>${esc(s.functionName)}</code>${s.oneOff ? ' <span title="sampled at one moment per run: a one-off, not a per-frame allocation (V8 installing optimized code is charged to the frame running then)">(one-off)</span>' : ''}</td><td><code>${esc(s.line > 0 ? `${s.script}:${s.line}` : s.script)}</code></td><td>${esc(s.owner)}</td><td class="callers">${s.callers.slice(0, 2).map(esc).join(' ← ')}</td></tr>`,
  )
  .join('\n')}</table>`;
}

/**
 * Writes `report.html` (and `chart.umd.min.js` when Chart.js is installed) into `outDir`.
 *
 * @param entries - the profiles to show, in column order (oldest first: before, then after).
 * @returns the HTML file's path and whether the charts could be included.
 */
export function writeReport(
  outDir: string,
  entries: readonly ReportEntry[],
  options: ReportOptions = {},
): { file: string; charts: boolean } {
  const gates = options.gates ?? [];
  const gatesLabel = options.gatesLabel ?? entries[entries.length - 1]?.profile.label ?? '';
  const topSites = options.topSites ?? 10;
  const chartJs = chartJsFile();
  if (chartJs) copyFileSync(chartJs, join(outDir, 'chart.umd.min.js'));
  const color = (i: number) => LABEL_COLORS[i % LABEL_COLORS.length];
  const all = entries.map((e) => e.rows.flat().map((r) => r.frameMs));
  const p999 = Math.max(40, ...all.map((ms) => percentileCurve(ms, [99.9])[0] || 0));
  const histMaxMs = Math.min(100, Math.ceil(p999 / 10) * 10 + 10);
  const data = {
    yMaxMs: Math.ceil((p999 * 1.2) / 10) * 10,
    histMaxMs,
    budgets: entries.map((e) => e.profile.frames.budgetMs),
    missedFactor: MISSED_FRAME_FACTOR,
    labels: entries.map((e, i) => {
      const run1 = e.rows[0] ?? [];
      return {
        label: e.profile.label,
        color: color(i),
        line: run1.map((r) => ({ x: r.beginMs / 1000, y: r.frameMs })),
        gc: run1.filter((r) => r.gcCount > 0).map((r) => ({ x: r.beginMs / 1000, y: r.frameMs })),
        hist: histogramPercent(all[i], histMaxMs),
        curve: percentileCurve(all[i], CURVE_PERCENTILES).map((y, k) => ({
          x: -Math.log10(1 - CURVE_PERCENTILES[k] / 100),
          y,
        })),
      };
    }),
  };
  const profiles = entries.map((e) => e.profile);
  const compare = `<table><tr><th></th>${profiles.map((p, i) => `<th style="color:${color(i)}">${esc(p.label)}</th>`).join('')}</tr>
${COMPARISON_ROWS.map((r) => `<tr><td${r.label.startsWith(' ') ? ' class="sub"' : ''}>${esc(r.label.trim())}</td>${profiles.map((p) => `<td class="num">${r.value(p)}</td>`).join('')}</tr>`).join('\n')}</table>`;
  const owners = [...new Set(profiles.flatMap((p) => p.allocation.byPackage.map((o) => o.package)))];
  const ownerRows = owners
    .map((o) => ({
      o,
      values: profiles.map((p) => p.allocation.byPackage.find((b) => b.package === o)),
    }))
    .sort((a, b) => (b.values[0]?.bytesPerFrame ?? 0) - (a.values[0]?.bytesPerFrame ?? 0))
    .slice(0, 20);
  const byPackage = `<table><tr><th>package or script</th>${profiles.map((p, i) => `<th style="color:${color(i)}">${esc(p.label)}</th>`).join('')}</tr>
${ownerRows.map(({ o, values }) => `<tr><td><code>${esc(o)}</code></td>${values.map((v) => `<td class="num">${v ? `${fmt(v.bytesPerFrame)} <span class="pm">± ${fmt(v.error95BytesPerFrame)}</span>` : '–'}</td>`).join('')}</tr>`).join('\n')}</table>`;
  const gatesHtml = gates.length
    ? `<h2>Gates (${esc(gatesLabel)})</h2><table class="gates"><tr><th>gate</th><th>measured</th><th>limit</th><th>verdict</th></tr>
${gates.map((g) => `<tr><td>${esc(g.label)} <code>${g.flag}</code></td><td class="num">${Number.isFinite(g.value) ? fmt(g.value, g.unit === 'B' ? 0 : 2) : 'not measured'} ${g.unit}</td><td class="num">≤ ${fmt(g.limit, g.unit === 'B' ? 0 : 2)} ${g.unit}</td><td class="${g.held ? 'held' : 'failed'}">${g.held ? 'held' : 'FAILED'}</td></tr>`).join('\n')}</table>`
    : '';
  const metaHtml = profiles
    .map((p, i) => {
      const m = p.meta;
      return `<div class="meta"><b style="color:${color(i)}">${esc(p.label)}</b> <span>${esc(m.url)}</span> <span>${esc(m.date)}</span> <span>${m.runs} run(s) × ${fmt(m.durationS, 1)} s after ${fmt(m.warmupS, 1)} s warm-up</span> <span>${esc(m.browser)}</span> <span>${esc(m.renderer.renderer || m.renderer.api)}${m.renderer.software ? ' (software)' : ''}</span> <span>${m.viewport.width}×${m.viewport.height}</span> <span>load ${fmt(m.machine.loadAverage1m.start, 2)}→${fmt(m.machine.loadAverage1m.end, 2)} on ${m.machine.cpus} CPUs</span> <span>${esc(m.tool)}</span></div>`;
    })
    .join('\n');
  const title = options.title ?? `steadyheap profile: ${profiles.map((p) => p.label).join(' vs ')}`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 1240px; margin: 0 auto; padding: 22px 28px 40px; }
  h1 { font-size: 23px; margin: 0 0 6px; } h2 { font-size: 16px; margin: 24px 0 8px; }
  .meta { color: #4a5363; font-size: 12px; display: flex; flex-wrap: wrap; gap: 2px 12px; }
  .cards { display: flex; gap: 14px; margin: 14px 0 6px; }
  .card { flex: 1; background: #fff; border-radius: 8px; padding: 11px 15px; border-top: 5px solid; box-shadow: 0 1px 3px #0001; font-size: 13px; }
  .card .label { font-weight: 700; text-transform: uppercase; letter-spacing: .04em; font-size: 12px; color: #4a5363; }
  .card .big { font-size: 27px; font-weight: 700; } .card small { font-size: 13px; font-weight: 400; color: #4a5363; }
  .panel { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 3px #0001; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; margin-top: 14px; }
  .chart { position: relative; height: 290px; } .wide .chart { height: 310px; }
  table { border-collapse: collapse; background: #fff; border-radius: 8px; overflow: hidden; box-shadow: 0 1px 3px #0001; }
  th, td { padding: 4px 11px; text-align: left; border-bottom: 1px solid #eceef2; font-variant-numeric: tabular-nums; font-size: 13px; }
  td.num, th.num { text-align: right; } td.sub { padding-left: 26px; color: #4a5363; } .pm { color: #868e96; font-size: 11.5px; }
  table.sites td { font-size: 12.5px; } td.callers { color: #4a5363; font-size: 11.5px; }
  td.held { color: #2b8a3e; font-weight: 700; } td.failed { color: #c92a2a; font-weight: 700; }
  .note { color: #4a5363; font-size: 12.5px; } code { font-size: 12px; }
  .cols { display: grid; grid-template-columns: auto 1fr; gap: 18px; align-items: start; }
</style></head>
<body><main>
<h1>${esc(title)}</h1>
${metaHtml}
<div class="cards">${profiles.map((p, i) => card(p, color(i))).join('\n')}</div>
${gatesHtml}
${options.sectionHtml ?? ''}
${
  chartJs
    ? `<div class="panel wide" style="margin-top:14px"><div class="chart"><canvas id="line"></canvas></div>
<div class="note">Frame time of run 1 of each label, frame by frame; ▲ marks a frame in which the page's main thread collected garbage. Dashed: the frame budget and ${MISSED_FRAME_FACTOR}× it (above that line a frame is missed). Frames above the top of the axis are clipped (see max).</div></div>
<div class="grid">
  <div class="panel"><div class="chart"><canvas id="hist"></canvas></div><div class="note">Share of frames per 1 ms bin, all runs; the last bin holds everything longer.</div></div>
  <div class="panel"><div class="chart"><canvas id="curve"></canvas></div><div class="note">Frame time at each percentile, all runs, on a "nines" axis (p90, p99, p99.9 equally spaced): flat is steady, the rise at the right is the hitches.</div></div>
</div>`
    : '<p class="note">Charts need Chart.js: install it beside steadyheap (<code>npm install --save-dev chart.js</code>) and profile again.</p>'
}
<h2>Side by side</h2>
<div class="cols">${compare}
<div class="note"><p><b>Frame</b>: from the start of one frame's requestAnimationFrame callbacks to the next's. <b>Missed</b>: longer than ${MISSED_FRAME_FACTOR}× the budget (the median frame time unless set). <b>GC</b>: MinorGC / MajorGC pauses on the page's main thread, from a Chrome trace, each placed on the frame it started in. <b>Bytes per frame</b>: V8's sampling heap profiler with objects collected by minor and major GC included, sampled bytes divided by frames, with the 95% margin of the sampling. <b>Page work</b>: time inside the page's requestAnimationFrame callbacks. Figures over several runs are medians; allocation pools the runs.</p></div></div>
<h2>Bytes per frame by package and script</h2>
${byPackage}
${profiles.map((p, i) => `<h2 style="color:${color(i)}">${esc(p.label)}: top allocation sites</h2>${sitesTable(p, topSites)}`).join('\n')}
</main>
${
  chartJs
    ? `<script src="chart.umd.min.js"></script>
<script>
const data = ${JSON.stringify(data)};
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#4a5363';
const xMax = Math.max(0.001, ...data.labels.map((l) => l.line.length ? l.line[l.line.length - 1].x : 0));
const budget = data.budgets[0];
const hline = (y, label, color, x1) => ({ label, data: [{ x: 0, y }, { x: x1, y }], borderColor: color, borderDash: [6, 4], borderWidth: 1.2, pointRadius: 0, type: 'line' });
new Chart(document.getElementById('line'), {
  type: 'line',
  data: { datasets: [
    ...data.labels.map((l) => ({ label: l.label + ' frame time', data: l.line, borderColor: l.color, backgroundColor: l.color, borderWidth: 1.1, pointRadius: 0 })),
    ...data.labels.map((l) => ({ label: l.label + ' GC', data: l.gc, type: 'scatter', pointStyle: 'triangle', pointRadius: 7, borderWidth: 1.5, borderColor: '#212529', backgroundColor: l.color })),
    hline(budget, 'budget ' + budget.toFixed(1) + ' ms', '#868e96', xMax),
    hline(budget * data.missedFactor, 'missed above ' + (budget * data.missedFactor).toFixed(1) + ' ms', '#c92a2a', xMax),
  ] },
  options: { maintainAspectRatio: false, parsing: false, normalized: true,
    scales: { x: { type: 'linear', title: { display: true, text: 'time in the measured window (s)' }, min: 0, max: xMax },
              y: { title: { display: true, text: 'frame time (ms)' }, min: 0, max: data.yMaxMs } },
    plugins: { title: { display: true, text: 'Frame time, GC marked', font: { size: 15 } }, legend: { position: 'bottom' } } },
});
new Chart(document.getElementById('hist'), {
  type: 'bar',
  data: { labels: data.labels[0].hist.map((_, i) => i === data.histMaxMs - 1 ? '≥' + i : String(i)),
    datasets: data.labels.map((l) => ({ label: l.label, data: l.hist, backgroundColor: l.color + 'b0', borderColor: l.color, borderWidth: 1, barPercentage: 1, categoryPercentage: 0.9 })) },
  options: { maintainAspectRatio: false,
    scales: { x: { title: { display: true, text: 'frame time (ms, 1 ms bins)' } }, y: { type: 'logarithmic', title: { display: true, text: '% of frames (log)' } } },
    plugins: { title: { display: true, text: 'Frame-time histogram', font: { size: 15 } }, legend: { position: 'bottom' } } },
});
const ninesMax = -Math.log10(1 - 99.95 / 100);
const ticks = [[0, 'p0'], [-Math.log10(0.5), 'p50'], [1, 'p90'], [-Math.log10(0.05), 'p95'], [2, 'p99'], [3, 'p99.9']];
new Chart(document.getElementById('curve'), {
  type: 'line',
  data: { datasets: [
    ...data.labels.map((l) => ({ label: l.label, data: l.curve, borderColor: l.color, backgroundColor: l.color, borderWidth: 2, pointRadius: 0 })),
    hline(budget, 'budget', '#868e96', ninesMax),
  ] },
  options: { maintainAspectRatio: false, parsing: false,
    scales: { x: { type: 'linear', min: 0, max: ninesMax, afterBuildTicks: (a) => { a.ticks = ticks.map(([v]) => ({ value: v })); },
                   ticks: { callback: (v) => (ticks.find(([t]) => Math.abs(t - v) < 1e-9) || [0, ''])[1] }, title: { display: true, text: 'percentile' } },
              y: { min: 0, max: data.yMaxMs, title: { display: true, text: 'frame time (ms)' } } },
    plugins: { title: { display: true, text: 'Percentile curve', font: { size: 15 } }, legend: { position: 'bottom' } } },
});
</script>`
    : ''
}
</body></html>
`;
  const file = join(outDir, 'report.html');
  writeFileSync(file, html);
  return { file, charts: !!chartJs };
}

/** Opens the report in `browser` and writes a full-page PNG of it. */
export async function screenshotReport(browser: Browser, htmlFile: string, pngFile: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    await page.waitForTimeout(200);
    await page.screenshot({ path: pngFile, fullPage: true });
  } finally {
    await context.close().catch(() => {});
  }
}
