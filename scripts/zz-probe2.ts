import { launchChromium } from '/work/main/scripts/chromium.ts';
import { serveDemos } from '/work/main/scripts/serve.ts';
const server = await serveDemos();
const b = await launchChromium({ viewport: { width: 960, height: 600 } });
for (const q of process.argv.slice(2)) {
  await b.page.goto(`${server.url}examples/particles/?${q}`);
  await b.page.waitForFunction(() => window.steadyheapDemo?.ready === true);
  await b.page.waitForTimeout(2000);
  const r = await b.page.evaluate(`new Promise((resolve) => {
    const c = document.querySelector('canvas'); const gl = c.getContext('webgl2') || c.getContext('webgl');
    const xs = [];
    const p = window.steadyheapDemo.profiler;
    const f = () => { const t = performance.now(); gl.finish(); xs.push(performance.now() - t);
      if (xs.length < 120) requestAnimationFrame(f); else { xs.sort((a,b)=>a-b); resolve('finish p50 ' + xs[60].toFixed(1) + ' p90 ' + xs[108].toFixed(1) + ' frame p50 ' + p.windowPercentile(50,120).toFixed(1) + ' live ' + window.steadyheapDemo.live); } };
    requestAnimationFrame(f);
  })`);
  console.log(q, r);
}
await b.close(); await server.close();
