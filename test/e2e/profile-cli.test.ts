/**
 * `steadyheap profile` as a user runs it: a separate process on the fixture pages, its exit codes
 * both ways (gates holding and failing, a page without animation frames), the files it writes,
 * and two labels compared side by side. A second and a half of profiling per run.
 *
 * Run: `npx vitest run --project e2e test/e2e/profile-cli.test.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FRAMES_CSV_COLUMNS } from '../../src/profile/browser/frames.ts';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures', 'profile');
const out = mkdtempSync(join(tmpdir(), 'steadyheap-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function steadyheap(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/bin/steadyheap.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const short = ['--warmup', '1', '--duration', '1.5', '--out', out];

describe('steadyheap profile (command line)', () => {
  it('exit 0 when every gate holds; writes profile.json, frames.csv, report.html and report.png', () => {
    const r = steadyheap(
      'profile',
      join(fixtures, 'allocates.html'),
      ...short,
      '--label',
      'before',
      '--max-bytes-per-frame',
      '1000000',
      '--max-p99-ms',
      '1000',
    );
    expect(r.stderr).toMatch(/measuring/);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^steadyheap profile "before": http:\/\/127\.0\.0\.1:\d+\/allocates\.html/);
    expect(r.stdout).toMatch(
      /held {4}bytes allocated per frame: [\d,]+ B <= limit 1,000,000 B \(--max-bytes-per-frame\)/,
    );
    const json = JSON.parse(readFileSync(join(out, 'profile.json'), 'utf8'));
    expect(json.schema).toBe('steadyheap-profile/1');
    expect(json.label).toBe('before');
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['meta', 'frames', 'gc', 'allocation', 'heap', 'spread', 'runs', 'definitions']),
    );
    expect(json.allocation.sites[0]).toMatchObject({
      functionName: 'makeGarbage',
      url: expect.stringMatching(/allocates\.js$/),
      line: 11,
    });
    expect(json.allocation.sites[0].bytesPerFrame).toBeGreaterThan(10_000);
    expect(json.allocation.byScript[0].script).toBe('/allocates.js');
    expect(json.allocation.byPackage[0].package).toBe('/allocates.js');
    expect(typeof json.gc.missedFramesWithGc).toBe('number');
    expect(json.meta.machine.loadAverage1m.start).toBeGreaterThanOrEqual(0);
    const csv = readFileSync(join(out, 'frames.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(FRAMES_CSV_COLUMNS.join(','));
    expect(csv.length).toBe(json.frames.count + 1);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<script src="chart.umd.min.js"></script>');
    const png = readFileSync(join(out, 'report.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(existsSync(join(out, 'labels', 'before', 'profile.json'))).toBe(true);
  });

  it('exit 1 when a gate fails, printing the figure and the limit; a second label is compared with the first', () => {
    const r = steadyheap(
      'profile',
      join(fixtures, 'allocates.html'),
      ...short,
      '--label',
      'after',
      '--max-bytes-per-frame',
      '100',
      '--no-png',
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAILED {2}bytes allocated per frame: [\d,]+ B > limit 100 B \(--max-bytes-per-frame\)/);
    expect(r.stdout).toMatch(/side by side with the profiles kept in/);
    expect(r.stdout).toMatch(/ +before +after\n/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<title>steadyheap profile: before vs after</title>');
    expect(html).toContain('<h2>Gates (after)</h2>');
  });

  it('exit 2 with the reason for a page without animation frames', () => {
    const r = steadyheap(
      'profile',
      join(fixtures, 'no-animation-frames.html'),
      '--warmup',
      '1',
      '--duration',
      '1',
      '--out',
      out,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /steadyheap profile: the page could not be profiled: no frames seen: the page did not call requestAnimationFrame in the 1 s after it loaded/,
    );
  });

  it('--script drives the page: setup clicks Play (no frame before), play presses keys during the window', () => {
    const page = join(fixtures, 'press-play.html');
    const without = steadyheap('profile', page, '--warmup', '1', '--duration', '1', '--out', out, '--no-png');
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/no frames seen/);
    const r = steadyheap(
      'profile',
      page,
      ...short,
      '--label',
      'scripted',
      '--no-png',
      '--script',
      join(fixtures, 'press-play.mjs'),
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const m = /press-play script: (\d+) presses sent, (\d+) seen by the page/.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(5);
    expect(Number(m?.[2])).toBe(Number(m?.[1]));
    expect(JSON.parse(readFileSync(join(out, 'profile.json'), 'utf8')).frames.count).toBeGreaterThan(30);
  });

  it('exit 2 for a usage error; the top-level help lists the command', () => {
    const r = steadyheap('profile', fixtures, '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--frobnicate/);
    const help = steadyheap('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/profile <url \| folder \| page\.html>/);
    expect(steadyheap('frobnicate').code).toBe(2);
  });
});
