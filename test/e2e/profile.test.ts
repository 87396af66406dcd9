/**
 * A short `npm run profile` in a real browser: every demo mode, one run each, a second and a
 * half measured, served by the test's static build. Checks what the report stands on (each mode
 * profiled by the engine, frames seen, the trace aligned) and the files a user reads (a profile
 * per mode, the targets, the report with the modes side by side and its PNG), and that naive mode
 * allocates more than the others.
 *
 * Run: `npx vitest run --project e2e test/e2e/profile.test.ts` (about half a minute).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MODES } from '../../bench/profile/demo.ts';
import { DEFAULT_DEMO_OPTIONS, runDemoProfile, type DemoProfileResult } from '../../bench/profile/run-demo.ts';

const outDir = mkdtempSync(join(tmpdir(), 'steadyheap-demo-profile-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('npm run profile (short run)', () => {
  let result: DemoProfileResult;
  const lines: string[] = [];

  it('profiles every mode with the engine and prints a line per run', async () => {
    result = await runDemoProfile({
      ...DEFAULT_DEMO_OPTIONS,
      serve: { url: inject('demoUrl') },
      runs: 1,
      warmupMs: 1000,
      durationMs: 1500,
      outDir,
      log: (line) => lines.push(line),
    });
    expect(lines.filter((l) => /^\[\d\/\d\] \S+ +run 1: \d+ frames/.test(l))).toHaveLength(MODES.length);
    for (const mode of MODES) {
      const p = result.profiles[mode];
      expect(p.label).toBe(mode);
      expect(p.meta.url).toContain(`mode=${mode}`);
      // Frames were seen and measured; how many a 1.5 s window holds depends on the machine's load
      // (about 90 on a quiet run, 18 seen at load 8.7), which no unit test may depend on.
      expect(p.frames.count, mode).toBeGreaterThan(5);
      expect(p.gc.traced, `${mode}: trace aligned`).toBe(true);
      expect(p.frames.raf.p50Ms, mode).toBeGreaterThan(0);
      // The demo's loop is never inlined into the probe, so next to nothing is reported there: at
      // most 5% of the page's bytes (naive mode: a page loop charged to the probe would be tens of
      // KB a frame), or 2 KB a frame, whichever is more. V8 charges to the innermost JavaScript
      // frame what the heap allocates for its own work at that frame's interrupt checks (finishing
      // optimized code, plenty in a 1 s warm-up): up to about 0.8 KB a frame seen in zero-garbage
      // mode, whose whole page allocates little.
      const probe = p.allocation.byPackage.find((o) => o.kind === 'probe')?.bytesPerFrame ?? 0;
      expect(probe, `${mode}: bytes per frame reported in the probe`).toBeLessThan(
        Math.max(0.05 * p.allocation.bytesPerFrame, 2048),
      );
    }
  });

  it('naive mode allocates more per frame than the pooled, instanced and zero-garbage modes', () => {
    const { pooled, naive, instanced, 'zero-garbage': zero } = result.profiles;
    expect(naive.allocation.bytesPerFrame).toBeGreaterThan(pooled.allocation.bytesPerFrame);
    expect(naive.allocation.bytesPerFrame).toBeGreaterThan(instanced.allocation.bytesPerFrame);
    expect(naive.allocation.bytesPerFrame).toBeGreaterThan(zero.allocation.bytesPerFrame);
  });

  it('writes a profile per mode, the targets, and one report with the modes side by side', () => {
    for (const mode of MODES) {
      const json = JSON.parse(readFileSync(join(outDir, 'labels', mode, 'profile.json'), 'utf8'));
      expect(json.schema).toBe('steadyheap-profile/1');
      expect(existsSync(join(outDir, 'labels', mode, 'frames.csv'))).toBe(true);
    }
    const targets = JSON.parse(readFileSync(join(outDir, 'targets.json'), 'utf8')) as { id: string; met: unknown }[];
    expect(targets.map((t) => t.id)).toEqual([
      'naiveGcsPer30s',
      'zeroGarbageGcs',
      'zeroGarbageBytesPerFrame',
      'ourBytesPerFrame',
      'zeroGarbageMissedFramesWithGc',
      'zeroGarbageGcShareOfNaive',
    ]);
    for (const t of targets) expect([true, false, null]).toContain(t.met);
    // Served as a bundle: our code cannot be told from PixiJS, and the verdict says so.
    const ours = result.targets.find((t) => t.id === 'ourBytesPerFrame');
    expect(ours?.met).toBeNull();
    expect(ours?.detail).toMatch(/served as a bundle/);
    // A 1.5 s naive window holds too few GC events to compare pauses against.
    expect(result.targets.find((t) => t.id === 'zeroGarbageGcShareOfNaive')?.met).toBeNull();
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain(`<title>steadyheap particle demo: ${MODES.join(' vs ')}</title>`);
    expect(html).toContain('<h2>Verdicts</h2>');
    const png = readFileSync(join(outDir, 'report.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
