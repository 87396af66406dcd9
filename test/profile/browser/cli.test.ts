import { describe, expect, it } from 'vitest';
import {
  EXIT,
  PROFILE_USAGE,
  parseProfileArgs,
  progressLine,
  runProfileCommand,
  UsageError,
} from '../../../src/profile/browser/cli.ts';

describe('steadyheap profile: arguments', () => {
  it('defaults', () => {
    expect(parseProfileArgs(['http://127.0.0.1:8080/'])).toEqual({
      target: 'http://127.0.0.1:8080/',
      durationMs: 10_000,
      warmupMs: 5_000,
      runs: 1,
      outDir: 'steadyheap-profile',
      label: 'profile',
      viewport: { width: 1280, height: 720 },
      headed: false,
      script: undefined,
      gates: { maxBytesPerFrame: undefined, maxGcMs: undefined, maxP99Ms: undefined },
      budgetMs: undefined,
      samplingIntervalBytes: 1024,
      root: undefined,
      port: 0,
      allowPageErrors: false,
      png: true,
      json: false,
    });
  });

  it('every option', () => {
    const c = parseProfileArgs([
      './dist',
      '--duration=2.5',
      '--warmup',
      '0',
      '--runs',
      '3',
      '--out',
      'r',
      '--label',
      'after-fix',
      '--viewport',
      '800x600',
      '--headed',
      '--script',
      'drive.mjs',
      '--max-bytes-per-frame',
      '512',
      '--max-gc-ms',
      '4.5',
      '--max-p99-ms',
      '20',
      '--budget-ms',
      '8.33',
      '--sampling-interval',
      '4096',
      '--root',
      '.',
      '--port',
      '8123',
      '--allow-page-errors',
      '--no-png',
      '--json',
    ]);
    expect(c).toMatchObject({
      target: './dist',
      durationMs: 2500,
      warmupMs: 0,
      runs: 3,
      outDir: 'r',
      label: 'after-fix',
      viewport: { width: 800, height: 600 },
      headed: true,
      script: 'drive.mjs',
      gates: { maxBytesPerFrame: 512, maxGcMs: 4.5, maxP99Ms: 20 },
      budgetMs: 8.33,
      samplingIntervalBytes: 4096,
      root: '.',
      port: 8123,
      allowPageErrors: true,
      png: false,
      json: true,
    });
    expect(parseProfileArgs(['-h'])).toBe('help');
  });

  it('--help documents every option', () => {
    for (const flag of [
      '--duration',
      '--warmup',
      '--runs',
      '--out',
      '--label',
      '--viewport',
      '--headed',
      '--script',
      '--max-bytes-per-frame',
      '--max-gc-ms',
      '--max-p99-ms',
      '--budget-ms',
      '--sampling-interval',
      '--root',
      '--port',
      '--allow-page-errors',
      '--no-png',
      '--json',
      '--help',
    ]) {
      expect(PROFILE_USAGE, flag).toContain(`${flag} `);
    }
    expect(PROFILE_USAGE).toMatch(/Exit codes: 0 every gate holds, 1 a gate failed, 2 usage error/);
  });

  it('usage errors name the option and the value', () => {
    const bad = (args: string[]) => () => parseProfileArgs(args);
    expect(bad(['x', '--bogus'])).toThrow(UsageError);
    expect(bad(['x', '--bogus'])).toThrow(/--bogus/);
    expect(bad([])).toThrow(/give the page to profile/);
    expect(bad(['a', 'b'])).toThrow(/one page at a time/);
    expect(bad(['x', '--runs', '0'])).toThrow('--runs must be an integer in [1, 100], got 0');
    expect(bad(['x', '--runs', '1.5'])).toThrow(/--runs/);
    expect(bad(['x', '--duration', 'ten'])).toThrow('--duration must be a number in [0.5, 3600], got ten');
    expect(bad(['x', '--viewport', '800'])).toThrow(/--viewport must be WIDTHxHEIGHT/);
    expect(bad(['x', '--label', 'a/b'])).toThrow(/--label/);
    expect(bad(['x', '--max-gc-ms', '-1'])).toThrow(/--max-gc-ms/);
    expect(bad(['x', '--headed=yes'])).toThrow(UsageError);
  });

  it('runProfileCommand: exit 2 with the reason for a usage error, 0 with the text for --help', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), interactive: false };
    expect(await runProfileCommand(['--bogus'], io)).toBe(EXIT.usageOrPage);
    expect(err.join('')).toMatch(
      /^steadyheap profile: .*--bogus.*\nRun `steadyheap profile --help` for the options\.\n$/s,
    );
    expect(await runProfileCommand(['localhost:5173'], io)).toBe(EXIT.usageOrPage);
    expect(err.join('')).toMatch(/write it as a URL, http:\/\/localhost:5173/);
    expect(await runProfileCommand(['/no/such/folder'], io)).toBe(EXIT.usageOrPage);
    expect(await runProfileCommand(['http://127.0.0.1:1/', '--root', '.'], io)).toBe(EXIT.usageOrPage);
    expect(err.join('')).toMatch(/--root serves a folder/);
    expect(await runProfileCommand(['README.md', '--root', 'test'], io)).toBe(EXIT.usageOrPage);
    expect(await runProfileCommand(['--help'], io)).toBe(EXIT.ok);
    expect(out.join('')).toBe(PROFILE_USAGE);
  });

  it('progress lines say the phase, time and frames or heap', () => {
    expect(progressLine({ run: 1, runs: 1, phase: 'warm-up', phaseElapsedMs: 1500, phaseMs: 5000, frames: 90 })).toBe(
      'warming up 1.5/5.0 s, 90 frames so far',
    );
    expect(
      progressLine({ run: 2, runs: 3, phase: 'measuring', phaseElapsedMs: 250, phaseMs: 10_000, heapBytes: 12.34e6 }),
    ).toBe('run 2/3: measuring 0.3/10.0 s, JS heap 12.3 MB');
  });
});
