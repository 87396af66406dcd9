/**
 * The files of a profile in its output folder:
 *
 * - `profile.json`: the profile (schema in the README, section "profile.json"), numbers that
 *   could not be measured written as `null`;
 * - `frames.csv`: one row per frame and run ({@link FRAMES_CSV_COLUMNS});
 * - `labels/<label>/profile.json` and `labels/<label>/frames.csv`: the same, kept per label, so
 *   a later profile with another label in the same folder is compared side by side with it (a
 *   profile with the same label replaces it);
 * - `report.html` (+ `chart.umd.min.js`) and `report.png`: see `report.ts`.
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRAMES_CSV_COLUMNS, framesCsv, type FrameRow } from './frames.js';
import { PROFILE_SCHEMA, type PageProfile } from './profile.js';
import type { ReportEntry } from './report.js';

/** profile.json text: the profile without its per-frame rows; NaN and infinities as null. */
export function profileJson(profile: PageProfile): string {
  const { rows: _rows, ...rest } = profile;
  return `${JSON.stringify(rest, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** Reads a profile.json back (null figures become NaN). */
export function readProfileJson(text: string): PageProfile {
  const p = JSON.parse(text, (_, v) => (v === null ? Number.NaN : v)) as PageProfile;
  if (p?.schema !== PROFILE_SCHEMA) throw new Error(`not a ${PROFILE_SCHEMA} file (schema ${String(p?.schema)})`);
  return p;
}

/** Parses frames.csv back into rows per run (empty cells, such as an unknown `raf_ms`, as NaN). */
export function parseFramesCsv(text: string): FrameRow[][] {
  const lines = text.trim().split('\n');
  const head = lines[0]?.split(',') ?? [];
  const index = FRAMES_CSV_COLUMNS.map((c) => head.indexOf(c));
  if (index.some((i) => i < 0)) throw new Error('not a steadyheap frames.csv');
  const [run, , begin, frame, stamp, raf, callbacks, gcCount, gcMs, missed, loaf] = index;
  const num = (cell: string | undefined) => (cell === undefined || cell === '' ? Number.NaN : Number(cell));
  const runs: FrameRow[][] = [];
  for (const line of lines.slice(1)) {
    const c = line.split(',');
    const r = Number(c[run]) - 1;
    runs[r] ??= [];
    runs[r].push({
      beginMs: num(c[begin]),
      frameMs: num(c[frame]),
      timestampMs: num(c[stamp]),
      rafMs: num(c[raf]),
      callbacks: num(c[callbacks]),
      gcCount: num(c[gcCount]),
      gcMs: num(c[gcMs]),
      missed: c[missed] === '1',
      longAnimationFrameMs: num(c[loaf]),
    });
  }
  return runs.filter(Boolean);
}

/** Writes profile.json and frames.csv into `dir` (created). Returns the two paths. */
export function writeProfileFiles(dir: string, profile: PageProfile): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'profile.json');
  const csv = join(dir, 'frames.csv');
  writeFileSync(json, profileJson(profile));
  writeFileSync(csv, framesCsv(profile.rows ?? []));
  return [json, csv];
}

/**
 * Writes the profile into `outDir` and keeps it under `labels/<label>/`; returns the files written.
 */
export function writeProfile(outDir: string, profile: PageProfile): string[] {
  const files = writeProfileFiles(outDir, profile);
  writeProfileFiles(join(outDir, 'labels', profile.label), profile);
  return files;
}

/**
 * The profiles kept in `outDir/labels/` other than `exceptLabel`, oldest first, with their rows.
 * Unreadable entries are skipped.
 */
export function keptProfiles(outDir: string, exceptLabel: string): ReportEntry[] {
  const dir = join(outDir, 'labels');
  if (!existsSync(dir)) return [];
  const out: ReportEntry[] = [];
  for (const label of readdirSync(dir)) {
    if (label === exceptLabel) continue;
    try {
      const profile = readProfileJson(readFileSync(join(dir, label, 'profile.json'), 'utf8'));
      const rows = parseFramesCsv(readFileSync(join(dir, label, 'frames.csv'), 'utf8'));
      out.push({ profile, rows });
    } catch {
      // not a profile folder: leave it
    }
  }
  return out.sort((a, b) => a.profile.meta.date.localeCompare(b.profile.meta.date));
}
