/**
 * The particle demo stepped by Web Workers (`?workers=2`) in headless Chromium: served with the
 * cross-origin-isolation headers (the Vite preview server sends them to pages with `?workers=`),
 * the page is isolated, two step workers move the particles and free the dead ones through the
 * pool's remote-free queue, and the counts stay conserved and in range; a page without
 * `?workers` is not isolated; served without the headers (stripped here on the way to the page),
 * a `?workers=2` page says it is not isolated and steps on the main thread. Screenshots:
 * `test-artifacts/particles-workers-*.png`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.ts';
import { PRESETS } from '../../examples/particles/params.ts';
import { expectedLiveRange } from '../../examples/particles/physics.ts';
import '../../examples/particles/page-contract.ts';

const ARTIFACTS = 'test-artifacts';

function readDemo(page: Page) {
  return page.evaluate(() => {
    const d = window.steadyheapDemo!;
    return {
      frame: d.frame,
      live: d.live,
      spawnedTotal: d.spawnedTotal,
      freedTotal: d.freedTotal,
      capacity: d.capacity,
      spawnPerFrame: d.spawnPerFrame,
      workers: d.workers,
      isolated: d.isolated,
      waitedFrames: d.waitedFrames,
      remoteFrees: d.remoteFrees,
      crossOriginIsolated: globalThis.crossOriginIsolated,
    };
  });
}

describe('particle demo stepped by workers, in headless Chromium', () => {
  const base = inject('demoUrl');
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium({ viewport: { width: 960, height: 600 } });
    browser.page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
    });
    browser.page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('isolated: two workers step the particles and free through the queue', async () => {
    const page = browser.page;
    problems.length = 0;
    await page.goto(`${base}examples/particles/?mode=instanced&workers=2`);
    await page.waitForFunction(() => window.steadyheapDemo?.ready === true, null, { timeout: 60_000 });
    const first = await readDemo(page);
    expect(first.crossOriginIsolated).toBe(true);
    expect(first.isolated).toBe(true);
    expect(first.workers).toBe(2);
    await page.waitForTimeout(3000);
    const later = await readDemo(page);
    expect(later.frame).toBeGreaterThan(first.frame + 10);
    expect(later.spawnedTotal - later.freedTotal).toBe(later.live);
    const range = expectedLiveRange(later.capacity, later.spawnPerFrame, PRESETS.software.lifeMinMs);
    expect(later.live).toBeGreaterThanOrEqual(range.min);
    expect(later.live).toBeLessThanOrEqual(later.capacity);
    // Most deaths are particles without a trail, which the workers free through the queue.
    expect(later.remoteFrees).toBeGreaterThan(later.freedTotal / 2);
    expect(later.remoteFrees).toBeLessThanOrEqual(later.freedTotal);
    const overlay = await page.locator('#overlay pre').first().textContent();
    expect(overlay).toContain('2 step workers');
    writeFileSync(`${ARTIFACTS}/particles-workers-isolated.png`, await page.screenshot({ type: 'png' }));
    expect(problems).toEqual([]);
  });

  it('a page without ?workers is served as before: not isolated', async () => {
    const page = browser.page;
    await page.goto(`${base}examples/particles/?mode=instanced`);
    await page.waitForFunction(() => window.steadyheapDemo?.ready === true, null, { timeout: 60_000 });
    const d = await readDemo(page);
    expect(d.crossOriginIsolated).toBe(false);
    expect(d.workers).toBe(0);
    expect(await page.locator('.overlay-problems').count()).toBe(0);
  });

  it('not isolated: says so and steps on the main thread', async () => {
    const page = browser.page;
    problems.length = 0;
    // The same server, minus the two headers: the page loses cross-origin isolation.
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    const warnings: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'warning') warnings.push(msg.text());
    });
    await page.goto(`${base}examples/particles/?mode=instanced&workers=2`);
    await page.waitForFunction(() => window.steadyheapDemo?.ready === true, null, { timeout: 60_000 });
    await page.waitForTimeout(1500);
    const d = await readDemo(page);
    expect(d.crossOriginIsolated).toBe(false);
    expect(d.isolated).toBe(false);
    expect(d.workers).toBe(0);
    expect(d.remoteFrees).toBe(0);
    expect(d.live).toBeGreaterThan(0);
    expect(d.spawnedTotal - d.freedTotal).toBe(d.live);
    const text = await page.locator('.overlay-problems').textContent();
    expect(text).toContain('not cross-origin isolated');
    expect(text).toContain('Cross-Origin-Embedder-Policy: require-corp');
    expect(warnings.some((w) => w.includes('not cross-origin isolated'))).toBe(true);
    writeFileSync(`${ARTIFACTS}/particles-workers-not-isolated.png`, await page.screenshot({ type: 'png' }));
    await page.unrouteAll();
    expect(problems).toEqual([]);
  });
});
