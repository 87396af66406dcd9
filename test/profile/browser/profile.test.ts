import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  figureAt,
  medianOfShapes,
  mergeSamplingProfiles,
  resolveOptions,
} from '../../../src/profile/browser/profile.ts';
import { aggregateAllocations } from '../../../src/profile/browser/allocation.ts';
import { serveFolder, type FolderServer } from '../../../src/profile/browser/serve.ts';

describe('profile helpers', () => {
  it('medianOfShapes takes the median of every numeric leaf, NaN ignored', () => {
    const m = medianOfShapes([
      { a: 1, b: { c: 10, d: Number.NaN }, s: 'x', ok: true },
      { a: 5, b: { c: 30, d: 2 }, s: 'y', ok: false },
      { a: 3, b: { c: 20, d: Number.NaN }, s: 'z', ok: false },
      { a: 4, b: { c: 40, d: 4 }, s: 'w', ok: false },
    ]);
    expect(m).toEqual({ a: 3.5, b: { c: 25, d: 3 }, s: 'x', ok: true });
    expect(figureAt(m, 'b.c')).toBe(25);
    expect(figureAt(m, 'b.nope.x')).toBeUndefined();
  });

  it('mergeSamplingProfiles pools runs: sums equal the runs added up, node ids stay distinct', () => {
    const run = (selfSize: number) => ({
      head: {
        callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 },
        selfSize: 0,
        id: 1,
        children: [
          {
            callFrame: { functionName: 'f', url: 'http://h/a.js', lineNumber: 1, columnNumber: 1 },
            selfSize,
            id: 2,
            children: [],
          },
        ],
      },
      samples: [{ size: selfSize, nodeId: 2, ordinal: 1 }],
    });
    const merged = mergeSamplingProfiles([run(4096), run(2048)]);
    const a = aggregateAllocations(merged, 20, 1024);
    expect(a.totalBytes).toBe(6144);
    expect(a.sites).toHaveLength(1);
    expect(a.sites[0].samples).toBe(2);
    expect(a.sites[0].bytesPerFrame).toBe(6144 / 20);
    // Each run's ordinals follow the previous run's with a gap: one moment per run, a one-off.
    expect(merged.samples?.map((s) => s.ordinal)).toEqual([1, 4]);
    expect(a.sites[0]).toMatchObject({ moments: 2, oneOff: true });
  });

  it('resolveOptions: defaults, and errors naming the option', () => {
    const o = resolveOptions({ url: 'http://127.0.0.1:1/' });
    expect(o).toMatchObject({ durationMs: 10_000, warmupMs: 5_000, runs: 1, label: 'profile', failOnPageError: true });
    expect(o.viewport).toEqual({ width: 1280, height: 720 });
    expect(() => resolveOptions({ url: 'nope' })).toThrow(/url must be an absolute/);
    expect(() => resolveOptions({ url: 'ftp://x/' })).toThrow(RangeError);
    expect(() => resolveOptions({ url: 'http://x/', runs: 0 })).toThrow(/runs must be an integer in \[1, 100\], got 0/);
    expect(() => resolveOptions({ url: 'http://x/', durationMs: '5' as never })).toThrow(TypeError);
    expect(() => resolveOptions({ url: 'http://x/', label: 'a b' })).toThrow(/label/);
    expect(() => resolveOptions({ url: 'http://x/', budgetMs: 0 })).toThrow(/budgetMs/);
  });
});

describe('serveFolder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyheap-serve-'));
  let server: FolderServer;
  beforeAll(async () => {
    mkdirSync(join(dir, 'site', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'site', 'index.html'), '<p>home</p>');
    writeFileSync(join(dir, 'site', 'sub', 'game.mjs'), 'export {}');
    writeFileSync(join(dir, 'secret.txt'), 'no');
    server = await serveFolder(join(dir, 'site'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves files with their type, a folder as its index.html, on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/text\/html/);
    expect(await home.text()).toBe('<p>home</p>');
    const js = await fetch(`${server.url}sub/game.mjs?v=1`);
    expect(js.headers.get('content-type')).toMatch(/text\/javascript/);
  });

  it('404 for a missing file, 403 outside the folder, 405 for other methods', async () => {
    expect((await fetch(`${server.url}nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2fsecret.txt`)).status).toBe(403);
    expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
  });

  it('refuses a path that is not a folder', async () => {
    await expect(serveFolder(join(dir, 'secret.txt'))).rejects.toThrow(/not a folder/);
  });
});
