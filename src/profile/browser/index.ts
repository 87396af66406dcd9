/**
 * `steadyheap/profile`: the browser profiler behind `steadyheap profile <url | folder>`, as a
 * library. Node only (it drives Chromium through playwright-core, an optional peer dependency).
 * Every public export is listed by name.
 *
 * ```ts
 * import { profilePage } from 'steadyheap/profile';
 * const p = await profilePage({ url: 'http://127.0.0.1:5173/', durationMs: 10_000 });
 * console.log(p.frames.p99Ms, p.gc.missedFramesWithGc, p.allocation.bytesPerFrame);
 * ```
 *
 * @module steadyheap/profile
 */
export {
  profilePage,
  aggregateRuns,
  browserMetadata,
  runOptionsOf,
  resolveOptions,
  medianOfShapes,
  mergeSamplingProfiles,
  figureAt,
  PROFILE_SCHEMA,
  PROFILE_DEFINITIONS,
  SPREAD_FIGURES,
  type ProfilePageOptions,
  type ResolvedProfileOptions,
  type PageProfile,
  type ProfileMeta,
  type BrowserMetadata,
  type RunFigures,
  type Spread,
} from './profile.js';
export {
  profileRun,
  PageNotProfilableError,
  PLAY_GRACE_MS,
  type NotProfilableReason,
  type ProfileScript,
  type ScriptContext,
  type ProfileProgress,
  type RunOptions,
  type RunProfile,
  type HeapFigures,
} from './run.js';
export {
  analyzeFrames,
  framesCsv,
  FRAMES_CSV_COLUMNS,
  MISSED_FRAME_FACTOR,
  MISSED_FRAME_DEFINITION,
  type FrameRow,
  type FrameFigures,
  type SummaryFigures,
  type RafFigures,
  type GcFigures,
  type GcEvent,
  type WindowInput,
  type WindowFrames,
} from './frames.js';
export {
  aggregateAllocations,
  startSampling,
  sampleVariance,
  scriptUrlsOf,
  DEFAULT_SAMPLING_INTERVAL_BYTES,
  type AllocationFigures,
  type AllocationSite,
  type ScriptAllocation,
  type PackageAllocation,
  type SamplingProfile,
  type SamplingNode,
} from './allocation.js';
export {
  ownerOf,
  shortScript,
  vitePrebundlePackage,
  BROWSER_OWNER,
  PROBE_OWNER,
  VITE_CHUNK_OWNER,
  type OwnerKind,
  type ScriptOwner,
} from './attribution.js';
export {
  mainThreadTimeline,
  slicesPerFrame,
  startTracing,
  TRACE_CATEGORIES,
  GC_EVENT_NAMES,
  RAF_EVENT_NAME,
  type TraceEvent,
  type Slice,
  type GcSlice,
  type MainThreadTimeline,
  type CdpSession,
} from './trace.js';
export {
  PROBE_SOURCE,
  PROBE_SCRIPT_URL,
  PROBE_FUNCTION_NAMES,
  PROBE_GLOBAL,
  PROBE_CAPACITY_FRAMES,
  PROBE_MAX_LONG_FRAMES,
  type ProbeRead,
  type LongAnimationFrame,
} from './probe.js';
export {
  launchBrowser,
  loadPlaywright,
  findChromium,
  ProfilerSetupError,
  CHROMIUM_ARGS,
  CHROMIUM_CANDIDATES,
  CHROMIUM_HINT,
  PLAYWRIGHT_HINT,
  type LaunchOptions,
} from './chromium.js';
export { serveFolder, MIME_TYPES, type FolderServer } from './serve.js';
export {
  resolveChunkOwners,
  packagesOfSourceMap,
  sourceMapUrlOf,
  SOURCE_MAP_FETCH_TIMEOUT_MS,
  type FetchText,
} from './source-maps.js';
export {
  checkGates,
  formatSummary,
  formatComparison,
  formatGates,
  bytesPerFrameText,
  fmt,
  fmtBytes,
  COMPARISON_ROWS,
  type GateLimits,
  type GateVerdict,
} from './summary.js';
export {
  writeReport,
  screenshotReport,
  chartJsFile,
  histogramPercent,
  percentileCurve,
  CURVE_PERCENTILES,
  LABEL_COLORS,
  type ReportEntry,
  type ReportOptions,
} from './report.js';
export {
  writeProfile,
  writeProfileFiles,
  keptProfiles,
  profileJson,
  readProfileJson,
  parseFramesCsv,
} from './output.js';
export {
  runProfileCommand,
  parseProfileArgs,
  progressLine,
  PROFILE_USAGE,
  EXIT,
  UsageError,
  type ProfileCommand,
  type CliIo,
} from './cli.js';
