/**
 * The browser profiler engine against fixture pages with known ground truth
 * (test/e2e/fixtures/profile/): a page whose named functions allocate known bytes per frame, one
 * that allocates nothing, one that blocks the main thread every N frames, one without animation
 * frames, one that throws, and pages that cannot be loaded. A few seconds of profiling each.
 *
 * Run: `npx vitest run --project e2e test/e2e/profile-engine.test.ts`.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/profile/browser/chromium.ts';
import { profilePage, type PageProfile } from '../../src/profile/browser/profile.ts';
import { PageNotProfilableError } from '../../src/profile/browser/run.ts';
import { serveFolder, type FolderServer } from '../../src/profile/browser/serve.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'profile');
let browser: Browser;
let server: FolderServer;

beforeAll(async () => {
  server = await serveFolder(FIXTURES);
  browser = (await launchBrowser()).browser;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const profile = (page: string, warmupMs = 2000, durationMs = 3000) =>
  profilePage({ url: `${server.url}${page}`, browser, warmupMs, durationMs });

/** Expects `value` within ±25% of `truth`. */
function within25(value: number, truth: number, what: string): void {
  expect(value, `${what}: ${value.toFixed(0)} vs ${truth}`).toBeGreaterThanOrEqual(truth * 0.75);
  expect(value, `${what}: ${value.toFixed(0)} vs ${truth}`).toBeLessThanOrEqual(truth * 1.25);
}

const pageBytes = (p: PageProfile) =>
  p.allocation.byPackage.filter((o) => o.kind === 'page').reduce((s, o) => s + o.bytesPerFrame, 0);

describe('profiler engine on fixture pages', () => {
  it('attributes known bytes per frame to the named functions that allocate them, and the total', async () => {
    const p = await profile('allocates.html');
    // Truth (allocates.js): new Array(4000) and new Array(1000) per frame, 8 + 4 x slots + 16 bytes each.
    const truth = { makeGarbage: 16_024, makeLessGarbage: 4_024 };
    const site = (name: string) => p.allocation.sites.find((s) => s.functionName === name);
    within25(site('makeGarbage')?.bytesPerFrame ?? 0, truth.makeGarbage, 'makeGarbage');
    within25(site('makeLessGarbage')?.bytesPerFrame ?? 0, truth.makeLessGarbage, 'makeLessGarbage');
    expect(site('makeGarbage')?.script).toBe('/allocates.js');
    expect(site('makeGarbage')?.line).toBe(11); // where the function starts
    expect(site('makeLessGarbage')?.callers[0]).toMatch(/^frame \(\/allocates\.js:\d+\)$/);
    within25(p.allocation.bytesPerFrame, truth.makeGarbage + truth.makeLessGarbage, 'total');
    expect(p.allocation.byPackage[0]).toMatchObject({ package: '/allocates.js', kind: 'page' });
    expect(p.allocation.byScript[0].script).toBe('/allocates.js');
    // The sampled error is stated, and the truth lies inside it (with the ±25% band as slack).
    const total = p.allocation;
    expect(total.error95BytesPerFrame).toBeGreaterThan(0);
    expect(total.error95BytesPerFrame).toBeLessThan(0.25 * total.bytesPerFrame);
    // 1.2 MB/s of garbage: the young generation is collected during 3 s, on identified frames.
    expect(p.gc.traced).toBe(true);
    expect(p.gc.minor).toBeGreaterThanOrEqual(1);
    const onFrames = p.gc.events.filter((e) => e.frame >= 0).length;
    expect(p.rows?.[0].reduce((s, r) => s + r.gcCount, 0)).toBe(onFrames);
    expect(onFrames).toBe(p.gc.count);
    // The probe allocated nothing of its own.
    expect(p.allocation.byPackage.some((o) => o.kind === 'probe')).toBe(false);
    expect(p.frames.count).toBeGreaterThan(100);
    expect(p.heap.maxBytes).toBeGreaterThanOrEqual(p.heap.minBytes);
  });

  it('sees no allocation and no collection on a page that allocates nothing', async () => {
    const p = await profile('quiet.html');
    expect(pageBytes(p)).toBe(0);
    expect(p.allocation.bytesPerFrame).toBeLessThan(64); // the browser's own, e.g. the timestamp it passes
    expect(p.allocation.byPackage.some((o) => o.kind === 'probe')).toBe(false);
    expect(p.gc.traced).toBe(true);
    expect(p.gc.count).toBe(0);
    expect(p.frames.count).toBeGreaterThan(100);
    expect(p.frames.raf.p50Ms).toBeLessThan(2);
  });

  it('finds the long frames of a page that blocks the main thread every 20th frame', async () => {
    const p = await profile('long-frames.html?every=20&block=60', 1000, 3000);
    const rows = p.rows?.[0] ?? [];
    // Truth: the blocked frames are the ones whose callbacks took the 60 ms (from the trace).
    const blocked = rows.filter((r) => r.rafMs >= 59);
    const expected = rows.length / 20;
    const what = `${blocked.length} blocked frames in ${rows.length}`;
    expect(blocked.length, what).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
    expect(blocked.length, what).toBeLessThanOrEqual(Math.ceil(expected) + 1);
    // Animation-frame timestamps fall on display refreshes: 60 ms of work makes a 50 or 66.7 ms frame.
    expect(
      blocked.filter((r) => !(r.missed && r.frameMs >= 49)),
      `budget ${p.frames.budgetMs}`,
    ).toEqual([]);
    expect(p.frames.missed).toBeGreaterThanOrEqual(blocked.length);
    expect(p.frames.longAnimationFrames.supported).toBe(true);
    // The browser delivers Long Animation Frame entries a task later: the last may miss the read.
    expect(p.frames.longAnimationFrames.count, what).toBeGreaterThanOrEqual(blocked.length - 1);
    expect(p.frames.raf.maxMs).toBeGreaterThanOrEqual(59);
  });

  it('says why a page cannot be profiled: no animation frames, a page error, a failed navigation', async () => {
    const reason = async (page: string, warmupMs = 1000) => {
      try {
        await profile(page, warmupMs, 1000);
      } catch (error) {
        expect(error).toBeInstanceOf(PageNotProfilableError);
        return `${(error as PageNotProfilableError).reason}: ${(error as Error).message}`;
      }
      return 'profiled';
    };
    expect(await reason('no-animation-frames.html')).toMatch(
      /^no-frames: no frames seen: the page did not call requestAnimationFrame in the 1 s after it loaded$/,
    );
    expect(await reason('throws.html')).toMatch(/^page-error: page error: fixture: broken frame loop$/);
    expect(await reason('missing.html')).toMatch(/^navigation-failed: navigation failed: HTTP 404/);
    const closed = await serveFolder(FIXTURES);
    await closed.close();
    await expect(profilePage({ url: closed.url, browser, warmupMs: 0, durationMs: 500 })).rejects.toMatchObject({
      reason: 'navigation-failed',
    });
  });
});
