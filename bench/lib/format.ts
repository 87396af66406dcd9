/**
 * Terminal output of `npm run bench`: figures as people write them (`9.31 ns`, `83.6 µs`, `2.24x`,
 * `<= 2x`, `>= 300x`) and plain aligned tables. The JSON results keep the raw numbers.
 *
 * @module
 */
import type { CaseResult, RatioResult, SuiteResult } from './harness.ts';

/** `n` with 3 significant digits, no exponent, no trailing zeros: `0.9`, `2.24`, `356`, `12,345`. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return String(+n.toPrecision(3));
}

/** A duration given in nanoseconds, in the largest unit under 1000: `9.31 ns`, `83.6 µs`, `1.2 s`. */
export function formatNs(ns: number): string {
  if (ns < 1e3) return `${formatNumber(ns)} ns`;
  if (ns < 1e6) return `${formatNumber(ns / 1e3)} µs`;
  if (ns < 1e9) return `${formatNumber(ns / 1e6)} ms`;
  return `${formatNumber(ns / 1e9)} s`;
}

/** A rate with an SI suffix, 3 significant digits: `241M`, `70.8M`, `24.8k`, `950`. */
export function formatRate(perSec: number): string {
  if (perSec >= 1e9) return `${formatNumber(perSec / 1e9)}G`;
  if (perSec >= 1e6) return `${formatNumber(perSec / 1e6)}M`;
  if (perSec >= 1e3) return `${formatNumber(perSec / 1e3)}k`;
  return formatNumber(perSec);
}

/** A ratio's value as its table shows it: `2.24x` (time) or `356x` (speed: `1 / value`). */
export function formatRatio(r: Pick<RatioResult, 'value' | 'shownAs'>): string {
  return `${formatNumber(r.shownAs === 'speed' ? 1 / r.value : r.value)}x`;
}

/** A ratio's target as people write it: `<= 2x` (time), `>= 300x` (speed); `''` without one. */
export function formatTarget(r: Pick<RatioResult, 'targetMax' | 'shownAs'>): string {
  if (r.targetMax === undefined) return '';
  return r.shownAs === 'speed' ? `>= ${formatNumber(1 / r.targetMax)}x` : `<= ${formatNumber(r.targetMax)}x`;
}

/** A verdict: `met`, `MISSED`, or `''` without a target. */
export function formatVerdict(r: Pick<RatioResult, 'meetsTarget'>): string {
  return r.meetsTarget === null ? '' : r.meetsTarget ? 'met' : 'MISSED';
}

/**
 * A plain text table: a header row, a rule, then the rows; columns padded to their widest cell,
 * right-aligned where `right[i]` is true (numbers), left-aligned otherwise.
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly boolean[],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** One progress line for a measured case: `pool  3  StructPool alloc+free, 1 field  9.31 ns/op  ±0.6%  (12 s)`. */
export function formatProgress(suite: string, index: number, c: CaseResult, elapsedMs: number): string {
  return `  ${suite} ${String(index).padStart(3)}  ${c.name}: ${formatNs(c.nsPerOp)}/op ±${c.rmePct.toFixed(1)}%  (${Math.round(elapsedMs / 1000)} s)`;
}

/** A value on one line: objects as `key value, key value`, arrays joined with commas. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return value.map(inline).join(', ');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k} ${inline(v)}`)
      .join(', ');
  }
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** Notes as indented `key: value` lines; objects one level deep, long ones summarised. */
function formatNotes(notes: Record<string, unknown>, indent = '  '): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(notes)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length > 12) {
        lines.push(`${indent}${key}: ${entries.length} entries (in the results file)`);
        continue;
      }
      lines.push(`${indent}${key}:`);
      for (const [k, v] of entries) lines.push(`${indent}  ${k}: ${inline(v)}`);
    } else {
      lines.push(`${indent}${key}: ${inline(value)}`);
    }
  }
  return lines;
}

/** A suite's result for the terminal: its cases, its ratios with targets and verdicts, its notes. */
export function formatSuite(result: SuiteResult): string {
  const out = [`\n## ${result.suite}\n`];
  out.push(
    formatTable(
      ['case', 'time/op (median)', 'ops/s', '±% (rme)', 'samples'],
      result.cases.map((c) => [
        c.name,
        formatNs(c.nsPerOp),
        formatRate(c.opsPerSec),
        c.rmePct.toFixed(1),
        formatNumber(c.samples),
      ]),
      [false, true, true, true, true],
    ),
  );
  if (result.ratios.length) {
    out.push('');
    out.push(
      formatTable(
        ['ratio (cases of this run)', 'value', 'target', 'verdict'],
        result.ratios.map((r) => [r.name, formatRatio(r), formatTarget(r), formatVerdict(r)]),
        [false, true, false, false],
      ),
    );
  }
  if (result.notes && Object.keys(result.notes).length) out.push('', 'notes:', ...formatNotes(result.notes));
  return out.join('\n');
}
