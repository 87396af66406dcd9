/**
 * What `npm run profile` knows about the particle demo, and nothing else: the modes to compare
 * (the demo's own list), the page URL of each, which code is "ours", the profile's defaults, and
 * the demo's verdicts. The measuring is the `steadyheap/profile` engine's, as for any page.
 *
 * Verdicts (what the demo exists to show), each with the spread of its figure over the runs:
 *
 * 1. **naive collects**: at least 5 GCs per 30 s in naive mode at the demo's defaults. The
 *    baseline must show the collector at work, or nothing below means anything.
 * 2. **zero-garbage: no GC**: no collection at all in any zero-garbage window (60 s each by
 *    default, after a warm-up that outlasts V8's start-up collections).
 * 3. **zero-garbage: whole page at most 16 B per frame**: everything on the page (our code, Pixi,
 *    the browser) sampled together, but for what the profiler's own frame probe is charged
 *    with. The floor of any page driven by `requestAnimationFrame` is the 12-byte heap number
 *    the browser makes for each callback's timestamp.
 * 4. **our code allocates nothing per frame** in the pooled, instanced and zero-garbage modes:
 *    no allocation sample in steadyheap's sources or the demo's.
 * 5. **zero-garbage: no missed frame with a GC inside** (naive's count is given beside it).
 * 6. **zero-garbage GC pause total at most 10% of naive's**.
 *
 * A verdict whose inputs were not measured (mode not run, trace not aligned, a bundle whose
 * owners cannot be told apart, or fewer than {@link MIN_NAIVE_GC_EVENTS} GC events in the naive
 * runs for a verdict compared against them) is "not measured" rather than met or missed. The
 * limits sit far from the measured figures (`bench/README.md`, "npm run profile: the demo's
 * verdicts"), so that the same defaults give the same verdicts run after run.
 *
 * @module
 */
import { fmt, type AllocationSite, type PageProfile } from 'steadyheap/profile';
import { DEMO_MODES } from '../../examples/particles/modes.ts';

/** The modes compared, in column order. */
export const MODES: readonly string[] = DEMO_MODES;

/** Path of the demo page below the server root. */
export const DEMO_PAGE = 'examples/particles/index.html';

/**
 * The profile's defaults for the demo: three runs per mode of 60 s each, after a 120 s warm-up.
 * The warm-up outlasts the major GCs V8's memory reducer runs about 30 s after any page loads
 * (measured on an empty page too) and gives V8 time to optimize the once-per-frame code, the
 * page's and the profiler probe's (until it does, that code boxes numbers into garbage: in the
 * zero-garbage mode on a loaded machine at about 23 fps, 60 s of warm-up left 17 B/frame of it,
 * 150 s none). 60 s windows let the zero-garbage verdicts cover a 60 s trace and the naive
 * verdicts rest on tens of GC events. About 37 minutes for the four modes.
 */
export const DEMO_PROFILE_DEFAULTS = { runs: 3, durationMs: 60_000, warmupMs: 120_000 } as const;

/**
 * Mean bytes between allocation samples for `mode` (`undefined`: the engine's default, 1 KB).
 * The zero-garbage mode allocates a few bytes per frame in all, so its sampling is eight times
 * finer, or its figure would rest on a few dozen samples (a 95% margin near the 16-byte limit
 * itself); the other modes allocate kilobytes per frame, where finer sampling only costs time.
 */
export function samplingIntervalFor(mode: string): number | undefined {
  return mode === 'zero-garbage' ? 128 : undefined;
}

/**
 * Bytes per frame the profiler's own frame probe was charged with in `p` (it takes over
 * `requestAnimationFrame`, so the browser's per-frame timestamp number is made on its way in):
 * left out of the page's figure in the zero-garbage verdict, which is about the page.
 */
export function probeBytesPerFrame(p: PageProfile): number {
  return p.allocation.byPackage.filter((o) => o.kind === 'probe').reduce((s, o) => s + o.bytesPerFrame, 0);
}

/** Fewest GC events over the naive runs for a verdict that compares a mode against naive's GCs. */
export const MIN_NAIVE_GC_EVENTS = 10;

/** The demo's parameters a profile sets; `undefined`: the demo's own default for the renderer. */
export interface DemoParams {
  spawn?: number;
  capacity?: number;
  seed: number;
}

/**
 * The page URL of one mode: overlay off (its per-frame drawing is not what is compared) and the
 * page's own work timer off (`cpu=0`: each `performance.now()` returns a new heap number; the
 * engine measures the page's work per frame from outside). Capacity and spawn rate are left to
 * the demo's defaults by renderer unless given.
 */
export function demoUrl(base: string, mode: string, p: DemoParams): string {
  const q = new URLSearchParams({ mode, seed: String(p.seed), overlay: '0', cpu: '0' });
  if (p.capacity !== undefined) q.set('capacity', String(p.capacity));
  if (p.spawn !== undefined) q.set('spawn', String(p.spawn));
  return `${base}${DEMO_PAGE}?${q}`;
}

/** Our code, as the Vite dev server serves it: the library's sources and the demo's. */
export const OUR_SCRIPTS = /^\/(src|examples)\//;

/**
 * Bytes per frame allocated by our code (steadyheap and the demo) in a profile, with its 95%
 * margin and samples, counting only allocation that recurs: sites whose samples came in one
 * moment per run (`oneOff`, such as V8 installing optimized code, which it charges to the frame
 * running then) are left out and reported as `oneOffBytesPerFrame`, with `oneOffSites`. NaN when
 * the page was a bundle (its owners cannot be told apart).
 */
export function oursOf(p: PageProfile): {
  bytesPerFrame: number;
  error95BytesPerFrame: number;
  samples: number;
  oneOffBytesPerFrame: number;
  oneOffSites: AllocationSite[];
} {
  const bundled = p.allocation.byScript.some((s) => s.ownerKind === 'page' && /\/assets\/[^/]+\.js$/.test(s.script));
  const ours = p.allocation.byPackage.filter((o) => o.kind === 'page' && OUR_SCRIPTS.test(o.package));
  const oneOffSites = p.allocation.sites.filter((s) => s.ownerKind === 'page' && OUR_SCRIPTS.test(s.owner) && s.oneOff);
  if (bundled) {
    return {
      bytesPerFrame: Number.NaN,
      error95BytesPerFrame: Number.NaN,
      samples: 0,
      oneOffBytesPerFrame: 0,
      oneOffSites: [],
    };
  }
  const oneOffBytesPerFrame = oneOffSites.reduce((s, o) => s + o.bytesPerFrame, 0);
  return {
    bytesPerFrame: Math.max(0, ours.reduce((s, o) => s + o.bytesPerFrame, 0) - oneOffBytesPerFrame),
    error95BytesPerFrame: Math.sqrt(ours.reduce((s, o) => s + o.error95BytesPerFrame ** 2, 0)),
    samples: ours.reduce((s, o) => s + o.samples, 0) - oneOffSites.reduce((s, o) => s + o.samples, 0),
    oneOffBytesPerFrame,
    oneOffSites,
  };
}

/** The demo's verdicts, by id. */
export type DemoVerdictId =
  | 'naiveGcsPer30s'
  | 'zeroGarbageGcs'
  | 'zeroGarbageBytesPerFrame'
  | 'ourBytesPerFrame'
  | 'zeroGarbageMissedFramesWithGc'
  | 'zeroGarbageGcShareOfNaive';

/** One verdict: a measured figure against its limit. */
export interface DemoTarget {
  id: DemoVerdictId;
  label: string;
  /** Measured value in `unit` (NaN: not measured). */
  value: number;
  /** The limit, and whether the value must stay at or below it (`max`) or reach it (`min`). */
  limit: number;
  bound: 'max' | 'min';
  unit: string;
  /** true met, false missed, null not measured. */
  met: boolean | null;
  /** The figure's range over the runs (null with one run or when not measured). */
  spread: { min: number; max: number } | null;
  /** How the value was obtained. */
  detail: string;
}

/** Per-run values of a figure, for its spread. */
function spreadOfRuns(values: readonly number[]): { min: number; max: number } | null {
  const finite = values.filter(Number.isFinite);
  return finite.length > 1 ? { min: Math.min(...finite), max: Math.max(...finite) } : null;
}

const judge = (value: number, limit: number, bound: 'max' | 'min'): boolean | null =>
  Number.isFinite(value) ? (bound === 'max' ? value <= limit : value >= limit) : null;

/** GCs per 30 s of one run. */
const gcsPer30s = (r: PageProfile['runs'][number]) => (r.gc.count * 30) / r.frames.seconds;

/** Evaluates the demo's verdicts on the modes' profiles. O(runs + sites). */
export function checkTargets(profiles: Readonly<Record<string, PageProfile>>): DemoTarget[] {
  const naive = profiles.naive;
  const zero = profiles['zero-garbage'];
  const traced = (p: PageProfile | undefined): p is PageProfile => !!p && p.gc.traced;
  const naiveEvents = traced(naive) ? naive.runs.reduce((s, r) => s + r.gc.count, 0) : 0;
  const naiveRuns = traced(naive) ? naive.runs.length : 0;
  const targets: DemoTarget[] = [];

  // 1. naive collects.
  {
    const perRun = traced(naive) ? naive.runs.map(gcsPer30s) : [];
    const value = traced(naive) ? (naive.gc.count * 30) / naive.frames.seconds : Number.NaN;
    targets.push({
      id: 'naiveGcsPer30s',
      label: 'naive: GCs per 30 s',
      value,
      limit: 5,
      bound: 'min',
      unit: 'GCs',
      met: judge(value, 5, 'min'),
      spread: spreadOfRuns(perRun),
      detail: traced(naive)
        ? `${naiveEvents} GC events over ${naiveRuns} run(s) of ${fmt(naive.frames.seconds, 0)} s (median ${fmt(naive.gc.count)} per run: ${fmt(naive.gc.minor)} minor, ${fmt(naive.gc.major)} major), longest pause ${fmt(naive.gc.maxMs, 1)} ms`
        : 'needs the naive mode, traced',
    });
  }

  // 2. zero-garbage: no GC in any window.
  {
    const perRun = traced(zero) ? zero.runs.map((r) => r.gc.count) : [];
    const value = perRun.length > 0 ? Math.max(...perRun) : Number.NaN;
    targets.push({
      id: 'zeroGarbageGcs',
      label: 'zero-garbage: GCs in a window (most over the runs)',
      value,
      limit: 0,
      bound: 'max',
      unit: 'GCs',
      met: judge(value, 0, 'max'),
      spread: spreadOfRuns(perRun),
      detail: traced(zero)
        ? `${perRun.join(', ')} GC(s) in ${zero.runs.length} traced window(s) of ${fmt(zero.frames.seconds, 0)} s`
        : 'needs the zero-garbage mode, traced',
    });
  }

  // 3. zero-garbage: the whole page's bytes per frame, the profiler's probe left out.
  {
    const a = zero?.allocation;
    const probe = zero ? probeBytesPerFrame(zero) : 0;
    const value = a ? a.bytesPerFrame - probe : Number.NaN;
    const topSites = a
      ? a.sites
          .slice(0, 3)
          .map((s) => `${s.functionName} (${s.owner}${s.line > 0 ? `:${s.line}` : ''}) ${fmt(s.bytesPerFrame, 1)}`)
          .join(', ')
      : '';
    targets.push({
      id: 'zeroGarbageBytesPerFrame',
      label: 'zero-garbage: whole page allocates per frame (the profiler probe left out)',
      value,
      limit: 16,
      bound: 'max',
      unit: 'B/frame',
      met: judge(value, 16, 'max'),
      spread: zero ? spreadOfRuns(zero.runs.map((r) => r.allocation.bytesPerFrame - probe)) : null,
      detail: a
        ? `${fmt(value, 1)} ± ${fmt(a.error95BytesPerFrame, 1)} B/frame (95%) over ${fmt(a.frames)} frames sampled every ${fmt(a.samplingIntervalBytes)} B, objects collected by GC included (the probe: ${fmt(probe, 1)} B/frame more); top: ${topSites || 'no sample'}`
        : 'needs the zero-garbage mode',
    });
  }

  // 4. our code, in the three pooled modes.
  {
    const modes = ['pooled', 'instanced', 'zero-garbage'].filter((m) => profiles[m]);
    const ours = modes.map((m) => ({ mode: m, ...oursOf(profiles[m]) }));
    const bundled = ours.some((o) => Number.isNaN(o.bytesPerFrame));
    const value =
      ours.length === 0 || bundled ? Number.NaN : Math.max(...ours.map((o) => (o.samples === 0 ? 0 : o.bytesPerFrame)));
    targets.push({
      id: 'ourBytesPerFrame',
      label: 'pooled, instanced, zero-garbage: our code allocates per frame, recurring (most of the three)',
      value,
      limit: 0,
      bound: 'max',
      unit: 'B/frame',
      met: judge(value, 0, 'max'),
      spread: null,
      detail:
        ours.length === 0
          ? 'needs the pooled, instanced or zero-garbage mode'
          : bundled
            ? 'served as a bundle: our code cannot be told from PixiJS (profile the dev server)'
            : ours
                .map((o) => {
                  const p = profiles[o.mode];
                  const oneOff =
                    o.oneOffSites.length === 0
                      ? ''
                      : ` (left out, one-off: ${fmt(o.oneOffBytesPerFrame, 1)} B/frame in ${o.oneOffSites
                          .slice(0, 2)
                          .map((s) => `${s.functionName} (${s.script}:${s.line}), ${s.moments} moment(s)`)
                          .join(
                            ', ',
                          )}; one-off allocations include V8 installing optimized code, which it charges to the frame running then)`;
                  if (o.samples === 0) {
                    const bound = (3 * p.allocation.samplingIntervalBytes) / p.allocation.frames;
                    return `${o.mode}: no recurring sample over ${fmt(p.allocation.frames)} frames (under ${fmt(bound, 1)} B/frame at 95%)${oneOff}`;
                  }
                  const sites = p.allocation.sites
                    .filter((s) => OUR_SCRIPTS.test(s.owner) && !s.oneOff)
                    .slice(0, 2)
                    .map((s) => `${s.functionName} (${s.script}:${s.line})`)
                    .join(', ');
                  return `${o.mode}: ${fmt(o.bytesPerFrame, 1)} ± ${fmt(o.error95BytesPerFrame, 1)} B/frame in ${sites}${oneOff}`;
                })
                .join('; '),
    });
  }

  // 5. zero-garbage: missed frames with a GC inside.
  {
    const perRun = traced(zero) ? zero.runs.map((r) => r.gc.missedFramesWithGc) : [];
    const value = perRun.length > 0 ? Math.max(...perRun) : Number.NaN;
    targets.push({
      id: 'zeroGarbageMissedFramesWithGc',
      label: 'zero-garbage: missed frames with a GC inside (most over the runs)',
      value,
      limit: 0,
      bound: 'max',
      unit: 'frames',
      met: judge(value, 0, 'max'),
      spread: spreadOfRuns(perRun),
      detail: traced(zero)
        ? `${fmt(zero.frames.missed)} missed frames (median), ${perRun.join(', ')} with a GC inside; naive: ${traced(naive) ? `${fmt(naive.gc.missedFramesWithGc)} with a GC inside, ${fmt(naive.gc.gcMsInMissedFrames, 1)} ms of GC in them` : 'not profiled'}`
        : 'needs the zero-garbage mode, traced',
    });
  }

  // 6. zero-garbage GC pauses against naive's.
  {
    const enough = naiveEvents >= MIN_NAIVE_GC_EVENTS;
    const value =
      traced(zero) && traced(naive) && enough && naive.gc.totalMs > 0
        ? (100 * zero.gc.totalMs) / naive.gc.totalMs
        : Number.NaN;
    targets.push({
      id: 'zeroGarbageGcShareOfNaive',
      label: 'zero-garbage: GC pause total / naive GC pause total',
      value,
      limit: 10,
      bound: 'max',
      unit: '%',
      met: judge(value, 10, 'max'),
      spread: traced(zero) ? spreadOfRuns(zero.runs.map((r) => r.gc.totalMs)) : null,
      detail:
        !traced(zero) || !traced(naive)
          ? 'needs the zero-garbage and naive modes, traced'
          : !enough
            ? `only ${naiveEvents} GC event(s) in the naive runs (fewer than ${MIN_NAIVE_GC_EVENTS}): run longer (--duration)`
            : `${fmt(zero.gc.totalMs, 2)} ms vs naive ${fmt(naive.gc.totalMs, 2)} ms paused (medians of the runs; naive runs ${fmt(naive.spread['gc.totalMs']?.min ?? Number.NaN, 1)}-${fmt(naive.spread['gc.totalMs']?.max ?? Number.NaN, 1)} ms)`,
    });
  }
  return targets;
}

/** One word for a verdict. */
export const verdictWord = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');

const digitsOf = (unit: string) => (unit === '%' || unit === 'B/frame' ? 1 : unit === 'GCs' ? 1 : 0);
const boundText = (t: DemoTarget) => `${t.bound === 'max' ? '<=' : '>='} ${t.limit} ${t.unit}`;
const spreadText = (t: DemoTarget) =>
  t.spread ? ` (runs ${fmt(t.spread.min, digitsOf(t.unit))}-${fmt(t.spread.max, digitsOf(t.unit))})` : '';

/**
 * A warning line when the 1-minute load average exceeds the CPUs (other work then shows as
 * missed frames and slows V8's optimization of once-per-frame code), or an empty string.
 */
export function loadWarning(loadAverage1m: number, cpus: number): string {
  return loadAverage1m > cpus
    ? `warning: load average ${loadAverage1m.toFixed(2)} on ${cpus} CPUs: frame times and missed frames reflect other work; GC and allocation verdicts hold better, but a slow machine also takes longer to optimize the once-per-frame code`
    : '';
}

/** The verdicts as terminal lines. */
export function formatTargets(targets: readonly DemoTarget[]): string {
  return [
    'Verdicts:',
    ...targets.map(
      (t) =>
        `  ${t.label}: ${fmt(t.value, digitsOf(t.unit))} ${t.unit}${spreadText(t)} (target ${boundText(t)}): ${verdictWord(t.met)}\n      ${t.detail}`,
    ),
  ].join('\n');
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** The verdicts as an HTML section for the report. */
export function targetsHtml(targets: readonly DemoTarget[]): string {
  return `<h2>Verdicts</h2><table><tr><th>verdict</th><th>measured</th><th>runs</th><th>target</th><th>result</th><th>how</th></tr>
${targets
  .map(
    (t) =>
      `<tr><td>${esc(t.label)}</td><td class="num">${fmt(t.value, digitsOf(t.unit))} ${esc(t.unit)}</td><td class="num">${t.spread ? `${fmt(t.spread.min, digitsOf(t.unit))}-${fmt(t.spread.max, digitsOf(t.unit))}` : '-'}</td><td class="num">${esc(boundText(t))}</td><td class="${t.met ? 'held' : t.met === false ? 'failed' : ''}">${verdictWord(t.met)}</td><td class="note">${esc(t.detail)}</td></tr>`,
  )
  .join('\n')}</table>`;
}
