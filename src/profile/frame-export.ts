/**
 * Per-frame export of {@link FrameProfiler}'s ring as CSV (one row per held frame), with
 * optional GC figures from outside (a browser trace aligned to frames).
 *
 * @module
 */
import { checkInteger, describeValue } from '../errors.js';
import { MAX_COUNT, checkMs } from './frame-limits.js';
import type { FrameRing } from './frame-ring.js';
// Referenced from the docs ({@link}) only.
import type { FrameProfiler } from './frame-profiler.js';

/** Per-frame GC figures supplied from outside (for example from a Chromium trace), oldest held frame first. */
export interface PerFrameGc {
  count: ArrayLike<number>;
  ms: ArrayLike<number>;
}

/** The CSV header written by {@link FrameProfiler.toCSV}. */
export const FRAME_CSV_COLUMNS = [
  'frame',
  't_ms',
  'frame_ms',
  'cpu_ms',
  'live',
  'spawned',
  'freed',
  'gc_count',
  'gc_ms',
] as const;

/**
 * Per-frame CSV of the held frames of `ring`, oldest first, with the header
 * {@link FRAME_CSV_COLUMNS}; `gc` (validated) replaces the noted GC figures. O(n); allocates the
 * string.
 *
 * @throws as {@link FrameProfiler.toCSV}.
 */
export function framesToCsv(ring: FrameRing, gc: PerFrameGc | undefined): string {
  const n = ring.held;
  if (gc !== undefined) checkPerFrameGc(gc, n);
  const lines: string[] = [FRAME_CSV_COLUMNS.join(',')];
  const firstFrame = ring.recorded - n;
  for (let k = 0; k < n; k++) {
    const s = ring.slotOf(k);
    const cpu = ring.cpuMs[s];
    const gcCount = gc ? gc.count[k] : ring.gcCount[s];
    const gcMs = gc ? gc.ms[k] : ring.gcMs[s];
    lines.push(
      `${firstFrame + k},${round3(ring.tMs[s])},${round3(ring.frameMs[s])},${cpu === cpu ? round3(cpu) : ''},` +
        `${ring.live[s]},${ring.spawned[s]},${ring.freed[s]},${gcCount},${round3(gcMs)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Validates the `gc` argument of `toCSV` (O(n)); throws TypeError / RangeError naming the entry. */
function checkPerFrameGc(gc: unknown, n: number): void {
  if (gc === null || typeof gc !== 'object')
    throw new TypeError(`gc must be an object { count, ms }, got ${describeValue(gc)}`);
  const { count, ms } = gc as { count?: unknown; ms?: unknown };
  for (const [name, column] of [
    ['gc.count', count],
    ['gc.ms', ms],
  ] as const) {
    if (column === null || typeof column !== 'object' || typeof (column as { length?: unknown }).length !== 'number') {
      throw new TypeError(`${name} must be an array or typed array of numbers, got ${describeValue(column)}`);
    }
  }
  const counts = count as ArrayLike<unknown>;
  const pauses = ms as ArrayLike<unknown>;
  if (counts.length < n || pauses.length < n) {
    throw new RangeError(`toCSV: gc.count and gc.ms need ${n} entries, got ${counts.length} and ${pauses.length}`);
  }
  for (let k = 0; k < n; k++) checkInteger(`gc.count[${k}]`, counts[k], 0, MAX_COUNT);
  for (let k = 0; k < n; k++) checkMs(`gc.ms[${k}]`, pauses[k] as number, false);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
