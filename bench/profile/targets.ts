/**
 * The targets of issue 3 ("Zero garbage in our path, then in the render path"), checked on the
 * medians and allocation profiles of a `npm run profile` run:
 *
 * 1. pooled mode: our code (steadyheap and the demo) allocates nothing per frame, from CDP
 *    allocation sampling;
 * 2. zero-object mode: GC pause total at most 10% of naive mode's (traced windows, medians of runs);
 * 3. zero-object mode: p99 frame time at most 1.25x its p50 (untraced windows, medians of runs).
 *
 * A target whose inputs were not measured (mode not run, tracing or sampling off, naive with no
 * GC at all) is reported as not measured rather than met or missed.
 *
 * @module
 */
import type { Figures } from '../../src/profile/report.ts';
import type { AllocationProfile } from './sampling.ts';

/** One target and its measured value. */
export interface TargetCheck {
  /** Stable identifier (JSON key). */
  id: 'pooledOurAllocation' | 'zeroObjectGcShareOfNaive' | 'zeroObjectP99OverP50';
  /** What is measured, for people. */
  label: string;
  /** Measured value (NaN when not measured), in `unit`. */
  value: number;
  /** The largest value that meets the target, in `unit`. */
  limit: number;
  /** Unit of `value` and `limit`. */
  unit: string;
  /** `true` met, `false` missed, `null` not measured. */
  met: boolean | null;
  /** How the value was obtained. */
  detail: string;
}

/** Bytes per frame sampled in our code (steadyheap and the demo) in one allocation profile. */
export function ourBytesPerFrame(profile: AllocationProfile): number {
  return (profile.byOrigin.steadyheap ?? 0) + (profile.byOrigin.demo ?? 0);
}

function verdict(value: number, limit: number): boolean | null {
  return Number.isFinite(value) ? value <= limit : null;
}

/**
 * Evaluates the three targets. O(1) plus the sites listed in the details.
 *
 * @param medians - median figures per mode (keys `gcTotalMs`, `p50Ms`, `p99Ms`).
 * @param allocations - allocation profile per mode (may lack modes).
 */
export function checkTargets(
  medians: Readonly<Record<string, Figures>>,
  allocations: Readonly<Record<string, AllocationProfile>>,
): TargetCheck[] {
  const pooled = allocations.pooled;
  const ours = pooled ? ourBytesPerFrame(pooled) : NaN;
  const ourSites = pooled?.ourSites ?? [];
  const zero = medians['zero-object'];
  const naive = medians.naive;
  const gcShare = zero && naive && naive.gcTotalMs > 0 ? zero.gcTotalMs / naive.gcTotalMs : NaN;
  const p99OverP50 = zero ? zero.p99Ms / zero.p50Ms : NaN;
  return [
    {
      id: 'pooledOurAllocation',
      label: 'pooled: our code allocates per frame',
      value: ours,
      limit: 0,
      unit: 'B/frame',
      met: verdict(ours, 0),
      detail: pooled
        ? `CDP allocation sampling over ${pooled.frames} frames, one sample per ${pooled.samplingIntervalBytes} B on average; ` +
          (ourSites.length === 0
            ? 'no sample in steadyheap or the demo'
            : `sites: ${ourSites
                .slice(0, 4)
                .map((s) => `${s.functionName} (${s.where}) ${s.bytesPerFrame.toFixed(0)} B/frame`)
                .join('; ')}`)
        : 'pooled mode not sampled',
    },
    {
      id: 'zeroObjectGcShareOfNaive',
      label: 'zero-object: GC pause total / naive GC pause total',
      value: gcShare * 100,
      limit: 10,
      unit: '%',
      met: verdict(gcShare * 100, 10),
      detail:
        zero && naive
          ? `${zero.gcTotalMs.toFixed(2)} ms vs ${naive.gcTotalMs.toFixed(2)} ms (medians of the traced windows)`
          : 'needs the zero-object and naive modes with tracing',
    },
    {
      id: 'zeroObjectP99OverP50',
      label: 'zero-object: p99 / p50 frame time',
      value: p99OverP50,
      limit: 1.25,
      unit: 'x',
      met: verdict(p99OverP50, 1.25),
      detail: zero
        ? `p99 ${zero.p99Ms.toFixed(2)} ms, p50 ${zero.p50Ms.toFixed(2)} ms (medians of the untraced windows)`
        : 'needs the zero-object mode',
    },
  ];
}

/** One word for a verdict. */
export function verdictWord(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : 'MISSED';
}

/** The targets as text lines for the terminal. O(targets). */
export function formatTargets(checks: readonly TargetCheck[]): string {
  const lines = checks.map((c) => {
    const value = Number.isFinite(c.value) ? c.value.toFixed(c.unit === 'x' ? 3 : c.unit === '%' ? 1 : 0) : '-';
    return `  ${c.label}: ${value} ${c.unit} (target <= ${c.limit} ${c.unit}): ${verdictWord(c.met)}\n      ${c.detail}`;
  });
  return ['Targets (issue 3):', ...lines].join('\n');
}
