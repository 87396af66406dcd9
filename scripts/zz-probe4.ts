import { readFileSync, readdirSync } from 'node:fs';
import { launchChromium } from '/work/main/scripts/chromium.ts';
import { serveDemos } from '/work/main/scripts/serve.ts';
const HZ = 100;
function chromeCpuMs(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!cmd.includes('steadyheap-chromium-') && !cmd.startsWith('/usr/lib/chromium')) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const kind = /--type=([a-z-]+)/.exec(cmd.replace(/\0/g, ' '))?.[1] ?? 'browser';
      out[kind] = (out[kind] ?? 0) + (Number(f[11]) + Number(f[12])) * 1000 / HZ;
    } catch {}
  }
  return out;
}
const server = await serveDemos();
const b = await launchChromium({ viewport: { width: 960, height: 600 } });
for (const q of process.argv.slice(2)) {
  await b.page.goto(`${server.url}examples/particles/?${q}`);
  await b.page.waitForFunction(() => window.steadyheapDemo?.ready === true, null, { timeout: 60000 });
  await b.page.waitForTimeout(2000);
  const f0 = await b.page.evaluate('window.steadyheapDemo.frame') as number; const c0 = chromeCpuMs();
  await b.page.waitForTimeout(5000);
  const f1 = await b.page.evaluate('window.steadyheapDemo.frame') as number; const c1 = chromeCpuMs();
  const cpuPerFrame = Object.keys(c1).map((k) => `${k} ${((c1[k] - (c0[k] ?? 0)) / (f1 - f0)).toFixed(1)}`).join(', ');
  const r = await b.page.evaluate('[window.steadyheapDemo.live, window.steadyheapDemo.profiler.summary().cpuMeanMs]') as number[];
  console.log(q, `fps ${((f1 - f0) / 5).toFixed(1)} CPU ms/frame: ${cpuPerFrame}, page cpuMs ${r[1].toFixed(2)}, live ${r[0]}`);
}
await b.close(); await server.close();
