/**
 * Comparing profiles: flattening {@link FrameSummary}s into named figures, taking the median of
 * repeated runs, and printing a side-by-side text table (pooled vs naive, and so on).
 *
 * Browser-safe (no Node imports); used by `npm run profile` and usable from a game's debug UI.
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import type { FrameSummary } from './frame-profiler.js';
import { percentileSorted } from './statistics.js';

/** Throws TypeError unless `value` is an array (failure message names `name`). */
function checkArray(name: string, value: unknown): void {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array, got ${describeValue(value)}`);
}

/** Throws TypeError unless `value` is a non-null object (failure message names `name`). */
function checkObject(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object')
    throw new TypeError(`${name} must be an object, got ${describeValue(value)}`);
}

/** A flat record of named numeric figures for one run (ms, fps, counts, shares). */
export type Figures = Record<string, number>;

/** One row of a comparison table: which figure, its label and how to print it. */
export interface FigureRow {
  /** Key into {@link Figures}. */
  key: string;
  /** Label printed in the first column (put the unit in it: "p99 (ms)"). */
  label: string;
  /** Digits after the decimal point. Default 2. */
  digits?: number;
}

/**
 * Flattens a summary into figures: every numeric field, plus `hitches` as `hitches.<rule>` and
 * `stutterPct` (the stutter time share in percent). O(fields).
 *
 * @throws TypeError when `summary` (or its `hitches`) is not an object.
 */
export function figuresOf(summary: FrameSummary): Figures {
  checkObject('summary', summary);
  checkObject('summary.hitches', summary.hitches);
  const out: Figures = {};
  for (const [key, value] of Object.entries(summary)) {
    if (typeof value === 'number') out[key] = value;
  }
  for (const [rule, count] of Object.entries(summary.hitches)) out[`hitches.${rule}`] = count;
  out.stutterPct = summary.stutterTimeShare * 100;
  return out;
}

/**
 * Median of the finite values (NaN ignored; the mean of the two middle values for an even
 * count). NaN when none is finite. O(n log n); allocates a sorted copy.
 *
 * @throws TypeError when `values` is not an array or holds a non-number (no coercion).
 */
export function median(values: readonly number[]): number {
  checkArray('values', values);
  values.forEach((v, i) => {
    if (typeof v !== 'number') throw new TypeError(`values[${i}] must be a number, got ${describeValue(v)}`);
  });
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = finite.length;
  if (n === 0) return NaN;
  const m = Math.floor(n / 2);
  return n % 2 === 1 ? finite[m] : (finite[m - 1] + finite[m]) / 2;
}

/**
 * The per-key median over several runs: key `k` of the result is `median(runs.map(r => r[k]))`,
 * for every key present in any run. O(keys · runs log runs).
 *
 * @throws TypeError when `runs` is not an array of objects of numbers.
 */
export function medianFigures(runs: readonly Figures[]): Figures {
  checkArray('runs', runs);
  runs.forEach((r, i) => {
    checkObject(`runs[${i}]`, r);
  });
  const keys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r)) keys.add(k);
  const out: Figures = {};
  for (const k of keys) out[k] = median(runs.map((r) => r[k] ?? NaN));
  return out;
}

/**
 * Formats a text table with one column per named set of figures (e.g. one per mode) and one row
 * per {@link FigureRow}; numbers right-aligned, NaN printed as `-`. O(rows · columns).
 *
 * @param columns - `[name, figures]` pairs, left to right.
 * @param rows - the figures to print, top to bottom.
 * @throws TypeError when `columns` is not an array of `[name, figures]` pairs or `rows` not an
 *   array of {@link FigureRow}s; RangeError for `digits` outside [0, 20].
 */
export function formatComparisonTable(
  columns: ReadonlyArray<readonly [string, Figures]>,
  rows: readonly FigureRow[],
): string {
  checkArray('columns', columns);
  columns.forEach((c, i) => {
    if (!Array.isArray(c) || typeof c[0] !== 'string')
      throw new TypeError(`columns[${i}] must be a [name, figures] pair`);
    checkObject(`columns[${i}][1]`, c[1]);
  });
  checkArray('rows', rows);
  rows.forEach((r, i) => {
    checkObject(`rows[${i}]`, r);
    if (typeof r.key !== 'string' || typeof r.label !== 'string') {
      throw new TypeError(`rows[${i}] must have string key and label`);
    }
    if (r.digits !== undefined) checkInteger(`rows[${i}].digits`, r.digits, 0, 20);
  });
  const cells: string[][] = [['', ...columns.map(([name]) => name)]];
  for (const row of rows) {
    cells.push([
      row.label,
      ...columns.map(([, f]) => {
        const v = f[row.key];
        return v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(row.digits ?? 2);
      }),
    ]);
  }
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/**
 * Percentile curve points of a set of frame times for plotting: for each `p` in `percentiles`,
 * the type-7 percentile (see `statistics.ts`). O(n log n); allocates a sorted copy.
 *
 * @throws TypeError when `frameMs` is not an array or typed array of numbers, or `percentiles`
 *   not an array of numbers; RangeError for a percentile outside [0, 100].
 */
export function percentileCurve(frameMs: ArrayLike<number>, percentiles: readonly number[]): number[] {
  if (!Array.isArray(frameMs) && !ArrayBuffer.isView(frameMs)) {
    throw new TypeError(`frameMs must be an array or typed array of numbers, got ${describeValue(frameMs)}`);
  }
  for (let i = 0; i < frameMs.length; i++) {
    if (typeof frameMs[i] !== 'number')
      throw new TypeError(`frameMs[${i}] must be a number, got ${describeValue(frameMs[i])}`);
  }
  checkArray('percentiles', percentiles);
  const sorted = Float64Array.from(frameMs as ArrayLike<number>).sort();
  return percentiles.map((p) => percentileSorted(sorted, sorted.length, p));
}
