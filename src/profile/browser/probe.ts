/**
 * The frame probe: a script the profiler injects into a page before any of the page's own scripts
 * (playwright's `addInitScript`), so the page is profiled unchanged.
 *
 * It takes over `requestAnimationFrame` / `cancelAnimationFrame` with one dispatcher: the page's
 * callbacks are queued in the probe's own preallocated arrays and run from a single native
 * animation-frame callback, in registration order, with the same timestamp, one exception not
 * stopping the others (each is passed to `reportError`, as the browser does), callbacks
 * registered during a frame running in the next, and a cancelled callback not running even when
 * it was due in the current frame. Per frame it writes into typed-array rings:
 *
 * - `tMs`: the animation-frame timestamp (the frame's begin time, `performance.now()` clock), ms;
 * - `callbacks`: how many page callbacks ran.
 *
 * No garbage of its own per frame: queueing a callback stores a reference in a preallocated slot
 * and returns a small-integer id; the dispatcher is one function created once; the timestamp the
 * browser passes goes straight into a typed array. (The queue grows by doubling, once, if a page
 * keeps more than 64 callbacks pending.) The probe reads no clock: in Chromium each
 * `performance.now()` returns a new 12-byte heap number even to optimized code (measured with the
 * sampling heap profiler: about 12 B per call per frame), so the time spent inside the page's
 * callbacks is taken from the trace instead (Blink's `ExecuteFrameCallbacks` slices, see
 * `trace.ts`), outside the page. A test checks the probe with the sampling heap profiler: nothing
 * is attributed to the probe's script, {@link PROBE_SCRIPT_URL}, over hundreds of frames.
 *
 * Long Animation Frame entries (frames over 50 ms, where the browser supports the API) are kept
 * by reference in a preallocated array; the observer's callback allocates only when such a frame
 * happens.
 *
 * Only the top-level document is probed (an iframe's game: profile the iframe's URL).
 *
 * @module
 */

/**
 * The `sourceURL` of the probe script. The sampling heap profiler reports a script injected
 * before the page's (CDP `Page.addScriptToEvaluateOnNewDocument`) with no URL, so the probe's
 * allocation sites are told apart by their function names instead ({@link PROBE_FUNCTION_NAMES}).
 */
export const PROBE_SCRIPT_URL = 'steadyheap-probe.js';

/**
 * Matches the names of the probe's functions (all start with `steadyheapProbe`, plus the two
 * wrappers it installs): a site with no script URL and such a name is the probe's.
 */
export const PROBE_FUNCTION_NAMES = /^(steadyheapProbe\w*|requestAnimationFrame|cancelAnimationFrame)$/;

/** Global under which the probe's reader sits in the page. */
export const PROBE_GLOBAL = '__steadyheapProbe';

/** Frames the probe's rings hold (about 4.5 minutes at 120 fps); older frames are overwritten. */
export const PROBE_CAPACITY_FRAMES = 32768;

/** Long Animation Frame entries the probe keeps per window; more are counted but not kept. */
export const PROBE_MAX_LONG_FRAMES = 1024;

/** What the probe's `read(fromCount)` returns: the frames recorded since `fromCount`. */
export interface ProbeRead {
  /** Frames recorded since the probe started (keeps counting past the ring's capacity). */
  count: number;
  /** Count of the first frame returned (later than `fromCount` when the ring overflowed). */
  first: number;
  /** Animation-frame timestamps, ms, `performance.now()` clock. */
  tMs: number[];
  /** Page callbacks run per frame. */
  callbacks: number[];
  /** Long Animation Frame entries that started at or after `sinceMs` (see `read`), oldest first. */
  longFrames: LongAnimationFrame[];
  /** Long Animation Frame entries seen but not kept (over {@link PROBE_MAX_LONG_FRAMES}). */
  longFramesDropped: number;
  /** Whether the browser supports the Long Animation Frames API. */
  longFramesSupported: boolean;
}

/** The fields of a Long Animation Frame entry the profiler keeps (times in ms, page clock). */
export interface LongAnimationFrame {
  startMs: number;
  durationMs: number;
  blockingMs: number;
  renderStartMs: number;
  styleAndLayoutStartMs: number;
  /** The scripts that ran in it, longest first (at most 5). */
  scripts: { invoker: string; sourceURL: string; functionName: string; durationMs: number }[];
}

/**
 * The probe, as page script source. Plain JavaScript in a string, not a function's text: a
 * function would be serialized with whatever helpers the Node-side transpiler inserted.
 */
export const PROBE_SOURCE = `(function installSteadyheapProbe() {
  'use strict';
  var w = globalThis;
  if (w.${PROBE_GLOBAL} || typeof w.requestAnimationFrame !== 'function') return;
  try { if (w.top !== w) return; } catch (e) { return; }
  var nativeRaf = w.requestAnimationFrame;
  var nativeCaf = w.cancelAnimationFrame;
  var perf = w.performance;
  var report = typeof w.reportError === 'function' ? w.reportError : function (e) { setTimeout(function () { throw e; }); };
  var CAPACITY = ${PROBE_CAPACITY_FRAMES};
  var MASK = CAPACITY - 1;
  var tMs = new Float64Array(CAPACITY);
  var callbacks = new Uint16Array(CAPACITY);
  // Frames recorded: a small integer (it reaches 2^30 after 200 days at 60 fps).
  var count = 0;
  var pending = new Array(64).fill(null);
  var pendingIds = new Int32Array(64);
  var pendingN = 0;
  var running = new Array(64).fill(null);
  var runningIds = new Int32Array(64);
  var runningN = 0;
  var runningAt = 0;
  var nextId = 1;
  var scheduled = false;

  function steadyheapProbeFrame(ts) {
    scheduled = false;
    var cbs = running; running = pending; pending = cbs;
    var ids = runningIds; runningIds = pendingIds; pendingIds = ids;
    runningN = pendingN; pendingN = 0;
    var ran = 0;
    for (runningAt = 0; runningAt < runningN; runningAt++) {
      var cb = running[runningAt];
      if (cb === null) continue;
      running[runningAt] = null;
      ran++;
      try { steadyheapProbeInvoke(cb, ts); } catch (e) { report(e); }
    }
    runningN = 0;
    var k = count & MASK;
    tMs[k] = ts;
    callbacks[k] = ran > 65535 ? 65535 : ran;
    count++;
  }

  // The page's callbacks are called from this one call site, made megamorphic at once (two
  // different functions, called often enough that V8 has allocated the function's feedback
  // vector, which it does lazily after a few calls): an optimizing compiler then never inlines a
  // page's callback into the probe. Inlined, the page's allocations would be reported under the
  // probe's function, since the sampling heap profiler names the outermost function of an
  // optimized frame (measured on a Phaser page before this: 3 KB per frame under the probe).
  function steadyheapProbeInvoke(cb, ts) { cb(ts); }
  var warmA = function steadyheapProbeWarmA() {};
  var warmB = function steadyheapProbeWarmB() {};
  for (var warm = 0; warm < 64; warm++) steadyheapProbeInvoke(warm & 1 ? warmA : warmB, 0);

  function steadyheapProbeGrow() {
    var n = pending.length * 2;
    var cbs = new Array(n).fill(null);
    var ids = new Int32Array(n);
    for (var i = 0; i < pendingN; i++) { cbs[i] = pending[i]; ids[i] = pendingIds[i]; }
    pending = cbs; pendingIds = ids;
    // The other queue must hold as many when the two swap.
    var rc = new Array(n).fill(null);
    var ri = new Int32Array(n);
    for (var j = 0; j < runningN; j++) { rc[j] = running[j]; ri[j] = runningIds[j]; }
    running = rc; runningIds = ri;
  }

  function requestAnimationFrame(callback) {
    if (typeof callback !== 'function') return nativeRaf.call(w, callback);
    if (pendingN === pending.length) steadyheapProbeGrow();
    var id = nextId;
    nextId = nextId === 0x3fffffff ? 1 : nextId + 1;
    pending[pendingN] = callback;
    pendingIds[pendingN] = id;
    pendingN++;
    if (!scheduled) { scheduled = true; nativeRaf.call(w, steadyheapProbeFrame); }
    return id;
  }

  function cancelAnimationFrame(id) {
    for (var i = 0; i < pendingN; i++) {
      if (pendingIds[i] === id) { pending[i] = null; return; }
    }
    for (var j = runningAt + 1; j < runningN; j++) {
      if (runningIds[j] === id) { running[j] = null; return; }
    }
  }

  var LCAP = ${PROBE_MAX_LONG_FRAMES};
  var longFrames = new Array(LCAP).fill(null);
  var longN = 0;
  var longDropped = 0;
  var longSupported = false;
  try {
    var types = w.PerformanceObserver && w.PerformanceObserver.supportedEntryTypes;
    if (types && types.indexOf('long-animation-frame') >= 0) {
      new w.PerformanceObserver(function steadyheapProbeLongFrames(list) {
        var es = list.getEntries();
        for (var i = 0; i < es.length; i++) {
          if (longN < LCAP) longFrames[longN++] = es[i]; else longDropped++;
        }
      }).observe({ type: 'long-animation-frame' });
      longSupported = true;
    }
  } catch (e) { longSupported = false; }

  function steadyheapProbeRead(fromCount, sinceMs) {
    var first = Math.max(fromCount, count - CAPACITY);
    var out = { count: count, first: first, tMs: [], callbacks: [], longFrames: [],
      longFramesDropped: longDropped, longFramesSupported: longSupported };
    for (var c = first; c < count; c++) {
      var k = c & MASK;
      out.tMs.push(tMs[k]); out.callbacks.push(callbacks[k]);
    }
    for (var i = 0; i < longN; i++) {
      var e = longFrames[i];
      if (e.startTime < sinceMs) continue;
      var scripts = Array.prototype.slice.call(e.scripts || [])
        .sort(function (a, b) { return b.duration - a.duration; }).slice(0, 5)
        .map(function (s) { return { invoker: String(s.invoker || ''), sourceURL: String(s.sourceURL || ''),
          functionName: String(s.sourceFunctionName || ''), durationMs: s.duration }; });
      out.longFrames.push({ startMs: e.startTime, durationMs: e.duration, blockingMs: e.blockingDuration || 0,
        renderStartMs: e.renderStart || 0, styleAndLayoutStartMs: e.styleAndLayoutStart || 0, scripts: scripts });
    }
    return out;
  }

  function steadyheapProbeMark(name) {
    longN = 0;
    longDropped = 0;
    var m = perf.mark(name);
    return { count: count, startMs: m.startTime };
  }

  Object.defineProperty(w, 'requestAnimationFrame', { value: requestAnimationFrame, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(w, 'cancelAnimationFrame', { value: cancelAnimationFrame, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(w, '${PROBE_GLOBAL}', { value: Object.freeze({
    count: function () { return count; },
    read: steadyheapProbeRead,
    mark: steadyheapProbeMark,
    capacity: CAPACITY,
  }), enumerable: false });
})();
//# sourceURL=${PROBE_SCRIPT_URL}
`;
