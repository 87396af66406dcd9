/**
 * The benchmark harness every suite in `bench/suites/` uses: tinybench underneath, one inner loop
 * of `opsPerCall` operations per timed call (so call overhead does not swamp nanosecond work),
 * medians rather than means (this machine is shared and noisy), and named ratios computed from
 * cases measured in the same run.
 */
import { Bench } from 'tinybench';

/** One benchmark case. */
export interface BenchCase {
  /** Unique within the suite, for example `'StructPool alloc+free'`. */
  name: string;
  /** Runs `opsPerCall` operations. Must leave the structure as it found it (steady state). */
  fn: () => void;
  /** How many operations one call of `fn` performs (default 1). */
  opsPerCall?: number;
  /** Called once before the case is timed. */
  setup?: () => void;
  /** Called once after the case is timed (free memory, drop references). */
  teardown?: () => void;
}

/** A ratio reported by a suite: `ns/op of numerator / ns/op of denominator` (lower is faster). */
export interface BenchRatio {
  /** For example `'StructPool vs Int32Array free-stack (floor)'`. */
  name: string;
  numerator: string;
  denominator: string;
  /** Optional target: the ratio should be at most this. Reported, never enforced. */
  targetMax?: number;
}

/** Measured figures for one case. */
export interface CaseResult {
  name: string;
  /** Median nanoseconds per operation. */
  nsPerOp: number;
  /** Operations per second derived from the median. */
  opsPerSec: number;
  /** Relative margin of error of the mean latency, percent. */
  rmePct: number;
  /** Number of timed calls. */
  samples: number;
}

/** Result of one ratio. */
export interface RatioResult extends BenchRatio {
  value: number;
  /** `true`/`false` when a target exists, else `null`. */
  meetsTarget: boolean | null;
}

/** Result of a whole suite, as written to `bench/results/latest.json`. */
export interface SuiteResult {
  suite: string;
  cases: CaseResult[];
  ratios: RatioResult[];
  /** Extra figures a suite wants to record (memory efficiency, GC counts...). */
  notes?: Record<string, unknown>;
}

/** Options every suite receives from `bench/run.ts`. */
export interface BenchOptions {
  /** `--quick`: short timings so the whole run finishes within a minute. */
  quick: boolean;
}

/** A suite module's default export. */
export interface BenchSuite {
  name: string;
  run(options: BenchOptions): Promise<SuiteResult>;
}

/**
 * Times each case with tinybench and computes the ratios.
 *
 * @param suite - suite name.
 * @param cases - the cases, each run `time` ms (quick: 60 ms) after a warm-up.
 * @param ratios - ratios between case names; an unknown name throws.
 */
export async function runCases(
  suite: string,
  cases: BenchCase[],
  ratios: BenchRatio[],
  options: BenchOptions,
  notes?: Record<string, unknown>,
): Promise<SuiteResult> {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const ops = c.opsPerCall ?? 1;
    const bench = new Bench({
      name: suite,
      time: options.quick ? 60 : 600,
      warmupTime: options.quick ? 20 : 150,
      iterations: 5,
      warmupIterations: 3,
    });
    c.setup?.();
    bench.add(c.name, c.fn);
    await bench.run();
    c.teardown?.();
    const task = bench.tasks[0];
    const r = task.result as unknown as {
      state?: string;
      error?: unknown;
      latency?: { p50: number; rme: number; samplesCount?: number; samples?: number[] };
    };
    if (!r || r.error || !r.latency) {
      throw new Error(`bench case ${c.name} failed: ${String(r?.error ?? r?.state)}`);
    }
    const nsPerOp = (r.latency.p50 * 1e6) / ops;
    results.push({
      name: c.name,
      nsPerOp,
      opsPerSec: 1e9 / nsPerOp,
      rmePct: r.latency.rme,
      samples: r.latency.samplesCount ?? r.latency.samples?.length ?? 0,
    });
  }
  const byName = new Map(results.map((r) => [r.name, r]));
  const ratioResults = ratios.map((ratio) => {
    const a = byName.get(ratio.numerator);
    const b = byName.get(ratio.denominator);
    if (!a || !b) throw new Error(`ratio ${ratio.name}: unknown case`);
    const value = a.nsPerOp / b.nsPerOp;
    return {
      ...ratio,
      value,
      meetsTarget: ratio.targetMax === undefined ? null : value <= ratio.targetMax,
    };
  });
  return { suite, cases: results, ratios: ratioResults, notes };
}

/** Prints a suite's cases and ratios as two terminal tables. */
export function printSuite(result: SuiteResult): void {
  console.log(`\n## ${result.suite}`);
  console.table(
    result.cases.map((c) => ({
      case: c.name,
      'ns/op (median)': +c.nsPerOp.toFixed(2),
      'ops/s': Math.round(c.opsPerSec).toLocaleString('en-US'),
      'rme %': +c.rmePct.toFixed(1),
      samples: c.samples,
    })),
  );
  if (result.ratios.length) {
    console.table(
      result.ratios.map((r) => ({
        ratio: r.name,
        value: +r.value.toFixed(3),
        target: r.targetMax === undefined ? '' : `<= ${r.targetMax}`,
        met: r.meetsTarget === null ? '' : r.meetsTarget ? 'yes' : 'NO',
      })),
    );
  }
  if (result.notes) console.log(JSON.stringify(result.notes, null, 2));
}
