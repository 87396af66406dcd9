/**
 * The pieces between a profile and what a person reads: gates, the terminal summary, the
 * side-by-side table, profile.json and frames.csv round trips, kept labels, the HTML report.
 * The fixture is a real profile.json and frames.csv written by `steadyheap profile` (2 runs of
 * test/e2e/fixtures/profile/allocates.html).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  keptProfiles,
  parseFramesCsv,
  profileJson,
  readProfileJson,
  writeProfile,
} from '../../../src/profile/browser/output.ts';
import { writeReport } from '../../../src/profile/browser/report.ts';
import { checkGates, fmtBytes, formatComparison, formatSummary } from '../../../src/profile/browser/summary.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const profile = readProfileJson(readFileSync(join(fixtures, 'profile.json'), 'utf8'));
const rows = parseFramesCsv(readFileSync(join(fixtures, 'frames.csv'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'steadyheap-summary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gates', () => {
  it('hold at or under the limit, fail over it, fail when not measured', () => {
    const bpf = profile.allocation.bytesPerFrame;
    const held = checkGates(profile, { maxBytesPerFrame: bpf, maxP99Ms: 1000 });
    expect(held.map((g) => [g.gate, g.held])).toEqual([
      ['maxBytesPerFrame', true],
      ['maxP99Ms', true],
    ]);
    const failed = checkGates(profile, { maxBytesPerFrame: bpf - 1, maxGcMs: 0 });
    expect(failed.map((g) => g.held)).toEqual([false, profile.gc.totalMs === 0]);
    expect(failed[0]).toMatchObject({ flag: '--max-bytes-per-frame', value: bpf, limit: bpf - 1, unit: 'B' });
    const unmeasured = checkGates({ ...profile, gc: { ...profile.gc, totalMs: Number.NaN } }, { maxGcMs: 100 });
    expect(unmeasured[0].held).toBe(false);
    expect(checkGates(profile, {})).toEqual([]);
  });
});

describe('terminal summary', () => {
  it('leads with frames, missed frames with GC, GC, allocation; then gates, packages, sites', () => {
    const text = formatSummary(profile, checkGates(profile, { maxBytesPerFrame: 100 }));
    const lines = text.split('\n');
    expect(lines[0]).toBe(`steadyheap profile "fixture": ${profile.meta.url}`);
    expect(lines[1]).toMatch(/^ {2}2 runs \(medians; spread in brackets\) of 1\.0 s after 1\.0 s warm-up; /);
    expect(lines[3]).toMatch(/^ {2}frames {9}\d+ frames, p50 [\d.]+ ms, p99 [\d.]+ ms \[runs [\d.]+-[\d.]+ ms\], max/);
    expect(lines[4]).toMatch(
      /^ {2}missed frames {2}\d+ over [\d.]+ ms .* \d+ with a GC inside, [\d.]+ ms of GC in them$/,
    );
    expect(lines[5]).toMatch(/^ {2}GC {13}\d+ collections \(\d+ minor, \d+ major\)/);
    expect(lines[6]).toMatch(/^ {2}allocation {5}[\d.,]+ KB ± [\d,]+ B \(95%\) per frame/);
    expect(text).toMatch(
      /\n {2}gates\n {2}FAILED {2}bytes allocated per frame: [\d,]+ B > limit 100 B \(--max-bytes-per-frame\)\n/,
    );
    expect(text).toMatch(/allocating packages and scripts[^\n]*\n +[\d,]+ ± [\d,]+ +\/allocates\.js\n/);
    expect(text).toMatch(/top allocation sites[^\n]*\n +[\d,]+ {2}makeGarbage {2}\/allocates\.js:11\n/);
  });

  it('bytes in B, KB and MB', () => {
    expect(fmtBytes(999)).toBe('999 B');
    expect(fmtBytes(12_345)).toBe('12.3 KB');
    expect(fmtBytes(2_500_000)).toBe('2.5 MB');
    expect(fmtBytes(Number.NaN)).toBe('-');
  });

  it('profiles side by side, one column per label', () => {
    const table = formatComparison([profile, { ...profile, label: 'after' }]).split('\n');
    expect(table[0]).toMatch(/^ +fixture +after$/);
    expect(table.find((l) => l.startsWith('bytes per frame'))).toMatch(/^bytes per frame +[\d,]+ +[\d,]+$/);
  });
});

describe('files', () => {
  it('profile.json round trip: NaN written as null and read back as NaN; rows stay out', () => {
    const withNaN = { ...profile, heap: { ...profile.heap, startBytes: Number.NaN }, rows };
    const text = profileJson(withNaN);
    expect(text).toContain('"startBytes": null');
    expect(text).not.toContain('"rows"');
    expect(readProfileJson(text).heap.startBytes).toBeNaN();
    expect(() => readProfileJson('{"schema":"other"}')).toThrow(/not a steadyheap-profile\/1 file/);
  });

  it('frames.csv parses back into runs of frames', () => {
    expect(rows).toHaveLength(2);
    expect(rows[0][0]).toEqual({
      beginMs: 7.774,
      frameMs: 16.348,
      timestampMs: 7.1,
      rafMs: 0.108,
      callbacks: 1,
      gcCount: 0,
      gcMs: 0,
      missed: false,
      longAnimationFrameMs: 0,
    });
    expect(() => parseFramesCsv('a,b\n1,2')).toThrow(/not a steadyheap frames.csv/);
  });

  it('keeps each label; the report shows the kept labels oldest first, then the new one', () => {
    const out = join(work, 'out');
    const before = { ...profile, label: 'before', meta: { ...profile.meta, date: '2026-01-01T00:00:00.000Z' }, rows };
    const older = { ...profile, label: 'older', meta: { ...profile.meta, date: '2025-01-01T00:00:00.000Z' }, rows };
    writeProfile(out, before);
    writeProfile(out, older);
    mkdirSync(join(out, 'labels', 'not-a-profile'));
    cpSync(join(fixtures, 'frames.csv'), join(out, 'labels', 'not-a-profile', 'frames.csv'));
    const kept = keptProfiles(out, 'after');
    expect(kept.map((k) => k.profile.label)).toEqual(['older', 'before']);
    expect(keptProfiles(out, 'before').map((k) => k.profile.label)).toEqual(['older']);
    const after = { ...profile, label: 'after' };
    const { file, charts } = writeReport(out, [...kept, { profile: after, rows }], {
      gates: checkGates(after, { maxP99Ms: 1 }),
    });
    expect(charts).toBe(true);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<title>steadyheap profile: older vs before vs after</title>');
    expect(html).toContain('<h2>Gates (after)</h2>');
    expect(html).toMatch(/<td class="failed">FAILED<\/td>/);
    expect(html).toContain('<code>makeGarbage</code>');
    expect(readFileSync(join(out, 'chart.umd.min.js'), 'utf8').length).toBeGreaterThan(100_000);
  });
});
