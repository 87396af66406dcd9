/**
 * `npm run bench:pixi`: steadyheap's `PoolParticles` beside Pixi's `ParticleContainer` at 10k,
 * 100k and 1M particles whose position, scale, rotation, tint and alpha all change every frame,
 * in headless Chromium (`bench/pixi/renderer-page.ts`). Per renderer and count:
 *
 * - main-thread ms per frame to update (the simulation writing what the renderer reads: pool
 *   columns, or `Particle` fields) and to submit (`renderer.render`), medians over the frames;
 * - bytes handed to WebGL uploads per particle per frame (counted by wrapping the context's upload
 *   calls);
 * - bytes allocated per frame by the whole page (the sampling heap profiler, objects collected by
 *   minor and major GCs included, over a pass without timers).
 *
 * Renderers (`--renderers`, default all): `pool` (`PoolParticles`, every slot live), `pool-spread`
 * (`PoolParticles` over a pool of twice the capacity whose FIFO free queue has spread the live
 * slots over all of it, 1% respawning every frame; upload `auto`, which packs),
 * `pool-spread-range` (the same, forced to upload the slot range: the cost of the span under
 * FIFO reuse) and `container` (`ParticleContainer`).
 *
 * GPU time is not measured: on software WebGL (SwiftShader, the usual headless setup) it is the
 * CPU rasterizing, not a figure a GPU would show. Run on an idle machine: `flock` it if others
 * share it. `--save` writes `bench/results/pixi-renderer.json` (else `bench/results/local/`).
 *
 * `--draw-methods` measures instead why `PoolParticles` pulls its vertices rather than drawing
 * instanced quads: 6,000 and 100,000 quads drawn with raw WebGL2 as instanced quads, point
 * sprites, and attribute-less triangles that fetch their quad's data by `gl_VertexID`
 * (`bench/pixi/draw-methods-page.ts`), frame intervals on this machine's WebGL
 * (`pixi-draw-methods.json`).
 *
 * @module
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createServer } from 'vite';
import { launchChromium } from '../../scripts/chromium.ts';
import { writeResults } from '../lib/results.ts';
import type { BenchFrames } from './renderer-page.ts';

const { values } = parseArgs({
  options: {
    save: { type: 'boolean', default: false },
    counts: { type: 'string', default: '10000,100000,1000000' },
    renderers: { type: 'string', default: 'pool,pool-spread,pool-spread-range,container' },
    'draw-methods': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm run bench:pixi [-- --counts 10000,100000] [--renderers pool,container] [--draw-methods] [--save]
  PoolParticles vs ParticleContainer: main-thread ms per frame (update, submit), bytes uploaded per
  particle per frame, bytes allocated per frame. --save keeps bench/results/pixi-renderer.json.
  --renderers: any of pool (every slot live), pool-spread (live slots spread over twice the
  capacity by FIFO reuse, 1% respawning a frame; upload auto), pool-spread-range (the same,
  upload forced to the slot range), container (ParticleContainer). Default all.
  --draw-methods: instanced quads vs point sprites vs pulled vertices in raw WebGL2 (frame
  intervals at 6,000 and 100,000 quads); --save keeps bench/results/pixi-draw-methods.json.`);
  process.exit(0);
}
const counts = values.counts.split(',').map(Number);
/** Each renderer variant: its label and the page query that sets it up. */
const VARIANTS = {
  pool: { label: 'PoolParticles', query: 'renderer=pool' },
  'pool-spread': { label: 'PoolParticles, FIFO-spread', query: 'renderer=pool&spread=1&upload=auto' },
  'pool-spread-range': { label: 'PoolParticles, FIFO-spread, range', query: 'renderer=pool&spread=1&upload=range' },
  container: { label: 'ParticleContainer', query: 'renderer=container' },
} as const;
type Variant = keyof typeof VARIANTS;
const variants = values.renderers.split(',') as Variant[];
if (variants.some((v) => !(v in VARIANTS))) {
  console.error(`--renderers must list some of ${Object.keys(VARIANTS).join(', ')}, got ${values.renderers}`);
  process.exit(2);
}
if (counts.some((c) => !Number.isInteger(c) || c < 1 || c > 2_000_000)) {
  console.error(`--counts must list integers in [1, 2000000], got ${values.counts}`);
  process.exit(2);
}

/** Frames warmed up and measured at each count (1M frames take seconds each on software WebGL). */
function framesFor(n: number): { warmup: number; timed: number; sampled: number } {
  if (n >= 500_000) return { warmup: 12, timed: 10, sampled: 10 };
  if (n >= 50_000) return { warmup: 60, timed: 40, sampled: 40 };
  return { warmup: 240, timed: 120, sampled: 120 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]
      : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  renderer: (typeof VARIANTS)[Variant]['label'];
  particles: number;
  updateMs: number;
  submitMs: number;
  totalMs: number;
  uploadBytesPerParticle: number;
  allocatedBytesPerFrame: number;
  /** PoolParticles: the span of slots holding live particles, in live counts, and whether the upload packed. */
  spanPerLive?: number;
  packed?: boolean;
  frames: { timed: number; sampled: number };
}

const root = join(import.meta.dirname, '..', '..');

/** Vite's dev server on the project (the bench pages import the library by its package names). */
async function startServer(): Promise<{ base: string; close: () => Promise<void> }> {
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('no dev server port');
  return { base: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

if (values['draw-methods']) {
  await drawMethods();
  process.exit(0);
}
const server = await startServer();
const base = server.base;
const loadStart = loadavg();
const browser = await launchChromium({ viewport: { width: 800, height: 600 } });
const rows: Row[] = [];
try {
  const page = browser.page;
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  const session = await page.context().newCDPSession(page);
  for (const n of counts) {
    for (const variant of variants) {
      const f = framesFor(n);
      await page.goto(`${base}bench/pixi/renderer.html?${VARIANTS[variant].query}&n=${n}`);
      await page.waitForFunction(() => window.rendererBench?.ready === true, null, { timeout: 300_000 });
      await page.evaluate((k) => window.rendererBench!.run(k, true), f.warmup);
      const timed = (await page.evaluate((k) => window.rendererBench!.run(k, true), f.timed)) as BenchFrames;
      await session.send('HeapProfiler.enable');
      await session.send('HeapProfiler.startSampling', {
        samplingInterval: 256,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      } as never);
      await page.evaluate((k) => window.rendererBench!.run(k, false), f.sampled);
      const { profile } = (await session.send('HeapProfiler.stopSampling')) as unknown as {
        profile: { head: { selfSize: number; children: unknown[] } };
      };
      let bytes = 0;
      const visit = (node: { selfSize: number; children: unknown[] }) => {
        bytes += node.selfSize;
        for (const c of node.children) visit(c as typeof node);
      };
      visit(profile.head);
      const update = median(timed.updateMs);
      const submit = median(timed.submitMs);
      const last = await page.evaluate(() => window.rendererBench!.lastFrame?.());
      const row: Row = {
        renderer: VARIANTS[variant].label,
        particles: n,
        updateMs: update,
        submitMs: submit,
        totalMs: median(timed.updateMs.map((u, i) => u + timed.submitMs[i])),
        uploadBytesPerParticle: median(timed.uploadBytes) / n,
        allocatedBytesPerFrame: bytes / f.sampled,
        ...(last ? { spanPerLive: (last.rangeEnd - last.rangeStart) / last.drawn, packed: last.packed } : {}),
        frames: { timed: f.timed, sampled: f.sampled },
      };
      rows.push(row);
      const span = last ? `, span ${row.spanPerLive?.toFixed(2)} x live, ${last.packed ? 'packed' : 'range'}` : '';
      console.log(
        `${row.renderer.padEnd(34)} ${String(n).padStart(8)}: update ${update.toFixed(2)} ms, submit ${submit.toFixed(2)} ms, ` +
          `uploads ${row.uploadBytesPerParticle.toFixed(1)} B/particle, allocated ${row.allocatedBytesPerFrame.toFixed(0)} B/frame${span}`,
      );
    }
  }
} finally {
  await browser.close();
  await server.close();
}
const loadEnd = loadavg();
console.log(
  `\nload average (1, 5, 15 min): start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, end ${loadEnd.map((l) => l.toFixed(2)).join(' ')}`,
);
for (const n of counts) {
  const container = rows.find((r) => r.particles === n && r.renderer === 'ParticleContainer');
  if (!container) continue;
  for (const pool of rows.filter((r) => r.particles === n && r.renderer !== 'ParticleContainer')) {
    console.log(
      `${n}: ${pool.renderer} uploads ${(pool.uploadBytesPerParticle / container.uploadBytesPerParticle).toFixed(3)}x ParticleContainer's bytes per particle; ` +
        `main-thread time ${(pool.totalMs / container.totalMs).toFixed(3)}x`,
    );
  }
}
const file = writeResults(
  'pixi-renderer',
  { date: new Date().toISOString(), loadStart, loadEnd, counts, renderers: variants, rows },
  values.save,
);
console.log(`results: ${file}`);

/** The `--draw-methods` run (see the module docs). */
async function drawMethods(): Promise<void> {
  const server = await startServer();
  const loadStart = loadavg();
  const browser = await launchChromium({ viewport: { width: 960, height: 600 } });
  const results: { method: string; quads: number; frameMs: number; cpuMs: number; frames: number }[] = [];
  try {
    for (const quads of [6_000, 100_000]) {
      for (const method of ['instanced', 'points', 'pulled']) {
        const frames = quads > 50_000 && method === 'instanced' ? 4 : quads > 50_000 ? 20 : 90;
        await browser.page.goto(`${server.base}bench/pixi/draw-methods.html?method=${method}&n=${quads}`);
        await browser.page.waitForFunction(() => window.drawMethods?.ready === true, null, { timeout: 60_000 });
        await browser.page.evaluate(() => window.drawMethods!.run(3));
        const r = await browser.page.evaluate((k) => window.drawMethods!.run(k), frames);
        const row = { method, quads, frameMs: median(r.intervalsMs), cpuMs: median(r.cpuMs), frames };
        results.push(row);
        console.log(
          `${method.padEnd(10)} ${String(quads).padStart(7)} quads: ${row.frameMs.toFixed(1)} ms per frame, main thread ${row.cpuMs.toFixed(2)} ms`,
        );
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const loadEnd = loadavg();
  console.log(
    `load average (1, 5, 15 min): start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, end ${loadEnd.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const file = writeResults(
    'pixi-draw-methods',
    { date: new Date().toISOString(), loadStart, loadEnd, results },
    values.save,
  );
  console.log(`results: ${file}`);
}
