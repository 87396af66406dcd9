/**
 * The ecs-benchmark workloads (noctjs/ecs-benchmark: packed_5, simple_iter, frag_iter,
 * entity_cycle, add_remove; one op = one frame) for bitECS 0.4 with plain typed arrays (the
 * baseline), bitECS with steadyheap pool components (each layout), the garbage-free bridge path,
 * and StructPool alone. Ratios are ns/frame of a variant over the typed-array baseline (lower is
 * faster). GC counts come from `bench/ecs-gc.ts` (tinybench's own sampling allocates).
 */
import { runCases, type BenchCase, type BenchRatio, type BenchSuite } from '../lib/harness.ts';
import { VARIANTS, VARIANT_LABELS, WORKLOADS, createWorkload, type Variant, type Workload } from '../ecs-workloads.ts';

const caseName = (w: Workload, v: Variant) => `${w}: ${VARIANT_LABELS[v]}`;
const ITERATION: readonly Workload[] = ['packed_5', 'simple_iter', 'frag_iter'];

const suite: BenchSuite = {
  name: 'ecs',
  async run(options) {
    const cases: BenchCase[] = [];
    const ratios: BenchRatio[] = [];
    for (const w of WORKLOADS) {
      for (const v of VARIANTS) {
        let instance: ReturnType<typeof createWorkload> | null = null;
        cases.push({
          name: caseName(w, v),
          setup: () => {
            instance = createWorkload(v, w);
            for (let i = 0; i < 20; i++) instance.frame();
            instance.verify();
          },
          fn: () => instance!.frame(),
          teardown: () => {
            instance!.verify();
            instance = null;
          },
        });
        if (v === 'typed') continue;
        // Iteration: target at least 0.9x the speed of plain typed arrays (ns ratio <= 1/0.9).
        // Churn: target at least 10x faster than plain bitECS (ns ratio <= 0.1) on the
        // garbage-free path.
        const churnTarget = v === 'pooled' || v === 'structpool' ? 0.1 : undefined;
        ratios.push({
          name: `${w}: ${VARIANT_LABELS[v]} vs typed arrays speed`,
          numerator: caseName(w, v),
          denominator: caseName(w, 'typed'),
          targetMax: ITERATION.includes(w) ? (v === 'slot' ? undefined : 1 / 0.9) : churnTarget,
          shownAs: 'speed',
        });
      }
    }
    return runCases('ecs', cases, ratios, options, {
      unit: 'one op = one frame of the workload',
      gcCounts: 'run `node --expose-gc --import tsx bench/ecs-gc.ts`',
    });
  },
};

export default suite;
