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

/**
 * A ratio reported by a suite: `value` = ns/op of `numerator` / ns/op of `denominator` (lower
 * means the numerator is faster), both cases measured in the same run.
 */
export interface BenchRatio {
  /** For example `'StructPool / Int32Array free-stack (floor)'`. */
  name: string;
  numerator: string;
  denominator: string;
  /**
   * Optional target on `value`: at most this. Reported, never enforced. A target states what the
   * project holds a structure to (for example "within 2x of a bare free-stack", "at least 300x
   * faster than MemPool"), so a change that loses it shows in the table.
   */
  targetMax?: number;
  /**
   * How the terminal table shows it. `'time'` (default): the numerator's time as a multiple of
   * the denominator's (`2.24x`, target `<= 2x`). `'speed'`: the numerator's speed as a multiple of
   * the denominator's, `1 / value` (`356x`, target `>= 300x`); name such a ratio `A vs B speed`.
   * The JSON keeps `value` either way.
   */
  shownAs?: 'time' | 'speed';
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
  /**
   * `--save`: this run's figures go to the tracked `bench/results/` (a deliberate full-length
   * run, for `bench/README.md`); otherwise results go to the git-ignored `bench/results/local/`
   * (see `bench/lib/results.ts`). Suites that write files of their own follow it.
   */
  save?: boolean;
  /** Called after each case is measured; `bench/run.ts` prints a progress line. */
  onCase?: (suite: string, result: CaseResult) => void;
}

/** A suite module's default export. */
export interface BenchSuite {
  name: string;
  /**
   * Command-line options of this suite's own (names without `--`), which `bench/run.ts` passes
   * through instead of rejecting as unknown; the suite reads them from `process.argv`.
   */
  options?: readonly string[];
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
    const result: CaseResult = {
      name: c.name,
      nsPerOp,
      opsPerSec: 1e9 / nsPerOp,
      rmePct: r.latency.rme,
      samples: r.latency.samplesCount ?? r.latency.samples?.length ?? 0,
    };
    results.push(result);
    options.onCase?.(suite, result);
  }
  return { suite, cases: results, ratios: ratiosOf(results, ratios), notes };
}

/**
 * Ratios between measured cases (`numerator ns/op / denominator ns/op`; lower is faster), each
 * with its target verdict. O(cases + ratios).
 *
 * @throws Error naming a ratio whose case is missing.
 */
export function ratiosOf(cases: readonly CaseResult[], ratios: readonly BenchRatio[]): RatioResult[] {
  const byName = new Map(cases.map((c) => [c.name, c]));
  return ratios.map((ratio) => {
    const a = byName.get(ratio.numerator);
    const b = byName.get(ratio.denominator);
    if (!a || !b) throw new Error(`ratio ${ratio.name}: unknown case ${!a ? ratio.numerator : ratio.denominator}`);
    const value = a.nsPerOp / b.nsPerOp;
    return { ...ratio, value, meetsTarget: ratio.targetMax === undefined ? null : value <= ratio.targetMax };
  });
}
