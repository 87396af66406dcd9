/**
 * Where the render loop allocates: CDP allocation sampling (`HeapProfiler.startSampling`) with
 * objects collected by minor and major GCs included, so short-lived per-frame garbage is counted
 * and not only what survives. Sites are grouped by function and source line and classified by
 * origin (steadyheap, the demo, PixiJS, other dependencies, the browser itself).
 *
 * Sampling is statistical (Poisson, one sample per `samplingIntervalBytes` on average): a site
 * with no sample allocated less than about one interval over the window, not necessarily zero.
 */
import type { CDPSession } from 'playwright-core';

/** Mean bytes between samples. Smaller is more precise and slower. */
export const SAMPLING_INTERVAL_BYTES = 1024;

/** Who owns the code at a site. */
export type Origin = 'steadyheap' | 'demo' | 'pixi.js' | 'other dependency' | 'browser/V8' | 'bundle';

/** Origins that are our code: the target is zero bytes per frame from these in pooled mode. */
export const OUR_ORIGINS: readonly Origin[] = ['steadyheap', 'demo'];

/** One allocation site of the sampled profile. */
export interface AllocationSite {
  functionName: string;
  /** Source file (path below the server root) and 1-based line. */
  where: string;
  origin: Origin;
  /** Sampled bytes over the window. */
  bytes: number;
  /** Sampled bytes per frame. */
  bytesPerFrame: number;
  /** The nearest callers, innermost first, as "function (file:line)". */
  callers: string[];
}

/** The aggregated sampling profile. */
export interface AllocationProfile {
  frames: number;
  samplingIntervalBytes: number;
  totalBytes: number;
  bytesPerFrame: number;
  /** Sampled bytes per frame by origin. */
  byOrigin: Record<string, number>;
  /** Heaviest sites first. */
  topSites: AllocationSite[];
  /** Every site in our code ({@link OUR_ORIGINS}), heaviest first (not cut to the top N). */
  ourSites: AllocationSite[];
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Classifies a script URL by who owns the code. */
export function originOf(url: string): Origin {
  if (!url) return 'browser/V8';
  const path = url.replace(/^[a-z]+:\/\/[^/]+/, '').replace(/\?.*$/, '');
  if (/\/node_modules\/\.vite\/deps\//.test(path)) {
    // Vite pre-bundles the demo's dependencies into shared chunks (CanvasPool-*.js,
    // RenderTargetSystem-*.js, ...). The particle demo's only runtime dependency is pixi.js.
    return /\/(bitecs|@thi\.ng)/.test(path) ? 'other dependency' : 'pixi.js';
  }
  if (/\/node_modules\/pixi\.js\//.test(path)) return 'pixi.js';
  if (/\/node_modules\//.test(path)) return 'other dependency';
  if (/\/src\//.test(path)) return 'steadyheap';
  if (/\/examples\//.test(path)) return 'demo';
  if (/\/assets\//.test(path)) return 'bundle'; // a minified build: owners cannot be told apart
  return 'other dependency';
}

function shortUrl(url: string): string {
  if (!url) return '(native)';
  try {
    const u = new URL(url);
    return u.pathname.replace(/^\/(node_modules\/\.vite\/deps\/)?/, '').replace(/\?.*$/, '');
  } catch {
    return url;
  }
}

function label(node: SamplingNode): string {
  const f = node.callFrame;
  return `${f.functionName || '(anonymous)'} (${shortUrl(f.url)}:${f.lineNumber + 1})`;
}

/** Starts sampling; returns a function that stops it and aggregates the profile over `frames`. */
export async function startAllocationSampling(
  session: CDPSession,
): Promise<(frames: number, topN?: number) => Promise<AllocationProfile>> {
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL_BYTES,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  return async (frames, topN = 12) => {
    const { profile } = (await session.send('HeapProfiler.stopSampling')) as unknown as {
      profile: { head: SamplingNode };
    };
    await session.send('HeapProfiler.disable');
    return aggregate(profile.head, frames, topN);
  };
}

/** Groups a sampling tree by site (function, file, line). O(nodes). */
export function aggregate(head: SamplingNode, frames: number, topN: number): AllocationProfile {
  const sites = new Map<string, AllocationSite>();
  const byOrigin: Record<string, number> = {};
  let totalBytes = 0;
  const perFrame = (b: number) => (frames > 0 ? b / frames : NaN);
  const visit = (node: SamplingNode, stack: SamplingNode[]) => {
    if (node.selfSize > 0) {
      const f = node.callFrame;
      const where = `${shortUrl(f.url)}:${f.lineNumber + 1}`;
      const key = `${f.functionName}@${where}`;
      const origin = originOf(f.url);
      let site = sites.get(key);
      if (!site) {
        site = {
          functionName: f.functionName || '(anonymous)',
          where,
          origin,
          bytes: 0,
          bytesPerFrame: 0,
          callers: stack.slice(1).slice(-4).reverse().map(label), // stack[0] is the (root) node
        };
        sites.set(key, site);
      }
      site.bytes += node.selfSize;
      byOrigin[origin] = (byOrigin[origin] ?? 0) + node.selfSize;
      totalBytes += node.selfSize;
    }
    stack.push(node);
    for (const child of node.children) visit(child, stack);
    stack.pop();
  };
  visit(head, []);
  const all = [...sites.values()].sort((a, b) => b.bytes - a.bytes);
  for (const s of all) s.bytesPerFrame = perFrame(s.bytes);
  const topSites = all.slice(0, topN);
  const ourSites = all.filter((s) => OUR_ORIGINS.includes(s.origin));
  for (const k of Object.keys(byOrigin)) byOrigin[k] = perFrame(byOrigin[k]);
  return {
    frames,
    samplingIntervalBytes: SAMPLING_INTERVAL_BYTES,
    totalBytes,
    bytesPerFrame: perFrame(totalBytes),
    byOrigin,
    topSites,
    ourSites,
  };
}
