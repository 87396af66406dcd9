/**
 * GC events per 1,000 frames of each ecs-benchmark workload and storage variant, counted outside
 * tinybench (whose own sampling allocates). Run:
 *
 *   node --expose-gc --import tsx bench/ecs-gc.ts [--quick]
 *
 * Method: build the workload, run warm-up frames (V8 optimizes the loops; pools reach their peak
 * population), force a full GC, then count the `gc` performance entries that start while 1,000
 * frames run (`countGc` from `bench/lib/gc.ts`). Writes `bench/results/ecs-gc.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { countGc } from './lib/gc.ts';
import { VARIANTS, VARIANT_LABELS, WORKLOADS, createWorkload } from './ecs-workloads.ts';

const quick = process.argv.includes('--quick');
const FRAMES = 1000;
const WARMUP = quick ? 100 : 300;
const rows: Record<string, string | number>[] = [];
for (const w of WORKLOADS) {
  for (const v of VARIANTS) {
    const instance = createWorkload(v, w);
    for (let i = 0; i < WARMUP; i++) instance.frame();
    const gc = await countGc(() => {
      for (let i = 0; i < FRAMES; i++) instance.frame();
    });
    instance.verify();
    rows.push({
      workload: w,
      variant: VARIANT_LABELS[v],
      'GC / 1,000 frames': gc.count,
      minor: gc.minor,
      major: gc.major,
      'GC ms': +gc.totalMs.toFixed(2),
    });
  }
}
console.log(
  `GC events per ${FRAMES} frames after ${WARMUP} warm-up frames (${cpus()[0]?.model}, Node ${process.version})`,
);
console.table(rows);
const here = fileURLToPath(new URL('.', import.meta.url));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'ecs-gc.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, frames: FRAMES, warmup: WARMUP, rows }, null, 2)}\n`,
);
