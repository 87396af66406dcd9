/**
 * The ECS example in a real browser (headless Chromium, software WebGL through SwiftShader): the
 * canvas is not blank, frames advance, the bullet count stays in range, the page logs no errors.
 * Screenshot kept in `test-artifacts/ecs.png`.
 *
 * Run: `npx vitest run --project e2e test/e2e/ecs.test.ts` (the global setup builds and serves the
 * demos).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium.ts';
import { MAX_BULLETS } from '../../examples/ecs/scene.ts';
import type {} from '../../examples/ecs/page-contract.ts';

type Browser = Awaited<ReturnType<typeof launchChromium>>;

describe('ECS example (bitECS + steadyheap, PixiJS v8)', () => {
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium({ viewport: { width: 800, height: 600 } });
    browser.page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    browser.page.on('pageerror', (e) => errors.push(String(e)));
    browser.page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await browser.page.goto(`${inject('demoUrl')}examples/ecs/`);
    await browser.page.waitForFunction(
      () => window.steadyheapEcs?.ready === true && window.steadyheapEcs.frame > 5,
      null,
      { timeout: 60_000 },
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('runs: frames advance, bullets in range, canvas not blank, no console errors', async () => {
    const first = await browser.page.evaluate(() => window.steadyheapEcs.frame);
    await browser.page.waitForFunction((f) => window.steadyheapEcs.frame > f + 60, first, { timeout: 60_000 });
    const state = await browser.page.evaluate(() => ({ ...window.steadyheapEcs, countLitPixels: undefined }));
    expect(state.entities).toBeGreaterThan(50);
    expect(state.entities).toBeLessThanOrEqual(MAX_BULLETS);
    const lit = await browser.page.evaluate(() => window.steadyheapEcs.countLitPixels!());
    expect(lit).toBeGreaterThan(500);
    mkdirSync('test-artifacts', { recursive: true });
    await browser.page.screenshot({ path: 'test-artifacts/ecs.png' });
    expect(errors).toEqual([]);
  });
});
