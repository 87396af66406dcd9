/**
 * What `npm run profile` knows about the particle demo, and nothing else: the modes to compare
 * (the demo's own list), the page URL of each, which code is "ours", and the demo's targets. The
 * measuring is the `steadyheap/profile` engine's, as for any page.
 *
 * Targets (what the demo exists to show), evaluated on the medians over runs:
 * 1. pooled mode: our code (steadyheap and the demo) allocates nothing per frame: a pooled frame
 *    reuses everything, so any sampled byte there is a leak of garbage into the hot path;
 * 2. zero-object mode: GC pause total at most 10% of naive mode's, the point of drawing straight
 *    from pool columns;
 * 3. zero-object mode: p99 frame time at most 1.25x its p50, i.e. steady frames.
 * A target whose inputs were not measured (mode not run, trace not aligned, naive without any GC)
 * is "not measured" rather than met or missed.
 *
 * @module
 */
import { DEMO_MODES } from '../../examples/particles/simulation.ts';
import { fmt, type PageProfile } from 'steadyheap/profile';

/** The modes compared, in column order. */
export const MODES: readonly string[] = DEMO_MODES;

/** Path of the demo page below the server root. */
export const DEMO_PAGE = 'examples/particles/index.html';

/** The demo's parameters a profile sets. */
export interface DemoParams {
  spawn: number;
  capacity: number;
  seed: number;
}

/**
 * The page URL of one mode: overlay off (its text updates allocate) and the per-frame CPU-time
 * probe off (`cpu=0`: each `performance.now()` returns a new heap number).
 */
export function demoUrl(base: string, mode: string, p: DemoParams): string {
  const q = new URLSearchParams({
    mode,
    capacity: String(p.capacity),
    spawn: String(p.spawn),
    seed: String(p.seed),
    overlay: '0',
    cpu: '0',
  });
  return `${base}${DEMO_PAGE}?${q}`;
}

/** Our code, as the Vite dev server serves it: the library's sources and the demo's. */
export const OUR_SCRIPTS = /^\/(src|examples)\//;

/**
 * Bytes per frame allocated by our code (steadyheap and the demo) in a profile, with its 95%
 * margin and samples; NaN when the page was a bundle (its owners cannot be told apart).
 */
export function oursOf(p: PageProfile): { bytesPerFrame: number; error95BytesPerFrame: number; samples: number } {
  const bundled = p.allocation.byScript.some((s) => s.ownerKind === 'page' && /\/assets\/[^/]+\.js$/.test(s.script));
  const ours = p.allocation.byPackage.filter((o) => o.kind === 'page' && OUR_SCRIPTS.test(o.package));
  if (bundled) return { bytesPerFrame: Number.NaN, error95BytesPerFrame: Number.NaN, samples: 0 };
  return {
    bytesPerFrame: ours.reduce((s, o) => s + o.bytesPerFrame, 0),
    error95BytesPerFrame: Math.sqrt(ours.reduce((s, o) => s + o.error95BytesPerFrame ** 2, 0)),
    samples: ours.reduce((s, o) => s + o.samples, 0),
  };
}

/** One target and its measured value. */
export interface DemoTarget {
  id: 'pooledOurAllocation' | 'zeroObjectGcShareOfNaive' | 'zeroObjectP99OverP50';
  label: string;
  /** Measured value in `unit` (NaN: not measured). */
  value: number;
  /** Largest value that meets the target. */
  limit: number;
  unit: string;
  /** true met, false missed, null not measured. */
  met: boolean | null;
  /** How the value was obtained, with the spread over runs. */
  detail: string;
}

const verdict = (value: number, limit: number) => (Number.isFinite(value) ? value <= limit : null);

const spreadOf = (p: PageProfile, path: string, digits: number) => {
  const s = p.spread[path];
  return s && p.runs.length > 1 ? ` (runs ${fmt(s.min, digits)}-${fmt(s.max, digits)})` : '';
};

/** Evaluates the demo's targets on the modes' profiles. O(sites). */
export function checkTargets(profiles: Readonly<Record<string, PageProfile>>): DemoTarget[] {
  const pooled = profiles.pooled;
  const zero = profiles['zero-object'];
  const naive = profiles.naive;
  const ours = pooled ? oursOf(pooled) : undefined;
  const oursValue =
    !ours || Number.isNaN(ours.bytesPerFrame) ? Number.NaN : ours.samples === 0 ? 0 : ours.bytesPerFrame;
  const share = zero && naive && naive.gc.totalMs > 0 ? (100 * zero.gc.totalMs) / naive.gc.totalMs : Number.NaN;
  const ratio = zero ? zero.frames.p99Ms / zero.frames.p50Ms : Number.NaN;
  return [
    {
      id: 'pooledOurAllocation',
      label: 'pooled: our code allocates per frame',
      value: oursValue,
      limit: 0,
      unit: 'B/frame',
      met: verdict(oursValue, 0),
      detail: !pooled
        ? 'pooled mode not profiled'
        : !ours || Number.isNaN(ours.bytesPerFrame)
          ? 'served as a bundle: our code cannot be told from PixiJS (profile the dev server)'
          : ours.samples === 0
            ? `no sample in steadyheap or the demo over ${fmt(pooled.allocation.frames)} frames (under ${fmt((3 * pooled.allocation.samplingIntervalBytes) / pooled.allocation.frames, 1)} B/frame at 95%)`
            : `${fmt(ours.bytesPerFrame, 1)} ± ${fmt(ours.error95BytesPerFrame, 1)} B/frame in ${pooled.allocation.sites
                .filter((s) => OUR_SCRIPTS.test(s.owner))
                .slice(0, 3)
                .map((s) => `${s.functionName} (${s.script}:${s.line})`)
                .join(', ')}`,
    },
    {
      id: 'zeroObjectGcShareOfNaive',
      label: 'zero-object: GC pause total / naive GC pause total',
      value: share,
      limit: 10,
      unit: '%',
      met: verdict(share, 10),
      detail:
        zero && naive
          ? `${fmt(zero.gc.totalMs, 2)} ms${spreadOf(zero, 'gc.totalMs', 1)} vs ${fmt(naive.gc.totalMs, 2)} ms${spreadOf(naive, 'gc.totalMs', 1)}, medians of the runs`
          : 'needs the zero-object and naive modes',
    },
    {
      id: 'zeroObjectP99OverP50',
      label: 'zero-object: p99 / p50 frame time',
      value: ratio,
      limit: 1.25,
      unit: 'x',
      met: verdict(ratio, 1.25),
      detail: zero
        ? `p99 ${fmt(zero.frames.p99Ms, 2)} ms${spreadOf(zero, 'frames.p99Ms', 1)}, p50 ${fmt(zero.frames.p50Ms, 2)} ms`
        : 'needs the zero-object mode',
    },
  ];
}

/** One word for a verdict. */
export const verdictWord = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');

const digitsOf = (unit: string) => (unit === 'x' ? 3 : unit === '%' ? 1 : 0);

/** The targets as terminal lines. */
export function formatTargets(targets: readonly DemoTarget[]): string {
  return [
    'Targets:',
    ...targets.map(
      (t) =>
        `  ${t.label}: ${fmt(t.value, digitsOf(t.unit))} ${t.unit} (target <= ${t.limit} ${t.unit}): ${verdictWord(t.met)}\n      ${t.detail}`,
    ),
  ].join('\n');
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** The targets as an HTML section for the report. */
export function targetsHtml(targets: readonly DemoTarget[]): string {
  return `<h2>Targets</h2><table><tr><th>target</th><th>measured</th><th>limit</th><th>verdict</th><th>how</th></tr>
${targets
  .map(
    (t) =>
      `<tr><td>${esc(t.label)}</td><td class="num">${fmt(t.value, digitsOf(t.unit))} ${esc(t.unit)}</td><td class="num">≤ ${t.limit} ${esc(t.unit)}</td><td class="${t.met ? 'held' : t.met === false ? 'failed' : ''}">${verdictWord(t.met)}</td><td class="note">${esc(t.detail)}</td></tr>`,
  )
  .join('\n')}</table>`;
}
