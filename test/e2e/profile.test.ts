/**
 * A short `npm run profile` in a real browser: the three modes (pooled, naive, zero-object), one
 * run each, windows of a second and a half, tracing and allocation sampling on, reports written to
 * a temp folder. Checks the shapes of what a user reads (CSV columns, summary JSON with the
 * targets, HTML and PNG) and the facts the report stands on (frames measured, GC trace aligned to
 * the page, naive allocating more than pooled and zero-object).
 *
 * Run: `npx vitest run --project e2e test/e2e/profile.test.ts` (about a minute).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../bench/profile/options.ts';
import { runProfile, type ProfileResult } from '../../bench/profile/run-profile.ts';
import { FRAME_CSV_COLUMNS } from '../../src/profile/frame-profiler.ts';

const MODES = ['pooled', 'naive', 'zero-object'];
const outDir = mkdtempSync(join(tmpdir(), 'steadyheap-profile-e2e-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run profile (short run)', () => {
  let result: ProfileResult;
  const lines: string[] = [];

  it('runs the three modes in headless Chromium and prints a line per run', async () => {
    result = await runProfile({
      ...DEFAULT_OPTIONS,
      baseUrl: inject('demoUrl'),
      runs: 1,
      durationMs: 1500,
      warmupMs: 500,
      samplingMs: 1500,
      samplingWarmupMs: 1000,
      outDir,
      log: (line) => lines.push(line),
    });
    expect(DEFAULT_OPTIONS.modes).toEqual(MODES);
    expect(lines.filter((l) => /^\[\d\/3\] (pooled|naive|zero-object) /.test(l))).toHaveLength(3);
    expect(result.runs.map((r) => r.mode)).toEqual(MODES);
    for (const r of result.runs) {
      expect(r.summary.frames).toBeGreaterThan(10);
      expect(r.summary.p50Ms).toBeGreaterThan(0);
      expect(r.traced?.gc.aligned, `${r.mode}: GC trace aligned to the page`).toBe(true);
      expect(r.heapMaxBytes).toBeGreaterThanOrEqual(r.heapMinBytes);
    }
    expect(result.table).toMatch(/p99 \(ms\)/);
  });

  it('writes per-frame CSV with the exact columns, GC columns filled from the trace', () => {
    for (const mode of MODES) {
      for (const name of [`frames-${mode}-run1.csv`, `frames-${mode}-run1-traced.csv`]) {
        const csv = readFileSync(join(outDir, name), 'utf8').trim().split('\n');
        expect(csv[0]).toBe(FRAME_CSV_COLUMNS.join(','));
        expect(csv.length).toBeGreaterThan(10);
        expect(csv[1].split(',')).toHaveLength(FRAME_CSV_COLUMNS.length);
      }
    }
    const naive = result.runs.find((r) => r.mode === 'naive')!;
    const traced = readFileSync(join(outDir, 'frames-naive-run1-traced.csv'), 'utf8').trim().split('\n').slice(1);
    const gcInCsv = traced.reduce((sum, l) => sum + Number(l.split(',')[7]), 0);
    const slicesInWindow = naive.traced!.gc.slices.filter((s) => s.startMs <= naive.traced!.frames.tMs.at(-1)!).length;
    expect(gcInCsv).toBe(slicesInWindow);
  });

  it('writes the summary JSON, the HTML report with Chart.js beside it, and a PNG', () => {
    const json = JSON.parse(readFileSync(join(outDir, 'profile-summary.json'), 'utf8'));
    expect(json.meta.browser).toMatch(/Chrome/);
    expect(json.meta.renderer).toMatch(/webgl/i);
    expect(Object.keys(json.medians)).toEqual(MODES);
    for (const key of [
      'p50Ms',
      'p99Ms',
      'p999Ms',
      'low1PctFps',
      'low1PctFpsFromP99',
      'hitches.any',
      'gcCount',
      'heapMaxMB',
    ]) {
      expect(typeof json.medians.pooled[key], key).toBe('number');
    }
    expect(json.definitions.percentile).toMatch(/type 7/);
    expect(json.targets.map((t: { id: string }) => t.id)).toEqual([
      'pooledOurAllocation',
      'zeroObjectGcShareOfNaive',
      'zeroObjectP99OverP50',
    ]);
    for (const t of json.targets) {
      expect([true, false, null], t.id).toContain(t.met);
      expect(typeof t.limit, t.id).toBe('number');
    }
    expect(result.targetsText).toMatch(/zero-object: p99 \/ p50 frame time: \d+\.\d{3} x \(target <= 1\.25 x\)/);
    const html = readFileSync(join(outDir, 'profile-report.html'), 'utf8');
    expect(html).toContain('<script src="chart.umd.min.js"></script>');
    expect(html).toContain('<h2>Targets</h2>');
    expect(html).toContain('<h3>zero-object: heaviest sites</h3>');
    expect(existsSync(join(outDir, 'chart.umd.min.js'))).toBe(true);
    const png = readFileSync(join(outDir, 'profile-report.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('samples allocations: the naive mode allocates more per frame than the pooled and zero-object modes', () => {
    const { pooled, naive, 'zero-object': zeroObject } = result.allocations;
    expect(pooled.frames).toBeGreaterThan(10);
    expect(zeroObject.frames).toBeGreaterThan(10);
    expect(naive.bytesPerFrame).toBeGreaterThan(pooled.bytesPerFrame);
    expect(naive.bytesPerFrame).toBeGreaterThan(zeroObject.bytesPerFrame);
  });
});
