/**
 * What a person reads first: the gates' verdicts and a short text summary of a profile (the
 * terminal output of `steadyheap profile`), and a side-by-side table of several labelled
 * profiles.
 *
 * @module
 */
import type { PageProfile } from './profile.js';

/** The gates `steadyheap profile` can check. A limit is inclusive: a figure equal to it holds. */
export interface GateLimits {
  /** Most bytes allocated per frame (sampled, whole page). */
  maxBytesPerFrame?: number;
  /** Longest GC pause total over the measured window, ms. */
  maxGcMs?: number;
  /** Longest 99th-percentile frame time, ms. */
  maxP99Ms?: number;
}

/** One gate's verdict. */
export interface GateVerdict {
  /** The option that set it. */
  gate: keyof GateLimits;
  /** Its command-line flag. */
  flag: string;
  label: string;
  /** Measured figure (NaN when it could not be measured: the gate fails). */
  value: number;
  limit: number;
  unit: string;
  held: boolean;
}

const GATES: ReadonlyArray<{
  gate: keyof GateLimits;
  flag: string;
  label: string;
  unit: string;
  value: (p: PageProfile) => number;
}> = [
  {
    gate: 'maxBytesPerFrame',
    flag: '--max-bytes-per-frame',
    label: 'bytes allocated per frame',
    unit: 'B',
    value: (p) => p.allocation.bytesPerFrame,
  },
  { gate: 'maxGcMs', flag: '--max-gc-ms', label: 'GC pause total', unit: 'ms', value: (p) => p.gc.totalMs },
  { gate: 'maxP99Ms', flag: '--max-p99-ms', label: 'p99 frame time', unit: 'ms', value: (p) => p.frames.p99Ms },
];

/** Checks the given gates on a profile (figures as in profile.json: medians over runs). O(gates). */
export function checkGates(profile: PageProfile, limits: GateLimits): GateVerdict[] {
  const out: GateVerdict[] = [];
  for (const g of GATES) {
    const limit = limits[g.gate];
    if (limit === undefined) continue;
    const value = g.value(profile);
    out.push({
      gate: g.gate,
      flag: g.flag,
      label: g.label,
      value,
      limit,
      unit: g.unit,
      held: Number.isFinite(value) && value <= limit,
    });
  }
  return out;
}

/** A number with thousands separators and `digits` decimals; '-' for NaN. */
export function fmt(v: number, digits = 0): string {
  if (!Number.isFinite(v)) return '-';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Bytes in B, KB or MB (1 KB = 1,000 B). */
export function fmtBytes(v: number): string {
  if (!Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1e6) return `${fmt(v / 1e6, 1)} MB`;
  if (a >= 1e4) return `${fmt(v / 1e3, 1)} KB`;
  return `${fmt(v, 0)} B`;
}

/** The bytes-per-frame figure with its 95% margin, or its upper bound when nothing was sampled. */
export function bytesPerFrameText(a: PageProfile['allocation']): string {
  if (a.samples === 0) return `0 B (no sample: under ${fmtBytes(a.upperBound95BytesPerFrame)} at 95%)`;
  return `${fmtBytes(a.bytesPerFrame)} ± ${fmtBytes(a.error95BytesPerFrame)} (95%)`;
}

function spreadText(p: PageProfile, path: string, digits: number, unit: string): string {
  const s = p.spread[path];
  if (!s || p.runs.length < 2 || !Number.isFinite(s.min)) return '';
  return ` [runs ${fmt(s.min, digits)}-${fmt(s.max, digits)}${unit}]`;
}

/** The verdicts as lines (empty when no gate was set). */
export function formatGates(verdicts: readonly GateVerdict[]): string[] {
  return verdicts.map((v) => {
    const value = Number.isFinite(v.value) ? `${fmt(v.value, v.unit === 'B' ? 0 : 2)} ${v.unit}` : 'not measured';
    return `  ${v.held ? 'held  ' : 'FAILED'}  ${v.label}: ${value} ${v.held ? '<=' : '>'} limit ${fmt(v.limit, v.unit === 'B' ? 0 : 2)} ${v.unit} (${v.flag})`;
  });
}

/**
 * The terminal summary: headline figures first (frames, missed frames with a GC inside, GC,
 * allocation, page work, heap), then the gates' verdicts, the top allocating packages and sites,
 * and warnings (load, page errors). O(sites).
 */
export function formatSummary(p: PageProfile, verdicts: readonly GateVerdict[] = [], topN = 5): string {
  const m = p.meta;
  const f = p.frames;
  const g = p.gc;
  const a = p.allocation;
  const runs = m.runs === 1 ? '1 run' : `${m.runs} runs (medians; spread in brackets)`;
  const lines: string[] = [
    `steadyheap profile "${p.label}": ${m.url}`,
    `  ${runs} of ${fmt(m.durationS, 1)} s after ${fmt(m.warmupS, 1)} s warm-up; ${m.browser}, ${m.renderer.api === 'none' ? 'no WebGL' : `${m.renderer.renderer}${m.renderer.software ? ' (software)' : ''}`}; ${m.viewport.width}x${m.viewport.height}; load ${fmt(m.machine.loadAverage1m.start, 2)} -> ${fmt(m.machine.loadAverage1m.end, 2)} on ${m.machine.cpus} CPUs`,
    '',
    `  frames         ${fmt(f.count)} frames, p50 ${fmt(f.p50Ms, 1)} ms, p99 ${fmt(f.p99Ms, 1)} ms${spreadText(p, 'frames.p99Ms', 1, ' ms')}, max ${fmt(f.maxMs, 1)} ms; ${fmt(f.avgFps, 1)} fps, 1% low ${fmt(f.low1PctFps, 1)} fps`,
    `  missed frames  ${fmt(f.missed)} over ${fmt(1.5 * f.budgetMs, 1)} ms (1.5 x the ${fmt(f.budgetMs, 1)} ms budget)${spreadText(p, 'frames.missed', 0, '')}; ${fmt(g.missedFramesWithGc)} with a GC inside, ${fmt(g.gcMsInMissedFrames, 1)} ms of GC in them`,
    `  GC             ${fmt(g.count)} collections (${fmt(g.minor)} minor, ${fmt(g.major)} major)${spreadText(p, 'gc.count', 0, '')}, ${fmt(g.totalMs, 1)} ms paused${spreadText(p, 'gc.totalMs', 1, ' ms')}, longest ${fmt(g.maxMs, 1)} ms`,
    `  allocation     ${bytesPerFrameText(a)} per frame${spreadText(p, 'allocation.bytesPerFrame', 0, ' B')}, sampled over ${fmt(a.frames)} frames`,
    `  page work      p50 ${fmt(f.raf.p50Ms, 2)} ms, p99 ${fmt(f.raf.p99Ms, 2)} ms per frame inside requestAnimationFrame callbacks`,
    `  JS heap        ${fmtBytes(p.heap.minBytes)} - ${fmtBytes(p.heap.maxBytes)}`,
    `  hitches        ${fmt(f.hitches.any)} (over 2x the rolling median ${fmt(f.hitches.twiceRollingMedian)}, jumps over budget ${fmt(f.hitches.jumpOverBudget)}, over 50 ms ${fmt(f.hitches.over50Ms)}); long animation frames ${f.longAnimationFrames.supported ? fmt(f.longAnimationFrames.count) : 'not supported'}`,
  ];
  if (verdicts.length) lines.push('', '  gates', ...formatGates(verdicts));
  const owners = a.byPackage.slice(0, topN);
  if (owners.length) {
    lines.push('', '  allocating packages and scripts (bytes per frame, 95% margin)');
    for (const o of owners) {
      lines.push(`    ${fmt(o.bytesPerFrame).padStart(10)} ± ${fmt(o.error95BytesPerFrame).padEnd(8)} ${o.package}`);
    }
  }
  const sites = a.sites.slice(0, topN);
  if (sites.length) {
    lines.push('', '  top allocation sites (bytes per frame)');
    for (const s of sites) {
      lines.push(
        `    ${fmt(s.bytesPerFrame).padStart(10)}  ${s.functionName}  ${s.line > 0 ? `${s.script}:${s.line}` : s.script}${s.oneOff ? '  (one-off: sampled at one moment per run)' : ''}`,
      );
    }
  }
  const warnings: string[] = [];
  if (m.machine.loadAverage1m.start > m.machine.cpus || m.machine.loadAverage1m.end > m.machine.cpus) {
    warnings.push(
      `the machine was busy (load average above its ${m.machine.cpus} CPUs): other work shows up as missed frames`,
    );
  }
  const errors = p.runs.flatMap((r) => r.pageErrors);
  if (errors.length)
    warnings.push(`the page threw ${errors.length} uncaught exception(s): ${errors[0].split('\n')[0]}`);
  if (!g.traced) warnings.push('the trace could not be aligned with the page: GC and page-work figures are missing');
  for (const w of warnings) lines.push('', `  warning: ${w}`);
  return lines.join('\n');
}

/** Rows of the side-by-side comparison: label and how to read the figure from a profile. */
export const COMPARISON_ROWS: ReadonlyArray<{ label: string; value: (p: PageProfile) => string }> = [
  { label: 'frames', value: (p) => fmt(p.frames.count) },
  { label: 'p50 frame (ms)', value: (p) => fmt(p.frames.p50Ms, 1) },
  { label: 'p99 frame (ms)', value: (p) => fmt(p.frames.p99Ms, 1) },
  { label: 'max frame (ms)', value: (p) => fmt(p.frames.maxMs, 1) },
  { label: 'missed frames', value: (p) => fmt(p.frames.missed) },
  { label: '  with a GC inside', value: (p) => fmt(p.gc.missedFramesWithGc) },
  { label: '  GC ms inside them', value: (p) => fmt(p.gc.gcMsInMissedFrames, 1) },
  { label: 'GC count', value: (p) => fmt(p.gc.count) },
  { label: 'GC pause total (ms)', value: (p) => fmt(p.gc.totalMs, 1) },
  { label: 'GC pause max (ms)', value: (p) => fmt(p.gc.maxMs, 1) },
  { label: 'bytes per frame', value: (p) => fmt(p.allocation.bytesPerFrame) },
  { label: '  95% margin', value: (p) => fmt(p.allocation.error95BytesPerFrame) },
  { label: 'page work p50 (ms)', value: (p) => fmt(p.frames.raf.p50Ms, 2) },
  { label: 'page work p99 (ms)', value: (p) => fmt(p.frames.raf.p99Ms, 2) },
  { label: 'JS heap max (MB)', value: (p) => fmt(p.heap.maxBytes / 1e6, 1) },
];

/** Profiles side by side as a text table, one column per label. O(rows × profiles). */
export function formatComparison(profiles: readonly PageProfile[]): string {
  const cells = [
    ['', ...profiles.map((p) => p.label)],
    ...COMPARISON_ROWS.map((r) => [r.label, ...profiles.map((p) => r.value(p))]),
  ];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells
    .map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}
