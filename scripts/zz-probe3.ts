import { launchChromium } from '/work/main/scripts/chromium.ts';
import { serveDemos } from '/work/main/scripts/serve.ts';
const server = await serveDemos();
const b = await launchChromium({ viewport: { width: 960, height: 600 }, extraArgs: ['--enable-precise-memory-info'] });
for (const q of process.argv.slice(2)) {
  await b.page.goto(`${server.url}examples/particles/?${q}`);
  await b.page.waitForFunction(() => window.steadyheapDemo?.ready === true, null, { timeout: 60000 });
  await b.page.waitForTimeout(3000);
  const r = await b.page.evaluate(`new Promise((resolve) => {
    const samples = new Float64Array(200); let n = 0;
    const f = () => { samples[n++] = performance.memory.usedJSHeapSize;
      if (n < 200) requestAnimationFrame(f); else { let grow = 0, drops = 0; for (let i = 1; i < n; i++) { const d = samples[i] - samples[i-1]; if (d > 0) grow += d; else if (d < 0) drops++; } resolve('bytes/frame ' + (grow / (n-1)).toFixed(0) + ' drops ' + drops + ' live ' + window.steadyheapDemo.live); } };
    requestAnimationFrame(f);
  })`);
  console.log(q, r);
}
await b.close(); await server.close();
