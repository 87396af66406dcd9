/**
 * Who allocates, per frame: V8's sampling heap profiler (CDP `HeapProfiler.startSampling`) with
 * objects collected by minor and major GCs included (`includeObjectsCollectedByMinorGC` /
 * `...MajorGC`), so short-lived per-frame garbage counts and not only what survives.
 *
 * The sampler is Poisson: V8 samples an allocation with probability `1 - exp(-size / interval)`
 * and reports each sample scaled by the inverse of that probability (`size × round(1 / p)`, see
 * V8's `SamplingHeapProfiler::ScaleSample`), so the sum of a site's sample sizes estimates the
 * bytes it allocated without bias. Its variance is `Σ wᵢ² (1 - pᵢ)` over the site's samples of
 * weight `wᵢ` taken with probability `pᵢ = 1 - exp(-sᵢ / interval)` (see {@link sampleVariance}
 * for recovering the object size `sᵢ` from the weight): about `interval² × samples` for objects
 * much smaller than the interval, near 0 for objects much larger (every one of them is sampled).
 * Figures carry the 95% margin
 * `1.96 × SE` as `error95BytesPerFrame`; a figure with no sample is reported as 0 with the
 * rule-of-three bound (`3 × interval / frames`: fewer than 3 expected samples at 95%).
 *
 * Sites are (function, script, line of the function's start) as the profile names them: V8
 * attributes an allocation to the innermost *JavaScript* frame, so what a function inlined into
 * its caller allocates shows under the caller.
 *
 * @module
 */
import { ownerOf, shortScript, type OwnerKind, type ScriptOwner } from './attribution.js';
import { PROBE_SCRIPT_URL } from './probe.js';
import type { CdpSession } from './trace.js';

/** Default mean bytes between samples: small enough to see a 16-byte-per-frame site in a few seconds. */
export const DEFAULT_SAMPLING_INTERVAL_BYTES = 1024;

/** z for a two-sided 95% interval. */
const Z95 = 1.96;

/** One node of a CDP sampling heap profile. */
export interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number; scriptId?: string };
  selfSize: number;
  id: number;
  children: SamplingNode[];
}

/** A CDP sampling heap profile. */
export interface SamplingProfile {
  head: SamplingNode;
  samples?: { size: number; nodeId: number; ordinal: number }[];
}

/** One allocation site (function, script, line). */
export interface AllocationSite {
  functionName: string;
  /** Script URL ('' for none). */
  url: string;
  /** 1-based line of the function's start (0 when unknown). */
  line: number;
  /** 1-based column of the function's start (0 when unknown). */
  column: number;
  /** Script path as shown (the page's origin left out). */
  script: string;
  /**
   * Owner: npm package, page script path, `(browser)` or `(steadyheap probe)`. A site without a
   * script (a built-in such as `push`, or eval code) belongs to its nearest caller with one.
   */
  owner: string;
  ownerKind: OwnerKind;
  /** Sampled bytes per frame (an unbiased estimate). */
  bytesPerFrame: number;
  /** Half-width of the 95% interval of `bytesPerFrame`. */
  error95BytesPerFrame: number;
  /** Samples behind the figure. */
  samples: number;
  /** Nearest JavaScript callers, innermost first, as `function (script:line)`, at most 3. */
  callers: string[];
  /**
   * Moments the site's samples came from: runs of consecutive sample ordinals (no other sample
   * between them), counted over every run of a merged profile. Allocation that recurs frame after
   * frame shows as many moments; one event as one.
   */
  moments: number;
  /**
   * True when, in every run where the site was sampled, all its samples came in one moment: a
   * one-off allocation, not a per-frame one. V8 installing optimized code (a few KB of code and
   * deoptimization data, in one burst) charges it to the JavaScript frame running then, so a
   * function that allocates nothing can show such a burst once, late in a page's life.
   */
  oneOff: boolean;
}

/** Bytes per frame of one script. */
export interface ScriptAllocation {
  url: string;
  script: string;
  owner: string;
  ownerKind: OwnerKind;
  bytesPerFrame: number;
  error95BytesPerFrame: number;
  samples: number;
}

/** Bytes per frame of one owner (npm package, page script, the browser, the probe). */
export interface PackageAllocation {
  /** npm package name; for the page's own code the script's path; `(browser)`; `(steadyheap probe)`. */
  package: string;
  kind: OwnerKind;
  bytesPerFrame: number;
  error95BytesPerFrame: number;
  samples: number;
  /** Scripts that allocated under this owner. */
  scripts: number;
}

/** The allocation figures of one measured window. */
export interface AllocationFigures {
  /** Frames (animation-frame dispatches) while sampling. */
  frames: number;
  samplingIntervalBytes: number;
  /** Sampled bytes over the window, every owner (the whole JS heap's allocation). */
  totalBytes: number;
  /** `totalBytes / frames`. */
  bytesPerFrame: number;
  error95BytesPerFrame: number;
  /** Samples behind `totalBytes`. */
  samples: number;
  /** Rule-of-three 95% upper bound per frame when `samples` is 0 (else NaN). */
  upperBound95BytesPerFrame: number;
  /** Heaviest sites first (cut to `maxSites`). */
  sites: AllocationSite[];
  /** Every script, heaviest first. */
  byScript: ScriptAllocation[];
  /** Every owner, heaviest first. */
  byPackage: PackageAllocation[];
}

/** Every script URL in a sampling profile (for resolving owners). O(nodes). */
export function scriptUrlsOf(profile: SamplingProfile): Set<string> {
  const urls = new Set<string>();
  const visit = (n: SamplingNode) => {
    if (n.callFrame.url) urls.add(n.callFrame.url);
    for (const c of n.children) visit(c);
  };
  visit(profile.head);
  return urls;
}

/**
 * Starts the sampling heap profiler; the returned function stops it and returns the raw profile.
 * The HeapProfiler domain stays enabled (disabling it right away made V8 run a full collection,
 * which would land in a trace still running): call `HeapProfiler.disable` when the trace is done.
 */
export async function startSampling(
  session: CdpSession,
  samplingIntervalBytes = DEFAULT_SAMPLING_INTERVAL_BYTES,
): Promise<() => Promise<SamplingProfile>> {
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.startSampling', {
    samplingInterval: samplingIntervalBytes,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = (await session.send('HeapProfiler.stopSampling')) as { profile: SamplingProfile };
    return profile;
  };
}

/**
 * Variance contribution `w² (1 - p)` of one sample of weight `w` (bytes) at sampling interval
 * `I`. V8 reports `w = s × round(1 / p)` for an object of `s` bytes, `p = 1 - exp(-s / I)`: the
 * round-off is 1 for `s > 1.1 I` (so `w = s`), 2 for `0.69 I < s ≤ 1.1 I` (`w` in 1.4-2.2 I) and
 * larger for smaller objects (`w` about `I + s / 2`). The size is recovered conservatively (the
 * smaller candidate): `s = w` above 2.2 I, `s = w / 2` above 1.5 I, else 0 (`1 - p = 1`). O(1).
 */
export function sampleVariance(w: number, intervalBytes: number): number {
  const s = w > 2.2 * intervalBytes ? w : w > 1.5 * intervalBytes ? w / 2 : 0;
  return w * w * Math.exp(-s / intervalBytes);
}

interface Sum {
  bytes: number;
  squares: number;
  samples: number;
}

const newSum = (): Sum => ({ bytes: 0, squares: 0, samples: 0 });

/** Name of the head node of a profile merged from several runs (`mergeSamplingProfiles`). */
export const MERGED_HEAD_NAME = '(runs)';

/**
 * Counts each site's moments (runs of consecutive sample ordinals) and sets `oneOff` when a site
 * has one moment per run it was sampled in. O(samples log samples).
 */
function countMoments(
  samples: readonly { nodeId: number; ordinal: number }[],
  siteOfNode: ReadonlyMap<number, { site: AllocationSite; runs: Set<number> }>,
): void {
  const last = new Map<AllocationSite, number>();
  for (const s of [...samples].sort((a, b) => a.ordinal - b.ordinal)) {
    const entry = siteOfNode.get(s.nodeId);
    if (!entry) continue;
    const previous = last.get(entry.site);
    if (previous === undefined || s.ordinal !== previous + 1) entry.site.moments++;
    last.set(entry.site, s.ordinal);
  }
  for (const { site, runs } of siteOfNode.values()) site.oneOff = site.moments > 0 && site.moments <= runs.size;
}

/**
 * Aggregates a sampling profile over `frames` frames into sites, scripts and owners, with 95%
 * margins. Sites in the profiler's probe are listed under their own owner, `(steadyheap probe)`,
 * and counted in the total like everything else: the probe allocates nothing per frame (tested),
 * but V8 charges to the innermost JavaScript frame whatever the heap allocates while it runs,
 * which may include V8's own work at that frame's interrupt checks and the values a
 * deoptimization materializes. O(nodes + samples + sites log sites).
 *
 * @param profile - `HeapProfiler.stopSampling`'s profile (its `samples` give the error; without
 *   them each node's bytes count as one sample per `samplingIntervalBytes`).
 * @param frames - frames during the sampling, integer > 0 (else the per-frame figures are NaN).
 * @param pageOrigin - the page's origin, left out of script names.
 * @param maxSites - sites kept, heaviest first.
 * @param knownOwners - owners known for some script URLs (from their source maps, see
 *   `resolveChunkOwners`), used before the URL rules.
 * @throws TypeError when `profile` has no `head`.
 */
export function aggregateAllocations(
  profile: SamplingProfile,
  frames: number,
  samplingIntervalBytes: number,
  pageOrigin = '',
  maxSites = 50,
  knownOwners: ReadonlyMap<string, ScriptOwner> = new Map(),
): AllocationFigures {
  const ownerFor = (url: string, functionName: string) => knownOwners.get(url) ?? ownerOf(url, functionName);
  if (!profile || typeof profile !== 'object' || !profile.head) {
    throw new TypeError('profile must be a sampling heap profile with a head node');
  }
  // Per-node sample statistics from the samples list.
  const perNode = new Map<number, Sum>();
  for (const s of profile.samples ?? []) {
    let sum = perNode.get(s.nodeId);
    if (!sum) {
      sum = newSum();
      perNode.set(s.nodeId, sum);
    }
    sum.bytes += s.size;
    sum.squares += sampleVariance(s.size, samplingIntervalBytes);
    sum.samples++;
  }
  const nodeSum = (node: SamplingNode): Sum => {
    const fromSamples = perNode.get(node.id);
    if (fromSamples && profile.samples) return { ...fromSamples, bytes: node.selfSize };
    // No samples list: treat the bytes as whole samples of one interval each.
    const n = Math.round(node.selfSize / samplingIntervalBytes);
    return {
      bytes: node.selfSize,
      squares: n * sampleVariance(samplingIntervalBytes, samplingIntervalBytes),
      samples: n,
    };
  };
  type SiteEntry = { site: AllocationSite; sum: Sum; runs: Set<number> };
  const sites = new Map<string, SiteEntry>();
  const siteOfNode = new Map<number, SiteEntry>();
  // A merged profile (see `mergeSamplingProfiles`) has one child of its head per run.
  const merged = profile.head.callFrame.functionName === MERGED_HEAD_NAME;
  const runIndex = new Map<number, number>(profile.head.children.map((c, i) => [c.id, i]));
  const scripts = new Map<string, { entry: ScriptAllocation; sum: Sum }>();
  const owners = new Map<string, { entry: PackageAllocation; sum: Sum; scripts: Set<string> }>();
  const total = newSum();
  const add = (into: Sum, s: Sum) => {
    into.bytes += s.bytes;
    into.squares += s.squares;
    into.samples += s.samples;
  };
  const label = (n: SamplingNode) =>
    `${n.callFrame.functionName || '(anonymous)'} (${shortScript(n.callFrame.url, pageOrigin)}:${n.callFrame.lineNumber + 1})`;
  const stack: SamplingNode[] = [];
  const visit = (node: SamplingNode) => {
    if (node.selfSize > 0) {
      const f = node.callFrame;
      const sum = nodeSum(node);
      let owner = ownerFor(f.url, f.functionName);
      // A built-in (Array.prototype.push, sort) or code made by eval / new Function has no
      // script: what it allocates belongs to the nearest caller that has one. V8's own nodes,
      // named in parentheses ((IDLE), (V8 API), (program)), stay the browser's.
      let scriptUrl = f.url;
      if (owner.kind === 'browser' && !/^\(.*\)$/.test(f.functionName)) {
        for (let i = stack.length - 1; i >= 0; i--) {
          const c = stack[i].callFrame;
          if (c.url !== '') {
            owner = ownerFor(c.url, c.functionName);
            scriptUrl = c.url;
            break;
          }
        }
      }
      const key = `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}\u0000${scriptUrl}`;
      let site = sites.get(key);
      if (!site) {
        site = {
          site: {
            functionName: f.functionName || '(anonymous)',
            url: f.url,
            line: f.lineNumber >= 0 ? f.lineNumber + 1 : 0,
            column: f.columnNumber >= 0 ? f.columnNumber + 1 : 0,
            script: shortScript(f.url, pageOrigin),
            owner: owner.name,
            ownerKind: owner.kind,
            bytesPerFrame: 0,
            error95BytesPerFrame: 0,
            samples: 0,
            moments: 0,
            oneOff: false,
            callers: stack
              .slice(1)
              .filter((c) => c.callFrame.url !== '')
              .slice(-3)
              .reverse()
              .map(label),
          },
          sum: newSum(),
          runs: new Set(),
        };
        sites.set(key, site);
      }
      add(site.sum, sum);
      siteOfNode.set(node.id, site);
      const run = merged ? (runIndex.get((stack.length > 1 ? stack[1] : node).id) ?? 0) : 0;
      site.runs.add(run);
      const scriptKey = owner.kind === 'probe' ? PROBE_SCRIPT_URL : scriptUrl;
      let script = scripts.get(scriptKey);
      if (!script) {
        script = {
          entry: {
            url: scriptKey,
            script: shortScript(scriptKey, pageOrigin),
            owner: owner.name,
            ownerKind: owner.kind,
            bytesPerFrame: 0,
            error95BytesPerFrame: 0,
            samples: 0,
          },
          sum: newSum(),
        };
        scripts.set(scriptKey, script);
      }
      add(script.sum, sum);
      let own = owners.get(owner.name);
      if (!own) {
        own = {
          entry: {
            package: owner.name,
            kind: owner.kind,
            bytesPerFrame: 0,
            error95BytesPerFrame: 0,
            samples: 0,
            scripts: 0,
          },
          sum: newSum(),
          scripts: new Set(),
        };
        owners.set(owner.name, own);
      }
      add(own.sum, sum);
      own.scripts.add(scriptKey);
      add(total, sum);
    }
    stack.push(node);
    for (const child of node.children) visit(child);
    stack.pop();
  };
  visit(profile.head);
  countMoments(profile.samples ?? [], siteOfNode);
  const perFrame = (bytes: number) => (frames > 0 ? bytes / frames : NaN);
  const fill = <T extends { bytesPerFrame: number; error95BytesPerFrame: number; samples: number }>(
    into: T,
    s: Sum,
  ): T => {
    into.bytesPerFrame = perFrame(s.bytes);
    into.error95BytesPerFrame = perFrame(Z95 * Math.sqrt(s.squares));
    into.samples = s.samples;
    return into;
  };
  const heaviest = <T extends { bytesPerFrame: number }>(a: T, b: T) => b.bytesPerFrame - a.bytesPerFrame;
  const siteList = [...sites.values()].map(({ site, sum }) => fill(site, sum)).sort(heaviest);
  const scriptList = [...scripts.values()].map(({ entry, sum }) => fill(entry, sum)).sort(heaviest);
  const ownerList = [...owners.values()]
    .map(({ entry, sum, scripts: s }) => {
      fill(entry, sum);
      entry.scripts = s.size;
      return entry;
    })
    .sort(heaviest);
  return {
    frames,
    samplingIntervalBytes,
    totalBytes: total.bytes,
    bytesPerFrame: perFrame(total.bytes),
    error95BytesPerFrame: perFrame(Z95 * Math.sqrt(total.squares)),
    samples: total.samples,
    upperBound95BytesPerFrame: total.samples === 0 ? perFrame(3 * samplingIntervalBytes) : NaN,
    sites: siteList.slice(0, maxSites),
    byScript: scriptList,
    byPackage: ownerList,
  };
}
