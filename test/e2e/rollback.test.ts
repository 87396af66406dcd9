/**
 * The rollback demo in a real browser (headless Chromium): both peers draw their 10,000
 * entities, rollbacks happen (several depths, up to 8 frames), the checksums of every final
 * frame agree, the desync button makes them disagree, and the page logs no errors. Screenshot
 * kept in `test-artifacts/rollback.png`.
 *
 * Run: `npx vitest run --project e2e test/e2e/rollback.test.ts` (the global setup builds and
 * serves the demos).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../../scripts/chromium.ts';
import type {} from '../../examples/rollback/page-contract.ts';

type Browser = Awaited<ReturnType<typeof launchChromium>>;

describe('rollback demo (SnapshotRing, two peers, delayed inputs)', () => {
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium({ viewport: { width: 1340, height: 760 } });
    browser.page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    browser.page.on('pageerror', (e) => errors.push(String(e)));
    browser.page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    await browser.page.goto(`${inject('demoUrl')}examples/rollback/`);
    await browser.page.waitForFunction(() => window.steadyheapRollback?.ready === true, null, { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('rolls back as inputs arrive late, and both peers agree on every final frame', async () => {
    await browser.page.waitForFunction(() => Math.min(...window.steadyheapRollback.frames) > 300, null, {
      timeout: 240_000,
    });
    const state = await browser.page.evaluate(() => ({ ...window.steadyheapRollback, countLitPixels: undefined }));
    expect(state.entities).toBe(10_000);
    expect(state.rollbacks[0]).toBeGreaterThan(5);
    expect(state.rollbacks[1]).toBeGreaterThan(5);
    expect(state.deepest).toBeGreaterThanOrEqual(6);
    expect(state.deepest).toBeLessThanOrEqual(8);
    expect(state.compared).toBeGreaterThan(280);
    expect(state.desyncs).toBe(0);
    const lit = await browser.page.evaluate(() => window.steadyheapRollback.countLitPixels());
    expect(lit).toBeGreaterThan(2 * 5_000); // entities overlap a little; most show
    mkdirSync('test-artifacts', { recursive: true });
    await browser.page.screenshot({ path: 'test-artifacts/rollback.png' });
    expect(errors).toEqual([]);
  });

  it('shows a desync when peer 1 gets one frame wrong', async () => {
    await browser.page.click('#desync');
    await browser.page.waitForFunction(() => window.steadyheapRollback.desyncs > 0, null, { timeout: 60_000 });
    const hud = await browser.page.textContent('#hud');
    expect(hud).toMatch(/DESYNC: \d+ final frames differ, first frame \d+/);
    await browser.page.screenshot({ path: 'test-artifacts/rollback-desync.png' });
    expect(errors).toEqual([]);
  });
});
